"""Issue 13, kind 4: the file system. One folder walker (store.card_files) reports and
skips what could hang or crash a reader; one output guard (paths.check_output, used by
render.files.save) for every -o/--output/--chart; git always runs with config that cannot
start programs (gitsetup.run_git); edit's scratch copy is private and cleaned up."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kacard.cards.edit_session import SCRATCH_PREFIX, private_scratch, sweep_scratch
from tests.conftest import SAMPLE_CARD

CARD = "id: hz-a\nname: 杭州甲公司\nowner: lina\nstatus: active\nlocation: {lat: 30.25, lon: 120.17}\n"


def _run(args: list[str], tmp_path: Path, timeout: float = 30, **env: str) -> subprocess.CompletedProcess[str]:
    """kacard in a real process (a hang shows as a timeout, not a stuck test run)."""
    environment = {**os.environ, "KACARD_TODAY": "2026-11-23", "KACARD_CACHE_DIR": str(tmp_path / "cache"),
                   "NO_COLOR": "1", **env}
    return subprocess.run([sys.executable, "-m", "kacard", *args], capture_output=True, text=True,
                          timeout=timeout, env=environment, check=False)


def test_a_fifo_named_like_a_card_is_reported_and_never_opened(folder, write_card, tmp_path) -> None:
    write_card("hz-a", CARD)
    os.mkfifo(folder / "x.yaml")
    (folder / "sub").mkdir()
    os.mkfifo(folder / "sub" / "y.yaml")
    for command in ("list", "due", "validate"):
        done = _run([command, "--dir", str(folder)], tmp_path, timeout=20)
        assert "Traceback" not in done.stderr, done.stderr
        assert "x.yaml: not a regular file" in done.stdout + done.stderr
        assert "sub/y.yaml: not a regular file" in done.stdout + done.stderr
        assert done.returncode == (1 if command == "validate" else 0), done.stderr
    assert "hz-a" in _run(["list", "--dir", str(folder)], tmp_path).stdout


def test_symlink_loops_and_dangling_links_are_reported(folder, write_card, kacard) -> None:
    write_card("hz-a", CARD)
    (folder / "loop.yaml").symlink_to("loop.yaml")
    (folder / "a").symlink_to("b")
    (folder / "b").symlink_to("a")
    (folder / "gone.yaml").symlink_to("nothing.yaml")
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to("..")  # a link to a folder is not followed: no endless walk
    for command in (("list",), ("due",), ("validate",), ("score",), ("review",), ("show", "hz-a")):
        result = kacard(*command)
        assert result.exit_code in (0, 1), (command, result.output)
        assert "Traceback" not in result.output
    problems = kacard("validate").output
    assert "loop.yaml: symlink loop" in problems and "a: symlink loop" in problems
    assert "gone.yaml: dangling symlink" in problems


def test_dir_root_is_refused_without_a_crash(tmp_path) -> None:
    done = _run(["list", "--dir", "/"], tmp_path, timeout=20)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "not a card folder" in done.stderr and "kacard.yaml" in done.stderr


def test_walker_does_not_cross_into_another_file_system(tmp_path) -> None:
    from kacard.cards.walk import card_files

    if not Path("/proc/self").is_dir() or os.stat("/").st_dev == os.stat("/proc").st_dev:
        pytest.skip("needs /proc on its own file system")
    (tmp_path / "proc").symlink_to("/proc")  # outside: refused
    files, problems = card_files(tmp_path)
    assert files == [] and all("Traceback" not in str(p) for p in problems)


@pytest.mark.parametrize("command", [
    ("export", "--format", "csv", "-o"),
    ("brief", "--ids", "hz-a", "--format", "html", "-o"),
    ("route", "--owner", "lina", "--format", "svg", "-o"),
    ("score", "--chart"),
])
def test_every_output_option_refuses_links_cards_and_settings(command, kacard, folder, write_card,
                                                             tmp_path) -> None:
    write_card("hz-a", CARD)
    outside = tmp_path / "outside"
    outside.mkdir()
    (folder / "link.svg").symlink_to(outside / "victim.svg")  # a committed symlink out of the folder
    (folder / "linkdir").symlink_to(outside)
    card_before = (folder / "hz-a.yaml").read_bytes()
    settings_before = (folder / "kacard.yaml").read_bytes()
    for target in (folder / "link.svg", folder / "linkdir" / "x.svg", folder / "hz-a.yaml",
                   folder / "kacard.yaml", folder / ".git-hooks.svg", folder / "new.yaml"):
        result = kacard(*command, str(target))
        assert result.exit_code == 2, (target, result.output)
        assert "Traceback" not in result.output
    assert list(outside.iterdir()) == []
    assert (folder / "hz-a.yaml").read_bytes() == card_before
    assert (folder / "kacard.yaml").read_bytes() == settings_before
    assert not (folder / "new.yaml").exists()
    fine = tmp_path / "out.svg"
    assert kacard(*command, str(fine)).exit_code == 0 and fine.stat().st_size > 0


def test_output_to_a_fifo_is_refused_not_hung(folder, write_card, tmp_path) -> None:
    write_card("hz-a", CARD)
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    done = _run(["export", "--dir", str(folder), "--format", "csv", "-o", str(fifo)], tmp_path, timeout=20)
    assert done.returncode == 2 and "not a regular file" in done.stderr


def _hostile_repo(folder: Path, marker: Path) -> None:
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    hook = folder / ".git" / "evil.sh"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    for key, value in (("core.fsmonitor", str(hook)), ("core.hooksPath", str(folder / ".git")),
                       ("core.pager", str(hook)), ("core.sshCommand", str(hook))):
        subprocess.run(["git", "-C", str(folder), "config", key, value], check=True)
    subprocess.run(["git", "-C", str(folder), "add", "-A"], check=True,
                   env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1"}, capture_output=True)


def test_git_config_of_a_foreign_repository_runs_no_program(folder, write_card, tmp_path, monkeypatch) -> None:
    write_card("hz-a", CARD)
    marker = tmp_path / "pwned"
    _hostile_repo(folder, marker)
    marker.unlink(missing_ok=True)  # `git add` above may have run it: start clean
    for args in (["validate"], ["git-setup"], ["due", "--mine"], ["list"]):
        done = _run([args[0], "--dir", str(folder), *args[1:]], tmp_path)
        assert "Traceback" not in done.stderr, done.stderr
    assert not marker.exists(), "a program named in the repository's config ran"
    # the same config does run with a plain git: the test would catch a regression
    subprocess.run(["git", "-C", str(folder), "status"], capture_output=True, check=False)
    assert marker.exists()


def test_all_git_calls_go_through_run_git() -> None:
    src = Path(__file__).resolve().parent.parent / "src" / "kacard"
    for path in src.rglob("*.py"):
        text = path.read_text("utf-8")
        if path.name != "gitsetup.py":
            assert '["git"' not in text and "'git'," not in text, path


def test_edit_scratch_copy_is_private_and_removed(folder, write_card, kacard, tmp_path, monkeypatch) -> None:
    write_card("hz-xinghe", SAMPLE_CARD)
    seen = tmp_path / "seen.txt"
    editor = tmp_path / "editor.sh"
    editor.write_text(f'#!/bin/sh\nstat -c "%a" "$1" > {seen}\nstat -c "%a" "$(dirname "$1")" >> {seen}\n'
                      f'echo "$1" >> {seen}\n', encoding="utf-8")
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    result = kacard("edit", "hz-xinghe")
    assert result.exit_code == 0, result.output
    file_mode, dir_mode, path = seen.read_text().split("\n")[:3]
    assert (file_mode, dir_mode) == ("600", "700")
    assert not Path(path).exists() and not Path(path).parent.exists()


def test_a_killed_edit_leaves_no_scratch_copy_for_long(folder, write_card, tmp_path) -> None:
    write_card("hz-xinghe", SAMPLE_CARD)
    scratch_root = tmp_path / "tmp"
    scratch_root.mkdir()
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nsleep 30\n", encoding="utf-8")
    editor.chmod(0o755)
    env = {**os.environ, "KACARD_TODAY": "2026-11-23", "KACARD_CACHE_DIR": str(tmp_path / "cache"),
           "EDITOR": str(editor), "TMPDIR": str(scratch_root)}
    for how in (signal.SIGTERM, signal.SIGKILL):
        proc = subprocess.Popen([sys.executable, "-m", "kacard", "edit", "hz-xinghe", "--dir", str(folder)],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + 20
        while not list(scratch_root.glob(f"{SCRATCH_PREFIX}*/*.yaml")) and time.monotonic() < deadline:
            time.sleep(0.05)
        copies = list(scratch_root.glob(f"{SCRATCH_PREFIX}*/*.yaml"))
        assert copies and stat.S_IMODE(copies[0].stat().st_mode) == 0o600
        proc.send_signal(how)
        proc.wait(timeout=20)
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the editor's sleep too
        except ProcessLookupError:
            pass
        if how == signal.SIGTERM:  # handled: cleaned up at once
            assert not list(scratch_root.glob(f"{SCRATCH_PREFIX}*")), how
    # after SIGKILL the copy is there until the next edit sweeps it
    assert list(scratch_root.glob(f"{SCRATCH_PREFIX}*"))
    assert sweep_scratch(scratch_root) and not list(scratch_root.glob(f"{SCRATCH_PREFIX}*"))


def test_private_scratch_keeps_a_live_process_copy(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with private_scratch() as scratch:
        assert stat.S_IMODE(scratch.stat().st_mode) == 0o700
        assert sweep_scratch(tmp_path) == []  # this process is alive: its copy stays
    assert not scratch.exists()


def test_init_and_git_setup_follow_no_committed_link(tmp_path, kacard) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    clone = tmp_path / "clone"
    clone.mkdir()
    subprocess.run(["git", "init", "-q", str(clone)], check=True)
    (clone / ".schema").symlink_to(outside)  # committed by someone: would redirect the schema write
    result = kacard.raw("init", str(clone), "--rep", "lina=李娜")
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    assert list(outside.iterdir()) == []
    (clone / ".schema").unlink()
    (clone / ".gitattributes").symlink_to(outside / "attrs")
    result = kacard.raw("git-setup", "--dir", str(clone))
    assert result.exit_code == 2 and not (outside / "attrs").exists(), result.output
    (clone / ".gitattributes").unlink()
    os.mkfifo(clone / ".gitattributes")  # reading it would hang
    done = _run(["git-setup", "--dir", str(clone)], tmp_path, timeout=20)
    assert done.returncode == 2 and "not a regular file" in done.stderr


def test_dir_without_kacard_yaml_is_refused_and_points_at_the_card_folder(tmp_path) -> None:
    """A fresh user's finding: `--dir` on a clone's root (cards in cards/) read the clone's
    YAML files as cards with no team settings, and an empty folder listed 0 accounts."""
    clone = tmp_path / "clone"
    (clone / "cards").mkdir(parents=True)
    (clone / "cards" / "kacard.yaml").write_text("team: []\n", encoding="utf-8")
    (clone / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    done = _run(["due", "--dir", str(clone)], tmp_path, timeout=20)
    assert done.returncode == 2 and done.stdout == ""
    assert "holds no kacard.yaml" in done.stderr and f"--dir {clone / 'cards'}" in done.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    done = _run(["list", "--dir", str(empty), "--lang", "zh"], tmp_path, timeout=20)
    assert done.returncode == 2 and "不是资料卡文件夹" in done.stderr and "kacard init" in done.stderr
