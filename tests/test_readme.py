"""The README cannot drift: its quick start is what CI runs, every `kacard X` it
mentions is a real command, and the tour's outputs are what kacard prints today."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from kacard.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SAMPLE = ROOT / "cards"
TRIM = "…"  # a line holding only this marks output left out of the README


def code_blocks(text: str) -> list[tuple[str, list[str]]]:
    """(info string, lines) of every fenced code block."""
    blocks: list[tuple[str, list[str]]] = []
    for match in re.finditer(r"^```([^\n]*)\n(.*?)^```\s*$", text, re.S | re.M):
        blocks.append((match.group(1).strip(), match.group(2).rstrip("\n").split("\n")))
    return blocks


def section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else len(README)]


def test_quick_start_has_two_setup_commands_and_the_second_is_what_ci_runs() -> None:
    blocks = code_blocks(section("Quick start"))
    assert len(blocks) == 1, "the quick start has one code block"
    commands = [line for line in blocks[0][1] if line.strip()]
    assert len(commands) == 2, commands
    run, test = commands
    assert run == "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/kacard due --dir cards"
    assert test == "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"

    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 -m venv .venv" in ci
    assert "pip install --quiet -e '.[test]'" in ci or "pip install -e '.[test]'" in ci
    assert re.search(r"^\.venv/bin/python -m pytest\s*$", ci, re.M), "CI runs pytest like the README"


def test_every_kacard_command_in_the_readme_exists() -> None:
    commands = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    mentioned: set[str] = set()
    for _info, lines in code_blocks(README):
        for line in lines:
            mentioned.update(re.findall(r"\bkacard[ \t]+([a-z][a-z-]*)", line))
    assert {"due", "show", "list", "filter", "score", "log", "validate", "review", "new", "edit", "init"} <= mentioned
    unknown = sorted(mentioned - commands)
    assert not unknown, f"README mentions commands kacard does not have: {unknown}"


def tour_examples() -> list[tuple[str, list[str], list[str]]]:
    """(command line, lines shown before a trim, lines shown after it) of `$ kacard` blocks."""
    examples = []
    for info, lines in code_blocks(README):
        if info != "console" or not lines[0].startswith("$ kacard ") or lines[0].endswith("\\"):
            continue
        body = lines[1:]
        if any(line.startswith("$ ") for line in body):
            continue  # a session of several commands
        if TRIM in body:
            cut = body.index(TRIM)
            examples.append((lines[0][2:], body[:cut], body[cut + 1 :]))
        else:
            examples.append((lines[0][2:], body, []))
    return examples


CHECKED = ("due", "list", "filter", "score", "collect", "plan")


def checked_examples() -> list[tuple[str, list[str], list[str]]]:
    found = [e for e in tour_examples() if shlex.split(e[0])[1] in CHECKED]
    names = {shlex.split(e[0])[1] for e in found}
    assert names == set(CHECKED), f"tour examples found: {sorted(names)}"
    return found


@pytest.mark.parametrize("example", checked_examples(), ids=lambda e: e[0])
def test_tour_output_is_what_kacard_prints(example: tuple[str, list[str], list[str]]) -> None:
    command, head, tail = example
    args = shlex.split(command)[1:]
    assert "--today" in args and "2026-11-23" in args, "tour examples pin today"
    args = [str(SAMPLE) if a == "cards" else a for a in args]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    printed = [line.strip() for line in result.stdout.rstrip("\n").split("\n")]
    shown_head = [line.strip() for line in head]
    shown_tail = [line.strip() for line in tail]
    assert len(shown_head) >= 3 or not tail, "show at least a few lines"
    assert printed[: len(shown_head)] == shown_head, "\n".join(result.stdout.split("\n")[: len(head)])
    if shown_tail:
        assert printed[-len(shown_tail) :] == shown_tail, "\n".join(printed[-len(shown_tail) :])
