"""Related articles by content: TF-IDF over the articles' jieba words plus their shared tags.

Each article is a vector of its words (the nouns and verbs ``tagging.term_frequencies``
counts in its title, headings, intro and summary) weighted by ``(1 + log tf) · idf``, and of
its title's character pairs, and of its tags weighted by idf; each part is normalised and the
parts joined, so the dot product of two articles is the ``SHARES``-weighted sum of the
cosines of their parts.  The products of
every pair come from one sparse matrix product (scipy), a block of rows at a time, so the
memory a block needs does not grow with the book.

Words in a single article can relate nothing, and words in a large share of the book
relate everything a little: both are left out, which keeps the product sparse.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse

# What each part weighs in a pair's score: the words of the article, the character pairs of its
# title (names jieba does not know, such as a new lender's, are split into pieces but their
# pairs still match), and the tags.
SHARES = {"words": 0.4, "title": 0.35, "tags": 0.25}
PER_ARTICLE = 5
# A word or tag in more than this share of the articles (in books of COMMON_FROM or more), or in
# more than COMMON_CAP of them, is left out.  The cap bounds the product: a row costs at most its
# features × COMMON_CAP, where a book of 50,000 articles sharing stock words made every block of
# the product nearly dense (3 GB, and most of `index`'s time).  Below 5,000 articles the share
# is the lower of the two and the cap changes nothing.
COMMON_SHARE = 0.2
COMMON_FROM = 50
COMMON_CAP = 1000
BLOCK = 512  # rows of the product computed at once
MIN_SCORE = 0.05  # below this, two articles share no more than a stray word


def _matrix(features: Sequence[Counter[str]], log_tf: bool) -> sparse.csr_matrix:
    """Rows of ``features`` as an L2-normalised TF-IDF matrix, rare and common columns dropped."""
    n = len(features)
    df: Counter[str] = Counter()
    for feature in features:
        df.update(feature.keys())
    limit = min(n * COMMON_SHARE, COMMON_CAP) if n >= COMMON_FROM else n
    columns = {word: i for i, word in enumerate(sorted(w for w, d in df.items() if 2 <= d <= limit))}
    rows, cols, data = [], [], []
    for row, feature in enumerate(features):
        for word, count in feature.items():
            col = columns.get(word)
            if col is not None:
                weight = (1.0 + math.log(count)) if log_tf else 1.0
                rows.append(row)
                cols.append(col)
                data.append(weight * math.log(n / df[word]))
    matrix = sparse.csr_matrix((data, (rows, cols)), shape=(n, max(1, len(columns))), dtype=np.float64)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)


def title_pairs(title: str) -> Counter[str]:
    """The title's pairs of adjacent letters, within runs of Han characters, letters or digits."""
    pairs: Counter[str] = Counter()
    for run in re.findall(r"[\w]+", title):
        pairs.update(run[i : i + 2] for i in range(len(run) - 1))
    return pairs


def similar(
    ids: Sequence[str],
    tfs: Sequence[Counter[str]],
    tags: Sequence[set[str]],
    titles: Sequence[str],
    k: int = PER_ARTICLE,
) -> dict[str, list[tuple[str, float]]]:
    """For each article id, up to ``k`` others by descending score (ties by id), each with
    its score rounded to 4 places; scores below ``MIN_SCORE`` are not relations."""
    n = len(ids)
    if n < 2:
        return {i: [] for i in ids}
    parts = {
        "words": _matrix(tfs, log_tf=True),
        "title": _matrix([title_pairs(t) for t in titles], log_tf=True),
        "tags": _matrix([Counter(dict.fromkeys(t, 1)) for t in tags], log_tf=False),
    }
    both = sparse.hstack([parts[name] * math.sqrt(share) for name, share in SHARES.items()], format="csr")
    both_t = both.T.tocsc()
    order = np.argsort(np.asarray(ids, dtype=object), kind="stable")  # rank of each id, for ties
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    out: dict[str, list[tuple[str, float]]] = {}
    for start in range(0, n, BLOCK):
        block = sparse.csr_matrix(both[start : start + BLOCK] @ both_t)
        for offset in range(block.shape[0]):
            row = start + offset
            lo, hi = block.indptr[offset], block.indptr[offset + 1]
            cols, scores = block.indices[lo:hi], block.data[lo:hi]
            keep = (cols != row) & (scores >= MIN_SCORE)
            cols, scores = cols[keep], np.round(scores[keep], 4)
            chosen = np.lexsort((rank[cols], -scores))[:k]  # highest first, the lower id among equals
            out[ids[row]] = [(ids[cols[i]], float(scores[i])) for i in chosen]
    return out
