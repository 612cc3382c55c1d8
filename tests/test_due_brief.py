"""`kacard brief`: the week's cards as one printable Markdown / HTML document."""

from __future__ import annotations

from tests.conftest import NASTY_CARD as NASTY, SAMPLE_CARD


OTHER = """\
id: hz-other
name: 杭州他人公司
owner: lina
tier: S
visits:
  - {date: 2026-11-01, summary: 初访, next: {date: 2026-11-13, action: 报价}}
"""


def test_markdown_briefs_of_the_week(kacard, write_card):
    write_card("hz-xinghe", SAMPLE_CARD)
    write_card("hz-other", OTHER)
    result = kacard("brief", "--owner", "zhangwei")
    assert result.exit_code == 0, result.output
    md = result.stdout
    assert md.startswith("# Visit briefs 2026-W48 (2026-11-23 – 2026-11-29) · 张伟")
    assert "## 杭州星河纺织有限公司 (hz-xinghe)" in md and "### Key people" in md and "### Why this week" in md
    assert "hz-other" not in md


def test_html_escapes_card_text(kacard, write_card):
    write_card("hz-nasty", NASTY)
    result = kacard("brief", "--format", "html")
    assert result.exit_code == 0, result.output
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>")
    assert "<script>" not in page and "<img" not in page and "<i>" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page
    assert page.count("<section") == page.count("</section>") == 1


def test_ids_and_output_file(kacard, write_card, folder, tmp_path):
    write_card("hz-xinghe", SAMPLE_CARD)
    write_card("hz-other", OTHER)
    target = tmp_path / "briefs.md"
    result = kacard("brief", "--ids", "hz-other,hz-xinghe", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and "wrote" in result.stderr
    text = target.read_text("utf-8")
    assert text.index("(hz-other)") < text.index("(hz-xinghe)")
    assert kacard("brief", "--ids", "hz-missing").exit_code == 2


def test_nothing_due_is_still_a_document(kacard):
    result = kacard("brief", "--format", "html")
    assert result.exit_code == 0, result.output
    assert "Nothing due" in result.stdout


def test_ids_of_a_broken_card_name_its_problems(kacard, write_card):
    write_card("hz-xinghe", SAMPLE_CARD)
    write_card("hz-bad", "id: hz-bad\nname: [unclosed\n")
    for command in ("brief", "route"):
        result = kacard(command, "--ids", "hz-xinghe,hz-bad")
        assert result.exit_code != 0 and "hz-bad" in result.stderr and "problems" in result.stderr, result.output
        assert "Traceback" not in result.output
