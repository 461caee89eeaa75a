"""What a process forked to help with one filing does first (page helpers, the side extractors) and
what every worker does: die with the process it works for, within its memory limit."""

from __future__ import annotations

import signal


def die_with_parent() -> None:
    """Be killed by the kernel when the parent process dies (PR_SET_PDEATHSIG; Linux)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not on Linux
        pass


def as_helper() -> None:
    """A forked helper's signals: SIGTERM kills it, Ctrl-C is its parent's, no timer of its own, and it
    dies with its parent."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.setitimer(signal.ITIMER_REAL, 0)
    die_with_parent()


def limit_memory(limit: int) -> None:
    """Limit this process's address space to ``limit`` bytes (RLIMIT_AS, never above the hard limit)."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not on POSIX
        pass
