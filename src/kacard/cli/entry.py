"""The console script's first frame: Ctrl-C at any moment, even while Python is still
importing kacard's modules (the first ~0.1 s), ends the run with the same message and
exit code 130 as an interrupt inside a command (kacard.cli.app), never a traceback.
Nothing has been written by then: writes happen inside commands, which handle their own.

While the modules load, SIGINT only sets a flag: a KeyboardInterrupt raised inside the
import machinery (a module lock's callback) would be printed by Python as "Exception
ignored … Traceback", which no `except` can catch. Once loaded, the flag ends the run.
An interrupt during Python's own start-up, before this module runs, is Python's: this module
imports nothing but `os`, `signal` and `sys` so that window stays a few milliseconds."""

from __future__ import annotations

import os
import signal
import sys


def main() -> None:
    """Run kacard (kacard.cli.app.main); an interrupt before or around it exits 130."""
    seen: list[int] = []

    def note(signum: int, _frame: object) -> None:
        seen.append(signum)

    try:
        signal.signal(signal.SIGINT, note)
    except ValueError:  # not the main thread (a library caller): nothing to guard
        pass
    try:
        from kacard.cli.app import main as run
    finally:
        if signal.getsignal(signal.SIGINT) is note:
            signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        if seen:
            raise KeyboardInterrupt
        run()
    except KeyboardInterrupt:
        _interrupted()


def _interrupted() -> None:
    try:
        from kacard.i18n import _

        text = _("interrupted; nothing was written")
    except KeyboardInterrupt:  # a second Ctrl-C while the catalog loads
        text = "interrupted; nothing was written"
    sys.stderr.write(text + "\n")
    sys.stderr.flush()
    os._exit(130)
