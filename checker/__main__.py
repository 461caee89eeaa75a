"""The `starcheck` command (and `python -m checker`): the command line of checker/cli, with a lone PDF's
pages read on an idle core while it starts (checker/prefetch.py) and regular expressions compiled by
earlier runs read back (checker/recache.py)."""

import sys


def main() -> None:
    """Entry point of the `starcheck` script."""
    from checker import recache
    from checker.prefetch import prefetch

    recache.enable()  # before the imports that compile patterns, inherited by every process forked
    prefetch(sys.argv[1:])  # before the command line's imports: they are what the reading overlaps
    from checker.cli import main as command_line

    try:
        command_line()
    finally:
        recache.save()  # what this process compiled anew (the worker saves its own)


if __name__ == "__main__":
    main()
