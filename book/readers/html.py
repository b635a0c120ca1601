"""Reader for saved HTML pages of the site.

A saved page is the text capture plus the site around it: navigation, sidebars,
ads, scripts.  We reduce the page to the lines a text capture of the same page
holds (breadcrumb to the end of the related list, one line per rendered block)
and hand them to :func:`text.parse_lines`, so that both kinds of capture go
through one parser and a page and its text capture yield the same article.
"""

from __future__ import annotations

import codecs
import html as html_module
import re
import warnings
from collections.abc import Sequence
from pathlib import Path

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, NavigableString, Tag, XMLParsedAsHTMLWarning
from bs4.element import PageElement, PreformattedString

from ..model import Article
from . import text
from .decode import decode, normalise
from .html_repair import close_unclosed
from .notes import ReadNotes

# (source line, text, the innermost block element the text belongs to)
_Line = tuple[int, str, Tag]

# --- decoding ----------------------------------------------------------------

# Saved pages often put a long comment ("saved from url") and styles before the
# charset declaration, so look further than the 1024 bytes browsers do.
_SNIFF_BYTES = 16384
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.IGNORECASE)
# Declared label -> strict Python codec.  GB18030 is a superset of GBK and
# GB2312, so pages that declare those but use a few GB18030-only characters
# still decode.
_CODECS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "gb_2312-80": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5",
    "x-x-big5": "big5",
    "cp950": "cp950",
    "big5-hkscs": "big5hkscs",
}


def read(path: Path, notes: ReadNotes | None = None) -> Article:
    """Read one saved ``.html`` page."""
    return reads(_decode(path.read_bytes(), str(path)), str(path), notes)


def _decode(data: bytes, path: str) -> str:
    # decode() refuses empty, binary and undecodable files with a message
    # naming the file, and strips a UTF-8 BOM; a page gets the same checks.
    fallback = decode(data, path)
    if data.startswith(codecs.BOM_UTF8):
        return fallback
    match = _META_CHARSET.search(data[:_SNIFF_BYTES])
    codec = _CODECS.get(match.group(1).decode("ascii", "replace").lower()) if match else None
    if codec is None or codec == "utf-8":
        return fallback
    try:
        # Bytes that are valid UTF-8 are UTF-8 whatever the page declares:
        # saved pages are often re-encoded with the old meta left in place,
        # and real GBK/Big5 text is practically never valid UTF-8.
        data.decode("utf-8")
        return fallback
    except UnicodeDecodeError:
        pass
    try:
        # The declaration matters here: most Big5 byte strings also decode
        # (as mojibake) as GB18030, and decode() can only guess between them.
        return data.decode(codec).replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError:
        return fallback


# --- the page -> lines -----------------------------------------------------------

_XML_DECL = re.compile(r"\A\s*<\?xml[^>]*\?>")

# Never rendered as text, or only controls.  <form> is not here: some sites
# wrap the whole page in one, so it is treated as chrome (which is guarded).
_JUNK = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "button",
    "select",
    "input",
    "textarea",
    "option",
    "datalist",
    "canvas",
    "audio",
    "video",
    "map",
    "head",
    "title",
    "meta",
    "link",
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

_BLOCK = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "html",
        "legend",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
    }
)
_CELLS = frozenset({"td", "th"})

# Page chrome, by element and by id/class token.  Tokens are matched whole or
# by their '-'/'_' parts ("post-share" -> "post", "share"), never as
# substrings, so "header" does not hit "thead" and "ad" does not hit "head".
_CHROME_TAGS = frozenset({"nav", "aside", "menu", "form"})
_SCOPED_CHROME_TAGS = frozenset({"header", "footer"})  # chrome only when they belong to the page
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menu"})
_STRONG = frozenset(
    {
        "nav",
        "navbar",
        "menu",
        "sidebar",
        "ad",
        "ads",
        "advert",
        "advertisement",
        "adsbygoogle",
        "banner",
        "share",
        "sharing",
        "bdshare",
        "bdsharebuttonbox",
        "comment",
        "comments",
        "respond",
        "qrcode",
        "login",
        "search",
        "widget",
        "logo",
        "kefu",
        "gotop",
        "backtop",
        "totop",
        "tagcloud",
        "friendlink",
        "flink",
        "topbar",
    }
)
# Structural words that also name parts of an article ("article-header"):
# chrome only when no part of the token says it is content.
_WEAK = frozenset({"header", "footer", "head", "foot", "side"})
_CONTENT = frozenset({"article", "post", "entry", "content", "main", "body", "text", "single", "detail", "story"})

_CRUMB_START = re.compile(r"^\s*(?:当前位置|當前位置|您的位置|你的位置)")

# Runs of HTML whitespace collapse to one space.  A run with a line break
# between two CJK characters disappears (CSS Text 3 segment-break rule):
# Chinese has no spaces between words, and source HTML wraps long lines.
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_CJK = (
    r"\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
)
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t\r\f]*\n[ \t\n\r\f]*(?=[{_CJK}])")

_LINE_ATTR = "_book_line"  # where a text node starts in the source, set by _number_text


def reads(html: str, source: str = "<html>", notes: ReadNotes | None = None) -> Article:
    """Read a saved page given as text; ``source`` names it in error messages."""
    # A line break character inside an element's text is a line break there too.
    lines = [(n, part.strip()) for n, t, _ in page_lines(html) for part in normalise(t).split("\n")]
    return text.parse_lines([(n, t) for n, t in lines if t], source, _title_hint(html), notes)


_TITLE_TAG = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_H1_TAG = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.IGNORECASE | re.DOTALL)
# The site's name after a title: "标题_某某律所", "标题 - 某某网", "标题——某某网", "标题|某某网".
_TITLE_SITE = re.compile(r"\s*[-_|–—~]+\s*[^-_|–—~]{1,30}$")


def _title_hint(html: str) -> tuple[str, str]:
    """The page's own title, for a page whose article has no title line: its <h1>, else its <title>.

    A <title> usually ends with the site's name ("标题_站名", "标题 - 站名"): that part is left out.
    """
    for where, pattern in (("<h1>", _H1_TAG), ("<title>", _TITLE_TAG)):
        if m := pattern.search(html):
            value = _clean(html_module.unescape(re.sub(r"<[^>]*>", "", m.group(1))))
            if where == "<title>":
                value = _TITLE_SITE.sub("", value) or value
            if value:
                return where, value
    return "", ""


def page_lines(html: str) -> list[tuple[int, str, Tag]]:
    """The article's lines as a text capture would hold them: (source line, text, owning element)."""
    html = html.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    html = _XML_DECL.sub(lambda m: "\n" * m.group(0).count("\n"), html, count=1)
    html = close_unclosed(html)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        # html5lib builds the tree a browser builds (void <embed>, <svg> left
        # by the first HTML block, misnested tables): libxml2's HTML 4 parser
        # let one such element swallow the article.
        soup = BeautifulSoup(html, "html5lib")
    _number_text(soup)
    body = soup.body or soup
    _drop_junk(body)
    crumb = _find_breadcrumb(body)
    title = _find_title(body, crumb)
    _drop_chrome(body, [t for t in (crumb, title) if t is not None])
    lines = _lines(body)
    return _article_span(lines, body, title)


def _number_text(soup: BeautifulSoup) -> None:
    """Give every text node the source line it starts on.

    html5lib records where each start tag is; a text node starts where the
    last start tag before it is, plus the line breaks of the text in between.
    """
    line = 1
    for node in soup.descendants:
        if isinstance(node, Tag):
            line = node.sourceline or line
        elif isinstance(node, NavigableString):
            setattr(node, _LINE_ATTR, line)
            line += node.count("\n")


def _drop_junk(body: Tag) -> None:
    for tag in body.find_all(_JUNK):
        if not tag.decomposed:
            tag.decompose()
    for tag in body.find_all(True):
        if not tag.decomposed and _hidden(tag):
            tag.decompose()


def _hidden(tag: Tag) -> bool:
    return tag.has_attr("hidden") or bool(_HIDDEN_STYLE.search(str(tag.get("style") or "")))


def _find_breadcrumb(body: Tag) -> Tag | None:
    for node in body.find_all(string=_CRUMB_START):
        if isinstance(node, PreformattedString):  # a comment, CDATA, ...
            continue
        block = _block_of(node)
        if text._BREADCRUMB.match(_clean(block.get_text())):
            return block
    return None


def _find_title(body: Tag, crumb: Tag | None) -> Tag | None:
    if crumb is not None and (h1 := crumb.find_next("h1")) is not None:
        return h1
    for h1 in body.find_all("h1"):
        # A site name in an <h1> inside the page header is not the title.
        if not any(_is_chrome(t) for t in (h1, *h1.parents) if isinstance(t, Tag)):
            return h1
    return None


def _drop_chrome(body: Tag, keep: Sequence[Tag]) -> None:
    total = _paragraph_mass(body)
    stack = [c for c in body.contents if isinstance(c, Tag)]
    while stack:
        el = stack.pop()
        if _is_chrome(el) and not _guarded(el, keep, total):
            el.decompose()
        else:
            stack.extend(c for c in el.contents if isinstance(c, Tag))


def _guarded(el: Tag, keep: Sequence[Tag], total: int) -> bool:
    """Whether ``el`` holds the article, however chrome-like its name."""
    if any(_within(k, el) for k in keep):
        return True
    # A container with most of the page's paragraph text is the article
    # (a theme may well call it "main-side" or wrap it in a <form>).
    return total > 0 and 2 * _paragraph_mass(el) > total


def _paragraph_mass(el: Tag) -> int:
    return sum(len(p.get_text(strip=True)) for p in el.find_all("p"))


def _is_chrome(el: Tag) -> bool:
    name = el.name
    if name in _CHROME_TAGS:
        return True
    if name in _SCOPED_CHROME_TAGS and el.find_parent(["article", "main"]) is None:
        return True
    if str(el.get("role") or "").strip().lower() in _CHROME_ROLES:
        return True
    classes = el.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    tokens = [*classes, *str(el.get("id") or "").split()]
    for token in tokens:
        token = token.lower()
        parts = [p for p in re.split(r"[-_]", token) if p]
        if token in _STRONG or any(p in _STRONG for p in parts):
            return True
        if (token in _WEAK or any(p in _WEAK for p in parts)) and not any(p in _CONTENT for p in parts):
            return True
    return False


def _lines(root: Tag) -> list[_Line]:
    """One line per rendered block, in document order; inline text joined as is."""
    out: list[_Line] = []
    pieces: list[str] = []
    first: list[int] = []  # source line of the first visible text in ``pieces``
    owners = [root]

    def flush() -> None:
        line = _clean("".join(pieces))
        if line:
            out.append((first[0] if first else owners[-1].sourceline or 0, line, owners[-1]))
        pieces.clear()
        first.clear()

    stack: list[tuple[PageElement, bool]] = [(c, False) for c in reversed(root.contents)]
    while stack:
        node, leaving = stack.pop()
        if isinstance(node, Tag):
            if leaving:
                flush()
                owners.pop()
                continue
            name = node.name
            if name in ("br", "hr"):
                flush()
                continue
            if name == "pre":
                flush()
                out.extend(_pre_lines(node))
                continue
            if name in _CELLS and pieces:
                pieces.append(" ")  # cells of a row render side by side
            if name in _BLOCK:
                flush()
                owners.append(node)
                stack.append((node, True))
            stack.extend((c, False) for c in reversed(node.contents))
        elif _is_text(node):
            s = str(node)
            if not first and s.strip():
                lead = len(s) - len(s.lstrip())
                first.append(getattr(node, _LINE_ATTR, 0) + s.count("\n", 0, lead))
            pieces.append(s)
    flush()
    return out


def _pre_lines(pre: Tag) -> list[_Line]:
    # Preformatted text keeps its line breaks: each source line is a line.
    nodes = [n for n in pre.descendants if _is_text(n) or (isinstance(n, Tag) and n.name == "br")]
    raw = "".join("\n" if isinstance(n, Tag) else str(n) for n in nodes)
    start = next((getattr(n, _LINE_ATTR, 0) for n in nodes if not isinstance(n, Tag)), pre.sourceline or 0)
    out: list[_Line] = []
    for offset, part in enumerate(raw.split("\n")):
        part = part.replace("\xa0", " ").strip()
        if part:
            out.append((start + offset, part, pre))
    return out


def _is_text(node: PageElement) -> bool:
    return isinstance(node, NavigableString) and not isinstance(node, PreformattedString)


def _clean(raw: str) -> str:
    raw = _CJK_BREAK.sub("", raw)
    return _HTML_SPACE.sub(" ", raw).replace("\xa0", " ").strip()


def _block_of(node: PageElement) -> Tag:
    assert node.parent is not None
    block = node.parent
    while block.name not in _BLOCK and block.parent is not None:
        block = block.parent
    return block


# --- the article within the page's lines --------------------------------------------


def _article_span(lines: list[_Line], body: Tag, title: Tag | None) -> list[_Line]:
    """Cut the article out of the page: breadcrumb (or title) to the end of its related list."""
    if not lines:
        return lines
    start = next((i for i, (_, t, _) in enumerate(lines) if text._BREADCRUMB.match(t)), None)
    if start is None:
        start = next((i for i, (_, _, owner) in enumerate(lines) if title is not None and owner is title), 0)
    end = _related_end(lines, start)
    if end is None:
        end = _region_end(lines, start, body)
    return lines[start : end + 1]


def _is_footer_line(line: str) -> bool:
    return line in text._CHROME or bool(text._COPYRIGHT.match(line) or text._SOURCE.match(line))


def _related_end(lines: Sequence[_Line], start: int) -> int | None:
    """Index of the last line of the related list, if the page has one."""
    marker = None
    footer_seen = False
    # Like the text reader, a related list only counts after the footer, so a
    # body heading ending in 相关文章 does not cut the article short.
    for i in range(start, len(lines)):
        line = lines[i][1]
        if _is_footer_line(line):
            footer_seen = True
        elif footer_seen and len(line) <= 80 and text._RELATED.search(line):
            marker = i
            break
    if marker is None:
        return None
    container = _related_container(lines[marker][2])
    end = marker
    if container is None:
        return len(lines) - 1
    for j in range(marker + 1, len(lines)):
        if not _within(lines[j][2], container):
            break
        end = j
    return end


def _related_container(marker: Tag) -> Tag | None:
    """The element holding the related list that follows ``marker``."""
    el = marker
    while el.parent is not None:
        sibling = next((s for s in el.next_siblings if isinstance(s, Tag) and s.get_text(strip=True)), None)
        if sibling is not None:
            # A list (<ul>, or a wrapper of items) is the list; loose items
            # after the marker end with the marker's parent.
            items = [c for c in sibling.children if isinstance(c, Tag) and c.get_text(strip=True)]
            return sibling if sibling.name in ("ul", "ol", "dl") or len(items) >= 2 else el.parent
        # The marker sits alone in a heading wrapper: the list follows the wrapper.
        el = el.parent
    return None


def _region_end(lines: Sequence[_Line], start: int, body: Tag) -> int:
    """Without a related list, the article ends with the element holding its text."""
    anchors = [lines[start][2]]
    anchors += [owner for _, t, owner in lines[start:] if _is_footer_line(t)]
    home = _text_home(body)
    if home is not None:
        anchors.append(home)
    region = _common_ancestor(anchors)
    end = start
    for j in range(start + 1, len(lines)):
        if not _within(lines[j][2], region):
            break
        end = j
    return end


def _text_home(body: Tag) -> Tag | None:
    """The element whose own paragraphs hold the most text: the article body."""
    mass: dict[int, int] = {}
    parents: dict[int, Tag] = {}
    for p in body.find_all("p"):
        parent = p.parent
        if parent is None:
            continue
        mass[id(parent)] = mass.get(id(parent), 0) + len(p.get_text(strip=True))
        parents[id(parent)] = parent
    if not mass:
        return None
    return parents[max(mass, key=mass.__getitem__)]


def _common_ancestor(elements: Sequence[Tag]) -> Tag:
    path = [elements[0], *elements[0].parents]
    at = 0
    for el in elements[1:]:
        ancestry = {id(a) for a in (el, *el.parents)}
        while at < len(path) - 1 and id(path[at]) not in ancestry:
            at += 1
    return path[at]


def _within(el: Tag, container: Tag) -> bool:
    return el is container or any(a is container for a in el.parents)
