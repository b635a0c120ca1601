"""``index`` takes two shortcuts when it starts cold; each must give what the plain way gives."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap

from book import catalog
from book.layout import Layout
from book.notebook import split_front_matter
from book.tagging import load_vocabulary, term_frequencies

from .conftest import REPO

SEED_NOTEBOOK = REPO / "notebooks" / "jinrong-zhaiwu" / "67202.md"


def _entries(count: int) -> list[catalog.Entry]:
    layout = Layout(REPO)
    seed = catalog.entry_from_page(
        split_front_matter(SEED_NOTEBOOK.read_text(encoding="utf-8"), SEED_NOTEBOOK), layout.rel(SEED_NOTEBOOK)
    )
    # Each entry a different mix of the seed's own sentences, so the counts differ.
    texts = seed.intro + seed.body + seed.summary
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
        from book import slug, tagging

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
