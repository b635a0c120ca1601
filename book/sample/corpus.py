"""The corpus: which articles exist (topics, titles, ids, dates), how they cite each other,
and each capture's text in the site's template."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .bodies import Plan, _body, _excerpt, _pick, _weighted
from .vocabulary import AUTHORS, CATEGORIES, Category, Vocab, to_traditional

SITE = "https://www.hefeilaws.com/hf/"
# Verbatim from the seed capture: the page must show it, so the corpus must have it exactly.
COPYRIGHT = (
    "版权声明:本文由浙江合飞律师事务所结合法律法规原创并发布,除法院案例栏目内容为公开转载,"
    "如无特殊声明均为原创,如需转载请附上来源链接。"
)
CHROME = "扫描二维码推送至手机访问。"
FIRST_ID = 60000
# The site's "N个月前 (MM-DD)" is relative to when the page was captured; a fixed
# capture day keeps the corpus independent of when it is generated.
CAPTURE_DAY = dt.date(2025, 5, 10)

# Shares chosen to look like a real crawl: mostly ordinary pages, a few odd ones.
TRADITIONAL_SHARE = 0.04
BODY_ONLY_SHARE = 0.04
OUTSIDE_RELATED_SHARE = 0.15


@dataclass(frozen=True)
class Sample:
    """One generated capture plus what the generator meant by it."""

    file_name: str
    text: str
    id: int
    title: str
    category: tuple[str, ...]
    topic: str
    traditional: bool  # the article's own text is traditional
    traditional_page: bool  # the whole page, chrome included, is traditional
    body_only: bool
    # (heading text, intended level, scheme): scheme is a name from
    # headings.SCHEMES, "question" or "closing".
    headings: tuple[tuple[str, int, str], ...]
    related: tuple[str, ...]  # related titles, in page order
    body_chars: int


class _Titles:
    """Each topic's possible titles in the order the site would use them.

    Related lists name articles by title, so titles must be unique, even once
    a traditional page converts them.  Drawing from a per-topic queue gives
    that without retries, and what a queue still holds after planning are
    titles of articles the corpus lacks: the dangling related links.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.queues: dict[str, list[str]] = {}  # next title last, for pop()
        self.used: set[str] = set()  # traditional forms

    def _queue(self, topic: str, cat: Category) -> list[str]:
        queue = self.queues.get(topic)
        if queue is None:
            rng = self.rng
            singles = [t.replace("{t}", topic) for t in cat.titles]
            # The site likes "A,B" titles that say the same thing twice for search engines.
            pairs = [a.rstrip("?？") + "," + b for a in singles for b in singles if a != b]
            rng.shuffle(singles)
            rng.shuffle(pairs)
            order: list[str] = []
            while singles or pairs:
                source = singles if singles and (not pairs or rng.random() < 0.7) else pairs
                order.append(source.pop())
            queue = self.queues[topic] = order[::-1]
        return queue

    def take(self, topic: str, cat: Category, traditional: bool) -> str:
        queue = self._queue(topic, cat)
        while queue:
            title = queue.pop()
            key = to_traditional(title)
            if key not in self.used:
                self.used.add(key)
                return key if traditional else title
        # A topic with more articles than titles (~900): number the rest.
        title = f"{_pick(self.rng, cat.titles).replace('{t}', topic)}({len(self.used)})"
        self.used.add(to_traditional(title))
        return to_traditional(title) if traditional else title

    def unused(self, rng: random.Random, topic: str, cat: Category) -> str:
        """A title of this topic that no generated article has: the next few the site would write."""
        queue = self._queue(topic, cat)
        while queue:
            title = queue[-1 - int(rng.random() * min(len(queue), 30))]
            if to_traditional(title) not in self.used:
                return title
            queue.remove(title)
        return topic + "相关问题解答"


def _plan(n: int, seed: int) -> tuple[list[Plan], _Titles]:
    rng = random.Random(seed)
    all_topics = [(t, c) for c in CATEGORIES for t in c.topics]
    # More articles, more topics: a small corpus still spreads over ~50 topics
    # so every category shows up; a large one uses them all.
    k = min(len(all_topics), max(min(n, 50), n // 25))
    finance = [x for x in all_topics if x[1] is CATEGORIES[0]]
    others = [x for x in all_topics if x[1] is not CATEGORIES[0]]
    rng.shuffle(finance)
    rng.shuffle(others)
    # The site is mostly about debt: about half of the topics are finance ones.
    chosen = finance[: min(len(finance), (k + 1) // 2)]
    chosen += others[: k - len(chosen)]
    rng.shuffle(chosen)
    # Zipf-like: a few topics get many articles, most get a handful.
    cum = list(itertools.accumulate(1.0 / (r + 1) ** 0.7 for r in range(len(chosen))))

    ids: list[int] = []
    next_id = FIRST_ID + rng.randrange(0, 8000)
    for _ in range(n):
        ids.append(next_id)
        next_id += rng.choice((1, 1, 1, 2, 2, 3, 4, 5, 7, 12))
    span = rng.randrange(300, 900)

    titles = _Titles(rng)
    plans: list[Plan] = []
    for i in range(n):
        topic, cat = chosen[bisect.bisect_left(cum, rng.random() * cum[-1])]
        traditional = rng.random() < TRADITIONAL_SHARE
        title = titles.take(topic, cat, traditional)
        crumbs = (cat.name, rng.choice(cat.subs)) if rng.random() < 0.25 else (cat.name,)
        days = round(span * (n - 1 - i) / max(n - 1, 1)) + rng.randrange(0, 2)
        plans.append(
            Plan(
                index=i,
                id=ids[i],
                seed=rng.getrandbits(64),
                category=cat,
                crumbs=crumbs,
                topic=topic,
                title=title,
                traditional=traditional,
                body_only=rng.random() < BODY_ONLY_SHARE,
                days_ago=days,
            )
        )
    return plans, titles


def _draw(rng: random.Random, pool: Sequence[int], need: int, taken: set[int]) -> list[int]:
    """Up to ``need`` members of ``pool`` not in ``taken`` (which is updated), without scanning a big pool."""
    if need <= 0:
        return []
    if len(pool) <= 4 * (need + len(taken)):
        free = [i for i in pool if i not in taken]
        got = rng.sample(free, min(need, len(free)))
    else:
        got = []
        while len(got) < need:
            i = pool[rng.randrange(len(pool))]
            if i not in taken and i not in got:
                got.append(i)
    taken.update(got)
    return got


def _age(days: int, hours: int) -> tuple[str, str]:
    day = CAPTURE_DAY - dt.timedelta(days=days)
    if days == 0:
        age = f"{hours}小时前" if hours else "刚刚"
    elif days < 7:
        age = f"{days}天前"
    elif days < 30:
        age = f"{days // 7}周前"
    elif days < 365:
        age = f"{days // 30}个月前"
    else:
        age = f"{days // 365}年前"
    return age, f"{day.month:02d}-{day.day:02d}"


class _Corpus:
    def __init__(self, n: int, seed: int) -> None:
        self.plans, self.titles = _plan(n, seed)
        self.vocab = Vocab()
        self.by_topic: dict[str, list[int]] = {}
        self.by_category: dict[str, list[int]] = {}
        for p in self.plans:
            self.by_topic.setdefault(p.topic, []).append(p.index)
            self.by_category.setdefault(p.category.name, []).append(p.index)
        self._excerpts: dict[int, str] = {}
        self._ghosts: dict[str, str] = {}

    def excerpt(self, index: int) -> str:
        text = self._excerpts.get(index)
        if text is None:
            text = self._excerpts[index] = _excerpt(self.plans[index], self.vocab)
        return text

    def related(self, rng: random.Random, plan: Plan) -> list[tuple[str, str]]:
        count = rng.randint(4, 8)
        outside = sum(rng.random() < OUTSIDE_RELATED_SHARE for _ in range(count))
        picks: list[int] = []
        taken = {plan.index}
        # The site relates by keyword, so same-topic articles come first.
        for pool in (self.by_topic[plan.topic], self.by_category[plan.category.name]):
            picks += _draw(rng, pool, count - outside - len(picks), taken)
        items = [(self.plans[i].title, self.excerpt(i)) for i in picks]
        while len(items) < count:
            items.append(self._outside(rng, plan))
        rng.shuffle(items)
        return items

    def _outside(self, rng: random.Random, plan: Plan) -> tuple[str, str]:
        # An article of the site that this corpus does not contain: the
        # relation must stay dangling until it is imported.  The same outside
        # title recurs on several pages, with the same excerpt each time.
        title = self.titles.unused(rng, plan.topic, plan.category)
        seed = rng.getrandbits(64)  # drawn even when cached: this page must not depend on earlier ones
        excerpt = self._ghosts.get(title)
        if excerpt is not None:
            return title, excerpt
        ghost = Plan(
            index=-1,
            id=0,
            seed=seed,
            category=plan.category,
            crumbs=plan.crumbs,
            topic=plan.topic,
            title=title,
            traditional=False,
            body_only=False,
            days_ago=0,
        )
        excerpt = self._ghosts[title] = _excerpt(ghost, self.vocab)
        return title, excerpt

    def sample(self, plan: Plan) -> Sample:
        rng = random.Random(plan.seed ^ 0x9E3779B97F4A7C15)
        body = _body(plan, self.vocab)
        body_text = "\n\n".join([t for t, _, _ in body])
        headings = [(t, lvl, s) for t, lvl, s in body if s]
        title = plan.title
        if plan.traditional:
            body_text = to_traditional(body_text)
            headings = [(to_traditional(t), lvl, s) for t, lvl, s in headings]
        traditional_page = plan.traditional and not plan.body_only and rng.random() < 0.5
        related: list[tuple[str, str]] = []
        if plan.body_only:
            text = title + "\n\n" + body_text
        else:
            leaf = plan.crumbs[-1]
            age, date = _age(plan.days_ago, rng.randrange(0, 24))
            views = min(99999, int(rng.lognormvariate(math.log(30), 1.4)))
            author = _weighted(rng, AUTHORS)
            related = self.related(rng, plan)
            parts = [
                "当前位置:首页 > " + " > ".join(plan.crumbs) + " > 正文内容",
                title,
                f"{author}{age} ({date}){leaf}{views}",
                body_text,
                CHROME,
                COPYRIGHT,
                f"本文链接:{SITE}{plan.id}.html",
                f"{title}的相关文章",
            ]
            for rel_title, rel_excerpt in related:
                parts += (rel_title, rel_excerpt)
            text = "\n\n".join(parts)
            if traditional_page:
                text = to_traditional(text)
                related = [(to_traditional(t), e) for t, e in related]
        # The seed ends without a newline; many saved files end with one.
        if rng.random() < 0.5:
            text += "\n"
        return Sample(
            file_name=f"{plan.id}.txt",
            text=text,
            id=plan.id,
            title=title,
            category=plan.crumbs,
            topic=plan.topic,
            traditional=plan.traditional,
            traditional_page=traditional_page,
            body_only=plan.body_only,
            headings=tuple(headings),
            related=tuple(t for t, _ in related),
            body_chars=len(body_text),
        )


def samples(n: int, seed: int = 0) -> Iterator[Sample]:
    """Generate ``n`` captures with what the generator intended, in id order, lazily."""
    if n <= 0:
        return
    corpus = _Corpus(n, seed)
    for plan in corpus.plans:
        yield corpus.sample(plan)


def generate(n: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """``(file_name, capture_text)`` for ``n`` synthetic articles; same ``(n, seed)``, same bytes."""
    for s in samples(n, seed):
        yield s.file_name, s.text


def write(n: int, out: Path, seed: int = 0, progress: bool = False) -> list[Path]:
    """Write ``n`` captures as UTF-8 ``<id>.txt`` files under ``out`` (created if missing)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    items: Iterator[tuple[str, str]] = generate(n, seed)
    if progress:
        from tqdm import tqdm

        items = tqdm(items, total=n, unit="article", desc="sample")
    paths: list[Path] = []
    for name, text in items:
        path = out / name
        # Bytes, not write_text: no platform newline translation.
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
    return paths
