"""Make article text show literally in MyST Markdown.

Nothing an article says may become markup: not emphasis, a link, raw HTML, a
role, a directive, a substitution, math, a target, a comment or a cell break.
CommonMark lets a backslash escape any ASCII punctuation character, and MyST
(markdown-it) honours that everywhere, including in headings and directive
titles.  We escape the characters that are markup anywhere in a line, plus
any punctuation that opens a line (block syntax: ``#``, ``>``, ``-``, ``+``,
``%``, ``(label)=``, ``:::``, ``+++``, ``---`` …) and the ``.``/``)`` of an
ordered-list marker.  Everything else (Chinese text, the capture's ASCII
``,`` and ``:``) is left as it is so the notebooks stay readable.
"""

from __future__ import annotations

import re

# Markup wherever they stand.  '#' is here too: a heading's closing '#'s
# would otherwise be stripped from its text.
_ANYWHERE = frozenset("\\`*_{}[]<>&$|~#")
_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# Every character str.splitlines() (so jupytext and myst-nb) breaks a line at.
_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)")
_WHITESPACE = re.compile(r"[ \t]+")


def escape(text: str) -> str:
    """Escape one line of article text (no newlines) for a MyST paragraph or heading."""
    if _BREAK.search(text):
        raise ValueError("escape() takes one line; split paragraphs into lines first")
    # Runs of spaces would be collapsed by HTML anyway; a leading tab or four
    # spaces would start a code block, so lines arrive stripped.
    text = _WHITESPACE.sub(" ", text.strip())
    if not text:
        return text
    out = [("\\" + ch) if ch in _ANYWHERE else ch for ch in text]
    if text[0] in _PUNCT and not out[0].startswith("\\"):
        out[0] = "\\" + out[0]
    m = _ORDERED.match(text)
    if m:
        i = len(m.group(1))
        out[i] = "\\" + out[i]
    return "".join(out)


_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def unescape(text: str) -> str:
    """Inverse of :func:`escape` for text it produced (used by the catalog to count characters)."""
    return _UNESCAPE.sub(r"\1", text)


def link_destination(url: str) -> str:
    """A URL as a CommonMark link destination that cannot break out of the link."""
    safe = "".join(ch if ch not in "<> \t\n\\" else f"%{ord(ch):02X}" for ch in url)
    # An entity such as &amp; would be decoded in the link; the backslash keeps it literal.
    return "<" + safe.replace("&", "\\&") + ">"
