"""Tags and topics: the curated vocabulary (``data/tags.yml``) and jieba TF-IDF keywords.

An article's *topic* is the first curated entity its title names (else the
first one its text names, else 其他).  Its *keywords* are the words with the
highest TF-IDF over the parts of the article that say what it is about
(title, headings, intro, summary).  IDF is jieba's table for Chinese at large
plus the word's IDF within our corpus, so a word that every article of this
collection uses (催收 in a debt-collection site) does not tag everything,
while a corpus of one article still gets sensible keywords.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import jieba
import jieba.posseg
import yaml

from ..errors import BookError
from ..slug import base_dictionary

jieba.setLogLevel(60)

OTHER_TOPIC = "其他"
KEYWORDS_PER_ARTICLE = 5


@dataclass(frozen=True)
class Vocabulary:
    entities: tuple[str, ...] = ()
    synonyms: dict[str, str] = field(default_factory=dict)
    stopwords: frozenset[str] = frozenset()

    def canonical(self, word: str) -> str:
        return self.synonyms.get(word, word)

    def topic(self, title: str, text: str = "") -> str:
        for source in (title, text):
            found = [(source.find(e), -len(e), e) for e in self.entities if e in source]
            if found:
                return min(found)[2]
        return OTHER_TOPIC

    def entities_in(self, text: str) -> list[str]:
        return [e for e in self.entities if e in text]


def load_vocabulary(path: Path) -> Vocabulary:
    if not path.exists():
        return Vocabulary()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 1
        raise BookError(str(path), line, f"the tag vocabulary is not valid YAML: {exc}", "fix the YAML syntax") from exc
    if not isinstance(raw, dict):
        raise BookError(str(path), 1, "the tag vocabulary must be a mapping", "see the comments at the top of the file")
    vocab = Vocabulary(
        entities=tuple(str(e) for e in raw.get("entities") or ()),
        synonyms={str(k): str(v) for k, v in (raw.get("synonyms") or {}).items()},
        stopwords=frozenset(str(w) for w in raw.get("stopwords") or ()),
    )
    load_dictionary()
    for name in vocab.entities:
        jieba.add_word(name, freq=100000)  # keep 国美金融 whole instead of 国美 + 金融
    return vocab


def _general_idf() -> tuple[dict[str, float], float]:
    # Imported here: it reads jieba's IDF table (0.6 s), which only keyword weights need.
    import jieba.analyse

    tfidf = jieba.analyse.default_tfidf
    return tfidf.idf_freq, tfidf.median_idf


def _is_word(word: str) -> bool:
    return len(word) >= 2 and not word.isascii() and not word.isdigit()


@dataclass
class KeywordModel:
    """Document frequencies over a corpus; scores one article's words against it."""

    documents: Sequence[Counter[str]]

    @cached_property
    def df(self) -> Counter[str]:
        df: Counter[str] = Counter()
        for tf in self.documents:
            df.update(tf.keys())
        return df

    def keywords(self, tf: Counter[str], k: int = KEYWORDS_PER_ARTICLE) -> list[tuple[str, float]]:
        idf_freq, median = _general_idf()
        n = len(self.documents)
        total = sum(tf.values()) or 1
        scores = {
            word: (count / total) * (idf_freq.get(word, median) + math.log((n + 1) / (self.df.get(word, 0) + 1)))
            for word, count in tf.items()
        }
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        return [(word, round(score, 6)) for word, score in ranked]


# Nouns and verbs carry what an article is about; particles, numbers and
# adverbs only add noise.  'x' (unknown) is kept for curated entities alone.
_TAG_POS = ("n", "v")


def load_dictionary() -> None:
    """Load jieba's dictionary now, e.g. once before forking processes that segment.

    Slugs keep a tokenizer of their own (``book.slug``) with the same dictionary; rather than
    read it from disk a second time (0.4 s), the shared one starts from a copy of it."""
    tokenizer = jieba.dt
    if tokenizer.initialized:
        return
    with tokenizer.lock:
        if not tokenizer.initialized and tokenizer.dictionary == jieba.DEFAULT_DICT and not tokenizer.cache_file:
            freq, total = base_dictionary()
            tokenizer.FREQ, tokenizer.total = dict(freq), total
            tokenizer.initialized = True
    tokenizer.check_initialized()


def term_frequencies(texts: Iterable[str], vocab: Vocabulary) -> Counter[str]:
    tf: Counter[str] = Counter()
    entities = set(vocab.entities)
    for text in texts:
        # HMM=False: the HMM guesses unknown words (and their tags) with a
        # pure-Python Viterbi that costs ~50x the dictionary lookup; curated
        # entities are in the dictionary, which is what keywords need.
        for pair in jieba.posseg.lcut(text, HMM=False):
            word = vocab.canonical(pair.word.strip())
            if not (pair.flag.startswith(_TAG_POS) or word in entities):
                continue
            if _is_word(word) and word not in vocab.stopwords:
                tf[word] += 1
    return tf
