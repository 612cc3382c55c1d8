"""Issue 11, kind 4: writes that always finish cleanly. A lock records who holds it and a
stale one is recovered; the lock never holds card data; handover of several cards checks
all first and a re-run finishes an interrupted one; a visit saved is not reported as failed
because printing failed; the very same visit logged twice is asked about first."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import pytest

from kacard.cards import safewrite
from kacard.cards.store import load_folder
from kacard.errors import StaleWrite
from tests.conftest import SAMPLE_CARD

TODAY_ARGS = ("--summary", "复访", "--no-next", "已签约")


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _lock(path, holder: dict | None, age: float = 0.0, raw: bytes | None = None):
    lock = path.with_name(path.name + ".lock")
    lock.write_bytes(raw if raw is not None else json.dumps(holder).encode())
    if age:
        old = time.time() - age
        os.utime(lock, (old, old))
    return lock


def test_a_lock_records_who_holds_it_and_never_the_card(folder, write_card, monkeypatch):
    path = write_card("hz-xinghe", SAMPLE_CARD)
    seen = {}
    real_replace = os.replace

    def spy(src, dst):  # look at the lock while the write holds it
        seen["lock"] = json.loads(path.with_name(path.name + ".lock").read_text("utf-8"))
        return real_replace(src, dst)

    monkeypatch.setattr(safewrite.os, "replace", spy)
    safewrite.write_atomic(path, SAMPLE_CARD + "# x\n", safewrite.digest(path.read_bytes()))
    assert set(seen["lock"]) >= {"pid", "host", "time"} and seen["lock"]["pid"] == os.getpid()
    assert "星河" not in json.dumps(seen["lock"], ensure_ascii=False)
    assert not path.with_name(path.name + ".lock").exists()


def test_a_lock_whose_process_is_gone_is_recovered(kacard, folder, write_card):
    path = write_card("hz-xinghe", SAMPLE_CARD)
    pid = _dead_pid()
    _lock(path, {"pid": pid, "host": socket.gethostname(), "time": "2026-11-23T08:00:00+00:00"})
    stray = safewrite.temp_path(path, pid)
    stray.write_text("half a card", encoding="utf-8")
    result = kacard("log", "hz-xinghe", *TODAY_ARGS)
    assert result.exit_code == 0, result.output
    assert not path.with_name(path.name + ".lock").exists() and not stray.exists()
    assert "复访" in path.read_text("utf-8")


def test_a_lock_held_by_a_live_process_is_respected_and_named(kacard, folder, write_card):
    path = write_card("hz-xinghe", SAMPLE_CARD)
    before = path.read_bytes()
    _lock(path, {"pid": os.getppid(), "host": socket.gethostname(), "time": "2026-11-23T08:00:00+00:00"})
    result = kacard("log", "hz-xinghe", *TODAY_ARGS)
    assert result.exit_code == 2 and str(os.getppid()) in result.output and "Traceback" not in result.output
    assert path.read_bytes() == before


@pytest.mark.parametrize("holder, age, recovered", [
    ({"pid": 1, "host": "another-laptop", "time": "x"}, 0, False),  # another machine: cannot tell
    ({"pid": 1, "host": "another-laptop", "time": "x"}, 7200, True),  # but no write takes an hour
    (None, 0, False),  # unreadable and new: someone is creating it right now
    (None, 60, True),  # unreadable and old: left by a crash (e.g. an old kacard's lock with card data)
])
def test_other_stale_locks(folder, write_card, holder, age, recovered):
    path = write_card("hz-xinghe", SAMPLE_CARD)
    _lock(path, holder, age=age, raw=None if holder else b"id: hz-xinghe\nname: old lock with card data\n")
    write = lambda: safewrite.write_atomic(path, SAMPLE_CARD + "# x\n", safewrite.digest(path.read_bytes()))
    if recovered:
        write()
        assert path.read_text("utf-8").endswith("# x\n")
    else:
        with pytest.raises(StaleWrite):
            write()


def test_handover_checks_every_card_before_writing_any(kacard, folder, write_card, monkeypatch):
    paths = [write_card(i, f"id: {i}\nname: {i}\nowner: zhangwei\n") for i in ("a-first", "z-last")]
    before = [p.read_bytes() for p in paths]
    from kacard.team import handover

    real = handover.prepare_update

    def changed_meanwhile(folder_path, loaded, change):
        if loaded.card.id == "z-last":
            paths[1].write_text(paths[1].read_text("utf-8") + "# edited meanwhile\n", encoding="utf-8")
        return real(folder_path, loaded, change)

    monkeypatch.setattr(handover, "prepare_update", changed_meanwhile)
    result = kacard("handover", "zhangwei", "lina", "--ids", "a-first,z-last")
    assert result.exit_code == 2 and "Traceback" not in result.output and "changed on disk" in result.output
    assert paths[0].read_bytes() == before[0]  # the first card was not written either


def test_an_interrupted_handover_is_finished_by_running_it_again(kacard, folder, write_card, monkeypatch):
    for card_id in ("a1", "a2", "a3"):
        write_card(card_id, f"id: {card_id}\nname: {card_id}\nowner: zhangwei\n")
    from kacard.cards import writing

    calls = {"n": 0}
    real_commit = writing.commit

    def crash_on_second(prepared):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # the laptop's lid closes half-way
        return real_commit(prepared)

    monkeypatch.setattr("kacard.team.handover.commit", crash_on_second)
    kacard("handover", "zhangwei", "lina", "--ids", "a1,a2,a3", "--reason", "离职")
    owners = {c.card.id: c.card.owner for c in load_folder(folder, __import__("datetime").date(2026, 11, 23)).cards}
    assert owners == {"a1": "lina", "a2": "zhangwei", "a3": "zhangwei"}
    monkeypatch.setattr("kacard.team.handover.commit", real_commit)
    again = kacard("handover", "zhangwei", "lina", "--ids", "a1,a2,a3", "--reason", "离职")
    assert again.exit_code == 0, again.output
    assert "already handed over" in again.output and "a1" in again.output
    cards = {c.card.id: c.card for c in load_folder(folder, __import__("datetime").date(2026, 11, 23)).cards}
    assert {k: c.owner for k, c in cards.items()} == {"a1": "lina", "a2": "lina", "a3": "lina"}
    assert all(len(c.handovers) == 1 for c in cards.values())  # a1 was not handed over twice


def test_a_saved_visit_is_not_a_failure_when_printing_fails(folder, write_card, tmp_path):
    path = write_card("hz-xinghe", SAMPLE_CARD)
    env = {**os.environ, "KACARD_DIR": str(folder)}
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "kacard", "log", "hz-xinghe", *TODAY_ARGS],
                              stdout=full, stderr=subprocess.PIPE, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "saved" in done.stderr
    assert "复访" in path.read_text("utf-8")
    with open("/dev/full", "w") as full:  # nothing saved: a printing failure is a failure
        listed = subprocess.run([sys.executable, "-m", "kacard", "list"], stdout=full,
                                stderr=subprocess.PIPE, text=True, env=env, check=False)
    assert listed.returncode != 0


def test_the_very_same_visit_twice_is_refused_without_a_terminal_unless_forced(kacard, folder, write_card):
    path = write_card("hz-xinghe", SAMPLE_CARD)
    assert kacard("log", "hz-xinghe", *TODAY_ARGS).exit_code == 0
    once = path.read_bytes()
    again = kacard("log", "hz-xinghe", *TODAY_ARGS)
    assert again.exit_code == 2 and "--force" in again.output and path.read_bytes() == once
    other = kacard("log", "hz-xinghe", "--summary", "另一件事", "--no-next", "已签约")
    assert other.exit_code == 0  # a different summary is a different visit
    forced = kacard("log", "hz-xinghe", *TODAY_ARGS, "--force")
    assert forced.exit_code == 0 and path.read_text("utf-8").count("summary: 复访") == 2
