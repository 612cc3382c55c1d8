"""Safe YAML in and out.

Two readers, one purpose each:

* `load_data` — the fast path for reading whole folders: ruamel's C parser with a
  safe constructor (no tags, no object construction), dates left as text for
  pydantic to check, duplicate keys refused, aliases refused (no alias bombs),
  size and nesting capped *before* the C parser sees the text.
* `load_document` — the round-trip path for edits and error positions: keeps
  comments, key order and quoting; its `dump` splices the changed lines into the
  file's own text (kacard.cards.textpatch), so a rewrite only changes what was edited.

Both read one dialect (kacard.cards.fastyaml): the round-trip reader resolves plain
scalars with fastyaml.resolve_plain, and every text passes the fast reader first.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import Comment, CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.tag import Tag
from ruamel.yaml.tokens import CommentToken

from kacard.cards import fastyaml
from kacard.cards.textpatch import newline_of, splice
from kacard.i18n import N_, _
from kacard.i18n.reword import reword, rules

MAX_BYTES = 1_000_000
MAX_DEPTH = 24

_CONFLICT_RE = re.compile(r"^(<{7}|={7}|>{7}|\|{7})(?: |$)", re.MULTILINE)
_CONFLICT_BYTES_RE = re.compile(rb"^(<{7}|={7}|>{7}|\|{7})(?: |\r?$)", re.MULTILINE)


@dataclass(frozen=True)
class YamlProblem(Exception):
    """Why a file could not be read as a card document; line/column are 1-based."""

    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        return self.message


class _CardResolver(VersionedResolver):
    """ruamel's resolver with kacard's one plain-scalar rule (fastyaml.resolve_plain),
    for reading and for deciding when the emitter must quote a string."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and implicit[0]:
            return Tag(suffix=fastyaml.plain_tag(value))
        return super().resolve(kind, value, implicit)


def decode(data: bytes) -> str:
    """UTF-8 text of a card file (a BOM is allowed); a clear problem otherwise."""
    if len(data) > MAX_BYTES:
        raise YamlProblem(_("file is larger than {size} KB; a card should be small").format(size=MAX_BYTES // 1000))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        marker = _CONFLICT_BYTES_RE.search(data)  # a conflict that keeps a GBK side as it was
        if marker:
            line = data.count(b"\n", 0, marker.start()) + 1
            raise YamlProblem(_("unresolved git conflict marker; resolve the merge conflict first"),
                              line, 1) from None
        line = data[: exc.start].count(b"\n") + 1
        from kacard.cards.encoding import detect

        found = detect(data)
        if found is not None:  # a teammate's GBK (or UTF-16) save: say how to convert it
            raise YamlProblem(_("file is not UTF-8 text but {encoding}; convert it with `kacard to-utf8` "
                                "(then commit it)").format(encoding=found.name), line=line, column=None) from None
        raise YamlProblem(_("file is not UTF-8 text (save it as UTF-8)"), line=line, column=None) from None


def precheck(text: str) -> None:
    """Refuse what is not worth parsing: conflict markers, empty files.

    Deep nesting needs no scan here: fastyaml reads the parser's event stream and
    stops at MAX_DEPTH, before libyaml's quadratic slow-down on deep flow nesting."""
    maybe = "<<<<<<<" in text or "=======" in text or ">>>>>>>" in text or "|||||||" in text
    marker = _CONFLICT_RE.search(text) if maybe else None  # a quick look before the line-by-line one
    if marker:
        line = text.count("\n", 0, marker.start()) + 1
        raise YamlProblem(_("unresolved git conflict marker; resolve the merge conflict first"), line, 1)
    if not text or text.isspace():  # (not text.strip(), without copying the text)
        raise YamlProblem(_("file is empty; a card needs at least id, name and owner"), 1, 1)


def _problem_from(exc: YAMLError, text: str = "") -> YamlProblem:
    if isinstance(exc, MarkedYAMLError):
        unclosed = _unclosed(exc, text)
        if unclosed is not None:
            return unclosed
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or ""
        if "duplicate key" in message:
            message = message.split(" with value")[0]
        if mark is not None:
            return YamlProblem(invalid(message), mark.line + 1, mark.column + 1)
        return YamlProblem(invalid(message))
    return YamlProblem(invalid(str(exc).splitlines()[0]))


_FLOW_CONTEXT = {"while parsing a flow sequence": ("[", "]"), "while parsing a flow mapping": ("{", "}")}


def _unclosed(exc: MarkedYAMLError, text: str) -> YamlProblem | None:
    """A `[` or `{` never closed (`visit_minutes: [60` then the next key): the parser only
    notices on a later line, at the next key. Said as such, at the bracket (the parser's
    context mark), when the problem is the end of the file or a line indented no deeper
    than the bracket's line (the next entry of the block around it); a problem inside a
    list written over several lines keeps the parser's own words and place."""
    brackets = _FLOW_CONTEXT.get(exc.context or "")
    start, end = exc.context_mark, exc.problem_mark
    if brackets is None or start is None or end is None or end.line <= start.line:
        return None
    lines = text.split("\n")

    def indent(number: int) -> int:
        line = lines[number] if number < len(lines) else ""
        return len(line) - len(line.lstrip(" -")) if line.strip() else -1

    at_end = not "".join(lines[end.line:]).strip() or "stream end" in (exc.problem or "")
    if not at_end and indent(end.line) > indent(start.line):
        return None
    opening, closing = brackets
    return YamlProblem(_("invalid YAML: the '{open}' here has no matching '{close}'; add '{close}' where the list "
                         "or group ends").format(open=opening, close=closing), start.line + 1, start.column + 1)


# What the YAML parsers (libyaml's and ruamel's own) say most often, so that people read it
# in their language (kacard.i18n.reword); `found` is a token the parser names.
_PARSER_SAYS = rules(
    (r"expected ',' or '(?P<close>[}\]])', but (?:got|found) (?P<found>.+)", N_("expected ',' or '{close}', but found {found}")),
    (r"did not find expected ',' or '(?P<close>[}\]])'", N_("did not find expected ',' or '{close}'")),
    (r"(?:could not|did not) find expected ':'", N_("could not find expected ':'")),
    (r"did not find expected key", N_("did not find expected key")),
    (r"did not find expected '-' indicator", N_("did not find expected '-' indicator")),
    (r"did not find expected node content", N_("did not find expected node content")),
    (r"expected the node content, but found (?P<found>.+)", N_("expected the node content, but found {found}")),
    (r"mapping values are not allowed (?:here|in this context)", N_("mapping values are not allowed here")),
    (r"mapping keys are not allowed (?:here|in this context)", N_("mapping keys are not allowed here")),
    (r"(?:block )?sequence entries are not allowed (?:here|in this context)", N_("sequence entries are not allowed here")),
    (r"found character that cannot start any token", N_("found a character that cannot start any token")),
    (r"found character (?P<found>.+) that cannot start any token", N_("found character {found} that cannot start any token")),
    (r"found unexpected end of stream", N_("found unexpected end of file")),
    (r"expected <block end>, but found (?P<found>.+)", N_("expected <block end>, but found {found}")),
    (r"expected a comment or a line break, but found (?P<found>.+)",
     N_("expected a comment or a line break, but found {found}")),
    (r"did not find expected comment or line break", N_("did not find expected comment or line break")),
    (r"found unknown escape character(?: .+)?", N_("found unknown escape character")),
    (r"found a tab character (?:that violates|where an) indentation.*", N_("found a tab character in the indentation")),
    (r"expected '<document start>', but found (?P<found>.+)", N_("unexpected {found} after the end of the card")),
    (r"found unexpected document separator|did not find expected <document start>", N_("found unexpected document separator")),
)
_TOKENS = {"'<stream end>'": N_("the end of the file"), "'<block end>'": N_("the end of an indented block"),
           "'<scalar>'": N_("a value"), "'<block mapping start>'": N_("an indented mapping"),
           "'<block sequence start>'": N_("an indented list")}


def _token(name: str, value: str) -> str:
    if name != "found":
        return value
    value = value.strip("(),")  # ruamel may name a token by a tuple's repr
    return _(_TOKENS[value]) if value in _TOKENS else value


def invalid(detail: str) -> str:
    """`invalid YAML: <detail>` in the user's language, the parser's own words translated when
    they are among the common ones (_PARSER_SAYS); other parser text is kept as it is."""
    if not detail:
        return _("invalid YAML")
    return _("invalid YAML: {detail}").format(detail=reword(detail, _PARSER_SAYS, _token))


def load_data(text: str, raw: bytes | None = None) -> dict[str, Any]:
    """Plain Python data of one card document (fast path). Raises YamlProblem.
    `raw`: the file's bytes when the caller has them (`text` being `decode(raw)`):
    fastyaml.load reads them instead of encoding the text again."""
    precheck(text)
    try:
        data = fastyaml.load(text, MAX_DEPTH, raw)
    except fastyaml.EventError as exc:
        raise YamlProblem(exc.message, exc.line, exc.column) from None
    except YAMLError as exc:
        raise _problem_from(exc, text) from None
    except (ValueError, RecursionError) as exc:
        raise YamlProblem(invalid(str(exc))) from None
    if data is None:
        raise YamlProblem(_("file has no content; a card needs at least id, name and owner"), 1, 1)
    if not isinstance(data, dict):
        message = (_("a card must be a mapping of fields, not a list") if isinstance(data, list)
                   else _("a card must be a mapping of fields, not a single value"))
        raise YamlProblem(message, 1, 1)
    return data


# -- round trip -------------------------------------------------------------------------


class _CardRepresenter(RoundTripRepresenter):
    """Dates are written as ISO text: the dialect has no timestamps (no `!!timestamp` tag)."""

    def represent_iso(self, data: Any) -> Any:
        return self.represent_scalar(fastyaml.STR_TAG, data.isoformat())


_CardRepresenter.add_representer(dt.date, _CardRepresenter.represent_iso)
_CardRepresenter.add_representer(dt.datetime, _CardRepresenter.represent_iso)


def _round_trip_yaml(mapping: int = 2, sequence: int = 4, offset: int = 2) -> YAML:
    """Round-trip YAML with kacard's default layout (`  - item` under a key, as in SPEC §2)."""
    yaml = YAML(typ="rt")
    yaml.Resolver = _CardResolver
    yaml.Representer = _CardRepresenter
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


_NESTED_KEY_RE = re.compile(r"^[^\s#-][^\n]*:[ \t]*(?:#[^\n]*)?\n( +)[^\s#-]", re.MULTILINE)


def _mapping_indent(text: str) -> int:
    """Indent of a nested block mapping (the first one found), default 2."""
    match = _NESTED_KEY_RE.search(text)
    return len(match.group(1)) if match else 2


_SEQ_UNDER_KEY_RE = re.compile(r"^( *)[^\s#-][^\n]*:[ \t]*(?:#[^\n]*)?\n(?:[ \t]*(?:#[^\n]*)?\n)*( *)- ", re.MULTILINE)


def _sequence_layout(text: str) -> tuple[int, int]:
    """(sequence indent, dash offset) of the first block list under a key; default (4, 2)."""
    match = _SEQ_UNDER_KEY_RE.search(text)
    if not match:
        return 4, 2
    offset = max(0, len(match.group(2)) - len(match.group(1)))
    return offset + 2, offset


@dataclass
class Document:
    """A card's round-trip document and the indentation it was written with.

    A document loaded with `editable=True` keeps the text it came from (`source`)
    and the dump of the untouched document (`before`): `dump` then changes only the
    lines the edit changed (textpatch.splice), in the file's own line ending."""

    root: CommentedMap
    mapping: int = 2
    sequence: int = 4
    offset: int = 2
    source: str | None = None
    before: str | None = None
    newline: str = "\n"
    rendered: bool = False

    def render(self) -> str:
        """ruamel's dump of the whole document (LF line endings); the same text however
        often it is called (see `reset_comments`)."""
        if self.rendered:
            reset_comments(self.root)
        self.rendered = True
        stream = io.StringIO()
        _round_trip_yaml(self.mapping, self.sequence, self.offset).dump(self.root, stream)
        return stream.getvalue()

    def dump(self) -> str:
        """The document's text: for an editable document, `source` with only the changed
        lines replaced. YamlProblem when the change cannot be written without changing
        other values (nothing should be written then)."""
        after = self.render()
        if self.source is None or self.before is None:
            return after
        if after == self.before:
            return self.source
        intended = _data(after)
        if unreadable(intended):  # never write text that does not read back (a ruamel slip)
            raise YamlProblem(_("kacard cannot make this change without rewriting other lines of the card; "
                                "nothing was written (make it with `kacard edit`)"))
        patched = splice(self.source, self.before, after, self.newline)
        if patched is not None and _same_data(_data(patched), intended):
            return patched
        # the change falls where ruamel would re-render the file: a whole dump is only
        # acceptable when it reads back exactly as the file did
        if _same_data(_data(self.before), _data(self.source)):
            # comment lines read from a CRLF file keep their CR in ruamel's tokens: one ending a line
            return "".join(line + self.newline for line in after.splitlines())
        raise YamlProblem(_("kacard cannot make this change without rewriting other lines of the card; "
                            "nothing was written (make it with `kacard edit`)"))


def _data(text: str) -> Any:
    try:
        return fastyaml.load(text, MAX_DEPTH)
    except (fastyaml.EventError, YAMLError, ValueError, RecursionError) as exc:
        return ("unreadable", str(exc))


def unreadable(data: Any) -> bool:
    """Whether `_data` found no YAML in the text (its `("unreadable", reason)`)."""
    return isinstance(data, tuple)


def reset_comments(root: Any) -> None:
    """Mark every comment of a document as not written yet, before it is dumped again.

    ruamel's emitter marks a comment line written before a value (`pre_done`), and its
    representer clears the mark only through the node that owns the line. Once a merge
    or an edit replaced that node, the next dump of the same document skipped the line
    and wrote the new value onto its key's line (`k:   -` then the item; a key glued to
    the value before it): text that no longer reads as the card (ruamel 0.19)."""
    stack = [root]
    while stack:
        node = stack.pop()
        ca = getattr(node, Comment.attrib, None)
        if ca is not None:
            _reset(ca.comment)
            _reset(ca.end)
            for entry in ca.items.values():
                _reset(entry)
        if isinstance(node, dict):
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, dict | list))


def _reset(tokens: Any) -> None:
    for token in tokens or ():
        if isinstance(token, list):
            _reset(token)
        elif isinstance(token, CommentToken) and getattr(token, "pre_done", None):
            token.reset()


def _same_data(a: Any, b: Any) -> bool:
    return a == b or repr(a) == repr(b)  # repr: NaN equals itself


def load_document(text: str, *, editable: bool = False) -> Document:
    """The round-trip document (comments, order, quoting kept). Raises YamlProblem.

    The text first passes the fast safe reader, so the round-trip loader never sees
    tags, aliases, duplicate keys, deep nesting or text the two readers disagree on.
    `editable=True` prepares `Document.dump` to patch `text` (costs one dump)."""
    load_data(text)
    try:
        layout = (_mapping_indent(text), *_sequence_layout(text))
        root = _round_trip_yaml(*layout).load(text)  # preserve_quotes needs our loader
    except YAMLError as exc:
        raise _problem_from(exc, text) from None
    except (ValueError, RecursionError) as exc:
        raise YamlProblem(invalid(str(exc))) from None
    if root is None:
        raise YamlProblem(_("file has no content; a card needs at least id, name and owner"), 1, 1)
    if not isinstance(root, CommentedMap):
        raise YamlProblem(_("a card must be a mapping of fields, not a list"), 1, 1)
    document = Document(root, *layout)
    if editable:
        document.source = text
        document.newline = newline_of(text)
        document.before = document.render()
    return document


def locate(root: Any, path: Sequence[str | int]) -> tuple[int, int] | None:
    """1-based (line, column) of the deepest existing node along `path` in a round-trip doc."""
    found: tuple[int, int] | None = None
    node = root
    for part in path:
        if isinstance(node, CommentedMap) and part in node:
            line, col = node.lc.key(part)
            found = (line + 1, col + 1)
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line, col = node.lc.item(part)
            found = (line + 1, col + 1)
            node = node[part]
        else:
            break
    return found


def line_of_key(root: Any, key: str) -> int | None:
    where = locate(root, [key])
    return where[0] if where else None


def flow_map(items: dict[str, Any]) -> CommentedMap:
    mapping = CommentedMap(items)
    mapping.fa.set_flow_style()
    return mapping


def flow_seq(items: list[Any]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq
