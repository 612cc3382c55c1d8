#!/usr/bin/env python3
"""How fast does `kacard import` take a team's workbook?

Generates workbooks of N rows (benchmarks/make_workbook.py: a 客户资料 sheet with
merged group headings, one contact and two invoices per account, and a GBK CSV with one
visit per account: 5 rows an account, so 1,000 rows are 200 accounts), then times whole
`kacard import` runs as a user starts them (a new process each, output to a file):

* into an empty folder (every card created and written),
* the same file again (every card matched, nothing changes),
* the workbook with every tenth account's credit limit changed (those cards patched
  through the round-trip writer of `kacard log`, the others left alone).

    python benchmarks/bench_import.py                    # 1,000 and 10,000 rows
    python benchmarks/bench_import.py --rows 1000 --repeat 3

Figures are medians of --repeat runs, the fastest in brackets; the calibration line (a
fixed pure-Python loop) lets figures from different machines be compared. Reading the
workbook alone (python-calamine) and openpyxl's read-only mode are timed as the floor
and the alternative.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_workbook import write_workbook

KACARD = [sys.executable, "-m", "kacard"]
SETTINGS = "schema: 1\nteam:\n  - {id: zhangwei, name: 张伟}\n  - {id: lina, name: 李娜}\n"


def calibrate() -> float:
    start = time.perf_counter()
    total = 0
    for i in range(3_000_000):
        total += i % 7
    return time.perf_counter() - start


def fresh_folder(base: Path, name: str) -> Path:
    folder = base / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    (folder / "kacard.yaml").write_text(SETTINGS, encoding="utf-8")
    return folder


def run_import(folder: Path, book: Path, visits: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    with open(os.devnull, "w") as sink:
        done = subprocess.run([*KACARD, "import", str(book), "--also", str(visits), "--dir", str(folder),
                               "--format", "json"], stdout=sink, stderr=subprocess.PIPE, env=env, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr.decode())
    return elapsed


def timed(label: str, runs: list[float]) -> None:
    print(f"  {label:<44} {statistics.median(runs):7.2f} s ({min(runs):.2f})")


def read_floor(book: Path) -> tuple[float, float]:
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    for name in CalamineWorkbook.from_path(str(book)).sheet_names:
        CalamineWorkbook.from_path(str(book)).get_sheet_by_name(name).to_python()
    calamine = time.perf_counter() - start
    start = time.perf_counter()
    workbook = load_workbook(book, read_only=True, data_only=True)
    for sheet in workbook.worksheets:
        list(sheet.iter_rows(values_only=True))
    return calamine, time.perf_counter() - start


def bench(rows: int, repeat: int, base: Path) -> None:
    size = rows // 5
    source = base / f"source-{size}"
    source.mkdir(exist_ok=True)
    book, visits, _bad = write_workbook(source, size)
    env = dict(os.environ, KACARD_CACHE_DIR=str(base / "cache"), KACARD_TODAY="2026-11-23")
    print(f"{rows:,} rows ({size:,} cards, {size:,} contacts, {2 * size:,} invoices, "
          f"{size:,} visits in a GBK CSV)")
    calamine, openpyxl = read_floor(book)
    print(f"  {'read the workbook: python-calamine / openpyxl':<44} {calamine:7.2f} s / {openpyxl:.2f} s")
    empty, again = [], []
    for _ in range(repeat):
        folder = fresh_folder(base, f"cards-{size}")
        empty.append(run_import(folder, book, visits, env))
        again.append(run_import(folder, book, visits, env))
    timed("import into an empty folder (all created)", empty)
    timed("the same file again (all unchanged)", again)
    from openpyxl import load_workbook

    changed = source / "changed.xlsx"
    workbook = load_workbook(book)
    for n, row in enumerate(workbook["客户资料"].iter_rows(min_row=4)):
        if n % 10 == 0:
            row[6].value = (row[6].value or 0) + 1000
    workbook.save(changed)
    patched = []
    for _ in range(repeat):
        folder = fresh_folder(base, f"cards-{size}")
        run_import(folder, book, visits, env)
        patched.append(run_import(folder, changed, visits, env))
    timed(f"{size // 10:,} credit limits changed (those patched)", patched)
    print(f"  per row, into an empty folder: {statistics.median(empty) / rows * 1000:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"calibration loop: {calibrate():.3f} s; Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.rows:
            bench(rows, args.repeat, Path(tmp))


if __name__ == "__main__":
    main()
