"""ASCII slugs for Chinese names, so folder names and URLs stay ASCII."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

import jieba
from pypinyin import lazy_pinyin

jieba.setLogLevel(60)  # jieba prints its dictionary loading to stderr otherwise
# A tokenizer of our own: the shared one learns the curated entities, and a
# slug must not change because data/tags.yml did.
_TOKENIZER = jieba.Tokenizer()


def base_dictionary() -> tuple[dict[str, int], int]:
    """jieba's own dictionary as this module's tokenizer holds it: never taught another word.
    Loading it costs 0.4 s a process; ``book.catalog.tagging`` starts the shared tokenizer from a copy."""
    _TOKENIZER.check_initialized()
    return _TOKENIZER.FREQ, _TOKENIZER.total


_NON_SLUG = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=4096)
def slugify(name: str) -> str:
    """``金融债务`` → ``jinrong-zhaiwu``: pinyin per jieba word, words joined by ``-``."""
    words = []
    for word in _TOKENIZER.lcut(name):
        pinyin = "".join(lazy_pinyin(word, errors="default")).lower()
        pinyin = _NON_SLUG.sub("", pinyin.replace("ü", "v"))
        if pinyin:
            words.append(pinyin)
    slug = "-".join(words).strip("-")
    return slug or "x" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]


def title_key(title: str) -> str:
    """Stable label for an article title: how related lists (which know only titles) link to it."""
    normal = " ".join(title.split())
    return "t-" + hashlib.sha256(normal.encode("utf-8")).hexdigest()[:12]
