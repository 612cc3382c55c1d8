"""Documents for the weekly workflow: the due list, its urgency breakdown, the
manager's review (table / Markdown) and the multi-card brief (Markdown / HTML).

Card text goes through `clean` (one line, no control characters) everywhere and
through render.safe (markdown_text, html_text) in Markdown and HTML.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kacard.analysis.due import DueItem, Reason
from kacard.dates import Week
from kacard.i18n import C_, N_, _, label, localize
from kacard.render.output import Column, dumps_json, emit, fmt_cell, with_currency
from kacard.render.safe import html_text, markdown_text
from kacard.render.site_page import esc as _e  # one escaping for every page
from kacard.render.site_page import next_step_html
from kacard.text import clean, pad

if TYPE_CHECKING:
    from kacard.analysis.review import RepReview, Review

# -- due --------------------------------------------------------------------------------

DUE_COLUMNS = [
    Column("urgency", N_("urgency"), right=True),
    Column("id", N_("id"), role="id"),
    Column("name", N_("name"), max_width=24, role="name"),
    Column("owner", N_("owner"), drop=1),
    Column("tier", N_("tier"), drop=3),
    Column("why", N_("why"), max_width=60, least=30),  # the reasons (a churn signal's too) stay readable
    Column("next", N_("next step"), max_width=30, drop=2),
]
DUE_CSV_COLUMNS = [
    Column("id", "id"), Column("name", "name"), Column("owner", "owner"), Column("tier", "tier"),
    Column("urgency", "urgency"), Column("days_overdue", "days_overdue"), Column("kinds", "kinds"),
    Column("why", "why"), Column("next_date", "next_date"), Column("next_action", "next_action"),
]


def short_reason(item: DueItem) -> str:
    """The reasons in a few words: `cadence overdue 12d; next_step 11-24; receivable 1,200,000 8d`."""
    parts = []
    for r in item.reasons:
        days = r.days_overdue
        if r.kind == "cadence":
            status = r.detail.get("status")
            if status == "never":
                parts.append(_("cadence never {days}d").format(days=days) if days else _("cadence never"))
            elif status == "overdue":
                parts.append(_("cadence overdue {days}d").format(days=days) if days else _("cadence overdue"))
            else:
                parts.append(_("cadence soon"))
        elif r.kind == "next_step":
            date = localize(r.date)
            parts.append(_("next step {date} ({days}d late)").format(date=date, days=days) if days
                         else _("next step {date}").format(date=date))
        elif r.kind == "receivable":
            amount = r.detail.get("amount")
            parts.append(_("receivable {amount} {days}d").format(
                amount=fmt_cell(amount) if amount is not None else "", days=days))
        elif r.kind == "signal":
            parts.append(_("signal {kind} {date}").format(kind=label("signal", r.detail.get("signal")),
                                                          date=localize(r.date)))
        elif r.kind in ("opportunity", "relationship"):
            parts.append(sale_reason(r))
        else:
            parts.append(_("no next step"))
    return _("; ").join(parts)


SALE_WORDS: dict[str, str] = {  # a problem or danger kind in a few words (context "sale")
    "stalled": C_("sale", "stalled"), "past_close": C_("sale", "past close"),
    "missing_node": C_("sale", "missing node"), "top_never_met": C_("sale", "top never met"),
    "top_not_met": C_("sale", "top not met"), "no_ally_at_decision_level": C_("sale", "no ally at decision level"),
    "opposing_decision_maker": C_("sale", "opposing decision maker"), "no_coach": C_("sale", "no coach"),
}


def sale_reason(r: Reason) -> str:
    """An `opportunity` or `relationship` reason in a few words: `deal p1 stalled 97 days
    (limit 45)`, `deal p2 past close 8d`, `deal p1 missing node`, `people: no coach` (商机 p1 停滞 97 天（上限 45）,
    关系：没有内线 in Chinese)."""
    if r.kind == "opportunity":
        problem = str(r.detail.get("problem", ""))
        words = label("sale", SALE_WORDS.get(problem, problem.replace("_", " ")))
        if problem == "stalled" and "stalled_days" in r.detail:  # the stall's length and limit, as everywhere
            from kacard.analysis.pipeline import stall_text

            words = localize(stall_text(r.detail.get("quiet_days"), int(r.detail["stalled_days"])))
            return _("deal {id} {problem}").format(id=r.detail.get("opportunity"), problem=words)
        if r.days_overdue:
            return _("deal {id} {problem} {days}d").format(id=r.detail.get("opportunity"), problem=words,
                                                          days=r.days_overdue)
        return _("deal {id} {problem}").format(id=r.detail.get("opportunity"), problem=words)
    warning = str(r.detail.get("warning", ""))
    return _("people: {danger}").format(danger=label("sale", SALE_WORDS.get(warning, warning.replace("_", " "))))


def due_rows(items: Sequence[DueItem]) -> list[dict[str, Any]]:
    rows = []
    for item in items:
        step = item.next_step
        rows.append({
            "id": item.id, "name": item.name, "owner": item.owner, "tier": item.tier,
            "urgency": item.urgency, "days_overdue": item.days_overdue, "kinds": item.kinds,
            "why": short_reason(item),
            "next": f"{localize(step.date)} {step.action}" if step else None,
            "next_date": step.date if step else None,
            "next_action": step.action if step else None,
        })
    return rows


def print_due(items: Sequence[DueItem], fmt: str, title: str, *, one_rep: bool = False) -> None:
    """The due list; `one_rep` (a list filtered by owner, named in the title) leaves the
    owner column out of the table, which leaves a terminal more room for the rest."""
    print_due_rows([item.as_json() for item in items] if fmt == "json" else due_rows(items), fmt, title,
                   one_rep=one_rep)


def print_due_rows(rows: Sequence[dict[str, Any]], fmt: str, title: str, *, one_rep: bool = False) -> None:
    """print_due from the rows it prints: each item's `as_json()` for json (or that data
    through output.to_jsonable), else its `due_rows` row."""
    if fmt == "json":
        sys.stdout.write(dumps_json(list(rows)) + "\n")
    elif fmt == "csv":
        emit(rows, DUE_CSV_COLUMNS, "csv")
    else:
        columns = [c for c in DUE_COLUMNS if not (one_rep and c.key == "owner")]
        emit(rows, columns, "table", title=title)


def explain_text(item: DueItem, week: Week) -> str:
    """taskwarrior-style breakdown: each term's value × weight = contribution, then the reasons."""
    lines = [_("{name} ({id}) · owner {owner} · tier {tier} · week {week}").format(
        name=clean(item.name), id=item.id, owner=item.owner, tier=item.tier, week=week_text(week))]
    if not item.is_due:
        lines.append(_("not due in {week}: no reason holds").format(week=week.label))
        if item.visit_by:
            lines.append(_("  cadence: last visit {last}, next visit by {by}").format(
                last=localize(item.last_visit), by=localize(item.visit_by)))
        if item.next_step:
            lines.append(_("  next step: {date} {action}").format(date=localize(item.next_step.date),
                                                                  action=clean(item.next_step.action)))
        lines += _parked_lines(item)
        return "\n".join(lines) + "\n"
    head = [_("urgency term"), _("value"), _("weight"), _("points"), _("source")]
    lines += ["", f"  {pad(head[0], 18)} {pad(head[1], 6, True)}   {pad(head[2], 6, True)}   "
                  f"{pad(head[3], 8, True)}   {head[4]}"]
    for t in item.terms:
        lines.append(f"  {pad(term_name(t.name), 18)} {t.value:>6g} × {t.weight:>6g} = {t.contribution:>8.2f}   "
                     f"{clean(localize(t.source))}")
    total = _("total")
    lines.append(f"  {pad(total, 18)} {'':>6}   {'':>6}   {item.urgency:>8.2f}")
    lines += ["", _("reasons:")]
    lines += ["  - " + reason_line(r) for r in item.reasons]
    lines += _parked_lines(item)
    return "\n".join(lines) + "\n"


def _parked_lines(item: DueItem) -> list[str]:
    if item.parked is None:
        return []
    return ["  " + _("parked: {text}; the cadence reason is quiet until then (parking: true in kacard.yaml)").format(
        text=clean(localize(item.parked.text)))]


def reason_line(reason: Reason) -> str:
    """`cadence: last visit …` — a reason's kind and its sentence, for people."""
    return _("{kind}: {text}").format(kind=label("reason", reason.kind), text=clean(localize(reason.text)))


def week_text(week: Week) -> str:
    """`2026-W48 (2026-11-23 – 2026-11-29)`; in Chinese the days with their weekday."""
    return _("{label} ({start} – {end})").format(label=week.label, start=localize(week.start), end=localize(week.end))


_TERM_NAMES = {"tier": N_("tier"), "days overdue": N_("days overdue")}


def term_name(name: str) -> str:
    """An urgency term's name (`tier`, `days overdue`, `reason cadence`) for people."""
    if name.startswith("reason "):
        return _("reason {kind}").format(kind=label("reason", name[len("reason "):]))
    return _(_TERM_NAMES[name]) if name in _TERM_NAMES else name


def explain_json(item: DueItem, week: Week) -> dict[str, Any]:
    return {**item.as_json(), "week": week.label, "due": item.is_due}


# -- review -----------------------------------------------------------------------------

REVIEW_COLUMNS = [
    Column("rep", N_("rep")),
    Column("name", N_("name")),
    Column("cards", N_("cards"), right=True),
    Column("complete", N_("complete"), right=True),
    Column("due", N_("due"), right=True),
    Column("overdue_visits", N_("overdue"), right=True),
    Column("no_next", N_("no next"), right=True),
    Column("receivable", N_("overdue recv."), right=True),
    Column("late", N_(">60d"), right=True),
    Column("signals", N_("signals"), right=True),
    Column("visits", N_("visits 28d"), right=True),
    Column("help", N_("needs help")),
    Column("stale", N_("stale cards"), max_width=40),
]


def review_rows(result: Review) -> list[dict[str, Any]]:
    return [
        {
            "rep": r.rep, "name": r.name, "cards": r.cards,
            "complete": "-" if r.completeness is None else f"{r.completeness:.0%}",
            "due": r.due, "overdue_visits": len(r.overdue_visits), "no_next": len(r.no_next_step),
            "receivable": r.receivables.amount, "late": r.receivables.late_amount,
            "signals": len(r.signals), "visits": r.recent_visits,
            "stale": ", ".join(s["id"] for s in r.stale) or "-",
            "help": _severity_words(r.severity),
        }
        for r in result.reps
    ]


def _level_words(severity: str) -> str:
    return {"high": _("high"), "medium": _("medium"), "low": _("low"), "none": "-"}[severity]


def _severity_words(severity: str) -> str:
    return {"high": _("yes (high)"), "medium": _("medium"), "low": _("low"), "none": "-"}[severity]


def print_review(result: Review, fmt: str, currency: str) -> None:
    if fmt == "json":
        sys.stdout.write(dumps_json(result.as_json()) + "\n")
    elif fmt == "md":
        sys.stdout.write(review_markdown(result, currency))
    else:
        emit(review_rows(result), REVIEW_COLUMNS, "table",
             title=_("Weekly review {week} · today {today}").format(week=week_text(result.week),
                                                                    today=localize(result.today)))
        for r in result.reps:
            if r.flags:
                sys.stdout.write("\n" + _("{rep} ({level}): {flags}").format(
                    rep=clean(r.rep), level=_level_words(r.severity), flags=_("; ").join(map(localize, r.flags))) + "\n")
                for gap in r.gaps:
                    sys.stdout.write("  " + _("{id} {score}: missing {missing}").format(
                        id=gap.id, score=f"{gap.score:.0%}", missing=missing_text(gap.missing)) + "\n")
        if any(r.receivables.count for r in result.reps):
            sys.stdout.write("\n" + _("Overdue receivables: `kacard collect` orders them into a collection plan "
                                       "and gives the credit advice.") + "\n")


def missing_text(keys: Sequence[str]) -> str:
    """Checklist keys a card lacks, for people (`decision_maker, address`; 决策人、地址)."""
    return _(", ").join(label("checklist", k) for k in keys)


def _md(value: Any) -> str:
    """Card text in Markdown (a table cell too): render.safe.markdown_text."""
    return markdown_text(value if isinstance(value, str) else fmt_cell(value))


_REVIEW_MD_HEADERS = (N_("rep"), N_("cards"), N_("complete"), N_("due"), N_("overdue visits"), N_("no next step"),
                      N_("overdue receivables"), N_("> 60 days"), N_("signals"), N_("stale"), N_("needs help"))


def review_markdown(result: Review, currency: str = "CNY") -> str:
    lines = ["# " + _("Weekly review {week}").format(week=week_text(result.week)), "",
             _("Today {today}.").format(today=localize(result.today)), ""]
    lines += ["| " + " | ".join(_(h) for h in _REVIEW_MD_HEADERS) + " |",
              "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|"]
    for row in review_rows(result):
        lines.append("| " + " | ".join(_md(row[k]) for k in (
            "rep", "cards", "complete", "due", "overdue_visits", "no_next", "receivable", "late",
            "signals", "stale", "help")) + " |")
    for r in result.reps:
        lines += ["", *_rep_markdown(r, currency)]
    from kacard.analysis.review import CHECKLIST

    lines += ["", _("Checklist: {items}.").format(items=_("; ").join(f"`{key}` {_(text)}" for key, text in CHECKLIST))]
    return "\n".join(lines) + "\n"


def _rep_markdown(r: RepReview, currency: str) -> list[str]:
    title = _md(r.rep) + (f" {_md(r.name)}" if r.name else "")
    lines = [f"## {title}", ""]
    complete = "-" if r.completeness is None else f"{r.completeness:.0%}"
    lines.append(_("{cards} card(s), {active} active or prospect; completeness {complete}; {due} due this week; "
                   "{visits} visit(s) in the last 28 days, {without} without a next step.").format(
        cards=r.cards, active=r.active, complete=complete, due=r.due, visits=r.recent_visits,
        without=r.recent_without_next))
    lines += ["", _("**Needs help:** {flags}").format(flags=_("; ").join(map(localize, r.flags))) if r.flags
              else _("Nothing to flag.")]
    if r.gaps:
        lines += ["", "### " + _("Incomplete cards"), "",
                  "| " + " | ".join((_("card"), _("score"), _("missing"))) + " |", "|---|--:|---|"]
        lines += [f"| {_md(g.id)} | {g.score:.0%} | {missing_text(g.missing)} |" for g in r.gaps]
    if r.overdue_visits:
        lines += ["", "### " + _("Overdue for a visit"), ""]
        for o in r.overdue_visits:
            last = (_("last visit {date}").format(date=localize(o["last_visit"])) if o["last_visit"]
                    else _("never visited"))
            lines.append("- " + _("{id}: {last}, {days} days overdue").format(
                id=_md(o["id"]), last=last, days=o["days_overdue"]))
    if r.parked:
        lines += ["", "### " + _("Parked (cadence quiet until an agreed date)"), ""]
        lines += ["- " + _("{item}: {message}").format(item=_md(p["id"]), message=_md(localize(p["text"])))
                  for p in r.parked]
    if r.no_next_step:
        lines += ["", "### " + _("Last visit without a next step"), ""]
        lines += ["- " + _("{id}: visit on {date}").format(id=_md(n["id"]), date=localize(n["visit"]))
                  for n in r.no_next_step]
    if r.receivables.count:
        lines += ["", "### " + _("Overdue receivables"), "",
                  "| " + " | ".join((_("days overdue"), _("count"),
                                     _("amount ({currency})").format(currency=label("currency", currency)))) + " |",
                  "|---|--:|--:|"]
        for bucket, (amount, count) in r.receivables.buckets.items():
            lines.append(f"| {bucket} | {count} | {fmt_cell(amount)} |")
        total = _("total")
        lines.append(f"| {total} | {r.receivables.count} | {fmt_cell(r.receivables.amount)} |")
        lines += ["", *("- " + _("{id} {invoice}: {amount}, due {due}, {days} days").format(
            id=_md(i["id"]), invoice=_md(i["invoice"] or ""), amount=fmt_cell(i["amount"]), due=localize(i["due"]),
            days=i["days_overdue"]) for i in r.receivables.items)]
    if r.signals:
        lines += ["", "### " + _("Churn signals without a visit since"), ""]
        lines += ["- " + _("{id}: {kind} on {date} ({days} days)").format(
            id=_md(s["id"]), kind=_md(label("signal", s["kind"])), date=localize(s["date"]), days=s["days_open"])
            for s in r.signals]
    if r.deals:
        lines += ["", "### " + _("Deals stalled, past their close date or missing a key node"), ""]
        lines += [f"- {_md(d['id'])}: {_md(localize(d['text']))}" for d in r.deals]
    if r.people:
        lines += ["", "### " + _("Key-people dangers"), ""]
        lines += [f"- {_md(d['id'])}: {_md(localize(d['text']))}" for d in r.people]
    if r.stale:
        lines += ["", "### " + _("Stale cards"), ""]
        lines += ["- " + _("{id}: last touched {date}").format(
            id=_md(s["id"]), date=localize(s["last_touched"]) if s["last_touched"] else _("never"))
            for s in r.stale]
    return lines


# -- the multi-card brief ---------------------------------------------------------------


def _bump_headings(markdown: str) -> str:
    """Nest one card's brief under the document: `# name` becomes `## name`."""
    return "\n".join("#" + line if line.startswith("#") else line for line in markdown.splitlines()) + "\n"


def briefs_markdown(title: str, entries: Sequence[tuple[dict[str, Any], DueItem | None]], currency: str) -> str:
    """One printable Markdown document: contents, then each card's brief with why it is due."""
    from kacard.render.brief import brief_markdown

    lines = [f"# {markdown_text(title)}", ""]
    if not entries:
        lines.append(_("Nothing due: no briefs to carry this week."))
        return "\n".join(lines) + "\n"
    for n, (data, item) in enumerate(entries, 1):
        why = f" — {short_reason(item)}" if item and item.is_due else ""
        lines.append(f"{n}. " + _("{name} ({id})").format(name=_md(data["name"]), id=_md(data["id"])) + _md(why))
    for data, item in entries:
        body = _bump_headings(brief_markdown(data, currency)).rstrip("\n")
        if item is not None and item.is_due:  # why this week comes first, before the next step
            why = "\n".join(["### " + _("Why this week"), ""] + ["- " + _md(reason_line(r)) for r in item.reasons])
            head, sep, tail = body.partition("\n### " + _("Next step"))
            body = f"{head}\n{why}\n{sep}{tail}" if sep else f"{body}\n\n{why}"
        lines += ["", "---", "", body]
    return "\n".join(lines) + "\n"


_CSS = """
body { font-family: -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif;
       max-width: 48em; margin: 2em auto; line-height: 1.4; color: #222; }
section.card { break-before: page; page-break-before: always; }
h2 { border-bottom: 1px solid #999; }
.meta { color: #555; } .overdue { color: #b00; font-weight: bold; }
@media print { body { margin: 0; max-width: none; } nav { break-after: page; } }
"""


def _contact_link(value: str, kind: str) -> str:
    """A phone as a tap-to-call `tel:` link, an e-mail as `mailto:`; a masked one (with
    `*`, from --redact) as plain text. The link target keeps only digits and `+` (tel) or
    is escaped (mailto): card text never becomes a script or another scheme."""
    from urllib.parse import quote

    from kacard.render.brief import tel_uri

    if "*" in value or "[" in value:
        return _e(value)
    if kind == "phone":
        target = tel_uri(value)
        return f'<a href="{html_text(target)}">☎ {_e(value)}</a>' if target else _e(value)
    target = "mailto:" + quote(value.strip(), safe="@.+-_")
    return f'<a href="{html_text(target)}">{_e(value)}</a>'


def _ul(items: list[str], empty: str | None = None) -> str:
    if not items:
        return f"<p>{_e(empty)}</p>" if empty else ""
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def brief_html_section(data: dict[str, Any], item: DueItem | None, currency: str) -> str:
    """One card's brief as an HTML <section>; every value from the card is escaped."""
    from kacard.render.brief import visit_hours_text

    out = [f'<section class="card" id="{_e(data["id"])}">',
           f"<h2>{_e(data['name'])} <small>({_e(data['id'])})</small></h2>"]
    meta = [_e(_("status {status}").format(status=label("status", data["status"]))),
            _e(_("owner {owner}").format(owner=data["owner"] + (f" {data['owner_name']}" if data["owner_name"] else "")))]
    if data["tier_pinned"]:
        meta.append(_e(_("tier {tier} (pinned)").format(tier=data["tier_pinned"])))
    meta += [f"{_e(label('card field', k))} {_e(label(k, data[k]))}" for k in ("industry", "sector", "region",
                                                                             "relationship") if data[k]]
    out.append(f'<p class="meta">{" · ".join(meta)}</p>')
    if data["address"]:
        out.append(f"<p>{_e(_('address: {address}').format(address=data['address']))}</p>")
    out.append(f"<p>{_e(visit_hours_text(data))}</p>")
    out.append(f"<p>{_e(_('revenue last {days} days: {amount}').format(days=data['window_days'], amount=with_currency(fmt_cell(data['revenue_window']), currency)))}</p>")
    if data["credit"]:
        out.append("<p>" + _e(_("credit: {terms}").format(terms=_(", ").join(
            f"{label('credit', k)} {fmt_cell(v)}" for k, v in data["credit"].items() if v is not None))) + "</p>")
    if item is not None and item.is_due:
        out.append(f"<h3>{_e(_('Why this week'))}</h3>")
        out.append(_ul([_e(reason_line(r)) for r in item.reasons]))
    out += next_step_html(data["next_step"], heading="h3", late=("overdue", _("OVERDUE")), empty="<p>")
    out.append(f"<h3>{_e(_('Key people'))}</h3>")
    people = []
    for p in data["people"]:
        bits = [f"<strong>{_e(p['name'])}</strong>"] + ([_e(p["title"])] if p["title"] else []) + (
            [_e(label("role", p["role"]))] if p["role"] else [])
        if p["influence"]:
            bits.append(_e(_("influence {n}").format(n=p["influence"])))
        if p["stance"]:
            bits.append(_e(label("stance", p["stance"])))
        bits += [_contact_link(p[k], k) for k in ("phone", "email") if p.get(k)]  # brief.PHONES_RULE
        people.append(" · ".join(bits))
    out.append(_ul(people, _("no contacts on the card")))
    out.append(f"<h3>{_e(_('Last visits'))}</h3>")
    visits = []
    for v in data["last_visits"]:
        who = _(" with {people}").format(people=_(", ").join(clean(w) for w in v["with"])) if v["with"] else ""
        text = _e(_("{date} {kind}{who}: {summary}").format(
            date=fmt_cell(v["date"]), kind=label("visit kind", v["kind"]), who=who, summary=v["summary"]))
        if v["next"]:
            text += "<br>" + _e(_("next: {date} {action}").format(date=fmt_cell(v["next"]["date"]),
                                                                  action=v["next"]["action"]))
        visits.append(text)
    out.append(_ul(visits, _("never visited")))
    if data["receivables"]:
        out.append(f"<h3>{_e(_('Overdue receivables'))}</h3>")
        out.append(_ul([_e(_("{invoice}: {amount}, due {due}, {days} days overdue").format(
            invoice=r["invoice"] or _("invoice"), amount=with_currency(fmt_cell(r["amount"]), currency),
            due=fmt_cell(r["due"]), days=r["days_overdue"])) for r in data["receivables"]]))
    if data["signals"]:
        out.append(f"<h3>{_e(_('Churn signals (no visit since)'))}</h3>")
        out.append(_ul([_e(_("{date} {kind}: {note}").format(date=fmt_cell(s["date"]), kind=label("signal", s["kind"]),
                                                             note=s["note"] or "")) for s in data["signals"]]))
    if data["opportunities"]:
        out.append(f"<h3>{_e(_('Open opportunities'))}</h3>")
        out.append(_ul([_e(_("{title} · {stage} · {amount} · close {close}").format(
            title=o["title"], stage=label("stage", o["stage"]), amount=fmt_cell(o["amount"]), close=fmt_cell(o["close"])))
            for o in data["opportunities"]]))
    out.append("</section>")
    return "\n".join(out)


def briefs_html(title: str, entries: Sequence[tuple[dict[str, Any], DueItem | None]], currency: str) -> str:
    """One printable HTML page (each card starts a new printed page)."""
    head = (f'<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n<title>{_e(title)}</title>\n'
            f"<style>{_CSS}</style>\n</head>\n<body>\n<h1>{_e(title)}</h1>\n")
    if not entries:
        return head + f"<p>{_e(_('Nothing due: no briefs to carry this week.'))}</p>\n</body>\n</html>\n"
    toc = "<nav><ol>" + "".join(
        f'<li><a href="#{_e(d["id"])}">{_e(d["name"])}</a> ({_e(d["id"])})'
        + (f" — {_e(short_reason(i))}" if i and i.is_due else "") + "</li>"
        for d, i in entries) + "</ol></nav>\n"
    body = "\n".join(brief_html_section(d, i, currency) for d, i in entries)
    return head + toc + body + "\n</body>\n</html>\n"
