"""Reading a notebook back: its front matter and body, as the catalog, ``check`` and the
importer need them, without jupytext (the catalog reads thousands of notebooks)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .syntax import FRONT_MATTER


@dataclass(frozen=True)
class Page:
    """A notebook as the catalog sees it: its front matter and its markdown body."""

    path: Path
    meta: dict[str, Any]  # the whole front matter
    body: str
    body_line: int  # 1-based line where the body starts (for file:line messages)

    @property
    def article(self) -> dict[str, Any]:
        value = self.meta.get("article")
        return value if isinstance(value, dict) else {}


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def split_front_matter(text: str, path: Path) -> Page:
    """Parse a notebook's front matter.

    Raises ``yaml.YAMLError`` (with a problem_mark) or ``ValueError`` on broken front matter.
    """
    m = FRONT_MATTER.match(text)
    if not m:
        raise ValueError("the notebook does not start with a '---' front-matter block")
    meta = yaml.load(m.group(1), Loader=_Loader) or {}
    if not isinstance(meta, dict):
        raise ValueError("the front matter is not a mapping of keys to values")
    return Page(path=path, meta=meta, body=text[m.end() :], body_line=text[: m.end()].count("\n") + 1)


def read_page(path: Path) -> Page:
    return split_front_matter(path.read_text(encoding="utf-8"), path)


def article_meta(text: str) -> dict[str, Any]:
    """The ``article:`` front matter of a notebook text; ``{}`` when it has none or it is broken."""
    try:
        return split_front_matter(text, Path("")).article
    except (ValueError, yaml.YAMLError):
        return {}


def article_field(text: str, key: str) -> tuple[int, str] | None:
    """The line number and text of an ``article:`` field as the writer wrote it (``key: value``
    on one line of the front matter), for messages that point at it; ``None`` if there is none."""
    prefix = f"  {key}: "
    for number, line in enumerate(text.split("\n---\n", 1)[0].split("\n"), start=1):
        if line.startswith(prefix):
            return number, line[len(prefix) :]
    return None


def strip_front_matter(text: str) -> tuple[str, int]:
    """The text after a leading ``---`` … ``---`` block, and how many lines were dropped.

    Looser than :func:`split_front_matter` (a delimiter may carry spaces, CRLF ends pass): the
    quality table reads any notebook a contributor left, and a text it cannot split stays text.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return text, 0
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return "".join(lines[i + 1 :]), i + 1
    return text, 0  # unterminated: treat it all as text rather than lose it


# Front matter about how a notebook was made, not about the article it holds.
_RECORD_KEYS = ("capture", "title_missing", "checksum")


def same_content(text_a: str, text_b: str) -> bool:
    """Whether two notebooks hold the same article alike, whatever captures they were read from.

    The same page as .txt and as .html renders to the same notebook but for the ``capture``
    record (file, digest, lines) and the checksum over it.
    """
    try:
        a, b = split_front_matter(text_a, Path("")), split_front_matter(text_b, Path(""))
    except (ValueError, yaml.YAMLError):
        return False

    def article(page: Page) -> dict[str, Any]:
        return {k: v for k, v in page.article.items() if k not in _RECORD_KEYS}

    rest_a = {k: v for k, v in a.meta.items() if k != "article"}
    rest_b = {k: v for k, v in b.meta.items() if k != "article"}
    return a.body == b.body and rest_a == rest_b and article(a) == article(b)


def has_capture_record(text: str) -> bool:
    """Whether a notebook records the capture it was read from (notebooks imported before did not)."""
    return "\n  capture:\n" in text.split("\n---\n", 1)[0]


# --- the id and title at the top of a notebook, read without YAML where YAML would agree ----------

_ID_LINE = re.compile(r"^  id: (.+)$", re.MULTILINE)
QUOTED_WORD = re.compile(r"'(\w+)'")
_TITLE_KEY = re.compile(r"^  title: .*(?:\n    .*)*", re.MULTILINE)
_PLAIN = re.compile(r"[^\s'\"!&*|>%@`#,\[\]{}?:-][^\n]*")
HEAD_BYTES = 4096  # the writer puts id and title in the first lines of the front matter


def read_head(path: Path) -> tuple[str | None, str | None]:
    """The article id and title a notebook's first lines record (``None`` for one not found).

    The import reads every notebook of the book this way, so the rest of a long notebook is
    not read and most values are taken without YAML.
    """
    with open(path, "rb") as file:
        head = file.read(HEAD_BYTES).decode("utf-8", errors="replace")
    return id_in(head), title_in(head)


def id_in(head: str) -> str | None:
    m = _ID_LINE.search(head)
    if not m:
        return None
    if quoted := QUOTED_WORD.fullmatch(m.group(1)):
        return quoted.group(1)  # what YAML makes of '67202', without YAML
    try:
        return str(yaml.safe_load(m.group(1)))
    except yaml.YAMLError:
        return None


def title_in(head: str) -> str | None:
    m = _TITLE_KEY.search(head)
    if m is None:
        return None
    value_text = m.group(0).removeprefix("  title: ")
    if _PLAIN.fullmatch(value_text) and ": " not in value_text and " #" not in value_text:
        return value_text.rstrip()  # a plain one-line scalar, as most titles are: YAML would read it as is
    # Quoted, or wrapped onto lines indented under it: YAML reads them back as one.
    try:
        value = yaml.load(m.group(0).replace("\n  ", "\n"), Loader=_Loader)
    except yaml.YAMLError:
        return None
    title = value.get("title") if isinstance(value, dict) else None
    return str(title) if title is not None else None
