"""The manager's instruments for people: `changes`, `collect` and `plan` as tables, JSON, CSV."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from kacard.analysis.collect import CollectReport
from kacard.analysis.plan import AnnualPlan, PlanLine
from kacard.i18n import C_, N_, _, label, language, localize, pgettext
from kacard.i18n.formats import money
from kacard.render.output import Column, dumps_json, emit, print_csv, print_table
from kacard.team.changes import Change, Digest

# -- changes -----------------------------------------------------------------------------

CHANGE_COLUMNS = (
    Column("date", N_("date")), Column("rep", N_("rep")), Column("account", N_("account"), role="id"), Column("what", N_("what")),
    Column("text", N_("details"), max_width=60),
)
CHANGE_CSV_COLUMNS = (
    Column("date", "date"), Column("rep", "rep"), Column("account", "account"), Column("kind", "kind"),
    Column("commit", "commit"), Column("text", "details"),
)


def _kind_words(kind: str) -> str:
    return {
        "visit": _("visit logged"), "trade": _("invoice"), "payment": _("payment received"),
        "signal": _("churn signal"), "tier": _("tier changed"), "new_card": _("new account"),
        "removed_card": _("card removed"), "handover": _("handover"), "edit": _("card edited"),
    }.get(kind, kind)


def _money(value: Any) -> str:
    try:
        amount = Decimal(str(value))
    except Exception:  # noqa: BLE001 - a value from an old card version may be anything
        return str(value)
    return f"{amount:,.0f}" if language() == "en" else money(amount)


def _day(value: Any) -> str:
    """An ISO date from an event, with the weekday in Chinese; as it is in English."""
    if language() == "en" or not isinstance(value, str):
        return str(value)
    try:
        return localize(dt.date.fromisoformat(value))
    except ValueError:
        return value


def since_label(label: str) -> str:
    """`yesterday`, `today`, `7d`, a date or a revision, as the title says it."""
    if language() == "en":
        return label
    if label in ("yesterday", "today"):
        return pgettext("since", label)
    if label[:-1].isdigit() and label.endswith("d"):
        return _("the last {days} days").format(days=label[:-1])
    return _day(label)


def change_text(change: Change) -> str:
    """One line of words for an event (no personal data: events carry none)."""
    d = change.detail
    if change.kind == "visit":
        if language() == "en":
            text = f"{d.get('on')} {d.get('visit_kind')}: {d.get('summary') or ''}".rstrip(": ")
        else:
            text = _("{date} {kind}: {note}").format(date=_day(d.get("on")), kind=label("visit kind", d.get("visit_kind")),
                                                     note=d.get("summary") or "").rstrip(": ：")
        step = d.get("next")
        if step and language() != "en":
            step = {**step, "date": _day(step.get("date"))}
        return text + (_(" · next {date}: {action}").format(**step) if step else _(" · no next step"))
    if change.kind in ("trade", "payment"):
        text = f"{d.get('invoice') or _('(no invoice no.)')} {_money(d.get('amount'))} ({d.get('on')})"
        return text + (_(", paid {date}").format(date=d.get("paid")) if change.kind == "payment" else "")
    if change.kind == "signal":
        if language() != "en":
            return f"{label('signal', d.get('signal_kind'))}（{_day(d.get('on'))}）"
        return f"{d.get('signal_kind')} ({d.get('on')})"
    if change.kind in ("tier", "handover"):
        pin = _(" (pin)") if d.get("pinned") else ""
        return f"{d.get('from') or '-'} → {d.get('to') or '-'}{pin if change.kind == 'tier' else ''}"
    if change.kind == "edit":
        parts = []
        if "status" in d:
            parts.append(_("status {old} → {new}").format(old=label("status", d["status"][0]), new=label("status", d["status"][1])))
        if d.get("fields"):
            parts.append(_(", ").join(label("card field", f) for f in d["fields"]))
        return _("; ").join(parts)
    if change.kind in ("new_card", "removed_card"):
        return f"{d.get('name') or ''} ({d.get('owner') or '-'})"
    return ""


def print_changes(digest: Digest, changes: Sequence[Change], fmt: str) -> None:
    if fmt == "json":
        sys.stdout.write(dumps_json([c.as_json() for c in changes]) + "\n")
        return
    rows = [{"date": c.date, "rep": c.rep, "account": c.account, "kind": c.kind, "what": _kind_words(c.kind),
             "commit": c.commit, "text": change_text(c)} for c in changes]
    if fmt == "csv":
        print_csv(rows, CHANGE_CSV_COLUMNS)
        return
    title = _("Changes since {since} · {commits} commit(s) · {events} change(s)").format(
        since=since_label(digest.since.label), commits=digest.commits, events=len(changes))
    if not rows:
        sys.stdout.write(title + "\n" + _("Nothing changed.") + "\n")
        return
    print_table(rows, CHANGE_COLUMNS, title)


# -- collect -----------------------------------------------------------------------------

PLAN_COLUMNS = (
    Column("week", N_("week")), Column("account", N_("account"), role="id"), Column("name", N_("name"), max_width=24, role="name"),
    Column("invoice", N_("invoice")), Column("amount", N_("amount"), right=True), Column("due", C_("due date", "due"),
           context="due date"),
    Column("overdue", N_("days overdue"), right=True), Column("rating", N_("rating")),
    Column("collector", N_("collector")),
)
BALANCE_COLUMNS = (
    Column("key", N_("rep")), Column("sales", N_("sales"), right=True), Column("collected", N_("collected"), right=True),
    Column("ratio", N_("collected/sales"), right=True), Column("open", N_("open"), right=True),
    Column("overdue", C_("amount", "overdue"), right=True, context="amount"), Column("state", N_("balance")),
)
CREDIT_COLUMNS = (
    Column("advice", N_("advice")), Column("account", N_("account"), role="id"), Column("rating", N_("rating")),
    Column("limit", N_("limit"), right=True), Column("exposure", N_("exposure"), right=True),
    Column("trend", N_("sales trend"), right=True), Column("why", N_("why"), max_width=50),
)
COLLECT_CSV_COLUMNS = (
    Column("account", "account"), Column("name", "name"), Column("invoice", "invoice"), Column("date", "date"),
    Column("amount", "amount"), Column("due", "due"), Column("days_overdue", "days_overdue"),
    Column("bucket", "bucket"), Column("rating", "rating"), Column("collector", "collector"),
    Column("region", "region"), Column("week", "week"),
)


def _advice_words(advice: str) -> str:
    return {"reduce": _("reduce"), "grow": _("grow"), "hold": _("hold")}.get(advice, advice)


def _reason_words(code: str) -> str:
    return {
        "over_limit": _("exposure over the limit"),
        "low_rating_growing": _("low rating while business grows"),
        "late_payer_growing": _("> 60 days overdue while business grows"),
        "high_rating_headroom": _("high rating, room under the limit"),
        "overdue": _("high rating but money overdue: collect first"),
        "no_rule": _("no policy rule applies"),
    }.get(code, code)


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def print_collect(report: CollectReport, fmt: str, currency: str) -> None:
    if fmt == "json":
        sys.stdout.write(dumps_json(report.as_json()) + "\n")
        return
    if fmt == "csv":  # the collection plan: what a sheet needs
        print_csv([c.as_json() for c in report.plan], COLLECT_CSV_COLUMNS)
        return
    plan_rows = [{"week": c.week, "account": c.account, "name": c.name, "invoice": c.invoice or "-",
                  "amount": c.amount, "due": c.due, "overdue": c.days_overdue if c.days_overdue > 0 else "-",
                  "rating": c.rating or "-", "collector": c.collector} for c in report.plan]
    total = sum((c.amount for c in report.plan), start=Decimal(0))
    overdue = sum((c.amount for c in report.plan if c.days_overdue > 0), start=Decimal(0))
    title = _("Collection plan · today {today} · overdue or due within {days} days: {count} invoice(s), "
              "{total} {currency}, {overdue} {currency} overdue (all unpaid: {unpaid} invoice(s), "
              "{unpaid_total} {currency})").format(
                  today=localize(report.today), days=report.horizon_days, count=len(plan_rows),
                  total=_money(total), overdue=_money(overdue), unpaid=report.unpaid_count,
                  unpaid_total=_money(report.unpaid_amount), currency=label("currency", currency))
    print_table(plan_rows, PLAN_COLUMNS, title) if plan_rows else sys.stdout.write(title + "\n")
    for what, lines in ((_("rep"), report.reps), (_("region"), report.regions)):
        rows = [{"key": b.key or "-", "sales": b.sales, "collected": b.collected, "ratio": _ratio(b.ratio),
                 "open": b.open, "overdue": b.overdue,
                 "state": _("in balance") if b.balanced else _("collections lag sales")} for b in lines]
        columns = (Column("key", what), *BALANCE_COLUMNS[1:])
        sys.stdout.write("\n")
        print_table(rows, columns, _("Sales vs collections, last {days} days, per {what}").format(
            days=report.window_days, what=what))
    credit_rows = [{"advice": _advice_words(a.advice), "account": a.account, "rating": a.rating or "-",
                    "limit": a.limit if a.limit is not None else "-", "exposure": a.exposure,
                    "trend": _trend(a.sales, a.sales_before), "why": "; ".join(_reason_words(r) for r in a.reasons)}
                   for a in report.credit if a.advice != "hold"]
    sys.stdout.write("\n")
    title = _("Credit policy: reduce business with low credit, grow it with high credit "
              "({held} account(s) on hold not shown; --format json lists all)").format(
        held=sum(1 for a in report.credit if a.advice == "hold"))
    print_table(credit_rows, CREDIT_COLUMNS, title) if credit_rows else sys.stdout.write(title + "\n")


def _trend(now: Decimal, before: Decimal) -> str:
    if before == 0:
        return _("new") if now > 0 else "-"
    return f"{(now - before) / before:+.0%}"


# -- plan --------------------------------------------------------------------------------

def _plan_columns(key_header: str, progress: bool) -> tuple[Column, ...]:
    first = (Column("key", key_header), Column("last_year", N_("last year"), right=True, drop=10),
             Column("actual", N_("actual"), right=True))
    if progress:
        return (*first, Column("target", N_("target"), right=True), Column("to_date", N_("target to date"), right=True, drop=20),
                Column("gap", N_("gap"), right=True), Column("pct", N_("of plan"), right=True), Column("state", N_("state")))
    return (*first, Column("run_rate", N_("run rate"), right=True), Column("tiers", N_("S/A/B/C")),
            Column("pipeline", N_("pipeline (w)"), right=True), Column("target", N_("target"), right=True),
            Column("stretch", N_("stretch"), right=True), Column("challenge", N_("challenge"), right=True),
            Column("source", N_("source")))


def _plan_row(line: PlanLine, behind_share: float) -> dict[str, Any]:
    pct = None if line.target_to_date == 0 else line.actual / line.target_to_date
    return {"key": line.key or "-", "last_year": line.last_year, "actual": line.actual, "run_rate": line.run_rate,
            "tiers": "/".join(str(line.tiers[t]) for t in ("S", "A", "B", "C")),
            "pipeline": line.pipeline_weighted, "target": line.target, "stretch": line.stretch,
            "challenge": line.challenge,
            "source": _("set") if line.source == "set" else _("proposed"),
            "to_date": line.target_to_date, "gap": line.gap, "pct": "-" if pct is None else f"{pct:.0%}",
            "state": _("behind") if line.behind(behind_share) else _("on track")}


def print_plan(plan: AnnualPlan, fmt: str, progress: bool, currency: str) -> None:
    if fmt == "json":
        sys.stdout.write(dumps_json(plan.as_json()) + "\n")
        return
    reps = [{"rep": r.key, **_plan_row(r, plan.behind_share)} for r in plan.reps]
    regions = [{"region": r.key, **_plan_row(r, plan.behind_share)} for r in plan.regions]
    if fmt == "csv":
        keys = ("last_year", "actual", "run_rate", "pipeline", "target", "stretch", "challenge", "to_date", "gap")
        rows = [{"level": "rep", "key": r["key"], **{k: r[k] for k in keys}} for r in reps]
        rows += [{"level": "region", "key": r["key"], **{k: r[k] for k in keys}} for r in regions]
        print_csv(rows, [Column(k, k) for k in ("level", "key", *keys)])
        return
    head = (_("Annual sales plan {year} · progress to {today} ({elapsed:.0%} of the year) · {currency}")
            if progress else _("Annual sales plan {year} (年度区域销售计划) · {currency}"))
    emit(reps, _plan_columns(_("rep"), progress), "table",
         title=head.format(year=plan.year, today=localize(plan.today), elapsed=plan.elapsed,
                           currency=label("currency", currency) if language() == "en" else _("unit: {currency}").format(
                               currency=label("currency", currency))))
    sys.stdout.write("\n")
    emit(regions, _plan_columns(_("region"), progress), "table")
    if not progress and any(r.source == "proposed" for r in plan.reps):
        sys.stdout.write("\n" + _("Proposed = last year (or the run rate while it runs) × (1 + growth) + a share "
                                  "of the weighted pipeline (kacard.yaml `plan:`); `kacard plan {year} --init` writes them to "
                                  "plans/{year}.yaml for you to set.").format(year=plan.year) + "\n")
