"""`python -m checker ...` runs the `starcheck` command line."""

from checker.cli import main

if __name__ == "__main__":
    main()
