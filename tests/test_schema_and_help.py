"""Generated artefacts cannot drift: committed schemas equal the models; every command has
help with an example; `kacard --help` does not import the heavy parts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kacard.cli.app import app
from kacard.cards.schemas import SCHEMA_FILES, schema_text

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_committed_schemas_equal_generated(name):
    committed = (ROOT / "schemas" / name).read_text(encoding="utf-8")
    assert committed == schema_text(SCHEMA_FILES[name]), f"run `kacard schema` to refresh schemas/{name}"


def test_sample_folder_editor_schema_is_current():
    path = ROOT / "cards" / ".schema" / "card.schema.json"
    if not (ROOT / "cards").exists():
        pytest.skip("no sample folder")
    assert path.read_text(encoding="utf-8") == schema_text(SCHEMA_FILES["card.schema.json"])


def test_schema_command_writes_files(kacard, tmp_path):
    result = kacard("schema", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(SCHEMA_FILES)


def _commands():
    import typer.main

    group = typer.main.get_command(app)
    return group, [name for name, cmd in group.commands.items() if not cmd.hidden]


def test_every_command_has_help_with_an_example():
    group, names = _commands()
    assert {"init", "new", "show", "list", "filter", "validate", "edit", "log", "schema"} <= set(names)
    for name in names:
        help_text = group.commands[name].help or ""
        assert "Example: kacard " + name in help_text, f"`kacard {name}` help lacks an example"


def test_every_command_accepts_dir_today_format_after_its_name():
    group, names = _commands()
    for name in names:
        options = {opt for param in group.commands[name].params for opt in getattr(param, "opts", [])}
        assert {"--dir", "--today", "--format"} <= options, name


def test_help_does_not_import_heavy_parts():
    code = (
        "import sys; from kacard.cli.app import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pydantic', 'ruamel.yaml', 'icalendar', 'kacard.cards.store') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "HEAVY []" in out, out
