"""The built site in a real browser, and the built site's files: the search works as a reader uses
it, and nothing is loaded from another host (no CDN, web font, analytics or thebe).

The browser tests serve the strictly built sample book (`site` fixture) from 127.0.0.1 and drive
Debian's /usr/bin/chromium with Playwright.  One module-scoped reader session opens the index,
searches from the theme's search dialog, reads the seed article and follows the sidebar to a topic,
the tags and the data page; the tests then check what it saw and every request it made.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browser import RequestLog, html_outside_refs, keep_local, scan_site, serve

pytestmark = pytest.mark.build

SEED_PAGE = "notebooks/jinrong-zhaiwu/67202.html"
SEED_TITLE = "国美金融催收部在哪"
WORDS = ("催收", "国美金融")
TIMEOUT_MS = 15_000

# booksearch.js marks the results "done" once the first results are listed (or "error").
SEARCH_DONE = """() => {
  const results = document.querySelector('#search-results');
  return results !== null && ['done', 'error'].includes(results.dataset.state);
}"""


@dataclass
class Search:
    url: str = ""
    summary: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # (absolute href, text)
    error: str = ""


@dataclass
class Visit:
    url: str = ""
    status: int | None = None
    heading: str = ""
    expected: str = ""  # the heading the page should have (the link text that led there)
    error: str = ""


@dataclass
class Session:
    base: str
    log: RequestLog
    searches: dict[str, Search] = field(default_factory=dict)
    visits: dict[str, Visit] = field(default_factory=dict)


def _heading(page) -> str:
    return page.locator("article.bd-article h1").first.inner_text().strip().rstrip("#").strip()


def _search(page, word: str) -> Search:
    """Search the way a reader does: the theme's search button opens a dialog, type, press Enter,
    wait for Sphinx to finish listing results on search.html."""
    result = Search()
    try:
        page.locator("button.search-button__button:visible").first.click()
        field_ = page.locator("#pst-search-dialog input[name=q]")
        field_.wait_for(state="visible")
        field_.press_sequentially(word)
        with page.expect_navigation():
            field_.press("Enter")
        page.wait_for_function(SEARCH_DONE)
        result.url = page.url
        result.summary = page.locator("#search-results p.search-summary").inner_text().strip()
        links = page.locator("#search-results ul.search li > a")
        result.links = [(a.evaluate("a => a.href"), a.inner_text().strip()) for a in links.all()]
    except Exception as exc:  # noqa: BLE001 - reported by the test that checks this search
        result.error = f"{type(exc).__name__}: {exc}"
    return result


def _visit(page, base: str, how: str) -> Visit:
    """`how` is a page path to open, or 'sidebar:<text>' to click the first link of the sidebar whose
    resolved URL contains the text, as a reader would."""
    visit = Visit()
    try:
        if how.startswith("sidebar:"):
            wanted = how.removeprefix("sidebar:")
            links = page.locator("nav.bd-docs-nav a")
            hrefs = links.evaluate_all("links => links.map(a => a.href)")
            found = [i for i, href in enumerate(hrefs) if wanted in href]
            if not found:
                raise LookupError(f"no sidebar link to {wanted!r} on {page.url}; the sidebar has {hrefs}")
            link = links.nth(found[0])
            visit.expected = link.inner_text().strip()
            with page.expect_navigation() as nav:
                link.click()
            response = nav.value
        else:
            response = page.goto(base + how)
        page.wait_for_load_state("networkidle")
        visit.url = page.url
        visit.status = response.status if response else None
        visit.heading = _heading(page)
    except Exception as exc:  # noqa: BLE001 - reported by the test that checks this visit
        visit.error = f"{type(exc).__name__}: {exc}"
    return visit


def read_site(browser, root: Path, words=WORDS) -> Session:
    """One reader session over the site in `root`, with every request recorded."""
    with serve(root) as base:
        context = browser.new_context()
        context.set_default_timeout(TIMEOUT_MS)
        session = Session(base, RequestLog().attach(context))
        keep_local(context, base)
        try:
            page = context.new_page()
            page.goto(base)  # index.html redirects to the intro page
            page.wait_for_url("**/notebooks/intro.html")
            page.wait_for_load_state("networkidle")
            intro = page.url
            for word in words:
                if page.url != intro:
                    page.goto(intro)
                session.searches[word] = _search(page, word)
            session.visits["seed"] = _visit(page, base, SEED_PAGE)
            session.visits["seed"].expected = SEED_TITLE
            for name, how in (
                ("topic", "sidebar:/notebooks/_index/topics/"),
                ("tags", "sidebar:/notebooks/_index/tags.html"),
                ("data", "sidebar:/notebooks/data.html"),
            ):
                session.visits[name] = _visit(page, base, how)
        finally:
            context.close()
    return session


@pytest.fixture(scope="module")
def session(browser, site: Path) -> Session:
    return read_site(browser, site)


@pytest.mark.parametrize("word", WORDS)
def test_search_dialog_finds_the_seed(session: Session, word: str) -> None:
    search = session.searches[word]
    assert not search.error, f"searching {word!r} from the search dialog failed: {search.error}"
    assert "/search.html?q=" in search.url, search.url
    seed = session.base + SEED_PAGE
    listed = "\n".join(f"  {text} -> {href}" for href, text in search.links) or "  (none)"
    # The page itself, not only one of its sections ("title > section", href with a #fragment).
    hits = [(href, text) for href, text in search.links if href == seed and text == SEED_TITLE]
    assert hits, (
        f"searching {word!r}: {SEED_TITLE} ({SEED_PAGE}) is not among the results\n"
        f"summary: {search.summary}\nresults:\n{listed}"
    )


@pytest.mark.parametrize("name", ("seed", "topic", "tags", "data"))
def test_reader_pages_open(session: Session, name: str) -> None:
    visit = session.visits[name]
    assert not visit.error, f"opening the {name} page failed: {visit.error}"
    assert visit.status == 200, f"{visit.url}: HTTP {visit.status}"
    assert visit.heading == visit.expected, f"{visit.url}: heading {visit.heading!r}, expected {visit.expected!r}"


def test_topic_page_is_a_topic(session: Session) -> None:
    assert "/notebooks/_index/topics/" in session.visits["topic"].url, session.visits["topic"]


def test_no_request_leaves_the_machine(session: Session) -> None:
    log = session.log
    # The log must have seen the whole session, or an empty "outside" list proves nothing.
    visited = [session.base + SEED_PAGE, session.base + "_search/meta.js"]
    visited += [v.url for v in session.visits.values() if v.url]
    missing = [url for url in visited if url not in log.urls]
    assert not missing, f"the request log missed {missing}; it saw:\n{log.report()}"
    outside = log.outside(session.base)
    assert not outside, (
        f"{len(outside)} request(s) went elsewhere than {session.base}:\n"
        + "\n".join(f"  {url}" for url in outside)
        + f"\nall requests of the session:\n{log.report()}"
    )


def test_an_outside_load_is_seen(browser, site: Path, tmp_path: Path) -> None:
    """The two checks above can fail: a CDN script, an outside image, web font and fetch injected
    into a copy of the seed page are reported by the browser log and by the static scan."""
    root = Path(shutil.copytree(site, tmp_path / "html"))
    page = root / SEED_PAGE
    injected = (
        '<script src="https://cdn.example/x.js"></script>'
        '<style>@font-face{font-family:X;src:url("https://fonts.example/x.woff2")}'
        "article{font-family:X}</style>"
        '<script>fetch("https://api.example/hit").catch(() => {})</script>'
    )
    body = '<img src="//img.example/x.png" alt="">'
    html = page.read_text(encoding="utf-8")
    page.write_text(
        html.replace("</head>", injected + "</head>", 1).replace("</body>", body + "</body>", 1), encoding="utf-8"
    )

    assert {str(ref) for ref in scan_site(root)} == {
        f"{SEED_PAGE}: <script src> https://cdn.example/x.js",
        f"{SEED_PAGE}: <img src> //img.example/x.png",
        f"{SEED_PAGE}: css url() https://fonts.example/x.woff2",
    }

    with serve(root) as base:
        context = browser.new_context()
        log = RequestLog().attach(context)
        keep_local(context, base)
        try:
            tab = context.new_page()
            tab.goto(base + SEED_PAGE)
            tab.wait_for_load_state("networkidle")
        finally:
            context.close()
    expected = {
        "https://cdn.example/x.js",
        "https://fonts.example/x.woff2",
        "https://api.example/hit",
        "http://img.example/x.png",
    }
    outside = set(log.outside(base))
    assert expected <= outside, f"not seen: {expected - outside}\nlog:\n{log.report()}"


# --- static: no browser ---------------------------------------------------------------------------


def test_site_files_load_nothing_from_outside(site: Path) -> None:
    files = [p for p in site.rglob("*") if p.suffix in (".html", ".css", ".js")]
    assert any(p.suffix == ".html" for p in files) and any(p.suffix == ".css" for p in files), files
    refs = scan_site(site)
    assert not refs, "the built site loads from other hosts:\n" + "\n".join(f"  {ref}" for ref in refs)


def test_scan_reports_loads_and_ignores_links() -> None:
    html = """<html><head>
      <link rel="stylesheet" href="https://cdn.example/a.css">
      <link rel="preload" as="font" href="//fonts.example/f.woff2">
      <link rel="icon" href="http://cdn.example/favicon.ico">
      <link rel="canonical" href="https://example.org/page.html">
      <link rel="stylesheet" href="../_static/local.css">
      <script src="https://cdn.example/x.js"></script>
      <script src="../_static/local.js"></script>
      <script>import("https://esm.example/m.js"); const U = "https://example.org/not-loaded";</script>
      <style>/* url(https://comment.example/x) */ @import "https://cdn.example/b.css";
        body { background: url( 'https://img.example/bg.png' ) } i { background: url(../local.png) }</style>
    </head><body>
      <a href="https://www.hefeilaws.com/hf/67202.html">原文</a>
      <img src="https://img.example/a.png" srcset="local.png 1x, https://img.example/b.png 2x">
      <img src="../_images/chart.png">
      <iframe src="//player.example/v"></iframe>
      <video><source src="https://media.example/v.mp4"></video>
      <div style="background-image:url(https://img.example/c.png)"></div>
    </body></html>"""
    assert html_outside_refs(html) == [
        ("<script src>", "https://cdn.example/x.js"),
        ("<img src>", "https://img.example/a.png"),
        ("<img srcset>", "https://img.example/b.png"),
        ("<iframe src>", "//player.example/v"),
        ("<source src>", "https://media.example/v.mp4"),
        ("<link rel=stylesheet href>", "https://cdn.example/a.css"),
        ("<link rel=preload href>", "//fonts.example/f.woff2"),
        ("<link rel=icon href>", "http://cdn.example/favicon.ico"),
        ("css url()", "https://img.example/bg.png"),
        ("css @import", "https://cdn.example/b.css"),
        ("css url()", "https://img.example/c.png"),
        ("js load", "https://esm.example/m.js"),
    ]
