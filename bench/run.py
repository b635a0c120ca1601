"""Benchmark the book CLI at several corpus sizes against a plain Jupyter Book yardstick.

    .venv/bin/python bench/run.py [--sizes 1000 10000] [--yardstick 100 300] [--out bench/results] [--keep]
    .venv/bin/python bench/run.py --quick          # smoke test: sizes 50, yardstick 20

Every figure comes from running the product's command line (``python -m book ...``,
``jupyter-book build``) in a fresh book folder under ``bench/work/``; nothing of the
product is imported here, so the harness keeps working while the build changes.
What each figure means, how peak RSS is measured and how the ratios are defined:
``bench/README.md`` (and the ``method`` and ``ratios`` blocks of the JSON written).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "bench" / "work"
TIME_BIN = "/usr/bin/time"
PYTHON = os.path.abspath(sys.executable)  # the venv python; not resolved: resolving the symlink leaves the venv
BIN = Path(PYTHON).parent
ADD_SEED = 424242  # corpus seed of the "add one article" capture (any seed other than the corpus's)
SAMPLE_INTERVAL = 0.5  # seconds between samples of the process tree's summed RSS
# Full builds from clean are repeated (--repeat-full) up to this size; larger ones take minutes
# and vary relatively less.
REPEAT_FULL_MAX_N = 2000

# The fresh book: what a new user copies, without the repo's imported notebooks or derived files.
BOOK_FILES = ("notebooks/intro.md", "notebooks/data.md", "data/tags.yml", "_config.yml")

PACKAGES = (
    "jupyter-book",
    "sphinx",
    "myst-nb",
    "myst-parser",
    "jupytext",
    "pydata-sphinx-theme",
    "sphinx-book-theme",
    "sphinx-external-toc",
    "jieba",
    "pagefind-bin-extended",
    "pandas",
)

RE_IMPORT = re.compile(r"^import: (?P<summary>.*) in (?P<s>[\d.]+) s \((?P<rate>[\d.]+) articles/s\)", re.M)
RE_INDEX = re.compile(
    r"^index: (?P<articles>\d+) articles, (?P<stubs>\d+) stubs, (?P<topics>\d+) topics; "
    r"(?P<written>\d+) files written, (?P<removed>\d+) removed in (?P<s>[\d.]+) s",
    re.M,
)
RE_SERVED = (
    r"site updated in (?P<s>[\d.]+) s \(index (?P<index>[\d.]+) s, build (?P<build>[\d.]+) s, "
    r"(?P<read>\d+) pages read"
)
SERVE_EDITS = 3  # edits timed while ``book serve`` runs
RE_UPDATING = re.compile(r"updating environment: .*?(\d+) added, (\d+) changed, (\d+) removed")
RE_WARNING = re.compile(r"WARNING: (.*)")
RE_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")  # Sphinx colours its output even into a file
RE_WARNING_TYPE = re.compile(r"\[([\w.-]+)\]\s*$")

# A wrapper that measures one command when GNU time is missing: getrusage(RUSAGE_CHILDREN) in a
# fresh process reports the peak of that command's tree only (in the harness it would be the peak
# over every command run so far).
RUSAGE_WRAPPER = r"""
import resource, subprocess, sys, time
start = time.perf_counter()
rc = subprocess.call(sys.argv[2:])
with open(sys.argv[1], "w") as f:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    f.write("%.2f %.2f %.2f %d\n" % (time.perf_counter() - start, usage.ru_utime, usage.ru_stime, usage.ru_maxrss))
sys.exit(rc)
"""

METHOD = {
    "wall_s": "wall-clock seconds of the whole command (time.perf_counter around the subprocess)",
    "cpu_s": "user + system CPU seconds of the command and every process it waited for (GNU time %U + %S); "
    "unlike wall time it does not count waiting, but it does count the work of every core",
    "peak_rss_kb": (
        "peak resident set size of the command's process tree in KiB: GNU time's %M, i.e. ru_maxrss from "
        "wait4(): the largest RSS any single process of the tree reached (the command and every descendant "
        "it waited for: Sphinx's parallel workers, the Jupyter kernel, pagefind), not a sum. Without "
        "/usr/bin/time: getrusage(RUSAGE_CHILDREN).ru_maxrss in a per-command wrapper process (same meaning)."
    ),
    "tree_rss_sum_peak_kb": (
        f"informational: the largest sum of RSS over all live processes of the tree, sampled from /proc every "
        f"{SAMPLE_INTERVAL} s; counts pages shared by forked workers once per process (overestimate) and "
        "misses peaks shorter than the interval"
    ),
    "docs_read": "pages Sphinx (re)read, from its 'updating environment: A added, C changed, R removed' line (A+C)",
    "html_article_page_bytes": (
        "size of each article page's HTML: data/articles.csv rows with is_stub False, "
        "path notebooks/<...>.md -> _build/html/notebooks/<...>.html"
    ),
    "search_bytes": (
        "every file under _build/html/_search/ (our n-gram index), plus _build/html/searchindex.js (Sphinx's "
        "index: the yardstick's) and every file under _build/html/pagefind/ if present (each reported too)"
    ),
    "site_bytes": "every file under _build/html (bytes, count)",
}


# --------------------------------------------------------------------------- measuring commands


@dataclass
class Run:
    name: str
    argv: list[str]
    rc: int | None
    wall_s: float
    peak_rss_kb: int | None
    tree_rss_sum_peak_kb: int | None
    load_before: list[float]
    stdout: str = field(repr=False, default="")
    stderr: str = field(repr=False, default="")
    log: str = ""
    cpu_s: float | None = None  # user + system CPU seconds of the whole process tree

    @property
    def ok(self) -> bool:
        return self.rc == 0

    def record(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "argv": " ".join(self.argv),
            "rc": self.rc,
            "wall_s": round(self.wall_s, 3),
            "cpu_s": None if self.cpu_s is None else round(self.cpu_s, 2),
            "peak_rss_kb": self.peak_rss_kb,
            "tree_rss_sum_peak_kb": self.tree_rss_sum_peak_kb,
            "load_before": self.load_before,
            "log": self.log,
        }
        if not self.ok:
            out["stderr_tail"] = tail(self.stderr or self.stdout, 40)
        return out


def tail(text: str, lines: int) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def loadavg() -> list[float]:
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return []


class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process and all its descendants from /proc."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak_kb = 0
        self.samples = 0
        self._stop_event = threading.Event()
        self._page_kb = os.sysconf("SC_PAGE_SIZE") // 1024

    def _sample(self) -> int:
        parents: dict[int, list[int]] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            # "pid (comm) state ppid ...": comm may hold spaces or parentheses
            ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
            parents.setdefault(ppid, []).append(int(entry.name))
        total, todo = 0, [self.root]
        while todo:
            pid = todo.pop()
            todo.extend(parents.get(pid, ()))
            try:
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * self._page_kb
            except (OSError, ValueError, IndexError):
                pass
        return total

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                self.peak_kb = max(self.peak_kb, self._sample())
                self.samples += 1
            except OSError:
                pass
            self._stop_event.wait(SAMPLE_INTERVAL)

    def stop(self) -> int | None:
        self._stop_event.set()
        self.join()
        return self.peak_kb if self.samples else None


class Runner:
    def __init__(self, logs: Path, timeout: float | None) -> None:
        self.logs = logs
        self.timeout = timeout
        self.count = 0
        self.use_time = Path(TIME_BIN).exists()
        self.env = dict(os.environ)
        # BOOK_ROOT would point the CLI at another book; CI would make the build strict.
        for var in ("BOOK_ROOT", "CI"):
            self.env.pop(var, None)
        self.env["PATH"] = os.pathsep.join([str(BIN), self.env.get("PATH", "")])
        self.env["PYTHONUNBUFFERED"] = "1"

    @property
    def rss_method(self) -> str:
        if self.use_time:
            return f"{TIME_BIN} -f '%e %U %S %M' (ru_maxrss and CPU times from wait4)"
        return "getrusage(RUSAGE_CHILDREN).ru_maxrss in a wrapper process per command"

    def __call__(self, name: str, argv: list[str], cwd: Path) -> Run:
        self.count += 1
        stem = self.logs / f"{self.count:02d}-{name}"
        timing = stem.with_suffix(".time")
        if self.use_time:
            cmd = [TIME_BIN, "-f", "%e %U %S %M", "-o", str(timing), *argv]
        else:
            cmd = [PYTHON, "-c", RUSAGE_WRAPPER, str(timing), *argv]
        load = loadavg()
        out_path, err_path = stem.with_suffix(".out"), stem.with_suffix(".err")
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            started = time.perf_counter()
            proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, env=self.env, start_new_session=True)
            sampler = TreeSampler(proc.pid)
            sampler.start()
            try:
                rc: int | None = proc.wait(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
                rc = None
            wall = time.perf_counter() - started
            tree_peak = sampler.stop()
        peak = cpu = None
        try:
            # GNU time prefixes "Command exited with non-zero status N" on failure: the figures are last.
            fields = timing.read_text().split()
            peak = int(float(fields[-1]))
            cpu = float(fields[-3]) + float(fields[-2])
        except (OSError, ValueError, IndexError):
            pass
        stdout = RE_ANSI.sub("", out_path.read_text(encoding="utf-8", errors="replace"))
        stderr = RE_ANSI.sub("", err_path.read_text(encoding="utf-8", errors="replace"))
        run = Run(name, argv, rc, wall, peak, tree_peak, load, stdout, stderr, str(stem.relative_to(REPO)), cpu)
        status = "ok" if run.ok else ("TIMEOUT" if rc is None else f"FAILED rc={rc}")
        rss = f"{peak / 1024:.0f} MiB" if peak else "?"
        print(f"  {name:<22} {wall:8.1f} s  {rss:>9}  {status}", flush=True)
        if not run.ok:
            print("    " + tail(stderr or stdout, 15).replace("\n", "\n    "), flush=True)
        return run


class Server:
    """``python -m book serve`` under the harness: its output is read line by line, each line with the
    ``time.perf_counter()`` at which it arrived, and copied to ``<stem>.out`` / ``<stem>.err``."""

    def __init__(self, argv: list[str], cwd: Path, env: dict[str, str], stem: Path) -> None:
        self.stem = stem
        self.err = open(stem.with_suffix(".err"), "wb")  # noqa: SIM115  (closed in stop)
        self.proc = subprocess.Popen(
            argv, cwd=cwd, stdout=subprocess.PIPE, stderr=self.err, env=env, text=True, start_new_session=True
        )
        self.lines: list[tuple[float, str]] = []
        self._arrived = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self._next = 0  # lines before this one were matched or passed over

    def _read(self) -> None:
        assert self.proc.stdout is not None
        with open(self.stem.with_suffix(".out"), "w", encoding="utf-8") as log:
            for line in self.proc.stdout:
                now = time.perf_counter()
                log.write(line)
                log.flush()
                with self._arrived:
                    self.lines.append((now, RE_ANSI.sub("", line.rstrip("\n"))))
                    self._arrived.notify_all()

    def wait_for(self, pattern: str, timeout: float) -> tuple[float, re.Match[str]] | None:
        """The first line from here on matching ``pattern``, and when it arrived; None on timeout or exit."""
        deadline = time.perf_counter() + timeout
        with self._arrived:
            while True:
                while self._next < len(self.lines):
                    at, line = self.lines[self._next]
                    self._next += 1
                    if m := re.search(pattern, line):
                        return at, m
                left = deadline - time.perf_counter()
                if left <= 0 or self.proc.poll() is not None:
                    return None
                self._arrived.wait(min(left, 1.0))

    def peak_rss_kb(self) -> int | None:
        """VmHWM: the server process's own peak resident set (its forked workers are not counted)."""
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return None
        m = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
        return int(m.group(1)) if m else None

    def stop(self) -> int | None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=300)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            code = None
        self.err.close()
        return code


# --------------------------------------------------------------------------- book folders and edits


def fresh_book(dest: Path) -> None:
    """A book folder as a new user starts it: the package, intro, data notebook, vocabulary, config."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copytree(REPO / "book", dest / "book", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for rel in BOOK_FILES:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, dest / rel)


def read_articles(book: Path) -> list[dict[str, str]]:
    path = book / "data" / "articles.csv"
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def article_rows(book: Path) -> list[dict[str, str]]:
    """Non-stub article rows, sorted by notebook path."""
    rows = [r for r in read_articles(book) if r.get("is_stub", "").strip().lower() != "true"]
    return sorted(rows, key=lambda r: r["path"])


def html_page(site: Path, notebook_path: str) -> Path:
    """notebooks/<...>.md -> <site>/notebooks/<...>.html"""
    return site / Path(notebook_path).with_suffix(".html")


def pick_article(rows: list[dict[str, str]]) -> dict[str, str]:
    """The article that gets edited: the middle one by path (deterministic for a corpus)."""
    return rows[len(rows) // 2]


def append_sentence(notebook: Path, sentence: str) -> int:
    """Append ``sentence`` to the first body paragraph line (one ending in 。); returns its line number.

    Only plain paragraph lines outside the front matter and code fences qualify, so the notebook stays
    valid MyST: headings, cell markers, directives, list items and labels are left alone.
    """
    text = notebook.read_text(encoding="utf-8")
    lines = text.split("\n")
    start = 0
    if lines and lines[0] == "---":
        start = lines.index("---", 1) + 1
    candidates: list[tuple[bool, int]] = []
    part, fence = "", False
    for i in range(start, len(lines)):
        line = lines[i]
        if line.startswith("```"):
            fence = not fence
            continue
        if fence:
            continue
        if line.startswith("+++"):
            part = line
            continue
        if line.endswith("。") and not line.startswith(("#", "-", "(", " ", ">", "|", "*", "<", "{", "[", "+")):
            candidates.append(('"body"' not in part, i))
    if not candidates:
        raise ValueError(f"{notebook}: no paragraph line ending in 。 to edit")
    _, index = min(candidates)  # prefer a body paragraph, then the earliest line
    lines[index] += sentence
    notebook.write_text("\n".join(lines), encoding="utf-8")
    return index + 1


def new_capture(src_dir: Path, dest_dir: Path, taken: set[int], tag: str) -> tuple[int, str, Path]:
    """One capture from ``src_dir`` (written by ``book sample`` with another seed), given a fresh numeric id
    and a unique title.  Returns (id, title, file)."""
    for src in sorted(src_dir.glob("*.txt")):
        text = src.read_text(encoding="utf-8")
        lines = text.splitlines(keepends=True)
        m = re.search(r"/hf/(\d+)\.html", text)
        if not lines or not lines[0].startswith("当前位置") or not m:
            continue  # body-only or traditional capture: pick an ordinary one
        title_index = next(i for i in range(1, len(lines)) if lines[i].strip())
        title = lines[title_index].strip()
        new_id = max(taken | {int(m.group(1))}) + 1
        new_title = f"{title}({tag}{new_id})"
        out = []
        for i, line in enumerate(lines):
            body, end = line.rstrip("\r\n"), line[len(line.rstrip("\r\n")) :]
            if i == title_index:
                body = new_title
            elif body == f"{title}的相关文章":
                body = f"{new_title}的相关文章"
            out.append(body + end)
        text = "".join(out).replace(f"/hf/{m.group(1)}.html", f"/hf/{new_id}.html")
        dest_dir.mkdir(parents=True, exist_ok=True)
        dest = dest_dir / f"{new_id}.txt"
        dest.write_bytes(text.encode("utf-8"))
        return new_id, new_title, dest
    raise ValueError(f"no ordinary capture in {src_dir}")


# --------------------------------------------------------------------------- site figures


def tree_bytes(path: Path) -> tuple[int, int]:
    total = count = 0
    if path.is_dir():
        for p in path.rglob("*"):
            if p.is_file():
                total += p.stat().st_size
                count += 1
    return total, count


def page_stats(site: Path, rows: list[dict[str, str]]) -> dict[str, Any]:
    sizes, missing = [], []
    for r in rows:
        page = html_page(site, r["path"])
        if page.is_file():
            sizes.append(page.stat().st_size)
        else:
            missing.append(r["path"])
    out: dict[str, Any] = {"articles": len(rows), "pages": len(sizes), "missing": len(missing)}
    if missing:
        out["missing_examples"] = missing[:10]
    if sizes:
        out.update(
            mean_bytes=round(statistics.fmean(sizes)),
            median_bytes=round(statistics.median(sizes)),
            max_bytes=max(sizes),
            min_bytes=min(sizes),
        )
    return out


def search_stats(site: Path) -> dict[str, Any]:
    js = site / "searchindex.js"
    js_bytes = js.stat().st_size if js.is_file() else None
    ours = (site / "_search").is_dir()
    ours_bytes, ours_files = tree_bytes(site / "_search")
    pf_bytes, pf_files = tree_bytes(site / "pagefind")
    pagefind = (site / "pagefind").is_dir()
    return {
        "search_dir_bytes": ours_bytes if ours else None,
        "search_dir_files": ours_files if ours else None,
        "searchindex_js_bytes": js_bytes,
        "pagefind_bytes": pf_bytes if pagefind else None,
        "pagefind_files": pf_files if pagefind else None,
        "total_bytes": (ours_bytes if ours else 0) + (js_bytes or 0) + (pf_bytes if pagefind else 0),
    }


def search_mtime(site: Path) -> float:
    """The newest mtime among the search index's files (our _search/ shards, else Sphinx's searchindex.js)."""
    folder = site / "_search"
    if folder.is_dir():
        return max((p.stat().st_mtime for p in folder.rglob("*") if p.is_file()), default=0.0)
    js = site / "searchindex.js"
    return js.stat().st_mtime if js.is_file() else 0.0


def site_stats(build: Path) -> dict[str, Any]:
    html_bytes, html_files = tree_bytes(build / "html")
    all_bytes, _ = tree_bytes(build)
    return {"bytes": html_bytes, "files": html_files, "build_dir_bytes": all_bytes}


def warnings_of(run: Run) -> dict[str, Any]:
    found = RE_WARNING.findall(run.stderr + "\n" + run.stdout)
    kinds: dict[str, int] = {}
    for w in found:
        m = RE_WARNING_TYPE.search(w)
        key = m.group(1) if m else "untyped"
        kinds[key] = kinds.get(key, 0) + 1
    examples = list(dict.fromkeys(found))[:8]
    return {"count": len(found), "by_type": kinds, "examples": examples}


def docs_read(run: Run) -> int | None:
    hits = RE_UPDATING.findall(run.stdout + "\n" + run.stderr)
    if not hits:
        return None
    return sum(int(a) + int(c) for a, c, _ in hits)


def index_figures(run: Run) -> dict[str, Any] | None:
    m = RE_INDEX.search(run.stdout)
    if not m:
        return None
    return {k: (float(v) if k == "s" else int(v)) for k, v in m.groupdict().items()}


# --------------------------------------------------------------------------- one size of ours


class Bench:
    def __init__(self, args: argparse.Namespace, logs: Path) -> None:
        self.args = args
        self.run = Runner(logs, args.timeout)
        self.problems: list[str] = []

    def problem(self, text: str) -> None:
        print(f"  PROBLEM: {text}", flush=True)
        self.problems.append(text)

    def check(self, run: Run, label: str) -> bool:
        if not run.ok:
            what = "timed out" if run.rc is None else f"exited {run.rc}"
            self.problem(f"{label}: `{' '.join(run.argv)}` {what}: {tail(run.stderr or run.stdout, 5)}")
        return run.ok

    def book_cmd(self, *args: str) -> list[str]:
        # `build -v` prints Sphinx's log as builds did before the quiet summary: the figures
        # (pages read, warnings) are read from it, and timings stay comparable with earlier runs.
        verbose = ["-v"] if args[:1] == ("build",) else []
        return [PYTHON, "-m", "book", *args, *verbose]

    def prepare(self, work: Path, n: int, label: str) -> tuple[Path, dict[str, Any]] | None:
        """Fresh book + generated corpus; returns the book folder and the generate step."""
        if work.exists():
            shutil.rmtree(work)
        book = work / "book"
        fresh_book(book)
        corpus = work / "corpus"
        gen = self.run(
            "generate",
            self.book_cmd("sample", "--articles", str(n), "--out", str(corpus), "--seed", str(self.args.seed)),
            book,
        )
        if not self.check(gen, f"{label}: generate"):
            return None
        return book, {"generate": gen.record()}

    def ours(self, n: int) -> dict[str, Any]:
        label = f"N={n}"
        print(f"\n== ours, {label}", flush=True)
        work = WORK / f"ours-{n}"
        result: dict[str, Any] = {"n": n, "steps": {}}
        steps = result["steps"]
        prepared = self.prepare(work, n, label)
        if prepared is None:
            return result
        book, first = prepared
        steps.update(first)
        site = book / "_build" / "html"

        imp = self.run("import", self.book_cmd("import", str(work / "corpus"), "--quiet"), book)
        self.check(imp, f"{label}: import")
        steps["import"] = imp.record()
        m = RE_IMPORT.search(imp.stdout)
        steps["import"]["printed"] = (
            {"summary": m["summary"], "s": float(m["s"]), "articles_per_s": float(m["rate"])} if m else None
        )
        steps["import"]["printed_index"] = index_figures(imp)
        if m is None:
            self.problem(f"{label}: import printed no 'import: ... articles/s' line")

        idx = self.run("index-nochange", self.book_cmd("index"), book)
        self.check(idx, f"{label}: index")
        steps["index"] = idx.record()
        steps["index"]["printed"] = index_figures(idx)

        shutil.rmtree(book / "_build", ignore_errors=True)
        full = self.run("build-full", self.book_cmd("build"), book)
        self.check(full, f"{label}: full build")
        steps["build_full"] = full.record()
        repeats = [full]
        for again in range(2, (self.args.repeat_full if n <= REPEAT_FULL_MAX_N else 1) + 1):
            shutil.rmtree(book / "_build", ignore_errors=True)
            run = self.run(f"build-full-{again}", self.book_cmd("build"), book)
            self.check(run, f"{label}: full build, run {again}")
            repeats.append(run)
        if len(repeats) > 1:
            # One build of a thousand articles varies by a few seconds on this virtual machine;
            # the figure is the median of the runs, every run is kept.
            walls = [r.wall_s for r in repeats]
            steps["build_full"].update(
                wall_s=round(statistics.median(walls), 3),
                runs_wall_s=[round(w, 3) for w in walls],
                runs_cpu_s=[None if r.cpu_s is None else round(r.cpu_s, 2) for r in repeats],
                cpu_s=statistics.median(r.cpu_s for r in repeats) if all(r.cpu_s for r in repeats) else None,
                peak_rss_kb=max((r.peak_rss_kb for r in repeats if r.peak_rss_kb is not None), default=None),
            )
        steps["build_full"]["docs_read"] = docs_read(full)
        steps["build_full"]["printed_index"] = index_figures(full)
        result["warnings_full_build"] = warnings_of(full)

        rows = article_rows(book)
        result["articles_in_csv"] = len(rows)
        if len(rows) != n:
            self.problem(f"{label}: data/articles.csv lists {len(rows)} articles (not stubs), expected {n}")
        # Page sizes before the edit/add steps change anything.
        result["pages"] = page_stats(site, rows)
        if result["pages"]["missing"]:
            self.problem(
                f"{label}: {result['pages']['missing']} article page(s) missing after the full build, "
                f"e.g. {result['pages'].get('missing_examples', [])[:3]}"
            )
        result["search"] = search_stats(site)
        result["site"] = site_stats(book / "_build")

        noop = self.run("build-noop", self.book_cmd("build"), book)
        self.check(noop, f"{label}: no-op build")
        steps["build_noop"] = noop.record()
        steps["build_noop"]["docs_read"] = docs_read(noop)

        if rows:
            steps["edit_one"] = self.edit_step(book, rows, site, self.book_cmd("build"), label, "build-edit-one")

        steps["add_one"] = self.add_step(work, book, site, label)
        if rows:
            steps["serve"] = self.serve_step(work, book, site, rows, label)
        if not self.args.keep:
            shutil.rmtree(work, ignore_errors=True)
        return result

    def edit_step(
        self, book: Path, rows: list[dict[str, str]], site: Path, build: list[str], label: str, name: str
    ) -> dict[str, Any]:
        row = pick_article(rows)
        marker = f"BENCHEDIT{len(rows)}X"
        line = append_sentence(book / row["path"], f"这是基准测试追加的一句话{marker}。")
        run = self.run(name, build, book)
        self.check(run, f"{label}: build after editing one article")
        page = html_page(site, row["path"])
        seen = page.is_file() and marker in page.read_text(encoding="utf-8", errors="replace")
        if not seen:
            self.problem(f"{label}: edit of {row['path']}:{line} not in {page.relative_to(book)}")
        out = run.record()
        out.update(
            notebook=f"{row['path']}:{line}", page=str(page.relative_to(book)), verified=seen, docs_read=docs_read(run)
        )
        return out

    def add_step(self, work: Path, book: Path, site: Path, label: str) -> dict[str, Any]:
        src = work / "add-source"
        gen = self.run(
            "generate-add", self.book_cmd("sample", "--articles", "8", "--out", str(src), "--seed", str(ADD_SEED)), book
        )
        if not self.check(gen, f"{label}: generate the added capture"):
            return {"error": "could not generate the capture"}
        taken = {int(r["id"]) for r in read_articles(book) if r["id"].isdigit()}
        taken |= {int(p.stem) for p in (work / "corpus").glob("*.txt") if p.stem.isdigit()}
        new_id, title, capture = new_capture(src, work / "add", taken, "基准新增")
        imp = self.run("import-add-one", self.book_cmd("import", str(capture), "--quiet"), book)
        self.check(imp, f"{label}: import one added article")
        run = self.run("build-add-one", self.book_cmd("build"), book)
        self.check(run, f"{label}: build after adding one article")
        row = next((r for r in read_articles(book) if r["id"] == str(new_id)), None)
        page = html_page(site, row["path"]) if row else None
        seen = bool(page and page.is_file() and f"基准新增{new_id}" in page.read_text(encoding="utf-8"))
        if not seen:
            where = page.relative_to(book) if page else "(no row in data/articles.csv)"
            self.problem(f"{label}: added article {new_id} not found in the site: {where}")
        return {
            "id": new_id,
            "title": title,
            "page": str(page.relative_to(book)) if page else None,
            "verified": seen,
            "wall_s": round(imp.wall_s + run.wall_s, 3),
            "import": imp.record(),
            "build": run.record() | {"docs_read": docs_read(run)},
        }

    def serve_step(self, work: Path, book: Path, site: Path, rows: list[dict[str, str]], label: str) -> dict[str, Any]:
        """``python -m book serve`` on the built book: edits and an addition, each timed from the moment the
        notebook (or the import) is written to the server's line saying the site is updated."""
        self.run.count += 1
        stem = self.run.logs / f"{self.run.count:02d}-serve"
        timeout = self.args.timeout or 1800
        started = time.perf_counter()
        server = Server(self.book_cmd("serve", "--port", "-1"), book, self.run.env, stem)
        out: dict[str, Any] = {"log": str(stem.relative_to(REPO)), "edits": [], "load_before": loadavg()}
        try:
            ready = server.wait_for(r"^serve: watching", timeout)
            if ready is None:
                self.problem(f"{label}: serve did not start (see {stem}.err)")
                return out
            out["startup_s"] = round(ready[0] - started, 3)
            print(f"  {'serve: start-up':<22} {out['startup_s']:8.1f} s", flush=True)
            for i in range(SERVE_EDITS):
                marker = f"BENCHSERVE{len(rows)}X{i}"
                before = time.time()
                # The article after the middle one, then every seventh; one with no plain paragraph
                # line (a heading-only article) is passed over for the next.
                for k in range(len(rows)):
                    row = rows[(len(rows) // 2 + 1 + i * 7 + k) % len(rows)]
                    try:
                        line = append_sentence(book / row["path"], f"这是服务模式追加的一句话{marker}。")
                        break
                    except ValueError:
                        continue
                t0 = time.perf_counter()
                hit = server.wait_for(RE_SERVED, timeout)
                page = html_page(site, row["path"])
                seen = (
                    hit is not None
                    and page.is_file()
                    and marker in page.read_text(encoding="utf-8", errors="replace")
                    and search_mtime(site) >= before
                )
                data = server.wait_for(r"data page updated in ([\d.]+) s", timeout)
                edit = {"notebook": f"{row['path']}:{line}", "verified": seen}
                if hit is not None:
                    m = hit[1]
                    edit.update(
                        wall_s=round(hit[0] - t0, 3),
                        printed={"s": float(m["s"]), "index_s": float(m["index"]), "build_s": float(m["build"])},
                        docs_read=int(m["read"]),
                    )
                if data is not None:
                    edit["data_page_s"] = round(data[0] - t0, 3)
                if not seen:
                    self.problem(f"{label}: serve: edit of {row['path']}:{line} not in {page.relative_to(book)}")
                out["edits"].append(edit)
                print(f"  {'serve: edit ' + str(i + 1):<22} {edit.get('wall_s', float('nan')):8.2f} s", flush=True)
            out["add_one"] = self._serve_add(work, book, site, server, label, timeout)
            out["server_peak_rss_kb"] = server.peak_rss_kb()
        finally:
            code = server.stop()
        out["exit_code"] = code
        if code != 0:
            self.problem(f"{label}: serve exited {code} on SIGTERM (see {stem}.err)")
        walls = [e["wall_s"] for e in out["edits"] if "wall_s" in e]
        if walls:
            out["edit_wall_s_median"] = round(statistics.median(walls), 3)
        return out

    def _serve_add(
        self, work: Path, book: Path, site: Path, server: Server, label: str, timeout: float
    ) -> dict[str, Any]:
        src = work / "serve-add-source"
        gen = self.run(
            "generate-serve-add",
            self.book_cmd("sample", "--articles", "8", "--out", str(src), "--seed", str(ADD_SEED + 1)),
            book,
        )
        if not self.check(gen, f"{label}: generate the capture added while serving"):
            return {"error": "could not generate the capture"}
        taken = {int(r["id"]) for r in read_articles(book) if r["id"].isdigit()}
        taken |= {int(p.stem) for p in (work / "corpus").glob("*.txt") if p.stem.isdigit()}
        new_id, title, capture = new_capture(src, work / "serve-add", taken, "服务新增")
        t0 = time.perf_counter()
        imp = self.run("serve-import-add-one", self.book_cmd("import", str(capture), "--quiet"), book)
        self.check(imp, f"{label}: import one article while serving")
        hit = server.wait_for(rf"{new_id}\.md: site updated in", timeout)
        row = next((r for r in read_articles(book) if r["id"] == str(new_id)), None)
        page = html_page(site, row["path"]) if row else None
        seen = bool(hit and page and page.is_file() and f"服务新增{new_id}" in page.read_text(encoding="utf-8"))
        if not seen:
            self.problem(f"{label}: serve: added article {new_id} not found in the site")
        data = server.wait_for(r"data page updated in", timeout)
        result: dict[str, Any] = {
            "id": new_id,
            "verified": seen,
            "import": imp.record(),
            "left_to_server": "left to `python -m book serve`" in imp.stdout,
        }
        if hit is not None:
            result["wall_s"] = round(hit[0] - t0, 3)
            m = re.search(RE_SERVED, hit[1].string)
            if m:
                result["printed"] = {"s": float(m["s"]), "index_s": float(m["index"]), "build_s": float(m["build"])}
                result["docs_read"] = int(m["read"])
        if data is not None:
            result["data_page_s"] = round(data[0] - t0, 3)
        print(f"  {'serve: add one':<22} {result.get('wall_s', float('nan')):8.2f} s", flush=True)
        return result

    # ----------------------------------------------------------------------- the yardstick

    def yardstick(self, n: int) -> dict[str, Any]:
        label = f"yardstick N={n}"
        print(f"\n== plain Jupyter Book yardstick, N={n}", flush=True)
        work = WORK / f"yardstick-{n}"
        result: dict[str, Any] = {"n": n, "steps": {}}
        steps = result["steps"]
        prepared = self.prepare(work, n, label)
        if prepared is None:
            return result
        book, first = prepared
        steps.update(first)
        imp = self.run("import", self.book_cmd("import", str(work / "corpus"), "--quiet"), book)
        self.check(imp, f"{label}: import")
        steps["import"] = imp.record()
        rows = article_rows(book)
        result["articles_in_csv"] = len(rows)

        plain = work / "plain"
        write_plain_book(book, plain, rows)
        site = plain / "_build" / "html"
        jb = [str(BIN / "jupyter-book"), "build", str(plain)]
        full = self.run("jb-build-full", jb, work)
        self.check(full, f"{label}: jupyter-book build")
        steps["build_full"] = full.record() | {"docs_read": docs_read(full)}
        result["warnings_full_build"] = warnings_of(full)
        result["pages"] = page_stats(site, rows)
        if result["pages"]["missing"]:
            self.problem(f"{label}: {result['pages']['missing']} article page(s) missing")
        result["search"] = search_stats(site)
        result["site"] = site_stats(plain / "_build")
        noop = self.run("jb-build-noop", jb, work)
        self.check(noop, f"{label}: no-op jupyter-book build")
        steps["build_noop"] = noop.record() | {"docs_read": docs_read(noop)}
        if rows:
            steps["edit_one"] = self.edit_step(plain, rows, site, jb, label, "jb-build-edit-one")
        if not self.args.keep:
            shutil.rmtree(work, ignore_errors=True)
        return result


def write_plain_book(book: Path, plain: Path, rows: list[dict[str, str]]) -> None:
    """What a user gets with plain Jupyter Book: our article notebooks, a flat toc, a minimal config."""
    if plain.exists():
        shutil.rmtree(plain)
    for r in rows:
        dest = plain / r["path"]
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(book / r["path"], dest)
    (plain / "notebooks" / "intro.md").write_text(
        "# 合飞律师知识库\n\n本书收录合飞律师网站上的文章，每篇文章是一个 MyST 笔记本。\n", encoding="utf-8"
    )
    (plain / "_config.yml").write_text(
        "# Plain Jupyter Book defaults (benchmark yardstick): title, toc files only, Chinese search.\n"
        "title: 合飞律师知识库\n"
        "only_build_toc_files: true\n"
        "sphinx:\n"
        "  config:\n"
        "    language: zh_CN\n"
        "    html_search_language: zh\n",
        encoding="utf-8",
    )
    toc = ["format: jb-book", "root: notebooks/intro", "chapters:"]
    toc += [f"- file: {Path(r['path']).with_suffix('').as_posix()}" for r in rows]
    (plain / "_toc.yml").write_text("\n".join(toc) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- ratios and report


def per_article(value: float | None, n: int) -> float | None:
    return None if value is None or not n else value / n


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or not b else a / b


def get(d: dict[str, Any] | None, *keys: str) -> Any:
    for k in keys:
        if not isinstance(d, dict):
            return None
        d = d.get(k)
    return d


RATIO_DEFINITIONS = {
    "build_full_time_per_article": "(our full build s / N) / (yardstick full build s / N_y)",
    "build_full_peak_rss": "our full-build peak RSS / yardstick full-build peak RSS (not normalised)",
    "build_noop_time": "our no-op build s / yardstick no-op build s (not normalised)",
    "edit_one_time": "our edit-one-article build s / yardstick edit-one-article build s (not normalised)",
    "serve_edit_time": "median of our `serve` edit → site s / yardstick edit-one-article build s (not normalised)",
    "html_page_mean_bytes": "our mean article-page HTML bytes / yardstick mean (per page)",
    "html_page_median_bytes": "our median article-page HTML bytes / yardstick median (per page)",
    "html_page_max_bytes": "our largest article page / yardstick largest article page",
    "search_bytes_per_article": "(our _search/ + pagefind bytes / N) / (yardstick searchindex.js bytes / N_y)",
    "site_bytes_per_article": "(our _build/html bytes / N) / (yardstick _build/html bytes / N_y)",
    "site_files_per_article": "(our _build/html files / N) / (yardstick _build/html files / N_y)",
}


def ratios(ours: dict[str, Any], yard: dict[str, Any]) -> dict[str, Any]:
    n, ny = ours["n"], yard["n"]
    o, y = ours.get("steps", {}), yard.get("steps", {})
    values = {
        "build_full_time_per_article": ratio(
            per_article(get(o, "build_full", "wall_s"), n), per_article(get(y, "build_full", "wall_s"), ny)
        ),
        "build_full_peak_rss": ratio(get(o, "build_full", "peak_rss_kb"), get(y, "build_full", "peak_rss_kb")),
        "build_noop_time": ratio(get(o, "build_noop", "wall_s"), get(y, "build_noop", "wall_s")),
        "edit_one_time": ratio(get(o, "edit_one", "wall_s"), get(y, "edit_one", "wall_s")),
        "serve_edit_time": ratio(get(o, "serve", "edit_wall_s_median"), get(y, "edit_one", "wall_s")),
        "html_page_mean_bytes": ratio(get(ours, "pages", "mean_bytes"), get(yard, "pages", "mean_bytes")),
        "html_page_median_bytes": ratio(get(ours, "pages", "median_bytes"), get(yard, "pages", "median_bytes")),
        "html_page_max_bytes": ratio(get(ours, "pages", "max_bytes"), get(yard, "pages", "max_bytes")),
        "search_bytes_per_article": ratio(
            per_article(get(ours, "search", "total_bytes"), n), per_article(get(yard, "search", "total_bytes"), ny)
        ),
        "site_bytes_per_article": ratio(
            per_article(get(ours, "site", "bytes"), n), per_article(get(yard, "site", "bytes"), ny)
        ),
        "site_files_per_article": ratio(
            per_article(get(ours, "site", "files"), n), per_article(get(yard, "site", "files"), ny)
        ),
    }
    return {
        "n": n,
        "yardstick_n": ny,
        "figures": {
            k: {"value": None if v is None else round(v, 4), "definition": RATIO_DEFINITIONS[k]}
            for k, v in values.items()
        },
    }


def fmt_s(v: float | None) -> str:
    if v is None:
        return "–"
    return f"{v:.2f}" if v < 10 else f"{v:.1f}" if v < 100 else f"{v:.0f}"


def fmt_mib(kb: int | None) -> str:
    return "–" if kb is None else f"{kb / 1024:.0f}"


def fmt_bytes(b: float | None) -> str:
    if b is None:
        return "–"
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if b >= size:
            return f"{b / size:.1f} {unit}"
    return f"{b:.0f} B"


def fmt_x(v: float | None) -> str:
    return "–" if v is None else f"{v:.2f}×"


def ok_mark(step: dict[str, Any] | None) -> str:
    if not step:
        return ""
    bad = step.get("rc") not in (0, None) or any(
        isinstance(v, dict) and v.get("rc") not in (0, None) for v in step.values()
    )
    verified = step.get("verified")
    mark = " ✓" if verified else " ✗ not in site" if verified is False else ""
    return (" FAILED" if bad else "") + mark


def median_note(step: dict[str, Any]) -> str:
    runs = step.get("runs_wall_s")
    return f" (median of {', '.join(fmt_s(w) for w in runs)})" if runs else ""


def our_rows(r: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    """(figure, value, ratio key) rows of one size of ours."""
    s = r.get("steps", {})
    n = r["n"]
    imp, idx, full = s.get("import", {}), s.get("index", {}), s.get("build_full", {})
    noop, edit, add = s.get("build_noop", {}), s.get("edit_one", {}), s.get("add_one", {})
    pages, search, site = r.get("pages", {}), r.get("search", {}), r.get("site", {})
    per_art_ms = per_article(full.get("wall_s"), n)
    pf = search.get("pagefind_bytes")
    return [
        ("generate corpus (s)", fmt_s(get(s, "generate", "wall_s")), None),
        ("import: wall s / peak RSS MiB", f"{fmt_s(imp.get('wall_s'))} / {fmt_mib(imp.get('peak_rss_kb'))}", None),
        ("import: articles/s (printed)", fmt_s(get(imp, "printed", "articles_per_s")), None),
        ("index printed by import (s)", fmt_s(get(imp, "printed_index", "s")), None),
        (
            "index, no change: wall s (printed s) / RSS MiB",
            f"{fmt_s(idx.get('wall_s'))} ({fmt_s(get(idx, 'printed', 's'))}) / {fmt_mib(idx.get('peak_rss_kb'))}",
            None,
        ),
        ("full build from clean (s)", fmt_s(full.get("wall_s")) + ok_mark(full) + median_note(full), None),
        (
            "full build per article (ms)",
            fmt_s(None if per_art_ms is None else per_art_ms * 1000),
            "build_full_time_per_article",
        ),
        ("full build CPU, all processes (s)", fmt_s(full.get("cpu_s")), None),
        ("full build peak RSS (MiB)", fmt_mib(full.get("peak_rss_kb")), "build_full_peak_rss"),
        ("full build tree RSS sum, sampled (MiB)", fmt_mib(full.get("tree_rss_sum_peak_kb")), None),
        (
            "no-op rebuild (s) [pages read]",
            f"{fmt_s(noop.get('wall_s'))} [{noop.get('docs_read')}]" + ok_mark(noop),
            "build_noop_time",
        ),
        (
            "edit one article → site (s) [pages read]",
            f"{fmt_s(edit.get('wall_s'))} [{edit.get('docs_read')}]" + ok_mark(edit),
            "edit_one_time",
        ),
        (
            "add one article → site: import + build (s) [pages read]",
            f"{fmt_s(get(add, 'import', 'wall_s'))} + {fmt_s(get(add, 'build', 'wall_s'))} = {fmt_s(add.get('wall_s'))}"
            f" [{get(add, 'build', 'docs_read')}]" + ok_mark(add),
            None,
        ),
        ("serve: start-up until watching (s)", fmt_s(get(s, "serve", "startup_s")), None),
        (
            "serve: edit one article → site (s), each edit [pages read]",
            ", ".join(
                f"{fmt_s(e.get('wall_s'))} [{e.get('docs_read')}]" + ok_mark(e) for e in get(s, "serve", "edits") or []
            )
            or "–",
            "serve_edit_time",
        ),
        (
            "serve: edit → data page updated too (s)",
            ", ".join(fmt_s(e.get("data_page_s")) for e in get(s, "serve", "edits") or []) or "–",
            None,
        ),
        (
            "serve: add one article: import → site (s) [pages read]",
            f"{fmt_s(get(s, 'serve', 'add_one', 'wall_s'))} [{get(s, 'serve', 'add_one', 'docs_read')}]"
            + ok_mark(get(s, "serve", "add_one")),
            None,
        ),
        ("serve: server peak RSS (MiB)", fmt_mib(get(s, "serve", "server_peak_rss_kb")), None),
        ("HTML per article page: mean", fmt_bytes(pages.get("mean_bytes")), "html_page_mean_bytes"),
        ("HTML per article page: median", fmt_bytes(pages.get("median_bytes")), "html_page_median_bytes"),
        ("HTML per article page: max", fmt_bytes(pages.get("max_bytes")), "html_page_max_bytes"),
        ("article pages built / expected", f"{pages.get('pages')} / {pages.get('articles')}", None),
        (
            "search: _search/ (files) + pagefind/",
            f"{fmt_bytes(search.get('search_dir_bytes'))} ({search.get('search_dir_files')}) + "
            f"{fmt_bytes(pf) if pf is not None else 'none'}",
            None,
        ),
        ("search bytes per article", fmt_bytes(per_article(search.get("total_bytes"), n)), "search_bytes_per_article"),
        ("site: bytes / files", f"{fmt_bytes(site.get('bytes'))} / {site.get('files')}", None),
        ("site bytes per article", fmt_bytes(per_article(site.get("bytes"), n)), "site_bytes_per_article"),
        ("site files per article", fmt_s(per_article(site.get("files"), n)), "site_files_per_article"),
        ("Sphinx warnings in the full build", str(get(r, "warnings_full_build", "count")), None),
    ]


def yard_rows(r: dict[str, Any]) -> list[tuple[str, str]]:
    s = r.get("steps", {})
    n = r["n"]
    full, noop, edit = s.get("build_full", {}), s.get("build_noop", {}), s.get("edit_one", {})
    pages, search, site = r.get("pages", {}), r.get("search", {}), r.get("site", {})
    per_art = per_article(full.get("wall_s"), n)
    return [
        ("full build from clean (s)", fmt_s(full.get("wall_s")) + ok_mark(full)),
        ("full build per article (ms)", fmt_s(None if per_art is None else per_art * 1000)),
        ("full build CPU, all processes (s)", fmt_s(full.get("cpu_s"))),
        ("full build peak RSS (MiB)", fmt_mib(full.get("peak_rss_kb"))),
        ("no-op rebuild (s) [pages read]", f"{fmt_s(noop.get('wall_s'))} [{noop.get('docs_read')}]"),
        (
            "edit one article → site (s) [pages read]",
            f"{fmt_s(edit.get('wall_s'))} [{edit.get('docs_read')}]" + ok_mark(edit),
        ),
        (
            "HTML per article page: mean / median / max",
            f"{fmt_bytes(pages.get('mean_bytes'))} / {fmt_bytes(pages.get('median_bytes'))} / "
            f"{fmt_bytes(pages.get('max_bytes'))}",
        ),
        ("article pages built / expected", f"{pages.get('pages')} / {pages.get('articles')}"),
        ("searchindex.js", fmt_bytes(search.get("searchindex_js_bytes"))),
        ("search bytes per article", fmt_bytes(per_article(search.get("total_bytes"), n))),
        ("site: bytes / files", f"{fmt_bytes(site.get('bytes'))} / {site.get('files')}"),
        ("Sphinx warnings in the full build", str(get(r, "warnings_full_build", "count"))),
    ]


def markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    out = [
        f"Machine: {m.get('cpu_model')}, {m.get('nproc')} cores, {m.get('mem_total_gib')} GiB, "
        f"{m.get('os')}, Python {m.get('python')}; jupyter-book {m['packages'].get('jupyter-book')}, "
        f"sphinx {m['packages'].get('sphinx')}; commit {report['repo'].get('commit', '?')[:10]}"
        + (" (dirty)" if report["repo"].get("dirty") else ""),
        "",
    ]
    ours, yards, rats = report["ours"], report["yardstick"], report["ratios"]
    if ours:
        ny = rats[0]["yardstick_n"] if rats else None
        head = "| figure | " + " | ".join(f"N={r['n']} | ×yardstick" if ny else f"N={r['n']}" for r in ours) + " |"
        out += ["### Ours (`python -m book`)", "", head, "|---|" + "---:|" * (len(ours) * (2 if ny else 1))]
        tables = [our_rows(r) for r in ours]
        rat_by_n = {x["n"]: x["figures"] for x in rats}
        for i, (name, _, _) in enumerate(tables[0]):
            cells = []
            for r, rows in zip(ours, tables, strict=True):
                _, value, key = rows[i]
                cells.append(value)
                if ny:
                    cells.append(fmt_x(get(rat_by_n.get(r["n"]), key, "value")) if key else "")
            out.append(f"| {name} | " + " | ".join(cells) + " |")
        out.append("")
    if yards:
        out += [
            "### Yardstick: plain `jupyter-book build`, flat toc, same article notebooks",
            "",
            "| figure | " + " | ".join(f"N={r['n']}" for r in yards) + " |",
            "|---|" + "---:|" * len(yards),
        ]
        tables = [yard_rows(r) for r in yards]
        for i, (name, _) in enumerate(tables[0]):
            out.append(f"| {name} | " + " | ".join(t[i][1] for t in tables) + " |")
        out.append("")
    if rats:
        out += [
            f"Ratios (×yardstick) compare with the yardstick at its largest N (N_y = {rats[0]['yardstick_n']}); "
            "below 1 means ours is faster/smaller:",
            "",
        ]
        out += [f"- `{k}` = {v}" for k, v in RATIO_DEFINITIONS.items()]
        out.append("")
    if report["problems"]:
        out += ["Problems:", ""] + [f"- {p}" for p in report["problems"]] + [""]
    return "\n".join(out)


# --------------------------------------------------------------------------- machine and main


def machine_info() -> dict[str, Any]:
    info: dict[str, Any] = {
        "nproc": os.cpu_count(),
        "nproc_available": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "hostname": socket.gethostname(),
    }
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        m = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
        info["cpu_model"] = m.group(1).strip() if m else platform.processor() or None
    except OSError:
        info["cpu_model"] = platform.processor() or None
    try:
        m = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
        info["mem_total_gib"] = round(int(m.group(1)) / 1024**2, 1) if m else None
    except OSError:
        info["mem_total_gib"] = None
    try:
        rel = dict(line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line)
        info["os"] = rel.get("PRETTY_NAME", "").strip('"') or None
    except OSError:
        info["os"] = platform.system()
    packages = {}
    for name in PACKAGES:
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            packages[name] = None
    info["packages"] = packages
    info["gnu_time"] = Path(TIME_BIN).exists()
    return info


def repo_info() -> dict[str, Any]:
    info: dict[str, Any] = {}
    try:
        info["commit"] = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
        # --no-optional-locks: a read-only status that never takes .git/index.lock from others.
        status = subprocess.run(
            ["git", "--no-optional-locks", "status", "--porcelain"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        info["dirty"] = [line[3:] for line in status.splitlines() if line.strip() and not line[3:].startswith("bench/")]
    except (OSError, subprocess.CalledProcessError) as exc:
        info["error"] = str(exc)
    return info


def result_path(out: Path, quick: bool, kind: str = "") -> Path:
    """``out/<date>-[<kind>-]<host>[-quick].json``, numbered -2, -3... rather than overwriting."""
    host = re.sub(r"[^A-Za-z0-9-]+", "-", socket.gethostname().split(".")[0]).strip("-") or "host"
    stem = f"{dt.date.today().isoformat()}-{kind + '-' if kind else ''}{host}" + ("-quick" if quick else "")
    path, k = out / f"{stem}.json", 2
    while path.exists():
        path, k = out / f"{stem}-{k}.json", k + 1
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[1000, 10000],
        metavar="N",
        help="corpus sizes for our book (default 1000 10000)",
    )
    parser.add_argument(
        "--yardstick",
        type=int,
        nargs="*",
        default=[100, 300],
        metavar="N",
        help="corpus sizes for the plain Jupyter Book yardstick (default 100 300; none: skip)",
    )
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results", help="results folder")
    parser.add_argument("--keep", action="store_true", help="keep the book folders under bench/work/")
    parser.add_argument("--quick", action="store_true", help="smoke test: --sizes 50 --yardstick 20")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    parser.add_argument(
        "--repeat-full",
        type=int,
        default=3,
        metavar="K",
        help=f"full builds from clean per size up to {REPEAT_FULL_MAX_N} articles; the median is reported (default 3)",
    )
    parser.add_argument("--timeout", type=float, default=None, help="seconds allowed per command (default: none)")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.yardstick = [50], [20]

    started = dt.datetime.now().astimezone()
    logs = WORK / f"logs-{started.strftime('%Y%m%d-%H%M%S')}"
    logs.mkdir(parents=True, exist_ok=True)
    bench = Bench(args, logs)
    print(
        f"bench: sizes {args.sizes}, yardstick {args.yardstick}; logs in {logs.relative_to(REPO)}; "
        f"RSS by {bench.run.rss_method}",
        flush=True,
    )
    report: dict[str, Any] = {
        "schema": 1,
        "started": started.isoformat(timespec="seconds"),
        "settings": {
            "sizes": args.sizes,
            "yardstick": args.yardstick,
            "seed": args.seed,
            "add_seed": ADD_SEED,
            "quick": args.quick,
            "python": PYTHON,
            "logs": str(logs.relative_to(REPO)),
        },
        "machine": machine_info(),
        "repo": repo_info(),
        "method": METHOD | {"rss_tool": bench.run.rss_method},
        "ours": [],
        "yardstick": [],
        "ratios": [],
        "ratio_definitions": RATIO_DEFINITIONS,
        "problems": bench.problems,
    }
    for n in args.sizes:
        report["ours"].append(bench.ours(n))
    for n in args.yardstick:
        report["yardstick"].append(bench.yardstick(n))
    if report["yardstick"]:
        largest = max(report["yardstick"], key=lambda r: r["n"])
        report["ratios"] = [ratios(r, largest) for r in report["ours"]]
    report["finished"] = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    report["load_after"] = loadavg()

    args.out.mkdir(parents=True, exist_ok=True)
    path = result_path(args.out, args.quick)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print()
    print(markdown(report))
    print(f"results: {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
    return 1 if bench.problems else 0


if __name__ == "__main__":
    sys.exit(main())
