"""`python -m sortition` runs the command-line interface."""

from sortition.cli.main import main

if __name__ == "__main__":
    main()
