"""Our MyST notebooks, the only code that knows their text: ``writer`` makes a notebook of an
article (through jupytext), ``page`` reads one back (front matter and body), ``syntax`` holds
the shapes both use (front matter, cell breaks, fences, headings).

Layout of an article notebook: YAML front matter (jupytext header, python3 kernelspec,
``article:`` metadata); then markdown cells: title and byline; intro; one cell per top-level
section; summary; copyright and source link; related articles.  Cell metadata ``part`` names
the role of each cell.
"""

from .page import (
    Page,
    article_field,
    article_meta,
    has_capture_record,
    read_head,
    read_page,
    same_content,
    split_front_matter,
    strip_front_matter,
)
from .syntax import Cell, body_of, cells, code_cells
from .writer import FORMAT, KERNELSPEC, is_edited, libyaml_emits_alike, metadata, to_notebook, writes

__all__ = [
    "FORMAT",
    "KERNELSPEC",
    "Cell",
    "Page",
    "article_field",
    "article_meta",
    "body_of",
    "cells",
    "code_cells",
    "has_capture_record",
    "is_edited",
    "libyaml_emits_alike",
    "metadata",
    "read_head",
    "read_page",
    "same_content",
    "split_front_matter",
    "strip_front_matter",
    "to_notebook",
    "writes",
]
