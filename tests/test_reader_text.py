"""The text reader on the seed and on every part of ARTICLE-FORMAT.md."""

from __future__ import annotations

import pytest

from book.errors import BookError
from book.readers import decode, headings, text

from .conftest import SEED


@pytest.fixture(scope="module")
def seed():
    return text.read(SEED)


def test_seed_header(seed) -> None:
    assert seed.category == ("金融债务",)
    assert seed.title == "国美金融催收部在哪"
    assert (seed.author, seed.age, seed.date, seed.views) == ("合飞律师", "4个月前", "01-06", 4)


def test_seed_date_has_no_invented_year(seed) -> None:
    assert seed.date == "01-06"


def test_seed_source_url_gives_the_id(seed) -> None:
    assert seed.source_url == "https://www.hefeilaws.com/hf/67202.html"
    assert seed.id == "67202"


def test_seed_sections_and_subsections(seed) -> None:
    heads = [(b.level, b.text) for b in seed.sections]
    top = [t for level, t in heads if level == 1]
    sub = [t.split()[0] for level, t in heads if level == 2]
    assert top == ["一、国美金融概述", "二、催收部门的职能", "三、国美金融催收部的位置", "四、催收流程",
                   "五、催收部与客户的关系", "六、国美金融催收部的挑战与展望"]  # fmt: skip
    assert sub == ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "3.3", "4.1", "4.2", "4.3", "4.4",
                   "5.1", "5.2", "5.3", "6.1", "6.2"]  # fmt: skip


def test_seed_intro_summary_copyright(seed) -> None:
    assert seed.intro_marker == "小编导语" and seed.summary_marker == "小编总结"
    intro = [b.text for b in seed.blocks if b.part == "intro"]
    summary = [b.text for b in seed.blocks if b.part == "summary"]
    assert len(intro) == 1 and intro[0].startswith("在现代社会中")
    assert len(summary) == 1 and summary[0].startswith("国美金融催收部在公司的运营中")
    assert seed.copyright.startswith("版权声明:本文由浙江合飞律师事务所")


def test_seed_site_chrome_is_not_content(seed) -> None:
    assert all("扫描二维码" not in b.text for b in seed.blocks)


def test_seed_related_list(seed) -> None:
    assert seed.related_marker == "国美金融催收部在哪的相关文章"
    assert len(seed.related) == 8
    assert seed.related[0].title == "国美金融无能力还贷怎么办,国美金融贷款逾期处理方法"
    assert all(r.excerpt.endswith("...") for r in seed.related)


def test_seed_every_content_line_kept_in_order(seed) -> None:
    """Nothing lost: the seed's lines from title to copyright, minus markers and chrome, are the article's."""
    lines = [ln.strip() for ln in SEED.read_text(encoding="utf-8").split("\n") if ln.strip()]
    start, end = lines.index("国美金融催收部在哪"), lines.index("扫描二维码推送至手机访问。")
    expected = [ln for ln in lines[start:end] if ln not in ("合飞律师4个月前 (01-06)金融债务4", "小编导语", "小编总结")]
    expected.append(lines[end + 1])  # the copyright notice
    assert seed.text_lines() == expected


def test_template_holes_are_kept_verbatim(seed) -> None:
    body = "\n".join(b.text for b in seed.blocks)
    assert "成立于年" in body and "位于市,具体地址为。" in body


def test_capture_punctuation_is_not_fixed(seed) -> None:
    assert "," in seed.blocks[0].text and "，" not in seed.blocks[0].text


@pytest.mark.parametrize(
    ("line", "scheme"),
    [
        ("第一章 背景介绍", "chapter"),
        ("第二节 恶意透支的认定", "jie"),
        ("第一步:保持冷静", "step"),
        ("一、国美金融概述", "cn-dun"),
        ("（一）共同债务的认定", "cn-paren"),
        ("(二)个人债务", "cn-paren"),
        ("1. 催收短信应该如何反应?", "num"),
        ("1、婚姻关系存续期间所负债务", "num"),
        ("1.1 国美金融的背景", "num2"),
        ("1.1.1 超出日常生活需要", "num3"),
        ("总结", "closing"),
        ("结语", "closing"),
        ("被起诉后还能协商吗?", "question"),
        ("需要亲自出庭吗？", "question"),
    ],
)
def test_heading_schemes(line: str, scheme: str) -> None:
    assert headings.scheme_of(line) == scheme


@pytest.mark.parametrize(
    "line",
    [
        "一、严格遵守法律法规,不得暴力催收。",  # a numbered sentence is text
        "1. 保持冷静,不要恐慌或者激动,理性分析短信的内容,然后根据实际情况决定如何应对,必要时咨询律师。",
        "2024年的数据显示,逾期率有所上升。",
        "一般来说",
    ],
)
def test_text_that_only_looks_numbered_is_not_a_heading(line: str) -> None:
    assert headings.scheme_of(line) is None


def test_levels_are_relative_to_the_article() -> None:
    assert headings.assign_levels(["1.1 背景", "正文。", "1.2 使命", "正文。"]) == [1, 0, 1, 0]
    assert headings.assign_levels(["一、概述", "1.1 背景", "正文。", "二、职能", "总结", "正文。"]) == [
        1,
        2,
        0,
        1,
        1,
        0,
    ]


def test_question_siblings_share_a_level() -> None:
    lines = ["第一章 起诉", "能协商吗?", "可以。", "要出庭吗?", "原则上应当。"]
    assert headings.assign_levels(lines) == [1, 2, 0, 2, 0]


def test_question_without_a_following_paragraph_is_text() -> None:
    assert headings.assign_levels(["正文。", "这是问题吗?"]) == [0, 0]


def test_body_only_capture() -> None:
    article = text.reads("信用卡逾期怎么办\n\n逾期后要及时还款。\n\n一、联系银行\n\n说明情况。\n")
    assert article.title == "信用卡逾期怎么办"
    assert article.category == ("未分类",)
    assert article.source_url == "" and article.id.startswith("t")
    assert [b.text for b in article.blocks] == ["逾期后要及时还款。", "一、联系银行", "说明情况。"]


def test_nested_breadcrumb() -> None:
    article = text.reads("当前位置:首页 > 法律咨询 > 婚姻家庭 > 正文内容\n\n标题\n\n正文。\n")
    assert article.category == ("法律咨询", "婚姻家庭")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_encodings(encoding: str) -> None:
    source = SEED.read_text(encoding="utf-8")
    data = source.replace("\n", "\r\n").encode(encoding)
    assert text.reads(decode.decode(data, "x.txt")) == text.reads(source)


def test_big5_traditional() -> None:
    source = "當前位置:首頁 > 金融債務 > 正文內容\n\n網貸逾期會影響徵信嗎\n\n一、什麼是徵信\n\n徵信是依法收集信用信息的活動。\n"  # noqa: E501
    article = text.reads(decode.decode(source.encode("big5"), "t.txt"))
    assert article.title == "網貸逾期會影響徵信嗎" and article.category == ("金融債務",)
    assert article.sections[0].text == "一、什麼是徵信"


@pytest.mark.parametrize(
    ("data", "what"), [(b"", "empty"), (b"   \n\n", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00", "binary")]
)
def test_unreadable_files_are_refused_with_the_file_named(data: bytes, what: str) -> None:
    with pytest.raises(BookError) as info:
        decode.decode(data, "captures/bad.txt")
    assert str(info.value).startswith("captures/bad.txt:1: ") and what in str(info.value)


def test_source_url_without_numeric_id_is_refused() -> None:
    capture = "标题\n\n正文。\n\n版权声明:略\n\n本文链接:https://www.hefeilaws.com/hf/../../etc/passwd\n"
    with pytest.raises(BookError) as info:
        text.reads(capture, "c.txt")
    assert str(info.value).startswith("c.txt:7: ") and "numeric article id" in str(info.value)


@pytest.mark.parametrize(
    ("line", "scheme"),
    [("总结:", "closing"), ("第一節 背景", "jie"), ("第一條 準備材料", "step"), ("1.360借条逾期怎么办", "num")],
)
def test_heading_variants(line: str, scheme: str) -> None:
    assert headings.scheme_of(line) == scheme


def test_steps_nest_inside_numbered_sections() -> None:
    lines = ["一、办理流程", "第一步 准备材料", "内容。", "第二步 提交申请", "内容。", "二、注意事项", "内容。"]
    assert headings.assign_levels(lines) == [1, 2, 0, 2, 0, 1, 0]


def test_a_closing_heading_does_not_swallow_the_next_chapter() -> None:
    lines = ["第一章 背景", "内容。", "小结", "内容。", "第二章 流程", "内容。"]
    assert headings.assign_levels(lines) == [1, 0, 1, 0, 1, 0]
