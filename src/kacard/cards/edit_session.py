"""`kacard edit`: $EDITOR on a scratch copy; the card is replaced only with valid text."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from kacard.cards.cache import digest
from kacard.cards.model.settings import Settings
from kacard.cards.store import LoadedCard, parse_card, settings_problems, write_atomic
from kacard.errors import CardInvalid, Problem, StaleWrite, UsageError
from kacard.i18n import _


def _editor() -> list[str]:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    return shlex.split(editor)


def edit_card(
    folder: Path,
    loaded: LoadedCard,
    settings: Settings,
    *,
    edit_again: Callable[[list[Problem]], bool] | None,
) -> bool:
    """Edit until valid (or the user gives up). Returns True when the card was saved.

    `edit_again(problems)` asks the user whether to re-open the editor; None (no
    terminal) means an invalid edit is refused at once. The scratch file lives in
    the system temp dir and is removed afterwards; the card is written atomically
    and only if it is still the version that was opened (no clobbering a
    concurrent change)."""
    original = loaded.path.read_bytes()
    if digest(original) != loaded.digest:
        raise StaleWrite(_("{rel} changed on disk since kacard read it; run the command again").format(rel=loaded.rel))
    with tempfile.TemporaryDirectory(prefix="kacard-edit-") as scratch:
        temp = Path(scratch) / loaded.path.name
        temp.write_bytes(original)
        while True:
            try:
                subprocess.run([*_editor(), str(temp)], check=True)
            except (OSError, subprocess.CalledProcessError) as exc:
                raise UsageError(_("could not run the editor ({exc}); set $EDITOR").format(exc=exc)) from None
            data = temp.read_bytes()
            if data == original:
                return False
            card, problems = parse_card(loaded.rel, data, expect_id=loaded.card.id)
            if card is not None:
                problems = settings_problems(loaded.rel, card.owner, card.criteria, settings)
            if card is not None and not problems:
                write_atomic(loaded.path, data.decode("utf-8-sig"), loaded.digest)
                return True
            if edit_again is None:
                raise CardInvalid(_("{rel} not saved: the edited card is invalid").format(rel=loaded.rel), problems)
            if not edit_again(problems):
                raise CardInvalid(_("{rel} not saved; your edit was discarded").format(rel=loaded.rel), problems)
