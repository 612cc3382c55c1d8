"""The import's report for people: what was read, each card created or changed (with its
diff on a dry run), the problems (stderr) and a summary line; or SPEC §9's JSON."""

from __future__ import annotations

import sys
from typing import Any

from kacard.i18n import _, ngettext
from kacard.render.output import dumps_json, note
from kacard.team.import_map import Detected
from kacard.team.importer import ImportResult, as_json, summary_counts
from kacard.text import clean


def sources_line(result: ImportResult) -> str:
    parts = []
    for s in result.sources:
        where = f"{s.file}!{s.sheet}" if s.sheet else s.file
        encoding = f", {s.encoding}" if s.encoding else ""
        parts.append(_("{where} ({count} {kind} rows{encoding})").format(
            where=where, count=s.rows, kind=s.kind, encoding=encoding))
    return _("read: ") + "; ".join(parts)


def print_import(result: ImportResult, fmt: str, mapping_note: str) -> None:
    """The report on stdout (problems on stderr; JSON alone on stdout with --format json)."""
    if fmt == "json":
        sys.stdout.write(dumps_json(as_json(result)) + "\n")
        return
    out = [sources_line(result), mapping_note]
    for change in result.changes:
        if change.action not in ("created", "updated"):
            continue
        label = _("would create") if not result.written and change.action == "created" else (
            _("would update") if not result.written else (_("created") if change.action == "created" else _("updated")))
        out.append(f"{label} {change.rel}")
        if result.dry_run:
            out.extend("    " + clean(line) for line in change.diff.rstrip("\n").split("\n"))
    sys.stdout.write("\n".join(out) + "\n")
    sys.stdout.flush()
    for problem in result.problems:
        note(clean(str(problem)))
    note(summary_line(result))


def summary_line(result: ImportResult) -> str:
    counts = summary_counts(result)
    line = _("{created} created, {updated} updated, {unchanged} unchanged, {problems} problem(s)").format(**counts)
    if result.dry_run:
        return line + _(" — dry run, nothing written")
    if not result.written and result.problems and any(c.action != "unchanged" for c in result.changes):
        return line + _(" — --all-or-nothing: nothing written")
    return line


def print_detected(path: str, detected: list[Detected], written: str) -> None:
    """What --init-map found in each sheet, and where the mapping was written."""
    lines = []
    for item in detected:
        if item.sheet is None:
            lines.append(_("{name}: not imported (no known headers of one row kind)").format(name=item.name))
            continue
        columns = len(item.sheet.columns)
        lines.append(ngettext("{name}: {kind}, header row {header}, {n} column mapped",
                              "{name}: {kind}, header row {header}, {n} columns mapped", columns).format(
            name=item.name, kind=item.sheet.kind, header=item.sheet.header, n=columns))
        if item.unmatched:
            lines.append("  " + _("not recognised: {labels}").format(labels=", ".join(item.unmatched)))
    lines.append(_("wrote {path}: check it, then `kacard import {file} --dry-run`").format(path=written, file=path))
    sys.stdout.write("\n".join(clean(line) for line in lines) + "\n")


def json_line(document: Any) -> None:
    sys.stdout.write(dumps_json(document) + "\n")
