"""Questions on a terminal (`kacard new`, `kacard log`): a wrong answer is explained and
asked again, and the answers already given are kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import typer

from kacard.errors import KacardError
from kacard.i18n import _, language

T = TypeVar("T")


def ask(label: str, convert: Callable[[str], T], default: str | None = None) -> T:
    """Ask until `convert` accepts the answer; its ValueError or KacardError message is
    shown before asking again. An empty answer gives `default` (when there is one)."""

    while True:
        shown = default is not None if language() == "en" else bool(default)  # no empty "[]" in Chinese
        text: str = typer.prompt(label, default=default, show_default=shown, prompt_suffix=suffix())
        try:
            return convert(text)
        except ValueError as exc:
            message = str(exc)
        except KacardError as exc:
            message = exc.message
        typer.echo(_("Error: {message}").format(message=message))


def suffix() -> str:
    """What ends a question: `: ` in English, the full-width `：` in Chinese."""
    return ": " if language() == "en" else "："


def required(text: str) -> str:
    """A non-empty answer (stripped)."""
    if not text.strip():
        raise ValueError(_("an answer is needed here"))
    return text.strip()


def optional(text: str) -> str | None:
    """An answer that may be left empty (None)."""
    return text.strip() or None


def location(text: str) -> tuple[float, float] | None:
    """`30.27, 120.15` (latitude, longitude; a full-width comma too) or nothing."""
    cleaned = text.strip().replace("，", ",")
    if not cleaned:
        return None
    parts = [p for p in cleaned.replace(",", " ").split() if p]
    try:
        lat, lon = (float(p) for p in parts)
    except ValueError:
        raise ValueError(_("type latitude and longitude, like 30.27, 120.15 (or leave it empty)")) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(_("latitude is between -90 and 90, longitude between -180 and 180"))
    return lat, lon
