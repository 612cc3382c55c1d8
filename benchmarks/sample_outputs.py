"""Record what every read-only command prints on the sample folder, to compare two versions.

    python benchmarks/sample_outputs.py OUT_DIR      # then: diff -r BEFORE_DIR AFTER_DIR

Each command runs as the installed console script with `--today 2026-11-30` on `cards/`,
once per format it has; stdout, stderr and the exit code go to one file per run. Used to
show that a refactor (issue 12, the layout by stage) changes no output byte.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = [
    ["list"], ["list", "--format", "json"], ["list", "--format", "csv"],
    ["filter", "tier=A"], ["filter", "region~杭州", "--format", "json"],
    ["show", "hz-xinghe-gas"], ["validate"], ["validate", "--format", "json"],
    ["score"], ["score", "--format", "json"], ["score", "--explain", "hz-xinghe-gas"],
    ["due"], ["due", "--format", "json"], ["due", "--format", "csv"], ["due", "--format", "ics"],
    ["due", "--explain", "hz-xinghe-gas"], ["review"], ["review", "--format", "json"],
    ["brief", "--owner", "zhangwei"], ["route", "--owner", "zhangwei"],
    ["route", "--owner", "zhangwei", "--format", "json"],
    ["route", "--owner", "zhangwei", "--format", "geojson"],
    ["route", "--owner", "zhangwei", "--day", "2026-12-01"],
    ["show", "no-such-card"], ["filter", "status=nonsense"], ["--help"], ["due", "--help"],
]


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    kacard = shutil.which("kacard", path=str(Path(sys.executable).parent)) or "kacard"
    env = {**os.environ, "COLUMNS": "100", "KACARD_TODAY": "2026-11-30"}
    env.pop("KACARD_DIR", None)
    for number, args in enumerate(RUNS):
        argv = [kacard, *args] if args[0] == "--help" else [kacard, args[0], "--dir", str(ROOT / "cards"),
                                                            "--today", "2026-11-30", *args[1:]]
        done = subprocess.run(argv, capture_output=True, env=env, stdin=subprocess.DEVNULL, cwd=ROOT)
        name = f"{number:02d}-" + "_".join(a.strip("-").replace("/", "") for a in args)[:60]
        (out / name).write_bytes(b"$ " + " ".join(args).encode() + b"\n" + done.stdout
                                 + b"\n--- stderr\n" + done.stderr + f"\n--- exit {done.returncode}\n".encode())


if __name__ == "__main__":
    main(Path(sys.argv[1]))
