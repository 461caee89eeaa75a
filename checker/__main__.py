"""The `starcheck` command (and `python -m checker`): the command line of checker/cli, with a lone PDF's
pages read on an idle core while it starts (checker/prefetch.py) and regular expressions compiled by
earlier runs read back (checker/recache.py).

When the command is done the process leaves without tearing the interpreter down (:func:`leave`): the
exit handlers run and the standard streams are flushed as at a normal exit, but the tens of thousands of
objects the checker's modules hold (models, lexicons, compiled patterns) are not freed one by one, which
took about 50 ms of every run. Everything the checker writes is closed before the command returns
(checker/io.py writes atomically), so nothing is lost by skipping it.
"""

import os
import sys


def main() -> None:
    """Entry point of the `starcheck` script."""
    import gc

    # The imports build a few hundred thousand objects that live as long as the process (modules,
    # models, compiled patterns): no collection walks them while they are made, and once made they are
    # frozen (never walked again, nor touched in the processes forked later).
    gc.disable()
    # pydantic looks for plugins in every installed package's metadata the first time it builds a model
    # (about 10 ms of each run); the checker's models are its own and take none. Its documented switch,
    # unless the caller set it.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from checker import recache
    from checker.prefetch import prefetch

    recache.enable()  # before the imports that compile patterns, inherited by every process forked
    prefetch(sys.argv[1:])  # before the command line's imports: they are what the reading overlaps
    from checker.cli import main as command_line

    gc.freeze()
    gc.enable()

    code: object = 0
    try:
        command_line()
    except SystemExit as done:
        code = done.code
    finally:
        recache.save()  # what this process compiled anew (the worker saves its own)
    leave(code)


def leave(code: object) -> None:
    """End the process with ``code`` as ``sys.exit`` would (None is 0, an int is the status, anything else
    is printed to stderr and is 1), after the exit handlers (multiprocessing's, the page helpers') and a
    flush of stdout and stderr; a stdout that cannot be flushed (a closed pipe) makes the status 120, as
    Python's own exit does. With a non-daemon thread still running, the interpreter's own exit waits for
    it as usual."""
    import threading

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        sys.stderr.write(f"{code}\n")
        status = 1
    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        raise SystemExit(status)
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            if stream is sys.stdout and status == 0:
                status = 120
    os._exit(status & 0xFF)


if __name__ == "__main__":
    main()
