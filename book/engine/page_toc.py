"""The page's table of contents as pydata-sphinx-theme makes it, without BeautifulSoup.

For every page the theme parses Sphinx's table of contents of the page (a
nest of ``<ul>``, ``<li>`` and ``<a>``) with BeautifulSoup, adds CSS classes
and prints it back: 1.7 s of writing at 1,000 articles (py-spy), most of it
the parse.  Here the same classes are added to the same elements, following
the theme's own steps, in a small tree read by one regular expression, and the
result is printed as BeautifulSoup prints it.

Only a table of contents of the plain shape Sphinx writes is read this way:
the three tags, ``class`` and ``href`` attributes in double quotes, and no
character reference or stray ``<``, ``>`` or ``&`` anywhere.  Anything else
(a heading with ``&`` in it, say) goes to the theme's function unchanged.
``tests/test_page_toc.py`` holds both to the same output.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from . import patches

_TOKEN = re.compile(r'<(/?)(ul|li|a)((?: (?:class|href)="[^"<>&\r\0]*")*)>|([^<>&\r\0]+)')
# BeautifulSoup keeps a text of ASCII whitespace alone as one newline (if it has one) or one space.
_ASCII_SPACES = frozenset("\x20\x0a\x09\x0c\x0d")
_ATTRIBUTE = re.compile(r' (class|href)="([^"]*)"')


class _Element:
    __slots__ = ("name", "attrs", "children", "parent")

    def __init__(self, name: str, attrs: dict[str, Any], parent: _Element | None) -> None:
        self.name = name
        self.attrs = attrs
        self.children: list[_Element | str] = []
        self.parent = parent

    def elements(self, name: str, recursive: bool = True) -> list[_Element]:
        """Descendants (or children) named ``name``, in document order."""
        found = []
        for child in self.children:
            if isinstance(child, _Element):
                if child.name == name:
                    found.append(child)
                if recursive:
                    found += child.elements(name)
        return found

    def first(self, name: str, recursive: bool = True) -> _Element | None:
        for child in self.children:
            if isinstance(child, _Element):
                if child.name == name:
                    return child
                if recursive and (inner := child.first(name)) is not None:
                    return inner
        return None

    def with_class(self, name: str) -> list[_Element]:
        found = []
        for child in self.children:
            if isinstance(child, _Element):
                if name in child.attrs.get("class", ()):
                    found.append(child)
                found += child.with_class(name)
        return found

    def add_classes(self, *names: str) -> None:
        self.attrs["class"] = [*self.attrs.get("class", []), *names]

    def html(self) -> str:
        inner = "".join(c if isinstance(c, str) else c.html() for c in self.children)
        if not self.name:
            return inner
        attrs = "".join(
            f' {key}="{" ".join(value) if isinstance(value, list) else value}"' for key, value in self.attrs.items()
        )
        return f"<{self.name}{attrs}>{inner}</{self.name}>"


def _parse(html: str) -> _Element | None:
    """The tree of a table of contents of the plain shape, or None for any other text."""
    root = _Element("", {}, None)
    node = root
    position = 0
    for match in _TOKEN.finditer(html):
        if match.start() != position:
            return None
        position = match.end()
        closing, name, attributes, text = match.groups()
        if text is not None:
            if _ASCII_SPACES.issuperset(text):
                text = "\n" if "\n" in text else " "
            node.children.append(text)
        elif closing:
            if attributes or node.name != name:
                return None
            node = node.parent  # type: ignore[assignment]
        else:
            attrs: dict[str, Any] = {}
            for key, value in _ATTRIBUTE.findall(attributes):
                if key in attrs:
                    return None
                # BeautifulSoup reads class as a list of names.
                attrs[key] = value.split() if key == "class" else value
            element = _Element(name, attrs, node)
            node.children.append(element)
            node = element
    if position != len(html) or node is not root:
        return None
    return root


def toc_html(toc: str, show_toc_level: int) -> str | None:
    """What pydata-sphinx-theme's ``generate_toc_html()`` prints for ``toc`` (0.17), or
    None when ``toc`` is not of the plain shape read here or has not one title."""
    soup = _parse(toc)
    if soup is None:
        return None

    # The theme's steps, in its order.
    def add_header_level_recursive(ul: _Element | None, level: int) -> None:
        if ul is None:
            return
        if level <= show_toc_level + 1:
            ul.add_classes("pst-show_toc_level")
        for li in ul.elements("li", recursive=False):
            li.add_classes(f"toc-h{level}")
            add_header_level_recursive(li.first("ul", recursive=False), level + 1)

    add_header_level_recursive(soup.first("ul"), 1)
    for ul in soup.elements("ul"):
        ul.add_classes("nav", "section-nav", "flex-column")
    for li in soup.elements("li"):
        a = li.first("a")
        li.add_classes("nav-item", "toc-entry")
        if a is not None:
            a.add_classes("nav-link")
    h1_headers = soup.with_class("toc-h1")
    if len(h1_headers) != 1:
        # The theme returns the whole parsed text, which is true even when empty; rare
        # enough (a page whose headings start at two top-level sections) to leave to it.
        return None
    title = h1_headers[0]
    if not title.with_class("toc-h2"):
        return ""
    ul = title.first("ul")
    return None if ul is None else ul.html()


def install(context: dict[str, Any]) -> None:
    """Give the page's context a ``generate_toc_html`` that answers from ``toc_html``
    when it can and asks the theme's otherwise."""
    original: Callable[..., Any] | None = context.get("generate_toc_html")
    if original is None or getattr(original, "_book_page_toc", False):
        return
    made: dict[str, Any] = {}

    def generate_toc_html(kind: str = "html") -> Any:
        if kind != "html" or "toc" not in context:
            return original(kind)
        if "html" not in made:
            fast = toc_html(context["toc"], int(context.get("theme_show_toc_level", 1)))
            made["html"] = original(kind) if fast is None else fast
        return made["html"]

    generate_toc_html._book_page_toc = True  # type: ignore[attr-defined]
    context["generate_toc_html"] = generate_toc_html


def wrap_theme(app: Any) -> bool:
    """Make pydata-sphinx-theme's ``html-page-context`` listener that defines the page's
    template functions install ours after it, before anything renders a template (the
    theme's check for empty templates renders some with the same priority)."""
    try:
        from pydata_sphinx_theme import toctree
    except ImportError:
        return False
    original = toctree.add_toctree_functions

    def add_toctree_functions(app: Any, pagename: str, templatename: str, context: Any, doctree: Any) -> None:
        original(app, pagename, templatename, context, doctree)
        install(context)

    return patches.replace_listener(
        app,
        "html-page-context",
        original,
        add_toctree_functions,
        package="pydata-sphinx-theme",
        name="page toc without BeautifulSoup",
    )
