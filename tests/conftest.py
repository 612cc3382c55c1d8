"""Shared fixtures: a CLI runner with KACARD_TODAY pinned and a temp folder factory."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from typer.testing import CliRunner

os.environ["KACARD_LANG"] = "en"  # tests read English unless they ask for another language

from kacard import i18n
from kacard.cli.app import app

TODAY = "2026-11-23"

# Tests never depend on machine speed: no per-example deadline, fixed example order.
hypothesis_settings.register_profile("kacard", deadline=None, derandomize=True)
hypothesis_settings.load_profile("kacard")

SETTINGS = """\
schema: 1
currency: CNY
team:
  - {id: zhangwei, name: 张伟, base: {lat: 30.2741, lon: 120.1551, label: 杭州办事处}}
  - {id: lina, name: 李娜, base: {lat: 30.2084, lon: 120.2119, label: 滨江办公室}}
"""


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("KACARD_TODAY", TODAY)
    monkeypatch.setenv("KACARD_LANG", "en")
    monkeypatch.setenv("KACARD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("KACARD_DIR", raising=False)
    monkeypatch.delenv("KACARD_USER", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    yield
    i18n.set_language("en")  # a test that chose Chinese leaves English behind


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty card folder with a two-rep team."""
    path = tmp_path / "cards"
    path.mkdir()
    (path / "kacard.yaml").write_text(SETTINGS, encoding="utf-8")
    return path


@pytest.fixture
def write_card(folder: Path) -> Callable[[str, str], Path]:
    """write_card(id, yaml_text) -> path; text is dedented."""

    def write(card_id: str, text: str) -> Path:
        path = folder / f"{card_id}.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


class Kacard:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        return self.runner.invoke(app, [*args[:1], "--dir", str(self.folder), *args[1:]], input=input)

    def raw(self, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        return self.runner.invoke(app, list(args), input=input)


@pytest.fixture
def kacard(folder: Path) -> Kacard:
    """kacard("due", "--format", "json") runs `kacard due --dir <folder> --format json`."""
    return Kacard(folder)


# An account whose next step is ten days overdue at 2026-11-23 (pinned S).
LATE_CARD = """\
id: hz-late
name: 杭州迟到科技
owner: lina
tier: S
visits:
  - {date: 2026-11-01, summary: 初访, next: {date: 2026-11-13, action: 报价}}
"""

# Card text that tries to break out of HTML (names, notes). A phone that closes its attribute
# (`138 0000 0001" onclick="x`) is not a phone: the model refuses it (tests/test_reach.py).
NASTY_CARD = """\
id: hz-nasty
name: "<script>alert(1)</script> & Co"
owner: zhangwei
tier: S
address: "a <b>bold</b> street"
contacts:
  - {name: "<img src=x onerror=alert(1)>", role: decision_maker, phone: "138 0000 0001"}
visits:
  - {date: 2026-11-01, summary: "</section><h1>x</h1>", next: {date: 2026-11-13, action: "<i>报价</i>"}}
"""


SAMPLE_CARD = """\
# the account's card
id: hz-xinghe
name: 杭州星河纺织有限公司   # 老客户
status: active
owner: zhangwei
region: 华东/杭州
location: {lat: 30.2489, lon: 120.1712}
credit: {rating: A, limit: 2000000, terms_days: 60}
contacts:
  - {name: 王建国, title: 采购总监, role: decision_maker, influence: 5, phone: "+86 138 0000 0001"}
trades:
  - {date: 2026-10-15, invoice: INV-0912, amount: 1200000, margin: 240000, paid: null}
visits:
  - date: 2026-11-10
    by: zhangwei
    kind: visit
    with: [王建国]
    summary: 讨论三号线方案
    next: {date: 2026-11-24, action: 带工程师现场讲解}
"""
