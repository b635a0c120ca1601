"""A synthetic corpus of captures in the format of ARTICLE-FORMAT.md.

Benchmarks need thousands of articles and the project has one real capture, so
this module fakes the rest: same anatomy as the seed (breadcrumb, glued meta
line, 小编导语 … 小编总结, site chrome, copyright, source link, related list),
every heading scheme the format names (mixed within articles), traditional
captures, body-only captures, the template holes the site leaves
(``成立于年``), and related lists that mostly name other articles of the same
corpus by their exact title.

Output depends only on ``(n, seed)``: every random choice comes from
``random.Random`` instances seeded from the corpus seed, never from global
state, the clock or ``hash()`` of a string (which is salted per process).

``samples`` also hands back what the generator *meant* (the heading levels it
intended, the related titles it chose), so tests can check the readers against
it.  ``generate``/``write`` are the plain-text interface; ``main`` is the CLI
``python -m book sample --articles N --out DIR [--seed S]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .corpus import CHROME, COPYRIGHT, FIRST_ID, SITE, Sample, generate, samples, write
from .vocabulary import cn_number, to_traditional

__all__ = [
    "CHROME",
    "COPYRIGHT",
    "FIRST_ID",
    "SITE",
    "Sample",
    "cn_number",
    "generate",
    "main",
    "samples",
    "to_traditional",
    "write",
]


def _positive(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def main(argv: list[str] | None = None) -> int:
    """``python -m book sample --articles N --out DIR [--seed S] [--progress]``."""
    parser = argparse.ArgumentParser(
        prog="python -m book sample",
        description="Write a synthetic corpus of text captures (for benchmarks and tests).",
    )
    parser.add_argument("--articles", type=_positive, required=True, metavar="N", help="how many articles")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="where to write <id>.txt")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="corpus seed (default 0)")
    parser.add_argument("--progress", action="store_true", help="show a progress bar")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        paths = write(args.articles, args.out, seed=args.seed, progress=args.progress)
    except OSError as exc:
        print(f"sample: cannot write to {args.out}: {exc}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - start
    size = sum(p.stat().st_size for p in paths)
    rate = len(paths) / elapsed if elapsed else float("inf")
    print(
        f"wrote {len(paths)} articles ({size / 1e6:.1f} MB) to {args.out} "
        f"in {elapsed:.2f}s ({rate:,.0f} articles/s, seed {args.seed})"
    )
    return 0
