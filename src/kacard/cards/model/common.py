"""What the card and the settings models share: the id rule, tiers, weekdays, a location.

Kept apart from card.py so that reading kacard.yaml (settings.py) does not build the
card's models: the fast path of `list` and `due` never needs them.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kacard.cards.aliases import Aliased

Weekday = Annotated[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"], Aliased("weekday")]
Bool = Annotated[bool, Aliased("bool")]
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Tier = Literal["S", "A", "B", "C"]
OPEN_STAGES: frozenset[str] = frozenset(
    {"development", "initiation", "proposal", "bidding", "negotiation", "implementation"}
)

ID_PATTERN = r"^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$"
ID_RE = re.compile(ID_PATTERN)


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
                raise ValueError(f"lat {lat} is not a latitude (-90..90) but lon {lon} would be one: "
                                 f"lat and lon swapped? (write lat: {lon}, lon: {lat})")
        return data
