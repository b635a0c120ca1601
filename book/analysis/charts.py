"""Charts of the catalog tables, labelled in Chinese.

Every function returns a :class:`matplotlib.figure.Figure` built directly,
not through pyplot: no global figure list to leak or close, no dependence on
the backend (the notebook shows them with ``display(fig)``; tests save them
with Agg).  Each one first calls :func:`book.analysis.fonts.use_cjk_font`, because
text artists read the font from rcParams when they are created.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from . import fonts

FULL_COLOR = "#3b6ea5"
STUB_COLOR = "#e0a458"
SOURCE_LABELS = {"curated": "人工标注", "category": "分类", "keyword": "关键词"}
SOURCE_COLORS = {"curated": "#5b8c5a", "category": "#3b6ea5", "keyword": "#c98b4b"}
KIND_LABELS = {"related": "相关文章", "shared-tags": "共享标签"}
NO_CATEGORY = "未分类"
NO_DATA = "暂无数据"


# ---------------------------------------------------------------- helpers


def _figure(width: float, height: float) -> tuple[Figure, Axes]:
    fonts.use_cjk_font()
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def _bar_height(n: int) -> float:
    # Enough room per bar that 10-point Chinese tick labels do not overlap.
    return min(2.0 + 0.32 * max(n, 1), 24.0)


def is_stub(articles: pd.DataFrame) -> pd.Series:
    """The ``is_stub`` column as real booleans (CSV round trips may give strings or blanks)."""
    if "is_stub" not in articles:
        return pd.Series(False, index=articles.index)
    col = articles["is_stub"]
    if col.dtype == bool:
        return col
    truthy = {"true", "1", "yes", "y", "t"}
    return col.map(lambda v: str(v).strip().lower() in truthy if pd.notna(v) else False).astype(bool)


def _labels_or_default(col: pd.Series, default: str) -> pd.Series:
    return col.fillna("").astype(str).str.strip().replace("", default)


def _no_data(ax: Axes, title: str) -> None:
    ax.set_title(title)
    ax.text(0.5, 0.5, NO_DATA, ha="center", va="center", transform=ax.transAxes, fontsize=14)
    ax.set_axis_off()


def _stacked_barh(ax: Axes, counts: pd.DataFrame, labels: dict[str, str], colors: dict[str, str]) -> None:
    """Horizontal bars, largest at the top, one stacked segment per column of ``counts``."""
    counts = counts.iloc[::-1]  # barh draws the first row at the bottom
    y = np.arange(len(counts))
    left = np.zeros(len(counts))
    for column in counts.columns:
        values = counts[column].to_numpy(dtype=float)
        if not values.any():
            continue
        ax.barh(y, values, left=left, color=colors[column], label=labels[column])
        left += values
    ax.set_yticks(y, labels=[str(i) for i in counts.index])
    for yi, total in zip(y, left, strict=True):
        ax.annotate(str(int(total)), (total, yi), xytext=(3, 0), textcoords="offset points", va="center", fontsize=9)
    ax.set_xlim(0, max(left.max(), 1) * 1.12)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.margins(y=0.01)
    if len([c for c in counts.columns if counts[c].any()]) > 1:
        ax.legend(loc="lower right")


def _full_vs_stub(articles: pd.DataFrame, key: pd.Series, top: int | None) -> tuple[pd.DataFrame, int]:
    stub = is_stub(articles)
    frame = pd.DataFrame({"key": key, "kind": np.where(stub, "stub", "full")})
    counts = pd.crosstab(frame["key"], frame["kind"]).reindex(columns=["full", "stub"], fill_value=0)
    counts = counts.assign(_total=counts.sum(axis=1)).sort_values(["_total"], ascending=False, kind="stable")
    counts = counts.drop(columns="_total")
    total_groups = len(counts)
    if top is not None:
        counts = counts.head(top)
    return counts, total_groups


_ARTICLE_KIND_LABELS = {"full": "全文", "stub": "仅标题与摘要"}
_ARTICLE_KIND_COLORS = {"full": FULL_COLOR, "stub": STUB_COLOR}


# ---------------------------------------------------------------- charts


def articles_per_category(articles: pd.DataFrame, top: int = 30) -> Figure:
    """Articles per category (full text vs. title-and-excerpt stubs), largest first."""
    key = _labels_or_default(articles.get("category", pd.Series(index=articles.index)), NO_CATEGORY)
    counts, total = _full_vs_stub(articles, key, top)
    title = "各分类的文章数" + (f"（前 {top} 个，共 {total} 个分类）" if total > len(counts) else "")
    return _article_counts_chart(counts, title, "分类")


def articles_per_topic(articles: pd.DataFrame, top: int = 20) -> Figure:
    """The ``top`` topics with most articles; articles without a topic are left out."""
    key = articles.get("topic", pd.Series(index=articles.index)).fillna("").astype(str).str.strip()
    has_topic = key != ""
    counts, total = _full_vs_stub(articles[has_topic], key[has_topic], top)
    title = f"文章最多的主题（前 {top} 个，共 {total} 个主题）" if total > len(counts) else "各主题的文章数"
    return _article_counts_chart(counts, title, "主题")


def _article_counts_chart(counts: pd.DataFrame, title: str, ylabel: str) -> Figure:
    """Horizontal bars of full-text and stub articles per group."""
    fig, ax = _figure(8, _bar_height(len(counts)))
    if counts.empty:
        _no_data(ax, title)
        return fig
    _stacked_barh(ax, counts, _ARTICLE_KIND_LABELS, _ARTICLE_KIND_COLORS)
    ax.set_title(title)
    ax.set_xlabel("文章数（篇）")
    ax.set_ylabel(ylabel)
    return fig


def tag_counts(tags: pd.DataFrame) -> pd.DataFrame:
    """One row per tag: how many articles carry it, by which sources, mean weight; most used first."""
    if tags.empty:
        return pd.DataFrame(columns=["tag", "articles", "sources", "mean_weight"])
    grouped = tags.groupby("tag", sort=False)
    table = pd.DataFrame(
        {
            "articles": grouped["article_id"].nunique(),
            "sources": grouped["source"].agg(lambda s: ",".join(sorted(s.dropna().astype(str).unique()))),
            "mean_weight": grouped["weight"].mean().round(3),
        }
    )
    table = table.rename_axis("tag").reset_index()
    return table.sort_values(["articles", "tag"], ascending=[False, True], kind="stable").reset_index(drop=True)


def top_tags(tags: pd.DataFrame, top: int = 20) -> Figure:
    """The ``top`` tags by number of articles, each bar split by where the tag came from."""
    fig, ax = _figure(8, _bar_height(min(top, tags["tag"].nunique() if not tags.empty else 0)))
    table = tag_counts(tags)
    title = f"最常用的标签（前 {top} 个，共 {len(table)} 个标签）" if len(table) > top else "标签使用次数"
    if table.empty:
        _no_data(ax, title)
        return fig
    chosen = table.head(top)["tag"].tolist()
    # An article can get the same tag from two sources; count it once, under
    # the most deliberate source, so the stacked bar adds up to the article count.
    priority = {s: i for i, s in enumerate(SOURCE_LABELS)}
    pairs = tags[tags["tag"].isin(chosen)].assign(_p=lambda d: d["source"].map(priority).fillna(len(priority)))
    pairs = pairs.sort_values("_p", kind="stable").drop_duplicates(["article_id", "tag"])
    counts = pd.crosstab(pairs["tag"], pairs["source"]).reindex(index=chosen, fill_value=0)
    sources = [s for s in SOURCE_LABELS if s in counts.columns] + [s for s in counts.columns if s not in SOURCE_LABELS]
    counts = counts[sources]
    labels = {s: SOURCE_LABELS.get(s, str(s)) for s in sources}
    colors = {s: SOURCE_COLORS.get(s, "#888888") for s in sources}
    _stacked_barh(ax, counts, labels, colors)
    ax.set_title(title)
    ax.set_xlabel("文章数（篇）")
    ax.set_ylabel("标签")
    return fig


def short_title(title: str, max_chars: int = 12) -> str:
    """A graph label: the title's first clause, cut to ``max_chars`` characters."""
    first = re.split(r"[,，;；|｜]", str(title).strip(), maxsplit=1)[0].strip() or str(title).strip()
    return first if len(first) <= max_chars else first[: max_chars - 1] + "…"


def circular_layout(n: int) -> np.ndarray:
    """``n`` points evenly on the unit circle, the first at the top."""
    angles = np.pi / 2 - 2 * np.pi * np.arange(n) / max(n, 1)
    return np.column_stack([np.cos(angles), np.sin(angles)])


def spring_layout(n: int, edges: np.ndarray, weights: np.ndarray | None = None, iterations: int = 200) -> np.ndarray:
    """Fruchterman–Reingold positions in [-1, 1]², deterministic (starts from the circle).

    ``edges`` is an (m, 2) integer array of node indexes.  No random start, so
    the same tables always give the same picture (diffable builds).
    """
    if n == 0:
        return np.zeros((0, 2))
    if n == 1:
        return np.zeros((1, 2))
    pos = circular_layout(n)
    adjacency = np.zeros((n, n))
    if len(edges):
        w = np.ones(len(edges)) if weights is None else np.asarray(weights, dtype=float)
        w = np.where(np.isfinite(w) & (w > 0), w, 1.0)
        np.add.at(adjacency, (edges[:, 0], edges[:, 1]), w)
        np.add.at(adjacency, (edges[:, 1], edges[:, 0]), w)
        adjacency /= adjacency.max()
    k = np.sqrt(4.0 / n)  # ideal distance for a 2×2 frame
    temperature = 0.2
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.linalg.norm(delta, axis=-1)
        np.clip(distance, 0.01, None, out=distance)
        # repulsion k²/d between every pair, attraction d²/k along edges
        force = (k * k / distance**2) - (adjacency * distance / k)
        displacement = np.einsum("ij,ijd->id", force, delta)
        # Gravity d²/k towards the centre: without it unconnected articles are
        # pushed to the rim and the final rescale squeezes the real clusters.
        radius = np.linalg.norm(pos, axis=-1, keepdims=True)
        displacement -= pos * radius / k
        length = np.linalg.norm(displacement, axis=-1)
        np.clip(length, 0.01, None, out=length)
        pos += displacement * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cooling
    pos -= pos.mean(axis=0)
    scale = np.abs(pos).max()
    return pos / scale if scale > 0 else pos


def relations_graph(articles: pd.DataFrame, relations: pd.DataFrame, max_nodes: int = 40) -> Figure:
    """The relation graph: articles and stubs as labelled nodes, relations as edges.

    With more than ``max_nodes`` articles only the most connected are drawn
    (the title says so): a few thousand labelled nodes would be unreadable.
    """
    ids = articles["id"].astype(str).tolist()
    titles = dict(zip(ids, articles["title"].fillna("").astype(str), strict=True))
    stubs = dict(zip(ids, is_stub(articles), strict=True))
    rel = relations.assign(source_id=relations["source_id"].astype(str), target_id=relations["target_id"].astype(str))
    rel = rel[rel["source_id"] != rel["target_id"]]
    # Relations may name an article the table lacks; draw it rather than drop the edge.
    known = list(dict.fromkeys([*ids, *rel["source_id"], *rel["target_id"]]))
    degree = pd.concat([rel["source_id"], rel["target_id"]]).value_counts()
    total = len(known)
    if total > max_nodes:
        first_seen = {node: i for i, node in enumerate(known)}
        order = sorted(known, key=lambda i: (-int(degree.get(i, 0)), first_seen[i]))
        keep = set(order[:max_nodes])
        known = [i for i in known if i in keep]
    index = {node: i for i, node in enumerate(known)}
    rel = rel[rel["source_id"].isin(index) & rel["target_id"].isin(index)]

    title = "文章关系图" + (f"（连接最多的 {len(known)} 篇，共 {total} 篇）" if total > len(known) else "")
    size = 7 if len(known) <= 30 else 10
    fig, ax = _figure(size + 1, size)
    if not known:
        _no_data(ax, title)
        return fig

    edges = rel[["source_id", "target_id"]].map(index.get).to_numpy(dtype=int).reshape(-1, 2)
    weights = None
    if len(rel) and "weight" in rel:
        weights = pd.to_numeric(rel["weight"], errors="coerce").fillna(1.0).to_numpy()
    pos = spring_layout(len(known), edges, weights)

    kinds = rel["kind"].fillna("").astype(str).to_numpy() if len(rel) else np.array([])
    styles = {"related": ("#555555", "solid", 1.2), "shared-tags": ("#9fb6cd", "dashed", 0.9)}
    handles: list[Artist] = []
    for kind in dict.fromkeys(kinds):
        color, linestyle, width = styles.get(kind, ("#bbbbbb", "dotted", 0.8))
        segments = pos[edges[kinds == kind]]
        ax.add_collection(LineCollection(segments, colors=color, linestyles=linestyle, linewidths=width, zorder=1))
        handles.append(
            Line2D([], [], color=color, linestyle=linestyle, linewidth=width, label=KIND_LABELS.get(kind, kind))
        )

    node_stub = np.array([bool(stubs.get(node, False)) for node in known])
    node_degree = np.array([int(degree.get(node, 0)) for node in known])
    sizes = 40 + 25 * np.sqrt(node_degree)
    for flag, label, color in ((False, "全文文章", FULL_COLOR), (True, "仅标题与摘要", STUB_COLOR)):
        mask = node_stub == flag
        if mask.any():
            ax.scatter(pos[mask, 0], pos[mask, 1], s=sizes[mask], color=color, edgecolors="white", zorder=2)
            handles.append(Line2D([], [], marker="o", linestyle="", color=color, label=label))

    # Labels point away from the node's neighbours (or from the centre), so the
    # spokes around a hub fan their labels outwards instead of stacking them.
    neighbours: list[list[int]] = [[] for _ in known]
    for a, b in edges:
        neighbours[a].append(b)
        neighbours[b].append(a)
    for i, node in enumerate(known):
        anchor = pos[neighbours[i]].mean(axis=0) if neighbours[i] else np.zeros(2)
        direction = pos[i] - anchor
        norm = np.linalg.norm(direction)
        dx, dy = direction / norm if norm > 1e-6 else (0.0, 1.0)
        ha = "left" if dx > 0.35 else "right" if dx < -0.35 else "center"
        va = "bottom" if dy > -0.35 else "top"
        ax.annotate(
            short_title(titles.get(node) or node),
            pos[i],
            xytext=(6 * dx, 6 * dy),
            textcoords="offset points",
            ha=ha,
            va=va,
            fontsize=8,
            zorder=3,
        )

    ax.set_title(title)
    ax.set_aspect("equal")
    # Room for labels that point outwards from nodes on the rim.
    ax.set_xlim(-1.55, 1.55)
    ax.set_ylim(-1.25, 1.25)
    ax.set_axis_off()
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    return fig


# ---------------------------------------------------------------- inspection


def _drawn_texts(artist: Artist) -> Iterator[Text]:
    if not artist.get_visible():
        return
    if isinstance(artist, Text):
        yield artist
    if isinstance(artist, Axis):
        # Tick objects outlive the view: only those inside the limits are drawn.
        low, high = sorted(artist.get_view_interval())
        span = (high - low) or 1.0
        for child in (artist.label, artist.offsetText):
            yield from _drawn_texts(child)
        for tick in [*artist.get_major_ticks(), *artist.get_minor_ticks()]:
            if tick.get_visible() and low - 1e-9 * span <= tick.get_loc() <= high + 1e-9 * span:
                for label in (tick.label1, tick.label2):
                    yield from _drawn_texts(label)
        return
    for child in artist.get_children():
        if isinstance(artist, Axes) and not artist.axison and child in (artist.xaxis, artist.yaxis):
            continue
        yield from _drawn_texts(child)


def chart_labels(fig: Figure) -> list[str]:
    """Every non-empty text drawn on ``fig``: titles, axis and tick labels, annotations, legend."""
    # Tick labels are only formatted during a draw.
    fig.draw_without_rendering()
    seen: set[int] = set()
    labels: list[str] = []
    for text in _drawn_texts(fig):
        if id(text) in seen:
            continue
        seen.add(id(text))
        if text.get_text().strip():
            labels.append(text.get_text())
    return labels
