"""Writers for every list kacard prints: table (rich on a terminal, plain otherwise),
json (the SPEC §8 contract), csv. Messages go to stderr, data to stdout.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kacard.text import clean, pad, truncate, width


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    right: bool = False
    max_width: int | None = None


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
    return json.dumps(to_jsonable(document), ensure_ascii=False, indent=2)


def _money(value: Decimal) -> str:
    return f"{value:,.0f}"


def _sequence(value: list[Any] | tuple[Any, ...]) -> str:
    return ", ".join(clean(v) for v in value)


# How each type of value is shown in a table cell (looked up by exact type: fast).
_CELL: dict[type, Any] = {
    str: clean,
    type(None): lambda value: "",
    bool: lambda value: "yes" if value else "no",
    int: lambda value: f"{value:,}",
    Decimal: _money,
    float: lambda value: f"{value:.1f}",
    dt.date: lambda value: value.isoformat(),
    list: _sequence,
    tuple: _sequence,
}


def fmt_cell(value: Any) -> str:
    show = _CELL.get(type(value))
    if show is None:  # a subclass (datetime, an enum ...): the first matching kind
        show = next((f for kind, f in _CELL.items() if isinstance(value, kind)), clean)
    return str(show(value))


def is_terminal() -> bool:
    return sys.stdout.isatty()


def print_table(rows: Sequence[dict[str, Any]], columns: Sequence[Column], title: str | None = None) -> None:
    """A table: rich on a terminal (colour unless NO_COLOR), aligned plain text otherwise."""
    texts = [_column_texts([row.get(c.key) for row in rows], c.max_width) for c in columns]
    if is_terminal():
        _print_rich([list(line) for line in zip(*texts, strict=True)], columns, title)
        return
    out = []
    if title:
        out.append(clean(title))
    padded = []
    for c, column in zip(columns, texts, strict=True):
        if all(map(str.isascii, column)):  # one cell per character: str's own padding
            cells = max([width(c.header), *map(len, column)])
            fit = str.rjust if c.right else str.ljust
            padded.append([pad(c.header, cells, c.right), *(fit(v, cells) for v in column)])
            continue
        sizes = list(map(width, column))
        cells = max([width(c.header), *sizes])
        gaps = [" " * (cells - n) for n in sizes]
        body = (g + v for v, g in zip(column, gaps, strict=True)) if c.right else map(str.__add__, column, gaps)
        padded.append([pad(c.header, cells, c.right), *body])
    out.extend("  ".join(line).rstrip() for line in zip(*padded, strict=True))
    sys.stdout.write("\n".join(out) + "\n")


def _column_texts(values: list[Any], max_width: int | None) -> list[str]:
    """A column's cells as text (fmt_cell), cut to max_width cells."""
    texts = list(map(clean, values)) if set(map(type, values)) == {str} else list(map(fmt_cell, values))
    if max_width:
        texts = [truncate(v, max_width) for v in texts]
    return texts


def _print_rich(cells: list[list[str]], columns: Sequence[Column], title: str | None) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title) if title else None, box=box.SIMPLE_HEAD, title_justify="left")
    for column in columns:
        table.add_column(Text(column.header), justify="right" if column.right else "left")
    for line in cells:
        table.add_row(*(Text(v) for v in line))
    Console(no_color=bool(os.environ.get("NO_COLOR")) or None, soft_wrap=False).print(table)


def print_csv(rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow([c.key for c in columns])
    for row in rows:
        writer.writerow([_csv_value(row.get(c.key)) for c in columns])


def _csv_value(value: Any) -> Any:
    value = to_jsonable(value)
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and not _numberish(value):
        return "'" + value  # no spreadsheet formula injection from card text
    return "" if value is None else value


def _numberish(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


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


def note(message: str) -> None:
    """A message for the human (stderr), never mixed into machine output."""
    sys.stderr.write(message.rstrip("\n") + "\n")
