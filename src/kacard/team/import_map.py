"""The import mapping: how one source's sheets become cards, kept in the card folder as
`import/<source>.yaml` and versioned with the cards (like an accounting tool's import
rules).

```yaml
version: 1
datum: gcj02                  # coordinates of lat/lon columns: wgs84 | gcj02 | bd09
owners: {小张: zhangwei}       # rep names as the sheets write them (team names work already)
defaults: {status: active}    # fields every new card gets
next_action: 按计划回访        # the action of a next visit date given without one
dates: ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"]
sheets:
  - sheet: 客户资料            # a sheet of FILE (name or number), or
    # file: 拜访记录.csv       # another file, next to FILE
    kind: cards               # cards | contacts | trades | visits
    header: [2, 3]            # header row(s), 1-based; two rows for merged group headings
    columns: {"基本信息/客户名称": name, "年销售额（万元）": {field: custom.annual_sales, scale: 10000}}
    values: {tier: {A类: A}, purchasing.centralized: {是: true}}
```

`build_map` writes a starting mapping by matching headers (`kacard import FILE
--init-map`); `template_map` is the ready mapping of the workbook `--template` writes.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from kacard.cards import yamlio
from kacard.cards.editing import CARD_KEYS
from kacard.cards.model.common import Strict
from kacard.errors import CardInvalid, Problem
from kacard.i18n import _
from kacard.team import import_read as read
from kacard.team.import_cells import DEFAULT_DATES
from kacard.team.import_fields import (
    KINDS,
    SHEET_WORDS,
    header_key,
    header_scale,
    match_header,
    target_of,
    value_words,
)

MAP_DIR = "import"
Kind = Literal["cards", "contacts", "trades", "visits"]


class ColumnMap(Strict):
    field: str
    scale: Decimal | None = Field(default=None, gt=0, description="Multiply amounts (10000 for 万元).")


class SheetMap(Strict):
    sheet: str | int | None = None
    file: str | None = None
    kind: Kind = "cards"
    header: int | list[int] = 1
    columns: dict[str, str | ColumnMap] = Field(default_factory=dict)
    values: dict[str, dict[str, Any]] = Field(default_factory=dict)

    def header_rows(self) -> range:
        rows = [self.header] if isinstance(self.header, int) else self.header
        return range(min(rows) - 1, max(rows))

    def column(self, label: str) -> ColumnMap | None:
        spec = self.columns.get(label)
        return ColumnMap(field=spec) if isinstance(spec, str) else spec


class ImportMap(Strict):
    version: int = Field(default=1, ge=1, le=1)
    source: str | None = None
    datum: Literal["wgs84", "gcj02", "bd09"] | None = None
    owners: dict[str, str] = Field(default_factory=dict)
    defaults: dict[str, Any] = Field(default_factory=lambda: {"status": "active"})
    next_action: str = "按计划回访"
    dates: list[str] = Field(default_factory=lambda: list(DEFAULT_DATES))
    sheets: list[SheetMap] = Field(default_factory=list)


def map_path(folder: Path, source: str) -> Path:
    """Where the mapping of `source` (a file's stem) is kept: import/<source>.yaml."""
    return folder / MAP_DIR / f"{source}.yaml"


def load_map(path: Path) -> ImportMap:
    """A mapping file; CardInvalid naming the file, line and field when it is wrong."""
    rel = path.name
    try:
        text = yamlio.decode(path.read_bytes())
        raw = yamlio.load_data(text)
    except yamlio.YamlProblem as exc:
        raise CardInvalid(_("{file} cannot be read").format(file=rel),
                          [Problem(rel, exc.line, exc.column, "", exc.message)]) from None
    try:
        mapping = ImportMap.model_validate(_string_keys(raw))
    except ValidationError as exc:
        root = yamlio.load_document(text).root
        problems = []
        for error in exc.errors(include_url=False, include_input=False):
            where = yamlio.locate(root, error["loc"])
            problems.append(Problem(rel, where[0] if where else None, where[1] if where else None,
                                    ".".join(map(str, error["loc"])), error["msg"]))
        raise CardInvalid(_("{file} is not a valid import mapping").format(file=rel), problems) from None
    problems = []
    for i, sheet in enumerate(mapping.sheets):
        for label, spec in sheet.columns.items():
            name = spec if isinstance(spec, str) else spec.field
            if target_of(sheet.kind, name) is None:
                problems.append(Problem(rel, None, None, f"sheets.{i}.columns.{label}",
                                        _("unknown field {name!r} for {kind} rows").format(name=name, kind=sheet.kind)))
    for key in mapping.defaults:
        if key not in CARD_KEYS and target_of("cards", key) is None:
            problems.append(Problem(rel, None, None, f"defaults.{key}",
                                    _("unknown field {name!r} for {kind} rows").format(name=key, kind="cards")))
    if problems:
        raise CardInvalid(_("{file} is not a valid import mapping").format(file=rel), problems)
    return mapping


def _string_keys(value: Any) -> Any:
    """Value-map keys as text: YAML reads `1:` or `是:` keys as numbers or text."""
    if isinstance(value, dict):
        return {("" if k is None else str(k)) if not isinstance(k, bool) else str(k).lower(): _string_keys(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_string_keys(v) for v in value]
    return value


# -- a starting mapping from the headers --------------------------------------------------


@dataclass
class Detected:
    """What build_map found in one sheet: the header labels, and those it could not map."""

    sheet: SheetMap | None
    name: str  # the sheet's name, or the file's for a CSV
    unmatched: list[str]


_SKIP_WORDS = ("opportunities", "signals", "handovers", "商机", "说明")


def detect_header(sheet: read.Sheet) -> list[int]:
    """1-based header rows: the row (of the first 20) naming most known fields, with the
    row above when that one holds group headings (two or more texts, some merged)."""
    best, best_count = None, 1
    for r, row in enumerate(sheet.cells[: read.MAX_HEADER_ROW]):
        count = sum(1 for v in row if isinstance(v, str) and any(match_header(k, v) for k in KINDS))
        if count > best_count:
            best, best_count = r, count
    if best is None:
        return [1]
    rows = [best + 1]
    above = best - 1
    if above >= 0:
        texts = [v for v in sheet.cells[above] if isinstance(v, str) and v.strip()]
        merged_above = any(top == above and right > left for (top, left), (_, right) in sheet.merged)
        if len(texts) >= 2 and merged_above:
            rows.insert(0, above + 1)
    return rows


def detect_sheet(sheet: read.Sheet, header: list[int], *, index: int | None = None) -> Detected:
    """The kind and columns of one sheet, by its name and its headers."""
    name = sheet.name or sheet.file
    rows = range(min(header) - 1, max(header))
    # a copy of the header rows: the caller's cells are filled when they are imported
    copy = read.Sheet(sheet.file, sheet.name, [list(r) for r in sheet.cells[: max(header)]], sheet.merged)
    read.fill_merged(copy, rows)
    labels = read.header_labels(copy, rows)
    lowered = header_key(name)
    if any(word in lowered for word in _SKIP_WORDS):
        return Detected(None, name, [label for label in labels if label])
    best: tuple[int, str] | None = None
    for kind in KINDS:
        matched = {match_header(kind, label) for label in labels if label} - {None, "ignore"}
        required = {t.name for t in _required(kind)}
        if not required <= matched:
            continue
        score = len(matched) + (3 if any(w in lowered for w in SHEET_WORDS[kind]) else 0)
        if best is None or score > best[0]:
            best = (score, kind)
    if best is None:
        return Detected(None, name, [label for label in labels if label])
    kind = best[1]
    columns: dict[str, str | ColumnMap] = {}
    values: dict[str, dict[str, Any]] = {}
    unmatched = []
    for label in labels:
        if not label:
            continue
        target = match_header(kind, label)
        if target is None:
            unmatched.append(label)
            continue
        if target in columns.values():  # a second column for the same field: left for the user
            unmatched.append(label)
            continue
        scale = header_scale(label)
        columns[label] = ColumnMap(field=target, scale=Decimal(scale)) if scale != 1 else target
        words = value_words(target_of(kind, target))  # type: ignore[arg-type]
        if words:
            values[target] = words
    header_value: int | list[int] = header[0] if len(header) == 1 else header
    return Detected(SheetMap(sheet=sheet.name, kind=kind, header=header_value, columns=columns,  # type: ignore[arg-type]
                             values=values), name, unmatched)


def _required(kind: str) -> list[Any]:
    from kacard.team.import_fields import TARGETS

    return [t for t in TARGETS[kind].values() if t.required]


def build_map(path: Path, extra: list[Path] = ()) -> tuple[ImportMap, list[Detected]]:  # type: ignore[assignment]
    """A starting mapping for a workbook (every sheet) or CSV file, and other files
    (CSV) imported with it; the sheets it could not place are in the Detected list."""
    found: list[Detected] = []
    sheets = []
    for file in (path, *extra):
        for index, name in enumerate(read.sheet_names(file)):
            sheet = read.read_sheet(file, name or None)
            item = detect_sheet(sheet, detect_header(sheet), index=index)
            found.append(item)
            if item.sheet is None:
                continue
            # another file than FILE is named relative to FILE's folder (as the mapping reads it)
            item.sheet.file = None if file == path else os.path.relpath(file, path.parent)
            sheets.append(item.sheet)
    return ImportMap(source=path.stem, sheets=sheets), found


# -- writing a mapping ----------------------------------------------------------------------


def _q(text: Any) -> str:
    return json.dumps(text, ensure_ascii=False) if isinstance(text, str) else json.dumps(text)


def map_text(mapping: ImportMap, detected: list[Detected] = ()) -> str:  # type: ignore[assignment]
    """A mapping as commented YAML (what --init-map and --template write)."""
    lines = [
        "# kacard import mapping (README: Importing). Edit it, then: kacard import FILE --map THIS --dry-run",
        "version: 1",
        f"source: {_q(mapping.source or '')}",
        "datum: " + (mapping.datum or "null") + "          # lat/lon columns: wgs84 | gcj02 | bd09",
        "owners: {}          # rep names as the sheets write them -> rep ids, e.g. {小张: zhangwei}",
        "defaults: {" + ", ".join(f"{k}: {_q(v)}" for k, v in (mapping.defaults or {"status": "active"}).items())
        + "}   # every new card gets these",
        f"next_action: {_q(mapping.next_action)}   # a next visit date without an action gets this one",
        "dates: [" + ", ".join(_q(d) for d in mapping.dates) + "]",
        "sheets:",
    ]
    unmatched = {id(d.sheet): d.unmatched for d in detected if d.sheet is not None}
    for sheet in mapping.sheets:
        if sheet.file is not None:
            lines.append(f"  - file: {_q(sheet.file)}")
            if sheet.sheet is not None:
                lines.append(f"    sheet: {_q(sheet.sheet)}")
        else:
            lines.append(f"  - sheet: {_q(sheet.sheet)}")
        lines.append(f"    kind: {sheet.kind}")
        lines.append(f"    header: {json.dumps(sheet.header)}")
        lines.append("    columns:")
        for label, spec in sheet.columns.items():
            if isinstance(spec, str):
                lines.append(f"      {_q(label)}: {spec}")
            else:
                lines.append(f"      {_q(label)}: {{field: {spec.field}, scale: {spec.scale}}}")
        for label in unmatched.get(id(sheet), []):
            lines.append(f"      # {_q(label)}: ?   (not recognised; give it a field or leave it out)")
        if sheet.values:
            lines.append("    values:")
            for target, words in sheet.values.items():
                pairs = ", ".join(f"{_q(k)}: {_q(v)}" for k, v in words.items())
                lines.append(f"      {target}: {{{pairs}}}")
    return "\n".join(lines) + "\n"


# -- the shipped template ---------------------------------------------------------------------

# (sheet, kind, group headings [(text, first column, last column)], headers) of the plain
# 客户资料卡 workbook `kacard import --template` writes; its mapping is template_map().
TEMPLATE: tuple[tuple[str, str, tuple[tuple[str, int, int], ...], tuple[str, ...]], ...] = (
    ("客户资料", "cards", (("基本信息", 0, 10), ("信用", 11, 14), ("联系人", 15, 17), ("拜访", 18, 20)),
     ("客户编号", "客户名称", "统一社会信用代码", "客户等级", "客户状态", "负责业务员", "行业", "区域", "地址",
      "纬度", "经度", "信用等级", "信用额度（元）", "账期（天）", "年销售额（万元）", "联系人", "职务", "电话",
      "最近拜访", "下次拜访", "下一步行动")),
    ("联系人", "contacts", (), ("客户名称", "姓名", "职务", "角色", "电话", "邮箱", "备注")),
    ("交易记录", "trades", (), ("客户名称", "开票日期", "发票号", "金额（元）", "毛利（元）", "回款日期")),
    ("拜访记录", "visits", (), ("客户名称", "拜访日期", "业务员", "拜访方式", "拜访对象", "拜访内容",
                               "下次拜访日期", "下一步行动")),
)
TEMPLATE_TITLE = "客户资料卡"


def template_map(source: str = TEMPLATE_TITLE) -> ImportMap:
    """The ready mapping of the template workbook (title in row 1; group headings in row 2
    and headers in row 3 on 客户资料, headers in row 2 on the other sheets)."""
    sheets = []
    for name, kind, groups, headers in TEMPLATE:
        labels = []
        for i, header in enumerate(headers):
            group = next((g for g, first, last in groups if first <= i <= last), None)
            labels.append(f"{group}/{header}" if group and group != header else header)
        columns: dict[str, str | ColumnMap] = {}
        values: dict[str, dict[str, Any]] = {}
        for label in labels:
            target = match_header(kind, label)
            assert target is not None, label  # the template's headers are all known
            scale = header_scale(label)
            columns[label] = ColumnMap(field=target, scale=Decimal(scale)) if scale != 1 else target
            words = value_words(target_of(kind, target))  # type: ignore[arg-type]
            if words:
                values[target] = words
        sheets.append(SheetMap(sheet=name, kind=kind, header=[2, 3] if groups else 2,  # type: ignore[arg-type]
                               columns=columns, values=values))
    return ImportMap(source=source, datum="gcj02", defaults={"status": "active"}, sheets=sheets)
