"""The search index on disk: per-page records kept between builds, and the shards of the site.

Each searchable page leaves a *record* when it is written (its address, title,
text and n-grams: ``book.search.index.postings``) in the build's private
folder.  After every build the records of the pages that still exist are
numbered, merged and written as the site's ``_search/`` folder:

- ``_search/meta.js``: the shard count and the page count;
- ``_search/fold.js``: the fold table the query is folded with;
- ``_search/b/<bucket>.js``: one shard of n-grams and their postings;
- ``_search/k/<bucket>-<i>.js``: a posting too big to share a shard;
- ``_search/d/<page>.js``: one page's address, title and the first part of its
  text, for its snippet; ``_search/d/<page>-<i>.js``: the other parts (about
  CHUNK_CHARS each, cut between blocks), loaded only when a hit is not in the
  parts before (a long page would otherwise cost a result 60 kB).

Every file is JavaScript that hands its data to ``BookSearch`` (the search
page's script), so the search works from ``file://``, where a browser
refuses ``fetch()``.  A file is rewritten only when its bytes change, so a
small edit touches the shards of the n-grams it added or removed and the
page's own text; nothing of the site is written twice.

Page numbers are kept from build to build (a page keeps its number; a new page
takes the lowest free one), so an edit does not renumber every posting.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import index
from .fold import TABLE_FILE

# Bump when records or shards change shape: records of another version are made again.
FORMAT = 2
SITE_FOLDER = "_search"


def _js_string(value: object) -> str:
    # U+2028/2029 are line ends to older JavaScript parsers; escaped, they are plain text.
    return json.dumps(value, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _replace(path: Path, data: bytes) -> None:
    """Write beside, then rename: a reader of the site sees the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Named as book.fsutil names temporaries (writer's pid), so a later command knows a stale one.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _record_name(docname: str) -> str:
    return docname + ".rec"


@dataclass
class Record:
    docname: str
    url: str
    title: str
    text: str
    keys: bytes  # uint64 n-gram keys, sorted
    values: bytes  # one byte each


class Store:
    """The records and the bookkeeping of one build folder (``<doctrees>/book-search/``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.state_file = folder / "state.json"

    def fingerprint(self) -> str:
        """What the records depend on besides the pages: this format and the fold table."""
        digest = hashlib.blake2b(TABLE_FILE.read_bytes(), digest_size=8).hexdigest()
        return f"{FORMAT}:{digest}"

    def _state(self) -> dict:
        try:
            return json.loads(self.state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _save_state(self, state: dict) -> None:
        _replace(self.state_file, json.dumps(state, ensure_ascii=False, sort_keys=True).encode("utf-8"))

    def current(self) -> bool:
        """Whether the records were made by this code (else every page must be written again)."""
        return self._state().get("fingerprint") == self.fingerprint()

    def reset(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._save_state({"fingerprint": self.fingerprint(), "numbers": {}, "written": {}})

    def put(self, page: index.Page, docname: str) -> None:
        keys, values = index.postings(page)
        record = Record(docname, page.url, page.title, page.text, keys.tobytes(), values.tobytes())
        _replace(self.folder / _record_name(docname), pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))

    def get(self, docname: str) -> Record | None:
        try:
            record = pickle.loads((self.folder / _record_name(docname)).read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            return None
        return record if isinstance(record, Record) else None

    def forget(self, docname: str) -> None:
        (self.folder / _record_name(docname)).unlink(missing_ok=True)

    def known(self) -> list[str]:
        """Every page with a record."""
        return sorted(
            str(p.relative_to(self.folder))[: -len(".rec")] for p in self.folder.rglob("*.rec") if p.is_file()
        )

    def _stamp(self, docname: str) -> int | None:
        try:
            return (self.folder / _record_name(docname)).stat().st_mtime_ns
        except OSError:
            return None

    def _records(self, docnames: Iterable[str]) -> dict[str, Record]:
        return {name: r for name in docnames if (r := self.get(name)) is not None}

    def write_site(self, site: Path, docnames: Iterable[str]) -> dict[str, int]:
        """Make ``site/_search/`` from the records of ``docnames`` (the pages that exist now),
        writing only files whose bytes changed.  Returns counts for the build's log.

        When few pages changed since the last time, the merged postings of last time (kept in
        memory by a long-lived build, else in this folder) are patched: the changed pages'
        entries out, their new ones in, and only the buckets of n-grams whose postings
        changed are encoded again.  Otherwise every record is merged anew."""
        state = self._state()
        out = site / SITE_FOLDER
        stamps = {name: stamp for name in sorted(set(docnames)) if (stamp := self._stamp(name)) is not None}
        for gone in set(self.known()) - set(stamps):
            self.forget(gone)
        old_stamps: dict[str, int] = state.get("stamps", {})
        changed = sorted(name for name, stamp in stamps.items() if old_stamps.get(name) != stamp)
        removed = sorted(set(old_stamps) - set(stamps))
        written: dict[str, str] = state.get("written", {})
        if not changed and not removed and (out / "meta.js").exists() and state.get("stamps") is not None:
            return {"pages": len(stamps), "files": len(written), "changed": 0, "removed": 0}
        numbers = _renumber(state.get("numbers", {}), sorted(stamps))
        before = set(written)
        produced: set[str] = set()
        count = 0

        def emit(files: Iterable[tuple[str, bytes]]) -> None:
            # Each file is written as it is made: at 10,000 pages they are 200 MB together.
            nonlocal count
            for rel, data in files:
                produced.add(rel)
                digest = hashlib.blake2b(data, digest_size=8).hexdigest()
                if written.get(rel) == digest and (out / rel).exists():
                    continue
                _replace(out / rel, data)
                written[rel] = digest
                count += 1

        patched = self._patched(state, numbers, changed, removed)
        if patched is None:
            postings = self._merged(sorted(stamps, key=numbers.__getitem__), numbers, emit)
            buckets = index.bucket_count(postings)
            emit(_bucket_files(index.encode_bucket_groups(postings, buckets)))
            emit(_meta_files(buckets, numbers, len(stamps)))
            stale = before - produced
        else:
            postings, touched = patched
            buckets = state["buckets"]
            emit(_bucket_files(index.encode_buckets(postings, buckets, touched).items()))
            emit(_page_files(self._records(changed), numbers).items())
            emit(_meta_files(buckets, numbers, len(stamps)))
            old_numbers = state.get("numbers", {})
            pages_gone = {old_numbers[name] for name in [*removed, *changed] if name in old_numbers}
            stale = {rel for rel in before if rel.startswith("d/") and _page_number(rel) in pages_gone}
            stale |= {rel for rel in before if rel.startswith("k/") and int(rel[2:].split("-")[0]) in touched}
            stale -= produced
        for rel in stale:
            (out / rel).unlink(missing_ok=True)
            written.pop(rel, None)
        token = self._save_postings(postings)
        self._save_state(
            {
                "fingerprint": self.fingerprint(),
                "numbers": numbers,
                "stamps": stamps,
                "buckets": buckets,
                "postings": token,
                "written": written,
            }
        )
        return {"pages": len(stamps), "files": len(written), "changed": count, "removed": len(stale)}

    def _merged(
        self, order: list[str], numbers: dict[str, int], emit: Callable[[Iterable[tuple[str, bytes]]], None]
    ) -> index.Postings:
        """Every record merged, one record in memory at a time; each page's text files go to
        ``emit`` on the way."""
        parts: list[tuple[int, np.ndarray, np.ndarray]] = []
        for name in order:
            record = self.get(name)
            if record is None:
                continue
            emit(_page_files({name: record}, numbers).items())
            parts.append((numbers[name], np.frombuffer(record.keys, np.uint64), np.frombuffer(record.values, np.uint8)))
        return index.merge(parts)

    # -- the merged postings, kept between builds -----------------------------------------------

    def _patched(
        self, state: dict, numbers: dict[str, int], changed: list[str], removed: list[str]
    ) -> tuple[index.Postings, set[int]] | None:
        """Last time's postings with the changed and removed pages patched in, and the buckets
        whose bytes that changes; None when a merge from scratch is the better way."""
        token, buckets = state.get("postings"), state.get("buckets")
        if not token or not buckets or len(changed) + len(removed) > max(64, len(numbers) // 20):
            return None
        postings = self._load_postings(token)
        if postings is None:
            return None
        old_numbers: dict[str, int] = state.get("numbers", {})
        if any(old_numbers.get(name, numbers[name]) != numbers[name] for name in numbers):
            return None
        touched: set[int] = set()
        # The removed first: a new page may take a removed page's number.
        for name in [*removed, *changed]:
            number = old_numbers.get(name) if name in removed else numbers[name]
            if number is None:
                continue
            mine = postings.docs == number
            old_keys, old_values = postings.keys[mine], postings.values[mine]
            record = self.get(name) if name in numbers else None
            new_keys = np.frombuffer(record.keys, np.uint64) if record else np.zeros(0, np.uint64)
            new_values = np.frombuffer(record.values, np.uint8) if record else np.zeros(0, np.uint8)
            differ = _changed_keys(old_keys, old_values, new_keys, new_values)
            if len(differ):
                touched.update(index.bucket_of(differ, buckets).tolist())
            postings = _replace_page(postings, mine, number, new_keys, new_values)
        if index.bucket_count(postings) != buckets:
            return None  # the index outgrew its shard count: shard it anew
        return postings, touched

    def _load_postings(self, token: str) -> index.Postings | None:
        cached = _POSTINGS.get(self.folder)
        if cached is not None and cached[0] == token:
            return cached[1]
        try:
            keys = np.fromfile(self.folder / f"postings-{token}.keys", dtype=np.uint64)
            docs = np.fromfile(self.folder / f"postings-{token}.docs", dtype=np.uint32)
            values = np.fromfile(self.folder / f"postings-{token}.values", dtype=np.uint8)
        except OSError:
            return None
        if not len(keys) == len(docs) == len(values):
            return None
        return index.Postings(keys, docs, values)

    def _save_postings(self, postings: index.Postings) -> str:
        token = hashlib.blake2b(os.urandom(16), digest_size=6).hexdigest()
        _POSTINGS[self.folder] = (token, postings)
        if keep_in_memory:
            # A long-lived build writes them once, when it stops (``persist``): 13 bytes per
            # n-gram and page, 440 MB at 10,000 articles, would be written after every save.
            (self.folder / "postings-unsaved").write_text(token, encoding="ascii")
            return token
        self._write_postings(token, postings)
        return token

    def _write_postings(self, token: str, postings: index.Postings) -> None:
        for part in ("keys", "docs", "values"):
            path = self.folder / f"postings-{token}.{part}"
            tmp = path.with_name(f".{path.name}.{os.getpid()}.part.tmp")
            getattr(postings, part).tofile(tmp)
            os.replace(tmp, path)
        for old in self.folder.glob("postings-*"):
            if not old.name.startswith(f"postings-{token}."):
                old.unlink(missing_ok=True)


# A long-lived build (``book serve``) keeps the merged postings in memory between builds and
# writes them to disk when it stops.
keep_in_memory = False


def persist() -> None:
    """Write the postings kept in memory, so the next process patches them instead of merging."""
    for folder, (token, postings) in list(_POSTINGS.items()):
        if (folder / "postings-unsaved").exists() and Store(folder)._state().get("postings") == token:
            Store(folder)._write_postings(token, postings)
            (folder / "postings-unsaved").unlink(missing_ok=True)


# The last merged postings of each records folder in this process.
_POSTINGS: dict[Path, tuple[str, index.Postings]] = {}


def _changed_keys(
    old_keys: np.ndarray, old_values: np.ndarray, new_keys: np.ndarray, new_values: np.ndarray
) -> np.ndarray:
    """The n-grams a page gained, lost, or holds in other places or numbers."""
    gone_or_new = np.setxor1d(old_keys, new_keys, assume_unique=True)
    both, old_at, new_at = np.intersect1d(old_keys, new_keys, assume_unique=True, return_indices=True)
    moved = both[old_values[old_at] != new_values[new_at]]
    return np.concatenate((gone_or_new, moved))


def _replace_page(
    postings: index.Postings, mine: np.ndarray, number: int, keys: np.ndarray, values: np.ndarray
) -> index.Postings:
    """``postings`` with page ``number``'s entries (``mine``) replaced by ``keys``/``values``."""
    keep = ~mine
    old_keys, old_docs, old_values = postings.keys[keep], postings.docs[keep], postings.values[keep]
    if not len(keys):
        return index.Postings(old_keys, old_docs, old_values)
    # Within an n-gram pages stay in order: the page goes after the pages below it.
    low = np.searchsorted(old_keys, keys, side="left")
    high = np.searchsorted(old_keys, keys, side="right")
    at = low.copy()
    for i in np.flatnonzero(high > low):
        at[i] = low[i] + np.searchsorted(old_docs[low[i] : high[i]], number)
    return index.Postings(
        np.insert(old_keys, at, keys), np.insert(old_docs, at, np.uint32(number)), np.insert(old_values, at, values)
    )


def _renumber(old: dict[str, int], docnames: list[str]) -> dict[str, int]:
    """Keep each page's number; give new pages the lowest free numbers, in name order."""
    numbers = {name: old[name] for name in docnames if name in old}
    taken = set(numbers.values())
    free = (n for n in range(len(docnames) + len(taken) + 1) if n not in taken)
    for name in docnames:
        if name not in numbers:
            numbers[name] = next(free)
    return numbers


def _all_files(records: dict[str, Record], numbers: dict[str, int]) -> tuple[dict[str, bytes], index.Postings, int]:
    """Every file of the site's index made from scratch, in memory (tests compare with it)."""
    order = sorted(records, key=numbers.__getitem__)
    postings = index.merge(
        (
            numbers[name],
            np.frombuffer(records[name].keys, dtype=np.uint64),
            np.frombuffer(records[name].values, dtype=np.uint8),
        )
        for name in order
    )
    buckets = index.bucket_count(postings)
    files = dict(_bucket_files(index.encode_buckets(postings, buckets).items()))
    files.update(_page_files(records, numbers))
    files.update(_meta_files(buckets, numbers, len(records)))
    return files, postings, buckets


def _bucket_files(shards: Iterable[tuple[int, index.Shard]]) -> Iterator[tuple[str, bytes]]:
    for b, shard in shards:
        yield f"b/{b}.js", f'BookSearch.bucket({b},"{index.b64(shard.data)}");\n'.encode("ascii")
        for i, posting in shard.own.items():
            yield f"k/{b}-{i}.js", f'BookSearch.posting({b},{i},"{index.b64(posting)}");\n'.encode("ascii")


CHUNK_CHARS = 1500


def _page_number(rel: str) -> int:
    return int(rel[2:].split(".")[0].split("-")[0])


def chunks(text: str) -> list[str]:
    """``text`` cut between lines into parts of about CHUNK_CHARS (a longer line is one part)."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.split("\n"):
        if current and size + len(line) > CHUNK_CHARS:
            parts.append("\n".join(current))
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    parts.append("\n".join(current))
    return parts


def _page_files(records: dict[str, Record], numbers: dict[str, int]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for name, r in records.items():
        n = numbers[name]
        parts = chunks(r.text)
        payload = _js_string({"url": r.url, "title": r.title, "parts": len(parts), "text": parts[0]})
        files[f"d/{n}.js"] = f"BookSearch.page({n},{payload});\n".encode()
        for i, part in enumerate(parts[1:], start=1):
            files[f"d/{n}-{i}.js"] = f"BookSearch.part({n},{i},{_js_string(part)});\n".encode()
    return files


def _meta_files(buckets: int, numbers: dict[str, int], indexed: int) -> Iterator[tuple[str, bytes]]:
    pages = max(numbers.values(), default=-1) + 1
    meta = {"format": FORMAT, "buckets": buckets, "pages": pages, "indexed": indexed, "maxN": index.MAX_N}
    yield "meta.js", f"BookSearch.meta({_js_string(meta)});\n".encode()
    yield "fold.js", f"BookSearch.fold({TABLE_FILE.read_text(encoding='utf-8').strip()});\n".encode()
