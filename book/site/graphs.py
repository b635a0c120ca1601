"""A topic's neighbourhood graph: its articles and the relations between them, as a static SVG.

Written by ``index`` beside the topic page, which shows it as an image: it needs no script,
no font download and no other host, and it weighs a few kilobytes whatever the size of the book.
A topic of more than ``MAX_NODES`` articles shows the most connected ones and says so.

The drawing is a circle (articles in id order, each labelled with the start of its title) with
a chord per pair the catalog relates (``similar``, ``related``, ``cites``, ``shared-tags``):
a layout that is the same on every run and needs no solver, written as text because a book
of 50,000 articles has thousands of topics and ``index`` runs after every save.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from html import escape as _escape

MAX_NODES = 24
WIDTH, HEIGHT = 720, 560
RADIUS = 190
LABEL_CHARS = 9
FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif"


# Characters XML 1.0 does not allow: one in a title would leave the whole drawing unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def escape(text: str) -> str:
    return _escape(_NOT_XML.sub("\ufffd", text))


def _label(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= LABEL_CHARS else title[: LABEL_CHARS - 1] + "…"


def topic_graph(name: str, articles: list[tuple[str, str]], pairs: list[tuple[str, str]]) -> tuple[str, int]:
    """The SVG for a topic ``name`` whose ``articles`` are ``(id, title)`` in page order, and
    ``pairs`` the related ids among them; returns the SVG text and how many articles it shows."""
    ids = [i for i, _ in articles]
    known = set(ids)
    edges = sorted({tuple(sorted(p)) for p in pairs if p[0] in known and p[1] in known and p[0] != p[1]})
    degree: Counter[str] = Counter()
    for a, b in edges:
        degree[a] += 1
        degree[b] += 1
    if len(ids) > MAX_NODES:
        keep = set(sorted(ids, key=lambda i: (-degree[i], ids.index(i)))[:MAX_NODES])
        ids = [i for i in ids if i in keep]
        edges = [(a, b) for a, b in edges if a in keep and b in keep]
    titles = dict(articles)
    cx, cy = WIDTH / 2, HEIGHT / 2
    at: dict[str, tuple[float, float, float]] = {}
    for n, i in enumerate(ids):
        angle = -math.pi / 2 + 2 * math.pi * n / max(1, len(ids))
        at[i] = (cx + RADIUS * math.cos(angle), cy + RADIUS * math.sin(angle), angle)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-label="{escape(name)}：{len(ids)} 篇文章与 {len(edges)} 条关系" '
        f'font-family="{escape(FONT)}">',
        f"<title>{escape(name)}</title>",
        '<g stroke="#7aa3c8" stroke-opacity="0.55" stroke-width="1.2">',
    ]
    for a, b in edges:
        (x1, y1, _), (x2, y2, _) = at[a], at[b]
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"/>')
    out.append("</g>")
    most = max(degree.values(), default=0) or 1
    for i in ids:
        x, y, angle = at[i]
        r = 4 + 5 * degree[i] / most
        lx, ly = x + 12 * math.cos(angle), y + 12 * math.sin(angle)
        anchor = "start" if math.cos(angle) > 0.2 else "end" if math.cos(angle) < -0.2 else "middle"
        dy = "0.35em" if anchor != "middle" else ("-0.3em" if math.sin(angle) < 0 else "1em")
        out.append(
            f"<g><title>{escape(' '.join(titles[i].split()))}</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#2f6fa7"/>'
            f'<text x="{lx:.1f}" y="{ly:.1f}" dy="{dy}" text-anchor="{anchor}" font-size="13" fill="#333">'
            f"{escape(_label(titles[i]))}</text></g>"
        )
    out.append("</svg>")
    return "\n".join(out) + "\n", len(ids)
