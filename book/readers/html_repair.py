"""Saved pages whose hiding elements were left open, closed again before parsing.

An HTML5 parser does what a browser does with an unclosed ``<textarea>`` or ``<svg>``: the
rest of the page becomes its raw text or its hidden content, and the article vanishes from
what we read.  A capture must not lose it, so :func:`close_unclosed` repairs the markup
first, without moving any line (messages keep their line numbers).
"""

from __future__ import annotations

import re

# Elements whose content a browser hides or reads as raw text.  Left
# unclosed in a saved page, each takes the rest of the article with it: as
# raw text up to a later element's end tag, or as content _drop_junk removes.
# Browsers lose that text too; a capture must not, so such an element is
# closed where it starts.
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "iframe", "xmp", "noembed", "noframes"})
_CONTAINERS = frozenset(
    {
        "noscript",
        "object",
        "svg",
        "math",
        "button",
        "select",
        "option",
        "canvas",
        "audio",
        "video",
        "map",
        "template",
        "datalist",
    }
)
_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)|<(?P<end>/)?(?P<name>[A-Za-z][A-Za-z0-9-]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.DOTALL,
)
# Article markup inside raw text: the element was never closed.
_BLOCK_START = re.compile(r"<(?:p|div|h[1-6]|ul|ol|li|table|article|section)[\s>]", re.IGNORECASE)
_BLOCK_END = re.compile(r"</(?:p|div|h[1-6]|li)>", re.IGNORECASE)


def close_unclosed(html: str) -> str:
    """``html`` with every hiding element that was left unclosed closed right after its start tag.

    End tags are inserted (an unclosed comment ended, a ``<plaintext>`` tag,
    which nothing can close, removed), never a line break: every line keeps
    its number.
    """
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement)
    open_: dict[str, list[int]] = {}
    pos = 0
    while (m := _TOKEN.search(html, pos)) is not None:
        pos = m.end()
        if m.group("name") is None:  # a comment
            if not m.group(0).endswith("-->"):
                edits.append((m.start() + 4, m.start() + 4, "-->"))
                pos = m.start() + 4
            continue
        name = m.group("name").lower()
        if m.group("end"):
            if open_.get(name):
                open_[name].pop()
        elif name == "plaintext":
            edits.append((m.start(), m.end(), ""))
        elif name in _RAW_TEXT:
            close = re.compile(rf"</{name}[\s/>]", re.IGNORECASE).search(html, pos)
            content = html[pos : close.start() if close else len(html)]
            if close is None or _swallowed(name, content):
                edits.append((pos, pos, f"</{name}>"))
            else:
                pos = close.start()  # its content is text, not tags
        elif name in _CONTAINERS and not m.group("attrs").rstrip().endswith("/"):
            open_.setdefault(name, []).append(pos)
    edits.extend((at, at, f"</{name}>") for name, starts in open_.items() for at in starts)
    out: list[str] = []
    last = 0
    for start, end, replacement in sorted(edits):
        out += [html[last:start], replacement]
        last = end
    out.append(html[last:])
    return "".join(out)


def _swallowed(name: str, content: str) -> bool:
    """Whether raw-text ``content`` holds page markup, so its element was left open."""
    own = re.search(rf"<{name}[\s>]", content, re.IGNORECASE) is not None
    if name == "script":
        # Scripts write markup ('<div>', '<script src=..><\/script>'), but
        # never both their own start tag and a closed block.
        return own and _BLOCK_END.search(content) is not None
    return own or _BLOCK_START.search(content) is not None
