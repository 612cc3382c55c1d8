"""The map of key people of one account (`kacard people ID`, SPEC §9, seeds 001 and 003).

Pure core: a brief (kacard.cards.brief; its `people` and `deals` from kacard.cards.sale), the
settings and `today` come in; the people scored and ranked, the breadth of support,
the coverage of levels and roles, who reports to whom, when each was last met, and the
course's dangers as warnings come out.

* Relationship power (关系力, seed 001): find the key people and score and rank them by
  influence; widen the allies (盟友); widen the support (支持面), not only key people.
  score = influence × the weight of the person's stance (`people.stance` in kacard.yaml:
  ally +1, neutral 0, unknown 0, opponent −1), an explained `Term`; rank orders by
  influence (who matters most), then decision level, then score, then name.
* Decision power (决定力, seed 001): "never having met the top decision maker from the
  start of a project to its end is very dangerous".
* Levels 基层/中层/高层 and informal relations (隶属关系: `reports_to`) from seed 003.

Warnings (kinds stay English): `top_never_met`, `top_not_met` (an opportunity past
proposal while the top decision maker was never met, or not within `people.not_met_days`);
`no_ally_at_decision_level`, `opposing_decision_maker`, `no_coach` (accounts with an open
opportunity at `people.warn_from` or later: seed 002's 销售进入阶段 is where the
customer's organisation and roles are mapped).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from kacard.analysis.pipeline import STAGES, stage_word
from kacard.cards.brief import Brief
from kacard.cards.model.settings import People, Settings
from kacard.cards.sale import Deal, Person
from kacard.explain import Term
from kacard.i18n import Listed, Message, Word, label
from kacard.i18n.words import word

LEVELS: tuple[str, ...] = ("top", "middle", "operational")
KEY_ROLES: tuple[str, ...] = ("decision_maker", "coach", "technical", "finance", "user")
PAST_PROPOSAL: frozenset[str] = frozenset({"bidding", "negotiation", "implementation"})
WARNING_KINDS: tuple[str, ...] = (
    "top_never_met", "top_not_met", "no_ally_at_decision_level", "opposing_decision_maker", "no_coach",
)


def level_label(level: str | None) -> str:
    """A level (高层/中层/基层) for people, in the current language."""
    return label("level", level)


def role_label(role: str | None) -> str:
    """A role for people, in the current language."""
    return label("role", role)


def stance_label(stance: str) -> str:
    """A stance for people, in the current language."""
    return label("stance", stance)


def last_met(person: Person, today: dt.date) -> dt.date | None:
    """The latest visit on or before today whose `with` names the person."""
    at = bisect_right(person.met, today.toordinal())
    return dt.date.fromordinal(person.met[at - 1]) if at else None


def is_decision_level(person: Person) -> bool:
    """A decision maker, or anyone at the top level (高层)."""
    return person.role == "decision_maker" or person.level == "top"


def top_decision_maker(people: tuple[Person, ...]) -> Person | None:
    """The top decision maker (最高决策者): of the decision makers, the top-level one with
    the most influence (first on the card on ties); None when the card names none."""
    makers = [p for p in people if p.role == "decision_maker"]
    if not makers:
        return None
    return max(makers, key=lambda p: (p.level == "top", p.influence or 0, -makers.index(p)))


@dataclass(frozen=True)
class PersonView:
    person: Person
    influence: int
    stance: str
    score: float
    rank: int
    last_met: dt.date | None
    days_since_met: int | None
    terms: tuple[Term, ...]

    def as_json(self) -> dict[str, Any]:
        """SPEC §9: name, role, level, influence, stance, score, rank, last_met (+ more)."""
        p = self.person
        return {
            "name": p.name, "role": p.role, "level": p.level, "influence": self.influence,
            "stance": self.stance, "score": self.score, "rank": self.rank, "last_met": self.last_met,
            "title": p.title, "reports_to": p.reports_to, "days_since_met": self.days_since_met,
            "influence_rated": p.influence is not None, "terms": [t.as_json() for t in self.terms],
        }


@dataclass(frozen=True)
class Warning:
    kind: str
    text: str
    detail: dict[str, Any]
    days_overdue: int = 0  # top_not_met: days beyond people.not_met_days

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, **self.detail}


@dataclass(frozen=True)
class PeopleReport:
    account: str
    name: str
    sector: str | None
    people: tuple[PersonView, ...]  # by rank
    warnings: tuple[Warning, ...]
    support: dict[str, Any]
    coverage: dict[str, Any]
    tree: tuple[tuple[str, int], ...]  # (name, depth) in reports_to order, roots first

    def as_json(self) -> dict[str, Any]:
        """SPEC §9: {"account", "people": [...], "warnings": [{"kind", "text"}]} (+ more)."""
        return {
            "account": self.account, "name": self.name, "sector": self.sector,
            "people": [p.as_json() for p in self.people],
            "warnings": [w.as_json() for w in self.warnings],
            "support": self.support, "coverage": self.coverage,
            "tree": [{"name": name, "depth": depth} for name, depth in self.tree],
        }


def score_terms(person: Person, rules: People) -> tuple[int, str, tuple[Term, ...]]:
    """(influence, stance, [influence × stance weight]) of one person."""
    influence = person.influence if person.influence is not None else rules.default_influence
    stance = person.stance or "unknown"
    weight = float(rules.stance.get(stance, 0.0))  # type: ignore[call-overload]
    source = (f"influence {influence}" if person.influence is not None
              else f"influence not rated: people.default_influence {influence}")
    return influence, stance, (Term("influence × stance", float(influence), weight,
                                    f"{source}; stance {stance}: people.stance.{stance}"),)


def ranked(people: tuple[Person, ...], rules: People, today: dt.date) -> tuple[PersonView, ...]:
    scored = []
    for i, person in enumerate(people):
        influence, stance, terms = score_terms(person, rules)
        score = round(sum(t.contribution for t in terms), 2)
        met = last_met(person, today)
        scored.append((i, person, influence, stance, score, met, terms))
    scored.sort(key=lambda s: (-s[2], not is_decision_level(s[1]), -s[4], s[1].name, s[0]))
    return tuple(
        PersonView(person, influence, stance, score, rank, met,
                   (today - met).days if met is not None else None, terms)
        for rank, (_i, person, influence, stance, score, met, terms) in enumerate(scored, start=1)
    )


def support(views: tuple[PersonView, ...]) -> dict[str, Any]:
    """The breadth of support (支持面): people by stance, the allies' share of all
    influence and the net score (sum of scores)."""
    keys = {"ally": "allies", "neutral": "neutral", "opponent": "opponents", "unknown": "unknown"}
    counts = {key: sum(1 for v in views if v.stance == stance) for stance, key in keys.items()}
    influence = sum(v.influence for v in views)
    allied = sum(v.influence for v in views if v.stance == "ally")
    return {
        "people": len(views), **counts,
        "ally_influence_share": round(allied / influence, 2) if influence else 0.0,
        "net_score": round(sum(v.score for v in views), 2),
        "allies_named": [v.person.name for v in views if v.stance == "ally"],
    }


def coverage(views: tuple[PersonView, ...]) -> dict[str, Any]:
    """Levels (高层/中层/基层) and key roles: who is there, and how many are allies."""
    levels = {level: {"people": [v.person.name for v in views if v.person.level == level],
                      "allies": sum(1 for v in views if v.person.level == level and v.stance == "ally")}
              for level in LEVELS}
    roles = {role: {"people": [v.person.name for v in views if v.person.role == role],
                    "allies": sum(1 for v in views if v.person.role == role and v.stance == "ally")}
             for role in KEY_ROLES}
    return {"levels": levels, "roles": roles,
            "missing_levels": [k for k, v in levels.items() if not v["people"]],
            "missing_roles": [k for k, v in roles.items() if not v["people"]]}


def reports_tree(people: tuple[Person, ...]) -> tuple[tuple[str, int], ...]:
    """Everyone as (name, depth), each boss before the people reporting to them, in card
    order. A `reports_to` naming no one on the card, or a loop, starts a new root."""
    names = {p.name for p in people}
    children: dict[str, list[str]] = {}
    roots = []
    for p in people:
        if p.reports_to in names and p.reports_to != p.name:
            children.setdefault(p.reports_to, []).append(p.name)  # type: ignore[arg-type]
        else:
            roots.append(p.name)
    out: list[tuple[str, int]] = []
    seen: set[str] = set()

    def walk(name: str, depth: int) -> None:
        if name in seen:
            return
        seen.add(name)
        out.append((name, depth))
        for child in children.get(name, []):
            walk(child, depth + 1)

    for root in roots:
        walk(root, 0)
    for p in people:  # people in a loop of reports_to
        walk(p.name, 0)
    return tuple(out)


def _open_deals(deals: tuple[Deal, ...]) -> list[Deal]:
    return [d for d in deals if d.stage in STAGES]


def warnings(card: Brief, rules: People, today: dt.date) -> list[Warning]:
    """The course's dangers for this account at `today`, in WARNING_KINDS order."""
    deals = _open_deals(card.deals)
    if not deals:
        return []
    people = card.people
    found: list[Warning] = []
    late = [d for d in deals if d.stage in PAST_PROPOSAL]
    if late:
        found += _top_warnings(late, people, rules, today)
    start = STAGES.index(rules.warn_from)
    mapped = [d for d in deals if STAGES.index(d.stage) >= start]
    if not mapped:
        return found
    deal = max(mapped, key=lambda d: STAGES.index(d.stage))
    about = {"opportunity": deal.id, "stage": deal.stage}
    deciders = [p for p in people if is_decision_level(p)]
    if not any(p.stance == "ally" for p in deciders):
        text = (Message("no ally at decision level (decision makers and top level: {names})",
                        names=Listed(p.name for p in deciders))
                if deciders else Message("no decision maker or top-level person on the card"))
        found.append(Warning("no_ally_at_decision_level", text, {**about, "people": [p.name for p in deciders]}))
    for p in deciders:
        if p.stance == "opponent":
            found.append(Warning("opposing_decision_maker",
                                 Message("{name} ({title}) at decision level opposes us", name=p.name,
                                         title=p.title or Word("role", word("role", p.role or ""))),
                                 {**about, "person": p.name}))
    if not any(p.role == "coach" and p.stance != "opponent" for p in people):
        found.append(Warning("no_coach", Message("no coach (内线) at the account while {title} is at {stage}",
            title=deal.title, stage=stage_word(deal.stage)), about))
    return found


def _top_warnings(late: list[Deal], people: tuple[Person, ...], rules: People, today: dt.date) -> list[Warning]:
    deal = max(late, key=lambda d: STAGES.index(d.stage))
    about = {"opportunity": deal.id, "stage": deal.stage}
    top = top_decision_maker(people)
    where = Message("{title} is at {stage}", title=deal.title, stage=stage_word(deal.stage))
    if top is None:
        return [Warning("top_never_met", Message("no decision maker on the card while {where}", where=where),
                        {**about, "person": None, "last_met": None})]
    met = last_met(top, today)
    if met is None:
        return [Warning("top_never_met",
                        Message("top decision maker {name} never met while {where}", name=top.name, where=where),
                        {**about, "person": top.name, "last_met": None})]
    days = (today - met).days
    if days > rules.not_met_days:
        return [Warning("top_not_met",
                        Message("top decision maker {name} last met {date} ({days} days ago, limit {limit}) while {where}",
                                name=top.name, date=met, days=days, limit=rules.not_met_days, where=where),
                        {**about, "person": top.name, "last_met": met, "days_since_met": days},
                        days_overdue=days - rules.not_met_days)]
    return []


def people_report(card: Brief, settings: Settings, today: dt.date) -> PeopleReport:
    """Everything `kacard people ID` shows of one account."""
    rules = settings.people
    people = card.people
    views = ranked(people, rules, today)
    return PeopleReport(
        account=card.id, name=card.name, sector=card.sector, people=views,
        warnings=tuple(warnings(card, rules, today)), support=support(views), coverage=coverage(views),
        tree=reports_tree(people),
    )
