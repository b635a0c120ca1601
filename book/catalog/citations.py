"""Which articles an article's text links to, and the line that does.

An article's text cites another when a line holds a Markdown link a contributor wrote (to the
other notebook, its page or its title's label, or a ``{doc}`` role), or when the source text
itself names the other article's address (its ``source_url``, as the site's 本文链接 does).
Text the notebook writer escaped (``\\[…\\](…)``) is the source's own words, not a link, so it
is not read as one; a bare address in it is.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable

from ..escape import unescape
from ..model import Entry
from ..slug import title_key

# A Markdown link whose opening bracket is not escaped: [text](dest) or [text](<dest>).
_LINK = re.compile(r"(?<!\\)\[((?:[^\]\\]|\\.)*)\]\((?:<([^>\n]*)>|([^()\s]+))[^)]*\)")
_DOC_ROLE = re.compile(r"\{doc\}`(?:[^`<]*<([^>`]+)>|([^`]+))`")
_URL = re.compile(r"https?://[^\s<>()\[\]{}\"'，。；、）》」]+", re.IGNORECASE)


def targets_in(line: str) -> list[str]:
    """The link targets on one line of a notebook's text, in order: Markdown links and
    ``{doc}`` roles as written, then addresses named in the text."""
    found = [m.group(2) or m.group(3) for m in _LINK.finditer(line)]
    found += [m.group(1) or m.group(2) for m in _DOC_ROLE.finditer(line)]
    text = _LINK.sub(" ", line)  # a link's destination is already counted
    found += [m.group(0).rstrip(".,;:!?") for m in _URL.finditer(unescape(text))]
    return [t.strip() for t in found if t and t.strip()]


def shown_line(line: str) -> str:
    """The line as a reader sees it: links as their text, escapes undone, spaces collapsed."""
    text = _LINK.sub(lambda m: m.group(1), line)
    text = _DOC_ROLE.sub(lambda m: m.group(2) or m.group(1) or "", text)
    return " ".join(unescape(text).split())


def normal_url(url: str) -> str:
    """An address in the form two spellings of it share: no scheme, fragment or trailing slash."""
    url = url.strip().split("#", 1)[0]
    url = re.sub(r"^https?://", "", url, flags=re.IGNORECASE)
    host, _, path = url.partition("/")
    return (host.lower().removeprefix("www.") + "/" + path).rstrip("/")


class Resolver:
    """Link targets as written in one notebook → the id of the article they name."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.by_path: dict[str, str] = {}
        self.by_url: dict[str, str] = {}
        self.by_label: dict[str, str] = {}
        for e in entries:
            self.by_path[e.path.removesuffix(".md")] = e.id
            if e.source_url:
                self.by_url[normal_url(e.source_url)] = e.id
            self.by_label[title_key(e.title)] = e.id

    def resolve(self, target: str, here: str) -> str | None:
        """The article ``target`` names, written in the notebook at ``here`` (a book path)."""
        if re.match(r"^https?://", target, re.IGNORECASE):
            return self.by_url.get(normal_url(target))
        path, _, fragment = target.partition("#")
        if not path:
            return self.by_label.get(fragment)
        if ":" in path.split("/", 1)[0]:  # another scheme: mailto:, ftp:, …
            return None
        if path.startswith("/"):
            joined = path.lstrip("/")
        else:
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(here), path))
        for suffix in (".md", ".html", ".ipynb"):
            joined = joined.removesuffix(suffix)
        return self.by_path.get(joined)


def cited(entries: list[Entry]) -> list[tuple[str, str, str]]:
    """``(citing id, cited id, citing line)`` for every article whose text links to another,
    the first line that does for each pair, in the citing articles' order."""
    resolver = Resolver(entries)
    out: list[tuple[str, str, str]] = []
    for e in entries:
        seen: set[str] = set()
        for target, line in e.links:
            cited_id = resolver.resolve(target, e.path)
            if cited_id is not None and cited_id != e.id and cited_id not in seen:
                seen.add(cited_id)
                out.append((e.id, cited_id, line))
    return out
