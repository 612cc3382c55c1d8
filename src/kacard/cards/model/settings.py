"""Team settings: the folder's kacard.yaml.

Every coefficient the core uses (cadence, scoring cut-offs, urgency weights,
travel model) lives here so a team can read and change it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kacard.cards.model.common import ID_PATTERN, Bool, IsoTime, Location, Tier, Weekday, workdays
from kacard.i18n import _

T = TypeVar("T")

TEN_TWO_CRITERIA: tuple[str, ...] = (
    "profit_share",
    "strategic_goals",
    "loss_impact",
    "long_term",
    "growth_potential",
    "time_invested",
    "product_fit",
    "centralized_purchasing",
    "continuous_purchasing",
    "influence",
)


def _per_tier(s: T, a: T, b: T, c: T) -> dict[Tier, T]:
    """A default value per tier (a new dict for each model)."""
    return {"S": s, "A": a, "B": b, "C": c}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True)


class Base(Location):
    """Where a rep's routes start and end."""

    label: str | None = Field(default=None, max_length=200)


class Rep(Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1, max_length=100)
    email: str | None = Field(default=None, max_length=200, description="Matches git user.email.")
    base: Base | None = None
    manager: Bool = False


class Break(Strict):
    """A daily pause no visit overlaps, e.g. 午休 12:00–13:30 (SPEC §9)."""

    start: IsoTime
    end: IsoTime
    label: str | None = Field(default=None, max_length=40)

    @model_validator(mode="after")
    def _order(self) -> Break:
        if self.start >= self.end:
            raise ValueError(_("a break's start must be before its end"))
        return self


class Workweek(Strict):
    days: list[Weekday] = Field(default_factory=workdays)
    start: IsoTime = dt.time(8, 30)
    end: IsoTime = dt.time(17, 30)
    breaks: list[Break] = Field(default_factory=list, description="Daily breaks no visit overlaps.")
    max_visits: int | None = Field(default=None, ge=1, le=50, description="Visits per day at most.")

    @model_validator(mode="after")
    def _order(self) -> Workweek:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError(_('times are local: write "08:30", without a UTC offset'))
        if self.start >= self.end:
            raise ValueError(_("start must be before end"))
        spans = sorted((b.start, b.end) for b in self.breaks)
        for (_start, end), (start, _end) in itertools.pairwise(spans):
            if start < end:
                raise ValueError(_("breaks must not overlap"))
        return self


class MapSettings(Strict):
    """Which map app the route links open, and the datum of every card's `location` (SPEC §9).

    app: amap (高德) | baidu (百度) | google; default amap when the team's currency is CNY,
    else google. datum: wgs84 (GPS) | gcj02 (Amap's and Tencent's picker) | bd09 (Baidu's).
    """

    app: Literal["amap", "baidu", "google"] | None = None
    datum: Literal["wgs84", "gcj02", "bd09"] | None = Field(
        default=None, description="Datum of every location; unset means wgs84 (and says nothing to import).")


class Calendar(Strict):
    alarm_minutes: int = Field(default=30, ge=0, le=10080, description="VALARM before each event; 0 = none.")


class Pareto(Strict):
    metric: str = Field(default="revenue", pattern="^(revenue|margin)$")
    window_days: int = Field(default=365, ge=1, le=3650)
    a: float = Field(default=0.80, gt=0, le=1)
    b: float = Field(default=0.95, gt=0, le=1)

    @model_validator(mode="after")
    def _cutoffs_in_order(self) -> Pareto:
        if self.a > self.b:
            raise ValueError(_("cut-off a ({a}) must not be above b ({b})").format(a=self.a, b=self.b))
        return self


class Steps(Strict):
    """Two thresholds of a derived 10/2 rating: reaching `full` rates 2, reaching `partly` rates 1."""

    full: float = Field(gt=0, le=1000)
    partly: float = Field(gt=0, le=1000)

    @model_validator(mode="after")
    def _steps_in_order(self) -> Steps:
        if self.partly > self.full:
            raise ValueError(_("partly ({partly}) must not be above full ({full})").format(partly=self.partly, full=self.full))
        return self


class YearSteps(Strict):
    """Years with trades, out of the last `years` (12-month periods ending today)."""

    years: int = Field(default=3, ge=1, le=20)
    full: int = Field(default=3, ge=1, le=20)
    partly: int = Field(default=2, ge=1, le=20)

    @model_validator(mode="after")
    def _steps_in_order(self) -> YearSteps:
        if not self.partly <= self.full <= self.years:
            raise ValueError(_("need partly ({partly}) <= full ({full}) <= years ({years})").format(
                partly=self.partly, full=self.full, years=self.years))
        return self


class Derive(Strict):
    """Thresholds of the derived 10/2 ratings (used when a card does not rate a criterion)."""

    loss_impact: Steps = Field(
        default_factory=lambda: Steps(full=0.10, partly=0.03),
        description="Share of the team's metric (0-1) that rates 2 / 1.",
    )
    long_term: YearSteps = Field(default_factory=YearSteps, description="Years with trades that rate 2 / 1.")
    continuous_years: int = Field(
        default=2, ge=1, le=20,
        description="continuous_purchasing rates 1 with trades in this many of long_term.years (2 if recurring).",
    )
    growth_ratio: float = Field(
        default=1.0, gt=0, le=1000,
        description="growth_potential rates 2 when open opportunities >= this x 12-month revenue (1 when > 0).",
    )
    time_invested: Steps = Field(
        default_factory=lambda: Steps(full=2.0, partly=1.0),
        description="Visits in the window as a multiple of the average account's that rate 2 / 1.",
    )
    manual_only: list[str] = Field(
        default_factory=list, description="Criteria never derived: 0 unless rated on the card."
    )

    @model_validator(mode="after")
    def _continuous_within_years(self) -> Derive:
        if self.continuous_years > self.long_term.years:
            raise ValueError(_("continuous_years ({continuous}) must not be above long_term.years ({years})").format(
                continuous=self.continuous_years, years=self.long_term.years))
        return self


class TenTwo(Strict):
    key: int = Field(default=14, ge=0, le=40)
    potential: int = Field(default=10, ge=0, le=40)
    criteria: list[str] = Field(
        default_factory=lambda: list(TEN_TWO_CRITERIA),
        description="The criteria a team rates; derived ones keep their built-in derivation.",
    )
    derive: Derive = Field(default_factory=Derive)

    @model_validator(mode="after")
    def _thresholds_in_order(self) -> TenTwo:
        if self.potential > self.key:
            raise ValueError(_("potential must not be above key"))
        if len(set(self.criteria)) != len(self.criteria):
            raise ValueError(_("criteria names must be unique"))
        return self


class Quadrant(Strict):
    """Loyal = long_term rated >= 1 and trades in at least `loyal_quarters` of the last 4 quarters."""

    loyal_quarters: int = Field(default=2, ge=1, le=4)


class Scoring(Strict):
    pareto: Pareto = Field(default_factory=Pareto)
    ten_two: TenTwo = Field(default_factory=TenTwo)
    quadrant: Quadrant = Field(default_factory=Quadrant)


class Urgency(Strict):
    """Coefficients of `kacard due` urgency (a sum of explained terms)."""

    tier: dict[Tier, float] = Field(default_factory=lambda: _per_tier(8.0, 6.0, 3.0, 1.0))
    per_day_overdue: float = Field(default=0.5, ge=0)
    max_days_overdue: int = Field(default=60, ge=0, description="Overdue days counted at most.")
    reasons: dict[str, float] = Field(
        default_factory=lambda: {
            "cadence": 2.0,
            "next_step": 4.0,
            "no_next_step": 3.0,
            "receivable": 3.0,
            "signal": 5.0,
            "opportunity": 4.0,
            "relationship": 3.0,
        }
    )


OpenStage = Literal["development", "initiation", "proposal", "bidding", "negotiation", "implementation"]


def _probabilities() -> dict[OpenStage, float]:
    return {"development": 0.1, "initiation": 0.2, "proposal": 0.4, "bidding": 0.6,
            "negotiation": 0.8, "implementation": 0.95}


class Pipeline(Strict):
    """`kacard pipeline` and the `opportunity` due reason (SPEC §9, seed 002)."""

    probabilities: dict[OpenStage, float] = Field(
        default_factory=_probabilities,
        description="Chance of winning per open stage (0-1): weighted amount = amount x probability.",
    )
    stalled_days: int = Field(default=45, ge=1, le=3650,
                              description="No stage change and no visit for more days: stalled.")
    check_nodes: bool = Field(default=True, description="A stage entered without its previous key node is a due reason.")

    @model_validator(mode="after")
    def _probabilities_in_range(self) -> Pipeline:
        for stage, chance in self.probabilities.items():
            if not 0 <= chance <= 1:
                raise ValueError(_("probability of {stage} must be between 0 and 1, not {chance}").format(
                    stage=stage, chance=chance))
        return self


class People(Strict):
    """`kacard people` and the `relationship` due reason (seed 001: 关系力, 决定力)."""

    stance: dict[Literal["ally", "neutral", "opponent", "unknown"], float] = Field(
        default_factory=lambda: {"ally": 1.0, "neutral": 0.0, "unknown": 0.0, "opponent": -1.0},
        description="Score = influence x this weight of the person's stance.",
    )
    default_influence: int = Field(default=2, ge=1, le=5, description="Influence of a person not rated.")
    not_met_days: int = Field(default=90, ge=1, le=3650,
                              description="Top decision maker not met for more days: a danger past proposal.")
    warn_from: OpenStage = Field(
        default="initiation",
        description="Relationship warnings apply to accounts with an open opportunity at this stage or later.",
    )


class Travel(Strict):
    speed_kmh: float = Field(default=30.0, gt=0, le=200)
    circuity: float = Field(default=1.3, ge=1, le=5)
    osrm: str | None = Field(default=None, description="Base URL of an OSRM server you run.")


class CreditPolicy(Strict):
    """The course's credit policy (seed 000, part 3 §八 1(8)): shrink business with low-credit
    customers, grow it with high-credit ones. Ratings are the card's free `credit.rating` text."""

    low_ratings: list[str] = Field(default_factory=lambda: ["BB", "B", "CCC", "CC", "C", "D"],
                                   description="Ratings that count as low credit.")
    high_ratings: list[str] = Field(default_factory=lambda: ["AAA", "AA", "A"],
                                    description="Ratings that count as high credit.")
    headroom: float = Field(default=0.5, ge=0, le=1,
                            description="Grow only while exposure is at most (1 - headroom) x limit.")


class Collect(Strict):
    """Collections (`kacard collect`): the plan's horizon and the sales/collections balance."""

    window_days: int = Field(default=90, ge=7, le=730, description="Sales and collections compared over this window.")
    horizon_days: int = Field(default=28, ge=0, le=365, description="Receivables due this soon join the plan.")
    balance_min: float = Field(default=0.8, ge=0, le=2,
                               description="Collections below this share of sales are out of balance.")
    credit: CreditPolicy = Field(default_factory=CreditPolicy)


class AnnualPlan(Strict):
    """Rules for the proposed annual regional sales plan (`kacard plan YEAR`)."""

    growth: float = Field(default=0.10, ge=-1, le=10, description="Proposed target = last year x (1 + growth) ...")
    pipeline_share: float = Field(default=0.5, ge=0, le=1,
                                  description="... + this share of the weighted pipeline closing in the year.")
    stretch: float = Field(default=1.1, ge=1, le=10, description="Stretch level = target x this.")
    challenge: float = Field(default=1.25, ge=1, le=10, description="Challenge level = target x this.")
    behind: float = Field(default=0.9, ge=0, le=1,
                          description="A rep is behind plan below this share of the target to date.")


class Care(Strict):
    """Care without over-care (seed 003): what the review flags."""

    same_kind: int = Field(default=5, ge=2, le=20, description="The last N contacts all of one kind: vary the form.")
    over_factor: float = Field(default=2.0, ge=1, le=20,
                               description="Low-tier accounts visited this many times their cadence ...")
    window_days: int = Field(default=90, ge=14, le=730, description="... over this window.")


class Settings(Strict):
    schema_: int = Field(default=1, alias="schema", ge=1, le=1)
    currency: str = Field(default="CNY", max_length=8)
    language: Literal["zh", "en"] | None = Field(
        default=None,
        description="Language of everything kacard prints for people (SPEC §9); --lang and $KACARD_LANG "
        "win over it, the user's locale decides when it is not set.",
    )
    team: list[Rep] = Field(default_factory=list)
    workweek: Workweek = Field(default_factory=Workweek)
    cadence_days: dict[Tier, int] = Field(
        default_factory=lambda: _per_tier(7, 14, 30, 90),
        description="Ideal days between visits per tier.",
    )
    cadence_max_days: dict[Tier, int] = Field(
        default_factory=dict,
        description="Longest acceptable gap per tier; past it a visit is overdue, before it 'soon'.",
    )
    stale_days: int = Field(default=90, ge=1, description="Cards untouched this long are stale.")
    scoring: Scoring = Field(default_factory=Scoring)
    urgency: Urgency = Field(default_factory=Urgency)
    travel: Travel = Field(default_factory=Travel)
    timezone: str | None = Field(default=None, max_length=64, description="IANA zone, e.g. Asia/Shanghai.")
    map: MapSettings = Field(default_factory=MapSettings)
    calendar: Calendar = Field(default_factory=Calendar)
    parking: bool = Field(default=True, description="A future next step or wait_until quiets the cadence reason.")
    collect: Collect = Field(default_factory=Collect)
    plan: AnnualPlan = Field(default_factory=AnnualPlan)
    care: Care = Field(default_factory=Care)
    pipeline: Pipeline = Field(default_factory=Pipeline)
    people: People = Field(default_factory=People)
    hints: dict[Literal["sector", "level", "role"], dict[str, dict[str, list[str]]]] = Field(
        default_factory=dict,
        description="The team's own customer hints, over the shipped ones: {sector|level|role: {KEY: {en|zh: [text]}}}.",
    )

    @model_validator(mode="after")
    def _known_zone(self) -> Settings:
        if self.timezone is not None:
            from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

            try:
                ZoneInfo(self.timezone)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(_("unknown time zone {zone!r} (use an IANA name like Asia/Shanghai)").format(
                    zone=self.timezone)) from None
        return self

    @property
    def location_datum(self) -> str:
        """The datum of every card's `location`: map.datum, else wgs84."""
        return self.map.datum or "wgs84"

    @property
    def map_app(self) -> str:
        """The map app of route links: map.app, else amap for CNY teams, else google."""
        return self.map.app or ("amap" if self.currency.upper() == "CNY" else "google")

    @model_validator(mode="after")
    def _unique_reps(self) -> Settings:
        ids = [rep.id for rep in self.team]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(_("team has duplicate rep ids: {ids}").format(ids=", ".join(dupes)))
        return self

    def rep(self, rep_id: str) -> Rep | None:
        return next((rep for rep in self.team if rep.id == rep_id), None)

    def cadence(self, tier: str) -> int:
        return self.cadence_days.get(tier, 90)  # type: ignore[call-overload]
