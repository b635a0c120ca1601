"""``index`` takes two shortcuts when it starts cold; each must give what the plain way gives."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from book import catalog
from book.catalog.tagging import load_vocabulary, term_frequencies
from book.commands.index import index
from book.layout import Layout
from book.notebook import split_front_matter

from .conftest import REPO, copy_book, run_book

SEED_NOTEBOOK = REPO / "notebooks" / "jinrong-zhaiwu" / "67202.md"


def _entries(count: int) -> list[catalog.Entry]:
    layout = Layout(REPO)
    seed = catalog.entry_from_page(
        split_front_matter(SEED_NOTEBOOK.read_text(encoding="utf-8"), SEED_NOTEBOOK), layout.rel(SEED_NOTEBOOK)
    )
    # Each entry a different mix of the seed's own sentences, so the counts differ.
    texts = seed.intro + seed.headings + seed.summary
    return [
        dataclasses.replace(
            seed,
            id=str(n),
            path=f"notebooks/x/{n}.md",
            title=f"{seed.headings[n % len(seed.headings)]}{n}",
            intro=texts[n % len(texts) :][:3],
            summary=texts[(n * 7) % len(texts) :][:2],
        )
        for n in range(count)
    ]


def test_keyword_counts_on_two_processes_are_the_ones_one_process_makes() -> None:
    vocab = load_vocabulary(REPO / "data" / "tags.yml")
    entries = _entries(catalog.PARALLEL_TF_FROM + 30)
    two = catalog.term_frequencies_of(entries, vocab, jobs=2)
    assert two == [term_frequencies(e.about_texts(), vocab) for e in entries]
    assert len({tuple(sorted(tf.items())) for tf in two}) > 50  # the entries really differ


def test_the_shared_tokenizer_starts_from_the_slug_dictionary_and_alone_learns_curated_words() -> None:
    # A fresh process, so that the shared tokenizer is still unloaded when the vocabulary comes.
    script = textwrap.dedent(
        """
        import jieba
        from pathlib import Path
        from book import slug
        from book.catalog import tagging

        vocab = tagging.load_vocabulary(Path("data/tags.yml"))
        fresh = jieba.Tokenizer()
        fresh.check_initialized()
        for name in vocab.entities:
            fresh.add_word(name, freq=100000)
        assert jieba.dt.FREQ == fresh.FREQ and jieba.dt.total == fresh.total
        assert slug.base_dictionary()[0] is not jieba.dt.FREQ
        assert "国美金融" in vocab.entities
        assert "国美金融" in jieba.lcut("国美金融催收部在哪")
        assert slug.slugify("国美金融") == "guomei-jinrong"  # the slug tokenizer did not learn it
        print("ok")
        """
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "ok"


def _outputs(root: Path) -> dict[str, bytes]:
    files = [*(root / "notebooks" / "_index").rglob("*.md"), root / "_toc.yml", *(root / "data").glob("*.csv")]
    return {str(p.relative_to(root)): p.read_bytes() for p in files}


def _append_to_body(path: Path, sentence: str) -> None:
    """Append ``sentence`` to a paragraph of the article's body (not its intro or summary,
    which keywords are drawn from)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    part, candidates = "", []
    for i, line in enumerate(lines):
        if line.startswith("+++"):
            part = line
        elif '"body"' in part and line.endswith("。") and not line.startswith(("#", "`", "-", "(")):
            candidates.append(i)
    lines[candidates[0]] += sentence
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture(scope="module")
def small_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_book(tmp_path_factory.mktemp("small-book"))
    corpus = root.parent / "corpus"
    run_book(root, "sample", "--articles", "40", "--out", str(corpus), "--seed", "3")
    run_book(root, "import", str(corpus), "--quiet")
    return root


def test_an_edit_to_article_text_alone_rederives_only_the_articles_table(small_book: Path) -> None:
    layout = Layout(small_book)
    notebook = layout.article_notebooks()[7]
    _append_to_body(notebook, "这是测试追加的一句话,只改正文。")
    report = index(layout)
    assert report.derived == "articles"
    assert [p.name for p in report.changed] == ["articles.csv", "articles.parquet"]
    after_edit = _outputs(small_book)

    # The same book indexed from nothing writes exactly what the shortcut left.
    shutil.rmtree(layout.cache)
    again = index(layout)
    assert again.derived == "all" and again.changed == [] and again.removed == []
    assert _outputs(small_book) == after_edit


def test_an_edit_beyond_the_text_derives_everything_again(small_book: Path) -> None:
    layout = Layout(small_book)
    assert index(layout).derived == "nothing"
    notebook = layout.article_notebooks()[3]
    text = notebook.read_text(encoding="utf-8")
    title = text.split("title: ", 1)[1].split("\n", 1)[0]
    notebook.write_text(text.replace(f"title: {title}", f"title: {title}(修订)", 1), encoding="utf-8")
    assert index(layout).derived == "all"

    # The intro is text too, but keywords are drawn from it.
    intro = layout.article_notebooks()[4]
    lines = intro.read_text(encoding="utf-8").split("\n")
    start = lines.index('+++ {"part": "intro"}')
    at = next(i for i in range(start, len(lines)) if lines[i].endswith("。"))
    lines[at] += "信用卡分期还款协商逾期催收。"
    intro.write_text("\n".join(lines), encoding="utf-8")
    assert index(layout).derived == "all"

    # A text edit while a generated page was changed by hand: the page is restored.
    tag_page = next((small_book / "notebooks" / "_index" / "tags").glob("*.md"))
    restored = tag_page.read_bytes()
    tag_page.write_bytes(restored + "手工改动\n".encode())
    _append_to_body(layout.article_notebooks()[5], "又一句。")
    report = index(layout)
    assert report.derived == "all" and tag_page in report.changed
    assert tag_page.read_bytes() == restored


def _shared_tag_relations_reference(tags_of: dict[str, set[str]]) -> list[list]:
    """The pairing as first written: a set union per candidate pair, a full sort per article."""
    from collections import Counter, defaultdict

    from book.catalog import SHARED_TAGS_MIN, SHARED_TAGS_PER_ARTICLE

    postings: dict[str, list[str]] = defaultdict(list)
    for article_id, tags in tags_of.items():
        for tag in tags:
            postings[tag].append(article_id)
    limit = max(50, len(tags_of) // 20)
    best: dict[tuple[str, str], float] = {}
    for article_id, tags in sorted(tags_of.items()):
        shared: Counter[str] = Counter()
        for tag in tags:
            if len(postings[tag]) <= limit:
                shared.update(postings[tag])
        del shared[article_id]
        scored = [
            (round(n / len(tags | tags_of[other]), 4), other) for other, n in shared.items() if n >= SHARED_TAGS_MIN
        ]
        for weight, other in sorted(scored, key=lambda x: (-x[0], x[1]))[:SHARED_TAGS_PER_ARTICLE]:
            best[tuple(sorted((article_id, other)))] = weight
    return [[a, b, "shared-tags", w] for (a, b), w in sorted(best.items())]


@settings(deadline=None, max_examples=60)
@given(
    st.dictionaries(
        st.integers(1, 400).map(str),
        st.sets(st.sampled_from([f"t{i}" for i in range(10)]), min_size=1, max_size=7),
        min_size=40,
        max_size=200,
    )
)
def test_shared_tag_pairs_are_the_ones_the_set_unions_give(tags_of: dict[str, set[str]]) -> None:
    """40 to 200 articles over 10 tags: most tags pass the 50-article limit and count only in the union."""
    from book.catalog import _shared_tag_relations

    assert _shared_tag_relations(tags_of) == _shared_tag_relations_reference(tags_of)


def test_article_notebooks_are_the_ones_rglob_finds(tmp_path: Path) -> None:
    """``Layout.article_notebooks`` walks the tree itself: the same notebooks, in the same order."""
    from book.layout import Layout

    layout = Layout(tmp_path)
    for rel in [
        "intro.md",  # top level: not an article
        "_index/tags/x.md",  # generated
        "a/1.md",
        "a-b/2.md",  # sorts after a/ as a path, before it as a string
        "a/b/3.md",
        "a/.hidden.md",
        ".cache/4.md",
        "a/5.MD",
        "a/notes.txt",
        "子目录/6.md",
    ]:
        path = layout.notebooks / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    expected = sorted(p for p in layout.notebooks.rglob("*.md") if layout.is_article_notebook(p))
    assert layout.article_notebooks() == expected
    assert [layout.rel(p) for p in expected] == [
        "notebooks/.cache/4.md",
        "notebooks/a/1.md",
        "notebooks/a/b/3.md",
        "notebooks/a-b/2.md",
        "notebooks/子目录/6.md",
    ]
