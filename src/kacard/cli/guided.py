"""`kacard init` on a terminal: a short guided start (issue 21 #9).

It asks for the team's reps (id=名字), each rep's base by coordinates, the language and
the map app; on a re-run (kacard.yaml exists) only for reps to add. Off a terminal, init
asks nothing and takes --rep as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import typer

from kacard.cli import prompts
from kacard.i18n import _

LANGUAGES = ("zh", "en")
MAP_APPS = ("amap", "baidu", "google")


@dataclass
class Answers:
    reps: list[tuple[str, str]] = field(default_factory=list)
    bases: dict[str, tuple[float, float]] = field(default_factory=dict)
    language: str | None = None
    map_app: str | None = None


def rep_entry(text: str) -> tuple[str, str]:
    """`zhangwei=张伟` as (id, name); ValueError with the expected form otherwise."""
    from kacard.cards.paths import check_id
    from kacard.errors import KacardError

    if "=" not in text:
        raise ValueError(_("type the rep as id=名字, e.g. zhangwei=张伟"))
    rep_id, name = (part.strip() for part in text.split("=", 1))
    try:
        check_id(rep_id)
    except KacardError as exc:
        raise ValueError(exc.message) from None
    if not name:
        raise ValueError(_("type the rep as id=名字, e.g. zhangwei=张伟"))
    return rep_id, name


def choice(options: tuple[str, ...]):  # type: ignore[no-untyped-def]
    def check(text: str) -> str:
        if text.strip().lower() not in options:
            raise ValueError(_("one of {options}").format(options=", ".join(options)))
        return text.strip().lower()

    return check


def ask_setup(given: list[tuple[str, str]], *, existing: bool) -> Answers:
    """Ask on the terminal; `given` are the --rep values (asked for more after them)."""
    answers = Answers(reps=list(given))
    typer.echo(_("Adding reps to the existing team.") if existing else
               _("A short guided start: the team, where each rep starts from, language and map app."))
    while True:
        text = typer.prompt(_("Rep as id=名字 (Enter when done)"), default="", show_default=False,
                            prompt_suffix=prompts.suffix())
        if not text.strip():
            break
        try:
            answers.reps.append(rep_entry(text))
        except ValueError as exc:
            typer.echo(_("error: {message}").format(message=exc), err=True)
    for rep_id, name in answers.reps:
        point = prompts.ask(_("Base of {name}: latitude, longitude (Enter for none)").format(name=name),
                            prompts.location, default="")
        if point is not None:
            answers.bases[rep_id] = point
    if not existing:
        answers.language = prompts.ask(_("Language (zh/en)"), choice(LANGUAGES), default="zh")
        answers.map_app = prompts.ask(_("Map app (amap/baidu/google)"), choice(MAP_APPS), default="amap")
    return answers
