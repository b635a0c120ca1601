"""Pagefind against the book's character n-gram search, measured on the same built book.

    /work/main/.venv/bin/python bench/search_compare.py [--sizes 1000 10000] [--old-builds 3] [--old-at 1000]

For each size N: a fresh book in ``bench/work/search-N/book`` (as ``bench/run.py`` makes it), the
synthetic corpus ``book sample --articles N --seed 0`` imported and built with ``python -m book build``;
then Pagefind (``pagefind-bin-extended``, pinned in ``bench/requirements.txt``) indexes the article
pages of the same site.  Both are asked the same queries and compared with substring truth derived
from the built article pages; bytes and time per query are measured in headless Chromium (Debian's,
under Playwright) over a local static server, a fresh browser context per query.  Optionally the
previous search (Sphinx's, at ``--old-commit``) is built on the same corpus, alternating with ours.

Every figure goes to ``bench/results/<date>-search-<host>.json`` with the command that produced it;
a Markdown table is printed.  What each figure means: ``METHOD`` below and ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO))

import run as benchrun  # noqa: E402  (bench/run.py: command runner, book folders, machine block)
from lxml import html as lxml_html  # noqa: E402

from book.search.fold import WORD_RUN, fold, terms  # noqa: E402
from book.search.query import SiteIndex  # noqa: E402
from tests import browser  # noqa: E402  (local static server and Debian's Chromium; read only)

WORK = benchrun.WORK
PYTHON = benchrun.PYTHON
OLD_COMMIT = "470be9a"
SHOWN = 10  # results with snippets on the first page, in both UIs
BROWSER_SAMPLE = 30  # random queries measured in the browser (besides every everyday one)
RANDOM_QUERIES = 200

RE_SEARCH_LINE = re.compile(
    r"search index: (?P<pages>\d+) pages, (?P<files>\d+) files, (?P<written>\d+) written, "
    r"(?P<removed>\d+) removed in (?P<s>[\d.]+) s"
)

# The issue's everyday queries (the first 20) and ten more of the same kind.
EVERYDAY = (
    "网贷", "协商还款", "信用记录", "暴力催收", "民间借贷", "债务重组", "转账记录", "消费金融", "起诉", "催收",
    "协商", "国美金融", "逾期", "还款", "信用卡", "律师", "征信", "利息", "分期", "借款合同",
    "法院", "诉讼时效", "违约金", "担保", "银行", "贷款", "借条", "高利贷", "失信", "停息挂账",
)  # fmt: skip
TRADITIONAL = ("債務重組", "協商還款", "網貸", "徵信", "暴力催收", "信用記錄")
ONE_CHAR = ("贷", "债", "诉", "息", "卡", "法")

METHOD = {
    "truth": (
        "article pages = data/articles.csv rows that are not stubs -> _build/html/notebooks/<category>/<id>.html; "
        "each page's text = the text of its <article> element with a line break around every block element "
        "(so no substring runs across two blocks), folded with book.search.fold.fold; a page is relevant to q "
        "iff every term of book.search.fold.terms(q) is a substring of that text"
    ),
    "recall": (
        "|found ∩ truth| / |truth| per query (1.0 when truth is empty and nothing was found); micro = sums over queries"
    ),
    "precision": "|found ∩ truth| / |found| per query (1.0 when nothing was found); micro = sums over queries",
    "found_ours": "book.search.query.SiteIndex(site).results(q): every result, the same answer as booksearch.js",
    "found_pagefind": (
        "pagefind.search(q) in headless Chromium via its JS API (import('/pagefind/pagefind.js'), init()), "
        "every result's data().url; URLs normalised (leading '/' and './' dropped, percent-decoding)"
    ),
    "bytes_per_query": (
        "in a fresh browser context per query (no cache), the bodies of every response under /_search/ and "
        "_static/booksearch.js (ours) or under /pagefind/ (Pagefind), as the plain static server sends them "
        "(no compression: the file sizes on disk); gzip_bytes = the same files gzip -6'd (Pagefind's .pf_* "
        "files are gzip already and count as they are). The theme's own assets are not counted."
    ),
    "time_ours": (
        "page_s: performance.now() when #search-results gets data-state=done, from the navigation start of "
        "search.html?q=... (everything the reader waits for, theme included); search_s: the same moment less "
        "the request start of _static/booksearch.js"
    ),
    "time_pagefind": (
        "search_s: in search.html loaded without a query (so our script does nothing), performance.now() "
        "around import('/pagefind/pagefind.js'), init(), search(q) and data() of the first 10 results "
        "(what its UI shows first); the page itself was loaded before the clock started"
    ),
    "build": (
        "wall_s, cpu_s (user+system of the whole process tree, GNU time %U+%S) of `python -m book build` from a "
        "clean _build; search_step_s: our build's own 'search index: ... in X s' line (the shards written "
        "after the pages; the text records are made by the writers while pages are written and are not in it)"
    ),
    "pagefind_build": "wall_s, cpu_s of `python -m pagefind_bin_extended` (the command recorded) on the built site",
    "index_bytes": "every file under _build/html/_search/ (ours) or _build/html/pagefind/ (Pagefind)",
}


# --------------------------------------------------------------------------- small helpers


def normalise(url: str) -> str:
    path = unquote(urlsplit(url).path)
    while path.startswith(("/", "./")):
        path = path[1:] if path.startswith("/") else path[2:]
    return path


def gzip_size(path: Path) -> int:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        return len(data)
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def summary(values: list[float]) -> dict[str, Any]:
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "median": statistics.median(values),
        "max": max(values),
        "min": min(values),
        "mean": statistics.fmean(values),
    }


_BLOCKS = {
    "p", "div", "section", "article", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "td", "th", "thead",
    "tbody", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr", "header", "footer", "nav",
    "figure", "figcaption", "aside", "details", "summary", "caption",
}  # fmt: skip


def block_text(element) -> str:
    parts: list[str] = []

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("script", "style", "template"):
            if node.tail:
                parts.append(node.tail)
            return
        block = tag in _BLOCKS
        if block:
            parts.append("\n")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
        if block:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    parts.append(element.text or "")
    for child in element:
        walk(child)
    return "".join(parts)


def article_texts(book: Path, site: Path) -> dict[str, str]:
    """url (relative to the site) -> the <article> element's text, not folded."""
    out = {}
    for row in benchrun.article_rows(book):
        page = benchrun.html_page(site, row["path"])
        tree = lxml_html.fromstring(page.read_bytes().decode("utf-8"))
        found = tree.xpath("//article")
        if not found:
            raise SystemExit(f"{page}: no <article> element")
        out[page.relative_to(site).as_posix()] = block_text(found[0])
    return out


def make_queries(texts: dict[str, str], seed: int, count: int, everyday: int) -> list[dict[str, str]]:
    queries = [{"q": q, "kind": "everyday"} for q in EVERYDAY[:everyday]]
    queries += [{"q": q, "kind": "traditional"} for q in TRADITIONAL]
    queries += [{"q": q, "kind": "one_char"} for q in ONE_CHAR]
    rng = random.Random(seed)
    urls = sorted(texts)
    seen = {q["q"] for q in queries}
    tries = 0
    while sum(q["kind"] == "random" for q in queries) < count and tries < 100_000:
        tries += 1
        text = texts[rng.choice(urls)]
        runs = [m for m in WORD_RUN.finditer(text) if len(m.group()) >= 2]
        if not runs:
            continue
        run = rng.choice(runs).group()
        length = rng.randint(2, min(4, len(run)))
        start = rng.randint(0, len(run) - length)
        q = run[start : start + length]
        if q not in seen:
            seen.add(q)
            queries.append({"q": q, "kind": "random"})
    return queries


def truth_of(query: str, folded: dict[str, str]) -> set[str]:
    words = terms(query)
    if not words:
        return set()
    return {url for url, text in folded.items() if all(w in text for w in words)}


def score(found: list[str], truth: set[str]) -> dict[str, Any]:
    found_set = set(found)
    hit = len(found_set & truth)
    return {
        "truth": len(truth),
        "found": len(found_set),
        "hit": hit,
        "recall": hit / len(truth) if truth else (1.0 if not found_set else None),
        "precision": hit / len(found_set) if found_set else 1.0,
        "missed_examples": sorted(truth - found_set)[:3],
        "extra_examples": sorted(found_set - truth)[:3],
    }


def micro(rows: list[dict[str, Any]]) -> dict[str, Any]:
    truth = sum(r["truth"] for r in rows)
    found = sum(r["found"] for r in rows)
    hit = sum(r["hit"] for r in rows)
    recalls = [r["recall"] for r in rows if r["recall"] is not None]
    return {
        "queries": len(rows),
        "recall": hit / truth if truth else None,
        "precision": hit / found if found else None,
        "min_query_recall": min(recalls) if recalls else None,
        "queries_recall_below_0_95": sum(1 for r in recalls if r < 0.95),
        "queries_precision_below_1": sum(1 for r in rows if r["precision"] < 1),
        "queries_finding_nothing_with_truth": sum(1 for r in rows if r["truth"] and not r["found"]),
    }


# --------------------------------------------------------------------------- browser measurements

PF_SEARCH_ALL = """async (queries) => {
  const pf = await import('/pagefind/pagefind.js');
  await pf.init();
  const urls = new Map();
  const out = {};
  for (const q of queries) {
    const s = await pf.search(q);
    const got = await Promise.all(s.results.map(async (r) => {
      if (!urls.has(r.id)) urls.set(r.id, r.data().then((d) => d.url));
      return urls.get(r.id);
    }));
    out[q] = got;
  }
  return out;
}"""

PF_FIRST_PAGE = """async ([q, shown]) => {
  const t0 = performance.now();
  const pf = await import('/pagefind/pagefind.js');
  await pf.init();
  const s = await pf.search(q);
  const data = await Promise.all(s.results.slice(0, shown).map((r) => r.data()));
  const t1 = performance.now();
  return {search_ms: t1 - t0, results: s.results.length, shown: data.length, urls: data.map((d) => d.url)};
}"""

OURS_DONE_HOOK = """(() => {
  const watch = () => {
    const el = document.getElementById('search-results');
    if (!el) return;
    const check = () => {
      if (el.dataset.state === 'done' && window.__bench_done === undefined) window.__bench_done = performance.now();
    };
    new MutationObserver(check).observe(el, {attributes: true, attributeFilter: ['data-state']});
    check();
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch); else watch();
})();"""


class Fetched:
    """The URLs a context fetched (finished requests) and failed."""

    def __init__(self, context) -> None:
        self.done: list[str] = []
        self.failed: list[str] = []
        context.on("requestfinished", lambda r: self.done.append(r.url))
        context.on("requestfailed", lambda r: self.failed.append(r.url))

    def counted(self, base: str, site: Path, prefixes: tuple[str, ...]) -> dict[str, Any]:
        files = []
        for url in dict.fromkeys(self.done):
            if not url.startswith(base):
                continue
            rel = normalise(url[len(base) :])
            if rel.startswith(prefixes):
                files.append(rel)
        sizes = [(site / f).stat().st_size for f in files]
        return {
            "files": len(files),
            "bytes": sum(sizes),
            "gzip_bytes": sum(gzip_size(site / f) for f in files),
            "failed": [u for u in self.failed if u.startswith(base)],
        }


def ours_first_page(browser_, base: str, site: Path, q: str) -> dict[str, Any]:
    context = browser_.new_context()
    try:
        fetched = Fetched(context)
        page = context.new_page()
        page.add_init_script(OURS_DONE_HOOK)
        started = time.perf_counter()
        page.goto(base + "search.html?q=" + quote(q), wait_until="commit")
        page.wait_for_function("window.__bench_done !== undefined", timeout=120_000, polling=50)
        wall = time.perf_counter() - started
        done = page.evaluate("window.__bench_done")
        start_js = page.evaluate(
            "performance.getEntriesByType('resource').filter(e => e.name.includes('_static/booksearch.js'))"
            ".map(e => e.startTime)[0]"
        )
        listed = page.eval_on_selector_all("#search-results ul.search li > a", "els => els.length")
        snippets = page.eval_on_selector_all("#search-results ul.search li p.context", "els => els.length")
        summary_text = (
            page.eval_on_selector("p.search-summary", "e => e.textContent")
            if page.query_selector("p.search-summary")
            else None
        )
        page.wait_for_load_state("networkidle")
        counted = fetched.counted(base, site, ("_search/", "_static/booksearch.js"))
        return {
            "page_s": done / 1000,
            "search_s": (done - start_js) / 1000 if start_js is not None else None,
            "python_wall_s": wall,
            "listed": listed,
            "snippets": snippets,
            "summary": summary_text,
            **counted,
        }
    finally:
        context.close()


def pagefind_first_page(browser_, base: str, site: Path, q: str) -> dict[str, Any]:
    context = browser_.new_context()
    try:
        page = context.new_page()
        page.goto(base + "search.html", wait_until="networkidle")
        fetched = Fetched(context)  # from here on: what Pagefind fetches
        started = time.perf_counter()
        got = page.evaluate(PF_FIRST_PAGE, [q, SHOWN])
        wall = time.perf_counter() - started
        page.wait_for_load_state("networkidle")
        counted = fetched.counted(base, site, ("pagefind/",))
        return {
            "search_s": got["search_ms"] / 1000,
            "python_wall_s": wall,
            "results": got["results"],
            "listed": got["shown"],
            **counted,
        }
    finally:
        context.close()


def file_url_check(browser_, site: Path) -> dict[str, Any]:
    """Ours from file:// (results must appear), and whether Pagefind's module loads from file://."""
    out: dict[str, Any] = {}
    context = browser_.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
        url = (site / "search.html").as_uri() + "?q=" + quote("网贷")
        try:
            page.goto(url)
            page.wait_for_selector("#search-results[data-state=done]", timeout=60_000)
            out["ours"] = {
                "url": url,
                "results_listed": page.eval_on_selector_all("#search-results ul.search li > a", "els => els.length"),
                "summary": page.eval_on_selector("p.search-summary", "e => e.textContent"),
                "console": errors[:5],
            }
        except Exception as exc:  # noqa: BLE001 - recorded, not raised
            out["ours"] = {"url": url, "error": str(exc)[:500], "console": errors[:5]}
        errors.clear()
        page.goto((site / "search.html").as_uri())
        pf_url = (site / "pagefind" / "pagefind.js").as_uri()
        got = page.evaluate(
            """async (u) => {
              try { const pf = await import(u); await pf.init(); const s = await pf.search('网贷');
                    return {ok: true, results: s.results.length}; }
              catch (e) { return {ok: false, error: String(e)}; } }""",
            pf_url,
        )
        out["pagefind"] = {"module": pf_url, **got, "console": errors[:5]}
    finally:
        context.close()
    return out


# --------------------------------------------------------------------------- one size


class Compare:
    def __init__(self, args: argparse.Namespace, logs: Path) -> None:
        self.args = args
        self.run = benchrun.Runner(logs, None)
        self.problems: list[str] = []

    def problem(self, text: str) -> None:
        print(f"  PROBLEM: {text}", flush=True)
        self.problems.append(text)

    def checked(self, run: benchrun.Run, label: str) -> dict[str, Any]:
        if not run.ok:
            self.problem(f"{label}: `{' '.join(run.argv)}` exited {run.rc}: {benchrun.tail(run.stderr, 5)}")
        return run.record()

    def book(self, work: Path, n: int, old: bool = False) -> tuple[Path, dict[str, Any]]:
        """A fresh book folder with the corpus imported (``old``: the code and files of OLD_COMMIT)."""
        book = work / ("book-old" if old else "book")
        if book.exists():
            shutil.rmtree(book)
        steps: dict[str, Any] = {}
        if old:
            book.mkdir(parents=True)
            archive = subprocess.run(
                ["git", "-C", str(REPO), "archive", self.args.old_commit, "book", *benchrun.BOOK_FILES],
                capture_output=True,
                check=True,
            ).stdout
            subprocess.run(["tar", "-x", "-C", str(book)], input=archive, check=True)
        else:
            benchrun.fresh_book(book)
        corpus = work / "corpus"
        if not corpus.is_dir():
            gen = self.run(
                "generate", [PYTHON, "-m", "book", "sample", "--articles", str(n), "--out", str(corpus), "--seed", "0"],
                book,
            )  # fmt: skip
            steps["generate"] = self.checked(gen, f"N={n} generate")
        imp = self.run(
            "import-old" if old else "import", [PYTHON, "-m", "book", "import", str(corpus), "--quiet"], book
        )
        steps["import"] = self.checked(imp, f"N={n} import")
        return book, steps

    def build(self, book: Path, name: str, label: str) -> dict[str, Any]:
        shutil.rmtree(book / "_build", ignore_errors=True)
        run = self.run(name, [PYTHON, "-m", "book", "build"], book)
        rec = self.checked(run, label)
        m = RE_SEARCH_LINE.search(run.stdout + "\n" + run.stderr)
        rec["search_line"] = {k: float(v) if k == "s" else int(v) for k, v in m.groupdict().items()} if m else None
        rec["load_after"] = benchrun.loadavg()
        return rec

    def size(self, n: int) -> dict[str, Any]:
        print(f"\n== N={n}", flush=True)
        work = WORK / f"search-{n}{self.args.work_suffix}"
        if work.exists() and not (self.args.reuse or self.args.reuse_book):
            shutil.rmtree(work)
        result: dict[str, Any] = {"n": n}
        book = work / "book"
        site = book / "_build" / "html"
        if self.args.reuse and (site / "_search" / "meta.js").is_file():
            result["reused"] = str(book.relative_to(REPO))
        elif self.args.reuse_book and (book / "data" / "articles.csv").is_file():
            result["reused_book"] = f"{book.relative_to(REPO)} (corpus imported by an earlier run; built here)"
            result["build_ours"] = self.build(book, "build", f"N={n} build")
        else:
            book, result["steps"] = self.book(work, n)
            result["build_ours"] = self.build(book, "build", f"N={n} build")
        pf_argv = [
            PYTHON, "-m", "pagefind_bin_extended", "--site", "_build/html", "--root-selector", "article",
            "--glob", self.args.pagefind_glob, "--force-language", "zh",
        ]  # fmt: skip
        shutil.rmtree(site / "pagefind", ignore_errors=True)
        pf = self.run("pagefind", pf_argv, book)
        result["build_pagefind"] = self.checked(pf, f"N={n} pagefind")
        m = re.search(r"Indexed (\d+) pages?", pf.stdout)
        result["build_pagefind"]["pages_indexed"] = int(m.group(1)) if m else None
        result["build_pagefind"]["stdout_tail"] = benchrun.tail(pf.stdout, 25)
        ours_bytes, ours_files = benchrun.tree_bytes(site / "_search")
        pf_bytes, pf_files = benchrun.tree_bytes(site / "pagefind")
        result["index"] = {
            "ours": {"bytes": ours_bytes, "files": ours_files},
            "pagefind": {"bytes": pf_bytes, "files": pf_files},
        }

        print("  truth, queries", flush=True)
        texts = article_texts(book, site)
        folded = {u: fold(t) for u, t in texts.items()}
        queries = make_queries(texts, self.args.seed, self.args.random, self.args.everyday)
        result["articles"] = len(texts)
        index = SiteIndex(site)
        t0 = time.perf_counter()
        rows = []
        for item in queries:
            q = item["q"]
            truth = truth_of(q, folded)
            found = [normalise(u) for u in index.results(q)]
            rows.append({**item, "ours": score(found, truth), "files_needed": len(index.find(q).files)})
        result["ours_query_s"] = time.perf_counter() - t0

        print("  pagefind recall (Chromium)", flush=True)
        with browser.serve(site) as base, browser.chromium() as chromium:
            context = chromium.new_context()
            page = context.new_page()
            page.goto(base + "search.html", wait_until="networkidle")
            page.set_default_timeout(0)
            t0 = time.perf_counter()
            answers = page.evaluate(PF_SEARCH_ALL, [r["q"] for r in rows])
            result["pagefind_query_s"] = time.perf_counter() - t0
            context.close()
            for r in rows:
                found = [normalise(u) for u in answers[r["q"]]]
                r["pagefind"] = score(found, truth_of(r["q"], folded))

            print("  bytes and time per query (fresh context each)", flush=True)
            rng = random.Random(self.args.seed + 1)
            randoms = [r for r in rows if r["kind"] == "random"]
            measured = [r for r in rows if r["kind"] == "everyday"] + rng.sample(
                randoms, min(self.args.browser_sample, len(randoms))
            )
            for r in measured:
                r["browser"] = {
                    "load_before": benchrun.loadavg(),
                    "ours": ours_first_page(chromium, base, site, r["q"]),
                    "pagefind": pagefind_first_page(chromium, base, site, r["q"]),
                }
                expected = min(SHOWN, r["ours"]["found"])
                if r["browser"]["ours"]["listed"] != expected:
                    self.problem(
                        f"N={n} {r['q']}: the search page listed {r['browser']['ours']['listed']} results, "
                        f"SiteIndex {r['ours']['found']}"
                    )
            result["file_url"] = file_url_check(chromium, site)
        result["queries"] = rows
        result["summary"] = self.summarise(rows)
        if not self.args.keep:
            shutil.rmtree(site / "pagefind", ignore_errors=True)
        return result

    def summarise(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for engine in ("ours", "pagefind"):
            e: dict[str, Any] = {"all": micro([r[engine] for r in rows])}
            for kind in ("everyday", "traditional", "one_char", "random"):
                e[kind] = micro([r[engine] for r in rows if r["kind"] == kind])
            e["multi_char"] = micro([r[engine] for r in rows if len(r["q"]) >= 2])
            for group in ("everyday", "random"):
                b = [r["browser"][engine] for r in rows if "browser" in r and r["kind"] == group]
                e[f"browser_{group}"] = {
                    "bytes": summary([x["bytes"] for x in b]),
                    "gzip_bytes": summary([x["gzip_bytes"] for x in b]),
                    "files": summary([x["files"] for x in b]),
                    "search_s": summary([x["search_s"] for x in b if x.get("search_s") is not None]),
                    **({"page_s": summary([x["page_s"] for x in b])} if engine == "ours" else {}),
                }
            out[engine] = e
        return out

    # ----------------------------------------------------------------------- against the old search

    def old_vs_new(self, n: int, repeats: int) -> dict[str, Any]:
        print(f"\n== build time, previous search ({self.args.old_commit}) against ours, N={n}", flush=True)
        work = WORK / f"search-{n}{self.args.work_suffix}"
        new_book = work / "book"
        out: dict[str, Any] = {"n": n, "old_commit": self.args.old_commit, "runs": []}
        if not (new_book / "data" / "articles.csv").is_file():
            new_book, out["steps_new"] = self.book(work, n)
        old_book, out["steps_old"] = self.book(work, n, old=True)
        for k in range(repeats):
            for which, book in (
                (("old", old_book), ("new", new_book)) if k % 2 == 0 else (("new", new_book), ("old", old_book))
            ):
                rec = self.build(book, f"build-{which}-{k + 1}", f"N={n} build {which} {k + 1}")
                rec["which"] = which
                out["runs"].append(rec)
        for which in ("old", "new"):
            runs = [r for r in out["runs"] if r["which"] == which and r["rc"] == 0]
            out[which] = {
                "wall_s": [r["wall_s"] for r in runs],
                "cpu_s": [r["cpu_s"] for r in runs],
                "median_wall_s": statistics.median([r["wall_s"] for r in runs]) if runs else None,
                "median_cpu_s": statistics.median([r["cpu_s"] for r in runs]) if runs else None,
            }
        shutil.rmtree(old_book / "_build", ignore_errors=True)
        return out


# --------------------------------------------------------------------------- report


def fmt(v: Any, spec: str = ".3f") -> str:
    return "–" if v is None else format(v, spec)


def kb(v: Any) -> str:
    return "–" if v is None else f"{v / 1000:.1f} kB"


def mb(v: Any) -> str:
    return "–" if v is None else f"{v / 1e6:.2f} MB"


def size_table(r: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    n = r["n"]
    s = r["summary"]
    lines += [f"\n### {n:,} articles\n", "| | n-gram index (ours) | Pagefind 1.5.2 |", "|---|---|---|"]

    def row(label: str, f) -> None:
        lines.append(f"| {label} | {f('ours')} | {f('pagefind')} |")

    for kind, label in (
        ("all", "all queries"),
        ("everyday", "everyday"),
        ("traditional", "traditional"),
        ("one_char", "1-char"),
        ("random", "random 2–4"),
    ):
        row(
            f"recall / precision, {label} ({s['ours'][kind]['queries']})",
            lambda e, k=kind: f"{fmt(s[e][k]['recall'])} / {fmt(s[e][k]['precision'])}",
        )
    row("queries with recall < 0.95", lambda e: str(s[e]["all"]["queries_recall_below_0_95"]))
    row("queries with precision < 1", lambda e: str(s[e]["all"]["queries_precision_below_1"]))
    for group in ("everyday", "random"):
        row(
            f"bytes/query, {group}: median / max",
            lambda e, g=group: (
                f"{kb(s[e][f'browser_{g}']['bytes'].get('median'))} / {kb(s[e][f'browser_{g}']['bytes'].get('max'))}"
            ),
        )
        row(
            f"gzip bytes/query, {group}: median / max",
            lambda e, g=group: (
                f"{kb(s[e][f'browser_{g}']['gzip_bytes'].get('median'))} / "
                f"{kb(s[e][f'browser_{g}']['gzip_bytes'].get('max'))}"
            ),
        )
        row(
            f"time to first page, {group}: median / max",
            lambda e, g=group: (
                f"{fmt(s[e][f'browser_{g}']['search_s'].get('median'), '.2f')} / "
                f"{fmt(s[e][f'browser_{g}']['search_s'].get('max'), '.2f')} s"
            ),
        )
    lines.append(
        f"| whole search page (ours), everyday: median / max | "
        f"{fmt(s['ours']['browser_everyday']['page_s'].get('median'), '.2f')} / "
        f"{fmt(s['ours']['browser_everyday']['page_s'].get('max'), '.2f')} s | – |"
    )
    row("index bytes (files)", lambda e: f"{mb(r['index'][e]['bytes'])} ({r['index'][e]['files']:,})")
    b = r.get("build_ours") or {}
    sl = b.get("search_line") or {}
    pf = r["build_pagefind"]
    lines.append(
        f"| build time | book build {fmt(b.get('wall_s'), '.1f')} s wall, {fmt(b.get('cpu_s'), '.1f')} s CPU; "
        f"search step {fmt(sl.get('s'), '.2f')} s | +{fmt(pf.get('wall_s'), '.1f')} s wall, "
        f"{fmt(pf.get('cpu_s'), '.1f')} s CPU |"
    )
    fu_ours, fu_pf = r.get("file_url", {}).get("ours", {}), r.get("file_url", {}).get("pagefind", {})
    pf_file = "works" if fu_pf.get("ok") else "fails: " + str(fu_pf.get("error"))[:80]
    lines.append(f"| from file:// | {fu_ours.get('results_listed', fu_ours.get('error'))} results | {pf_file} |")
    return lines


def markdown(report: dict[str, Any]) -> str:
    lines = []
    for r in report["sizes"]:
        lines += size_table(r)
    for c in report.get("old_vs_new", []):
        lines += [
            f"\n### Build from clean, {c['n']:,} articles: previous search ({c['old_commit']}) against ours\n",
            "| run | which | wall s | CPU s | load before |",
            "|---|---|---|---|---|",
        ]
        for i, run in enumerate(c["runs"], 1):
            lines.append(
                f"| {i} | {run['which']} | {run['wall_s']:.1f} | {fmt(run['cpu_s'], '.1f')} | {run['load_before']} |"
            )
        for which in ("old", "new"):
            med = c[which]
            lines.append(
                f"| median | {which} | {fmt(med['median_wall_s'], '.1f')} | {fmt(med['median_cpu_s'], '.1f')} | |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--out", type=Path, default=BENCH / "results")
    parser.add_argument("--seed", type=int, default=0, help="query sampling seed (the corpus seed is 0)")
    parser.add_argument("--reuse", action="store_true", help="measure an existing bench/work/search-N build")
    parser.add_argument("--reuse-book", action="store_true", help="build an already imported bench/work/search-N book")
    parser.add_argument("--keep", action="store_true", help="keep the pagefind/ folder in the built site")
    parser.add_argument("--pagefind-glob", default="notebooks/[!_]*/**/*.html", help="article pages only")
    parser.add_argument("--random", type=int, default=RANDOM_QUERIES, help="random substring queries")
    parser.add_argument("--browser-sample", type=int, default=BROWSER_SAMPLE, help="random ones timed in Chromium")
    parser.add_argument("--everyday", type=int, default=len(EVERYDAY), help="everyday ones (the first K)")
    parser.add_argument("--work-suffix", default="", help="book folders in bench/work/search-N<suffix>/")
    parser.add_argument("--old-commit", default=OLD_COMMIT)
    parser.add_argument("--old-at", type=int, nargs="*", default=[1000], help="sizes of the old/new build comparison")
    parser.add_argument("--old-builds", type=int, default=3, help="builds of each, alternating")
    args = parser.parse_args(argv)

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    logs = WORK / f"logs-search-{stamp}"
    logs.mkdir(parents=True, exist_ok=True)
    cmp = Compare(args, logs)
    report: dict[str, Any] = {
        "command": " ".join([PYTHON, *sys.argv]),
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": benchrun.machine_info(),
        "repo": benchrun.repo_info(),
        "method": METHOD,
        "everyday_queries": list(EVERYDAY),
        "sizes": [],
        "old_vs_new": [],
    }
    args.out.mkdir(parents=True, exist_ok=True)
    path = benchrun.result_path(args.out, False, kind="search")
    path.write_text("{}\n", encoding="utf-8")  # the name is taken: a second run at the same time picks another

    def save() -> None:
        report["problems"] = cmp.problems
        report["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        path.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    def compare_builds(n: int) -> None:
        try:
            report["old_vs_new"].append(cmp.old_vs_new(n, args.old_builds))
        except Exception as exc:  # noqa: BLE001 - recorded; the other sizes still run
            cmp.problem(f"N={n}: old/new build comparison failed: {exc!r}")
        save()

    for n in args.sizes:
        try:
            report["sizes"].append(cmp.size(n))
        except Exception as exc:  # noqa: BLE001 - recorded; the other sizes still run
            cmp.problem(f"N={n}: comparison failed: {exc!r}")
        save()
        if n in args.old_at and args.old_builds:
            compare_builds(n)
    for n in args.old_at:
        if n not in args.sizes and args.old_builds:
            compare_builds(n)
    save()
    print(markdown(report))
    print(f"\nwritten {path}")
    return 1 if cmp.problems else 0


if __name__ == "__main__":
    sys.exit(main())
