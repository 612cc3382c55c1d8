"""`kacard show`: a card as a one-page brief (read the card before you go)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from kacard.cards import facts
from kacard.cards.brief import Brief
from kacard.cards.model.card import OPEN_STAGES, Card
from kacard.cards.model.settings import Settings
from kacard.i18n import _, label, localize
from kacard.privacy import mask_email, mask_phone, scrub_data
from kacard.render.output import dumps_json, fmt_cell, with_currency
from kacard.render.safe import markdown_text

ROLE_ORDER = {"decision_maker": 0, "influencer": 1, "buyer": 2, "technical": 3, "finance": 4,
              "user": 5, "coach": 6, "gatekeeper": 7, "other": 8, None: 9}


def brief_data(card: Card, settings: Settings, today: dt.date, *, last_visits: int = 3) -> dict[str, Any]:
    """Everything the brief shows, as plain data (also the JSON of `show --format json`)."""
    from kacard.cards import brief

    return page_data(page(card, last_visits), card, partial(facts.metric, card), brief.of(card), settings, today)


def page(card: Card, last_visits: int = 3) -> dict[str, Any]:
    """What a brief shows of the card alone (neither today nor the settings change it): the
    part `brief` keeps per card version (kacard.cli.briefs) so a week's briefs need not
    parse every card. Dates, times and Decimals as they are (kacard.cards.daycache keeps them)."""
    visits = sorted(card.visits, key=lambda v: v.date)[-last_visits:][::-1]
    people = sorted(card.contacts, key=lambda c: (ROLE_ORDER.get(c.role, 9), -(c.influence or 0)))
    return {
        "visit_hours": ({"days": list(card.visit_hours.days), "start": card.visit_hours.start,
                         "end": card.visit_hours.end} if card.visit_hours else None),
        "credit": card.credit.model_dump() if card.credit else None,
        "people": [
            {"name": c.name, "title": c.title, "role": c.role, "level": c.level,
             "influence": c.influence, "stance": c.stance, "phone": c.phone, "email": c.email}
            for c in people
        ],
        "last_visits": [
            {"date": v.date, "by": v.by, "kind": v.kind, "with": v.with_, "summary": v.summary,
             "next": ({"date": v.next.date, "action": v.next.action} if v.next else None)}
            for v in visits
        ],
        "opportunities": [
            {"title": o.title, "stage": o.stage, "amount": o.amount, "close": o.close}
            for o in card.opportunities if o.stage in OPEN_STAGES
        ],
    }


def page_data(kept: dict[str, Any], account: Card | Brief, metric: Callable[[dt.date, int, str], Decimal],
              sold: Brief, settings: Settings, today: dt.date) -> dict[str, Any]:
    """brief_data from a card's `page` and the account it describes: the whole card, or its
    brief as of today from the cache's row (kacard.cards.brief: the facts read either
    alike), with `metric` its window sums (facts.metric, or the row's index) and `sold`
    its brief with deals and people (the dangers read them)."""
    rep = settings.rep(account.owner)
    step = facts.open_next_step(account, today)
    window = settings.scoring.pareto.window_days
    last = facts.last_visit(account, today)
    return {
        "id": account.id,
        "name": account.name,
        "status": account.status,
        "owner": account.owner,
        "owner_name": rep.name if rep else None,
        "tier_pinned": account.tier,
        "industry": account.industry,
        "sector": account.sector,
        "region": account.region,
        "address": account.address,
        "visit_hours": kept["visit_hours"],
        "visit_minutes": account.visit_minutes,
        "relationship": account.relationship,
        "since": account.since,
        "revenue_window": metric(today, window, "revenue"),
        "window_days": window,
        "credit": kept["credit"],
        "people": kept["people"],
        "last_visits": kept["last_visits"],
        "days_since_visit": (today - last.date).days if last else None,
        "next_step": ({"date": step.date, "time": step.time, "action": step.action,
                       "overdue": step.date < today} if step else None),
        "receivables": [
            {"invoice": r.trade.invoice, "amount": r.amount, "due": r.due, "days_overdue": r.days_overdue}
            for r in facts.overdue_receivables(account, today)
        ],
        "signals": [{"date": s.date, "kind": s.kind, "note": s.note} for s in account.signals
                    if last is None or last.date < s.date],
        "opportunities": kept["opportunities"],
        **sale_data(sold, [p["level"] for p in kept["people"]], settings, today),
    }


def sale_data(sold: Brief, levels: list[str | None], settings: Settings, today: dt.date) -> dict[str, Any]:
    """The course's dangers (kacard.analysis.people) and hints (seed 003) for the brief, from
    the account's deals and people and its contacts' `levels`."""
    from kacard.analysis.hints import team_hints
    from kacard.analysis.people import LEVELS, warnings
    from kacard.render.people import hint_lines

    return {
        "dangers": [w.as_json() for w in warnings(sold, settings.people, today)],
        "hints": hint_lines(team_hints(settings), sold.sector, [lv for lv in LEVELS if lv in levels], []),
    }


def visit_hours_text(data: dict[str, Any]) -> str:
    """"visit hours: mon, tue 09:00–17:00, 45 min a visit" (or "any working day")."""
    hours = data["visit_hours"]
    days = _(", ").join(label("weekday", d) for d in hours["days"]) if hours else ""
    when = (f"{days} {hours['start']:%H:%M}–{hours['end']:%H:%M}" if hours
            else _("any working day"))
    return _("visit hours: {when}, {minutes} min a visit").format(when=when, minutes=data["visit_minutes"])


def tel_uri(phone: str) -> str | None:
    """RFC 3966 tel: URI of a phone number as written on a card ("+86 138 0000 0000" ->
    "tel:+8613800000000"; an extension, "0571-8888 0000 ext 802", as ";ext=802"); None when it
    holds fewer than 5 digits or is masked (--redact)."""
    from kacard.cards.model.reach import split_phone

    number, ext = split_phone(phone)
    digits = "".join(ch for ch in number if ch.isdigit())
    if len(digits) < 5 or "*" in phone:
        return None
    return "tel:" + ("+" if number.startswith("+") else "") + digits + (f";ext={ext}" if ext else "")


PHONES_RULE = """A brief is the rep's own document (show, brief, handover): it shows each key
person's phone and e-mail in every format (Markdown as text, HTML as tap-to-call `tel:`
and `mailto:` links, JSON as fields). Anything marked for sharing (`--redact`) masks them
and every identifier in free text with kacard.privacy (`redact_brief`); birthdays and
private notes are never in a brief."""


def redact_brief(data: dict[str, Any]) -> dict[str, Any]:
    """brief_data for sharing: phones and e-mails masked (kacard.privacy), every
    identifier in free text scrubbed, the rest as it was."""
    out = scrub_data(data)
    for original, person in zip(data["people"], out["people"], strict=True):
        if original.get("phone"):
            person["phone"] = mask_phone(str(original["phone"]))
        if original.get("email"):
            person["email"] = mask_email(str(original["email"]))
    return out


def brief_markdown(data: dict[str, Any], currency: str = "CNY") -> str:
    """The brief as Markdown (also what `show` prints, since Markdown reads fine as text)."""
    c = lambda v: markdown_text(v if isinstance(v, str) else fmt_cell(v))
    lines = ["# " + _("{name} ({id})").format(name=c(data["name"]), id=c(data["id"])), ""]
    owner = c(data["owner"]) + (f" {c(data['owner_name'])}" if data["owner_name"] else "")
    facts_line = [_("status {status}").format(status=label("status", data["status"])),
                  _("owner {owner}").format(owner=owner)]
    if data["tier_pinned"]:
        facts_line.append(_("tier {tier} (pinned)").format(tier=c(data["tier_pinned"])))
    for key in ("industry", "sector", "region", "relationship"):
        if data[key]:
            facts_line.append(f"{label('card field', key)} {c(label(key, data[key]))}")
    lines.append(" · ".join(facts_line))
    if data["address"]:
        lines.append(_("address: {address}").format(address=c(data["address"])))
    lines.append(visit_hours_text(data))
    lines.append(_("revenue last {days} days: {amount}").format(
        days=data["window_days"], amount=with_currency(c(data["revenue_window"]), currency)))
    if data["credit"]:
        credit = data["credit"]
        lines.append(_("credit: {terms}").format(terms=_(", ").join(
            f"{label('credit', k)} {c(v)}" for k, v in credit.items() if v is not None)))
    lines += ["", "## " + _("Next step")]
    step = data["next_step"]
    if step:
        when = c(step["date"]) + (f" {step['time'].strftime('%H:%M')}" if step["time"] else "")
        flag = _(" (OVERDUE)") if step["overdue"] else ""
        lines.append("- " + _("{when}{flag}: {action}").format(when=when, flag=flag, action=c(step["action"])))
    else:
        lines.append("- " + _("none recorded: agree one at the next contact"))
    lines += ["", "## " + _("Key people")]
    for p in data["people"] or []:
        bits = [c(p["name"])] + ([c(p["title"])] if p["title"] else []) + (
            [label("role", p["role"])] if p["role"] else [])
        if p["influence"]:
            bits.append(_("influence {n}").format(n=p["influence"]))
        if p["stance"]:
            bits.append(c(label("stance", p["stance"])))
        bits += [("☎ " if k == "phone" else "") + c(p[k]) for k in ("phone", "email") if p.get(k)]  # PHONES_RULE
        lines.append("- " + " · ".join(bits))
    if not data["people"]:
        lines.append("- " + _("no contacts on the card"))
    lines += ["", "## " + _("Last visits")]
    for v in data["last_visits"]:
        who = _(" with {people}").format(people=_(", ").join(c(w) for w in v["with"])) if v["with"] else ""
        lines.append("- " + _("{date} {kind}{who}: {summary}").format(
            date=c(v["date"]), kind=label("visit kind", v["kind"]), who=who, summary=c(v["summary"])))
        if v["next"]:
            lines.append("  " + _("next: {date} {action}").format(date=c(v["next"]["date"]),
                                                                  action=c(v["next"]["action"])))
    if not data["last_visits"]:
        lines.append("- " + _("never visited"))
    if data["receivables"]:
        lines += ["", "## " + _("Overdue receivables")]
        for r in data["receivables"]:
            lines.append("- " + _("{invoice}: {amount}, due {due}, {days} days overdue").format(
                invoice=c(r["invoice"] or _("invoice")), amount=with_currency(c(r["amount"]), currency),
                due=c(r["due"]), days=r["days_overdue"]))
    if data["signals"]:
        lines += ["", "## " + _("Churn signals (no visit since)")]
        for s in data["signals"]:
            lines.append("- " + _("{date} {kind}: {note}").format(
                date=c(s["date"]), kind=label("signal", s["kind"]), note=c(s["note"] or "")))
    if data["opportunities"]:
        lines += ["", "## " + _("Open opportunities")]
        for o in data["opportunities"]:
            lines.append("- " + _("{title} · {stage} · {amount} · close {close}").format(
                title=c(o["title"]), stage=label("stage", o["stage"]), amount=c(o["amount"]), close=c(o["close"])))
    if data.get("dangers"):
        lines += ["", "## " + _("Key-people dangers (kacard people ID)")]
        lines += [f"- {c(localize(w['text']))}" for w in data["dangers"]]
    if data.get("hints"):
        lines += ["", "## " + _("What they care about (the course's hints)")]
        lines += [f"- {c(localize(h))}" for h in data["hints"]]
    return "\n".join(lines) + "\n"


def print_brief(data: dict[str, Any], fmt: str, currency: str = "CNY") -> None:
    if fmt == "json":
        sys.stdout.write(dumps_json(data) + "\n")
    else:
        sys.stdout.write(brief_markdown(data, currency))
