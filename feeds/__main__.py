"""`python -m feeds` is the `feeds` command."""

from feeds.cli import main

if __name__ == "__main__":
    main()
