"""What each article page shows of the rest of the book: its 相关文章 and its 被引用.

Made by ``index`` from the catalog (the ``similar``, ``related`` and ``cites`` relations)
and written as one JSON file per article (``layout.neighbours_path``), which the page reads
when it is built (``book.site.neighbour_sections``).  The article's notebook is never
touched: the contributor's text stays theirs.

- **相关文章**: the articles most alike by content (``book.catalog.similar``), then, while
  fewer than ``MIN_RELATED`` are listed, articles of the same topic and of the same category,
  so that every article points to at least that many full articles wherever the book has them.
- **被引用**: every article of the book whose related list or text links to this one, with the
  line that does.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from ..catalog import citations
from ..layout import neighbours_path
from ..model import Entry, Tables
from ..slug import title_key

MIN_RELATED = 3
MAX_RELATED = 5
MAX_CITED_BY = 50  # a page cited by more lists these and says how many there are
LINE_CHARS = 160


def _doc(e: Entry) -> str:
    return e.path.removesuffix(".md")


def _clip(line: str) -> str:
    return line if len(line) <= LINE_CHARS else line[: LINE_CHARS - 1] + "…"


def _related_owner(item: dict[str, Any], titles: dict[str, str]) -> str | None:
    """The article a related-list item names: by id where it has one, else by its title."""
    if item.get("id") is not None:
        return str(item["id"])
    return titles.get(title_key(str(item.get("title") or "")))


def _cited_by(entries: list[Entry], by_id: dict[str, Entry], titles: dict[str, str]) -> dict[str, list[dict[str, str]]]:
    """Each article id → the articles that link to it: related lists first, in each citing
    article's order, then links in the text; one line per citing article."""
    cited: dict[str, list[dict[str, str]]] = defaultdict(list)
    citing: set[tuple[str, str]] = set()
    for e in entries:
        for item in e.related:
            target = _related_owner(item, titles)
            if target in by_id and target != e.id and (e.id, target) not in citing:
                citing.add((e.id, target))
                listed = " ".join(str(item.get("title") or by_id[target].title).split())
                cited[target].append(
                    {
                        "doc": _doc(e),
                        "title": e.title,
                        "how": "related",
                        "list": e.related_heading,
                        "line": _clip(listed),
                    }
                )
    for source, target, line in citations.cited(entries):
        if target in by_id and (source, target) not in citing:
            citing.add((source, target))
            cited[target].append(
                {"doc": _doc(by_id[source]), "title": by_id[source].title, "how": "text", "line": _clip(line)}
            )
    return cited


def neighbours(entries: list[Entry], tables: Tables) -> dict[str, str]:
    """Each article's neighbours file: book path → its JSON text (deterministic)."""
    by_id = {e.id: e for e in entries}
    titles = {title_key(e.title): e.id for e in entries}
    rel = tables.relations
    similar: dict[str, list[tuple[str, float]]] = defaultdict(list)
    rows = rel.loc[rel["kind"] == "similar", ["source_id", "target_id", "weight"]]
    for source, target, weight in rows.itertuples(index=False):
        similar[str(source)].append((str(target), float(weight)))
    by_topic: dict[tuple[tuple[str, ...], str], list[Entry]] = defaultdict(list)
    by_category: dict[tuple[str, ...], list[Entry]] = defaultdict(list)
    for e in entries:
        by_topic[(e.category, e.topic)].append(e)
        by_category[e.category].append(e)
    cited_by = _cited_by(entries, by_id, titles)

    out: dict[str, str] = {}
    for e in entries:
        listed = {_related_owner(item, titles) for item in e.related}
        ranked = sorted(similar.get(e.id, []), key=lambda tw: -tw[1])  # stable: ids break ties as catalog sorted
        chosen = [(by_id[t], w, "content") for t, w in ranked if t in by_id and t != e.id][:MAX_RELATED]
        taken = {e.id, *(other.id for other, _, _ in chosen)}
        fill = (("topic", by_topic[(e.category, e.topic)]), ("category", by_category[e.category]), ("book", entries))
        for why, group in fill:
            for other in group:
                if len(chosen) >= MIN_RELATED:
                    break
                if other.id not in taken:
                    taken.add(other.id)
                    chosen.append((other, 0.0, why))
        cites = cited_by.get(e.id, [])
        data: dict[str, Any] = {
            "source_list": e.related_heading,
            "related": [
                {"doc": _doc(o), "title": o.title, "score": w, "why": why, "in_source": o.id in listed}
                for o, w, why in chosen
            ],
            "cited_by": cites[:MAX_CITED_BY],
            "cited_by_count": len(cites),
        }
        out[neighbours_path(_doc(e))] = (
            json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
        )
    return out
