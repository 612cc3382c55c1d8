"""Every command's help example runs as written on a copy of the sample folder (issue 21 #10).

The example is taken from the command's own help text ("Example: kacard ..."), so help and
behaviour cannot drift. Each runs as the console script would, in a git clone of the sample
folder (git-setup and changes need one), with the folder found from the working directory.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from kacard.cli.app import app

SAMPLE = Path(__file__).resolve().parent.parent / "cards"
GROUP = typer.main.get_command(app)


def examples() -> list[tuple[str, list[str]]]:
    """(command, its example's command lines run in order: "a ; b" is two lines)."""
    found = []
    for name, command in GROUP.commands.items():  # type: ignore[attr-defined]
        if command.hidden:
            continue  # git runs the merge driver, people do not
        help_text = " ".join((command.help or "").split())
        match = re.search(r"Example: (kacard .+?)(?:$|(?<=\S)\s+\()", help_text)
        assert match, f"`kacard {name} --help` has no example"
        found.append((name, [line.split(" > ")[0].strip() for line in match.group(1).split(" ; ")]))
    return found


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    folder = tmp_path / "卡片 folder" / "cards"  # a path with a space and Chinese characters
    shutil.copytree(SAMPLE, folder)
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=张伟", "-c", "user.email=zw@example.com",
                                                  "commit", "-q", "-m", "cards"]):
        subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)
    return folder


@pytest.mark.parametrize("example", examples(), ids=lambda e: " ; ".join(e[1])[:60])
def test_help_example_runs_as_written(example: tuple[str, list[str]], clone: Path, tmp_path: Path) -> None:
    _name, lines = example
    env = {**os.environ, "KACARD_TODAY": "2026-11-23", "EDITOR": "true", "KACARD_CACHE_DIR": str(tmp_path / "c")}
    env.pop("KACARD_DIR", None)
    for line in lines:
        args = shlex.split(line)[1:]
        cwd = clone.parent if args[0] == "init" else clone  # `init cards` makes a new folder beside
        if args[0] == "init":
            shutil.rmtree(clone)
        done = subprocess.run([sys.executable, "-m", "kacard", *args], cwd=cwd, env=env, capture_output=True,
                              text=True, stdin=subprocess.DEVNULL, timeout=120)
        assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stderr
