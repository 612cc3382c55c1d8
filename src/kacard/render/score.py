"""Writers for `kacard score`: the table with its bar view, the SPEC §8 JSON, csv,
`--explain` (every input of one account) and `--what-if` (tier changes)."""

from __future__ import annotations

import sys
from collections import Counter
from decimal import Decimal
from typing import Any

from kacard.analysis.scoring.report import AccountScore, ScoreReport, TierChange
from kacard.analysis.scoring.ten_two import MEANINGS
from kacard.i18n import N_, _, label, language, localize
from kacard.i18n.formats import money
from kacard.render.output import Column, dumps_json, emit
from kacard.text import clean, pad, width

BAR_WIDTH = 12
_EIGHTHS = " ▏▎▍▌▋▊▉"

TABLE_COLUMNS = [
    Column("rank", N_("#"), right=True),
    Column("id", N_("id"), role="id"),
    Column("name", N_("name"), max_width=22, role="name"),
    Column("owner", N_("owner"), drop=3),
    Column("metric", N_("metric"), right=True, drop=5),
    Column("share_text", N_("share"), right=True, drop=4),
    Column("cumulative_text", N_("cum."), right=True, drop=2),
    Column("bar", N_("bar (vs. #1)"), drop=1),
    Column("pareto", N_("ABC")),
    Column("ten_two", N_("10/2"), right=True),
    Column("ten_two_class", N_("10/2 class"), labels="ten_two_class", drop=6),
    Column("tier_text", N_("tier")),
    Column("quadrant", N_("quadrant"), labels="quadrant"),  # narrow terminals leave off bar, cum., owner, share ... first
]
CSV_COLUMNS = [
    Column(k, k)
    for k in (
        "rank",
        "id",
        "name",
        "owner",
        "status",
        "metric",
        "share",
        "cumulative",
        "pareto",
        "ten_two",
        "ten_two_class",
        "tier",
        "tier_pinned",
        "computed_tier",
        "quadrant",
    )
]


def ratio(value: Decimal | float, places: int = 4) -> float:
    """A share for JSON: a float rounded to `places` decimals."""
    return round(float(value), places)


def percent(value: Decimal | float, places: int = 1) -> str:
    """`0.792` → `79.2%`: no space before %, as everywhere in kacard (GB/T 15835 writes 79.2%)."""
    return f"{float(value) * 100:.{places}f}%"


def bar(share: Decimal, largest: Decimal, cells: int = BAR_WIDTH) -> str:
    """A horizontal bar of `share` relative to `largest`, in eighths of a cell."""
    if largest <= 0 or share <= 0:
        return ""
    eighths = max(1, round(float(share / largest) * cells * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[rest] if rest else "")


def account_json(s: AccountScore) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.card.name,
        "owner": s.card.owner,
        "status": s.card.status,
        "metric": s.metric,
        "share": ratio(s.pareto.share),
        "cumulative": ratio(s.pareto.after),
        "rank": s.pareto.rank,
        "pareto": s.pareto.klass,
        "ten_two": s.ten_two,
        "ten_two_class": s.ten_two_class,
        "tier": s.tier,
        "tier_pinned": s.pinned is not None,
        "computed_tier": s.computed_tier,
        "quadrant": s.quadrant.quadrant,
        "criteria": {t.name: int(t.value) for t in s.criteria},
    }


def summary_json(
    report: ScoreReport, accounts: list[AccountScore], owner: str | None
) -> dict[str, Any]:
    c = report.summary(accounts)
    return {
        "accounts": c.accounts,
        "total": c.total,
        "a_share_of_accounts": ratio(c.a_share_of_accounts),
        "top20_share": ratio(c.top20_share),
        "a_accounts": c.a_accounts,
        "a_share_of_total": ratio(c.a_share_of_total),
        "top20_accounts": c.top20_accounts,
        "ranked": c.ranked,
        "metric": report.metric,
        "window": {"after": report.window_start, "until": report.today, "days": report.window_days},
        "cutoffs": {"a": report.a, "b": report.b},
        "tiers": tier_counts(accounts),
        "owner": owner,
    }


def tier_counts(accounts: list[AccountScore]) -> dict[str, int]:
    counts = Counter(s.tier for s in accounts)
    return {t: counts.get(t, 0) for t in ("S", "A", "B", "C")}


def score_document(
    report: ScoreReport, accounts: list[AccountScore], owner: str | None
) -> dict[str, Any]:
    """The SPEC §8 JSON of `kacard score`."""
    return {
        "accounts": [account_json(s) for s in accounts],
        "summary": summary_json(report, accounts, owner),
    }


def _row(s: AccountScore, largest: Decimal) -> dict[str, Any]:
    row = account_json(s)
    ranked = s.pareto.rank is not None
    row.update(
        share_text=percent(s.pareto.share) if ranked else "",
        cumulative_text=percent(s.pareto.after) if ranked else "",
        bar=bar(s.pareto.share, largest),
        tier_text=f"{s.tier}*" if s.pinned else s.tier,
    )
    return row


def summary_lines(report: ScoreReport, accounts: list[AccountScore], currency: str) -> list[str]:
    c = report.summary(accounts)
    metric = label("metric", report.metric)
    lines = [_("{count} account(s); {metric} dated {start} (excluded) to {end}: total {total} {currency}").format(
        count=c.accounts, metric=metric, start=localize(report.window_start), end=localize(report.today),
        total=money_text(c.total), currency=label("currency", currency))]
    if c.total > 0:
        concentration = N_(
            "Concentration: {a} of {n} accounts ({a_share}) are class A and bring {a_total} of {metric} "
            "(cut-off a = {cut}%); the top 20% ({top} account) hold {top_share}.")
        if c.top20_accounts != 1:
            concentration = N_(
                "Concentration: {a} of {n} accounts ({a_share}) are class A and bring {a_total} of {metric} "
                "(cut-off a = {cut}%); the top 20% ({top} accounts) hold {top_share}.")
        lines.append(_(concentration).format(
            a=c.a_accounts, n=c.accounts, a_share=percent(c.a_share_of_accounts),
            a_total=percent(c.a_share_of_total), metric=metric, cut=f"{report.a * 100:g}",
            top=c.top20_accounts, top_share=percent(c.top20_share)))
        if len(accounts) < len(report.accounts):
            lines.append(_("(A subset of {all} accounts: classes and tiers are team-wide; "
                           "the shares above are of these {count} accounts' {metric}.)").format(
                all=len(report.accounts), count=c.accounts, metric=metric))
    counts = tier_counts(accounts)
    pinned = sum(1 for s in accounts if s.pinned)
    lines.append(_("Tiers: {counts}  (* = pinned on the card: {pinned})").format(
        counts="  ".join(f"{t} {n}" for t, n in counts.items()), pinned=pinned))
    return lines


def money_text(amount: Decimal) -> str:
    """A total as the run's language writes it (`1,234,567`; `123.46万`)."""
    return f"{amount:,.0f}" if language() == "en" else money(amount)


def print_score(
    report: ScoreReport, accounts: list[AccountScore], fmt: str, owner: str | None, currency: str
) -> None:
    if fmt == "json":
        emit([], TABLE_COLUMNS, "json", document=score_document(report, accounts, owner))
        return
    largest = max((s.pareto.share for s in accounts), default=Decimal(0))
    rows = [_row(s, largest) for s in accounts]
    if fmt == "csv":
        emit(rows, CSV_COLUMNS, "csv")
        return
    emit(rows, TABLE_COLUMNS, "table")
    sys.stdout.write("\n".join(summary_lines(report, accounts, currency)) + "\n")


# -- --explain ----------------------------------------------------------------------------


def explain_document(report: ScoreReport, s: AccountScore, trades: list[Any]) -> dict[str, Any]:
    """`trades`: the whole card's trades (the score itself reads the card's index)."""
    counted = [t for t in trades if report.window_start < t.date <= report.today]
    return {
        **account_json(s),
        "window": {"after": report.window_start, "until": report.today, "days": report.window_days},
        "metric_kind": report.metric,
        "trades": [
            {"date": t.date, "invoice": t.invoice, "amount": t.amount, "margin": t.margin}
            for t in counted
        ],
        "trades_not_counted": {
            "older": sum(1 for t in trades if t.date <= report.window_start),
            "future": sum(1 for t in trades if t.date > report.today),
        },
        "pareto_rule": s.pareto.reason,
        "cumulative_before": ratio(s.pareto.before),
        "criteria_detail": [
            {
                **t.as_json(),
                "manual": t.source.startswith("manual"),
                "meaning": MEANINGS.get(t.name),
            }
            for t in s.criteria
        ],
        "tier_rule": s.tier_rule,
        "tier_pin": s.pinned,
        "quadrant_rule": s.quadrant.rule,
        "quadrant_hint": s.quadrant.hint,
        "visits_in_window": s.visits,
    }


def print_explain(
    report: ScoreReport,
    s: AccountScore,
    trades: list[Any],
    fmt: str,
    ten_two_key: int,
    ten_two_potential: int,
    currency: str,
) -> None:
    """`trades`: the whole card's trades, listed for the metric."""
    if fmt == "json":
        sys.stdout.write(dumps_json(explain_document(report, s, trades)) + "\n")
        return
    card, p = s.card, s.pareto
    metric = label("metric", report.metric)
    out = [_("{id}  {name}  (owner {owner}, {status})").format(
        id=clean(card.id), name=clean(card.name), owner=clean(card.owner), status=label("status", card.status)), ""]
    out.append(_("80/20: {metric} of trades dated {start} (excluded) to {end} (included), {days} days").format(
        metric=metric, start=localize(report.window_start), end=localize(report.today), days=report.window_days))
    counted = [t for t in trades if report.window_start < t.date <= report.today]
    dates = [localize(t.date) for t in counted]  # 2025年12月24日 周三 and 2月13日 周五 differ in width
    date_cells = max((width(d) for d in dates), default=0)
    for t, date in zip(counted, dates, strict=True):
        value = t.amount if report.metric == "revenue" else (t.margin or Decimal(0))
        shown = f"{value:>16,.2f}" if language() == "en" else pad(money(value), 16, True)
        out.append(f"  {pad(date, date_cells)}  {pad(clean(t.invoice or '-'), 14)} {shown}")
    older = sum(1 for t in trades if t.date <= report.window_start)
    future = sum(1 for t in trades if t.date > report.today)
    total = f"  = {s.metric:,.2f} {label('currency', currency)}" if language() == "en" else \
        f"  = {money(s.metric)}{label('currency', currency)}"
    if p.rank:
        total += _(", {share} of the team's total; rank {rank}").format(share=percent(p.share), rank=p.rank)
    out.append(total)
    if older or future:
        out.append(_("  not counted: {older} trade(s) before the window, {future} dated after today").format(
            older=older, future=future))
    out.append(_("  class {klass}: {reason}").format(klass=p.klass, reason=localize(p.reason)))
    out.append("")
    out.append(_("10/2: total {total} -> {klass} (key >= {key}, potential >= {potential})").format(
        total=s.ten_two, klass=label("ten_two_class", s.ten_two_class), key=ten_two_key,
        potential=ten_two_potential))
    for term in s.criteria:
        out.append(f"  {pad(label('criterion', term.name), 24)} {int(term.value)}  {clean(localize(term.source))}")
    out.append("")
    pin = _("; pinned {tier} on the card, so the tier is {tier}").format(tier=s.pinned) if s.pinned else ""
    out.append(_("Tier {tier}: computed {rule}{pin}").format(tier=s.tier, rule=localize(s.tier_rule), pin=pin))
    out.append(_("Quadrant {quadrant}: {rule}").format(quadrant=label("quadrant", s.quadrant.quadrant),
                                                       rule=localize(s.quadrant.rule)))
    out.append(_("  hint: {hint}").format(hint=_(s.quadrant.hint)))
    sys.stdout.write("\n".join(out) + "\n")


# -- --what-if ----------------------------------------------------------------------------

WHAT_IF_COLUMNS = [
    Column("id", N_("id"), role="id"),
    Column("name", N_("name"), max_width=22, role="name"),
    Column("owner", N_("owner")),
    Column("now_text", N_("tier now")),
    Column("would_be", N_("would be")),
    Column("direction", N_("change"), labels="direction"),
    Column("rule", N_("because"), max_width=40),
]


def change_json(c: TierChange) -> dict[str, Any]:
    return {
        "id": c.account.id,
        "name": c.account.card.name,
        "owner": c.account.card.owner,
        "now": c.now,
        "now_pinned": c.now_pinned,
        "would_be": c.would_be,
        "direction": c.direction,
        "rule": c.account.tier_rule,
        "pareto": c.account.pareto.klass,
        "ten_two": c.account.ten_two,
    }


def print_what_if(changes: list[TierChange], fmt: str, overrides: list[str]) -> None:
    rows = [{**change_json(c), "now_text": f"{c.now}*" if c.now_pinned else c.now} for c in changes]
    if fmt == "json":
        emit(
            [],
            WHAT_IF_COLUMNS,
            "json",
            document={"overrides": overrides, "changes": [change_json(c) for c in changes]},
        )
    elif fmt == "csv":
        emit(
            rows,
            [
                Column(k, k)
                for k in (
                    "id",
                    "name",
                    "owner",
                    "now",
                    "now_pinned",
                    "would_be",
                    "direction",
                    "rule",
                )
            ],
            "csv",
        )
    else:
        emit(rows, WHAT_IF_COLUMNS, "table")
