"""typer's own usage errors (`No such option: --bogus`) in the user's language.

typer bundles its own click, which words these messages with f-strings (no gettext domain
kacard could install a catalog for), so `usage_message` recognises the wording of each one
(kacard.i18n.reword) and says it with kacard's catalog; the wording of older typer/click
releases (`Did you mean --today?`) is known too. A message no rule knows is shown as typer
gave it.
"""

from __future__ import annotations

from kacard.i18n import N_, _
from kacard.i18n.reword import reword, rules

_OPTION = r"'?(?P<option>[^' ]+)'?"
USAGE_ERRORS = rules(
    (r"No such option: (?P<option>\S+)", N_("No such option: {option}")),
    (r"No such option: (?P<option>\S+) \(Possible options: (?P<options>.+)\)",
     N_("No such option: {option} (Possible options: {options})")),
    (r"No such option: (?P<option>\S+) Did you mean (?P<close>\S+)\?", N_("No such option: {option} Did you mean {close}?")),
    (r"No such command '(?P<name>.+)'\.", N_("No such command '{name}'.")),
    (r"Missing command\.", N_("Missing command.")),
    (rf"Option {_OPTION} requires an argument\.", N_("Option '{option}' requires an argument.")),
    (rf"Option {_OPTION} requires (?P<count>\d+) arguments\.", N_("Option '{option}' requires {count} arguments.")),
    (rf"Option {_OPTION} does not take a value\.", N_("Option '{option}' does not take a value.")),
    (r"Argument '(?P<name>.+)' takes (?P<count>\d+) values\.", N_("Argument '{name}' takes {count} values.")),
    (r"Got unexpected extra arguments? ?(?:\(s\))? \((?P<arguments>.*)\)",
     N_("Got unexpected extra argument(s) ({arguments})")),
    (r"Missing argument (?P<name>.+?)\.", N_("Missing argument {name}.")),
    (r"Missing option (?P<name>.+?)\.", N_("Missing option {name}.")),
    (r"Missing parameter: (?P<name>.+)", N_("Missing parameter: {name}")),
    (r"Invalid value for (?P<option>.+?): (?P<reason>.+)", N_("Invalid value for {option}: {reason}")),
    (r"Invalid value: (?P<reason>.+)", N_("Invalid value: {reason}")),
)
# the reasons typer gives inside "Invalid value for ...: <reason>"
_REASONS = rules(
    (r"(?:Value )?(?P<value>'.*') is not a valid (?P<kind>integer|float|boolean)\.",
     N_("{value} is not {kind}.")),
    (r"(?P<value>'.*') is not one of (?P<choices>.+)\.", N_("{value} is not one of {choices}.")),
    (r"(?P<value>.+) is not in the range (?P<range>.+)\.", N_("{value} is not in the range {range}.")),
)
_KINDS = {"integer": N_("a whole number"), "float": N_("a number"), "boolean": N_("yes or no")}


def _part(name: str, value: str) -> str:
    if name == "reason":
        return reword(value, _REASONS, _part)
    if name == "kind":
        return _(_KINDS[value]) if value in _KINDS else value
    return value


def usage_message(message: str) -> str:
    """typer's usage error `message` in the current language (unchanged in English)."""
    return reword(message, USAGE_ERRORS, _part)
