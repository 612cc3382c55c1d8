"""kacard: key-account customer data cards in a git-shared YAML folder."""

__version__ = "0.1.0"
