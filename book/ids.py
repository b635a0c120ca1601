"""Article ids as they may name files: ASCII digits of a sane length."""

from __future__ import annotations

import unicodedata

from .errors import BookError

# Sites number their articles with 5 or 6 digits; 20 holds any 64-bit number.
# Longer is no id but a garbled line, and would make a file name the system
# refuses (ENAMETOOLONG at 255 bytes).
MAX_DIGITS = 20


def from_digits(raw: str, source: str, line: int) -> str:
    """The id written in any script's decimal digits (``６７２０２``, ``٦٧٢٠٢``) as ASCII digits.

    Raises :class:`BookError` naming ``source`` and ``line`` when it is too long.
    """
    ascii_id = "".join(str(unicodedata.decimal(c)) for c in raw)
    if len(ascii_id) > MAX_DIGITS:
        raise BookError(
            source,
            line,
            f"the article id in the source URL has {len(ascii_id)} digits (at most {MAX_DIGITS} expected)",
            "fix the 本文链接 line so it ends in the article's number, like https://site/hf/67202.html",
        )
    return ascii_id
