"""Windows-minded checks (issue 21 #11): the main commands work in a folder whose path has
spaces and Chinese characters, run as the console script with --dir; writes stay byte-exact
(no CRLF from text-mode file handles)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parent.parent / "cards"
KACARD = Path(sys.executable).parent / ("kacard.exe" if os.name == "nt" else "kacard")


@pytest.fixture
def odd_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "销售 资料" / "客户 卡片 cards"
    shutil.copytree(SAMPLE, folder)
    return folder


def run(folder: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KACARD_TODAY": "2026-11-23", "KACARD_CACHE_DIR": str(tmp_path / "缓存 cache")}
    env.pop("KACARD_DIR", None)
    done = subprocess.run([str(KACARD), *args, "--dir", str(folder)], env=env, capture_output=True,
                          text=True, encoding="utf-8", check=False, cwd=tmp_path)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def test_main_commands_in_a_path_with_spaces_and_chinese(odd_folder: Path, tmp_path: Path) -> None:
    listed = json.loads(run(odd_folder, tmp_path, "list", "--format", "json").stdout)
    assert len(listed) == len(list(odd_folder.glob("*.yaml"))) - 1  # all but kacard.yaml
    due = run(odd_folder, tmp_path, "due", "--all")
    assert due.returncode == 0 and "hz-" in due.stdout
    shown = run(odd_folder, tmp_path, "show", "hz-xinghe-gas")
    assert shown.returncode == 0 and "金建国" in shown.stdout
    card = odd_folder / "hz-xinghe-gas.yaml"
    before = card.read_bytes()
    logged = run(odd_folder, tmp_path, "log", "hz-xinghe-gas", "--summary", "讨论三号线方案", "--with", "金建国",
                 "--next-date", "2026-12-01", "--next-action", "带工程师现场讲解")
    assert logged.returncode == 0, logged.stderr
    after = card.read_bytes()
    assert len(after) > len(before) and b"\r\n" not in after and "带工程师现场讲解".encode() in after
    assert not list(odd_folder.glob("*.lock"))
    checked = run(odd_folder, tmp_path, "validate")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    svg = tmp_path / "路线 week.svg"
    routed = run(odd_folder, tmp_path, "route", "--week", "2026-W48", "--owner", "zhangwei")
    assert routed.returncode == 0 and "hz-" in routed.stdout, routed.stderr
    drawn = run(odd_folder, tmp_path, "route", "--week", "2026-W48", "--owner", "zhangwei", "--format", "svg",
                "--output", str(svg))
    assert drawn.returncode == 0 and svg.read_text("utf-8").lstrip().startswith("<")


def test_folder_fsync_is_guarded_where_folders_cannot_be_opened(tmp_path: Path, monkeypatch) -> None:
    """No os.O_DIRECTORY (Windows) must not break a write."""
    from kacard.cards import safewrite

    monkeypatch.delattr(os, "O_DIRECTORY", raising=False)
    path = tmp_path / "a.yaml"
    safewrite.write_atomic(path, "id: a\n", None)
    assert path.read_bytes() == b"id: a\n"
