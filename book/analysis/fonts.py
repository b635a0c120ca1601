"""A CJK font for the book's charts, found among the fonts already installed.

Matplotlib's default font (DejaVu Sans) has no Chinese glyphs, so every chart
label would render as empty boxes.  Nothing is downloaded here: the setup
script installs Debian's ``fonts-noto-cjk`` and this module finds it (or
another CJK family) through matplotlib's own font list, so what we check is
exactly what matplotlib will draw with.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

DEBIAN_PACKAGE = "fonts-noto-cjk"

# Simplified Chinese faces first: the articles are mainland Chinese, and in
# Pan-CJK fonts the SC face draws the mainland forms of shared ideographs.
PREFERRED_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans CJK TC",
    "Noto Sans CJK HK",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "Source Han Sans",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Source Han Serif CN",
    "Noto Serif CJK TC",
    "Noto Serif CJK JP",
)
# Any other family whose name says it covers CJK, if none of the above is installed.
_CJK_HINTS = ("CJK", "WenQuanYi", "Source Han", "Noto Sans SC", "Noto Serif SC")
_CJK_FILE = re.compile(r"cjk|wqy|wenquanyi|sourcehan|source-han|notosanssc|notoserifsc", re.IGNORECASE)


def _rank(entry: font_manager.FontEntry) -> tuple[int, int, int, str]:
    name = entry.name
    if name in PREFERRED_FAMILIES:
        family_rank = PREFERRED_FAMILIES.index(name)
    else:
        family_rank = len(PREFERRED_FAMILIES)
    # Monospaced CJK faces have narrow Latin letters that look odd in chart labels.
    mono = int("Mono" in name)
    weight = entry.weight if isinstance(entry.weight, int) else 400
    return (mono, family_rank, abs(weight - 400) + (entry.style != "normal") * 1000, entry.fname)


def _candidates() -> list[font_manager.FontEntry]:
    return [
        e
        for e in font_manager.fontManager.ttflist
        if e.name in PREFERRED_FAMILIES or any(hint in e.name for hint in _CJK_HINTS)
    ]


def _add_installed_cjk_files() -> None:
    """Register CJK font files installed after matplotlib cached its font list.

    Matplotlib scans the system fonts once and caches the list, so a font
    the setup script installs later is invisible to it until the cache is
    rebuilt.  This rescans the system font folders (local files only).
    """
    for path in font_manager.findSystemFonts():
        if _CJK_FILE.search(Path(path).name):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue  # an unreadable file is no reason to give up on the others


@lru_cache(maxsize=1)
def _font_entry() -> font_manager.FontEntry:
    candidates = _candidates()
    if not candidates:
        _add_installed_cjk_files()
        candidates = _candidates()
    if not candidates:
        raise RuntimeError(
            "no CJK font found by matplotlib, so Chinese chart labels would render as boxes; "
            f"install one with `apt-get install {DEBIAN_PACKAGE}` (Debian/Ubuntu)"
        )
    return min(candidates, key=_rank)


def cjk_font_family() -> str:
    """The family name of the CJK font charts use, e.g. ``"Noto Sans CJK SC"``."""
    return _font_entry().name


def cjk_font_path() -> str:
    """The file of the CJK font charts use (a ``.ttc`` may hold several faces)."""
    return str(_font_entry().fname)


def cjk_font() -> font_manager.FontProperties:
    """FontProperties for the installed CJK font; RuntimeError if there is none."""
    entry = _font_entry()
    return font_manager.FontProperties(family=entry.name, style=entry.style, weight=entry.weight)


def use_cjk_font() -> str:
    """Make the CJK font matplotlib's default sans-serif font; return its family name."""
    family = cjk_font_family()
    rest = [f for f in mpl.rcParams["font.sans-serif"] if f != family]
    mpl.rcParams["font.family"] = ["sans-serif"]
    mpl.rcParams["font.sans-serif"] = [family, *rest]
    # Several CJK fonts lack U+2212 MINUS SIGN; a plain hyphen is in all of them.
    mpl.rcParams["axes.unicode_minus"] = False
    # Labels are article titles: a "$" in one is a dollar sign, not mathtext.
    mpl.rcParams["text.parse_math"] = False
    return family


def _face_index(path: str) -> int:
    """Which face of a font file to check: the chosen one, else the best-ranked family in it."""
    try:
        chosen = _font_entry()
    except RuntimeError:
        chosen = None
    if chosen is not None and str(chosen.fname) == path:
        return int(getattr(chosen, "index", 0) or 0)
    faces = FT2Font(path).num_faces
    if faces <= 1:
        return 0
    names = [FT2Font(path, face_index=i).family_name for i in range(faces)]
    for family in PREFERRED_FAMILIES:
        if family in names:
            return names.index(family)
    return 0


@lru_cache(maxsize=16)
def _charmap(path: str, face_index: int) -> frozenset[int]:
    return frozenset(FT2Font(path, face_index=face_index).get_charmap())


def missing_glyphs(text: str, font_path: str | None = None) -> set[str]:
    """The characters of ``text`` the font has no glyph for (whitespace ignored).

    ``font_path`` defaults to the chart font.  For a font collection (.ttc) the
    face checked is the one charts use, or the preferred family in the file.
    """
    if font_path is None:
        entry = _font_entry()
        path, index = str(entry.fname), int(getattr(entry, "index", 0) or 0)
    else:
        path = str(font_path)
        index = _face_index(path)
    covered = _charmap(path, index)
    return {ch for ch in set(text) if not ch.isspace() and ord(ch) not in covered}
