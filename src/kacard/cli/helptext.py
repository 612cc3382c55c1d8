"""typer's own words on a help page (usage line, section headings, the --help option),
in the run's language. typer formats them in English; kacard's strings are already
translated where they are defined, so only these few are swapped here."""

from __future__ import annotations

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
    return "\n".join(lines)
