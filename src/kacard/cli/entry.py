"""The console script's first frame: Ctrl-C at any moment, even while Python is still
importing kacard's modules (the first ~0.1 s), ends the run with the same message and
exit code 130 as an interrupt inside a command (kacard.cli.app), never a traceback.
Nothing has been written by then: writes happen inside commands, which handle their own."""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run kacard (kacard.cli.app.main); an interrupt before or around it exits 130."""
    try:
        from kacard.cli.app import main as run

        run()
    except KeyboardInterrupt:
        try:
            from kacard.i18n import _

            text = _("interrupted; nothing was written")
        except KeyboardInterrupt:  # a second Ctrl-C while the catalog loads
            text = "interrupted; nothing was written"
        sys.stderr.write(text + "\n")
        sys.stderr.flush()
        os._exit(130)
