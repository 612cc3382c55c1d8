"""The route planner's problem and answer types, shared by every solver module.

Units: minutes; times of day are minutes from midnight; a job's ``windows`` and
``fixed`` name days by ``Day.index``; node 0 of the travel matrix is the rep's base.
This module sits below solve, week and lns so that none of them imports another
in a circle (issue 12).
"""

from __future__ import annotations

from dataclasses import dataclass

NO_DAY_FITS = "no_day_fits"
WEEK_FULL = "week_full"
FIXED_CONFLICT = "fixed_conflict"
SOLVER_NAME = "kacard-lns"


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
    """A working day: leave base no earlier than ``start``, back by ``end``."""

    index: int
    start: int
    end: int


@dataclass(frozen=True)
class Stop:
    """A planned visit; ``start >= arrive`` (the rep may wait for the window)."""

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
