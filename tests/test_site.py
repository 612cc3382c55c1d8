"""`kacard site` without a browser (issue 20): what the pages hold, escaping, --owner,
--redact, the site folder (manifest, clean-up, refusals) and the Chinese pages.
The browser tests are in test_site_browser.py."""

from __future__ import annotations

from pathlib import Path

from kacard import i18n
from kacard.render.brief import tel_uri as tel_href
from kacard.render.site_files import MANIFEST
from tests.conftest import NASTY_CARD, SAMPLE_CARD

PERSONAL = """\
id: hz-personal
name: 杭州私人科技
owner: lina
tier: S
contacts:
  - {name: 王建国, role: decision_maker, phone: "+86 139 1234 5678", email: wangjg@example.com}
visits:
  - {date: 2026-11-01, summary: "王总手机 13912345678，微信 wxid_abc12345，邮箱 wjg@example.com",
     next: {date: 2026-11-13, action: 打 0571-88886666 确认}}
"""


def pages(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text("utf-8") for p in out.rglob("*.html")}


def test_every_card_text_is_escaped(kacard, write_card, tmp_path):
    write_card("hz-nasty", NASTY_CARD)
    out = tmp_path / "site"
    result = kacard("site", "-o", str(out))
    assert result.exit_code == 0, result.output
    site = pages(out)
    assert set(site) == {"index.html", "rep-zhangwei.html", "cards/hz-nasty.html"}
    for text in site.values():
        assert "<script>alert" not in text and "<img" not in text and "<i>" not in text and "<b>" not in text
        assert "</section><h1>" not in text and 'onclick="x' not in text
        assert text.count("<script") == text.count("</script>")  # the inline index cannot close its element
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in site["cards/hz-nasty.html"]
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in site["index.html"]  # in the JSON index
    assert 'href="tel:13800000001"' in site["cards/hz-nasty.html"]


def test_owner_writes_only_that_reps_cards_and_one_start_page(kacard, write_card, tmp_path):
    write_card("hz-xinghe", SAMPLE_CARD)
    write_card("hz-personal", PERSONAL)
    out = tmp_path / "site"
    assert kacard("site", "-o", str(out), "--owner", "李娜").exit_code == 0
    site = pages(out)
    assert set(site) == {"index.html", "cards/hz-personal.html"}
    assert "杭州私人科技" in site["index.html"] and "hz-xinghe" not in site["index.html"]
    assert 'id="due"' in site["index.html"] and 'href="cards/hz-personal.html"' in site["index.html"]


def test_redact_leaves_out_personal_data(kacard, write_card, tmp_path):
    write_card("hz-personal", PERSONAL)
    plain, shared = tmp_path / "plain", tmp_path / "shared"
    assert kacard("site", "-o", str(plain)).exit_code == 0
    assert kacard("site", "-o", str(shared), "--redact").exit_code == 0
    card = pages(plain)["cards/hz-personal.html"]
    assert 'href="tel:+8613912345678"' in card and "13912345678" in card  # the check below can fail
    for text in pages(shared).values():
        for secret in ("139 1234 5678", "13912345678", "wxid_abc12345", "wangjg@", "wjg@", "88886666", "tel:"):
            assert secret not in text, secret
    assert "王建国" in pages(shared)["cards/hz-personal.html"]  # who to ask for stays


def test_rerun_removes_pages_of_gone_cards_and_nothing_else(kacard, write_card, folder, tmp_path):
    write_card("hz-xinghe", SAMPLE_CARD)
    gone = write_card("hz-personal", PERSONAL)
    out = tmp_path / "site"
    assert kacard("site", "-o", str(out)).exit_code == 0
    assert (out / "cards/hz-personal.html").exists() and (out / MANIFEST).exists()
    (out / "README.txt").write_text("mine", encoding="utf-8")
    (out / "cards/notes.html").write_text("mine too", encoding="utf-8")
    gone.unlink()
    result = kacard("site", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "2 old page(s) removed" in result.stderr  # the card's page and its rep's start page
    assert not (out / "cards/hz-personal.html").exists() and not (out / "rep-lina.html").exists()
    assert (out / "cards/hz-xinghe.html").exists() and (out / "rep-zhangwei.html").exists()
    assert (out / "README.txt").read_text("utf-8") == "mine" and (out / "cards/notes.html").exists()


def test_refuses_the_card_folder_and_its_busy_subfolders(kacard, write_card, folder, tmp_path):
    card = write_card("hz-xinghe", SAMPLE_CARD)
    before = card.read_bytes()
    for target in (folder, folder.parent):
        result = kacard("site", "-o", str(target))
        assert result.exit_code == 2 and "holds the card folder" in result.stderr, result.output
    busy = folder / "notes"
    busy.mkdir()
    (busy / "x.txt").write_text("x", encoding="utf-8")
    result = kacard("site", "-o", str(busy))
    assert result.exit_code == 2 and "inside the card folder" in result.stderr and "Traceback" not in result.output
    assert not list(folder.glob("*.html")) and card.read_bytes() == before
    # a dedicated subfolder is fine, then and on later runs
    for _run in range(2):
        assert kacard("site", "-o", str(folder / "site")).exit_code == 0
    assert (folder / "site" / "cards" / "hz-xinghe.html").exists()
    assert kacard("validate").exit_code == 0


def test_chinese_pages(write_card, folder, tmp_path):
    from typer.testing import CliRunner

    from kacard.cli.app import app

    write_card("hz-xinghe", SAMPLE_CARD)
    i18n.set_language("zh")
    try:
        result = CliRunner().invoke(app, ["site", "--dir", str(folder), "-o", str(tmp_path / "s"),
                                          "--owner", "zhangwei", "--lang", "zh"])  # each run chooses its language
    finally:
        i18n.set_language("en")
    assert result.exit_code == 0, result.output
    start = (tmp_path / "s" / "index.html").read_text("utf-8")
    assert '<html lang="zh-CN">' in start and "本周待拜访（1 家）" in start and "查找：客户名称、拼音或首字母" in start
    assert "关键人物" in (tmp_path / "s" / "cards" / "hz-xinghe.html").read_text("utf-8")


def test_tel_links_keep_digits_and_a_leading_plus():
    assert tel_href("+86 (139) 1234-5678") == "tel:+8613912345678"
    assert tel_href("0571-8888 6666 转 12") == "tel:057188886666;ext=12"  # RFC 3966 extension
    assert tel_href("n/a") is None


def test_the_next_step_block_is_one_function_for_the_site_and_the_brief():
    """site.card_page and the brief's HTML write the next step with render.site_page.next_step_html:
    card text escaped (a script in the action is text), the time, the overdue badge, or the
    none-recorded line."""
    import datetime as dt

    from kacard.render.site_page import next_step_html

    step = {"date": dt.date(2026, 11, 23), "time": dt.time(10, 0), "overdue": True, "action": "<script>x</script> & 报价"}
    lines = next_step_html(step, heading="h2", late=("late", "overdue"), empty="<p>")
    assert lines == ["<h2>Next step</h2>",
                     '<p>2026-11-23 10:00 <span class="late">overdue</span>: &lt;script&gt;x&lt;/script&gt; &amp; 报价</p>']
    assert next_step_html({**step, "time": None, "overdue": False}, heading="h3", late=("x", "y"), empty="<p>")[1] \
        == "<p>2026-11-23: &lt;script&gt;x&lt;/script&gt; &amp; 报价</p>"
    assert next_step_html(None, heading="h3", late=("x", "y"), empty='<p class="muted">') == [
        "<h3>Next step</h3>", '<p class="muted">none recorded: agree one at the next contact</p>']
