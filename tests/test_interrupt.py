"""Ctrl-C at any moment of a run, start-up included, never shows a traceback (a fresh
user's finding: an interrupt while Python imported kacard's modules printed one; a CI run
found one inside the import machinery's lock callback). The first ~20 ms are Python's own
start-up, before any kacard code runs, so the earliest moment tried is 50 ms."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "cards"


def test_an_interrupt_at_any_moment_exits_cleanly(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "KACARD_CACHE_DIR": str(tmp_path / "cache"), "HOME": str(tmp_path)}
    seen = []
    for delay in (0.05, 0.07, 0.1, 0.15, 0.25, 0.4):
        process = subprocess.Popen(
            [sys.executable, "-c", "from kacard.cli.entry import main; main()", "due", "--dir", str(SAMPLE),
             "--today", "2026-11-23"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=60)
        text = err.decode("utf-8", "replace")
        assert "Traceback" not in text, (delay, text)
        # 130 with the message once Python runs; a run that already ended exits 0
        assert process.returncode in (0, 130, -signal.SIGINT), (delay, process.returncode, text)
        if process.returncode == 130:
            assert "interrupted; nothing was written" in text, (delay, text)
        seen.append(process.returncode)
    assert 130 in seen, seen
