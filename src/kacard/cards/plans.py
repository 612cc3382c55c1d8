"""The manager's annual plan targets: `plans/<YEAR>.yaml` in the card folder (versioned in git).

    year: 2027
    reps:
      zhangwei: {target: 12000000, stretch: 13200000, challenge: 15000000,
                 quarters: [0.2, 0.25, 0.25, 0.3]}
    regions:
      华东/杭州: {target: 30000000}

`target` is required per entry; `stretch` and `challenge` default from the team's
`plan:` settings; `quarters` (shares of the year's target per quarter, summing to 1)
defaults to the share of days in each quarter. Read safely (no tags), like kacard.yaml.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kacard.cards.model.card import Money
from kacard.errors import CardInvalid, Problem
from kacard.i18n import _

PLANS_FOLDER = "plans"


class Target(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target: Money = Field(ge=0)
    stretch: Money | None = Field(default=None, ge=0)
    challenge: Money | None = Field(default=None, ge=0)
    quarters: list[float] | None = None

    @field_validator("quarters")
    @classmethod
    def _four_shares(cls, value: list[float] | None) -> list[float] | None:
        if value is not None and (len(value) != 4 or any(v < 0 for v in value) or abs(sum(value) - 1) > 0.001):
            raise ValueError(_("quarters must be four shares of the year that add up to 1, e.g. [0.2, 0.25, 0.25, 0.3]"))
        return value


class PlanTargets(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=2000, le=2100)
    reps: dict[str, Target] = Field(default_factory=dict)
    regions: dict[str, Target] = Field(default_factory=dict)


def plan_path(folder: Path, year: int) -> Path:
    return folder / PLANS_FOLDER / f"{year}.yaml"


def load_targets(folder: Path, year: int) -> PlanTargets | None:
    """The targets of `year`, or None when the folder has no plan file for it.

    Raises CardInvalid (exit 2) with file:line: field: message when the file is not valid.
    """
    from kacard.cards.parse import read_model

    rel = f"{PLANS_FOLDER}/{year}.yaml"
    if not (folder / rel).is_file():
        return None
    targets = read_model(folder, rel, PlanTargets)
    if targets.year != year:
        raise CardInvalid(_("{rel} is not valid").format(rel=rel), [Problem(rel, 1, 1, "year", _("says {found}, not {year}").format(found=targets.year, year=year))])
    return targets


def write_targets(folder: Path, year: int, header: str, document: dict[str, object]) -> Path:
    """Write a new `plans/YEAR.yaml` (header comment + document) atomically; never overwrites.

    Raises CardInvalid (exit 2) when the file exists already.
    """
    import io

    from ruamel.yaml import YAML

    from kacard.cards.safewrite import write_atomic

    path = plan_path(folder, year)
    if path.exists():
        raise CardInvalid(_("{PLANS_FOLDER}/{year}.yaml exists already; edit it, or remove it to propose anew").format(PLANS_FOLDER=PLANS_FOLDER, year=year))
    yaml = YAML()
    yaml.default_flow_style = None
    out = io.StringIO()
    yaml.dump(document, out)
    path.parent.mkdir(exist_ok=True)
    write_atomic(path, header + out.getvalue(), None)
    return path
