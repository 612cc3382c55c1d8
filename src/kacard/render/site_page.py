"""The shell of every page `kacard site` writes: one escaping function for card text
(`esc`), the inline style and search script, and a Content-Security-Policy that lets the
page fetch nothing at all (no external or even local scripts, styles, fonts or images:
`default-src 'none'`, the one inline script allowed by its SHA-256 hash).

The search script reads a JSON index inlined in the page (`<script type="application/
json">`, never executed) and matches a query against each card's id, name, pinyin and
initials the way `kacard find` does (kacard.cards.lookup.matches_pinyin, ported: whole
syllables, initials, zh/ch/sh, the last syllable cut short; heteronyms read every way).
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from kacard.i18n import _, language
from kacard.render.output import fmt_cell
from kacard.render.safe import html_text
from kacard.text import clean


def esc(value: Any) -> str:
    """Card text (or any value) as HTML text or a quoted attribute value: one line, every
    `& < > " '` escaped (render.safe.html_text: the brief's HTML escapes the same way).
    Every value from a card reaches a page through here."""
    return html_text(clean(fmt_cell(value)))


def next_step_html(step: dict[str, Any] | None, *, heading: str, late: tuple[str, str],
                   empty: str) -> list[str]:
    """A card's next step as HTML lines, for the site's card page and the brief's HTML:
    `<heading>` (an element name such as "h2"), then `date [HH:MM] [late badge]: action`,
    or the none-recorded line. `step` is the brief's `next_step` (date, time, overdue,
    action); `late` is the badge's (class, word) and `empty` the none-recorded line's
    opening tag. Card text goes through `esc`; nothing else of the card is shown, so the
    page keeps the privacy of the brief it comes from (a redacted brief stays redacted)."""
    lines = [f"<{heading}>{esc(_('Next step'))}</{heading}>"]
    if not step:
        lines.append(f"{empty}{esc(_('none recorded: agree one at the next contact'))}</p>")
        return lines
    when = esc(step["date"]) + (f" {esc(step['time'].strftime('%H:%M'))}" if step["time"] else "")
    badge = f' <span class="{late[0]}">{esc(late[1])}</span>' if step["overdue"] else ""
    lines.append(f"<p>{when}{badge}: {esc(step['action'])}</p>")
    return lines


def json_block(data: Any) -> str:
    """`data` as JSON safe inside a `<script type="application/json">` element: `<`, `>`,
    `&` and the JavaScript line separators are written as \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


CSS = """
*{box-sizing:border-box}
body{font-family:-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
margin:0 auto;padding:.6em .8em 2em;max-width:40em;line-height:1.45;color:#222;background:#fff;
overflow-wrap:anywhere;-webkit-text-size-adjust:100%}
h1{font-size:1.25em;margin:.3em 0}h2{font-size:1.1em;margin:1.1em 0 .4em;border-bottom:1px solid #ccc}
h3{font-size:1em;margin:.8em 0 .3em}
a{color:#0b57a4}ul{padding-left:1.2em;margin:.3em 0}li{margin:.25em 0}
.meta,.muted{color:#555;font-size:.92em}.late{color:#b00;font-weight:bold}
.due li{list-style:none;margin:0 0 .7em -1.2em;padding:.4em .5em;border-left:4px solid #d55e00;background:#faf6f2}
.urg{float:right;font-weight:bold;color:#d55e00}
.today{border:2px solid #0072b2;border-radius:6px;padding:0 .5em .3em}
.nav{font-size:.9em;white-space:nowrap}
.map{display:inline-block;margin:.2em .4em .2em 0;padding:.3em .6em;border:1px solid #0b57a4;border-radius:4px}
.tel{display:inline-block;padding:.15em .5em;border:1px solid #009e73;border-radius:4px;color:#00704f}
input[type=search]{width:100%;font-size:1em;padding:.5em;border:1px solid #888;border-radius:4px}
#results li{list-style:none;margin-left:-1.2em}
nav a{margin-right:.8em}
"""

# The search: a port of kacard.cards.lookup.rank (id, name, pinyin) for the browser.
SCRIPT = """
(function(){
var idx=JSON.parse(document.getElementById("kc-index").textContent);
var box=document.getElementById("kc-q"),out=document.getElementById("kc-results");
var none=box.getAttribute("data-none");
function fits(q,keys,i,j,seen){
 if(j===q.length)return true;if(i===keys.length)return false;
 var k=i+","+j;if(k in seen)return seen[k];var rest=q.slice(j),ok=false;
 for(var n=0;n<keys[i].length&&!ok;n++){var r=keys[i][n];
  ok=(rest.indexOf(r)===0&&fits(q,keys,i+1,j+r.length,seen))||
   (r.indexOf(rest)===0&&rest.length>=2)||
   (rest[0]===r[0]&&fits(q,keys,i+1,j+1,seen))||
   (r.length>2&&r[1]==="h"&&rest.indexOf(r.slice(0,2))===0&&fits(q,keys,i+1,j+2,seen));}
 seen[k]=ok;return ok;}
function pinyin(q,keys){if(q.length<2)return false;
 for(var s=0;s<keys.length;s++){if(fits(q,keys,s,0,{}))return true;}return false;}
function rank(q,c){var name=c.n.toLowerCase();
 if(q===c.i)return 0;if(c.i.indexOf(q)===0)return 1;if(q===name)return 2;
 if(q.length>=2&&c.i.indexOf(q)>=0)return 3;if(name.indexOf(q)>=0)return 4;
 var p=q.replace(/[\\s'\\u2019-]/g,"");
 if(/^[a-z]+$/.test(p)&&pinyin(p,c.r))return 5;return -1;}
function show(){var q=box.value.trim().toLowerCase();out.textContent="";if(!q)return;
 var hits=[];for(var n=0;n<idx.length;n++){var r=rank(q,idx[n]);if(r>=0)hits.push([r,idx[n]]);}
 hits.sort(function(a,b){return a[0]-b[0]||(a[1].i<b[1].i?-1:1);});
 if(!hits.length){var li=document.createElement("li");li.textContent=none;out.appendChild(li);return;}
 hits.slice(0,30).forEach(function(h){var li=document.createElement("li"),a=document.createElement("a");
  a.href=h[1].h;a.textContent=h[1].n;li.appendChild(a);
  var m=document.createElement("span");m.className="muted";m.textContent=" "+h[1].i+(h[1].o?" \\u00b7 "+h[1].o:"");
  li.appendChild(m);out.appendChild(li);});}
box.addEventListener("input",show);show();
})();
"""


def _script_hash(script: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
       f"script-src '{_script_hash(SCRIPT)}'; base-uri 'none'; form-action 'none'")


def search_block(index: list[dict[str, Any]]) -> str:
    """The search box, its results list, the inlined index and the script. `index` holds
    one entry per card: i (id), n (name), r (pinyin readings per character), o (owner's
    name), h (the page's link, relative to the page)."""
    return (f'<input type="search" id="kc-q" autocomplete="off" placeholder="{esc(_("Search: name, pinyin or initials"))}"'
            f' aria-label="{esc(_("Search the cards"))}" data-none="{esc(_("No card matches."))}">\n'
            '<ul id="kc-results"></ul>\n'
            f'<script type="application/json" id="kc-index">{json_block(index)}</script>\n'
            f"<script>{SCRIPT}</script>\n")


def page(title: str, body: str) -> str:
    """A whole page: `title` is plain text (escaped here), `body` is HTML already escaped."""
    lang = "zh-CN" if language() == "zh" else "en"
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            '<meta name="robots" content="noindex">\n'
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n")


__all__ = ["CSP", "esc", "json_block", "page", "search_block"]
