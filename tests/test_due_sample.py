"""The shipped sample folder shows a meaningful week (SPEC §2: `kacard due --dir cards`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parent.parent / "cards"
KINDS = {"cadence", "next_step", "no_next_step", "receivable", "signal", "opportunity", "relationship"}

pytestmark = pytest.mark.skipif(not (SAMPLE / "kacard.yaml").is_file(), reason="sample folder not present")


def test_sample_week_has_every_kind_of_reason(kacard):
    result = kacard.raw("due", "--dir", str(SAMPLE), "--today", "2026-11-23", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) >= 5
    assert [r["urgency"] for r in rows] == sorted((r["urgency"] for r in rows), reverse=True)
    kinds = {reason["kind"] for row in rows for reason in row["reasons"]}
    assert kinds == KINDS, "the sample week shows every kind of reason, the sales ones too"


def test_sample_review_lists_the_reps(kacard):
    result = kacard.raw("review", "--dir", str(SAMPLE), "--today", "2026-11-23", "--format", "json")
    assert result.exit_code == 0, result.output
    reps = json.loads(result.stdout)["reps"]
    assert reps and all(r["cards"] > 0 for r in reps)  # a manager without accounts is not listed
