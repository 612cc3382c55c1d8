#!/usr/bin/env python3
"""How fast is every folder-wide command as card folders grow?

Generates folders of realistic ~11 KB cards (benchmarks/make_cards.py), then runs
whole `kacard` processes as a user starts them (a new process each time, stdout to a
file) and reports, per command, the CPU seconds (user + system, the process and the
worker processes it waited for) and the peak memory (largest resident set of the
process or any of its workers), next to the floors:

* reading every card's bytes and stat-ing every card file (in this process);
* start-up: `kacard due` on a folder without cards (Python, Typer, pydantic, kacard);
* taskwarrior's `task list` and a filter over one task per card, when `task` is installed.

    python benchmarks/bench_load.py                       # 1,000 and 10,000 cards
    python benchmarks/bench_load.py --sizes 50000 --repeat 1
    python benchmarks/bench_load.py --sizes 1000 --markdown   # README table rows
    python benchmarks/bench_load.py --sizes 10000 --commands list --cold list --repeat 1 \
        --baseline /tmp/main/src --cold-repeat 3   # cold A/B against another kacard

cold = empty per-user cache (every card parsed; every command run cold once);
warm = later runs (cache hits). Warm runs are interleaved (each round runs every
command once) and the median of --repeat rounds is shown, so a drift of this
shared machine's speed hits every command alike. The calibration line (a fixed
pure-Python loop) lets figures from different machines be compared.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

if sys.argv[1:2] != ["--measure"]:  # the measuring helper stays small
    from make_cards import write_folder  # noqa: E402

KACARD = [sys.executable, "-m", "kacard"]
TODAY = "2026-11-23"

# name -> arguments after `kacard` (the folder is added with --dir)
COMMANDS: dict[str, list[str]] = {
    "list": ["list"],
    "due": ["due"],
    "filter": ["filter", "tier=A", "owner=zhangwei", "revenue>1000000"],
    "score": ["score"],
    "review": ["review"],
    "validate": ["validate"],
    "brief --owner": ["brief", "--owner", "lina"],
    "show": ["show", "{first}"]  # the first card of the folder,
}


class Run(NamedTuple):
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and its waited-for children
    peak_mb: float  # largest resident set (MB) of the process or one of its children


def measure(args: list[str]) -> str:
    """Run a command (stdout and stderr to /dev/null), wait4 for it; its figures as JSON.

    Run in a small helper process (`bench_load.py --measure ...`, no site packages): a
    child's peak memory counts the pages it had before exec, that is its parent's, so the
    parent must be small for the figure to be the command's own."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: quiet, then the command
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        try:
            os.execvp(args[0], args)
        finally:
            os._exit(127)
    _, _, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    return json.dumps([wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024])


def run(args: list[str], env: dict[str, str] | None = None) -> Run:
    """Wall and CPU seconds and peak memory of a command (see measure)."""
    helper = [sys.executable, "-S", "-E", str(Path(__file__).resolve()), "--measure", *args]
    out = subprocess.run(helper, env=env, capture_output=True, check=True).stdout
    return Run(*json.loads(out))


def floor_bytes(folder: Path) -> Run:
    start, cpu = time.perf_counter(), time.process_time()
    for path in folder.rglob("*.yaml"):
        path.read_bytes()
    return Run(time.perf_counter() - start, time.process_time() - cpu, 0.0)


def floor_stat(folder: Path) -> Run:
    start, cpu = time.perf_counter(), time.process_time()
    for path in folder.rglob("*.yaml"):
        path.stat()
    return Run(time.perf_counter() - start, time.process_time() - cpu, 0.0)


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


def taskwarrior(folder: Path, workdir: Path) -> dict[str, list[str]] | None:
    """A taskwarrior database with one task per card (project = owner, due = next step,
    tags = tier): the same records a kacard list shows. None without `task`."""
    if shutil.which("task") is None:
        return None
    data = workdir / f"task-{folder.name}"
    rc = workdir / f"taskrc-{folder.name}"
    base = ["task", f"rc:{rc}", "rc.confirmation=off", "rc.verbose=nothing", "rc.hooks=off",
            "rc.gc=off", "rc.recurrence=off"]
    if not data.exists():
        data.mkdir()
        rc.write_text(f"data.location={data}\nnews.version=99.99.99\n", encoding="utf-8")
        from ruamel.yaml import YAML

        yaml = YAML(typ="safe")
        tasks = []
        for path in sorted(folder.glob("*.yaml")):
            if path.name == "kacard.yaml":
                continue
            card = yaml.load(path.read_text(encoding="utf-8"))
            task = {"description": card["name"], "project": card["owner"], "status": "pending",
                    "entry": "20260101T000000Z", "tags": [card.get("tier") or "none"]}
            tasks.append(task)
        subprocess.run([*base, "import", "-"], input=json.dumps(tasks).encode(),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return {"task list": [*base, "rc.report.list.filter=status:pending", "list"],
            "task filter": [*base, "project:zhangwei", "+A", "list"]}


def bench(size: int, repeat: int, workdir: Path, commands: dict[str, list[str]],
          cold: list[str] | None = None, with_peers: bool = True, baseline: Path | None = None,
          cold_repeat: int = 1) -> dict[str, dict[str, Run]]:
    """{row name: {"cold"|"warm": Run}} for one folder size. With `baseline` (the `src`
    folder of another kacard, e.g. `git archive main src | tar -x -C /tmp/main`), each cold
    command runs `cold_repeat` times alternately with that kacard and this one (median of
    each): its rows are named "… (baseline)"."""
    folder = workdir / f"cards-{size}"
    if not folder.exists():
        started = time.perf_counter()
        write_folder(folder, count=size, seed=11, today=dt.date.fromisoformat(TODAY), card_kb=11)
        print(f"  generated {size} cards in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    cache = workdir / f"cache-{size}"
    env = user_env(cache)
    empty = workdir / "no-cards"
    empty.mkdir(exist_ok=True)
    (empty / "kacard.yaml").write_text("schema: 1\n", encoding="utf-8")
    results: dict[str, dict[str, Run]] = {}
    first = min(p.stem for p in folder.glob("*.yaml") if p.name != "kacard.yaml")
    commands = {name: [a.replace("{first}", first) for a in command] for name, command in commands.items()}
    # cold: each command on an empty cache (alternately with the baseline's kacard)
    versions = {"": env}
    if baseline is not None:
        versions = {" (baseline)": {**env, "PYTHONPATH": str(baseline)}, "": env}
    for name, command in commands.items():
        if cold is not None and name not in cold:
            continue
        runs: dict[str, list[Run]] = {}
        for _ in range(cold_repeat):
            for label, version_env in versions.items():
                shutil.rmtree(cache, ignore_errors=True)
                print(f"  {size}: {name} cold{label}", file=sys.stderr)
                runs.setdefault(label, []).append(run([*KACARD, *command, "--dir", str(folder)], version_env))
        for label, found in runs.items():
            results[name + label] = {"cold": Run(*(statistics.median(v) for v in zip(*found, strict=True)))}
    shutil.rmtree(cache, ignore_errors=True)
    peers = (taskwarrior(folder, workdir) or {}) if with_peers else {}
    for command in commands.values():  # fill the cache for every kind of load
        run([*KACARD, *command, "--dir", str(folder)], env)
    # warm, interleaved: each round runs every command once
    rounds: dict[str, list[Run]] = {}
    for _ in range(repeat):
        rounds.setdefault("read all bytes", []).append(floor_bytes(folder))
        rounds.setdefault("stat every file", []).append(floor_stat(folder))
        rounds.setdefault("start-up (due, no cards)", []).append(run([*KACARD, "due", "--dir", str(empty)], env))
        for name, command in commands.items():
            rounds.setdefault(name, []).append(run([*KACARD, *command, "--dir", str(folder)], env))
        for name, command in peers.items():
            rounds.setdefault(name, []).append(run(command, env))
    for name, runs in rounds.items():
        results.setdefault(name, {})["warm"] = Run(*(statistics.median(values) for values in zip(*runs, strict=True)))
    return results


def print_table(size: int, results: dict[str, dict[str, Run]], markdown: bool) -> None:
    start_up = results["start-up (due, no cards)"]["warm"].cpu
    list_warm = results.get("list", {}).get("warm")
    if markdown:
        print(f"\n{size:,} cards\n")
        print("| | warm CPU s | warm peak MB | × start-up | × list | cold CPU s | cold wall s | cold peak MB |")
        print("|---|---|---|---|---|---|---|---|")
    else:
        print(f"\n{size:,} cards")
        print(f"  {'what':<26} {'warm CPU s':>10} {'peak MB':>8} {'×start-up':>9} {'×list':>6}"
              f" {'cold CPU s':>10} {'cold wall':>9} {'peak MB':>8}")
    for name, runs in results.items():
        warm, cold = runs.get("warm"), runs.get("cold")
        cells = [
            f"{warm.cpu:.3f}" if warm else "",
            f"{warm.peak_mb:.0f}" if warm and warm.peak_mb else "",
            f"{warm.cpu / start_up:.1f}" if warm and start_up else "",
            f"{warm.cpu / list_warm.cpu:.2f}" if warm and list_warm and name in COMMANDS else "",
            f"{cold.cpu:.2f}" if cold else "",
            f"{cold.wall:.2f}" if cold else "",
            f"{cold.peak_mb:.0f}" if cold else "",
        ]
        if markdown:
            label = f"`kacard {name}`" if name in COMMANDS else name
            print(f"| {label} | " + " | ".join(cells) + " |")
        else:
            widths = (10, 8, 9, 6, 10, 9, 8)
            print(f"  {name:<26} " + " ".join(f"{c:>{w}}" for c, w in zip(cells, widths, strict=True)))


def print_ratios(results: dict[str, dict[str, Run]]) -> None:
    """Cold CPU of this kacard over the baseline's, per command run with --baseline."""
    for name, runs in results.items():
        base = results.get(name + " (baseline)", {}).get("cold")
        if base is not None and "cold" in runs:
            print(f"  cold {name}: {runs['cold'].cpu:.2f} s CPU vs {base.cpu:.2f} s for the baseline"
                  f" = {runs['cold'].cpu / base.cpu:.2f} (wall {runs['cold'].wall:.1f} vs {base.wall:.1f} s)")


def main() -> int:
    if sys.argv[1:2] == ["--measure"]:
        print(measure(sys.argv[2:]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--commands", default=",".join(COMMANDS), help="Comma-separated names of COMMANDS.")
    parser.add_argument("--no-peers", action="store_true", help="Leave taskwarrior out.")
    parser.add_argument("--cold", default=None, help="Run only these commands cold (default: all).")
    parser.add_argument("--workdir", type=Path, default=None, help="Keep generated folders here.")
    parser.add_argument("--markdown", action="store_true", help="Print Markdown tables (the README's).")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="The src folder of another kacard: its cold runs alternate with this one's.")
    parser.add_argument("--cold-repeat", type=int, default=1, help="Cold runs of each command (median).")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kacard-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    commands = {name: COMMANDS[name] for name in args.commands.split(",")}
    import kacard

    compileall.compile_dir(Path(kacard.__file__).parent, quiet=1)  # as after any pip install
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, folders in {workdir}")
    print(f"calibration: a 3M-step pure-Python loop takes {calibration():.3f} s")
    for size in (int(s) for s in args.sizes.split(",")):
        cold = args.cold.split(",") if args.cold else None
        found = bench(size, args.repeat, workdir, commands, cold, not args.no_peers, args.baseline, args.cold_repeat)
        print_table(size, found, args.markdown)
        print_ratios(found)
        sys.stdout.flush()
    print(f"\ncalibration again: {calibration():.3f} s (a big change means the machine's speed drifted)")
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
