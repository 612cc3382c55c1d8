"""One sanitiser per output format, applied where text leaves kacard.

Card text is written by teammates and read by everyone, so nothing in it may act on
the reader's terminal, spreadsheet, browser or picture viewer:

* **terminal** (`terminal_text`, and `SafeStream` around stdout and stderr, installed
  by the CLI's error boundary): escape sequences (CSI, OSC — title changes, OSC 52
  clipboard writes —, DCS, 8-bit C1 forms) are removed whole, other C0/C1 controls,
  DEL, a bare carriage return and the bidi overrides (U+202A–E, U+2066–9, "Trojan
  source") are removed; tab, newline and CRLF stay. Everything kacard prints for
  people goes through it: tables, briefs, keys, folder names, owners, error messages,
  a routing server's words. kacard's own styling (a bold header, clearing the
  progress line) is written with `write_raw`.
* **CSV** (`csv_cell`): every cell after it is built (lists joined first), following
  OWASP's CSV-injection advice and thephpleague/csv's formula escaping: a cell
  starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'` unless it
  is a plain number; control characters are dropped; line breaks become `\\n`, so the
  writer quotes the field and a row never splits.
* **Markdown** (`markdown_text`): one line, control characters dropped, and every
  character that can open inline markup backslash-escaped (CommonMark §2.4 backslash
  escapes, §6.6 raw HTML, §6.3 links): no raw HTML, no links, no `javascript:`.
* **HTML** (`html_text`): markupsafe-style escaping of `& < > " '` after the terminal
  rules (controls are invalid in HTML too).
* **XML / SVG** (`xml_text`, `xml_attr`): the characters XML 1.0 forbids (C0 but tab,
  newline, CR; U+FFFE/FFFF; lone surrogates) removed, then escaped.
* **JSON** (`json_text`): the json module escapes C0; C1, DEL and the bidi controls are
  escaped too (`\\u009b`), so a JSON document printed on a terminal is inert and its
  data unchanged.
"""

from __future__ import annotations

import re
from typing import Any, TextIO

from kacard.text import CONTROL_RE, SEQUENCE_RE, UNSAFE_RE, strip_controls, width, wrap_line

__all__ = [
    "SafeStream", "csv_cell", "html_text", "json_text", "markdown_text", "sheet_text", "terminal_text",
    "xml_attr", "xml_text",
]


def terminal_text(text: str) -> str:
    """`text` with escape sequences and control characters removed (tab, newline, CRLF kept)."""
    if CONTROL_RE.search(text) is None:
        return text
    return strip_controls(SEQUENCE_RE.sub("", text), keep_newlines=True)


class SafeStream:
    """A text stream that passes everything written through `terminal_text`.

    Wraps sys.stdout / sys.stderr for the length of a command (cli/app.py), so every
    writer — typer.echo, sys.stdout.write, notes, the error boundary — is covered in
    one place. `write_raw` is for kacard's own escape sequences only.

    With `columns` (the stream is a terminal that wide) every whole line wider than the
    terminal is wrapped by kacard.text.wrap_line — prose (card notes, review lines,
    hints, explanations, warnings) breaks between Chinese characters or at spaces, never
    inside a word, number, date, id or URL, with a hanging indent, instead of where the
    terminal happens to cut it. Tables are already fitted, so they pass as they are; a
    pipe or a file (columns None) gets every line unchanged."""

    def __init__(self, stream: TextIO, columns: int | None = None) -> None:
        self._stream = stream
        self._columns = columns
        self._pending = ""  # on a terminal: the line being written, until its end or a flush
        self._column = 0  # cells of a line's start already flushed (prompts, echo without nl)

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError("SafeStream takes text")  # click probes with b"" to tell binary from text
        if self._columns is None:
            self._stream.write(terminal_text(text))
            return len(text)
        self._pending += terminal_text(text)
        done, end, self._pending = self._pending.rpartition("\n")
        if end:
            self._stream.write(self._wrapped(done) + "\n")
        return len(text)

    def _wrapped(self, text: str) -> str:
        cells = self._columns or 80
        out = []
        for k, line in enumerate(text.split("\n")):
            if (k or not self._column) and not (line.isascii() and len(line) <= cells):
                out.extend(wrap_line(line, cells))
            else:
                out.append(line)
        self._column = 0
        return "\n".join(out)

    def flush(self) -> None:
        if self._pending:  # a prompt, or text written without its line end: shown now
            self._stream.write(self._pending)
            self._column += width(self._pending)
            self._pending = ""
        self._stream.flush()

    def write_raw(self, text: str) -> int:
        self.flush()
        if text.endswith(("\n", "\x1b[K")):
            self._column = 0
        return self._stream.write(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    @property
    def wrapped(self) -> TextIO:
        return self._stream

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding, errors, buffer ...
        return getattr(self._stream, name)


def write_raw(stream: Any, text: str) -> None:
    """Write kacard's own control text (styling) past a SafeStream; plain streams as usual."""
    raw = getattr(stream, "write_raw", None)
    (raw or stream.write)(text)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def _numberish(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return value.strip() == value and value.lower().lstrip("+-") not in ("inf", "infinity", "nan")


def csv_cell(value: str) -> str:
    """A CSV cell that a spreadsheet shows as text: never a formula, never a split row.
    Controls go first, then the formula guard looks at what is left (a cell `\\b=1+1`
    would otherwise start with `=` once the backspace is gone)."""
    if UNSAFE_RE.search(value) is not None:
        value = strip_controls(SEQUENCE_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n")),
                               keep_newlines=True)
    if value[:1] in _FORMULA_START and not _numberish(value):
        value = "'" + value
    return value


# CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that can
# start markup inline: code, emphasis, raw HTML and autolinks, entities, table cells,
# strikethrough, and the `](` / `][` / `]:` that make a link, an image or a reference
# (a lone `[redacted]` stays readable). `_` only at a word's edge (GFM: intraword `_` is text).
_MARKDOWN_SPECIAL = re.compile(r"[\\`*<>|~]|\](?=[(\[:])|&(?=#?\w+;)|(?<!\w)_|_(?!\w)")


def markdown_text(value: str) -> str:
    """Card text as inert Markdown on one line: controls dropped, line breaks as spaces,
    every character that could open markup backslash-escaped (`\\<script>`, `\\[x\\](…)`):
    no raw HTML, no links or images, no `javascript:` targets; it still reads as text."""
    text = terminal_text(value).replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return _MARKDOWN_SPECIAL.sub(lambda m: "\\" + m.group(), text)


# html.escape's table, without importing the html package (its entity tables cost start-up)
_HTML_QUOTED = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})
_HTML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def html_text(value: str) -> str:
    """Card text for HTML: controls dropped, `& < > " '` escaped."""
    return terminal_text(value).translate(_HTML_QUOTED)


_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def xml_text(value: str) -> str:
    """Text for an XML/SVG element: characters XML 1.0 forbids removed, `& < >` escaped."""
    return _XML_FORBIDDEN.sub("", SEQUENCE_RE.sub("", value)).translate(_HTML_TEXT)


def sheet_text(value: str) -> str:
    """Text for a spreadsheet cell stored as a string (xlsx): the characters XML forbids
    removed (openpyxl refuses them), escape sequences too; it is never a formula, since
    the cell's type is text (render.xlsx)."""
    return _XML_FORBIDDEN.sub("", SEQUENCE_RE.sub("", value))


def xml_attr(value: str) -> str:
    """A quoted XML attribute value (double quotes included)."""
    return '"' + _XML_FORBIDDEN.sub("", SEQUENCE_RE.sub("", value)).translate(_HTML_QUOTED) + '"'


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def json_text(document: str) -> str:
    """A JSON document (json.dumps, ensure_ascii=False) with C1, DEL, bidi and line
    separator characters written as \\uXXXX escapes: same data, inert on a terminal."""
    if _JSON_UNSAFE.search(document) is None:
        return document
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", document)
