"""Objects that may live until the process ends.

A command is one short process. Freeing a big folder's objects one by one before
it exits (ten thousand briefs and indexes) costs a good part of a tenth of a
second on 10,000 cards and serves nothing. The console script
(kacard.cli.app.main) turns keeping on and leaves with os._exit once its output is
flushed; anywhere else (tests, a library user) `keep` does nothing.
"""

from __future__ import annotations

_kept: list[object] | None = None


def keep_until_exit() -> None:
    """Called once by the console script before it runs a command."""
    global _kept
    _kept = []


def keep(value: object) -> None:
    """Do not free `value` before the process ends (when the console script runs)."""
    if _kept is not None:
        _kept.append(value)
