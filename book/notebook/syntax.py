"""The text shapes of a MyST Markdown notebook: front matter, cell breaks, fences, headings.

Defined once, here.  The writer makes these shapes; the catalog, the re-import guard,
identity, fidelity and the quality table read our notebooks with them; the engine's cell
scanner and warm kernel find cells in any MyST notebook with them.  Plain ``re`` and
``json`` only, so that every layer may import it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

# The two marker lines, as written: a front-matter fence and a bare cell break.
FENCE_LINE = "---"
BREAK_LINE = "+++"

# The front matter jupytext writes: '---' lines at the very start, YAML between.
FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.DOTALL)

# A cell break as our readers take it: '+++' alone on a line, optionally with JSON metadata.
CELL_BREAK = re.compile(r"^\+\+\+\s*(\{.*\})?\s*$")
# The same line found anywhere in a text.  It starts with the literal so that ``re`` can skip
# to it (a leading ``^`` under MULTILINE is tried at every character); a caller checks that a
# match starts a line.
CELL_BREAK_IN_TEXT = re.compile(r"\+\+\+[^\S\n]*(\{.*\})?[^\S\n]*$", re.MULTILINE)

# A break exactly as markdown-it-py's MyST block-break rule tokenizes it at the margin, and a
# backtick fence opening there: the engine's scanner vouches for a text only in these shapes.
MYST_BREAK = re.compile(r"\+\+\+(?: ([^+ \t].*))?")
FENCE_OPEN = re.compile(r"(`{3,})([^`]*)")

# A ``{code-cell}`` and its source, in a text written with backtick fences.
CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)

# The first line of a code cell in any fence myst-nb reads as one: ```, ~~~ or :::.
ANY_CODE_CELL = re.compile(r"^ {0,3}(?:`{3,}|~{3,}|:{3,})\s*\{code-cell\}")

# Lines the writer puts around article text: fences of containers, and labels (``(key)=``).
MARKUP_LINE = re.compile(r"^(?:```|\(.*\)=$)")
# A line that is only bold text: an intro or summary marker, or a list item's lead alone.
BOLD_LINE = re.compile(r"^\*\*.*\*\*$")
HEADING = re.compile(r"^(#{1,6})\s+(.*)$")

# What opens a page the site generates (category, tag, stub pages): no toc entry needed.
ORPHAN_FRONT_MATTER = (FENCE_LINE, "orphan: true", FENCE_LINE)

# The part of the notebook before its first cell break: title, byline.
HEAD = "head"


def part_of(metadata: str | None, default: str = "body") -> str:
    """The ``part`` a cell break's JSON metadata names; ``default`` for a bare or unreadable one."""
    if not metadata:
        return default
    try:
        return str(json.loads(metadata).get("part", default))
    except (ValueError, AttributeError):
        return default


@dataclass(frozen=True)
class Cell:
    """A markdown cell of a notebook's body: its part, and its lines with the number of the first."""

    part: str
    first_line: int
    lines: list[str]


def cells(body: str, first_line: int = 1) -> list[Cell]:
    """The cells of a notebook body (the text after its front matter), split at cell breaks.

    ``first_line`` is the file's line number of the body's first line.  Text before the first
    break is the :data:`HEAD` cell; the break lines themselves belong to no cell.
    """
    found: list[Cell] = []
    part, start, lines = HEAD, first_line, []
    for number, line in enumerate(body.split("\n"), start=first_line):
        if m := CELL_BREAK.match(line):
            found.append(Cell(part, start, lines))
            part, start, lines = part_of(m.group(1)), number + 1, []
        else:
            lines.append(line)
    found.append(Cell(part, start, lines))
    return found


def body_of(text: str) -> tuple[str, int]:
    """A notebook's text after its front matter, and the line number it starts at (the whole
    text from line 1 when there is no front matter)."""
    m = FRONT_MATTER.match(text)
    if not m:
        return text, 1
    return text[m.end() :], text.count("\n", 0, m.end()) + 1


def code_cells(text: str) -> list[str]:
    """The sources of the ``{code-cell}`` cells of a text."""
    return [m.group(1) for m in CODE_CELL.finditer(text)]
