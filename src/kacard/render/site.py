"""`kacard site`: the cards as a static site for the rep's phone (issue 20, SPEC §9).

`build_site` returns the pages as {relative path: HTML}: `index.html` (the rep's start
page with --owner/--mine, else the team's index linking to `rep-<id>.html` per rep) and
`cards/<id>.html` per card. A start page shows the week's route per day, today's first,
each day with its map links (kacard.render.route.day_links, the team's map app), the due list with reasons,
urgency and next step, and a search over the cards (name, pinyin, initials) that works
offline. A card page is the card's brief (kacard.render.brief.brief_data).

Every value from a card goes through `site_page.esc`; with `redact` the personal data
goes first (render.brief.redact_brief: the one redaction rule, kacard.privacy).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kacard.cards.lookup import readings
from kacard.i18n import _, label
from kacard.planning.carry import RepWeek
from kacard.planning.route import RouteDay, RoutePlan
from kacard.privacy import scrub
from kacard.render.brief import redact_brief, tel_uri
from kacard.render.route import day_links, stop_links
from kacard.render.site_page import esc, next_step_html, page, search_block

Brief = dict[str, Any]  # render.brief.brief_data

# -- pieces ---------------------------------------------------------------------------------


def card_path(card_id: str) -> str:
    """The page of a card, relative to the site folder (ids are file-name safe: ID_PATTERN)."""
    return f"cards/{card_id}.html"


def _ul(items: Sequence[str], empty: str | None = None, cls: str = "") -> str:
    if not items:
        return f'<p class="muted">{esc(empty)}</p>\n' if empty else ""
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>\n"


def _day_title(day: RouteDay, today: Any) -> str:
    label = esc(f"{_(day.date.strftime('%a'))} {day.date.isoformat()}")
    return (esc(_("Today")) + " · " + label) if day.date == today else label


def _day_html(plan: RoutePlan, day: RouteDay, today: Any) -> str:
    """One day of the route: its visits in order, each linked to its card, and the map link."""
    if not day.stops:
        return f'<p><strong>{_day_title(day, today)}</strong> <span class="muted">{esc(_("no visits"))}</span></p>'
    stops = [f"{esc(s.start.strftime('%H:%M'))} <a href=\"{card_path(s.id)}\">{esc(s.name)}</a>"
             + (f' <span class="muted">{esc(s.address)}</span>' if s.address else "")
             + f' <a class="nav" href="{esc(stop_links(plan, s).web)}">{esc(_("navigate"))}</a>'
             + (f' <span class="late">{esc(_("fixed appointment"))}</span>' if s.fixed else "")
             for s in day.stops]
    out = [f"<h3>{_day_title(day, today)}</h3>", "<ol>" + "".join(f"<li>{s}</li>" for s in stops) + "</ol>"]
    links = day_links(plan, day)  # the team's map app (map.app in kacard.yaml)
    if links:
        out.append(f'<a class="map" href="{esc(links.web)}">'
                   f'{esc(_("The route in {app}").format(app=links.app_name))}</a>')
        if links.app:
            out.append(f'<a class="map" href="{esc(links.app)}">{esc(_("Open in the app"))}</a>')
    drive = _("{km:.0f} km, {minutes:.0f} min driving").format(km=day.travel_km, minutes=day.travel_minutes)
    out.append(f'<p class="muted">{esc(drive)}</p>')
    return "\n".join(out)


def today_html(plan: RoutePlan | None, today: Any) -> str:
    """Today's visits (empty when today is not a planned day of the week)."""
    days = [d for d in plan.days if d.date == today] if plan else []
    return "".join(f'<section class="today" id="today">{_day_html(plan, d, today)}</section>\n'
                   for d in days if plan)


def route_html(plan: RoutePlan, today: Any) -> str:
    """The week's route after today, one block per day, and the accounts left out."""
    out = [_day_html(plan, day, today) for day in plan.days if day.date != today]
    if plan.unplanned:
        out.append(f"<h3>{esc(_('Left out'))}</h3>")
        out.append(_ul([f'<a href="{card_path(u.id)}">{esc(u.name)}</a>: {esc(u.reason)}'
                        for u in plan.unplanned]))
    return "\n".join(out) + "\n"


def due_html(week: RepWeek, text: Any = str) -> str:
    """The due list: urgency, name, every reason, the next step; free text through `text`
    (`scrub` for a redacted site)."""
    rows = []
    for item in week.items:
        step = item.next_step
        row = (f'<span class="urg">{esc(f"{item.urgency:.1f}")}</span>'
                f'<a href="{card_path(item.id)}"><strong>{esc(item.name)}</strong></a>'
                f' <span class="muted">{esc(item.tier)}</span><br>'
                + "<br>".join(esc(text(r.text)) for r in item.reasons))
        if step:
            row += f"<br>{esc(_('Next step'))}: {esc(step.date)} {esc(text(step.action))}"
        rows.append(row)
    return _ul(rows, _("Nothing due this week."), "due")


def start_page(week: RepWeek, label: str, today: Any, index: list[dict[str, Any]], *, home: str = "",
               redact: bool = False) -> str:
    """A rep's start page: search, today's visits, the due list, then the rest of the route."""
    title = _("{rep} · week {week}").format(rep=week.name, week=label)
    body = [f"<h1>{esc(title)}</h1>"]
    if home:
        body.append(f'<nav><a href="{home}">{esc(_("All reps"))}</a></nav>')
    body.append(search_block(index))
    body.append(today_html(week.plan, today))
    body.append(f'<h2 id="due">{esc(_("Due this week ({n})").format(n=len(week.items)))}</h2>')
    body.append(due_html(week, scrub if redact else str))
    body.append(f'<h2 id="route">{esc(_("Route this week"))}</h2>')
    body.append(route_html(week.plan, today) if week.plan else f'<p class="muted">{esc(week.note)}</p>\n')
    return page(title, "\n".join(body))


def team_page(weeks: Sequence[RepWeek], label: str, index: list[dict[str, Any]]) -> str:
    """The team's index: one link per rep's start page, and the search."""
    title = _("Cards · week {week}").format(week=label)
    reps = [f'<a href="rep-{esc(w.owner)}.html">{esc(w.name)}</a> '
            f'<span class="muted">{esc(_("{n} due").format(n=len(w.items)))}</span>' for w in weeks]
    body = f"<h1>{esc(title)}</h1>\n" + search_block(index) + f"<h2>{esc(_('Reps'))}</h2>\n" + _ul(reps)
    return page(title, body)


def card_page(data: Brief, currency: str, *, back: str) -> str:
    """One card's brief, readable on a 360-pixel-wide screen; phones as `tel:` links."""
    body = [f'<nav><a href="{back}">{esc(_("Back"))}</a></nav>',
            f"<h1>{esc(data['name'])}</h1>",
            f'<p class="meta">{esc(data["id"])} · {esc(label("status", data["status"]))} · '
            f'{esc(data["owner_name"] or data["owner"])}'
            + "".join(f" · {esc(label(k, data[k]))}" for k in ("industry", "region", "relationship") if data[k]) + "</p>"]
    if data["address"]:
        body.append(f"<p>{esc(data['address'])}</p>")
    body += next_step_html(data["next_step"], heading="h2", late=("late", _("overdue")), empty='<p class="muted">')
    body.append(f"<h2>{esc(_('Key people'))}</h2>")
    people = []
    for p in data["people"]:
        bits = [f"<strong>{esc(p['name'])}</strong>"] + [esc(label(k, p[k])) for k in ("title", "role", "stance") if p[k]]
        line = " · ".join(bits)
        href = tel_uri(p["phone"]) if p["phone"] else None
        if href:
            line += f'<br><a class="tel" href="{esc(href)}">{esc(p["phone"])}</a>'
        people.append(line)
    body.append(_ul(people, _("no contacts on the card")))
    body.append(f"<h2>{esc(_('Last visits'))}</h2>")
    body.append(_ul([f"{esc(v['date'])} {esc(label('visit kind', v['kind']))}: {esc(v['summary'])}" for v in data["last_visits"]],
                    _("never visited")))
    if data["receivables"]:
        body.append(f"<h2>{esc(_('Overdue receivables'))}</h2>")
        body.append(_ul([esc(_("{invoice}: {amount} {currency}, due {due}, {days} days overdue").format(
            invoice=r["invoice"] or _("invoice"), amount=r["amount"], currency=currency, due=r["due"],
            days=r["days_overdue"])) for r in data["receivables"]]))
    if data["signals"]:
        body.append(f"<h2>{esc(_('Churn signals (no visit since)'))}</h2>")
        body.append(_ul([f"{esc(s['date'])} {esc(label('signal', s['kind']))}: {esc(s['note'] or '')}" for s in data["signals"]]))
    if data["opportunities"]:
        body.append(f"<h2>{esc(_('Open opportunities'))}</h2>")
        body.append(_ul([f"{esc(o['title'])} · {esc(label('stage', o['stage']))} · {esc(o['amount'])} · {esc(o['close'])}"
                         for o in data["opportunities"]]))
    return page(f"{data['name']} ({data['id']})", "\n".join(body))


def search_index(briefs: Sequence[Brief]) -> list[dict[str, Any]]:
    """The inlined search index: id, name, the name's pinyin readings, owner, link."""
    return [{"i": b["id"], "n": b["name"], "r": [list(r) for r in readings(b["name"])],
             "o": b["owner_name"] or b["owner"], "h": card_path(b["id"])} for b in briefs]


def build_site(briefs: Sequence[Brief], weeks: Sequence[RepWeek], week_label: str, today: Any,
               currency: str, *, one_rep: bool, redact: bool = False) -> dict[str, str]:
    """Every page of the site: {path relative to the site folder: HTML}. `briefs` are the
    cards to carry (brief_data), `weeks` the reps' weeks (one with `one_rep`)."""
    if redact:
        briefs = [redact_brief(b) for b in briefs]
    briefs = sorted(briefs, key=lambda b: b["id"])
    index = search_index(briefs)
    pages: dict[str, str] = {}
    if one_rep:
        pages["index.html"] = start_page(weeks[0], week_label, today, index, redact=redact)
    else:
        pages["index.html"] = team_page(weeks, week_label, index)
        for week in weeks:
            pages[f"rep-{week.owner}.html"] = start_page(week, week_label, today, index, home="index.html",
                                                             redact=redact)
    start_of: Mapping[str, str] = ({} if one_rep else {w.owner: f"rep-{w.owner}.html" for w in weeks})
    for data in briefs:
        back = "../" + start_of.get(data["owner"], "index.html")
        pages[card_path(data["id"])] = card_page(data, currency, back=back)
    return pages


__all__ = ["build_site", "card_page", "search_index", "start_page"]
