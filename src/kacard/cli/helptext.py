"""typer's own words on a help page (usage line, section headings, the --help option),
in the run's language. typer formats them in English; kacard's strings are already
translated where they are defined, so only these few are swapped here."""

from __future__ import annotations

import shutil
from typing import Any

from kacard.i18n import N_, _, language
from kacard.text import width as _cells
from kacard.text import wrap_line

# typer/click words on every help page (msgids in the catalog)
_WORDS = (
    N_("Usage:"), N_("Options"), N_("Arguments"), N_("Commands"),
    N_("Show this message and exit."), N_("required"), N_("default"),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)


def localize_help(text: str) -> str:
    """`text` (a help page) with typer's headings and labels in the current language,
    wrapped to the terminal (at most 80 columns) by `rewrap`, in every language."""
    width = max(min(shutil.get_terminal_size().columns, 80) - 2, 50)  # click's help width
    if language() == "en":
        return rewrap(text, width)
    lines = []
    for line in text.split("\n"):
        stripped = line.strip()
        if line.startswith("Usage: "):
            line = _("Usage:") + line[len("Usage: "):]
        elif stripped in ("Options:", "Arguments:", "Commands:"):
            line = line.replace(stripped, _(stripped[:-1]) + "：")
        line = line.replace("Show this message and exit.", _("Show this message and exit."))
        line = line.replace("Install completion for the current shell.", _("Install completion for the current shell."))
        full = "Show completion for the current shell, to copy it or customize the installation."
        line = line.replace(full, _(full))
        if "Show completion for the current shell" in line:  # typer wraps this one over two lines
            line = line.replace("Show completion for the current shell, to copy it or",
                                _("Show completion for the current shell, to copy it or customize the installation."))
        elif line.strip() == "customize the installation.":
            continue
        line = line.replace("[required]", "[" + _("required") + "]").replace("; required]", "；" + _("required") + "]")
        line = line.replace("[default: ", "[" + _("default") + "：").replace("[default:", "[" + _("default") + "：")
        lines.append(line)
    return rewrap("\n".join(lines), width)


def short_help(text: str, limit: int = 60) -> str:
    """A command's line in the command list, in Chinese: its first sentence (up to 。); when
    that is wider than `limit` cells, its lead before ： when that says enough, else cut at the
    last ： ； ， 、 or （ outside brackets that fits (、 gets 等). click's own short help only knows the English full stop, so it would
    take the whole paragraph and cut it mid-word."""
    first = text.split("\n\n")[0].replace("\n", "").split("。")[0]
    if _cells(first) <= limit:
        return first
    colon = first.find("：")
    if colon >= 12 and "（" not in first[:colon]:  # a long enough lead before the colon says it
        return first[:colon]
    depth, cut = 0, len(first)
    for i, ch in enumerate(first):
        if depth == 0 and ch in "：；，、（" and i >= 4 and _cells(first[:i]) <= limit:
            cut = i
        depth += {"（": 1, "(": 1, "）": -1, ")": -1}.get(ch, 0)
    return first[:cut] + ("等" if first[cut:cut + 1] == "、" else "")


def unwrapped_help(command: Any, ctx: Any) -> str:
    """`command`'s help page in the run's language, wrapped by kacard (`rewrap`, which counts
    display cells: an English help text quoting 杭州市拱墅区 is wider than its characters), not
    by click: click is given an unbounded width so that it leaves every paragraph and option
    help on one line."""
    saved = ctx.terminal_width, ctx.max_content_width
    ctx.terminal_width = ctx.max_content_width = 1_000_000
    try:
        text: str = command.format_help_text_unwrapped(ctx)
    finally:
        ctx.terminal_width, ctx.max_content_width = saved
    return localize_help(text)


def rewrap(text: str, width: int) -> str:
    """A help page whose lines wider than `width` cells are broken between Chinese characters
    (or at spaces), continuing under the line's text column (kacard.text.wrap_line, the one
    line breaker of kacard). click wraps with textwrap, which counts characters, not cells,
    and breaks only at spaces — so a Chinese help text ran past an 80-column terminal."""
    return "\n".join(part for line in text.split("\n") for part in wrap_line(line, width))
