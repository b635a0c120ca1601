"""The one normal form that both the indexed text and the reader's query take.

A query must find a page whatever script or width either was typed in, so
both sides are *folded* one character at a time: compatibility forms to their
plain letter (full-width ``Ａ１`` to ``a1``, compatibility ideographs to the
unified one), Latin and other cased letters to lower case, and traditional
Chinese characters to simplified (OpenCC's character tables: t2s, and the
Taiwan and Hong Kong variants).  A character is replaced only by exactly one
character, so a folded text has the length of its source and a hit found in
the folded text marks the same span of the original (snippets highlight it).

The browser folds the query with the same table (``fold_table_json``), so
Python and JavaScript cannot disagree about it.
"""

from __future__ import annotations

import functools
import json
import re
import sys
import unicodedata
from pathlib import Path

# Characters that words are made of: Unicode letters and numbers (``[^\W_]`` is exactly
# categories L* and N* in Python's re; the browser uses /[\p{L}\p{N}]/u).  Everything
# else (spaces, punctuation, symbols) separates terms and is never part of an n-gram.
WORD_RUN = re.compile(r"[^\W_]+")

# Where to look for characters that fold: the BMP and the CJK supplementary planes.
_RANGES = ((0x00A0, 0x10000), (0x1D400, 0x1D800), (0x1F100, 0x1F200), (0x20000, 0x2FA20))
_OPENCC_CONFIGS = ("t2s", "tw2s", "hk2s")


def _chinese_to_simplified() -> dict[str, str]:
    import opencc

    converters = [opencc.OpenCC(name) for name in _OPENCC_CONFIGS]
    table: dict[str, str] = {}
    for low, high in ((0x2E80, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2FA20)):
        for cp in range(low, high):
            ch = chr(cp)
            for converter in converters:
                out = converter.convert(ch)
                if out != ch and len(out) == 1:
                    table[ch] = out
                    break
    return table


def _one_char(ch: str) -> str:
    """The character's plain form, or itself when the plain form is not one character."""
    plain = unicodedata.normalize("NFKC", ch)
    if len(plain) != 1:
        plain = ch
    lower = plain.lower()
    return lower if len(lower) == 1 else plain


def derive_fold_map() -> dict[str, str]:
    """Every character that folds to another, with what it folds to, derived from Unicode
    and OpenCC (0.6 s; the build reads the copy in ``fold_table.json`` instead)."""
    chinese = _chinese_to_simplified()
    table: dict[str, str] = {}
    for ch in map(chr, range(0x41, 0x5B)):
        table[ch] = ch.lower()
    for low, high in _RANGES:
        for cp in range(low, high):
            ch = chr(cp)
            if 0xD800 <= cp < 0xE000:
                continue
            out = _one_char(ch)
            # Simplify after widening: a compatibility ideograph may unify to a traditional one.
            out = chinese.get(out, out)
            if out != ch:
                table[ch] = out
    return table


TABLE_FILE = Path(__file__).with_name("fold_table.json")


@functools.cache
def fold_map() -> dict[str, str]:
    """The fold table: ``fold_table.json``, made by ``python -m book.search.fold --update`` from
    the pinned OpenCC and Python's Unicode data (a test checks it is still what they give)."""
    data = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
    return dict(zip(data["from"], data["to"], strict=True))


@functools.cache
def _translation() -> dict[int, str]:
    return {ord(k): v for k, v in fold_map().items()}


def fold(text: str) -> str:
    """``text`` in the normal form; the same length as ``text``."""
    return text.translate(_translation())


def table_json(table: dict[str, str]) -> str:
    """A fold table as JSON: one string of source characters and one of their folded forms,
    position by position (a third of the size of an object, for the browser too)."""
    items = sorted(table.items())
    return json.dumps({"from": "".join(k for k, _ in items), "to": "".join(v for _, v in items)}, ensure_ascii=False)


def terms(query: str) -> list[str]:
    """The folded words of a query: its runs of letters and numbers, in order, once each."""
    seen: dict[str, None] = {}
    for match in WORD_RUN.finditer(fold(query)):
        seen.setdefault(match.group(), None)
    return list(seen)


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python -m book.search.fold --update   (rewrites fold_table.json; review the diff)")
    TABLE_FILE.write_text(table_json(derive_fold_map()) + "\n", encoding="utf-8")
