"""How to reach a contact: the one rule for a card's `phone` and `email` (README "The card format").

What a Chinese phone or input method types is read as what it unambiguously means, and
what is not a phone number or not an e-mail address is refused:

* Both fields are read through Unicode NFKC, so full-width digits, letters and signs
  (`１３８００１３８０００`, `li＠example．com`, `（0571）`) are their ASCII forms; runs of
  spaces are one space. The ideographic full stop `。` in an e-mail's domain is a dot
  (as IDNA reads it, UTS #46).
* phone: digits with the usual separators (space, `-`, `.`, brackets), an optional leading
  `+` (country code), and optionally an extension written `转 802`, `分机 802`, `ext 802`,
  `x 802` or, after a complete number, `-802`. The extension is kept in the phone text as
  `<number> ext <digits>` (a contact has no field of its own for it). The number part holds
  7 to 15 digits (ITU-T E.164: at most 15; 7 for a local number without its area code). Without a
  country code or with +86/0086 (MIIT numbering plan): a mobile number (starting with 1,
  7 digits or more) holds 11, a landline with its area code (starting with 0) at most 12.
  Anything else — words (`找前台转`, `(office)`), two numbers in one field — is refused:
  other words belong in `notes`.
* email: one `@` between a local part (1–64 characters, no spaces) and a domain of at
  least two dot-separated labels of letters (any script), digits and `-`, the last one
  not all digits; at most 254 characters (RFC 5321 §4.5.3.1). Internationalised
  addresses (`王建国@例子.中国`) are addresses.

Errors are ValueError with a catalog message that never contains the value (phones and
e-mails are personal data, kacard.privacy); the card problem path adds file, line and
field. The model keeps the normalised value; writers patch the card's text, so reading a
card never rewrites what the user typed.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator

from kacard.i18n import _

_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-"})
_EXT_RE = re.compile(r"^(?P<number>.*?[\d)])\s*(?:转|分机|ext\.?|x)\s*(?P<ext>\d{1,6})$", re.IGNORECASE)
_DASH_EXT_RE = re.compile(r"^(?P<number>.*\d)\s*-\s*(?P<ext>\d{1,6})$")
_NUMBER_RE = re.compile(r"^\+?[\d\s\-.()]+$")
_PLAIN_RE = re.compile(r"^\+?\d+(?: \d+)*$")  # `+86 138 0000 0001`: already as the rule keeps it
_LABEL_RE = re.compile(r"^(?!-)[\w-]{1,63}(?<!-)$")


def _nfkc(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def split_phone(text: str) -> tuple[str, str | None]:
    """A phone as written (or as `normal_phone` keeps it) -> (number part, extension digits or None)."""
    number, ext, _problem = _read_phone(text)
    return number, ext


def _read_phone(text: str) -> tuple[str, str | None, str | None]:
    """(number part, extension or None, why the number part is not a phone number or None)."""
    if not (text.isascii() and _PLAIN_RE.match(text)):  # the common case needs no NFKC
        text = _nfkc(text).translate(_DASHES)
    match = _EXT_RE.match(text)
    if match:
        number = match.group("number").strip()
        return number, match.group("ext"), _number_problem(number)
    problem = _number_problem(text)
    if problem is not None:
        match = _DASH_EXT_RE.match(text)
        if match and _number_problem(match.group("number")) is None:
            return match.group("number").strip(), match.group("ext"), None
    return text, None, problem


def _national(digits: str, number: str) -> str | None:
    """The digits after a written country code 86 (+86, 0086), all of them when none is
    written, None for another country's number (China's rules do not apply)."""
    for code in ("+86", "0086"):
        if number.startswith(code):
            return digits[len(code) - 1 if code[0] == "+" else len(code):]
    if number.startswith(("+", "00")):
        return None
    return digits


def _number_problem(number: str) -> str | None:
    """Why `number` (no extension) is not a phone number, or None."""
    if not _NUMBER_RE.match(number) or "+" in number[1:]:
        return _("not a phone number: write only digits, spaces, + - ( ) and an extension "
                 "(转 802, ext 802); other words go in notes")
    digits = "".join(ch for ch in number if ch.isdigit())
    if not 7 <= len(digits) <= 15:
        return _("not a phone number: it has {n} digits, a phone number has 7 to 15").format(n=len(digits))
    national = _national(digits, number)
    if national is not None and national.startswith("1") and len(national) >= 7 and len(national) != 11:
        return _("a mobile number has 11 digits, this one has {n}").format(n=len(national))
    if national is not None and national.startswith("0") and len(national) > 12:
        return _("a landline number with its area code has at most 12 digits, this one has {n}; "
                 "write an extension as 转 802").format(n=len(national))
    return None


def normal_phone(value: str) -> str:
    """The phone rule above: `value` normalised (`<number>` or `<number> ext <digits>`).

    Raises ValueError (a catalog message without the value) when it is not a phone number."""
    if not value.strip():
        return value.strip()
    number, ext, problem = _read_phone(value)
    if problem is not None:
        raise ValueError(problem)
    return f"{number} ext {ext}" if ext else number


def normal_email(value: str) -> str:
    """The e-mail rule above: `value` normalised (NFKC, `。` in the domain as `.`).

    Raises ValueError (a catalog message without the value) when it is not an address."""
    text = _nfkc(value)
    if not text:
        return text
    if " " in text:
        return _fail(_("not an e-mail address: it has a space in it"))
    local, at, domain = text.rpartition("@")
    if not at or not local or "@" in local:
        return _fail(_("not an e-mail address: write one @ between the name and the domain, "
                       "like name@example.com"))
    domain = domain.replace("。", ".")
    labels = domain.split(".")
    if (len(local) > 64 or len(labels) < 2 or not all(_LABEL_RE.match(p) and "_" not in p for p in labels)
            or labels[-1].isdigit()):
        return _fail(_("not an e-mail address: the part after @ must be a domain like example.com"))
    address = f"{local}@{domain}"
    if len(address) > 254:
        return _fail(_("not an e-mail address: longer than 254 characters"))
    return address


def _fail(message: str) -> Any:
    raise ValueError(message)


Phone = Annotated[str, AfterValidator(normal_phone)]
"""A contact's phone number (rule: this module's docstring)."""
Email = Annotated[str, AfterValidator(normal_email)]
"""A contact's e-mail address (rule: this module's docstring)."""
