"""The course's hints of what a customer cares about, per sector, level and role (seed 003).

Kept in a data file, not in code: the package ships `hints.yaml` beside this module and a
team overrides or adds entries under `hints:` in its kacard.yaml (same shape:
``{sector|level|role: {KEY: {en: [...], zh: [...]}}}``); a team entry replaces the
shipped one of the same key. Pure: the settings come in, lists of short texts come out.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from kacard.cards.model.settings import Settings

HINTS_FILE = Path(__file__).with_name("hints.yaml")
KINDS: tuple[str, ...] = ("sector", "level", "role")
Hints = dict[str, dict[str, dict[str, list[str]]]]  # kind -> key -> language -> texts


@lru_cache(maxsize=1)
def shipped() -> Hints:
    """The hints shipped with kacard (read once)."""
    from kacard.cards import yamlio

    data = yamlio.load_data(HINTS_FILE.read_text(encoding="utf-8"))
    return {kind: {str(key): {str(lang): [str(t) for t in texts] for lang, texts in (by_lang or {}).items()}
                   for key, by_lang in (data.get(kind) or {}).items()}
            for kind in KINDS}


def team_hints(settings: Settings) -> Hints:
    """The shipped hints with the team's entries (kacard.yaml `hints:`) over them."""
    merged = {kind: dict(entries) for kind, entries in shipped().items()}
    for kind, entries in settings.hints.items():
        merged.setdefault(kind, {}).update(entries)
    return merged


def hints_for(hints: Hints, kind: str, key: str | None, language: str) -> list[str]:
    """The texts for one sector, level or role in `language` (else English, else any)."""
    if key is None:
        return []
    by_language = hints.get(kind, {}).get(key, {})
    for lang in (language, "en"):
        if by_language.get(lang):
            return list(by_language[lang])
    return next(iter(by_language.values()), [])
