"""The cache folder and its keyed JSON entries, with nothing heavy imported (the entry point reads one
before the checker is imported: checker/recache.py)."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from checker.errors import StarcheckError
from checker.io import write_atomic


def cache_dir() -> Path:
    """Where cache entries are kept."""
    env = os.environ.get("STARCHECK_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "starcheck"


_DIGESTS: dict[tuple[Any, ...], str] = {}  # (path, device, inode, size, mtime, ctime) -> SHA-256
# A file changed less than this long ago is hashed again each time: two writes within one tick of the
# file system's clock leave the same ctime, so a same-size rewrite could not be told from the first
# (git's "racily clean" entries).
RACY_NS = 2_000_000_000


def file_digest(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a regular file's bytes; '' for anything else (never opened: a FIFO would block) or an
    unreadable file. A file is hashed once per process while its inode, size, mtime and ctime stay the
    same and it last changed more than RACY_NS ago (the entry point hashes a lone filing to ask the
    cache, the check then needs the same digest; a forked worker inherits what its parent hashed)."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            return ""
        ident = (os.fspath(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        known = _DIGESTS.get(ident)
        if known is not None:
            return known
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return ""
    digest = h.hexdigest()
    if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_NS:
        _DIGESTS[ident] = digest
    return digest


_KNOWN: dict[str, str] = {}  # files_digest's signatures read or computed by this process


def files_digest(kind: str, files: Sequence[str | os.PathLike[str]], compute: Callable[[], str]) -> str:
    """``compute()``, a digest over the contents of ``files`` (the checker's code, its rule files), kept
    in ``<cache>/digests`` under a signature of each file's path, device, inode, size, mtime and ctime
    (and ``kind``, which names what ``compute`` hashes and how): a run whose files are unchanged reads
    one small entry instead of a hundred files. Not kept while a file changed less than RACY_NS ago
    (see :func:`file_digest`); a file that cannot be stat'ed: computed, never kept."""
    sig = hashlib.sha256(kind.encode() + b"\0")
    newest = 0
    try:
        for f in files:
            st = os.stat(f)
            sig.update(f"{os.fspath(f)}\0{st.st_dev}\0{st.st_ino}\0{st.st_size}\0{st.st_mtime_ns}\0"
                       f"{st.st_ctime_ns}\n".encode())
            newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
    except OSError:
        return compute()
    key = sig.hexdigest()
    known = _KNOWN.get(key)
    if known is None:
        stored = read_keyed("digests", key, 1)
        known = stored if isinstance(stored, str) else None
    if known is None:
        known = compute()
        if time.time_ns() - newest > RACY_NS:
            write_keyed("digests", key, 1, json.dumps(known))
    _KNOWN[key] = known
    return known


def contents_digest(kind: str, files: Sequence[Path], root: Path | None = None) -> str:
    """SHA-256 over each file's name (relative to ``root``, else as given) and bytes, in the order
    given, kept as :func:`files_digest` keeps digests: the digest of the checker's code, its rule files
    and its templates in every cache key."""

    def compute() -> str:
        h = hashlib.sha256()
        for f in files:
            name = f.relative_to(root).as_posix() if root is not None else f.as_posix()
            h.update(name.encode() + b"\0" + f.read_bytes() + b"\0")
        return h.hexdigest()

    return files_digest(kind, files, compute)


def facts_key(sha256: str, ruleset_sha: str) -> str:
    """The name (no .json) of the extraction cache entry of a file with these rules (checker/cache.py)."""
    from checker import __version__

    return f"{sha256}-{__version__}-{ruleset_sha[:16]}"


def holds_facts_of(sha256: str) -> bool:
    """Whether the extraction cache holds this file's facts under any rules of this version (a hint: the
    entry is checked when it is read)."""
    return any(cache_dir().glob(facts_key(sha256, "*") + ".json"))


def _payload_hash(payload: str) -> str:
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def read_keyed(folder: str, key: str, fmt: int) -> Any:
    """The payload (parsed JSON) of ``<cache>/<folder>/<key>.json`` as :func:`write_keyed` wrote it, or
    None: no entry, another format or key, a payload whose hash does not match (edited, truncated)."""
    try:
        entry = json.loads((cache_dir() / folder / f"{key}.json").read_text(encoding="utf-8"))
        payload = entry["payload"]
        if (entry.get("format") != fmt or entry.get("key") != key or not isinstance(payload, str)
                or _payload_hash(payload) != entry.get("sha256")):
            return None
        return json.loads(payload)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def write_keyed(folder: str, key: str, fmt: int, payload: str) -> None:
    """Write ``<cache>/<folder>/<key>.json`` atomically with its format, key and payload hash; a cache
    that cannot be written is silently skipped."""
    entry = {"format": fmt, "key": key, "sha256": _payload_hash(payload), "payload": payload}
    try:
        write_atomic(cache_dir() / folder / f"{key}.json", json.dumps(entry, ensure_ascii=False))
    except (OSError, StarcheckError):
        pass
