"""`kacard score --owner` says its shares are of the rep's subset, classes team-wide."""

from __future__ import annotations

from pathlib import Path

import pytest

CARDS = Path(__file__).resolve().parents[1] / "cards"


@pytest.mark.skipif(not CARDS.exists(), reason="no sample folder")
def test_owner_subset_is_labelled(kacard):
    whole = kacard.raw("score", "--dir", str(CARDS))
    assert whole.exit_code == 0, whole.output
    assert "A subset of" not in whole.stdout
    rep = kacard.raw("score", "--dir", str(CARDS), "--owner", "zhangwei")
    assert rep.exit_code == 0, rep.output
    assert "A subset of 40 accounts: classes and tiers are team-wide" in rep.stdout
