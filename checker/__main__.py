"""The `starcheck` command (and `python -m checker`): the command line of checker/cli, with a lone PDF's
pages read on an idle core while it starts (checker/prefetch.py)."""

import sys


def main() -> None:
    """Entry point of the `starcheck` script."""
    from checker.prefetch import prefetch

    prefetch(sys.argv[1:])  # before the command line's imports: they are what the reading overlaps
    from checker.cli import main as command_line

    command_line()


if __name__ == "__main__":
    main()
