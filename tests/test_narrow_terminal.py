"""kacard on an 80-column terminal (a rep's Windows laptop, a phone's SSH app), in Chinese
and English: tables give the name its share and keep ids unique and copyable; prose is
wrapped by kacard between Chinese characters or at spaces, never inside a word, number,
date, id or URL; a pipe gets every line as before."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kacard.render.output import Column, _fit, name_share, unique_cut
from kacard.render.safe import SafeStream
from kacard.text import width, wrap, wrap_line

pytest.importorskip("fcntl", reason="pseudo-terminals are POSIX only")

from test_terminal import SAMPLE, SGR, on_terminal, sample_env  # noqa: E402

IDS = sorted(p.stem for p in SAMPLE.glob("*.yaml") if p.name != "kacard.yaml")
BROKEN = """id: hz-broken-card
name: 杭州坏卡片有限公司
owner: nobody
status: weird
visits:
  - {date: 2026-13-45, kind: visit, note: "没有日期的一条很长很长的拜访记录，用来看看错误信息在窄终端上怎么换行"}
"""


def _run(args: list[str], language: str, tmp_path: Path, code: int = 0, both: bool = True) -> list[str]:
    """The lines `kacard ARGS` shows on an 80-column terminal (stderr's too, unless not `both`)."""
    out, _ = on_terminal([*args, "--today", "2026-11-23"], 80, sample_env(tmp_path, KACARD_LANG=language, NO_COLOR="1"),
                         code=code, both=both)
    return [SGR.sub("", line) for line in out.splitlines()]


def _fits(lines: list[str]) -> None:
    """No line wider than 80 cells, but a single word too long for any line (a map URL)."""
    wide = [line for line in lines if width(line) > 80 and " " in line.strip()]
    assert not wide, wide


def _table(lines: list[str]) -> tuple[list[str], list[int], list[list[str]]]:
    """The first table in `lines`: its header words, column widths (from the rule) and rows
    (lines that start a row: not indented continuation lines)."""
    at = next(i for i, line in enumerate(lines) if line and set(line.replace(" ", "")) == {"─"})
    rule = lines[at]
    spans = [(m.start(), m.end()) for m in re.finditer("─+", rule)]
    rows = []
    for line in lines[at + 1:]:
        gaps = [_cell(line, end, start) for (_s, end), (start, _e) in zip(spans, spans[1:])]
        if not line.strip() or any(gaps):  # a blank line, or prose: the table has ended
            break
        if not line.startswith(" ") or line[:spans[0][1]].strip():
            rows.append([_cell(line, start, end) for start, end in spans])
    return lines[at - 1].split(), [end - start for start, end in spans], rows


def _cell(line: str, start: int, end: int) -> str:
    """The text of `line` under the rule's cells start..end (Chinese characters take two)."""
    out, used = [], 0
    for ch in line:
        if start <= used < end:
            out.append(ch)
        used += width(ch)
    return "".join(out).strip()


def _names_one_card(shown: list[str], ids: list[str]) -> None:
    assert len(set(shown)) == len(shown), shown  # no two rows alike
    for text in shown:
        named = [i for i in ids if i == text or (text.endswith("…") and i.startswith(text[:-1]))]
        assert len(named) == 1, (text, named)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_sample_folder_at_80_columns(tmp_path, language):
    for args in (["due"], ["list"], ["score"], ["review"], ["show", "hz-beichen-foods"], ["validate"],
                 ["route", "--owner", "lina", "--explain", "hz-xilan-coldchain"]):
        _fits(_run([*args, "--dir", str(SAMPLE)], language, tmp_path))
    for args, id_at, name_at in ((["due"], 1, 2), (["score"], 1, 2), (["list"], 0, 1)):
        header, widths, rows = _table(_run([*args, "--dir", str(SAMPLE)], language, tmp_path, both=False))
        assert widths[name_at] >= name_share(80) == 20, (args, header, widths)  # the name's share
        _names_one_card([row[id_at] for row in rows], IDS)
    # a card's list items and notes wrap under their text, not under the marker
    shown = _run(["show", "hz-beichen-foods", "--dir", str(SAMPLE)], language, tmp_path)
    at = next(i for i, line in enumerate(shown) if "+86 138 0000 5604" in line)
    assert shown[at].startswith("- ") and shown[at + 1].startswith("  ") and "jiang@example.com" in shown[at + 1]
    # a Chinese date or an amount is never split over two lines
    explained = "\n".join(_run(["route", "--owner", "lina", "--explain", "hz-xilan-coldchain", "--dir", str(SAMPLE)],
                               language, tmp_path))
    assert "7月27日" in explained if language == "zh" else "2026-07-27" in explained


@pytest.mark.parametrize("language", ["zh", "en"])
def test_folder_with_a_broken_card_at_80_columns(tmp_path, language):
    folder = tmp_path / "cards"
    shutil.copytree(SAMPLE, folder)
    (folder / "hz-broken-card.yaml").write_text(BROKEN, encoding="utf-8")
    checked = _run(["validate", "--dir", str(folder)], language, tmp_path, code=1)
    _fits(checked)
    assert sum("hz-broken-card.yaml:" in line for line in checked) >= 3
    for args in (["due"], ["list"]):
        _fits(_run([*args, "--dir", str(folder)], language, tmp_path))
        _header, _widths, rows = _table(_run([*args, "--dir", str(folder)], language, tmp_path, both=False))
        _names_one_card([row[1 if args == ["due"] else 0] for row in rows], [*IDS, "hz-broken-card"])


def test_a_cut_id_is_copied_into_show(tmp_path):
    _header, _widths, rows = _table(_run(["due", "--dir", str(SAMPLE)], "en", tmp_path, both=False))
    cut = [row for row in rows if row[1].endswith("…")]
    assert cut, rows  # at 80 columns the reasons need the room
    env = {**sample_env(tmp_path), "KACARD_LANG": "en"}
    for row in cut[:2]:
        done = subprocess.run([sys.executable, "-m", "kacard", "show", row[1], "--dir", str(SAMPLE)],
                              capture_output=True, text=True, env=env, check=True)
        first = done.stdout.splitlines()[0]
        full = first[first.rindex("(") + 1:-1]
        assert full.startswith(row[1][:-1]) and full in IDS and row[2].split()[0] in first


def test_piped_output_keeps_one_line_an_item(tmp_path):
    env = {**sample_env(tmp_path), "KACARD_LANG": "zh", "COLUMNS": "40"}
    out = subprocess.run([sys.executable, "-m", "kacard", "show", "hz-beichen-foods", "--dir", str(SAMPLE)],
                         capture_output=True, text=True, env=env, check=True).stdout
    line = next(line for line in out.splitlines() if "+86 138 0000 5604" in line)
    assert line.endswith("junjie.jiang@example.com") and width(line) > 80
    due = subprocess.run([sys.executable, "-m", "kacard", "due", "--dir", str(SAMPLE)],
                         capture_output=True, text=True, env=env, check=True).stdout
    shown = re.findall(r"^ +[\d.]+  (\S+) ", due, re.MULTILINE)  # urgency, then the id: whole
    assert len(shown) > 20 and set(shown) <= set(IDS)


def test_wrap_breaks_between_chinese_characters_and_at_spaces_only():
    url = "https://uri.amap.com/marker?markers=120.1,30.2"
    text = f"下一步 7月27日 周一 对账并催收货款，金额 6.51万元（2026-07-27 之前）；地图 {url} 见 hz-hengchuan-dailychem。"
    for cells in range(12, 60):
        lines = wrap(text, cells, None, break_words=False)
        joined = "".join(lines)
        for word in ("7月27日", "6.51万元", "2026-07-27", url, "hz-hengchuan-dailychem"):
            assert word in joined, (cells, lines)  # never broken inside
        assert all(width(line) <= cells or " " not in line for line in lines), lines
        assert not any(line[:1] in "，。；）" for line in lines), lines  # closing punctuation stays behind
        assert not any(line.endswith("（") for line in lines), lines
        assert joined.replace(" ", "") == text.replace(" ", "")  # nothing lost or added


def test_wrap_line_hangs_list_items_and_indented_lines():
    item = "- 蒋俊杰 · 运营总监 · 决策人 · 影响力 4 · 支持 · ☎ +86 138 0000 5604 · junjie.jiang@example.com"
    lines = wrap_line(item, 40)
    assert lines[0].startswith("- ") and all(line.startswith("  ") and line[2] != " " for line in lines[1:])
    note = "  下一步：12月8日 周二 对账并催收货款，并确认明年的框架协议续签时间与付款条件"
    assert all(line.startswith("  ") for line in wrap_line(note, 30))
    assert wrap_line("short", 10) == ["short"]


def test_safe_stream_wraps_whole_lines_for_a_terminal_only():
    long = "业务员 zhangwei：" + "1 个客户拜访逾期；" * 8
    for columns, count in ((None, 1), (40, 5)):
        target = io.StringIO()
        stream = SafeStream(target, columns)
        stream.write(long[:10])  # a line written in pieces is wrapped as one
        stream.write(long[10:] + "\n")
        stream.write("ok\n")
        lines = target.getvalue().splitlines()
        assert len(lines) == count + 1 and lines[-1] == "ok" and all(width(line) <= (columns or 200) for line in lines)
        assert "".join(lines[:-1]).replace(" ", "") == long.replace(" ", "")


def test_unique_cut_keeps_ids_apart():
    ids = ["hz-hengchuan-dailychem", "hz-hengchuan-daily-food", "hz-hegu-admin", "hz-a", "hz-ab"]
    cells = unique_cut(ids)
    cut = {i: i if width(i) <= cells else i[:cells - 1] + "…" for i in ids}
    assert cells == len("hz-hengchuan-daily-") + 1
    _names_one_card(list(cut.values()), ids)
    assert unique_cut(["hz-a", "hz-b"]) == 4 and unique_cut(["hz-aaaaaaaaaaaaaa", "hz-bbbbbbbbbbbbbb"]) == 12


def test_fit_gives_the_name_its_share_and_cuts_ids_only_for_an_essential_column():
    columns = [Column("urgency", "urgency", right=True), Column("id", "id", role="id"),
               Column("name", "name", max_width=24, role="name", drop=4),
               Column("why", "why", max_width=60, least=30), Column("owner", "owner", drop=1)]
    body = [6, 26, 26, 60, 8]
    assert _fit(body, columns, 200, [None, 14, None, None, None]) == [7, *body[1:]]  # "urgency" is 7
    # owner goes first; then the id gives room for the reasons, the name keeps 20
    assert _fit(body, columns, 80, [None, 14, None, None, None]) == [7, 17, 20, 30, None]
    # without a cut the reasons would go: the name is never left off
    assert _fit(body, columns, 80) == [7, 26, 26, None, None]
