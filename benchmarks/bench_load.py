#!/usr/bin/env python3
"""How fast are whole-folder commands as card folders grow?

Generates folders of realistic ~11 KB cards (benchmarks/make_cards.py), then times
whole `kacard` runs as a user starts them (a new process each time, stdout to a
file, and for `list` and `due` also to a terminal), next to the floor: reading every
card's bytes.

    python benchmarks/bench_load.py                 # 1,000 and 10,000 cards
    python benchmarks/bench_load.py --sizes 1000 --repeat 5

cold = empty per-user cache (every card parsed and validated); warm = the second
and later runs (cache hits). Figures are medians of --repeat runs, with the
fastest run in brackets (shared machines drift). "start-up" is `kacard due` on a
folder with no cards: the interpreter, Typer, pydantic and kacard's imports,
which every command pays. The calibration line (a fixed pure-Python loop) lets
figures from different machines be compared.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_cards import write_folder  # noqa: E402

KACARD = [sys.executable, "-m", "kacard"]
TODAY = "2026-11-23"


def read_bytes_floor(folder: Path) -> float:
    start = time.perf_counter()
    total = 0
    for path in folder.rglob("*.yaml"):
        total += len(path.read_bytes())
    return time.perf_counter() - start


def time_command(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def time_on_terminal(args: list[str], env: dict[str, str]) -> float:
    """Seconds for a run printing to a terminal (a pseudo-terminal 120 columns wide),
    where kacard fits its tables to the width and styles the header."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {k: v for k, v in env.items() if k not in ("COLUMNS", "LINES")}
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.DEVNULL)
    os.close(slave)
    while True:  # read what a terminal would show until the program closes it
        try:
            if not os.read(master, 1 << 16):
                break
        except OSError:
            break
    proc.wait()
    elapsed = time.perf_counter() - start
    os.close(master)
    return elapsed


def timed(
    args: list[str], env: dict[str, str], repeat: int,
    run: Callable[[list[str], dict[str, str]], float] = time_command,
) -> tuple[float, float]:
    """(median, fastest) of `repeat` runs."""
    runs = [run(args, env) for _ in range(repeat)]
    return statistics.median(runs), min(runs)


def calibration() -> float:
    """Seconds for a fixed pure-Python loop (fastest of 5): this machine's speed."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        total = 0
        for i in range(3_000_000):
            total += i & 7
        best = min(best, time.perf_counter() - start)
    return best


def user_env(cache: Path) -> dict[str, str]:
    """The environment of a user's shell: kacard's bytecode cached as usual."""
    env = {**os.environ, "KACARD_CACHE_DIR": str(cache), "KACARD_TODAY": TODAY}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def bench(size: int, repeat: int, workdir: Path) -> list[tuple[str, float, float]]:
    folder = workdir / f"cards-{size}"
    if not folder.exists():
        started = time.perf_counter()
        write_folder(folder, count=size, seed=11, today=dt.date.fromisoformat(TODAY), card_kb=11)
        print(f"  generated {size} cards in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    cache = workdir / f"cache-{size}"
    env = user_env(cache)
    mb = sum(p.stat().st_size for p in folder.rglob("*.yaml")) / 1e6
    rows: list[tuple[str, float, float]] = []
    floors = [read_bytes_floor(folder) for _ in range(repeat)]
    rows.append((f"read all bytes ({mb:.0f} MB, the floor)", statistics.median(floors), min(floors)))
    empty = workdir / "no-cards"
    empty.mkdir(exist_ok=True)
    (empty / "kacard.yaml").write_text("schema: 1\n", encoding="utf-8")
    rows.append(("kacard due, no cards (start-up)", *timed([*KACARD, "due", "--dir", str(empty)], env, repeat)))
    for command in (["list"], ["due"], ["validate"]):
        args = [*KACARD, *command, "--dir", str(folder)]
        shutil.rmtree(cache, ignore_errors=True)
        cold = time_command(args, env)
        rows.append((f"kacard {command[0]} cold", cold, cold))
        rows.append((f"kacard {command[0]} warm", *timed(args, env, repeat)))
        if command != ["validate"] and os.name == "posix":
            rows.append((f"kacard {command[0]} warm, on a terminal", *timed(args, env, repeat, time_on_terminal)))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=None, help="Keep generated folders here.")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kacard-bench-"))
    import kacard

    compileall.compile_dir(Path(kacard.__file__).parent, quiet=1)  # as after any pip install
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, folders in {workdir}")
    print(f"calibration: a 3M-step pure-Python loop takes {calibration():.3f} s")
    for size in (int(s) for s in args.sizes.split(",")):
        rows = bench(size, args.repeat, workdir)
        floor, start_up = rows[0][1], rows[1][1]
        print(f"\n{size:,} cards")
        print(f"  {'what':<40} {'median s':>9} {'(fastest)':>10} {'ms/card':>8} {'× floor':>8}"
              f" {'ms/card beyond start-up':>24}")
        for name, seconds, fastest in rows:
            beyond = f"{(seconds - start_up) / size * 1000:24.3f}" if " warm" in name else ""
            print(f"  {name:<40} {seconds:9.3f} {f'({fastest:.3f})':>10} {seconds / size * 1000:8.3f}"
                  f" {seconds / floor:8.1f}{beyond}")
    print(f"\ncalibration again: {calibration():.3f} s (a big change means the machine's speed drifted)")
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
