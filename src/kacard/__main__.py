"""`python -m kacard`: how git runs the merge driver from a virtualenv that is not on PATH."""

from kacard.cli.entry import main

if __name__ == "__main__":
    main()
