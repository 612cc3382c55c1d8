"""typer's own words on a help page (usage line, section headings, the --help option),
in the run's language. typer formats them in English; kacard's strings are already
translated where they are defined, so only these few are swapped here."""

from __future__ import annotations

import re
import shutil
import unicodedata

from kacard.i18n import N_, _, language

# typer/click words on every help page (msgids in the catalog)
_WORDS = (
    N_("Usage:"), N_("Options"), N_("Arguments"), N_("Commands"),
    N_("Show this message and exit."), N_("required"), N_("default"),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)


def localize_help(text: str) -> str:
    """`text` (a help page) with typer's headings and labels in the current language."""
    if language() == "en":
        return text
    lines = []
    for line in text.split("\n"):
        stripped = line.strip()
        if line.startswith("Usage: "):
            line = _("Usage:") + line[len("Usage: "):]
        elif stripped in ("Options:", "Arguments:", "Commands:"):
            line = line.replace(stripped, _(stripped[:-1]) + "：")
        line = line.replace("Show this message and exit.", _("Show this message and exit."))
        line = line.replace("Install completion for the current shell.", _("Install completion for the current shell."))
        if "Show completion for the current shell" in line:  # typer wraps this one over two lines
            line = line.replace("Show completion for the current shell, to copy it or",
                                _("Show completion for the current shell, to copy it or customize the installation."))
        elif line.strip() == "customize the installation.":
            continue
        line = line.replace("[required]", "[" + _("required") + "]").replace("; required]", "；" + _("required") + "]")
        line = line.replace("[default: ", "[" + _("default") + "：").replace("[default:", "[" + _("default") + "：")
        lines.append(line)
    width = max(min(shutil.get_terminal_size().columns, 80) - 2, 50)  # click's help width
    return rewrap("\n".join(lines), width)


def short_help(text: str, limit: int = 36) -> str:
    """A command's line in the command list, in Chinese: its first sentence (up to 。), cut at
    its first ： or ； when still longer than `limit` characters. click's own short help only
    knows the English full stop, so it would take the whole paragraph and cut it mid-word."""
    first = text.split("\n\n")[0].replace("\n", "")
    first = first.split("。")[0]
    if len(first) > limit:
        for mark in ("：", "；", "，"):
            if mark in first and first.index(mark) >= 4:
                first = first[: first.index(mark)]
                break
    return first


def _cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_NO_START = set("，。、；：）」』》！？％,.;:)!?]…")  # never at the start of a line
_NO_END = set("（「『《([")  # never at the end of a line


def _tokens(text: str) -> list[str]:
    """Units a line may break between: runs of spaces, Latin words, single wide characters."""
    return re.findall(r" +|[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+|.", text)


def rewrap(text: str, width: int) -> str:
    """A help page whose lines wider than `width` cells are broken between Chinese characters
    (or at spaces), continuing at the indent of the line's text column. click wraps with
    textwrap, which counts characters, not cells, and breaks only at spaces — so a Chinese
    help text ran past an 80-column terminal."""
    out = []
    for line in text.split("\n"):
        if _cells(line) <= width:
            out.append(line)
            continue
        column = re.match(r"^(\s+\S+(?: \S+)*?\s{2,})(?=\S)", line)
        indent = len(column.group(1)) if column else len(line) - len(line.lstrip(" "))
        current = line[:indent]
        for token in _tokens(line[indent:]):
            if _cells(current) + _cells(token) > width and current.strip() and token.strip():
                carry = ""
                if token[0] in _NO_START and current[-1:] not in (" ",):  # keep punctuation with its word
                    carry, current = current[-1], current[:-1]
                while current and current[-1] in _NO_END:
                    carry, current = current[-1] + carry, current[:-1]
                out.append(current.rstrip())
                current = " " * indent + carry
            if token.isspace() and not current.strip():
                continue
            current += token
        out.append(current.rstrip())
    return "\n".join(out)
