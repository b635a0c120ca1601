"""A character n-gram index of the book's pages, in shards a browser fetches on demand.

Why n-grams, not words: a reader types 网贷 or 协商还款, and a page holds them
whatever a segmenter would make of the sentence around them.  Every run of
letters and numbers of every page (folded: ``book.search.fold``) is indexed
by each of its characters, character pairs and triples.  A query of up to
three characters is one n-gram, looked up exactly; a longer one is the
intersection of its triples, and the browser drops the rare page that holds
every triple but not the whole term when it shows the page's snippet.

Each n-gram's *posting* lists the pages that hold it, in page order, each with
one byte: where it occurs (title, a heading, the body) and how often (capped
at 31), which is what results are ranked by.  N-grams are spread over
``buckets`` shards by a hash the browser computes too; an n-gram whose posting
alone outgrows a shard gets a file of its own.  So one query fetches one small
shard per n-gram, and no shard grows with the book but the postings of words
nearly every page has.

Formats (``encode_bucket``; mirrored by ``book/site/theme/static/booksearch.js``):
a bucket is base64 of varints: the number of n-grams, then for each its three
code points (0 where a shorter n-gram has none), then for each its posting's
length in bytes times two, plus one when the posting is in a file of its own,
then the postings: for each page, the gap to the previous page number and the
byte.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from .fold import WORD_RUN, fold

# Where an n-gram occurs, in the high bits of its byte; how often, in the low five.
TITLE, HEADING, BODY = 0x80, 0x40, 0x20
COUNT_MASK = 0x1F
KINDS = {"title": TITLE, "heading": HEADING, "body": BODY}
MAX_N = 3
_SHIFT = np.uint64(21)


@dataclass(frozen=True)
class Page:
    """What search knows of a page: its address, its title and its text, block by block."""

    url: str
    title: str
    blocks: tuple[tuple[str, str], ...]  # (kind, text): kind is "title", "heading" or "body"

    @property
    def text(self) -> str:
        """The page's text as snippets are cut from it: one block a line."""
        return "\n".join(text.replace("\n", " ") for _, text in self.blocks)


@functools.cache
def _is_word() -> np.ndarray:
    """For every code point, whether it is a letter or a number (``fold.WORD_RUN``)."""
    table = np.zeros(0x110000, dtype=bool)
    points = np.arange(0x110000, dtype=np.uint32)
    points = points[(points < 0xD800) | (points >= 0xE000)]  # surrogates are no characters
    chars = points.tobytes().decode("utf-32-le")
    for match in WORD_RUN.finditer(chars):
        table[points[match.start() : match.end()]] = True
    return table


def warm() -> None:
    """Build the lookup tables now (before the writers fork, so they share them)."""
    _is_word()


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


def postings(page: Page) -> tuple[np.ndarray, np.ndarray]:
    """The page's n-grams (sorted, as keys: see ``key``) and each one's byte."""
    if not page.blocks:
        return np.zeros(0, np.uint64), np.zeros(0, np.uint8)
    # One string for the whole page, blocks apart by a newline, which is no letter: no
    # n-gram spans two blocks, so each n-gram has the kind of the block it is in.
    text = fold("\n".join(t for _, t in page.blocks) + "\n")
    kinds = np.repeat(
        np.array([KINDS[kind] for kind, _ in page.blocks], dtype=np.uint8),
        [len(t) + 1 for _, t in page.blocks],
    )
    codes = _codes(text)
    word = _is_word()[codes]
    keys = [codes[word]]
    where = [kinds[word]]
    run = word
    for n in range(2, MAX_N + 1):
        run = run[:-1] & word[n - 1 :]
        gram = codes[: len(codes) - n + 1].copy()
        for k in range(1, n):
            gram = (gram << _SHIFT) | codes[k : len(codes) - n + 1 + k]
        keys.append(gram[run])
        where.append(kinds[: len(kinds) - n + 1][run])
    all_keys = np.concatenate(keys)
    all_kinds = np.concatenate(where)
    if not len(all_keys):
        return np.zeros(0, np.uint64), np.zeros(0, np.uint8)
    order = np.argsort(all_keys)
    sorted_keys = all_keys[order]
    starts = np.flatnonzero(np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1])))
    counts = np.diff(np.append(starts, len(sorted_keys)))
    masks = np.bitwise_or.reduceat(all_kinds[order], starts)
    values = masks | np.minimum(counts, COUNT_MASK).astype(np.uint8)
    return sorted_keys[starts], values.astype(np.uint8)


def key(gram: str) -> int:
    """The key of a folded n-gram of one to three characters."""
    value = 0
    for ch in gram:
        value = (value << 21) | ord(ch)
    return value


def _points(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mask = np.uint64((1 << 21) - 1)
    return (keys >> np.uint64(42)) & mask, (keys >> _SHIFT) & mask, keys & mask


def bucket_of(keys: np.ndarray, buckets: int) -> np.ndarray:
    """Each key's shard: FNV-1a over its three code points, then a mixing step, in 32-bit
    arithmetic (the browser's ``bucketOf`` computes the same with Math.imul)."""
    h = np.full(len(keys), 0x811C9DC5, dtype=np.uint32)
    prime = np.uint32(0x01000193)
    with np.errstate(over="ignore"):
        for points in _points(keys):
            h = (h ^ points.astype(np.uint32)) * prime
        h ^= h >> np.uint32(16)
        h = h * np.uint32(0x85EBCA6B)
        h ^= h >> np.uint32(13)
    return (h & np.uint32(buckets - 1)).astype(np.int64)


def varint_sizes(values: np.ndarray) -> np.ndarray:
    """How many bytes each value takes as a varint."""
    sizes = np.ones(len(values), dtype=np.int64)
    for bits in (7, 14, 21, 28):
        sizes += values >= (1 << bits)
    return sizes


def varints(values: np.ndarray) -> np.ndarray:
    """Unsigned LEB128 of each value, concatenated (values below 2**35)."""
    values = values.astype(np.uint64)
    if not len(values):
        return np.zeros(0, np.uint8)
    sizes = varint_sizes(values)
    out = np.zeros(int(sizes.sum()), dtype=np.uint8)
    starts = np.cumsum(sizes) - sizes
    for i in range(5):
        has = sizes > i
        byte = ((values[has] >> np.uint64(7 * i)) & np.uint64(0x7F)).astype(np.uint8)
        more = (sizes[has] > i + 1).astype(np.uint8) << np.uint8(7)
        out[starts[has] + i] = byte | more
    return out


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The indices of every range [start, start + length), concatenated."""
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(starts - offsets, lengths) + np.arange(total)


def read_varints(data: bytes | np.ndarray, count: int, pos: int = 0) -> tuple[list[int], int]:
    """``count`` varints from ``data`` at ``pos``, and the position after them."""
    out: list[int] = []
    for _ in range(count):
        value = shift = 0
        while True:
            byte = data[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                break
        out.append(value)
    return out, pos


@dataclass
class Postings:
    """Every page's n-grams, ordered by n-gram then page: the whole index before sharding."""

    keys: np.ndarray  # uint64, one per (n-gram, page)
    docs: np.ndarray  # uint32 page numbers
    values: np.ndarray  # uint8


def merge(records: Iterable[tuple[int, np.ndarray, np.ndarray]]) -> Postings:
    """The postings of pages given as (number, keys, values), in increasing page number."""
    keys, docs, values = [], [], []
    for number, page_keys, page_values in records:
        keys.append(page_keys)
        values.append(page_values)
        docs.append(np.full(len(page_keys), number, dtype=np.uint32))
    if not keys:
        return Postings(np.zeros(0, np.uint64), np.zeros(0, np.uint32), np.zeros(0, np.uint8))
    all_keys = np.concatenate(keys)
    order = np.argsort(all_keys, kind="stable")  # stable: pages stay in order within an n-gram
    return Postings(all_keys[order], np.concatenate(docs)[order], np.concatenate(values)[order])


# A posting above this many bytes goes to a file of its own, so that one common n-gram
# does not make its shard, and every query of the other n-grams in it, heavy.
OWN_FILE_BYTES = 12_000
SHARD_BYTES = 24_000


def bucket_count(postings: Postings) -> int:
    """Shards for an index this size: a power of two, about SHARD_BYTES each."""
    estimate = len(postings.keys) * 2.2
    count = 16
    while estimate / count > SHARD_BYTES:
        count *= 2
    return count


@dataclass
class Shard:
    data: bytes  # the bucket, as encoded
    own: dict[int, bytes]  # n-gram index in the bucket → its posting, for postings in files of their own


def encode_buckets(postings: Postings, buckets: int, only: Iterable[int] | None = None) -> dict[int, Shard]:
    """The bytes of every bucket, or of the buckets in ``only`` (see the module doc).  All in
    array operations: a Python loop per n-gram would be millions of steps at 10,000 pages."""
    if only is not None:
        postings = _in_buckets(postings, buckets, only)
    keys, docs, values = postings.keys, postings.docs, postings.values
    n = len(keys)
    first = np.concatenate(([True], keys[1:] != keys[:-1])) if n else np.zeros(0, bool)
    starts = np.flatnonzero(first)
    ends = np.append(starts[1:], n).astype(np.int64)
    unique = keys[starts]
    # Each entry is (gap to the previous page of its posting, varint) then its byte.
    gaps = docs.astype(np.int64) - np.concatenate(([0], docs[:-1].astype(np.int64)))
    gaps[starts] = docs[starts]
    gap_sizes = varint_sizes(gaps)
    entry_end = np.cumsum(gap_sizes + 1)
    entry_start = entry_end - gap_sizes - 1
    stream = np.zeros(int(entry_end[-1]) if n else 0, dtype=np.uint8)
    stream[_ranges(entry_start, gap_sizes)] = varints(gaps)
    stream[entry_end - 1] = values
    begin = entry_start[starts] if n else np.zeros(0, np.int64)
    size = (entry_end[ends - 1] - begin) if n else np.zeros(0, np.int64)
    own = size > OWN_FILE_BYTES

    of = bucket_of(unique, buckets)
    chosen = np.arange(buckets) if only is None else np.unique(np.fromiter(only, dtype=np.int64))
    selected = np.flatnonzero(np.isin(of, chosen))
    order = selected[np.argsort(of[selected], kind="stable")]
    bounds = np.searchsorted(of[order], np.append(chosen, buckets if not len(chosen) else chosen[-1] + 1))
    # Three code points per n-gram, its posting's length (times two, plus one if it has a
    # file of its own), and the postings that stay in the bucket, each for all n-grams at once.
    point_values = np.stack(_points(unique[order]), axis=1).reshape(-1)
    point_sizes = varint_sizes(point_values).reshape(-1, 3).sum(axis=1)
    point_bytes, point_end = varints(point_values), np.cumsum(point_sizes)
    length_values = size[order] * 2 + own[order]
    length_sizes = varint_sizes(length_values)
    length_bytes, length_end = varints(length_values), np.cumsum(length_sizes)
    kept = np.where(own[order], 0, size[order])
    kept_bytes = stream[_ranges(begin[order], kept)]
    kept_end = np.cumsum(kept)

    def cut(ends_: np.ndarray, data: np.ndarray, lo: int, hi: int) -> np.ndarray:
        a = int(ends_[lo - 1]) if lo else 0
        b = int(ends_[hi - 1]) if hi else 0
        return data[a:b]

    shards: dict[int, Shard] = {}
    for i, b in enumerate(chosen):
        lo, hi = int(bounds[i]), int(bounds[i + 1])
        data = np.concatenate(
            (
                varints(np.array([hi - lo])),
                cut(point_end, point_bytes, lo, hi),
                cut(length_end, length_bytes, lo, hi),
                cut(kept_end, kept_bytes, lo, hi),
            )
        ).tobytes()
        own_files = {
            j - lo: stream[begin[k] : begin[k] + size[k]].tobytes()
            for j, k in enumerate(order[lo:hi], start=lo)
            if own[k]
        }
        shards[int(b)] = Shard(data, own_files)
    return shards


# Entries encoded at a time: the encoder's temporaries are several 8-byte arrays per entry,
# which for all 34 million entries of a 10,000-article book at once took gigabytes.
GROUP_ENTRIES = 1 << 21


def encode_bucket_groups(postings: Postings, buckets: int) -> Iterator[tuple[int, Shard]]:
    """Every bucket's bytes, as ``encode_buckets`` makes them, a group of buckets at a time."""
    keys = postings.keys
    if len(keys) <= GROUP_ENTRIES:
        yield from encode_buckets(postings, buckets).items()
        return
    first = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    counts = np.diff(np.append(first, len(keys)))
    of_entry = np.repeat(bucket_of(keys[first], buckets).astype(np.int32), counts)
    for group in np.array_split(np.arange(buckets), -(-len(keys) // GROUP_ENTRIES)):
        wanted = np.zeros(buckets, dtype=bool)
        wanted[group] = True
        mask = wanted[of_entry]
        part = Postings(keys[mask], postings.docs[mask], postings.values[mask])
        yield from encode_buckets(part, buckets, group.tolist()).items()


def _in_buckets(postings: Postings, buckets: int, only: Iterable[int]) -> Postings:
    """The entries of the n-grams that live in the buckets ``only``."""
    keys = postings.keys
    if not len(keys):
        return postings
    first = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    counts = np.diff(np.append(first, len(keys)))
    wanted = np.isin(bucket_of(keys[first], buckets), np.fromiter(only, dtype=np.int64))
    mask = np.repeat(wanted, counts)
    return Postings(keys[mask], postings.docs[mask], postings.values[mask])


def decode_bucket(data: bytes) -> dict[int, tuple[bool, bytes]]:
    """A bucket's n-grams: key → (in a file of its own, posting bytes if not)."""
    (count,), pos = read_varints(data, 1)
    points, pos = read_varints(data, 3 * count, pos)
    lengths, pos = read_varints(data, count, pos)
    out: dict[int, tuple[bool, bytes]] = {}
    for i in range(count):
        c = points[3 * i : 3 * i + 3]
        k = (c[0] << 42) | (c[1] << 21) | c[2]
        own, size = bool(lengths[i] & 1), lengths[i] >> 1
        if own:
            out[k] = (True, b"")
        else:
            out[k] = (False, data[pos : pos + size])
            pos += size
    return out


def decode_posting(data: bytes) -> list[tuple[int, int]]:
    """(page number, byte) for each page of a posting."""
    out: list[tuple[int, int]] = []
    pos = doc = 0
    while pos < len(data):
        (gap,), pos = read_varints(data, 1, pos)
        doc += gap
        out.append((doc, data[pos]))
        pos += 1
    return out


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def query_keys(term: str) -> list[str]:
    """The n-grams looked up for one folded term: itself up to three characters, else its
    triples (a page with all of them almost always holds the term; see the module doc)."""
    if len(term) <= MAX_N:
        return [term]
    return [term[i : i + MAX_N] for i in range(len(term) - MAX_N + 1)]


def rank(hits: Sequence[int]) -> tuple[int, int, int]:
    """Sort key of a page from its bytes for each term: title hits first, then headings,
    then how often (lower sorts first)."""
    in_title = sum(1 for v in hits if v & TITLE)
    in_heading = sum(1 for v in hits if v & HEADING)
    often = sum(v & COUNT_MASK for v in hits)
    return (-in_title, -in_heading, -often)
