"""Issue 13, kind 1: one sanitiser per output format, at the boundary (render/safe.py).

Every example of the issue is a test here: escape sequences in keys, criteria names,
folder names, the owner, CSV cells on a terminal and a routing server's words never reach
the terminal; CSV list cells are guarded, a bare CR never splits a row, a CSV file opens in
Excel with Chinese text (BOM); Markdown passes no HTML or javascript: links; a control
character never makes the route picture invalid XML. A hypothesis fuzz checks the
sanitisers' invariants on arbitrary text.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from kacard.render.safe import (
    csv_cell, html_text, json_text, markdown_text, terminal_text, xml_attr, xml_text,
)
from tests.conftest import SAMPLE_CARD

OSC52 = "\x1b]52;c;ZXZpbCBjbGlwYm9hcmQ=\x07"  # writes the clipboard
TITLE = "\x1b]0;pwned\x07"  # sets the window title
CLEAR = "\x1b[2J\x1b[H"  # clears the screen
C1_CSI = "\x9b31m"  # the 8-bit form of CSI
ATTACKS = (OSC52, TITLE, CLEAR, C1_CSI, "\x1bP+q\x1b\\", "\x1bc", "\x07", "\x08\x08", "\r")

# What may never reach a terminal: ESC, other C0 controls but tab/newline, DEL, C1.
ACTIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def assert_inert(text: str) -> None:
    found = ACTIVE.findall(text.replace("\r\n", "\n"))
    assert not found, f"control characters reached the output: {found!r}"


# -- the sanitisers themselves ----------------------------------------------------------


def test_terminal_text_removes_whole_sequences_and_keeps_lines() -> None:
    assert terminal_text(f"a{OSC52}b{TITLE}c{CLEAR}d{C1_CSI}e") == "abcde"
    assert terminal_text("line 1\nline 2\tx\r\n") == "line 1\nline 2\tx\r\n"
    assert terminal_text("over\rwrite") == "overwrite"  # a bare CR would overwrite the line
    assert terminal_text("\u202eevil\u202c") == "evil"  # bidi overrides ("Trojan source")
    assert terminal_text("杭州 plain") == "杭州 plain"


def test_csv_cell_guards_formulas_controls_and_line_breaks() -> None:
    for formula in ("=HYPERLINK(\"http://x\",\"y\")", "@SUM(A1:A9)", "+cmd|' /C calc'!A0", "-2+3",
                    "\t=1+1", "\r=1+1"):
        assert csv_cell(formula).startswith("'"), formula
    assert csv_cell("-12.5") == "-12.5" and csv_cell("+86") == "+86"  # numbers stay numbers
    assert csv_cell("a\rb") == "a\nb"  # a bare CR becomes a line break the writer quotes
    assert csv_cell(f"x{OSC52}y") == "xy"


def test_markdown_text_is_inert() -> None:
    for attack in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                   "[click](javascript:alert(1))", "![x](javascript:alert(1))", "<javascript:alert(1)>"):
        out = markdown_text(attack)
        assert "<" not in out.replace("\\<", "") and "](" not in out.replace("\\](", ""), out
    assert markdown_text("杭州 R&D 2026-11-23 hz-xinghe a_b") == "杭州 R&D 2026-11-23 hz-xinghe a_b"
    assert markdown_text("line\nbreak") == "line break"


def test_xml_and_html_text() -> None:
    attr, text = xml_attr('q"' + chr(1)), xml_text("x" + chr(2) + "<&>" + chr(0x1b))
    assert ET.fromstring(f"<t a={attr}>{text}</t>").text == "x<&>"
    assert html_text('<b onclick="x">') == "&lt;b onclick=&quot;x&quot;&gt;"


TEXT = st.text(st.characters(codec="utf-8"), max_size=60) | st.lists(
    st.sampled_from([*ATTACKS, "=", "@", "+", "-", "<", ">", "[", "](", "javascript:", "杭州", "a", " ",
                     "\n", "\t", "&", "\\", "\u202e", "\x9d", "\x1b", "\x1b[", "\x1b]"]), max_size=20
).map("".join)

FUZZ_EXAMPLES = 600


@settings(max_examples=FUZZ_EXAMPLES)
@given(TEXT)
def test_fuzz_sanitisers(text: str) -> None:
    """For any text: terminal text has no active control; a CSV cell never starts a
    formula and survives a CSV round trip as one cell of one row; Markdown holds no
    unescaped `<` or `[`; XML text parses; JSON text decodes to the same data."""
    assert_inert(terminal_text(text))
    cell = csv_cell(text)
    assert not cell[:1] or cell[:1] not in "=+-@\t\r\n" or re.fullmatch(r"[+-]?[\d.eE+-]+", cell)
    assert_inert(cell.replace("\n", ""))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([cell, "next"])
    assert list(csv.reader(io.StringIO(buffer.getvalue()))) == [[cell, "next"]]
    md = markdown_text(text)
    assert_inert(md) and "\n" not in md
    assert not re.search(r"(?<!\\)(<|\]\()", md.replace("\\\\", "")), md
    ET.fromstring(f"<t a={xml_attr(text)}>{xml_text(text)}</t>")
    document = json.dumps({"v": text}, ensure_ascii=False)
    assert json.loads(json_text(document)) == {"v": text}
    assert not re.search("[\x7f-\x9f]", json_text(document))


# -- the examples of the issue, through the CLI -------------------------------------------


# The same attacks as YAML double-quoted escapes (a card file cannot hold raw controls).
OSC52_Y, TITLE_Y, CLEAR_Y = r"\e]52;c;ZXZpbCBjbGlwYm9hcmQ=\a", r"\e]0;pwned\a", r"\e[2J\e[H"


def _evil_card(*, bad_keys: bool = True, name: str = "Evil") -> str:
    return (
        "id: hz-evil\n"
        f'name: "{name}{OSC52_Y} Co{CLEAR_Y}"\n'
        "owner: lina\n"
        "status: active\n"
        'tags: ["=HYPERLINK(\\"http://x\\",\\"y\\")", "@SUM(A1)", "ok"]\n'
        + (f'"bad{OSC52_Y}key": 1\n' f'criteria: {{"crit{TITLE_Y}": 2}}\n' if bad_keys else "")
        + "visits:\n"
        f'  - {{date: 2026-11-10, with: ["=cmd|calc", "王\\r建国"], summary: "a\\rb{TITLE_Y}",'
        " next: {date: 2026-11-24, action: '<script>alert(1)</script> [x](javascript:alert(1))'}}\n"
    )


def test_keys_and_criteria_names_never_reach_the_terminal(kacard, write_card) -> None:
    write_card("hz-evil", _evil_card())
    for command in (("due",), ("list",), ("validate",), ("show", "hz-evil"), ("due", "--format", "csv"),
                    ("list", "--format", "json"), ("review",), ("score",)):
        result = kacard(*command)
        assert result.exit_code in (0, 1, 2), (command, result.output)
        assert_inert(result.stdout)
        assert_inert(result.stderr)
        assert "Traceback" not in result.output


def test_owner_and_folder_names_are_made_safe(tmp_path, write_card, kacard) -> None:
    from tests.conftest import SETTINGS, Kacard

    odd = tmp_path / f"cards{TITLE}x"
    odd.mkdir()
    (odd / "kacard.yaml").write_text(SETTINGS, encoding="utf-8")
    (odd / "hz-a.yaml").write_text(f'id: hz-a\nname: A\nowner: "li{TITLE_Y}na"\n', encoding="utf-8")
    for command in (("list",), ("due",), ("validate",), ("export", "--format", "csv")):
        result = Kacard(odd)(*command)
        assert_inert(result.stdout)
        assert_inert(result.stderr)
        assert "Traceback" not in result.output


def test_csv_list_cells_are_guarded_and_a_bare_cr_is_quoted(kacard, write_card) -> None:
    write_card("hz-evil", _evil_card(bad_keys=False))
    cards = kacard("export", "--format", "csv", "--table", "cards")
    assert cards.exit_code == 0, cards.output
    row = next(csv.DictReader(io.StringIO(cards.stdout)))
    assert row["tags"].startswith("'=HYPERLINK(") and "@SUM" in row["tags"]
    visits = kacard("export", "--format", "csv", "--table", "visits")
    rows = list(csv.DictReader(io.StringIO(visits.stdout)))
    assert len(rows) == 1, visits.stdout  # the CR in the summary did not split the row
    assert rows[0]["with"].startswith("'=cmd|calc")
    assert rows[0]["summary"] == "a\nb"
    assert_inert(visits.stdout.replace("\n", ""))


def test_csv_file_has_a_bom_and_stdout_csv_does_not(kacard, write_card, tmp_path) -> None:
    write_card("hz-xinghe", SAMPLE_CARD)
    out = tmp_path / "cards.csv"
    assert kacard("export", "--format", "csv", "-o", str(out)).exit_code == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "杭州星河纺织有限公司".encode() in data
    stdout = kacard("export", "--format", "csv")
    assert stdout.stdout.startswith("id,") and "\ufeff" not in stdout.stdout


def test_markdown_outputs_pass_no_html_or_javascript_links(kacard, write_card, folder) -> None:
    write_card("hz-evil", _evil_card(bad_keys=False, name="<img src=x onerror=alert(1)> Evil"))
    outputs = [kacard("show", "hz-evil").stdout,
               kacard("brief", "--ids", "hz-evil", "--format", "md").stdout,
               kacard("handover", "lina", "zhangwei", "--reason", "<script>x</script>").stdout]
    for text in outputs:
        assert text, outputs
        assert not re.search(r"(?<!\\)<(script|img)", text), text
        assert not re.search(r"(?<!\\)\]\(javascript:", text), text
        assert_inert(text)
    html = kacard("brief", "--ids", "hz-evil", "--format", "html").stdout
    assert "<script>alert" not in html and "<img src=x" not in html and 'href="javascript' not in html


def test_control_character_in_a_name_keeps_the_route_picture_valid_xml(kacard, write_card) -> None:
    write_card("hz-a", "id: hz-a\nname: \"A\\x01\\x1b[31m\\x0b公司\"\nowner: zhangwei\nstatus: active\n"
               "location: {lat: 30.25, lon: 120.17}\n")
    result = kacard("route", "--owner", "zhangwei", "--format", "svg")
    assert result.exit_code == 0, result.output
    root = ET.fromstring(result.stdout)
    assert root.tag.endswith("svg")


def test_routing_server_words_are_made_safe(kacard, write_card) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Hostile(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = json.dumps({"code": f"Bad{OSC52}", "message": f"no{CLEAR}table{TITLE}"}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Hostile)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        write_card("hz-a", "id: hz-a\nname: A\nowner: zhangwei\nstatus: active\n"
                   "location: {lat: 30.25, lon: 120.17}\n")
        result = kacard("route", "--owner", "zhangwei", "--osrm", f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 0, result.output
    assert "warning" in result.stderr and "hz-a" in result.stderr
    assert_inert(result.stderr)
    assert_inert(result.stdout)


def test_xlsx_export_takes_control_characters_and_formulas_as_text(kacard, write_card, tmp_path) -> None:
    from openpyxl import load_workbook

    write_card("hz-evil", _evil_card(bad_keys=False))
    out = tmp_path / "cards.xlsx"
    result = kacard("export", "--format", "xlsx", "-o", str(out))
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out)["cards"]
    values = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert any(v.startswith("Evil") for v in values)
    assert not any(ACTIVE.search(v) for v in values)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    (tmp_path / "link.xlsx").symlink_to(tmp_path / "elsewhere.xlsx")
    refused = kacard("export", "--format", "xlsx", "-o", str(tmp_path / "link.xlsx"))
    assert refused.exit_code == 2 and not (tmp_path / "elsewhere.xlsx").exists()
