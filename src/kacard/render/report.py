"""Documents for the weekly workflow: the due list, its urgency breakdown, the
manager's review (table / Markdown) and the multi-card brief (Markdown / HTML).

Card text goes through `clean` (one line, no control characters) everywhere and
through render.safe (markdown_text, html_text) in Markdown and HTML.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kacard.dates import Week
from kacard.analysis.due import DueItem, Reason
from kacard.i18n import _
from kacard.render.output import Column, dumps_json, emit, fmt_cell
from kacard.render.safe import html_text, markdown_text
from kacard.text import clean

if TYPE_CHECKING:
    from kacard.analysis.review import Review, RepReview

# -- due --------------------------------------------------------------------------------

DUE_COLUMNS = [
    Column("urgency", "urgency", right=True),
    Column("id", "id"),
    Column("name", "name", max_width=24, drop=4),
    Column("owner", "owner", drop=1),
    Column("tier", "tier", drop=3),
    Column("why", "why", max_width=60, least=30),  # the reasons (a churn signal's too) stay readable
    Column("next", "next step", max_width=30, drop=2),
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
        if r.kind == "cadence":
            status = r.detail.get("status")
            parts.append(f"cadence {status}" + (f" {r.days_overdue}d" if r.days_overdue else ""))
        elif r.kind == "next_step":
            parts.append(f"next step {r.date}" + (f" ({r.days_overdue}d late)" if r.days_overdue else ""))
        elif r.kind == "receivable":
            parts.append(f"receivable {fmt_cell(r.detail.get('amount'))} {r.days_overdue}d")
        elif r.kind == "signal":
            parts.append(f"signal {r.detail.get('signal')} {r.date}")
        elif r.kind in ("opportunity", "relationship"):
            parts.append(sale_reason(r))
        else:
            parts.append("no next step")
    return "; ".join(parts)


def sale_reason(r: Reason) -> str:
    """An `opportunity` or `relationship` reason in a few words: `deal p1 stalled 52d`,
    `deal p2 past close 8d`, `deal p1 missing node`, `people: no coach`."""
    if r.kind == "opportunity":
        problem = str(r.detail.get("problem", "")).replace("_", " ")
        return f"deal {r.detail.get('opportunity')} {problem}" + (f" {r.days_overdue}d" if r.days_overdue else "")
    return "people: " + str(r.detail.get("warning", "")).replace("_", " ")


def due_rows(items: Sequence[DueItem]) -> list[dict[str, Any]]:
    rows = []
    for item in items:
        step = item.next_step
        rows.append({
            "id": item.id, "name": item.name, "owner": item.owner, "tier": item.tier,
            "urgency": item.urgency, "days_overdue": item.days_overdue, "kinds": item.kinds,
            "why": short_reason(item),
            "next": f"{step.date} {step.action}" if step else None,
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
    lines = [f"{clean(item.name)} ({item.id}) · owner {item.owner} · tier {item.tier} · week {week}"]
    if not item.is_due:
        lines.append(f"not due in {week.label}: no reason holds")
        if item.visit_by:
            lines.append(f"  cadence: last visit {item.last_visit}, next visit by {item.visit_by}")
        if item.next_step:
            lines.append(f"  next step: {item.next_step.date} {clean(item.next_step.action)}")
        lines += _parked_lines(item)
        return "\n".join(lines) + "\n"
    lines += ["", f"  {'urgency term':<18} {'value':>6}   {'weight':>6}   {'points':>8}   source"]
    for t in item.terms:
        lines.append(f"  {t.name:<18} {t.value:>6g} × {t.weight:>6g} = {t.contribution:>8.2f}   {clean(t.source)}")
    lines.append(f"  {'total':<18} {'':>6}   {'':>6}   {item.urgency:>8.2f}")
    lines += ["", "reasons:"]
    lines += [f"  - {r.kind}: {clean(r.text)}" for r in item.reasons]
    lines += _parked_lines(item)
    return "\n".join(lines) + "\n"


def _parked_lines(item: DueItem) -> list[str]:
    if item.parked is None:
        return []
    return [f"  parked: {clean(item.parked.text)}; the cadence reason is quiet until then "
            "(parking: true in kacard.yaml)"]


def explain_json(item: DueItem, week: Week) -> dict[str, Any]:
    return {**item.as_json(), "week": week.label, "due": item.is_due}


# -- review -----------------------------------------------------------------------------

REVIEW_COLUMNS = [
    Column("rep", "rep"),
    Column("name", "name"),
    Column("cards", "cards", right=True),
    Column("complete", "complete", right=True),
    Column("due", "due", right=True),
    Column("overdue_visits", "overdue", right=True),
    Column("no_next", "no next", right=True),
    Column("receivable", "overdue recv.", right=True),
    Column("late", ">60d", right=True),
    Column("signals", "signals", right=True),
    Column("visits", "visits 28d", right=True),
    Column("help", "needs help"),
    Column("stale", "stale cards", max_width=40),
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
             title=f"Weekly review {result.week} · today {result.today}")
        for r in result.reps:
            if r.flags:
                sys.stdout.write(f"\n{clean(r.rep)} ({_level_words(r.severity)}): " + "; ".join(r.flags) + "\n")
                for gap in r.gaps:
                    sys.stdout.write(f"  {gap.id} {gap.score:.0%}: missing {', '.join(gap.missing)}\n")
        if any(r.receivables.count for r in result.reps):
            sys.stdout.write("\n" + _("Overdue receivables: `kacard collect` orders them into a collection plan "
                                       "and gives the credit advice.") + "\n")


def _md(value: Any) -> str:
    """Card text in Markdown (a table cell too): render.safe.markdown_text."""
    return markdown_text(value if isinstance(value, str) else fmt_cell(value))


def review_markdown(result: Review, currency: str = "CNY") -> str:
    lines = [f"# Weekly review {result.week}", "", f"Today {result.today}.", ""]
    lines += ["| rep | cards | complete | due | overdue visits | no next step | overdue receivables | > 60 days"
              " | signals | stale | needs help |",
              "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|"]
    for row in review_rows(result):
        lines.append("| " + " | ".join(_md(row[k]) for k in (
            "rep", "cards", "complete", "due", "overdue_visits", "no_next", "receivable", "late",
            "signals", "stale", "help")) + " |")
    for r in result.reps:
        lines += ["", *_rep_markdown(r, currency)]
    from kacard.analysis.review import CHECKLIST

    lines += ["", "Checklist: " + "; ".join(f"`{key}` {label}" for key, label in CHECKLIST) + "."]
    return "\n".join(lines) + "\n"


def _rep_markdown(r: RepReview, currency: str) -> list[str]:
    title = _md(r.rep) + (f" {_md(r.name)}" if r.name else "")
    lines = [f"## {title}", ""]
    complete = "-" if r.completeness is None else f"{r.completeness:.0%}"
    lines.append(f"{r.cards} card(s), {r.active} active or prospect; completeness {complete}; "
                 f"{r.due} due this week; {r.recent_visits} visit(s) in the last 28 days, "
                 f"{r.recent_without_next} without a next step.")
    lines += ["", "**Needs help:** " + "; ".join(r.flags) if r.flags else "Nothing to flag."]
    if r.gaps:
        lines += ["", "### Incomplete cards", "", "| card | score | missing |", "|---|--:|---|"]
        lines += [f"| {_md(g.id)} | {g.score:.0%} | {', '.join(g.missing)} |" for g in r.gaps]
    if r.overdue_visits:
        lines += ["", "### Overdue for a visit", ""]
        for o in r.overdue_visits:
            last = f"last visit {o['last_visit']}" if o["last_visit"] else "never visited"
            lines.append(f"- {_md(o['id'])}: {last}, {o['days_overdue']} days overdue")
    if r.parked:
        lines += ["", "### Parked (cadence quiet until an agreed date)", ""]
        lines += [f"- {_md(p['id'])}: {_md(p['text'])}" for p in r.parked]
    if r.no_next_step:
        lines += ["", "### Last visit without a next step", ""]
        lines += [f"- {_md(n['id'])}: visit on {n['visit']}" for n in r.no_next_step]
    if r.receivables.count:
        lines += ["", "### Overdue receivables", "", f"| days overdue | count | amount ({currency}) |",
                  "|---|--:|--:|"]
        for bucket, (amount, count) in r.receivables.buckets.items():
            lines.append(f"| {bucket} | {count} | {fmt_cell(amount)} |")
        lines.append(f"| total | {r.receivables.count} | {fmt_cell(r.receivables.amount)} |")
        lines += ["", *(f"- {_md(i['id'])} {_md(i['invoice'] or '')}: {fmt_cell(i['amount'])}, due {i['due']}, "
                        f"{i['days_overdue']} days" for i in r.receivables.items)]
    if r.signals:
        lines += ["", "### Churn signals without a visit since", ""]
        lines += [f"- {_md(s['id'])}: {_md(s['kind'])} on {s['date']} ({s['days_open']} days)" for s in r.signals]
    if r.deals:
        lines += ["", "### Deals stalled, past their close date or missing a key node", ""]
        lines += [f"- {_md(d['id'])}: {_md(d['text'])}" for d in r.deals]
    if r.people:
        lines += ["", "### Key-people dangers", ""]
        lines += [f"- {_md(d['id'])}: {_md(d['text'])}" for d in r.people]
    if r.stale:
        lines += ["", "### Stale cards", ""]
        lines += [f"- {_md(s['id'])}: last touched {s['last_touched'] or 'never'}" for s in r.stale]
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
        lines.append("Nothing due: no briefs to carry this week.")
        return "\n".join(lines) + "\n"
    for n, (data, item) in enumerate(entries, 1):
        why = f" — {short_reason(item)}" if item and item.is_due else ""
        lines.append(f"{n}. {_md(data['name'])} ({_md(data['id'])}){_md(why)}")
    for data, item in entries:
        body = _bump_headings(brief_markdown(data, currency)).rstrip("\n")
        if item is not None and item.is_due:  # why this week comes first, before the next step
            why = "\n".join(["### Why this week", ""] + [f"- {r.kind}: {_md(r.text)}" for r in item.reasons])
            head, sep, tail = body.partition("\n### Next step")
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


def _e(value: Any) -> str:
    """Escape card text for HTML (and keep it on one line)."""
    return html_text(clean(fmt_cell(value)))


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
    meta = [f"status {_e(data['status'])}", f"owner {_e(data['owner'])}"
            + (f" {_e(data['owner_name'])}" if data["owner_name"] else "")]
    if data["tier_pinned"]:
        meta.append(f"tier {_e(data['tier_pinned'])} (pinned)")
    meta += [f"{k} {_e(data[k])}" for k in ("industry", "sector", "region", "relationship") if data[k]]
    out.append(f'<p class="meta">{" · ".join(meta)}</p>')
    if data["address"]:
        out.append(f"<p>address: {_e(data['address'])}</p>")
    out.append(f"<p>{_e(visit_hours_text(data))}</p>")
    out.append(f"<p>revenue last {data['window_days']} days: {_e(data['revenue_window'])} {_e(currency)}</p>")
    if data["credit"]:
        out.append("<p>credit: " + ", ".join(f"{_e(k)} {_e(v)}" for k, v in data["credit"].items()
                                              if v is not None) + "</p>")
    if item is not None and item.is_due:
        out.append("<h3>Why this week</h3>")
        out.append(_ul([f"{_e(r.kind)}: {_e(r.text)}" for r in item.reasons]))
    out.append("<h3>Next step</h3>")
    step = data["next_step"]
    if step:
        when = _e(step["date"]) + (f" {step['time'].strftime('%H:%M')}" if step["time"] else "")
        late = ' <span class="overdue">OVERDUE</span>' if step["overdue"] else ""
        out.append(f"<p>{when}{late}: {_e(step['action'])}</p>")
    else:
        out.append("<p>none recorded: agree one at the next contact</p>")
    out.append("<h3>Key people</h3>")
    people = []
    for p in data["people"]:
        bits = [f"<strong>{_e(p['name'])}</strong>"] + [_e(p[k]) for k in ("title", "role") if p[k]]
        if p["influence"]:
            bits.append(f"influence {_e(p['influence'])}")
        if p["stance"]:
            bits.append(_e(p["stance"]))
        bits += [_contact_link(p[k], k) for k in ("phone", "email") if p.get(k)]  # brief.PHONES_RULE
        people.append(" · ".join(bits))
    out.append(_ul(people, "no contacts on the card"))
    out.append("<h3>Last visits</h3>")
    visits = []
    for v in data["last_visits"]:
        who = f" with {', '.join(_e(w) for w in v['with'])}" if v["with"] else ""
        text = f"{_e(v['date'])} {_e(v['kind'])}{who}: {_e(v['summary'])}"
        if v["next"]:
            text += f"<br>next: {_e(v['next']['date'])} {_e(v['next']['action'])}"
        visits.append(text)
    out.append(_ul(visits, "never visited"))
    if data["receivables"]:
        out.append("<h3>Overdue receivables</h3>")
        out.append(_ul([f"{_e(r['invoice'] or 'invoice')}: {_e(r['amount'])} {_e(currency)}, due {_e(r['due'])}, "
                        f"{_e(r['days_overdue'])} days overdue" for r in data["receivables"]]))
    if data["signals"]:
        out.append("<h3>Churn signals (no visit since)</h3>")
        out.append(_ul([f"{_e(s['date'])} {_e(s['kind'])}: {_e(s['note'] or '')}" for s in data["signals"]]))
    if data["opportunities"]:
        out.append("<h3>Open opportunities</h3>")
        out.append(_ul([f"{_e(o['title'])} · {_e(o['stage'])} · {_e(o['amount'])} · close {_e(o['close'])}"
                        for o in data["opportunities"]]))
    out.append("</section>")
    return "\n".join(out)


def briefs_html(title: str, entries: Sequence[tuple[dict[str, Any], DueItem | None]], currency: str) -> str:
    """One printable HTML page (each card starts a new printed page)."""
    head = (f'<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n<title>{_e(title)}</title>\n'
            f"<style>{_CSS}</style>\n</head>\n<body>\n<h1>{_e(title)}</h1>\n")
    if not entries:
        return head + "<p>Nothing due: no briefs to carry this week.</p>\n</body>\n</html>\n"
    toc = "<nav><ol>" + "".join(
        f'<li><a href="#{_e(d["id"])}">{_e(d["name"])}</a> ({_e(d["id"])})'
        + (f" — {_e(short_reason(i))}" if i and i.is_due else "") + "</li>"
        for d, i in entries) + "</ol></nav>\n"
    body = "\n".join(brief_html_section(d, i, currency) for d, i in entries)
    return head + toc + body + "\n</body>\n</html>\n"
