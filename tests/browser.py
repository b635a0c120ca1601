"""Helpers for the browser tests: a local static server, Debian's Chromium under
Playwright, a log of every request a page makes, and a static scan of a built
site for resources a browser would fetch from another host.

Nothing here downloads a browser: Playwright drives the system's
/usr/bin/chromium (installed by .ci/setup), never its own bundled build.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


# --- local static server -------------------------------------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (ephemeral port) from a background thread; yields the base URL
    ending in '/'.  The server is shut down when the block exits."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"serve {folder}", daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- Chromium --------------------------------------------------------------------------------------


@contextmanager
def chromium() -> Iterator[object]:
    """Debian's Chromium, headless, under Playwright's sync API; yields the Browser.

    Each `browser.new_context()` is a fresh profile (no cookies, cache or storage)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class RequestLog:
    """Every URL a browser context asks for: documents, subresources, fonts, XHR/fetch, workers and
    their requests, service workers, websockets."""

    urls: list[str] = field(default_factory=list)

    def attach(self, context) -> RequestLog:
        # Context-level, so every page and popup of the context is covered, with its workers.
        context.on("request", lambda request: self.urls.append(request.url))
        context.on("serviceworker", lambda worker: self._add(worker.url))
        context.on("page", self._watch_page)
        for page in context.pages:
            self._watch_page(page)
        return self

    def _watch_page(self, page) -> None:
        # A worker's script and a websocket's handshake are not always reported as requests.
        page.on("worker", lambda worker: self._add(worker.url))
        page.on("websocket", lambda ws: self._add(ws.url))

    def _add(self, url: str) -> None:
        if url not in self.urls:
            self.urls.append(url)

    def outside(self, base_url: str) -> list[str]:
        """The logged URLs that did not go to the server at `base_url` (data: and blob: are local)."""
        return [url for url in self.urls if not is_local(url, base_url)]

    def report(self) -> str:
        return "\n".join(f"  {url}" for url in self.urls)


def keep_local(context, base_url: str) -> None:
    """Let the context reach only the server at `base_url`: anything else is aborted before it
    leaves the machine (it is still reported to the RequestLog, which sees requests first)."""

    def handle(route) -> None:
        if is_local(route.request.url, base_url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    context.route("**/*", handle)


def is_local(url: str, base_url: str) -> bool:
    """Whether `url` stays on the machine: the local server (same host and port) or a data:/blob:
    URL (a blob: URL's origin must be the local server too)."""
    parts = urlsplit(url)
    if parts.scheme == "data":
        return True
    if parts.scheme == "blob":
        return is_local(url[len("blob:") :], base_url)
    base = urlsplit(base_url)
    return parts.scheme in ("http", "https") and parts.netloc == base.netloc


# --- static scan of a built site ------------------------------------------------------------------

# An absolute http(s) URL or a protocol-relative one: both make the browser leave the machine.
_REMOTE = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
# url(...) with or without quotes, and @import "..." (an @import url(...) is caught by the first).
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
# What a script can load by itself: ES imports, dynamic import(), importScripts(), workers.
_JS_LOADS = re.compile(
    r"""(?:\bimport\s*\(\s*|\bimport\s+(?:[\w*{}\s,]+\s+from\s+)?|\bimportScripts\s*\(\s*"""
    r"""|\bnew\s+(?:Shared)?Worker\s*\(\s*)(["'`])((?:https?:)?//[^"'`]+)\1"""
)

# <tag attr>: the elements whose URL the browser fetches on its own while rendering the page.
_HTML_LOADS = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
}
# <link rel=...> values whose href is fetched (or, for preconnect/dns-prefetch, contacted).
_LINK_RELS = {
    "stylesheet",
    "preload",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "apple-touch-icon-precomposed",
    "mask-icon",
    "manifest",
}


@dataclass(frozen=True)
class OutsideRef:
    file: str
    what: str
    url: str

    def __str__(self) -> str:
        return f"{self.file}: {self.what} {self.url}"


def _remote(value: str | None) -> bool:
    return bool(value) and bool(_REMOTE.match(value))


def _srcset_urls(value: str) -> list[str]:
    return [part.split()[0] for part in value.split(",") if part.strip()]


def css_outside_refs(css: str) -> list[tuple[str, str]]:
    """(kind, url) for each url(...) and @import of `css` that points at another host."""
    css = _CSS_COMMENT.sub("", css)
    found = []
    for match in _CSS_URL.finditer(css):
        url = next(g for g in match.groups() if g is not None)
        if _remote(url):
            found.append(("css url()", url.strip()))
    for match in _CSS_IMPORT.finditer(css):
        url = next(g for g in match.groups() if g is not None)
        if _remote(url):
            found.append(("css @import", url.strip()))
    return found


def js_outside_refs(js: str) -> list[tuple[str, str]]:
    """(kind, url) for each import/importScripts/Worker of `js` with a literal remote URL."""
    return [("js load", m.group(2)) for m in _JS_LOADS.finditer(js)]


def html_outside_refs(html: str) -> list[tuple[str, str]]:
    """(kind, url) for each resource of `html` the browser would fetch from another host.  Plain
    links (<a href>) are navigation, not loads, and are not reported."""
    soup = BeautifulSoup(html, "html.parser")
    found: list[tuple[str, str]] = []
    for tag in soup.find_all(list(_HTML_LOADS)):
        for attr in _HTML_LOADS[tag.name]:
            value = tag.get(attr)
            if not value:
                continue
            urls = _srcset_urls(value) if attr == "srcset" else [value]
            found += [(f"<{tag.name} {attr}>", u.strip()) for u in urls if _remote(u)]
    for tag in soup.find_all("link"):
        rels = {r.lower() for r in (tag.get("rel") or [])}
        href = tag.get("href")
        # An <link rel=alternate/search/next/...> is a link, not a load.
        if rels & _LINK_RELS and _remote(href):
            found.append((f"<link rel={' '.join(sorted(rels))} href>", href.strip()))
    for tag in soup.find_all("style"):
        found += css_outside_refs(tag.get_text())
    for tag in soup.find_all(style=True):
        found += css_outside_refs(tag["style"])
    for tag in soup.find_all("script", src=False):
        found += js_outside_refs(tag.get_text())
    return found


def scan_site(root: Path) -> list[OutsideRef]:
    """Every reference in the .html, .css and .js files under `root` that a browser would load from
    another host."""
    scanners = {".html": html_outside_refs, ".css": css_outside_refs, ".js": js_outside_refs}
    refs = []
    for path in sorted(root.rglob("*")):
        scanner = scanners.get(path.suffix.lower())
        if scanner is None or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        rel = path.relative_to(root).as_posix()
        refs += [OutsideRef(rel, what, url) for what, url in scanner(text)]
    return refs
