"""Personal data: the one redaction rule, for every output marked for sharing and for
every error message.

What counts as personal (the identifiers used in China, and the usual ones):

* phone numbers in every common form: mobiles `138 0000 0000`, `138-0000-0000`,
  `138.0000.0000`, `13800000000`, `(138) 0000 0000`; with a country code `+86 …`,
  `+86 (138) 0000 0001`, `0086 …`; landlines `0571-8888 8888`, `(0571) 8888 8888`,
  `057188888888`, `010 1234 5678`, with an extension (`-123`, `转123`); any other
  international number written `+cc …` → digits masked but the country code and the
  last two (`+86 *** **** **01`);
* e-mail addresses, non-ASCII ones too (`王建国@例子.中国`, `josé@exämple.com`, a
  full-width `＠`) → first character and domain (`王***@例子.中国`);
* 18-digit resident ID numbers (身份证号, last character a digit or X), with or without
  spaces → `[redacted]`;
* WeChat ids (`wxid_…`, and any id after `微信`, `微信号`, `WeChat`, `weixin`, `VX`,
  `wx`) and QQ numbers (after `QQ`, `扣扣`) → the label stays, the id is `[redacted]`;
* identifiers named by a label (`身份证`, `护照`, `passport`, `银行卡`, `卡号`, `账号`):
  the number after it, 15-digit ID numbers included → `[redacted]`; full-width digits
  and letters (typed with a Chinese input method) are read as their ASCII forms;
* home addresses in free text: what follows `家住`, `住在`, `住址`, `家庭住址`, `家庭地址`,
  `home address`, `lives at` up to the end of the clause, and any building-unit-room
  address (`3幢2单元501室`, `5号楼1单元302`) → `[redacted]`.

`scrub(text)` applies all of these to free text; `mask_phone` and `mask_email` mask a
value known to be one; `is_masked(text)` tells whether a text holds a mask these made
(`[redacted]`, `w***@example.com`, `+86 *** **** **01`), so `kacard import` never writes
one back into a card. The card's `address` field is the account's business address
and is not personal. Sources: GB 11643-1999 (resident ID number), MIIT numbering plan
(mobile 1[3-9]x, landline 0 + area code), PIPL art. 28 (sensitive personal information).
"""

from __future__ import annotations

import re
from typing import TypeVar

T = TypeVar("T")

REDACTED = "[redacted]"

_SEP = r"[ \-.\u00a0]?"
_ID_RE = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5} ?(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]) ?\d{3}[0-9Xx](?![0-9A-Za-z])"
)
_PHONE_RE = re.compile(
    r"(?<![\d*])(?:"
    # international: +cc or 00cc, an optional (area), then 6 to 14 more digits in groups
    r"(?:\+|\b00)\d{1,3}" + _SEP + r"(?:\(\d{1,4}\)" + _SEP + r")?\d(?:[ \-.\u00a0]?\d){5,13}"
    # Chinese mobile, optionally with its first group in brackets
    r"|(?:\(1[3-9]\d\)|1[3-9]\d)" + _SEP + r"\d{4}" + _SEP + r"\d{4}"
    # landline: area code 0xx(x), optionally bracketed, then 7 or 8 digits
    r"|(?:\(0\d{2,3}\)|0\d{2,3})" + _SEP + r"\d{3,4}" + _SEP + r"\d{4}"
    r")(?:\s?(?:-|转|ext\.?|x)\s?\d{1,5})?(?!\d)",
    re.IGNORECASE,
)
_EMAIL_RE = re.compile(r"([\w.%+\-])[\w.%+\-]*[@＠]((?:[\w\-]+\.)+[\w\-]{2,})")
_WECHAT_RE = re.compile(
    r"\bwxid_[0-9a-z_\-]{4,}"
    r"|((?:微信号?|wechat(?:\s*id)?|weixin|\bvx|\bwx|v信)\s*(?:号|id)?\s*[:：]?\s*)([A-Za-z][\w\-]{4,19})",
    re.IGNORECASE,
)
# An identifier named by its label: ID card (15 or 18 characters), passport, bank card or
# account numbers, whatever their form.
_LABELLED_RE = re.compile(
    r"((?:身份证|证件|护照|passport|id card|银行卡|卡号|账号|帐号|account)\s*(?:号码?|no\.?|number|#)?\s*[:：]?\s*)"
    r"([A-Za-z]{0,2}[0-9][0-9 \-]{4,24}[0-9Xx])",
    re.IGNORECASE,
)
_QQ_RE = re.compile(r"((?:\bQQ|扣扣)\s*(?:号码?)?\s*[:：]?\s*)(\d{5,11})(?!\d)", re.IGNORECASE)
_HOME_RE = re.compile(
    r"((?:家住|住在|家在|现住|住址|家庭住址|家庭地址|home address|lives at)\s*(?:是|为|in|at)?\s*[:：]?\s*)"
    r"([^，。；;,.\n]+)",
    re.IGNORECASE,
)
_UNIT_RE = re.compile(r"\d+\s*(?:幢|栋|号楼|座)\s*\d+\s*(?:单元)\s*\d+\s*(?:室|号)?|\d+\s*(?:幢|栋|号楼)\s*\d+\s*室")


def mask_phone(phone: str) -> str:
    """`+86 138 0000 0001` → `+86 *** **** **01`: the country code and the last two
    digits stay, every other digit becomes `*` (brackets and spaces stay)."""
    prefix, body = "", phone
    match = re.match(r"^\s*((?:\+|00)\d{1,3})(?=[ \-.(\u00a0])", phone)
    if match:
        prefix, body = match.group(0), phone[match.end():]
    digits = sum(ch.isdigit() for ch in body)
    keep = 2 if digits >= 6 else 0
    seen = 0
    out = []
    for ch in body:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > digits - keep else "*")
        else:
            out.append(ch)
    return prefix + "".join(out)


def mask_email(email: str) -> str:
    """`wang.jg@example.com` → `w***@example.com`; anything not an address → [redacted]."""
    match = _EMAIL_RE.fullmatch(email.strip())
    return f"{match.group(1)}***@{match.group(2)}" if match else REDACTED


def scrub(text: str) -> str:
    """Free text with every identifier above masked (ID numbers first, so their digits
    are not read as phones). Text without any stays the same object."""
    if not text or not any(ch.isdigit() or ch in "@＠" for ch in text) and not _labelled(text):
        return text
    text = text.translate(_FULL_WIDTH)  # ｑｑ１２３４５ typed with a Chinese IME: as ASCII
    text = _ID_RE.sub(REDACTED, text)
    text = _LABELLED_RE.sub(lambda m: m.group(1) + REDACTED, text)
    text = _EMAIL_RE.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)
    text = _WECHAT_RE.sub(lambda m: (m.group(1) + REDACTED) if m.group(1) is not None else REDACTED, text)
    text = _QQ_RE.sub(lambda m: m.group(1) + REDACTED, text)
    text = _HOME_RE.sub(lambda m: m.group(1) + REDACTED, text)
    text = _UNIT_RE.sub(REDACTED, text)
    return _PHONE_RE.sub(lambda m: mask_phone(m.group(0)), text)


_LABELS = re.compile(r"微信|wechat|weixin|vx|wx|v信|qq|扣扣|家住|住在|家在|现住|住址|家庭|home address|lives at",
                     re.IGNORECASE)
# Full-width digits, letters, @ and + as their ASCII forms (full-width punctuation stays).
_FULL_WIDTH = {code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B),
                                                *range(0xFF41, 0xFF5B), 0xFF20, 0xFF0B)}


def _labelled(text: str) -> bool:
    return _LABELS.search(text) is not None


def handles(text: str) -> list[str]:
    """The e-mail addresses and WeChat/QQ ids in `text`, lowercase, in order (what
    `kacard find` matches a contact by without ever showing it). A text that is one bare
    id-like word (`jinjg_1975`, `wxid_ab12cd`) is not found here: it has no label."""
    text = text.translate(_FULL_WIDTH).replace("＠", "@")
    found = [m.group(0).lower() for m in _EMAIL_RE.finditer(text)]
    for m in _WECHAT_RE.finditer(text):
        found.append((m.group(2) if m.group(1) is not None else m.group(0)).lower())
    found += [m.group(2) for m in _QQ_RE.finditer(text)]
    return list(dict.fromkeys(found))


# What the masks above leave behind: `[redacted]`, an e-mail's first character then `***@`,
# and a phone whose digits became `*` (at least four: a phone has six or more digits and
# keeps two; grouped by spaces, dashes, dots or brackets), then at most its last two digits.
_MASK_RE = re.compile(
    re.escape(REDACTED)
    + r"|[\w.%+\-]\*{3}@"
    + r"|(?<!\*)\(?\*+(?:[ \-.()\u00a0]*\*+)*[ \-.()\u00a0]*(?:-|转|ext\.?|x)?\s?\d{0,5}(?!\d)"
)


def is_masked(text: str) -> bool:
    """Whether `text` holds a mask this module made (`scrub`, `mask_phone`, `mask_email`):
    for every text t, `is_masked(scrub(t))` when `scrub(t) != t`. A run of fewer than four
    `*` is not a phone mask (`A**` is a rating someone wrote)."""
    if "*" not in text and REDACTED not in text:
        return False
    return any(m.group(0).count("*") >= 4 or "*" not in m.group(0) or "@" in m.group(0)
               for m in _MASK_RE.finditer(text))


def scrub_data(value: T) -> T:
    """`scrub` over every string in plain data (dicts, lists, tuples); keys too. The same
    shape comes back (a new dict, list or tuple where there were strings inside)."""
    if isinstance(value, str):
        return scrub(value)  # type: ignore[return-value]
    if isinstance(value, dict):
        return {scrub(k) if isinstance(k, str) else k: scrub_data(v)  # type: ignore[return-value]
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(scrub_data(v) for v in value)  # type: ignore[return-value]
    return value
