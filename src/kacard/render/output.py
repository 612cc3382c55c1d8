"""Writers for every list kacard prints: table (fitted to the terminal, plain
otherwise), json (the SPEC §8 contract), csv. Messages go to stderr, data to stdout.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, TextIO

from kacard import i18n
from kacard.i18n import _, label, localize
from kacard.render.safe import csv_cell, json_text, write_raw
from kacard.text import clean, pad, truncate, width, wrap


@dataclass(frozen=True)
class Column:
    """One table column. `max_width` marks free text (cut to it off a terminal; on a
    terminal it may use a third of a wide window). When a table does not fit a terminal,
    columns are left off by `drop`, lowest first (ties: rightmost first), before any is
    narrowed below its `least` width (free text; default NARROWEST). `role` "name": the
    words people read (an account's or a person's name): never left off, never narrower
    than its share (name_share); "id": a card id people copy: whole, unless the name's
    share or a column that cannot be left off (drop >= ESSENTIAL) needs the room, then
    cut to a prefix no other row's id starts with, ending in "…" (unique_cut; every
    command taking an id reads "hz-hengch…" as that prefix)."""

    key: str
    header: str
    right: bool = False
    max_width: int | None = None
    labels: str | None = None  # the enum whose values the cells hold (shown by i18n.label)
    context: str | None = None  # the header's msgid context, when the same word means two things
    drop: int = 100
    least: int | None = None
    role: str | None = None  # "name" or "id" (see above)


def to_jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def dumps_json(document: Any) -> str:
    """The JSON text of a document (render.safe.json_text: C1 and bidi controls escaped)."""
    return json_text(json.dumps(to_jsonable(document), ensure_ascii=False, indent=2))


def _money(value: Decimal) -> str:
    if i18n.language() == "en":
        return f"{value:,.0f}"
    from kacard.i18n.formats import money

    return money(value)


def _sequence(value: list[Any] | tuple[Any, ...]) -> str:
    return ", ".join(clean(v) for v in value)


# How each type of value is shown in a table cell (looked up by exact type: fast).
_CELL: dict[type, Any] = {
    str: clean,
    type(None): lambda value: "",
    bool: lambda value: _("yes") if value else _("no"),
    int: lambda value: f"{value:,}",
    Decimal: _money,
    float: lambda value: f"{value:.1f}",
    dt.date: localize,
    i18n.Message: lambda value: clean(localize(value)),
    list: _sequence,
    tuple: _sequence,
}


def with_currency(amount: str, currency: str) -> str:
    """`555,500 CNY` in English; `55.55万元` in Chinese (元 for CNY, else the code)."""
    unit = label("currency", currency)
    return f"{amount}{unit}" if i18n.language() != "en" and unit != currency else f"{amount} {currency}"


def fmt_cell(value: Any) -> str:
    show = _CELL.get(type(value))
    if show is None:  # a subclass (datetime, an enum ...): the first matching kind
        show = next((f for kind, f in _CELL.items() if isinstance(value, kind)), clean)
    return str(show(value))


def is_terminal() -> bool:
    return sys.stdout.isatty()


def terminal_width() -> int | None:
    """The terminal's width in cells when stdout is one (tables are fitted to it), else None."""
    return shutil.get_terminal_size().columns if is_terminal() else None


NARROWEST = 8  # free text is never narrowed, nor headers cut, below this many cells
ID_LEAST = 12  # a cut id keeps at least this many cells (with its "…")
ESSENTIAL = 100  # the default `drop`: a column a table is about; ids are cut before it is left off


def name_share(limit: int) -> int:
    """The cells a name column keeps on a terminal `limit` cells wide: a quarter of it,
    at least 16 (eight Chinese characters: "杭州北辰食品有限" reads as the company)."""
    return max(16, limit // 4)


_FOLDER_IDS: set[str] = set()  # every card id the run's folder has (folder_ids): cut ids are unique among these too


def folder_ids(ids: Iterable[str]) -> None:
    """Tell the table writer the ids of the run's folder (cli.common.Run.load): an id cut
    to fit a terminal must be a prefix of no other card's id, shown or not, so that
    `kacard show hz-hengch…` names the same card the table meant."""
    _FOLDER_IDS.update(ids)


def unique_cut(ids: Sequence[str]) -> int:
    """The fewest cells (at least ID_LEAST, at most the widest id) to which every id of
    `ids` can be cut — its first cells and "…" — while no other id starts with what is
    left: cut ids stay unique and each is a prefix that names its row's card. An id that
    starts another (hz-a, hz-ab) is kept whole. The other ids of the folder count too
    (folder_ids). A binary search over the width (a wider cut is never less unique),
    each step counting prefixes: about 30 ms for 10,000 ids, on a terminal only."""
    shown = set(ids)
    widest = max(map(width, shown), default=0)
    every = shown | _FOLDER_IDS
    lo, hi = min(ID_LEAST, widest), widest
    while lo < hi:
        mid = (lo + hi) // 2
        if _cuts_apart(shown, every, mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def _cuts_apart(shown: set[str], every: set[str], cells: int) -> bool:
    """Whether each id of `shown` cut to `cells` (truncate) is a prefix of no other id."""
    cut = []  # what is left of each id that is cut (without its "…")
    for i in shown:
        if i.isascii():
            if len(i) > cells:
                cut.append(i[:cells - 1])
        elif (t := truncate(i, cells)) != i:
            cut.append(t[:-1])
    for size in {len(p) for p in cut}:
        counts = Counter(i[:size] for i in every if len(i) >= size)
        if any(counts[p] > 1 for p in cut if len(p) == size):
            return False
    return True


def print_table(rows: Sequence[dict[str, Any]], columns: Sequence[Column], title: str | None = None) -> None:
    """Columns aligned in display cells (CJK characters take two); see table_lines.
    On a terminal the header is bold (not with NO_COLOR or TERM=dumb), the table fits the
    terminal's width, and columns left off are named in a note on stderr."""
    if not rows:  # a header over nothing reads as a fault: the title, then say so
        write_lines([*([title] if title else []), _("(none)")])
        return
    limit = terminal_width()
    styled = limit is not None and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    lines, left_off = table_lines(rows, columns, title, limit=limit, styled=styled)
    write_lines(lines)
    if left_off:
        sys.stdout.flush()
        note(_("not shown, the terminal is {limit} columns wide: {columns} (--format json has every column)").format(
            limit=limit, columns=_(", ").join(c.header for c in left_off)))


def write_lines(lines: list[str]) -> None:
    """A table's lines to stdout: its styled header (kacard's own bold, from table_lines)
    past the terminal sanitiser, every other line through it (render.safe.SafeStream)."""
    for line in lines:
        if line.startswith(BOLD):
            sys.stdout.flush()
            write_raw(sys.stdout, line + "\n")
        else:
            sys.stdout.write(line + "\n")


BOLD, PLAIN = "\x1b[1m", "\x1b[0m"


def table_lines(rows: Sequence[dict[str, Any]], columns: Sequence[Column], title: str | None = None, *,
                limit: int | None = None, styled: bool = False) -> tuple[list[str], list[Column]]:
    """The table's lines, and the columns left off to fit `limit` cells (None: no limit).

    Headers and the cells of enum columns (`labels`) are shown in the run's language.
    With a limit (a terminal) the header is underlined by a rule, free text may use up to
    a third of the width (at least its max_width), and when the table is too wide: a
    column whose value is the same on every row moves into the title ("region: 华东/杭州"),
    then `_fit` leaves columns off by their `drop` order (never a name, which keeps its
    share) and narrows free text, wrapped onto up to three lines (text.wrap), then cuts
    long headers, then — only for a name's share or an ESSENTIAL column — ids to a
    unique prefix ending in "…" (unique_cut). Numbers and dates are never cut. Built column by column in plain strings: 10,000 rows take about 0.1 s."""
    english = i18n.language() == "en"
    columns = [c if english else replace(c, header=i18n.pgettext(c.context, c.header) if c.context else _(c.header))
               for c in columns]
    cap = (lambda c: max(c.max_width, limit // 3) if c.max_width else None) if limit else (lambda c: c.max_width)
    laid = [_column([row.get(c.key) if not c.labels else i18n.label(c.labels, row.get(c.key))
                     for row in rows], None if limit and c.role == "name" else cap(c)) for c in columns]
    texts = [column for column, _ in laid]
    sizes = [n for _, n in laid]
    body = [max(map(len, column) if n is None else n, default=0) for column, n in zip(texts, sizes, strict=True)]
    if limit:  # a name on a terminal is wrapped within its column, not cut to it
        body = [min(n, max(c.max_width, limit // 3)) if c.role == "name" and c.max_width else n
                for n, c in zip(body, columns, strict=True)]
    cells = [max(n, width(c.header)) for n, c in zip(body, columns, strict=True)]
    shown = list(range(len(columns)))
    further: dict[int, dict[int, list[str]]] = {}
    left_off: list[Column] = []
    if limit is not None:
        if sum(cells) + 2 * (len(cells) - 1) > limit and len(rows) > 1:
            same = [i for i in shown[1:] if texts[i][0] and texts[i].count(texts[i][0]) == len(rows)]
            if same:
                facts = _(", ").join(_("{header}: {value}").format(header=columns[i].header, value=texts[i][0])
                                     for i in same)
                title = _("{title} ({facts})").format(title=clean(title), facts=facts) if title else facts
                shown = [i for i in shown if i not in same]
        cuts = [unique_cut(texts[i]) if columns[i].role == "id" else None for i in shown]
        fitted = _fit([body[i] for i in shown], [columns[i] for i in shown], limit, cuts)
        left_off = [columns[i] for i, n in zip(shown, fitted, strict=True) if n is None]
        kept = [(i, n) for i, n in zip(shown, fitted, strict=True) if n is not None]
        shown = [i for i, _ in kept]
        texts, sizes, body = [texts[i] for i in shown], [sizes[i] for i in shown], [body[i] for i in shown]
        cells = [n for _, n in kept]
        for k, i in enumerate(shown):  # ids cut to their unique prefix, never wrapped
            if columns[i].role == "id" and cells[k] < body[k]:
                n = cells[k]
                texts[k] = ([v if len(v) <= n else v[:n - 1] + "…" for v in texts[k]] if sizes[k] is None
                            else [truncate(v, n) for v in texts[k]])
                sizes[k] = None if sizes[k] is None else [width(v) for v in texts[k]]
                body[k] = cells[k]
        further = _wrap(texts, sizes, cells, body)
    else:
        texts, sizes = [texts[i] for i in shown], [sizes[i] for i in shown]
    columns = [columns[i] for i in shown]
    header = "  ".join(pad(truncate(c.header, n), n, c.right) for c, n in zip(columns, cells, strict=True))
    out = [clean(title)] if title else []
    out.append(f"{BOLD}{clean(header.rstrip())}{PLAIN}" if styled else header.rstrip())
    if limit is not None:
        out.append("  ".join("─" * n for n in cells))
    padded = [_padded(texts[i], n, sizes[i], c.right) for i, (c, n) in enumerate(zip(columns, cells, strict=True))]
    blanks = [" " * n for n in cells]
    for row, line in enumerate(zip(*padded, strict=True)):
        out.append("  ".join(line).rstrip())
        if row in further:  # the lines of its wrapped cells after their first
            more = further[row]
            for k in range(max(map(len, more.values()))):
                parts = list(blanks)
                for i, lines in more.items():
                    if k < len(lines):
                        parts[i] = pad(lines[k], cells[i], columns[i].right)
                out.append("  ".join(parts).rstrip())
    return out, left_off


def _wrap(texts: list[list[str]], sizes: list[list[int] | None], fitted: list[int], body: list[int]
          ) -> dict[int, dict[int, list[str]]]:
    """Wrap the cells wider than their fitted column (text.wrap): each keeps its first
    line in place (`texts` and `sizes` are updated); the lines after it are returned by
    row, then by column."""
    further: dict[int, dict[int, list[str]]] = {}
    for i, cut in enumerate(fitted):
        if cut >= body[i]:  # its cells fit (only a long header is cut)
            continue
        column, known = texts[i], sizes[i]
        widths = list(map(len, column)) if known is None else list(known)
        for row, n in enumerate(widths):
            if n > cut:
                lines = wrap(column[row], cut)
                column[row], widths[row] = lines[0], width(lines[0])
                if len(lines) > 1:
                    further.setdefault(row, {})[i] = lines[1:]
        sizes[i] = widths
    return further


def _padded(column: list[str], cells: int, sizes: list[int] | None, right: bool) -> Iterable[str]:
    """A column's cells padded to `cells` display cells; `sizes` are their widths (None: ASCII)."""
    if sizes is None:  # one cell per character: str's own padding
        fit = str.rjust if right else str.ljust
        return (fit(v, cells) for v in column)
    gaps = [" " * (cells - n) for n in sizes]
    return (g + v for v, g in zip(column, gaps, strict=True)) if right else map(str.__add__, column, gaps)


def _fit(body: list[int], columns: Sequence[Column], limit: int, cuts: Sequence[int | None] | None = None
         ) -> list[int | None]:
    """Widths that fit `limit` cells (two between columns), from each column's widest
    cell (`body`) and its header; None for a column left off. `cuts`: for an id column,
    the cells its ids may be cut to (unique_cut), else None.

    Each column has a narrowest width: free text its `least` (NARROWEST unless set), a
    name its share (name_share), an id its whole width, other columns their cells (only
    headers may be cut, to NARROWEST). While the narrowest widths do not fit, columns are
    left off by `drop`, lowest first, ties rightmost first (the first column and names
    always stay) — but before a column of ESSENTIAL rank goes, ids may be cut. Then cells
    are given back one at a time: free text first (the column with the most to spare),
    then headers, then ids, until the rest fits."""
    cells = [max(n, width(c.header)) for n, c in zip(body, columns, strict=True)]
    share = name_share(limit)
    least = [min(n, share) if c.role == "name" else min(n, c.least or NARROWEST) if c.max_width
             else max(b, min(n, NARROWEST)) for n, b, c in zip(cells, body, columns, strict=True)]
    cuts = cuts or [None] * len(cells)
    kept = list(range(len(cells)))
    order = sorted((k for k in kept[1:] if columns[k].role != "name"), key=lambda k: (columns[k].drop, -k))

    def need() -> int:
        return sum(least[k] for k in kept) + 2 * (len(kept) - 1)

    while len(kept) > 1 and need() > limit:
        shorter = {k: cut for k in kept if (cut := cuts[k]) is not None and cut < least[k]}
        if shorter and (not order or columns[order[0]].drop >= ESSENTIAL):
            for k, cut in shorter.items():
                least[k] = cut
            continue
        if not order:
            break
        kept.remove(order.pop(0))
    fitted: list[int | None] = [cells[k] if k in kept else None for k in range(len(cells))]

    def rank(k: int) -> tuple[int, int]:
        spare = fitted[k] - least[k]  # type: ignore[operator]
        if spare <= 0:
            return (0, 0)
        return (3 if columns[k].max_width or columns[k].role == "name" else 1 if cuts[k] is not None else 2, spare)

    excess = sum(cells[k] for k in kept) + 2 * (len(kept) - 1) - limit
    while excess > 0:
        i = max(kept, key=rank)
        if rank(i)[0] == 0:
            break
        fitted[i] -= 1  # type: ignore[operator]
        excess -= 1
    return fitted


def _column(values: list[Any], max_width: int | None) -> tuple[list[str], list[int] | None]:
    """A column's cells as text (fmt_cell), cut to max_width cells, and their widths
    (None when every cell is ASCII: one cell per character)."""
    texts = list(map(clean, values)) if set(map(type, values)) == {str} else list(map(fmt_cell, values))
    if all(map(str.isascii, texts)):
        if max_width:  # a cut cell ends in "…": still one cell per character
            texts = [v if len(v) <= max_width else truncate(v, max_width) for v in texts]
        return texts, None
    sizes = list(map(width, texts))
    if max_width:
        for i, n in enumerate(sizes):
            if n > max_width:
                texts[i] = truncate(texts[i], max_width)
                sizes[i] = width(texts[i])
    return texts, sizes


def csv_text(rows: Sequence[dict[str, Any]], columns: Sequence[Column], *, bom: bool = False) -> str:
    """Rows as CSV (a header of column keys, `\\n` line ends). Every cell is built first
    (lists joined with `;`) and then guarded by render.safe.csv_cell: no formulas, no
    control characters, line breaks quoted. `bom` starts the text with a UTF-8 byte-order
    mark: Excel on a Chinese Windows PC reads a CSV file without one as GBK (mojibake);
    kacard adds it to CSV files it writes (-o), not to CSV on stdout (scripts)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_cell(c.key) for c in columns])
    for row in rows:
        writer.writerow([_csv_value(row.get(c.key)) for c in columns])
    return ("\ufeff" if bom else "") + buffer.getvalue()


def print_csv(rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> None:
    sys.stdout.write(csv_text(rows, columns))


def _csv_value(value: Any) -> str:
    value = to_jsonable(value)
    if isinstance(value, list):
        value = ";".join("" if v is None else str(v) for v in value)
    return "" if value is None else csv_cell(str(value))


def emit(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    fmt: str,
    *,
    title: str | None = None,
    document: Any = None,
) -> None:
    """Print rows as table/json/csv. `document` replaces rows for json when given."""
    if fmt == "json":
        sys.stdout.write(dumps_json(rows if document is None else document) + "\n")
    elif fmt == "csv":
        print_csv(rows, columns)
    else:
        print_table(rows, columns, title)


class Progress:
    """How far a long folder load is, on one line of stderr rewritten in place (the first
    run after a clone or an upgrade parses every card): from `after` seconds on, ten
    times a second at most, cleared when done. For terminals only: a log or a pipe gets
    no progress lines."""

    def __init__(self, stream: TextIO | None = None, after: float = 1.0,
                 clock: Callable[[], float] = time.monotonic, label: str = "reading cards") -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.label = label
        self.after = after
        self.clock = clock
        self.start = clock()
        self.written = float("-inf")
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if now - self.start < self.after or now - self.written < 0.1:  # ten lines a second at most
            return
        write_raw(self.stream, f"\r{self.label} {done:,}/{total:,}")
        self.stream.flush()
        self.written = now
        self.shown = True

    def close(self) -> None:
        if self.shown:
            write_raw(self.stream, "\r\x1b[K")  # back to the line's start, and clear it
            self.stream.flush()


def note(message: str) -> None:
    """A message for the human (stderr), never mixed into machine output."""
    sys.stderr.write(message.rstrip("\n") + "\n")
