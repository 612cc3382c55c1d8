"""Everyday friction (issue 21) for everyone: --version, list --mine, one usage-error style."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from conftest import SAMPLE_CARD


def test_version_prints_the_installed_version(kacard):
    result = kacard.raw("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"kacard {version('kacard')}"


def test_list_mine_is_list_owner_of_me(kacard, write_card, monkeypatch):
    write_card("hz-xinghe", SAMPLE_CARD)
    write_card("bj-other", SAMPLE_CARD.replace("hz-xinghe", "bj-other").replace("owner: zhangwei", "owner: lina"))
    monkeypatch.setenv("KACARD_USER", "lina")
    mine = json.loads(kacard("list", "--mine", "--format", "json").stdout)
    assert [row["id"] for row in mine] == ["bj-other"]
    both = kacard("list", "--mine", "--owner", "zhangwei")
    assert both.exit_code == 2 and "not both" in both.stderr


def test_usage_errors_are_one_kacard_line_with_the_help_to_read(folder):
    """Run as a user does (the console script), so click's own formatting would show."""
    for args, said, where in (
        (["due", "--bogus"], "No such option: --bogus", "kacard due --help"),
        (["bogus"], "No such command 'bogus'", "kacard --help"),
        (["log"], "Missing argument", "kacard log --help"),
        (["list", "--owner"], "Option '--owner' requires an argument", "kacard list --help"),
    ):
        done = subprocess.run([str(Path(sys.executable).parent / "kacard"), args[0], "--dir", str(folder), *args[1:]],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 2, done
        assert done.stderr.startswith(f"error: {said}"), done.stderr
        assert f"see '{where}'" in done.stderr
        assert "Usage:" not in done.stderr and "Traceback" not in done.stderr
