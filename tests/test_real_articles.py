"""Real articles from many sites (issue 15): every heading shape, real titles, nothing lost.

The fixtures in tests/fixtures/real/ are written for these tests, in the shapes seen on real
pages (law-firm Q&A pages, lending-advice blogs, Taiwan and Hong Kong pages, the seed's site);
each ``.html`` is the saved-page twin of its ``.txt`` (``make_html.py`` writes them).  Their
outlines are golden files in tests/golden/outlines/ (regenerate with ``--update-golden`` and
review the diff).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docutils import nodes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from book import fidelity, notebook, readers
from book.model import Article, Block
from book.notebook import writer
from book.readers import headings
from book.readers import html as html_reader
from book.readers import text as text_reader
from book.readers.notes import ReadNotes

from .conftest import FIXTURES, copy_book, run_book
from .test_properties import normalise, render

REAL = FIXTURES / "real"
OUTLINES = Path(__file__).resolve().parent / "golden" / "outlines"
CAPTURES = sorted(REAL.glob("*.txt"))
# Captures without a title line: their page's <title> names them; the text capture cannot.
NO_TITLE_LINE = {"no-title", "intro-question"}


def read(path: Path) -> tuple[Article, ReadNotes]:
    notes = ReadNotes()
    return readers.read(path, notes), notes


def outline(article: Article, notes: ReadNotes) -> str:
    """What the golden outline records: title and its origin, headings with levels, items, near misses."""
    out = [f"title: {article.title}", f"title from: {notes.title_from}"]
    for b in article.blocks:
        if b.kind == "heading":
            out.append(f"{'  ' * (b.level - 1)}H{b.level} {b.text}")
        elif b.kind == "item":
            out.append(f"  item (line {b.line}): {b.text[:24]}")
    out += [f"near miss (line {n}): {t} ({why})" for n, t, why in notes.near_misses]
    return "\n".join(out) + "\n"


def headings_of(article: Article) -> list[tuple[int, str]]:
    return [(b.level, b.text) for b in article.sections]


# ---------------------------------------------------------------- every shape, as text and as HTML


@pytest.mark.parametrize("capture", CAPTURES, ids=lambda p: p.stem)
def test_outline_is_the_golden_one(capture: Path, update_golden: bool) -> None:
    actual = outline(*read(capture))
    expected = OUTLINES / (capture.stem + ".txt")
    if update_golden:
        OUTLINES.mkdir(exist_ok=True)
        expected.write_text(actual, encoding="utf-8")
        return
    assert expected.exists(), f"{expected} is missing: run pytest --update-golden and review it"
    assert actual == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("capture", CAPTURES, ids=lambda p: p.stem)
def test_html_twin_reads_to_the_same_article(capture: Path) -> None:
    txt, _ = read(capture)
    page, notes = read(capture.with_suffix(".html"))
    # The site's greeting is in the page's header, outside the article; the text capture has it as text.
    greeting = {"欢迎光临示例律师网", "联系我们"}
    assert [(b.kind, b.text, b.level, b.part) for b in page.blocks] == [
        (b.kind, b.text, b.level, b.part) for b in txt.blocks if b.text not in greeting
    ]
    if capture.stem in NO_TITLE_LINE:
        assert notes.title_from == "<title>" and "示例法律网" not in page.title
    else:
        assert (page.title, page.id, page.category) == (txt.title, txt.id, txt.category)


def test_every_line_reaches_the_article_in_order() -> None:
    for capture in CAPTURES:
        lines = [t.strip() for t in capture.read_text(encoding="utf-8").split("\n") if t.strip()]
        article, notes = read(capture)
        assert not notes.lines_dropped
        # Pieces split from one line join back into it.
        joined: dict[int, str] = {}
        for b in article.blocks:
            joined[b.line] = joined.get(b.line, "") + b.text
        body = [joined[n] for n in sorted(joined)]
        rest = list(lines)
        for text in body:  # the body is the source's lines, in order, exactly as written
            assert text in rest, (capture.name, text)
            skipped, rest = rest[: rest.index(text)], rest[rest.index(text) + 1 :]
            _only_template(article, skipped)
        _only_template(article, rest)


def _only_template(article: Article, lines: list[str]) -> None:
    """Lines not in the body are the template's: breadcrumb, title, markers, copyright, source link."""
    allowed = {article.title, article.copyright, "小编导语", "小编总结", f"本文链接:{article.source_url}"}
    assert all(t in allowed or t.startswith(("当前位置", "當前位置")) for t in lines), lines


def test_steps_parts_and_a_bare_step_in_its_sequence() -> None:
    article, _ = read(REAL / "steps-parts.txt")
    assert headings_of(article)[:6] == [
        (1, "第一部分 先稳住局面"),
        (2, "第一步及时协商"),
        (2, "第二步了解后果"),
        (2, "第三步筹钱还款"),
        (2, "第四步"),
        (2, "第五步保持良好信用"),
    ]
    assert (2, "第一阶段 控制借款") in headings_of(article)


def test_a_bare_step_out_of_its_sequence_is_text() -> None:
    assert headings.assign_levels(["第一步 准备", "内容。", "第七步", "内容。"]) == [1, 0, 0, 0]


def test_chapters_sit_inside_parts() -> None:
    article, _ = read(REAL / "chapters.txt")
    assert [lvl for lvl, _ in headings_of(article)] == [1, 1, 2, 2, 1]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cn-past-one", [(1, "二、先弄清欠款情况"), (1, "三、尽快联系平台客服"), (1, "四、按新的约定还款")]),
        ("traditional-numerals", [(1, "壹、準備資料"), (1, "貳、提出申請"), (1, "參、簽訂協議")]),
        ("stripped-numerals", [(1, "一保留通話錄音"), (1, "二向平台投訴"), (1, "三舉報與投訴渠道")]),
        ("brackets", [(1, "【问题简介】"), (1, "【详细回答】"), (1, "【律师建议】")]),
        ("qa-traditional", [(1, "問題摘要:"), (1, "律師回答:")]),
        ("bare-headings", [(1, "借条和合同"), (1, "转账记录"), (1, "聊天记录"), (1, "证人证言")]),
        ("markdown", [(1, "## 最低还款"), (1, "## 账单分期"), (2, "**手续费怎么算**"), (2, "**能否提前还清**")]),
        ("one-line-body", [(1, "一、被拒的原因"), (1, "二、等待的时间"), (1, "三、再次申请前的准备")]),
        ("toc", [(1, "一、什么是个人破产"), (1, "二、谁可以申请"), (1, "三、申请之后的生活")]),
        ("title-repeated", [(1, "一、诉讼中也可以调解"), (1, "二、判决后仍可和解")]),
        # 首先/其次/最后 lead sentences, bullets and ① items are text, not headings.
        ("lead-sentences", []),
        # 第一, points; a flattened table, HTML debris and a 相關新聞 line stay text.
        ("points-and-debris", [(1, "第一,書面憑證"), (1, "第二,證人證言"), (1, "第三,電子數據")]),
        (
            "bare-two-levels",
            [
                (1, "常见的误区"),
                (2, "误区一:利息差不多"),
                (2, "误区二:只是临时周转"),
                (1, "正确的做法"),
                (2, "停止新增借款"),
                (2, "和平台协商分期"),
            ],
        ),  # fmt: skip
        # The site's greeting before the title is text; the title is the line after it.
        ("boilerplate", [(1, "一、用转账记录证明"), (1, "二、用聊天记录证明")]),
        ("questions", [(1, "晚还几天会上征信吗?"), (1, "银行会打电话催收吗?"), (1, "能和银行商量分期吗?")]),
        (
            "paren-cn",
            [
                (1, "一、协商之前"),
                (2, "（一）算清欠款"),
                (2, "（二）备齐材料"),
                (1, "二、协商之中"),
                (2, "（一）讲明困难"),
                (2, "（二）给出方案"),
            ],
        ),  # fmt: skip
    ],
)
def test_headings_of_each_shape(name: str, expected: list[tuple[int, str]]) -> None:
    article, _ = read(REAL / f"{name}.txt")
    assert headings_of(article) == expected


def test_quoted_numerals_parenthesised_points_and_colon_numerals() -> None:
    article, _ = read(REAL / "paren-colon-quoted.txt")
    assert headings_of(article)[:4] == [
        (1, '"壹"、確認債務總額'),
        (2, "(1)銀行貸款"),
        (2, "(2)民間借款"),
        (1, '"貳"、評估還款能力'),
    ]
    assert (1, "一:協商的順序") in headings_of(article)


def test_emoji_sub_headings_nest_under_their_section() -> None:
    article, _ = read(REAL / "emoji.txt")
    assert [lvl for lvl, _ in headings_of(article)] == [1, 2, 2, 1, 2, 2]


def test_a_lone_word_with_a_numeral_is_text_and_reported() -> None:
    article, notes = read(REAL / "stripped-numerals.txt")
    assert "一般來說" not in [t for _, t in headings_of(article)]
    assert [t for _, t, _ in notes.near_misses] == ["一般來說"]


def test_contents_list_stays_a_list() -> None:
    article, _ = read(REAL / "toc.txt")
    paragraphs = [b.text for b in article.blocks if b.kind == "paragraph"]
    assert paragraphs[:4] == ["目录", "一、什么是个人破产", "二、谁可以申请", "三、申请之后的生活"]


def test_a_title_repeated_in_the_text_stays_text() -> None:
    article, _ = read(REAL / "title-repeated.txt")
    assert article.blocks[0] == Block("paragraph", article.title, part="intro", line=5)


def test_glued_items_under_sections_are_items_with_their_lead() -> None:
    article, _ = read(REAL / "num-items.txt")
    items = [b.text for b in article.blocks if b.kind == "item"]
    assert [i.split(":")[0] for i in items] == ["1. 收入证明", "2. 困难证明", "3、身份材料"]
    assert (2, "1、语气平和") in headings_of(article)


def test_glued_lines_of_the_section_scheme_are_split_into_heading_and_body() -> None:
    article, _ = read(REAL / "glued-sections.txt")
    assert headings_of(article) == [(1, "1. 盘点债务:"), (1, "2. 主动沟通:"), (1, "3. 先还高息:")]
    first = [b for b in article.blocks if b.line == article.sections[0].line]
    assert "".join(b.text for b in first).startswith("1. 盘点债务:把每个平台")


def test_qa_labels_are_headings_and_answers_items() -> None:
    article, _ = read(REAL / "qa-labels.txt")
    assert headings_of(article) == [(1, "问题1:协商还款需要准备什么?"), (1, "问题2:协商的大致流程是什么?")]
    items = [b.text for b in article.blocks if b.kind == "item"]
    assert len(items) == 5 and items[0].startswith("回答:") and items[2].startswith("1. 初步联系:")


def test_items_in_the_intro_are_plain_paragraphs() -> None:
    assert writer._paragraph(Block("item", "回答:正文。", part="intro")) == "回答:正文。"
    assert writer._paragraph(Block("item", "回答:正文。", part="body")) == "**回答**\\:正文。"


def test_glued_line_out_of_sequence_is_an_item() -> None:
    body = "正文" * 30 + "。"
    kinds = [p.kind for p in headings.classify([f"1. 甲:{body}", f"2. 乙:{body}", f"4. 丁:{body}"]).pieces]
    assert kinds == ["heading", "paragraph", "heading", "paragraph", "item"]
    # A glued 一、 that the article's own 一、 starts again after is not its first section.
    assert [p.kind for p in headings.classify([f"一、甲:{body}", "一、概述", "正文。"]).pieces][0] == "item"


# ---------------------------------------------------------------------------------- titles


def test_title_from_the_question_the_intro_ends_with() -> None:
    article, notes = read(REAL / "intro-question.txt")
    assert article.title == "那么网贷逾期真的会有人上门吗?" and not notes.title_missing
    assert article.intro_marker == "小编导语"
    assert [b.text for b in article.blocks if b.part == "intro"][0].endswith(article.title)  # still text


def test_title_derived_and_flagged_when_the_capture_has_none() -> None:
    article, notes = read(REAL / "no-title.txt")
    assert notes.title_missing and len(article.title) <= 21
    assert article.blocks[0].text.startswith("逾期以后平台一般会先发短信提醒")  # the paragraph stays text


def test_a_site_greeting_is_text_and_not_the_title() -> None:
    article, _ = read(REAL / "boilerplate.txt")
    assert article.title == "借条丢了还能要回欠款吗"
    assert [b.text for b in article.blocks[:2]] == ["欢迎光临示例律师网", "联系我们"]


def test_a_paragraph_is_never_the_title() -> None:
    body = "这是一段很长的正文," * 10 + "结尾。"
    article = text_reader.reads(f"{body}\n\n一、第一节\n\n内容。\n")
    assert article.title != body and article.blocks[0].text == body


@pytest.mark.parametrize(
    ("page_title", "title"),
    [
        ("逾期后怎么协商 - 示例网", "逾期后怎么协商"),
        ("逾期后怎么协商_示例律师事务所", "逾期后怎么协商"),
        ("逾期后怎么协商——示例网", "逾期后怎么协商"),
        ("逾期后怎么协商|示例网", "逾期后怎么协商"),
        ("P2P-网贷逾期 - 示例网", "P2P-网贷逾期"),
        ("逾期后怎么协商", "逾期后怎么协商"),
    ],
)
def test_a_site_name_after_the_page_title_is_left_out(page_title: str, title: str) -> None:
    page = f"<html><head><title>{page_title}</title></head><body><p>开头的一段正文,讲了很多内容。</p></body></html>"
    assert html_reader.reads(page, "p.html").title == title


def test_html_title_falls_back_to_title_tag_without_the_site_name() -> None:
    page = (
        "<html><head><title>逾期后怎么协商 - 示例网</title></head>"
        "<body><p>开头的一段正文,讲了很多内容。</p></body></html>"
    )
    notes = ReadNotes()
    article = html_reader.reads(page, "p.html", notes)
    assert article.title == "逾期后怎么协商" and notes.title_from == "<title>"


# ------------------------------------------------------------------- the writer and list items


@pytest.mark.parametrize(
    "line",
    ["1. 收入证明:单位开具的证明。", "【问题】正文在这里。", "(1)银行贷款:利率较低。", "回答: 可以起诉,但要准备证据。"],
)
def test_item_renders_its_lead_in_bold_and_every_character(line: str) -> None:
    doc = render(writer._paragraph(Block("item", line, part="body")) + "\n")
    (para,) = doc.findall(nodes.paragraph)
    assert para.astext() == normalise(line)
    (strong,) = doc.findall(nodes.strong)
    assert strong.astext() and strong.astext() in line


_MARKUPISH = st.sampled_from(["*", "**", "_", "`", "#", "[a](b)", "<b>", "{x}", "$", "\\", "1. ", "- ", "【", "】",
                              "：", ":", " ", "。", "，", "字", "词", "a", "9"])  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_MARKUPISH, min_size=1, max_size=12).map("".join), st.lists(_MARKUPISH, max_size=20).map("".join))
def test_any_item_renders_as_one_paragraph_of_its_own_text(lead: str, rest: str) -> None:
    line = (lead + ":" + rest).strip()
    doc = render(writer._paragraph(Block("item", line, part="body")) + "\n")
    paragraphs = list(doc.findall(nodes.paragraph))
    assert len(paragraphs) == 1 and paragraphs[0].astext() == normalise(line)


# ------------------------------------------------------------- no line lost under any mix of shapes


def _shape(kind: str, n: int, words: str) -> str:
    w = words or "内容"
    return {
        "cn": f"{'一二三四五六七八九'[n % 9]}、{w}",
        "cn-colon": f"{'一二三四五六七八九'[n % 9]}:{w}",
        "trad": f"{'壹貳參肆伍陸柒捌玖'[n % 9]}、{w}",
        "quoted": f'"{"壹貳參肆伍陸柒捌玖"[n % 9]}"、{w}',
        "stripped": f"{'一二三四五六七八九'[n % 9]}{w}",
        "num": f"{n % 9 + 1}. {w}",
        "num-dun": f"{n % 9 + 1}、{w}",
        "dec": f"{n % 9 + 1}.{n % 3 + 1} {w}",
        "dec3": f"{n % 9 + 1}.1.{n % 3 + 1} {w}",
        "paren": f"({n % 9 + 1}){w}",
        "step": f"第{'一二三四五六七八九'[n % 9]}步{w}",
        "bare-step": f"第{'一二三四五六七八九'[n % 9]}步",
        "part": f"第{'一二三四五六七八九'[n % 9]}部分 {w}",
        "chapter": f"第{'一二三四五六七八九'[n % 9]}篇章 {w}",
        "stage": f"第{'一二三四五六七八九'[n % 9]}阶段 {w}",
        "bracket": f"【{w}】",
        "bracket-glued": f"【{w}】{w}的说明写在这里,而且写得很长很长。",
        "qa": f"问题{n % 9 + 1}:{w}?",
        "answer": f"回答:{w}的说明写在这里。",
        "label": "律師回答:",
        "md": f"## {w}",
        "bold": f"**{w}**",
        "emoji": f"✅ {w}",
        "question": f"{w}吗?",
        "bare": w[:12],
        "glued": f"{n % 9 + 1}. {w[:10]}:{w}的具体说明写在这里,内容比较长。",
        "one-line": f"一、{w} {w}说明。二、{w} 更多{w}。三、{w[:5]} 结尾的一句话写在这里,把这一行拉得足够长足够长。",
        "toc": "目录",
        "closing": "总结",
        "bullet": f"- {w}",
        "para": f"{w}的正文段落。",
        "long": f"{w}" * 8 + "没有句号的长行",
    }[kind]


_KINDS = ["cn", "cn-colon", "trad", "quoted", "stripped", "num", "num-dun", "dec", "dec3", "paren", "step",
          "bare-step", "part", "chapter", "stage", "bracket", "bracket-glued", "qa", "answer", "label", "md",
          "bold", "emoji", "question", "bare", "glued", "one-line", "toc", "closing", "bullet", "para",
          "long"]  # fmt: skip
_WORDS = st.text(st.sampled_from("借款还钱协商逾期征信平台银行律师證據債務 ,:。?ab1"), max_size=16).map(str.strip)
_LINES = st.lists(st.tuples(st.sampled_from(_KINDS), st.integers(0, 8), _WORDS), min_size=1, max_size=25)


def _body_lines(drawn) -> list[str]:
    lines = []
    for kind, n, words in drawn:
        line = _shape(kind, n, words).strip()
        # Footer and marker lines are the template's, not body text (ARTICLE-FORMAT.md).
        if line and line not in ("小编导语", "小编总结"):
            lines.append(line)
    return lines or ["正文。"]


def _pieces_per_line(article: Article) -> list[str]:
    joined: dict[int, str] = {}
    for b in article.blocks:
        joined[b.line] = joined.get(b.line, "") + b.text
    return [joined[n] for n in sorted(joined)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_LINES)
def test_no_line_is_lost_under_any_mix_of_shapes(drawn) -> None:
    lines = _body_lines(drawn)
    capture = "当前位置:首页 > 网贷 > 正文内容\n\n一个标题\n\n" + "\n\n".join(lines) + "\n"
    article = text_reader.reads(capture, "mix.txt")
    assert article.title == "一个标题"
    assert _pieces_per_line(article) == lines  # every line, in order, exactly as written
    levels = [b.level for b in article.sections]
    assert all(b - a <= 1 for a, b in zip([0, *levels], levels, strict=False))  # no level skipped


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_LINES)
def test_no_line_is_lost_in_a_saved_page_under_any_mix_of_shapes(drawn) -> None:
    import html

    lines = [re.sub(r"\s+", " ", line) for line in _body_lines(drawn)]
    page = (
        "<html><head><title>一个标题_网站</title></head><body><div class='nav'>首页 联系我们</div>"
        "<div class='article'><h1>一个标题</h1>"
        + "\n".join(f"<p>{html.escape(t)}</p>" for t in lines)
        + "</div></body></html>"
    )
    article = html_reader.reads(page, "mix.html")
    assert article.title == "一个标题"
    assert _pieces_per_line(article) == lines
    assert [(b.kind, b.text, b.level) for b in article.blocks] == [
        (b.kind, b.text, b.level) for b in text_reader.reads("一个标题\n\n" + "\n\n".join(lines)).blocks
    ]


# ----------------------------------------------------------- identity, and the fidelity report


def _capture(title: str, body: list[str]) -> str:
    return "\n\n".join([title, *body]) + "\n"


def test_same_titled_articles_both_survive_and_twins_are_one(tmp_path: Path) -> None:
    root = copy_book(tmp_path / "book")
    caps = tmp_path / "caps"
    caps.mkdir()
    (caps / "a.txt").write_text(
        _capture("网贷逾期怎么办", ["先联系平台说明情况。", "一、协商", "提出分期方案。"]), "utf-8"
    )
    (caps / "b.txt").write_text(
        _capture("网贷逾期怎么办", ["另一家网站写的完全不同的文章。", "一、起诉", "法院会判决。"]), "utf-8"
    )
    (caps / "a.html").write_text(
        "<html><body><h1>网贷逾期怎么办</h1><p>先联系平台说明情况。</p><p>一、协商</p><p>提出分期方案。</p></body></html>",
        "utf-8",
    )
    proc = run_book(root, "import", "--quiet", str(caps))
    assert "2 imported" in proc.stdout and "1 duplicate" in proc.stdout and "1 with the title of another" in proc.stdout
    found = sorted(
        p
        for p in (root / "notebooks").rglob("*.md")
        if "_index" not in p.parts and "网贷逾期怎么办" in p.read_text("utf-8")
    )
    assert len(found) == 2
    texts = "\n".join(p.read_text("utf-8") for p in found)
    assert "提出分期方案。" in texts and "法院会判决。" in texts
    # Again: nothing changes, nothing is replaced.
    again = run_book(root, "import", "--quiet", str(caps / "b.txt"))
    assert "0 imported, 0 updated, 1 unchanged" in again.stdout
    # A re-capture of the first with one paragraph fixed is the same article; with no source URL
    # only the title ties it to the notebook, so the update waits for --force (book.guard), and
    # the summary says so either way.
    (caps / "a.txt").write_text(
        _capture("网贷逾期怎么办", ["先联系平台说明情况。", "一、协商", "提出分期还款方案。"]), "utf-8"
    )
    fixed = run_book(root, "import", "--quiet", str(caps / "a.txt"), check=False)
    assert fixed.returncode == 1 and "1 refused" in fixed.stdout and "already holds an article titled" in fixed.stderr
    forced = run_book(root, "import", "--quiet", "--force", str(caps / "a.txt"))
    assert "1 updated" in forced.stdout


def test_import_report_prints_titles_outlines_lines_and_warnings(tmp_path: Path) -> None:
    root = copy_book(tmp_path / "book")
    proc = run_book(
        root, "import", "--quiet", "--report", str(REAL / "stripped-numerals.txt"), str(REAL / "no-title.txt")
    )
    out = proc.stdout
    assert "遇到暴力催收怎麼辦" in out and "  H1 一保留通話錄音" in out
    assert "lines: 10 kept of 10 read" in out
    assert "'一般來說' looked like a heading but was kept as text" in out
    assert "the capture has no title" in out
    assert re.search(r"^fidelity: 2 articles, 5 headings, \d+ of \d+ lines kept; 2 articles with warnings", out, re.M)


def test_report_warnings() -> None:
    long_title = "很长的标题" * 9
    article = text_reader.reads(f"{long_title}\n\n正文。\n")
    kinds = [k for k, _ in fidelity.describe("x.txt", article, ReadNotes()).warnings]
    assert kinds == ["long title", "no heading"]
    jumbled = text_reader.reads("标题\n\n一、甲\n\n正文。\n\n三、丙\n\n正文。\n\n二、乙\n\n正文。\n")
    assert [t for _, t in fidelity.out_of_sequence(jumbled)] == ["三、丙", "二、乙"]
    decimals, _ = read(REAL / "decimals.txt")
    assert fidelity.out_of_sequence(decimals) == []
    entries = [fidelity.describe("a", jumbled, ReadNotes()), fidelity.describe("b", jumbled, ReadNotes())]
    entries[1].article_id = "other"
    fidelity.mark_duplicate_titles(entries)
    assert all(("duplicate title" in [k for k, _ in e.warnings]) for e in entries)
    assert fidelity.format_report(entries).splitlines()[-1].startswith("fidelity: 2 articles, 6 headings")


# ----------------------------------------------- the record of each capture, and check --fidelity


def _notebooks(root: Path) -> list[Path]:
    return sorted(
        p for p in (root / "notebooks").rglob("*.md") if "_index" not in p.parts and p.parent.name != "notebooks"
    )


def _notebook_of(root: Path, text: str) -> Path:
    (found,) = [p for p in _notebooks(root) if text in p.read_text("utf-8")]
    return found


def test_a_notebook_records_its_capture_and_a_derived_title_stays_flagged(tmp_path: Path) -> None:
    root = copy_book(tmp_path / "book")
    run_book(root, "import", "--quiet", str(REAL / "stripped-numerals.txt"), str(REAL / "no-title.txt"))
    page = notebook.read_page(_notebook_of(root, "一保留通話錄音"))
    capture = page.article["capture"]
    assert capture["file"] == "stripped-numerals.txt" and capture["lines_read"] == 10 == capture["lines_kept"]
    assert capture["sha256"] == __import__("hashlib").sha256((REAL / "stripped-numerals.txt").read_bytes()).hexdigest()
    assert capture["kept_as_text"][0]["text"] == "一般來說" and "title_missing" not in page.article
    derived = _notebook_of(root, "短信提醒阶段")
    assert notebook.read_page(derived).article["title_missing"] is True
    # `check` reports it until someone writes the real title and removes the flag.
    proc = run_book(root, "check", check=False)
    rel = derived.relative_to(root).as_posix()
    assert proc.returncode == 1 and re.search(rf"^{re.escape(rel)}:\d+: the title .* was derived", proc.stderr, re.M)
    title = notebook.read_page(derived).article["title"]
    text = derived.read_text("utf-8").replace(title, "逾期以后的催收阶段").replace("  title_missing: true\n", "")
    derived.write_text(text, "utf-8")
    assert "check: ok" in run_book(root, "check").stdout
    # A re-import of the same capture keeps the contributor's edit, and so the real title.
    again = run_book(root, "import", "--quiet", str(REAL / "no-title.txt"))
    assert "1 kept" in again.stdout and derived.read_text("utf-8") == text


def test_check_fidelity_reports_the_notebooks_in_the_book(tmp_path: Path) -> None:
    root = copy_book(tmp_path / "book")
    run_book(root, "import", "--quiet", str(REAL / "stripped-numerals.txt"), str(REAL / "no-title.txt"))
    proc = run_book(root, "check", "--fidelity", check=False)
    out = proc.stdout
    stripped = _notebook_of(root, "一保留通話錄音").relative_to(root).as_posix()
    assert f"{stripped}: 遇到暴力催收怎麼辦  [id " in out and "read from stripped-numerals.txt]" in out
    assert "  H1 一保留通話錄音" in out and "lines: 10 kept of 10 read" in out
    assert "line 17: '一般來說' looked like a heading but was kept as text" in out
    assert "the capture has no title" in out
    # The seed's committed notebook is there too, with the 1 chrome line its capture had.
    assert "notebooks/jinrong-zhaiwu/67202.md: 国美金融催收部在哪" in out and "lines: 64 kept of 65 read" in out
    assert "    H2 1.1 国美金融的背景" in out
    assert re.search(
        r"^fidelity: 3 articles, 27 headings, \d+ of \d+ lines kept; 2 articles with warnings "
        r"\(1 kept as text, 1 missing title\)$",
        out,
        re.M,
    )
    # The outline is the notebook's: a contributor who makes the line a heading sees the warning go.
    path = root / stripped
    path.write_text(path.read_text("utf-8").replace("\n一般來說\n", "\n## 一般來說\n"), "utf-8")
    fixed = run_book(root, "check", "--fidelity", check=False).stdout
    assert "  H1 一般來說" in fixed and "looked like a heading" not in fixed


def test_check_fidelity_says_when_a_notebook_has_no_capture_record(tmp_path: Path) -> None:
    root = copy_book(tmp_path / "book")
    run_book(root, "new", "手写的文章", "--category", "金融债务")
    out = run_book(root, "check", "--fidelity").stdout
    assert "手写的文章  [id " in out and "title from unknown (no capture record)" in out
    assert "lines: not recorded" in out and "(1 articles without a capture record)" in out


def test_a_title_another_article_has_warns_across_imports(tmp_path: Path) -> None:
    root = copy_book(tmp_path / "book")
    caps = tmp_path / "caps"
    caps.mkdir()
    link = "\n\n本文链接:https://example.org/a/{}.html\n"
    (caps / "one.txt").write_text(
        _capture("网贷逾期怎么办", ["一、协商", "先联系平台。"]) + link.format(91001), "utf-8"
    )
    (caps / "two.txt").write_text(
        _capture("网贷逾期怎么办", ["一、起诉", "法院会判决。"]) + link.format(91002), "utf-8"
    )
    first = run_book(root, "import", "--quiet", "--report", str(caps / "one.txt"))
    assert "duplicate title" not in first.stdout and "with a title another article has" not in first.stdout
    second = run_book(root, "import", "--quiet", "--report", str(caps / "two.txt"))
    one = _notebook_of(root, "先联系平台").relative_to(root).as_posix()
    assert f"warning: the title is also the title of {one}" in second.stdout
    assert "(1 duplicate title)" in second.stdout
    assert "1 imported" in second.stdout and "1 with a title another article has" in second.stdout
    assert f"has the title of another article, {one}" in second.stdout
    # Re-importing the first article itself is no duplicate of anything.
    again = run_book(root, "import", "--quiet", "--report", str(caps / "one.txt"))
    assert "warning: the title is also the title of" in again.stdout  # two has it: the warning is true
    assert "1 unchanged" in again.stdout
    # check --fidelity sees both, whatever import they came in.
    book_report = run_book(root, "check", "--fidelity", check=False).stdout
    assert book_report.count("2 articles of this report have this title") == 2


# --------------------------------------------------- one page as .txt and as .html, under two titles


_BODY = ["借款到期还不上的时候,先别急着躲,主动联系才是出路。", "一、先算清楚", "把每一笔欠款的金额和利率列出来。",
         "二、再去协商", "打电话给平台,说明情况,提出分期的请求。"]  # fmt: skip


def _page(title_tag: str, lines: list[str], h1: str = "") -> str:
    import html

    body = "".join(f"<p>{html.escape(t)}</p>" for t in lines)
    head = f"<h1>{html.escape(h1)}</h1>" if h1 else ""
    return f"<html><head><title>{html.escape(title_tag)}</title></head><body><div>{head}{body}</div></body></html>"


@pytest.mark.parametrize("together", [True, False], ids=["one import", "two imports"])
@pytest.mark.parametrize(
    ("txt", "page", "title"),
    [
        # The capture's title line; the page's <title> with the site's name after two dashes.
        (
            _capture("借款到期还不上怎么办", _BODY),
            _page("借款到期还不上怎么办——示例律师网", _BODY),
            "借款到期还不上怎么办",
        ),
        # The site's name the reader cannot tell from the title: the bodies say it is one article.
        (
            _capture("借款到期还不上怎么办", _BODY),
            _page("借款到期还不上怎么办 示例律师网", _BODY),
            "借款到期还不上怎么办",
        ),
        # A capture with no title line (a title derived from its first words) and its page's <title>.
        ("\n\n".join(_BODY) + "\n", _page("借款到期还不上怎么办_示例律所", _BODY), "借款到期还不上怎么办"),
        # The page's <h1> is preferred to its <title>.
        ("\n\n".join(_BODY) + "\n", _page("示例律师网", _BODY, h1="借款到期还不上怎么办"), "借款到期还不上怎么办"),
    ],
    ids=["dashes", "unknown-suffix", "derived-vs-title", "h1"],
)
def test_a_page_as_txt_and_as_html_is_one_article_under_its_best_title(
    tmp_path: Path, txt: str, page: str, title: str, together: bool
) -> None:
    root = copy_book(tmp_path / "book")
    caps = tmp_path / "caps"
    caps.mkdir()
    (caps / "a.txt").write_text(txt, "utf-8")
    (caps / "a.html").write_text(page, "utf-8")
    if together:
        proc = run_book(root, "import", "--quiet", str(caps))
        assert "1 imported" in proc.stdout
    else:
        # Whichever comes first, the second joins its notebook and the summary says so.
        for name in ("a.txt", "a.html"):
            proc = run_book(root, "import", "--quiet", str(caps / name))
    assert (
        "1 duplicate" in proc.stdout
        or "1 the same article as another under another title" in proc.stdout
        or "1 unchanged" in proc.stdout
    )
    found = [p for p in _notebooks(root) if "把每一笔欠款" in p.read_text("utf-8")]
    assert len(found) == 1
    page_meta = notebook.read_page(found[0]).article
    assert page_meta["title"] == title and "title_missing" not in page_meta
    # Importing both again changes nothing and refuses nothing.
    again = run_book(root, "import", "--quiet", str(caps))
    assert "0 imported, 0 updated" in again.stdout and "0 refused" in again.stdout


def test_different_articles_under_different_titles_stay_two(tmp_path: Path) -> None:
    root = copy_book(tmp_path / "book")
    caps = tmp_path / "caps"
    caps.mkdir()
    (caps / "a.txt").write_text(_capture("借款到期还不上怎么办", _BODY), "utf-8")
    # The same sections, other words: a digest of it on another site is not the article itself.
    other = [_BODY[0], "一、先算清楚", "只列出最大的那一笔欠款。", "二、再去协商", "请律师代为联系平台。"]
    (caps / "b.html").write_text(_page("欠款还不上怎么办_示例网", other), "utf-8")
    proc = run_book(root, "import", "--quiet", str(caps))
    assert "2 imported" in proc.stdout and "another title" not in proc.stdout


def test_every_fixture_and_its_saved_page_import_as_one_notebook(tmp_path: Path) -> None:
    root = copy_book(tmp_path / "book")
    before = len(_notebooks(root))
    proc = run_book(root, "import", "--quiet", str(REAL))
    assert "0 refused" in proc.stdout
    assert len(_notebooks(root)) - before == len(CAPTURES)
    again = run_book(root, "import", "--quiet", str(REAL))
    assert f"0 imported, 0 updated, {len(CAPTURES)} unchanged" in again.stdout and "0 refused" in again.stdout


_HAN = st.text(st.sampled_from("借款还钱协商逾期征信平台银行律师证据债务利息分期起诉法院判决"), min_size=8, max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_HAN, min_size=2, max_size=8, unique=True), _HAN, _HAN, st.lists(_HAN, min_size=2, max_size=8))
def test_a_body_is_found_under_any_title_and_another_body_is_not(body, title_a, title_b, other) -> None:
    from book import identity

    def nb(title: str, lines: list[str]) -> str:
        blocks = tuple(Block("paragraph", t, part="body", line=i) for i, t in enumerate(lines, 2))
        return notebook.writes(Article(id=text_reader.article_id_for_title(title), title=title, blocks=blocks))

    bodies = identity.Bodies(lambda: [("ta", nb(title_a, body))])
    assert bodies.twin(nb(title_b, body), other_than="tb") == "ta"
    if identity.same_body(identity.body_text(nb(title_a, body)), identity.body_text(nb(title_b, other))):
        return  # drawn too alike to be told apart: not this property's case
    assert bodies.twin(nb(title_b, other), other_than="tb") is None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.sampled_from("标题债务ab1 :#'\"-?!&*,[]{}|>%@`~。"), min_size=1, max_size=90).map(str.strip))
def test_the_title_read_from_a_notebooks_top_is_its_title(title: str) -> None:
    """The import reads each notebook's title from its first lines (the duplicate-title warning),
    without YAML for a plain one: it must be what YAML reads."""
    from book.notebook.page import title_in as _title_in

    if not title:
        return
    head = notebook.writes(Article(id="1", title=title))[:4096]
    assert _title_in(head) == notebook.split_front_matter(head, Path("")).article["title"]
