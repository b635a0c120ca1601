"""Bytes of a capture → text, or a clear refusal.

Captures arrive as UTF-8 (with or without BOM), GB18030/GBK or Big5, with any
line endings.  UTF-8 is tried first, strictly.  Most Big5 byte strings are
also valid GB18030 (as mojibake), so between those two charset-normalizer
decides by which reading looks like language; either way the text is decoded
strictly, never with replacement characters.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from ..errors import BookError

# GB18030 is a superset of GBK and GB2312.
CHINESE_ENCODINGS = ("gb18030", "big5")

# Control characters that never belong in text (NUL, and C0 controls other
# than tab/newline/carriage return/form feed).  A few may be stray; many mean
# the file is not text at all.
_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 12, 13)) + b"\x7f"


def decode(data: bytes, path: str) -> str:
    """Decode a capture's bytes; raise :class:`BookError` naming the file if it is not text."""
    if not data.strip():
        raise BookError(path, 1, "the file is empty", "capture the article again, or remove the file")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if b"\x00" in data[:8192] or _control_share(data[:8192]) > 0.01:
        raise BookError(path, 1, "this is a binary file, not a text capture", "import only .txt or .html captures")
    try:
        return normalise(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    candidates = [enc for enc in CHINESE_ENCODINGS if _decodes(data, enc)]
    if len(candidates) > 1:
        best = from_bytes(data, cp_isolation=list(candidates)).best()
        candidates = [best.encoding] if best is not None else candidates[:1]
    if candidates:
        return normalise(data.decode(candidates[0]))
    raise BookError(
        path,
        _first_bad_line(data),
        "the text is in none of the supported encodings (UTF-8, GB18030/GBK, Big5)",
        "save the capture as UTF-8 and import it again",
    )


# Characters str.splitlines() (and so jupytext and myst-nb) treat as line
# breaks.  They are line breaks in the source too, so readers split on them.
LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# Controls that are no text at all, and the two Unicode non-characters: YAML
# (front matter) refuses them, and a page would show them as boxes.
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
_BREAKS = re.compile("[" + LINE_BREAKS + "]")


def normalise(text: str) -> str:
    """Text as readers hand it on: ``\\n`` line ends only, no control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _INVISIBLE.sub("", _BREAKS.sub("\n", text))


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _control_share(data: bytes) -> float:
    return (len(data) - len(data.translate(None, _CONTROL))) / max(len(data), 1)


def _first_bad_line(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return data[: exc.start].count(b"\n") + 1
    return 1
