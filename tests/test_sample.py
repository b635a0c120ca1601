"""The synthetic corpus: deterministic, readable, and as varied as the format says real captures are."""

from __future__ import annotations

import hashlib
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

from book import sample
from book.model import Article
from book.readers import headings
from book.readers.text import reads

N = 300
SEED = 0
ALL_SCHEMES = {name for name, _ in headings.SCHEMES} | {"question", "closing"}


@pytest.fixture(scope="module")
def corpus() -> list[tuple[sample.Sample, Article]]:
    """(what was generated, what the text reader makes of it) for a ~300-article corpus."""
    return [(s, reads(s.text, s.file_name)) for s in sample.samples(N, SEED)]


@pytest.fixture(scope="module")
def big() -> list[sample.Sample]:
    """A corpus big enough to hold every structure, deep ones included (not read: too slow)."""
    return list(sample.samples(2000, 4))


def _digest(n: int, seed: int) -> str:
    h = hashlib.sha256()
    for name, text in sample.generate(n, seed):
        h.update(name.encode() + b"\0" + text.encode() + b"\0")
    return h.hexdigest()


# --------------------------------------------------------------------------- determinism


def test_same_seed_same_bytes_different_seed_different() -> None:
    first = list(sample.generate(60, 5))
    assert first == list(sample.generate(60, 5))
    other = list(sample.generate(60, 6))
    assert [t for _, t in other] != [t for _, t in first]
    assert len(first) == 60


def test_output_does_not_depend_on_the_process_hash_seed() -> None:
    # str hashes are salted per process; a generator that iterated a set of
    # strings would pass the in-process test above and still differ between runs.
    code = (
        "import hashlib; from book import sample; h = hashlib.sha256()\n"
        "for name, text in sample.generate(40, 11):\n"
        "    h.update(name.encode() + b'\\0' + text.encode() + b'\\0')\n"
        "print(h.hexdigest())"
    )
    root = Path(__file__).resolve().parent.parent
    outs = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(root)}
        run = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        outs.add(run.stdout.strip())
    assert outs == {_digest(40, 11)}


def test_generate_is_lazy_and_empty_for_zero() -> None:
    it = sample.generate(5000, 1)
    name, text = next(it)  # must not build 5000 articles first
    assert name.endswith(".txt") and text
    assert list(sample.generate(0)) == []


# --------------------------------------------------------------------------- anatomy


def test_every_capture_reads_and_keeps_its_identity(corpus) -> None:
    names = [s.file_name for s, _ in corpus]
    assert len(set(names)) == len(names) == N
    ids = [s.id for s, _ in corpus]
    assert ids == sorted(ids) and len(set(ids)) == N
    assert ids[0] >= sample.FIRST_ID
    assert any(b - a > 1 for a, b in zip(ids, ids[1:], strict=False)), "ids should not be contiguous"
    for s, art in corpus:
        assert re.fullmatch(r"\d+\.txt", s.file_name)
        assert art.title == s.title
        if s.body_only:
            assert not art.source_url and not art.related and art.category == ("未分类",)
            continue
        assert art.id == str(s.id) == s.file_name.removesuffix(".txt")
        assert art.source_url == f"https://www.hefeilaws.com/hf/{s.id}.html"
        assert re.fullmatch(r"\d\d-\d\d", art.date), art.date
        assert art.age and art.views is not None
        assert 4 <= len(art.related) <= 8
        assert [r.title for r in art.related] == list(s.related)
        assert all(r.excerpt.endswith("...") for r in art.related)
        if not s.traditional_page:
            assert art.copyright == sample.COPYRIGHT
            assert art.category == s.category
            assert art.related_marker == s.title + "的相关文章"


def test_meta_lines_vary_like_the_seed(corpus) -> None:
    pages = [a for s, a in corpus if not s.body_only and not s.traditional_page]
    assert len({a.author for a in pages}) >= 4
    assert len({a.age for a in pages}) >= 10
    assert len({a.date for a in pages}) >= 50
    assert len({a.views for a in pages}) >= 30
    assert any(len(a.category) == 2 for a in pages), "some breadcrumbs should be nested"
    assert any("个月前" in a.age for a in pages)


def test_categories_and_topics(corpus) -> None:
    assert len({s.category[0] for s, _ in corpus}) >= 5
    topics_in_titles = {s.topic for s, _ in corpus if s.topic in s.title}
    assert len(topics_in_titles) >= 20
    # The site is about debt first: the biggest category is the finance one.
    counts: dict[str, int] = {}
    for s, _ in corpus:
        counts[s.category[0]] = counts.get(s.category[0], 0) + 1
    assert max(counts, key=counts.get) == "金融债务"


def test_lengths_are_skewed_like_real_articles() -> None:
    sizes = sorted(s.body_chars for s in sample.samples(1000, 2))
    median = statistics.median(sizes)
    assert 1800 <= median <= 3500, median
    assert sizes[0] >= 250 and sizes[-1] <= 22000
    assert statistics.mean(sizes) > median, "long tail to the right"
    assert sizes[int(0.95 * len(sizes))] > 2.5 * median


def test_template_holes_and_normalised_punctuation(corpus) -> None:
    texts = [s.text for s, _ in corpus]
    assert any("成立于年" in t for t in texts)
    assert any("位于市,具体地址为。" in t for t in texts)
    assert not any("，" in t or "：" in t for t in texts), "the capture normalised ，and ： to ASCII"


def test_body_only_and_traditional_captures_exist(corpus) -> None:
    body_only = [s for s, _ in corpus if s.body_only]
    traditional = [s for s, _ in corpus if s.traditional]
    assert 1 <= len(body_only) <= N // 10
    assert 1 <= len(traditional) <= N // 10
    for s in traditional:
        assert re.search("[們個於與這說應當關係從為]", s.text)
        assert not re.search("[们个于与这说关系从为]", s.title)
    for s, art in corpus:
        if s.traditional_page:
            assert s.text.startswith("當前位置:首頁") and art.copyright.startswith("版權聲明")


# --------------------------------------------------------------------------- headings


def test_every_heading_scheme_occurs_and_is_detected(corpus) -> None:
    detected = {headings.scheme_of(b.text) for _, a in corpus for b in a.blocks if b.kind == "heading"}
    assert ALL_SCHEMES <= detected, ALL_SCHEMES - detected
    mixed = [s for s, _ in corpus if len({sc for _, _, sc in s.headings} - {"closing"}) >= 2]
    assert len(mixed) > N // 3, "most structured articles mix schemes"


def test_no_paragraph_is_read_as_a_heading(corpus) -> None:
    for s, art in corpus:
        intended = {t for t, _, _ in s.headings}
        for b in art.blocks:
            if b.kind == "heading":
                assert b.text in intended, (s.file_name, b.text)
        for t in intended:
            assert len(t) <= headings.MAX_HEADING_CHARS, t


def test_reader_levels_match_what_the_generator_meant(corpus) -> None:
    for s, art in corpus:
        got = [(b.text, b.level) for b in art.blocks if b.kind == "heading"]
        assert got == [(t, lvl) for t, lvl, _ in s.headings], s.file_name


@pytest.mark.parametrize(
    ("schemes", "levels"),
    [
        (("cn-dun", "num2"), {1, 2}),
        (("chapter", "jie"), {1, 2}),
        (("cn-dun", "cn-paren", "num"), {1, 2, 3}),
        (("num", "num2", "num3"), {1, 2, 3}),
        (("question",), {1}),
        (("cn-dun", "question"), {1, 2}),
    ],
)
def test_structured_examples(schemes: tuple[str, ...], levels: set[int], big: list[sample.Sample]) -> None:
    for s in big:
        used = tuple(dict.fromkeys(sc for _, _, sc in s.headings if sc != "closing"))
        if used != schemes or s.traditional:
            continue
        art = reads(s.text, s.file_name)
        got = [(b.text, b.level) for b in art.blocks if b.kind == "heading" and b.text != "小编总结"]
        by_scheme = {sc: lvl for _, lvl, sc in s.headings}
        assert {lvl for _, lvl in got} >= levels
        for text, lvl in got:
            scheme = headings.scheme_of(text)
            assert lvl == by_scheme[scheme], (s.file_name, text, lvl)
        return
    pytest.fail(f"no article uses {schemes}")


def test_intro_and_summary_markers(corpus) -> None:
    arts = [a for _, a in corpus]
    assert sum(a.intro_marker == "小编导语" for a in arts) > N // 2
    assert sum(a.summary_marker == "小编总结" for a in arts) > N // 2
    with_intro = [a for a in arts if a.intro_marker]
    assert all(any(b.part == "intro" for b in a.blocks) for a in with_intro)


# --------------------------------------------------------------------------- related articles


def test_related_titles_mostly_resolve_inside_the_corpus(corpus) -> None:
    titles = {s.title for s, _ in corpus}
    related = [r.title for _, a in corpus for r in a.related]
    resolved = sum(t in titles for t in related)
    assert resolved / len(related) >= 0.7
    assert resolved < len(related), "some related articles are outside the corpus"
    for s, a in corpus:
        assert s.title not in [r.title for r in a.related], "an article does not relate to itself"


def test_related_excerpts_are_the_start_of_the_related_article(corpus) -> None:
    by_title = {s.title: s for s, _ in corpus}
    checked = 0
    for s, art in corpus:
        if s.traditional_page:
            continue
        for r in art.related:
            target = by_title.get(r.title)
            if target is None:
                continue
            lines = [line for line in target.text.split("\n") if line.strip()]
            body = " ".join(lines[1 if target.body_only else 3 :])
            assert body.startswith(r.excerpt.removesuffix("...")), (s.file_name, r.title)
            checked += 1
    assert checked > N


# --------------------------------------------------------------------------- files and CLI


def test_write_and_main(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = sample.write(12, tmp_path / "a" / "b", seed=3)
    assert [p.name for p in paths] == [name for name, _ in sample.generate(12, 3)]
    assert [p.read_bytes().decode("utf-8") for p in paths] == [t for _, t in sample.generate(12, 3)]

    out = tmp_path / "cli"
    assert sample.main(["--articles", "12", "--out", str(out), "--seed", "3"]) == 0
    printed = capsys.readouterr().out.strip().splitlines()
    assert len(printed) == 1 and "12 articles" in printed[0]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)
    assert all((out / p.name).read_bytes() == p.read_bytes() for p in paths)


def test_main_rejects_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        sample.main(["--articles", "0", "--out", str(tmp_path)])
    with pytest.raises(SystemExit):
        sample.main(["--out", str(tmp_path)])
