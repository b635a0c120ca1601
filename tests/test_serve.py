"""``python -m book serve``: a save reaches the served site, and what it leaves is what ``build`` makes.

Each test runs the real command on a copy of the built sample book, edits or
adds an article as a contributor would, and waits for the server's report
line.  No test times anything: ``bench/`` measures how fast.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from book.commands.serve import is_source, needs_restart, running_server
from book.layout import Layout
from book.search import index
from book.search.query import SiteIndex

from .conftest import REPO, SEED, run_book

ARTICLE = Path("notebooks/jinrong-zhaiwu/67202.md")
PAGE = Path("_build/html/notebooks/jinrong-zhaiwu/67202.html")
WAIT = 240  # seconds for one report line; a loaded CI machine is slow, a hung server is caught


class Server:
    """``python -m book serve --port 0`` in ``root``, with its output read line by line."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "book", "serve", "--port", "0"],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={k: v for k, v in os.environ.items() if k not in ("BOOK_ROOT", "CI")},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.errors: list[str] = []
        threading.Thread(target=self._read, args=(self.proc.stdout, self.lines.put), daemon=True).start()
        threading.Thread(target=self._read, args=(self.proc.stderr, self.errors.append), daemon=True).start()
        self.url = self.wait_for(r"serve: (http://\S+)").group(1)
        self.wait_for(r"serve: watching")

    @staticmethod
    def _read(stream, put) -> None:
        for line in stream:
            put(line.rstrip("\n"))

    def wait_for(self, pattern: str) -> re.Match[str]:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            self.seen.append(line)
            if match := re.search(pattern, line):
                return match
        raise AssertionError(f"no line matching {pattern!r}; got {self.seen}; stderr {self.errors[-20:]}")

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=WAIT)
        for line in self.proc.stdout or ():  # what was left unread: the reader thread may have ended
            self.lines.put(line.rstrip("\n"))
        return code


@pytest.fixture
def served(sample_book: Path, tmp_path: Path):
    """A copy of the built sample book, with a server watching it."""
    root = tmp_path / "book"
    shutil.copytree(sample_book, root)  # times kept: nothing is out of date
    server = Server(root)
    yield server
    if server.proc.poll() is None:
        server.stop()


def _append(path: Path, sentence: str) -> None:
    text = path.read_text(encoding="utf-8")
    # After the first paragraph line of the body: a sentence of the article, not markup.
    match = re.search(r"^[^\n#:%`\-{<|][^\n]*。$", text.split("\n---\n", 1)[1], flags=re.M)
    assert match is not None
    path.write_text(text.replace(match.group(0), match.group(0) + sentence, 1), encoding="utf-8")


def _no_checksums(html: str) -> str:
    return re.sub(r"\?v=[0-9a-f]{8}\b", "", html)


def _search(root: Path, query: str) -> list[str]:
    return SiteIndex(root / "_build" / "html").results(query)


def _shard_stamps(root: Path) -> dict[str, int]:
    folder = root / "_build" / "html" / "_search"
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*.js")}


def _files_of(sentence: str, root: Path) -> set[str]:
    """The shard files that hold the n-grams of ``sentence`` (or could: postings of their own)."""
    buckets = SiteIndex(root / "_build" / "html").meta["buckets"]
    keys = index.postings(index.Page("", "", (("body", sentence),)))[0]
    named = {f"b/{b}.js" for b in index.bucket_of(keys, buckets)}
    return named | {f"k/{b}-{i}.js" for b in index.bucket_of(keys, buckets) for i in range(64)}


SEARCHED = ("国美金融", "催收", "Quokkaserve", "停止之后再构建", "国美金融催收部新址", "第二遍更新数据页")


def _bench_pattern() -> str:
    """The pattern ``bench/run.py`` reads the server's report line with (it is not a package)."""
    source = (REPO / "bench" / "run.py").read_text(encoding="utf-8")
    start = source.index("RE_SERVED = (")
    names: dict[str, str] = {}
    exec(source[start : source.index(")\n", start) + 2], {}, names)
    return names["RE_SERVED"]


def test_an_edit_is_on_the_served_page_and_in_the_search_index(served: Server) -> None:
    before = _shard_stamps(served.root)
    _append(served.root / ARTICLE, "服务测试追加的一句Quokkaserve。")
    line = served.wait_for(r"67202\.md: site updated in").string
    assert re.search(_bench_pattern(), line), f"the benchmark would not read {line!r}"
    assert "服务测试追加的一句Quokkaserve。" in (served.root / PAGE).read_text(encoding="utf-8")
    url = PAGE.relative_to("_build/html").as_posix()
    assert _search(served.root, "Quokkaserve") == [url] and _search(served.root, "追加的一句") == [url]
    # Only the shards of the sentence's n-grams, and the page's own text, were written.
    after = _shard_stamps(served.root)
    touched = {name for name, stamp in after.items() if before.get(name) != stamp}
    assert "d/0.js" in touched and touched <= _files_of("服务测试追加的一句Quokkaserve。", served.root) | {"d/0.js"}
    with urllib.request.urlopen(f"{served.url}{PAGE.relative_to('_build/html').as_posix()}", timeout=30) as reply:
        assert "Quokkaserve" in reply.read().decode("utf-8")


def test_the_data_page_follows_in_a_second_pass(served: Server) -> None:
    data_page = served.root / "_build" / "html" / "notebooks" / "data.html"
    before = data_page.stat().st_mtime_ns
    _append(served.root / ARTICLE, "第二遍更新数据页。")
    served.wait_for(r"site updated in")
    served.wait_for(r"data page updated in")
    assert data_page.stat().st_mtime_ns > before


def test_an_imported_article_gets_a_page_its_topic_lists_it_and_its_neighbour_leads_to_it(
    served: Server, tmp_path: Path
) -> None:
    capture = tmp_path / "capture.txt"
    text = (
        SEED.read_text(encoding="utf-8").replace("67202", "67999").replace("国美金融催收部在哪", "国美金融催收部新址")
    )
    capture.write_text(text, encoding="utf-8")
    imported = run_book(served.root, "import", str(capture), "--quiet")
    assert "index: left to `python -m book serve`" in imported.stdout
    served.wait_for(r"67999\.md: site updated in")
    page = (served.root / "_build/html/notebooks/jinrong-zhaiwu/67999.html").read_text(encoding="utf-8")
    assert "国美金融催收部新址" in page
    # Its topic's page lists it, and the page before it in the book, which was not edited,
    # now leads to it (written again, as a fresh build would write it).
    topic = (served.root / "_build/html/notebooks/_index/topics/jinrong-zhaiwu/guomei-jinrong.html").read_text(
        encoding="utf-8"
    )
    assert "国美金融催收部新址" in topic
    before = (served.root / "_build/html/notebooks/jinrong-zhaiwu/67202.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="right-next"\s+href="67999.html"', before)
    assert "notebooks/jinrong-zhaiwu/67999.html" in _search(served.root, "国美金融催收部新址")
    # objects.inv, left by the first pass, lists the new page once the data pass is done.
    served.wait_for(r"data page updated in")
    assert "notebooks/jinrong-zhaiwu/67999" in _inventory_pages(served.root)


def _inventory_pages(root: Path) -> set[str]:
    from sphinx.util.inventory import InventoryFile

    with (root / "_build/html/objects.inv").open("rb") as stream:
        inventory = InventoryFile.load(stream, "", lambda *parts: "/".join(parts))
    return set(inventory.get("std:doc", {}))


def test_a_build_while_serving_is_refused_and_after_it_reads_nothing(served: Server, tmp_path: Path) -> None:
    _append(served.root / ARTICLE, "停止之后再构建。")
    served.wait_for(r"site updated in")
    served.wait_for(r"data page updated in")
    refused = run_book(served.root, "build", check=False)
    assert refused.returncode == 1 and "is watching this book" in refused.stderr
    assert served.stop() == 0
    assert running_server(Layout(served.root)) is None
    assert "serve: stopped" in served.seen + list(served.lines.queue)
    index_before = _shard_stamps(served.root)
    page_before = (served.root / PAGE).read_bytes()
    # objects.inv waits for the data pass or the idle time after an edit's first pass.
    inventory_before = (served.root / "_build/html/objects.inv").read_bytes()
    again = run_book(served.root, "build")
    # Everything the server wrote, the environment included, was whole and up to date.
    assert "build: 0 page(s) read, 0 written" in again.stdout, again.stdout
    assert "0 added, 0 changed, 0 removed" in (served.root / "_build" / "build.log").read_text(encoding="utf-8")
    assert _shard_stamps(served.root) == index_before
    assert (served.root / PAGE).read_bytes() == page_before

    # And it is what a build from scratch of the same sources makes.
    scratch = tmp_path / "scratch"
    shutil.copytree(served.root, scratch, ignore=shutil.ignore_patterns("_build", "__pycache__"))
    run_book(scratch, "build")
    # Asset links carry a checksum (?v=...) once the asset is in _build/html: a first build
    # writes pages before it copies the assets, so it has none for some.
    assert _no_checksums((scratch / PAGE).read_text(encoding="utf-8")) == _no_checksums(page_before.decode())
    assert inventory_before == (scratch / "_build/html/objects.inv").read_bytes()
    assert {q: _search(served.root, q) for q in SEARCHED} == {q: _search(scratch, q) for q in SEARCHED}


def test_a_change_of_configuration_restarts_the_server(served: Server) -> None:
    config = served.root / "_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    served.wait_for(r"serve: restarting")
    served.wait_for(r"serve: watching")


def test_which_saves_are_followed(tmp_path: Path) -> None:
    layout = Layout(tmp_path)
    notebooks = layout.notebooks
    assert is_source(layout, notebooks / "jinrong-zhaiwu" / "1.md")
    assert is_source(layout, notebooks / "intro.md")
    assert is_source(layout, layout.config) and needs_restart(layout, layout.config)
    assert needs_restart(layout, layout.vocabulary)
    assert not is_source(layout, notebooks / "_index" / "topics" / "x.md")  # written by index
    assert not is_source(layout, notebooks / "jinrong-zhaiwu" / ".1.md.swp")
    assert not is_source(layout, notebooks / "jinrong-zhaiwu" / "1.md~")
    assert not is_source(layout, layout.data / "articles.csv")
