#!/usr/bin/env python3
"""How fast is `kacard changes` on a folder with thousands of commits?

Builds a git repository with `git fast-import` (no work-tree churn): 300 cards, then
--commits commits, each logging one visit on one card (a daily team's history over years),
and times `kacard changes` over the whole history and over the last day, as a user runs it
(a new process; CPU seconds of the child, median of --repeat runs):

    python benchmarks/bench_changes.py [--commits 3000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import child_cpu  # noqa: E402

CARDS = 300


def card_text(i: int, visits: int) -> bytes:
    lines = [f"id: c{i:04d}", f"name: 测试客户{i}", "owner: zhangwei", "visits:"]
    for v in range(visits):
        day = dt.date(2020, 1, 1) + dt.timedelta(days=v)
        lines.append(f"  - {{date: {day}, summary: 第{v}次拜访, next: {{date: {day + dt.timedelta(days=7)}, action: 跟进}}}}")
    if not visits:
        lines[-1] = "visits: []"
    return ("\n".join(lines) + "\n").encode()


def build(repo: Path, commits: int) -> None:
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    start = int(dt.datetime(2020, 1, 1, 9).timestamp())
    visits = [0] * CARDS
    out = []

    def blob(data: bytes) -> bytes:
        return b"data %d\n" % len(data) + data + b"\n"

    out.append(b"commit refs/heads/main\ncommitter zw <zw@example.com> %d +0800\n" % start + blob(b"cards"))
    out.append(b"M 100644 inline kacard.yaml\n" + blob("schema: 1\nteam:\n  - {id: zhangwei, name: 张伟}\n".encode()))
    for i in range(CARDS):
        out.append(b"M 100644 inline c%04d.yaml\n" % i + blob(card_text(i, 0)))
    for n in range(commits):
        i = n % CARDS
        visits[i] += 1
        when = start + (n + 1) * 3600 * 6
        out.append(b"commit refs/heads/main\ncommitter zw <zw@example.com> %d +0800\n" % when + blob(b"visit"))
        out.append(b"M 100644 inline c%04d.yaml\n" % i + blob(card_text(i, visits[i])))
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=b"".join(out), check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=repo, check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commits", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        built = time.perf_counter()
        build(repo, args.commits)
        print(f"{args.commits} commits on {CARDS} cards built in {time.perf_counter() - built:.1f} s")
        last = dt.datetime.fromtimestamp(int(dt.datetime(2020, 1, 1, 9).timestamp()) + args.commits * 3600 * 6).date()
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "cache")}
        root = subprocess.run(["git", "rev-list", "--max-parents=0", "HEAD"], cwd=repo, capture_output=True,
                              text=True, check=True).stdout.strip()
        kacard = [sys.executable, "-m", "kacard", "changes", "--dir", str(repo), "--format", "json"]
        for label, extra in (("whole history", ["--since", root]), ("last day", ["--since", "yesterday",
                                                                                   "--today", str(last)])):
            runs = [child_cpu([*kacard, *extra], env, check=True) for _ in range(args.repeat)]
            print(f"  changes, {label:13}: CPU {statistics.median(r[0] for r in runs):.2f} s, "
                  f"wall {statistics.median(r[1] for r in runs):.2f} s (median of {args.repeat})")


if __name__ == "__main__":
    main()
