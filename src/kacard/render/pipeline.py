"""`kacard pipeline` for people and scripts: the stage table and the deals (table), the
SPEC §9 document (json), one row per deal (csv), and the funnel picture (render.funnel).

Column keys, JSON keys and enum values stay English; headers and stage names follow the
language (kacard.i18n).
"""

from __future__ import annotations

import sys
from typing import Any

from kacard.analysis.pipeline import PipelineReport, node_label, stage_label, stall_text
from kacard.i18n import _, localize
from kacard.i18n import pgettext as C_
from kacard.render.output import Column, dumps_json, emit


def stage_columns() -> list[Column]:
    return [
        Column("stage_name", C_("column", "stage")), Column("count", C_("column", "deals"), right=True),
        Column("amount", C_("column", "amount"), right=True), Column("probability", C_("column", "chance"), right=True),
        Column("weighted", C_("column", "weighted"), right=True), Column("stalled", C_("column", "stalled"), right=True),
        Column("oldest", C_("column", "longest in stage"), max_width=40),
    ]


def deal_columns() -> list[Column]:
    return [
        Column("account", C_("column", "account"), role="id"), Column("id", C_("column", "deal")), Column("title", C_("column", "title"), max_width=24),
        Column("stage_name", C_("column", "stage")), Column("amount", C_("column", "amount"), right=True),
        Column("close", C_("column", "close")), Column("days_in_stage", C_("column", "days in stage"), right=True),
        Column("quiet_days", C_("column", "quiet days"), right=True), Column("problem_text", C_("column", "problems"), max_width=40),
    ]


CSV_COLUMNS = [Column(key, key) for key in (
    "account", "id", "title", "owner", "region", "stage", "amount", "probability", "weighted", "close",
    "stage_since", "days_in_stage", "last_visit", "quiet_days", "stalled", "days_past_close",
    "missing_node", "problems")]


def _problem_words(state: Any) -> str:
    words = []
    if state.stalled:
        words.append(localize(stall_text(state.quiet_days, state.stalled_days)))
    if state.days_past_close:
        words.append(_("close date passed {days} days ago").format(days=state.days_past_close))
    if state.missing_node:
        words.append(_("no “{node}”").format(node=node_label(state.missing_node)))
    return "; ".join(words)


def stage_rows(report: PipelineReport) -> list[dict[str, Any]]:
    rows = []
    for row in report.stages:
        oldest = row.oldest
        rows.append({
            "stage": row.stage, "stage_name": stage_label(row.stage), "count": row.count,
            "amount": row.amount, "weighted": row.weighted, "probability": f"{row.probability:.0%}",
            "stalled": row.stalled or None,
            "oldest": (f"{oldest.account} {oldest.deal.id} · " + _("{days} days").format(days=oldest.days_in_stage)
                       if oldest is not None else None),
        })
    totals = report.totals()
    rows.append({"stage_name": _("open total"), "count": totals["count"], "amount": totals["amount"],
                 "weighted": totals["weighted"], "stalled": totals["stalled"] or None})
    return rows


def deal_rows(report: PipelineReport) -> list[dict[str, Any]]:
    rows = []
    for s in report.deals:
        d = s.deal
        rows.append({
            "account": s.account, "id": d.id, "title": d.title, "owner": s.owner, "region": s.region,
            "stage": d.stage, "stage_name": stage_label(d.stage), "amount": d.amount,
            "probability": s.probability, "weighted": s.weighted, "close": d.close,
            "stage_since": s.stage_date, "days_in_stage": s.days_in_stage, "last_visit": s.last_visit,
            "quiet_days": s.quiet_days, "stalled": s.stalled, "days_past_close": s.days_past_close,
            "missing_node": s.missing_node,
            "problems": s.problems, "problem_text": _problem_words(s),
        })
    return rows


def print_pipeline(report: PipelineReport, fmt: str, title: str) -> None:
    """table: the stages, then the open deals; json: the whole report; csv: every deal."""
    if fmt == "json":
        sys.stdout.write(dumps_json(report.as_json()) + "\n")
        return
    rows = deal_rows(report)
    if fmt == "csv":
        emit(rows, CSV_COLUMNS, "csv")
        return
    emit(stage_rows(report), stage_columns(), "table", title=title)
    open_rows = [r for r in rows if r["stage"] not in ("won", "lost")]
    if open_rows:
        sys.stdout.write("\n")
        emit(open_rows, deal_columns(), "table", title=_("Open deals") + f" · {len(open_rows)}")
