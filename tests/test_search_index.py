"""The search index without a browser: folding, n-grams, the shard format, and the shards on disk.

What the search page does with these files is tested in tests/test_search_browser.py; here
every query is answered by ``book.search.query.SiteIndex``, which reads the same files the
same way, and compared with the plain truth: the pages whose folded text holds the query.
"""

from __future__ import annotations

import base64
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from book.search import fold, index, shards
from book.search.query import SiteIndex

# --- folding ------------------------------------------------------------------------------------


def test_the_committed_fold_table_is_what_unicode_and_opencc_give() -> None:
    # fold_table.json is generated (python -m book.search.fold --update); a new OpenCC or
    # Python must not change it silently.
    assert fold.fold_map() == fold.derive_fold_map()


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("債務重組", "债务重组"),
        ("網貸協商還款", "网贷协商还款"),
        ("律師回答 問題摘要", "律师回答 问题摘要"),
        ("ＡＰＰ２０２４年", "app2024年"),
        ("P2P网贷", "p2p网贷"),
        ("①第一步", "1第一步"),
    ],
)
def test_folding_meets_simplified_traditional_and_full_width(text: str, folded: str) -> None:
    assert fold.fold(text) == folded


@given(st.text())
def test_folding_keeps_every_character_in_its_place(text: str) -> None:
    out = fold.fold(text)
    assert len(out) == len(text)
    assert fold.fold(out) == out  # folding twice changes nothing


def test_query_terms_are_its_words_folded_once_each() -> None:
    assert fold.terms("  協商還款, P2P 网贷! 网贷") == ["协商还款", "p2p", "网贷"]
    assert fold.terms("，。！") == []


# --- n-grams of a page -------------------------------------------------------------------------------


def _page(*blocks: tuple[str, str], url: str = "p.html") -> index.Page:
    return index.Page(url, blocks[0][1] if blocks else "", blocks)


def _grams(page: index.Page) -> dict[str, int]:
    keys, values = index.postings(page)
    out = {}
    for k, v in zip(keys.tolist(), values.tolist(), strict=True):
        points = [(k >> 42) & 0x1FFFFF, (k >> 21) & 0x1FFFFF, k & 0x1FFFFF]
        out["".join(chr(p) for p in points if p)] = v
    return out


def test_a_page_is_indexed_by_every_character_pair_and_triple_of_its_words() -> None:
    grams = _grams(_page(("title", "网贷逾期"), ("heading", "一、协商"), ("body", "协商还款,协商")))
    assert {"网", "网贷", "网贷逾", "贷逾期", "协商还", "商还款"} <= set(grams)
    assert "逾期一" not in grams and "款,协" not in grams  # never across blocks or punctuation
    assert grams["网贷"] == index.TITLE | 1
    assert grams["协商"] == index.HEADING | index.BODY | 3
    assert grams["一"] == index.HEADING | 1


def test_a_count_stops_at_31() -> None:
    assert _grams(_page(("body", "债" * 100)))["债"] == index.BODY | 31


# --- the shard format ------------------------------------------------------------------------------

WORDS = st.text(alphabet="网贷协商還款债務abc1", min_size=0, max_size=30)


@settings(max_examples=60, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=25), st.sampled_from([16, 32]))
def test_buckets_decode_to_the_postings_they_were_made_from(texts: list[str], buckets: int) -> None:
    postings = index.merge((n, *index.postings(_page(("body", t)))) for n, t in enumerate(texts))
    encoded = index.encode_buckets(postings, buckets)
    assert sorted(encoded) == list(range(buckets))
    seen = 0
    for b, shard in encoded.items():
        for position, (k, (own, data)) in enumerate(index.decode_bucket(shard.data).items()):
            assert index.bucket_of(np.array([k], dtype=np.uint64), buckets)[0] == b
            if own:
                data = shard.own[position]
            mask = postings.keys == np.uint64(k)
            assert index.decode_posting(data) == list(
                zip(postings.docs[mask].tolist(), postings.values[mask].tolist(), strict=True)
            )
            seen += 1
    assert seen == len(np.unique(postings.keys))


def test_a_posting_too_big_for_a_shard_gets_a_file_of_its_own() -> None:
    pages = [(n, *index.postings(_page(("body", f"债务{n}")))) for n in range(0, 40_000, 3)]
    postings = index.merge(pages)
    shard_of = index.bucket_of(np.array([index.key("债")], dtype=np.uint64), 16)[0]
    shard = index.encode_buckets(postings, 16)[int(shard_of)]
    table = index.decode_bucket(shard.data)
    own, inline = table[index.key("债")]
    assert own and inline == b""
    position = list(table).index(index.key("债"))
    assert len(index.decode_posting(shard.own[position])) == len(pages)


# --- queries against shards on disk, compared with the plain truth ---------------------------------

TEXT = st.text(alphabet="网贷逾期協商还還款债務重组a1B，。 ", min_size=0, max_size=40)


def _truth(texts: dict[str, str], query: str) -> set[str]:
    words = fold.terms(query)
    return {url for url, text in texts.items() if words and all(w in fold.fold(text) for w in words)}


def _stored(folder: Path, texts: dict[str, str], site: Path) -> shards.Store:
    """A new store of pages named by ``texts``' keys (their titles too), written to ``site``."""
    store = shards.Store(folder)
    store.reset()
    for name, text in texts.items():
        store.put(_page(("title", name), ("body", text), url=name), name)
    store.write_site(site, list(texts))
    return store


def _site(tmp: Path, texts: dict[str, str]) -> SiteIndex:
    store = shards.Store(tmp / "records")
    if not store.current():
        store.reset()
    for url, text in texts.items():
        store.put(_page(("title", url), ("body", text), url=url), url)
    store.write_site(tmp / "site", list(texts))
    return SiteIndex(tmp / "site")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(TEXT, min_size=1, max_size=12), st.lists(TEXT, min_size=1, max_size=8), st.data())
def test_every_page_that_holds_the_query_is_found_and_no_other(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str], queries: list[str], data: st.DataObject
) -> None:
    pages = {f"p{n}.html": t for n, t in enumerate(texts)}
    site = _site(tmp_path_factory.mktemp("q"), pages)
    # Queries drawn from the pages themselves as well as at random.
    some = data.draw(st.sampled_from(texts))
    start = data.draw(st.integers(0, max(0, len(some) - 1)))
    for query in [*queries, some[start : start + data.draw(st.integers(1, 6))]]:
        # The title is part of the page too: p0.html holds "p0" and "html".
        expected = _truth({u: f"{u}\n{t}" for u, t in pages.items()}, query)
        assert set(site.results(query)) == expected, query


def test_title_hits_come_first_then_headings_then_frequency(tmp_path: Path) -> None:
    store = shards.Store(tmp_path / "records")
    store.reset()
    pages = {
        "body-once.html": (("title", "甲"), ("body", "说到网贷")),
        "body-often.html": (("title", "乙"), ("body", "网贷 网贷 网贷")),
        "heading.html": (("title", "丙"), ("heading", "网贷的风险"), ("body", "正文")),
        "title.html": (("title", "网贷逾期怎么办"), ("body", "正文")),
    }
    for url, blocks in pages.items():
        store.put(index.Page(url, blocks[0][1], blocks), url)
    store.write_site(tmp_path / "site", list(pages))
    ranked = SiteIndex(tmp_path / "site").results("網貸")
    assert ranked == ["title.html", "heading.html", "body-often.html", "body-once.html"]


# --- incremental shards equal shards made from scratch ------------------------------------------------

EDITS = st.lists(
    st.tuples(st.sampled_from(["put", "remove"]), st.integers(0, 30), TEXT),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(TEXT, min_size=1, max_size=30), st.lists(EDITS, min_size=1, max_size=4))
def test_shards_patched_after_edits_are_the_shards_a_merge_from_scratch_makes(
    tmp_path_factory: pytest.TempPathFactory, first: list[str], rounds: list[list[tuple[str, int, str]]]
) -> None:
    tmp = tmp_path_factory.mktemp("inc")
    store = shards.Store(tmp / "records")
    store.reset()
    pages = {f"p{n:02d}": t for n, t in enumerate(first)}
    for name, text in pages.items():
        store.put(_page(("title", name), ("body", text), url=name), name)
    store.write_site(tmp / "site", list(pages))
    for edits in rounds:
        for action, n, text in edits:
            name = f"p{n:02d}"
            if action == "put":
                pages[name] = text
                store.put(_page(("title", name), ("body", text), url=name), name)
            else:
                pages.pop(name, None)
        store.write_site(tmp / "site", list(pages))
        state = store._state()
        files, _, _ = shards._all_files(store._records(sorted(pages)), state["numbers"])
        on_disk = {
            str(p.relative_to(tmp / "site" / "_search")): p.read_bytes()
            for p in (tmp / "site" / "_search").rglob("*.js")
        }
        assert on_disk == files


def test_an_unchanged_book_writes_nothing(tmp_path: Path) -> None:
    site = _site(tmp_path, {f"p{n}.html": f"第{n}篇 网贷协商" for n in range(50)})
    before = {p: p.stat().st_mtime_ns for p in site.folder.rglob("*.js")}
    counts = shards.Store(tmp_path / "records").write_site(tmp_path / "site", [f"p{n}.html" for n in range(50)])
    assert counts["changed"] == 0
    assert {p: p.stat().st_mtime_ns for p in site.folder.rglob("*.js")} == before


def test_an_edit_rewrites_the_shards_of_the_n_grams_it_changed_and_its_page(tmp_path: Path) -> None:
    texts = {f"p{n:03d}": f"第{n}篇 网贷协商还款的办法,债务重组" for n in range(300)}
    store = _stored(tmp_path / "records", texts, tmp_path / "site")
    folder = tmp_path / "site" / "_search"
    before = {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*.js")}
    store.put(_page(("title", "p007"), ("body", texts["p007"] + "鸮"), url="p007"), "p007")
    store.write_site(tmp_path / "site", list(texts))
    after = {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*.js")}
    touched = {rel for rel, stamp in after.items() if before.get(rel) != stamp}
    buckets = SiteIndex(tmp_path / "site").meta["buckets"]
    new = [index.key(g) for g in ("鸮", "债务重组"[-2:] + "鸮", "组鸮")]
    expected = {f"b/{b}.js" for b in index.bucket_of(np.array(new, dtype=np.uint64), buckets)}
    number = store._state()["numbers"]["p007"]
    assert touched == expected | {f"d/{number}.js"}
    assert SiteIndex(tmp_path / "site").results("组鸮") == ["p007"]


@given(st.lists(st.text(alphabet="网贷a\u3000", max_size=900), min_size=1, max_size=12))
def test_page_text_is_cut_into_parts_between_lines_and_loses_nothing(lines: list[str]) -> None:
    text = "\n".join(lines)
    parts = shards.chunks(text)
    assert "\n".join(parts) == text
    for part in parts:
        assert len(part) <= shards.CHUNK_CHARS or "\n" not in part


def test_records_of_another_format_are_made_again(tmp_path: Path) -> None:
    store = shards.Store(tmp_path / "records")
    store.reset()
    assert store.current()
    state = store._state()
    state["fingerprint"] = "0:old"
    store._save_state(state)
    assert not store.current()


def test_index_files_are_javascript_calls_of_base64_or_json(tmp_path: Path) -> None:
    site = _site(tmp_path, {"a.html": "网贷</script><script>alert(1)</script>\u2028"})
    for path in site.folder.rglob("*.js"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("BookSearch.") and text.endswith(");\n")
        assert "\u2028" not in text  # a line end to older parsers, inside a string
    bucket = next((site.folder / "b").glob("*.js")).read_text(encoding="ascii")
    base64.b64decode(bucket.split('"')[1], validate=True)
    assert unicodedata.normalize("NFC", site.page(0)["text"]).startswith("a.html\n网贷</script>")


def test_a_long_lived_build_keeps_the_postings_in_memory_and_writes_them_when_it_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shards, "keep_in_memory", True)
    store = _stored(tmp_path / "records", {f"p{n}": f"第{n}篇 网贷" for n in range(20)}, tmp_path / "site")
    token = store._state()["postings"]
    assert not list((tmp_path / "records").glob("postings-*.keys"))
    shards.persist()
    monkeypatch.setattr(shards, "keep_in_memory", False)
    shards._POSTINGS.clear()  # as in the next process
    loaded = store._load_postings(token)
    assert loaded is not None and len(loaded.keys) > 0
    assert not (tmp_path / "records" / "postings-unsaved").exists()


def test_buckets_made_a_group_at_a_time_are_the_buckets_made_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [f"第{n}篇 网贷协商还款,债务重组{n * 7}" for n in range(200)]
    postings = index.merge((n, *index.postings(_page(("body", t)))) for n, t in enumerate(texts))
    monkeypatch.setattr(index, "GROUP_ENTRIES", 500)  # many groups
    grouped = dict(index.encode_bucket_groups(postings, 32))
    assert len(postings.keys) > 10 * index.GROUP_ENTRIES
    assert {b: (s.data, s.own) for b, s in grouped.items()} == {
        b: (s.data, s.own) for b, s in index.encode_buckets(postings, 32).items()
    }
