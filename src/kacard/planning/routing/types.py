"""The route planner's problem and answer types, shared by every solver module.

This module sits below solve, week and lns so that none of them imports another
in a circle (issue 12). Units: minutes (int or float); times of
day are minutes from midnight; a job's ``windows`` and ``fixed`` name days by
``Day.index``; node 0 of the travel matrix is the rep's base.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

NO_DAY_FITS = "no_day_fits"
WEEK_FULL = "week_full"
FIXED_CONFLICT = "fixed_conflict"
SOLVER_NAME = "kacard-lns"
REASON_CODES: tuple[str, ...] = (NO_DAY_FITS, WEEK_FULL, FIXED_CONFLICT)

SUM = "sum"
URGENT_FIRST = "urgent_first"


@dataclass(frozen=True)
class Job:
    """One candidate visit."""

    key: str  # card id
    node: int  # index into the matrix (node 0 is the rep's base)
    service: int  # minutes on site
    windows: dict[int, tuple[int, int]]  # day index -> (earliest start, latest finish)
    priority: float  # urgency; higher = more important to keep
    fixed: tuple[int, int] | None = None  # (day index, start minute): an appointment


@dataclass(frozen=True)
class Day:
    """A working day: leave base no earlier than ``start``, back by ``end``.

    ``breaks`` are (start, end) minute pairs no visit may overlap (the rep may drive
    through them; a fixed appointment is kept at its time all the same);
    ``max_visits`` caps the day's visits (fixed appointments always count and are
    always allowed). Source: SPEC §9 workweek.breaks / workweek.max_visits.
    """

    index: int
    start: int
    end: int
    breaks: tuple[tuple[int, int], ...] = ()
    max_visits: int | None = None


@dataclass(frozen=True)
class Objective:
    """What the week planner optimises, most important first.

    1. fixed appointments kept; 2. the kept visits: ``rule`` "sum" maximises the sum
    of priorities (as VROOM does), "urgent_first" never leaves out a visit to keep a
    less urgent one (kept priorities compared from the most urgent down: SPEC §5
    "drop the least urgent first"); 3. visits kept; 4. a cost in minutes:
    travel + ``early`` x priority x day position (urgent visits early in the week)
    + ``spread`` x visits² per day (no crammed day beside an empty one).
    """

    rule: str = SUM
    early: float = 0.0  # minutes per (urgency point x day later)
    spread: float = 0.0  # minutes per visit² on a day

    def __post_init__(self) -> None:
        if self.rule not in (SUM, URGENT_FIRST):
            raise ValueError(f"unknown objective rule {self.rule!r}")
        if self.early < 0 or self.spread < 0:
            raise ValueError("objective weights must not be negative")


@dataclass(frozen=True)
class Stop:
    """A planned visit; ``start >= arrive`` (the rep may wait for the window or a break)."""

    key: str
    node: int
    arrive: float
    start: float
    depart: float


@dataclass(frozen=True)
class DayPlan:
    day: int
    stops: tuple[Stop, ...]
    leave_base: float
    return_base: float


@dataclass(frozen=True)
class Plan:
    days: tuple[DayPlan, ...]
    unplanned: tuple[tuple[str, str], ...]  # (key, reason code)
    solver: str  # which algorithm ran


def break_free_start(start: float, service: float, breaks: tuple[tuple[int, int], ...]) -> float:
    """The earliest start >= ``start`` whose visit overlaps no break (breaks sorted)."""
    for lo, hi in breaks:
        if start < hi and start + service > lo:
            start = float(hi)
    return start


def break_free_latest(latest: float, service: float, breaks: tuple[tuple[int, int], ...]) -> float:
    """The latest start <= ``latest`` whose visit overlaps no break (breaks sorted)."""
    for lo, hi in reversed(breaks):
        if latest < hi and latest + service > lo:
            latest = float(lo) - service
    return latest


def cpu_clock() -> float:
    """The planners' clock: this process's CPU seconds (time.process_time).

    Budgets and deadlines count the work the planner does, not the wall clock, so a
    seed gives the same plan on a machine busy with other programs (tests, CI, the
    benchmark beside other jobs); on an idle machine the two clocks agree.
    """
    return time.process_time()
