#!/usr/bin/env python3
"""How fast is the merge driver on a large card? (issue 14, point 4: ≤ 2 s on a 690 KB card)

Builds cards of about 690 KB and 867 KB (a generated card, benchmarks/make_cards.py,
with years of visits: ~3,900 and ~4,900 of them) and, for each, a merge as git runs it:
a new process `python -m kacard merge-driver -- %O %A %B %P` in a git repository,
timed by its own CPU seconds (user + system, git included) and peak memory (largest
resident set), for two merges:

* conflict: both reps logged a visit and set the credit limit, to different values
  (one conflicting field, markers around it);
* clean: both reps logged a visit, one of them also changed a contact's title
  (the merged card is validated).

`--before REV` runs the driver of that revision too (its `src/`, from `git archive`),
interleaved with this one, and checks that both write the same bytes:

    python benchmarks/bench_merge.py --before main [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_cards import write_folder

ROOT = Path(__file__).resolve().parent.parent
REPS = ["zhangwei", "lina", "chenjie"]
SUMMARIES = ["现场拜访，讨论三号线改造方案", "电话跟进报价，客户关注交期", "陪同技术交流，演示新产线",
             "送样品，约下周试用", "回访使用情况，记录改进意见"]


def big_card(kb: int) -> tuple[str, str]:
    """(card id, text) of a generated card grown to about `kb` kilobytes with older visits."""
    with tempfile.TemporaryDirectory() as folder:
        paths = write_folder(folder, count=12, seed=7)
        path = max(paths, key=lambda p: p.read_text("utf-8").count("\n  - date:"))
        text = path.read_text("utf-8")
    head, visits_line, rest = re.split(r"^(visits:[^\n]*\n)", text, maxsplit=1, flags=re.MULTILINE)
    first = dt.date.fromisoformat(re.search(r"date: (\d{4}-\d\d-\d\d)", rest).group(1))  # type: ignore[union-attr]
    head = re.sub(r"^since: .*$", "since: 2000-01-01", head, flags=re.MULTILINE)
    older: list[str] = []
    size = len((head + visits_line + rest).encode())
    day = first - dt.timedelta(days=1)
    while size < kb * 1024:
        i = len(older)
        visit = (f"  - date: {day.isoformat()}\n    by: {REPS[i % 3]}\n    kind: visit\n"
                 f"    with: [王建国]\n    summary: {SUMMARIES[i % 5]}（第{i}次）\n"
                 f"    next: {{date: {(day + dt.timedelta(days=7)).isoformat()}, action: 跟进}}\n")
        older.append(visit)
        size += len(visit.encode())
        day -= dt.timedelta(days=2)
    return path.stem, head + visits_line + "".join(reversed(older)) + rest


def add_visit(text: str, date: str, by: str, summary: str) -> str:
    """The card with one more visit after the last one."""
    visit = (f"  - date: {date}\n    by: {by}\n    kind: visit\n    summary: {summary}\n"
             f"    next: {{date: 2026-12-01, action: 报价}}\n")
    at = text.rindex("\n  - date: ")
    match = re.compile(r"^(?!    |  - )", re.MULTILINE).search(text, at + 1)
    end = match.start() if match else len(text)
    return text[:end] + visit + text[end:]


def scenarios(text: str) -> dict[str, tuple[str, str]]:
    limit = re.search(r"limit: (\d+)", text)
    assert limit is not None
    ours = add_visit(text, "2026-11-23", "zhangwei", "张伟现场拜访")
    theirs = add_visit(text, "2026-11-24", "lina", "李娜电话跟进")
    title = re.search(r"^    title: (.*)$", text, re.MULTILINE)
    assert title is not None
    return {
        "conflict": (ours.replace(limit.group(0), "limit: 3000000", 1),
                     theirs.replace(limit.group(0), "limit: 2500000", 1)),
        "clean": (ours, theirs.replace(title.group(0), "    title: 副总经理", 1)),
    }


def run_driver(src: Path, repo: Path, base: str, ours: str, theirs: str, name: str) -> tuple[float, float, float, bytes, int]:
    """(CPU s, wall s, peak MB, bytes written, exit code) of one driver run in a new process."""
    files = []
    for label, text in (("O", base), ("A", ours), ("B", theirs)):
        path = repo / f".merge_file_{label}"
        path.write_text(text, encoding="utf-8")
        files.append(str(path))
    env = dict(os.environ, PYTHONPATH=str(src), PYTHONDONTWRITEBYTECODE="1")
    wall = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "kacard", "merge-driver", "--", *files, name], cwd=repo,
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - wall
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return cpu, wall, usage.ru_maxrss / 1024, Path(files[1]).read_bytes(), process.returncode


def source_of(rev: str, into: Path) -> Path:
    """`src/` of a revision of this repository, unpacked into `into`."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into / "src"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="690,867", help="card sizes in KB (comma-separated)")
    parser.add_argument("--before", help="also run the driver of this git revision (e.g. main)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of this driver (median reported)")
    parser.add_argument("--before-repeat", type=int, default=1, help="rounds of the --before driver")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temp:
        repo = Path(temp) / "repo"
        repo.mkdir()
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
        drivers = {"now": ROOT / "src"}
        if args.before:
            drivers["before"] = source_of(args.before, Path(temp))
        rows = []
        for kb in (int(k) for k in args.sizes.split(",")):
            card_id, base = big_card(kb)
            name = f"{card_id}.yaml"
            visits = base.count("\n  - date:")
            for label, (ours, theirs) in scenarios(base).items():
                runs: dict[str, list[tuple[float, float, float]]] = {k: [] for k in drivers}
                written: dict[str, set[bytes]] = {k: set() for k in drivers}
                codes: dict[str, set[int]] = {k: set() for k in drivers}
                for round_ in range(max(args.repeat, args.before_repeat)):
                    for key, src in drivers.items():
                        if round_ >= (args.repeat if key == "now" else args.before_repeat):
                            continue
                        cpu, wall, peak, data, code = run_driver(src, repo, base, ours, theirs, name)
                        runs[key].append((cpu, wall, peak))
                        written[key].add(data)
                        codes[key].add(code)
                size = len(base.encode()) / 1024
                row = [f"{size:.0f} KB ({visits} visits)", label]
                for key in drivers:
                    cpu = statistics.median(r[0] for r in runs[key])
                    peak = max(r[2] for r in runs[key])
                    row.append(f"{cpu:.2f} s, {peak:.0f} MB (exit {'/'.join(map(str, sorted(codes[key])))})")
                if "before" in drivers:
                    row.append("yes" if written["now"] == written["before"] else "NO")
                rows.append(row)
                print(" | ".join(row), flush=True)
    header = ["card", "merge", "now: CPU, peak"] + (["before: CPU, peak", "same bytes"] if args.before else [])
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
