"""Which text encoding a file's bytes are in, and turning a card file into UTF-8.

One detector for every file kacard reads that people may have saved in another
encoding: a card a teammate saved from a Chinese Windows editor (GBK), a CSV from Chinese
Excel (GB18030), a file saved as "Unicode" (UTF-16). `kacard import` reads CSV files
with it (team/import_read.py) and `kacard to-utf8` converts card files with it.

The order is: a byte-order mark (UTF-8, UTF-16 LE/BE), strict UTF-8, UTF-16 without a
mark (text whose every other byte is zero, as YAML keys and ASCII give), GBK, then
GB18030 (a superset of GBK with four-byte forms). Each is tried strictly: strict UTF-8
decoding fails on GBK text (its lead bytes are not valid UTF-8 sequences), and GBK fails
on what needs GB18030. No guessing library is needed for these few encodings: a
statistical guesser (chardet, charset-normalizer) may call short Chinese text Big5 or
Shift-JIS, while this order follows what Chinese teams' tools write (GB 18030-2005).
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kacard.cards.cache import digest
from kacard.cards.safewrite import write_atomic
from kacard.errors import reports_write_errors


@dataclass(frozen=True)
class Detected:
    codec: str  # the Python codec that decodes the bytes strictly: utf-8-sig, utf-16, gbk …
    name: str  # how people call it: "UTF-8", "UTF-8 with BOM", "UTF-16", "GBK", "GB18030"

    @property
    def is_utf8(self) -> bool:
        return self.codec in ("utf-8", "utf-8-sig")


_BOMS = ((codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with BOM"), (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
         (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"))


def detect(data: bytes) -> Detected | None:
    """The encoding `data` decodes in without error (see the module docstring for the
    order), or None when it is none of UTF-8, UTF-16, GBK and GB18030."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return Detected(codec, name) if _decodes(data, codec) else None
    if _decodes(data, "utf-8"):
        return Detected("utf-8", "UTF-8")
    unmarked = _utf16_without_bom(data)
    if unmarked is not None:
        return Detected(unmarked, "UTF-16")
    for codec, name in (("gbk", "GBK"), ("gb18030", "GB18030")):
        if _decodes(data, codec):
            return Detected(codec, name)
    return None


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _utf16_without_bom(data: bytes) -> str | None:
    """utf-16-le or utf-16-be when the bytes look like UTF-16 text without a mark: an even
    length and zero bytes in at least a third of one byte position (ASCII characters and
    YAML's keys and punctuation give a zero in every other byte)."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    for zeros, codec in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros * 3 >= half and _decodes(data, codec):
            return codec
    return None


def to_utf8(data: bytes) -> tuple[bytes, Detected] | None:
    """The UTF-8 bytes of a file in another encoding, and what it was in; None when it is
    UTF-8 already or its encoding is not known. Line endings stay as they are (`\\r\\n`
    stays `\\r\\n`: decoding does not translate newlines); a byte-order mark is dropped."""
    found = detect(data)
    if found is None or found.is_utf8:
        return None
    return data.decode(found.codec).encode("utf-8"), found


@dataclass(frozen=True)
class FileEncoding:
    shown: str  # the file as the user named it, or its path in the folder
    path: Path
    found: Detected | None  # None: not an encoding kacard knows


def survey(files: Iterable[tuple[str, Path]]) -> list[FileEncoding]:
    """The encoding of each file (shown name, path). OSError when one cannot be read."""
    return [FileEncoding(shown, path, detect(path.read_bytes())) for shown, path in files]


@reports_write_errors
def convert_file(path: Path) -> Detected | None:
    """Rewrite one file in UTF-8 (atomically, kacard.cards.safewrite: a reader sees the old
    bytes or the new ones; refused with StaleWrite when the file changes meanwhile).
    Returns what it was in, or None when it was UTF-8 already or unknown (left alone)."""
    data = path.read_bytes()
    converted = to_utf8(data)
    if converted is None:
        return None
    write_atomic(path, converted[0], digest(data))
    return converted[1]
