"""Two revisions of the book side by side, in one run: full builds of one corpus, interleaved.

    .venv/bin/python bench/ab.py OLD_REV [NEW_REV] [--articles 1000] [--pairs 4] [--out bench/results]

NEW_REV defaults to the working tree (uncommitted changes included).  Each revision gets a
fresh book folder under ``bench/work/ab-*`` holding that revision's ``book/`` package and
book files, and both import the same corpus (``python -m book sample``, seed 0).  Then the
full build from clean (``_build`` removed, ``python -m book build``) runs in pairs, A then B
then B then A and so on, so that the host's drifting speed falls on both alike.  Times and
peak RSS come from ``/usr/bin/time``; the ratio is the median of the per-pair ratios B/A.
At the end the two sites are compared page by page (same files, same bytes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import filecmp
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "bench" / "work"
PYTHON = os.path.abspath(sys.executable)
BOOK_FILES = ("notebooks/intro.md", "notebooks/data.md", "data/tags.yml", "_config.yml")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"BOOK_ROOT", "CI", "PYTHONPATH"}}
    env["PATH"] = os.pathsep.join([str(Path(PYTHON).parent), env.get("PATH", "")])
    return env


def _revision_files(rev: str | None, dest: Path) -> str:
    """Write ``book/`` and the book files of ``rev`` (None: the working tree) into ``dest``."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    if rev is None:
        shutil.copytree(REPO / "book", dest / "book", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        for rel in BOOK_FILES:
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, dest / rel)
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
        return f"{head.stdout.strip()} + working tree"
    archive = subprocess.run(["git", "archive", rev, "book", *BOOK_FILES], cwd=REPO, capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")
    return subprocess.run(["git", "rev-parse", "--short", rev], cwd=REPO, capture_output=True, text=True).stdout.strip()


def _timed(argv: list[str], cwd: Path, log: Path) -> dict[str, float]:
    timing = log.with_suffix(".time")
    with open(log, "wb") as out:
        timed = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", str(timing), *argv]
        proc = subprocess.run(timed, cwd=cwd, stdout=out, stderr=out, env=_env())
    if proc.returncode != 0:
        raise SystemExit(f"ab: {' '.join(argv)} failed in {cwd} (log: {log})")
    wall, user, system, rss_kb = timing.read_text().split()[-4:]
    return {"s": float(wall), "user_s": float(user), "sys_s": float(system), "peak_rss_mb": int(rss_kb) / 1024}


def _site_differences(a: Path, b: Path) -> list[str]:
    files_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    differ = sorted(str(p) for p in files_a ^ files_b)
    differ += sorted(str(p) for p in files_a & files_b if not filecmp.cmp(a / p, b / p, shallow=False))
    return differ


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old")
    parser.add_argument("new", nargs="?", default=None, help="default: the working tree")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--pairs", type=int, default=4)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    args = parser.parse_args(argv)

    WORK.mkdir(parents=True, exist_ok=True)
    logs = WORK / f"ab-logs-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}"
    logs.mkdir()
    corpus = WORK / f"ab-corpus-{args.articles}"
    if not corpus.exists():
        sample = [PYTHON, "-m", "book", "sample", "--articles", str(args.articles), "--out", str(corpus)]
        _timed(sample, REPO, logs / "sample.log")
    books, names = {}, {}
    for side, rev in (("A", args.old), ("B", args.new)):
        books[side] = WORK / f"ab-{side}"
        names[side] = _revision_files(rev, books[side])
        _timed([PYTHON, "-m", "book", "import", "--quiet", str(corpus)], books[side], logs / f"import-{side}.log")
    runs: dict[str, list[dict[str, float]]] = {"A": [], "B": []}
    for pair in range(args.pairs):
        for side in "AB" if pair % 2 == 0 else "BA":
            shutil.rmtree(books[side] / "_build", ignore_errors=True)
            run = _timed([PYTHON, "-m", "book", "build"], books[side], logs / f"build-{pair}-{side}.log")
            runs[side].append(run)
            shown = f"{run['s']:.1f} s, {run['peak_rss_mb']:.0f} MB"
            print(f"ab: pair {pair + 1} {side} ({names[side]}): {shown}", flush=True)
    ratios = [b["s"] / a["s"] for a, b in zip(runs["A"], runs["B"], strict=True)]
    differ = _site_differences(books["A"] / "_build" / "html", books["B"] / "_build" / "html")
    result = {
        "started": logs.name.removeprefix("ab-logs-"),
        "machine": {"host": platform.node(), "cpus": os.cpu_count(), "python": platform.python_version()},
        "articles": args.articles,
        "A": {"revision": names["A"], "builds": runs["A"], "median_s": statistics.median(r["s"] for r in runs["A"])},
        "B": {"revision": names["B"], "builds": runs["B"], "median_s": statistics.median(r["s"] for r in runs["B"])},
        "ratio_B_over_A": {"median": statistics.median(ratios), "pairs": ratios},
        "site_files_that_differ": differ[:50],
        "site_files_that_differ_count": len(differ),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / f"{dt.date.today().isoformat()}-ab-{args.articles}-{platform.node()}.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    medians = ", ".join(f"{names[side]} median {result[side]['median_s']:.1f} s" for side in "AB")
    print(
        f"ab: {medians}, "
        f"B/A {result['ratio_B_over_A']['median']:.3f} (pairs {', '.join(f'{r:.3f}' for r in ratios)}); "
        f"{len(differ)} site files differ; {out.relative_to(REPO)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
