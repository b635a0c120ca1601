"""Texts that share most of their pieces, found without comparing every pair.

Each text is a set of pieces (``identity``'s 6-character shingles).  Its *signature* is a
one-permutation MinHash: every piece's hash picks one of ``BINS`` bins and a value, and the
bin keeps its smallest value.  Two texts agree on a bin with a probability equal to their
Jaccard similarity, so the share of agreeing bins estimates it.

An :class:`Index` files each signature under its bands (``ROWS`` bins each): texts are
candidates of one another when all bins of one band agree.  A pair with Jaccard J is a
candidate with probability ``1 - (1 - J**ROWS) ** BANDS``: above 0.999 for J ≥ 0.6, 0.97 at
0.43 (the least two bodies ``identity.same_body`` accepts can share), and a few per cent for
two unrelated articles of one site, which share its boilerplate and stock phrases.  A bottom-k
sketch of eight pieces (the first design) made nearly every article of a 50,000-article
synthetic corpus a candidate of every other: its import slowed from 995 articles/s at 10,000
to 70/s.
"""

from __future__ import annotations

import numpy as np

BINS = 126
ROWS = 3
BANDS = BINS // ROWS
EMPTY = np.uint32(0xFFFFFFFF)


_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd: multiplying by it permutes 64-bit words


def piece_hashes(text: str, width: int) -> np.ndarray:
    """Hashes of the text's overlapping ``width``-character pieces, sorted and unique (a text
    shorter than ``width`` is one piece): a polynomial over the characters' code points, in
    array operations, since a Python loop over the pieces was most of an import's time."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    span = min(width, len(codes))
    count = max(1, len(codes) - width + 1)
    acc = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(span):
            acc = acc * _MIX + codes[j : j + count] + np.uint64(1)
        acc ^= acc >> np.uint64(29)
        acc *= _MIX
        acc ^= acc >> np.uint64(32)
    return np.unique(acc.astype(np.uint32))


def shared(a: np.ndarray, b: np.ndarray) -> int:
    """How many pieces two texts (:func:`piece_hashes`) share."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return 0
    # Both are sorted: look each of the shorter one's up in the longer, with no sort of their union.
    at = np.minimum(np.searchsorted(b, a), len(b) - 1)
    return int(np.count_nonzero(b[at] == a))


def signature(hashes: np.ndarray) -> np.ndarray:
    """The text's one-permutation MinHash: ``BINS`` values, all ``EMPTY`` for no pieces."""
    wide = hashes.astype(np.uint64)
    sig = np.full(BINS, EMPTY, dtype=np.uint32)
    if not wide.size:
        return sig
    np.minimum.at(sig, (wide % BINS).astype(np.intp), (wide // BINS).astype(np.uint32))
    # A short text leaves bins empty, and a band with an empty bin could match nothing: each
    # empty bin borrows the next filled one's value, marked with the distance (densified
    # one-permutation hashing), so equal texts still agree everywhere and similar ones mostly.
    filled = np.flatnonzero(sig != EMPTY)
    if len(filled) < BINS:
        where = np.arange(BINS)
        source = filled[np.searchsorted(filled, where) % len(filled)]
        distance = ((source - where) % BINS).astype(np.uint64)
        borrowed = ((sig[source].astype(np.uint64) + distance * np.uint64(2654435761)) % np.uint64(EMPTY)).astype(
            np.uint32
        )
        sig = np.where(sig == EMPTY, borrowed, sig)
    return sig


def similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of ``a`` (one signature) with each row of ``b``."""
    filled_a = a != EMPTY
    filled_b = b != EMPTY
    agree = ((b == a) & filled_a).sum(axis=-1)
    either = (filled_a | filled_b).sum(axis=-1)
    return agree / np.maximum(either, 1)


def _bands(sig: np.ndarray) -> list[tuple[int, bytes]]:
    rows = sig.reshape(BANDS, ROWS)
    return [(i, rows[i].tobytes()) for i in range(BANDS)]


class Index:
    """Signatures by key, looked up by band; the signatures are rows of one array, so the
    candidates of a text are weighed in one operation."""

    def __init__(self) -> None:
        self._row: dict[str, int] = {}
        self._keys: list[str | None] = []
        self._sigs = np.empty((0, BINS), dtype=np.uint32)
        self._by_band: dict[tuple[int, bytes], set[int]] = {}

    def add(self, key: str, sig: np.ndarray) -> None:
        self.remove(key)
        row = len(self._keys)
        if row == len(self._sigs):
            grown = np.empty((max(1024, 2 * row), BINS), dtype=np.uint32)
            grown[:row] = self._sigs[:row]
            self._sigs = grown
        self._sigs[row] = sig
        self._keys.append(key)
        self._row[key] = row
        for band in _bands(sig):
            self._by_band.setdefault(band, set()).add(row)

    def remove(self, key: str) -> None:
        row = self._row.pop(key, None)
        if row is not None:
            for band in _bands(self._sigs[row]):
                self._by_band.get(band, set()).discard(row)
            self._keys[row] = None

    def candidates(self, sig: np.ndarray, at_least: float) -> list[str]:
        """Keys sharing a band with ``sig`` whose estimated similarity is ``at_least``, most similar first."""
        found: set[int] = set()
        for band in _bands(sig):
            found |= self._by_band.get(band, set())
        if not found:
            return []
        rows = np.fromiter(found, dtype=np.intp, count=len(found))
        rows.sort()
        estimate = similarity(sig, self._sigs[rows])
        keep = estimate >= at_least
        rows, estimate = rows[keep], estimate[keep]
        order = np.argsort(-estimate, kind="stable")
        return [key for key in (self._keys[r] for r in rows[order]) if key is not None]
