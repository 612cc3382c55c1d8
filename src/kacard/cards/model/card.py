"""The customer data card (客户资料卡): one key account, one YAML file.

These models are the truth about the card format; schemas/card.schema.json is
generated from them (`kacard schema`). Unknown keys are errors everywhere except
under `custom`, so a typo never silently loses data.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from kacard.cards.aliases import Aliased
from kacard.cards.model.common import (  # noqa: F401 (re-exported)
    EMPTY_WHEN_NULL,
    ID_PATTERN,
    ID_RE,
    OPEN_STAGES,
    WEEKDAYS,
    Bool,
    IsoDate,
    IsoTime,
    Location,
    Strict,
    Tier,
    Weekday,
    workdays,
)
from kacard.cards.model.reach import Email, Phone
from kacard.i18n import N_, Message, _

Status = Annotated[Literal["prospect", "active", "dormant", "lost"], Aliased("status")]
Stage = Annotated[Literal[
    "development",
    "initiation",
    "proposal",
    "bidding",
    "negotiation",
    "implementation",
    "won",
    "lost",
], Aliased("stage")]
VisitKind = Annotated[Literal["visit", "call", "meeting", "event", "gift", "complaint"], Aliased("visit_kind")]
SignalKind = Annotated[Literal[
    "sharing_wallet", "strategy_change", "procurement_change", "channel_conflict", "other"
], Aliased("signal_kind")]
ContactRole = Annotated[Literal[
    "decision_maker", "influencer", "buyer", "user", "technical", "finance", "gatekeeper", "coach",
    "other",
], Aliased("contact_role")]
Level = Annotated[Literal["top", "middle", "operational"], Aliased("level")]
Stance = Annotated[Literal["ally", "neutral", "opponent", "unknown"], Aliased("stance")]
Relationship = Annotated[Literal["establish", "stabilize", "strengthen"], Aliased("relationship")]
Pattern = Annotated[Literal["recurring", "project", "one_off"], Aliased("pattern")]

Money = Annotated[Decimal, Field(allow_inf_nan=False, max_digits=15, decimal_places=4)]
"""Amounts in the team's currency; Decimal so sums are exact. NaN and inf are refused,
and so are true/false (pydantic's Decimal never coerces a bool).
At most 15 significant digits: YAML reads an unquoted 12345.67 as a float, and a
float carries 15 significant digits exactly (DBL_DIG), so no accepted amount is
ever silently rounded (a longer one is an error naming the field)."""

Text = Annotated[str, Field(max_length=4000)]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class VisitHours(Strict):
    """When the account receives visits: weekdays and a daily time window."""

    days: list[Weekday] = Field(default_factory=workdays)
    start: IsoTime = dt.time(9, 0)
    end: IsoTime = dt.time(17, 0)

    @model_validator(mode="after")
    def _window_order(self) -> VisitHours:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:  # cannot be ordered with local times
            raise ValueError(_('times are local: write "09:00", without a UTC offset'))
        if self.start >= self.end:
            raise ValueError(_("start must be before end"))
        if not self.days:
            raise ValueError(_("days must name at least one weekday"))
        return self


class Purchasing(Strict):
    centralized: Bool | None = None  # 统一采购
    pattern: Pattern | None = None  # 持续采购 = recurring
    annual_budget: Money | None = None


class Credit(Strict):
    rating: str | None = Field(default=None, max_length=10)
    limit: Money | None = Field(default=None, ge=0)
    terms_days: int | None = Field(default=None, ge=0, le=720)


class Contact(Strict):
    """A person at the account. phone, email and notes are personal data."""

    name: Name
    title: str | None = Field(default=None, max_length=200)
    role: ContactRole | None = None
    level: Level | None = None
    influence: int | None = Field(default=None, ge=1, le=5)
    stance: Stance | None = None
    phone: Phone | None = Field(default=None, max_length=40, description="kacard.cards.model.reach: the phone rule.")
    email: Email | None = Field(default=None, max_length=200, description="kacard.cards.model.reach: the e-mail rule.")
    birthday: str | None = Field(default=None, max_length=10)
    notes: Text | None = None  # private
    reports_to: str | None = Field(
        default=None, min_length=1, max_length=200,
        description="The name of the contact on this card this person reports to (seed 003: 隶属关系).",
    )


class Nodes(Strict):
    """The six key nodes of the sales process (seed 002), each the date it was reached."""

    accurate_info: IsoDate | None = Field(default=None, description="development: accurate project information")
    project_approval: IsoDate | None = Field(default=None, description="initiation: pre-sales project approval")
    relationship: IsoDate | None = Field(default=None, description="proposal: effective advance of the relationship")
    bid: IsoDate | None = Field(default=None, description="bidding: bid or negotiated bid")
    contract: IsoDate | None = Field(default=None, description="negotiation: contract approved and signed")
    acceptance: IsoDate | None = Field(default=None, description="implementation: acceptance and project closure")


class Opportunity(Strict):
    id: str | None = Field(default=None, max_length=64)
    title: Name
    stage: Stage = "development"
    amount: Money | None = Field(default=None, ge=0)
    close: IsoDate | None = None
    stage_since: IsoDate | None = Field(default=None, description="When the opportunity entered its stage.")
    nodes: Nodes | None = None


class Trade(Strict):
    """An invoice. due defaults to date + credit.terms_days (else 30 days)."""

    date: IsoDate
    invoice: str | None = Field(default=None, max_length=64)
    amount: Money
    margin: Money | None = None
    due: IsoDate | None = None
    paid: IsoDate | None = None


class NextStep(Strict):
    """The next step agreed at a visit; a time makes it a fixed appointment."""

    date: IsoDate
    time: IsoTime | None = None
    action: Name


class Visit(Strict):
    date: IsoDate
    time: IsoTime | None = Field(
        default=None, description="When on that day (HH:MM); orders visits of the same day."
    )
    by: str | None = Field(default=None, max_length=64)
    kind: VisitKind = "visit"
    with_: list[Name] = Field(default_factory=list, alias="with")
    summary: Text = ""
    next: NextStep | None = None
    no_next: Text | None = Field(
        default=None, description="Why there is deliberately no next step (e.g. account lost)."
    )


class Signal(Strict):
    """A churn signal (跳槽征兆)."""

    date: IsoDate
    kind: SignalKind = "other"
    note: Text | None = None


class Handover(Strict):
    """Ownership moved from one rep to another (接替者继续服务)."""

    date: IsoDate
    from_: str = Field(alias="from", max_length=64)
    to: str = Field(max_length=64)
    reason: Text | None = None


class Card(Strict):
    """One key account."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        str_strip_whitespace=True,
        json_schema_extra={"title": "kacard customer data card"},
    )

    id: str = Field(pattern=ID_PATTERN, description="Equals the file name without .yaml.")
    name: Name
    status: Status = "active"
    owner: str = Field(min_length=1, max_length=64, description="A rep id from kacard.yaml team.")
    tier: Tier | None = Field(default=None, description="Manual pin; empty means computed.")
    industry: Annotated[str, Aliased("industry")] | None = Field(default=None, max_length=100)
    sector: Annotated[str, Aliased("sector")] | None = Field(default=None, max_length=100)
    region: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=400)
    location: Location | None = None
    visit_hours: VisitHours | None = None
    visit_minutes: int = Field(default=45, ge=5, le=600)
    wait_until: IsoDate | None = Field(
        default=None, description="Quiet until this date: no cadence reason before it (SPEC §9 parking).")
    since: IsoDate | None = None
    relationship: Relationship | None = None
    purchasing: Purchasing | None = None
    credit: Credit | None = None
    criteria: dict[str, int] = Field(
        default_factory=dict, description="Manual 10/2 ratings, 0 (no), 1 (partly), 2 (yes)."
    )
    contacts: Annotated[list[Contact], EMPTY_WHEN_NULL] = Field(default_factory=list)
    opportunities: Annotated[list[Opportunity], EMPTY_WHEN_NULL] = Field(default_factory=list)
    trades: Annotated[list[Trade], EMPTY_WHEN_NULL] = Field(default_factory=list)
    visits: Annotated[list[Visit], EMPTY_WHEN_NULL] = Field(default_factory=list)
    signals: Annotated[list[Signal], EMPTY_WHEN_NULL] = Field(default_factory=list)
    handovers: Annotated[list[Handover], EMPTY_WHEN_NULL] = Field(default_factory=list)
    tags: Annotated[list[Annotated[str, Field(max_length=100)]], EMPTY_WHEN_NULL] = Field(default_factory=list)
    custom: dict[str, Any] = Field(default_factory=dict, description="Free-form team fields.")

    @field_validator("criteria")
    @classmethod
    def _ratings_in_range(cls, value: dict[str, int]) -> dict[str, int]:
        for name, rating in value.items():
            if rating not in (0, 1, 2):
                raise ValueError(_("rating for {name!r} must be 0, 1 or 2, not {rating}").format(name=name, rating=rating))
        return value


def visit_order(visit: Visit, position: int) -> tuple[dt.date, dt.time, int]:
    """The key that orders visits (issue 21 #3): by date, then by time on the same day (a
    visit without a time counts as the day's first), then by position in the file."""
    return (visit.date, visit.time or dt.time.min, position)


FUTURE = N_("visit dated in the future ({date})")  # the one warning that depends on today
# `owner` and the last handover's `to` may name the rep by id or by name: the folder's
# check (cards.store) drops this warning when they are the same rep
OWNER_NOT_HANDED = N_("owner {owner} is not {to}, to whom the last handover ({date}) gave the card; "
                      "change owners with `kacard handover`")


def same_day_warnings(visits: list[Visit]) -> list[tuple[str, Message]]:
    """Two visits on one day that both leave a next step, one of them without a time: which
    next step is still open depends on their order in the file (after a git merge the
    morning's superseded step can become the open one). Returns (field path, message)."""
    found: list[tuple[str, Message]] = []
    seen: dict[dt.date, int] = {}
    for i, visit in enumerate(visits):
        if visit.next is None:
            continue
        first = seen.setdefault(visit.date, i)
        if first != i and (visit.time is None or visits[first].time is None):
            message = Message("two visits on {date} leave a next step (visits.{first} and visits.{i}); give "
                              "them a time (HH:MM) so the later one's next step is the open one",
                              date=visit.date, first=first, i=i)
            found.append((f"visits.{i}.time", message))
    return found


def card_warnings(card: Card, today: dt.date) -> list[tuple[str, Message]]:
    """Suspicious but valid data: (field path, message) pairs for `validate` to warn about;
    each message a kacard.i18n.Message (English as a str, `localize` for people)."""
    found: list[tuple[str, Message]] = []
    previous: dt.date | None = None
    for i, visit in enumerate(card.visits):
        if previous is not None and visit.date < previous:
            found.append((f"visits.{i}.date", Message("visits are out of date order")))
        previous = visit.date
        if visit.date > today:
            found.append((f"visits.{i}.date", Message(FUTURE, date=visit.date)))
        if visit.next is not None and visit.next.date < visit.date:
            found.append((f"visits.{i}.next.date", Message("next step is dated before its visit")))
    found += same_day_warnings(card.visits)
    names = {contact.name for contact in card.contacts}
    for i, contact in enumerate(card.contacts):
        if contact.reports_to is not None and contact.reports_to not in names:
            found.append((f"contacts.{i}.reports_to", Message("reports_to names no contact of this card")))
        elif contact.reports_to == contact.name:
            found.append((f"contacts.{i}.reports_to", Message("a contact cannot report to themself")))
    for i, trade in enumerate(card.trades):
        if trade.paid is not None and trade.paid < trade.date:
            found.append((f"trades.{i}.paid", Message("paid before it was invoiced")))
        if trade.due is not None and trade.due < trade.date:
            found.append((f"trades.{i}.due", Message("due before it was invoiced")))
    if card.handovers:  # the latest by date; of one day, the last written
        last = max(enumerate(card.handovers), key=lambda pair: (pair[1].date, pair[0]))[1]
        if card.owner != last.to:
            found.append(("owner", Message(OWNER_NOT_HANDED, owner=card.owner, to=last.to, date=last.date)))
    return found
