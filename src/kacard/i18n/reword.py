"""Other programs' English messages in the user's language, by their known wording.

Some text people read is made by a library, not by kacard: the YAML parsers' reasons
(`expected ',' or '}', but got '<stream end>'`) and typer's usage errors (`No such option:
--bogus`). Those libraries have no Chinese catalog (typer's bundled click formats its
messages with f-strings, so no gettext domain can supply them), so kacard recognises their
wording: a `Rule` is a regular expression with named groups and the msgid (marked with
`N_`, translated in kacard's catalogs) it is said as; `reword` gives the first rule's msgid
in the current language with the groups filled in. Text no rule knows is returned unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

from kacard.i18n import _


class Rule(NamedTuple):
    pattern: re.Pattern[str]
    msgid: str


def rules(*pairs: tuple[str, str]) -> list[Rule]:
    """Rules from (regular expression, msgid) pairs; each expression must match a whole message."""
    return [Rule(re.compile(pattern), msgid) for pattern, msgid in pairs]


def reword(text: str, known: Iterable[Rule], part: Callable[[str, str], str] | None = None) -> str:
    """`text` in the current language when a rule of `known` matches all of it, else `text`.

    `part(name, value)` may reword a matched group first (a token the parser names, a
    nested reason); groups that did not take part in the match are empty."""
    for rule in known:
        match = rule.pattern.fullmatch(text)
        if match:
            groups = {name: value or "" for name, value in match.groupdict().items()}
            if part is not None:
                groups = {name: part(name, value) for name, value in groups.items()}
            return _(rule.msgid).format(**groups)
    return text
