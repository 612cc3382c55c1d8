#!/usr/bin/env python3
"""Are the console script's process tricks worth keeping? (issue 12, point 3)

kacard.cli.app.main may (a) switch the cyclic garbage collector off for the whole run,
(b) keep the folder's objects alive and leave with os._exit instead of freeing them, and
(c) switch pydantic's plugin search off. Each makes the program behave differently from a
library call or a test, so each stays only if it is worth more than 5 % of a user-facing
figure on 1,000 cards. This runs `list`, `due` and `score` warm on a generated 1,000-card
folder in five variants, interleaved, and prints the median and fastest CPU seconds
(user + sys of the child) per variant:

    python benchmarks/bench_tricks.py [--cards 1000] [--repeat 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_cards import write_folder  # noqa: E402
from timing import child_cpu  # noqa: E402

RUN_APP = "from kacard.cli.app import app\ntry:\n    app()\nexcept SystemExit as e:\n    raise\n"
VARIANTS = {
    "none": RUN_APP,
    "gc off": "import gc; gc.disable()\n" + RUN_APP,
    "plugins off": "import os; os.environ['PYDANTIC_DISABLE_PLUGINS'] = '__all__'\n" + RUN_APP,
    "keep + os._exit": (
        "import os, sys\nfrom kacard.cli import lifetime\nlifetime.keep_until_exit()\n"
        "from kacard.cli.app import app\ntry:\n    app()\nexcept SystemExit as e:\n    code = e.code or 0\n"
        "sys.stdout.flush()\nos._exit(code if isinstance(code, int) else 1)\n"
    ),
    "main (as shipped)": "from kacard.cli.app import main\nmain()\n",
}
COMMANDS = (["list"], ["due"], ["score"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "cards"
        write_folder(folder, args.cards)
        env = {**os.environ, "KACARD_DIR": str(folder), "KACARD_TODAY": "2026-11-23",
               "XDG_CACHE_HOME": str(Path(tmp) / "cache")}
        env.pop("PYDANTIC_DISABLE_PLUGINS", None)
        for command in COMMANDS:  # warm the cache
            child_cpu([sys.executable, "-c", VARIANTS["none"], *command], env)[0]
        times: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.repeat):
            for command in COMMANDS:
                for name, code in VARIANTS.items():
                    times.setdefault((command[0], name), []).append(
                        child_cpu([sys.executable, "-c", code, *command], env)[0])
        print(f"{args.cards} cards, warm, CPU seconds: median [fastest] of {args.repeat}, interleaved")
        for command in COMMANDS:
            base = statistics.median(times[(command[0], "none")])
            for name in VARIANTS:
                runs = times[(command[0], name)]
                med = statistics.median(runs)
                print(f"  {command[0]:6} {name:18} {med:6.3f} [{min(runs):.3f}]  {100 * (med - base) / base:+6.1f} %")


if __name__ == "__main__":
    main()
