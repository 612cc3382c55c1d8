"""Issue 11, kind 3: a write changes only what it means to change. Logging a visit keeps
line endings (CRLF), a BOM, the file's mode, a symlink (its target is written), long
lines and every untouched line byte for byte: its git diff is exactly the added lines."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_dialect import FUZZ, _log, _only_added

CARD = ("# 客户资料卡\nid: {id}\nname: 杭州星河   # 老客户\nowner: zhangwei\n"
        "custom: {{hex: 0x1F, t: 10:00, s: 'x', long: {long}}}\n"
        "visits:\n  - date: 2026-11-01\n    summary: 初访\n    no_next: 已签约\n")


def _card(card_id: str = "a", long: str = "x" * 5000) -> str:
    return CARD.format(id=card_id, long=long)


def _log_cli(kacard, card_id: str = "a"):
    result = kacard("log", card_id, "--summary", "复访 讨论方案", "--next-date", "2026-11-30",
                    "--next-time", "10:00", "--next-action", "报价")
    assert result.exit_code == 0, result.output
    return result


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def test_crlf_card_keeps_crlf_and_git_diff_is_only_the_added_lines(kacard, folder):
    path = folder / "a.yaml"
    path.write_bytes(_card().replace("\n", "\r\n").encode("utf-8"))
    _git(folder, "init", "-q")
    _git(folder, "config", "core.autocrlf", "false")
    _git(folder, "-c", "user.name=t", "-c", "user.email=t@x", "add", "a.yaml")
    _git(folder, "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qm", "card")
    before = path.read_bytes()
    _log_cli(kacard)
    after = path.read_bytes()
    assert after.count(b"\n") == after.count(b"\r\n")  # every line CRLF, old and new
    assert _only_added(before, after)
    added, deleted, _ = _git(folder, "diff", "--numstat", "--", "a.yaml").split("\t")
    assert (int(added), int(deleted)) == (5, 0)
    changed = [line for line in _git(folder, "diff", "-U0", "--", "a.yaml").splitlines()
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert len(changed) == 5 and all(line.startswith("+") for line in changed)


def test_bom_long_lines_comments_and_number_forms_are_kept(kacard, folder):
    path = folder / "a.yaml"
    original = b"\xef\xbb\xbf" + _card(long="y" * 6000).encode("utf-8")
    path.write_bytes(original)
    _log_cli(kacard)
    after = path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf# ")
    assert _only_added(original, after)
    assert max(len(line) for line in after.splitlines()) > 6000


def test_file_mode_is_kept(kacard, folder):
    path = folder / "a.yaml"
    path.write_text(_card(), encoding="utf-8")
    os.chmod(path, 0o600)
    _log_cli(kacard)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_symlinked_card_inside_the_folder_stays_a_link_and_its_target_is_written(kacard, folder):
    store = folder / "archive"
    store.mkdir()
    target = store / "real-a.txt"
    target.write_text(_card(), encoding="utf-8")
    link = folder / "a.yaml"
    link.symlink_to(Path("archive") / "real-a.txt")
    before = target.read_bytes()
    _log_cli(kacard)
    assert link.is_symlink() and os.readlink(link) == str(Path("archive") / "real-a.txt")
    assert _only_added(before, target.read_bytes()) and target.read_bytes() != before
    assert sorted(p.name for p in folder.iterdir()) == ["a.yaml", "archive", "kacard.yaml"]


def test_no_temporary_or_lock_file_is_left(kacard, folder):
    (folder / "a.yaml").write_text(_card(), encoding="utf-8")
    _log_cli(kacard)
    assert sorted(p.name for p in folder.iterdir()) == ["a.yaml", "kacard.yaml"]


def test_handover_changes_only_the_owner_line_and_adds_the_record(kacard, folder):
    path = folder / "a.yaml"
    original = _card().replace("\n", "\r\n").encode("utf-8")
    path.write_bytes(original)
    assert kacard("handover", "zhangwei", "lina", "--reason", "离职").exit_code == 0
    old, new = original.splitlines(keepends=True), path.read_bytes().splitlines(keepends=True)
    removed = [line for line in old if line not in new]
    assert removed == [b"owner: zhangwei\r\n"] and b"owner: lina\r\n" in new
    assert all(line.endswith(b"\r\n") for line in new)


@settings(max_examples=max(FUZZ // 3, 50), suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(crlf=st.booleans(), bom=st.booleans(), mode=st.sampled_from([0o600, 0o640, 0o644, 0o664]),
       long=st.integers(min_value=1, max_value=9000), tail_newline=st.booleans(),
       blank_lines=st.integers(min_value=0, max_value=2))
def test_a_logged_visit_only_adds_lines_whatever_the_file_looks_like(folder, crlf, bom, mode, long,
                                                                     tail_newline, blank_lines):
    text = _card(long="z" * long).replace("visits:", "\n" * blank_lines + "visits:")
    if not tail_newline:
        text = text.rstrip("\n")
    if crlf:
        text = text.replace("\n", "\r\n")
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    path = folder / "a.yaml"
    path.write_bytes(data)
    os.chmod(path, mode)
    _log(folder, "a")
    after = path.read_bytes()
    assert _only_added(data, after)
    assert after.startswith(b"\xef\xbb\xbf") == bom
    assert (after.count(b"\r\n") == after.count(b"\n")) if crlf else b"\r" not in after
    assert stat.S_IMODE(path.stat().st_mode) == mode


@pytest.mark.parametrize("summary", ["a\tb", "x\u2028y", "line1\nline2", "  edge  ", "#hash", "- dash"])
def test_any_summary_text_is_written_readably_and_adds_lines_only(kacard, folder, summary):
    path = folder / "a.yaml"
    path.write_text(_card(), encoding="utf-8")
    before = path.read_bytes()
    result = kacard("log", "a", "--summary", summary, "--no-next", "已签约")
    assert result.exit_code == 0, result.output
    assert _only_added(before, path.read_bytes())
    assert kacard("validate").exit_code == 0
