"""What the card and the settings models share: the id rule, tiers, weekdays, a location.

Kept apart from card.py so that reading kacard.yaml (settings.py) does not build the
card's models: the fast path of `list` and `due` never needs them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from kacard.cards.aliases import Aliased
from kacard.i18n import _

Weekday = Annotated[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"], Aliased("weekday")]
Bool = Annotated[bool, Aliased("bool")]
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Tier = Literal["S", "A", "B", "C"]
OPEN_STAGES: frozenset[str] = frozenset(
    {"development", "initiation", "proposal", "bidding", "negotiation", "implementation"}
)

ID_PATTERN = r"^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$"
ID_RE = re.compile(ID_PATTERN)




def _kind(value: Any) -> str:
    return _("true/false") if isinstance(value, bool) else _("the number {value}").format(value=value)


def _iso_date(value: Any) -> Any:
    """A date is ISO text YYYY-MM-DD (or a date); a number is never a date (0 is not 1970-01-01)."""
    if isinstance(value, str):  # the common case first: every card's dates are text
        return value  # pydantic parses it (and kacard.cards.messages explains a bad one)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):  # a spreadsheet's date cell
            return value.date()
        raise ValueError(_("a date is written as YYYY-MM-DD, without a time of day"))
    if isinstance(value, dt.date):
        return value
    raise ValueError(_("a date is written as YYYY-MM-DD text (e.g. 2026-11-23), not {value}").format(
        value=_kind(value)))


def _iso_time(value: Any) -> Any:
    """A time of day is text HH:MM (or HH:MM:SS, or a time); a number is never a time (540 is not 09:00)."""
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        return value
    raise ValueError(_('a time is written as HH:MM text (e.g. "09:30"), not {value}').format(value=_kind(value)))


def _none_is_empty(value: Any) -> Any:
    return [] if value is None else value


EMPTY_WHEN_NULL = BeforeValidator(_none_is_empty)
"""For record lists: `contacts:` with every item deleted (YAML null) is an empty list, so two
reps who both emptied a list still have (and merge into) a valid card (issue 11, kind 6)."""

IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
"""A calendar date as ISO text (YYYY-MM-DD); numbers and booleans are field errors (issue 11)."""
IsoTime = Annotated[dt.time, BeforeValidator(_iso_time)]
"""A time of day as text HH:MM[:SS]; numbers (YAML 1.1's sexagesimal 540) are field errors."""


def workdays() -> list[Weekday]:
    """Monday to Friday: a new list for each model that defaults to it."""
    return ["mon", "tue", "wed", "thu", "fri"]


class Strict(BaseModel):
    """Base for every card part: unknown keys are errors, values are not coerced oddly."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True)


class Location(Strict):
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _not_swapped(cls, data: Any) -> Any:
        """Some map pickers write lon first: a "latitude" beyond ±90 with a longitude that would
        fit as one is named as swapped, not just out of range."""
        if isinstance(data, dict):
            lat, lon = data.get("lat"), data.get("lon")
            if (isinstance(lat, int | float) and isinstance(lon, int | float) and not isinstance(lat, bool)
                    and abs(lat) > 90 and abs(lon) <= 90):
                raise ValueError(_("lat {lat} is not a latitude (-90..90) but lon {lon} would be one: "
                                   "lat and lon swapped? (write lat: {lon}, lon: {lat})").format(lat=lat, lon=lon))
        return data
