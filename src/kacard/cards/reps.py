"""Reps named the way people name them: by id (`zhangwei`), by name (`张伟`) or e-mail.

One rule for every place a rep is named: `--owner`, `--by`, handover's FROM and TO,
`kacard new`'s owner, and `owner:` in a card (a card may say `owner: 张伟`; kacard
reads it as the rep's id). Two reps with the same name make the name ambiguous: the
message lists them by id ("did you mean zhangwei (张伟) or zhangwei2 (张伟)?").
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from kacard.errors import UsageError
from kacard.i18n import _

if TYPE_CHECKING:
    from kacard.cards.model.settings import Rep, Settings


def matching(settings: Settings, text: str) -> list[Rep]:
    """The reps `text` names: the rep with that id, else every rep with that name or
    e-mail (case and surrounding spaces ignored)."""
    wanted = text.strip()
    exact = [rep for rep in settings.team if rep.id == wanted]
    if exact:
        return exact
    folded = wanted.casefold()
    return [rep for rep in settings.team
            if rep.name.strip().casefold() == folded or (rep.email and rep.email.casefold() == folded)]


def labels(reps: list[Rep]) -> str:
    """`zhangwei (张伟) or zhangwei2 (张伟)`."""
    named = [_("{id} ({name})").format(id=rep.id, name=rep.name) for rep in reps]
    if len(named) == 1:
        return named[0]
    return _("{first} or {last}").format(first=_(", ").join(named[:-1]), last=named[-1])


def problem(settings: Settings, text: str, role: str = "rep") -> str | None:
    """Why `text` does not name exactly one rep of the team, or None when it does (or the
    team is not listed: then any id is accepted). `role` is "rep" or "owner"."""
    if not settings.team:
        return None
    found = matching(settings, text)
    if len(found) == 1:
        return None
    if found:
        return _("'{text}' is the name of {n} reps; did you mean {reps}?").format(
            text=text, n=len(found), reps=labels(found))
    by_key = {rep.id: rep for rep in settings.team} | {rep.name: rep for rep in settings.team}
    close = difflib.get_close_matches(text.strip(), list(by_key), n=2, cutoff=0.6)
    guesses = list({by_key[c].id: by_key[c] for c in close}.values())
    team = _(", ").join(_("{id} ({name})").format(id=rep.id, name=rep.name) for rep in settings.team)
    unknown = (_("unknown owner '{text}'") if role == "owner" else _("unknown rep '{text}'")).format(text=text)
    if guesses:
        return _("{unknown}; did you mean {reps}? (team: {team})").format(
            unknown=unknown, reps=labels(guesses), team=team)
    return _("{unknown} (team: {team})").format(unknown=unknown, team=team)


def rep_id(settings: Settings, text: str, what: str = "", role: str = "rep") -> str:
    """The id of the one rep `text` names; UsageError (exit 2) otherwise, its message
    starting with `what` (the option or argument, e.g. "--by") when given."""
    trouble = problem(settings, text, role)
    if trouble is not None:
        raise UsageError(f"{what}: {trouble}" if what else trouble)
    found = matching(settings, text)
    return found[0].id if found else text.strip()
