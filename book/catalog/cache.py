"""What ``index`` learned about each notebook, kept between runs in ``_build/.book-cache/``.

Reading and segmenting ten thousand notebooks costs seconds; a notebook whose
size and modification time have not changed is taken from here instead.  The
cache is dropped whole when the curated vocabulary or this format changes, and
it is only ever an optimisation: deleting it changes no output.
"""

from __future__ import annotations

import hashlib
import pickle
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..fsutil import atomic_write_bytes

FORMAT = 3  # 2: entries keep the body's length, not its sentences; 3: and their links

Stamp = tuple[int, int]  # (mtime_ns, size)


@dataclass
class ScanCache:
    path: Path
    key: str  # format and vocabulary: a change to either invalidates everything
    records: dict[str, tuple[Stamp, object, Counter[str] | None]] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, path: Path, vocabulary: Path) -> ScanCache:
        vocab = vocabulary.read_bytes() if vocabulary.exists() else b""
        key = f"{FORMAT}:{hashlib.sha256(vocab).hexdigest()}"
        try:
            stored_key, records = pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
            return cls(path, key)
        return cls(path, key, records if stored_key == key else {})

    def entry(self, rel: str, stamp: Stamp) -> object | None:
        self.seen.add(rel)
        record = self.records.get(rel)
        return record[1] if record and record[0] == stamp else None

    def tf(self, rel: str, entry: object) -> Counter[str] | None:
        """Keyword counts stored with ``entry`` (the one this cache returned or was given)."""
        record = self.records.get(rel)
        return record[2] if record and record[1] is entry else None

    def put_tf(self, rel: str, entry: object, tf: Counter[str]) -> None:
        record = self.records.get(rel)
        if record and record[1] is entry:
            self.records[rel] = (record[0], entry, tf)

    def put(self, rel: str, stamp: Stamp, entry: object, tf: Counter[str] | None = None) -> None:
        self.seen.add(rel)
        self.records[rel] = (stamp, entry, tf)

    def save(self) -> None:
        kept = {rel: record for rel, record in self.records.items() if rel in self.seen}
        atomic_write_bytes(self.path, pickle.dumps((self.key, kept), protocol=pickle.HIGHEST_PROTOCOL))
