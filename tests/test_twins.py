"""A capture's twin (the same page under another title) is found by its text, without
comparing it with every article of the book (``book.minhash``, ``identity.Bodies``)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from book import identity, minhash
from book.sample.corpus import samples

SHINGLE = 6
# Few characters, so that random texts share pieces.
TEXTS = st.text(alphabet="欠款还协商网贷逾期。，", max_size=120)


@settings(max_examples=200, deadline=None)
@given(TEXTS, TEXTS)
def test_piece_hashes_count_the_pieces_two_texts_share(a: str, b: str) -> None:
    pa, pb = identity._pieces(a), identity._pieces(b)
    ha, hb = minhash.piece_hashes(a, SHINGLE), minhash.piece_hashes(b, SHINGLE)
    assert len(ha) == len(pa) and len(hb) == len(pb)
    assert minhash.shared(ha, hb) == len(pa & pb)


def test_a_twin_is_found_among_articles_that_share_stock_phrases() -> None:
    texts = [s.text for s in samples(3000, seed=5)]
    index = minhash.Index()
    hashes = [minhash.piece_hashes(t, SHINGLE) for t in texts]
    for n, h in enumerate(hashes):
        index.add(str(n), minhash.signature(h))
    rng = random.Random(1)
    compared = 0
    for n in rng.sample(range(len(texts)), 200):
        lines = texts[n].split("\n")
        # The same page saved again: one line in ten missing, a greeting added.
        twin = "\n".join(["您好，欢迎阅读。"] + [line for line in lines if rng.random() > 0.1])
        twin_hashes = minhash.piece_hashes(twin, SHINGLE)
        assert identity.SAME_ARTICLE * max(len(twin_hashes), len(hashes[n])) <= minhash.shared(
            twin_hashes, hashes[n]
        ), "the test's twin is not a twin by same_body's measure"
        found = index.candidates(minhash.signature(twin_hashes), identity._TWIN_ESTIMATE)
        assert str(n) in found[:3]
        compared += len(found)
    # Not every pair: the sample corpus's articles share much of their wording, and still
    # only a few per query are compared in full.
    assert compared / 200 < 0.01 * len(texts)
