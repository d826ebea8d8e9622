from __future__ import annotations

from pathlib import Path

import pytest
import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

from arnews_cli.article import Article
from arnews_cli.steps.parse import parse_file, parse_text

from .conftest import DATA, SEED

WHITE = regex.compile(r"\s")


def kinds(article: Article) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in article.blocks]


def assert_offsets(article: Article) -> None:
    for b in article.blocks:
        assert article.text[b.start : b.end] == b.text
        assert b.text
        assert not WHITE.match(b.text[0]) and not WHITE.match(b.text[-1])


def test_seed_structure() -> None:
    a = parse_file(str(SEED))
    assert_offsets(a)
    got = kinds(a)
    assert got[0] == ("headline", a.text.splitlines()[0])
    assert [t for k, t in got if k == "caption"] == [
        "استهداف قاعدة عين الاسد في العراق اليوم",
        "الدخان يتصاعد جراء استهداف سابق لقاعدة عين الأسد في العراق والتي تضم قوات أميركية"
        " (الجزيرة)",
    ]
    assert [t for k, t in got if k == "subheading"] == ["عمليات انتقامية", "نفي إيراني"]
    assert [t for k, t in got if k == "credit"] == ["المصدر : الجزيرة + رويترز"]
    assert sum(k == "paragraph" for k, _ in got) == 10


BODY = (
    "قال وزير الخارجية اليوم إن المحادثات مع الجانب الآخر ستستمر حتى نهاية الشهر الجاري.\n\n"
    "وأضاف الوزير أن الوفد سيعود إلى العاصمة بعد انتهاء الجولة الحالية من المباحثات.\n\n"
)


@pytest.mark.parametrize(
    "credit",
    [
        "المصدر : الجزيرة + رويترز",
        "المصدر: صحيفة فلسطين",
        "المصادر:الجزيرة،وكالات",
        "المصدر : وكالة تونس افريقيا للأنباء",
        "وكالات",
        "-وات-",
        "*نقلاً عن الرؤية الإماراتية",
        "فرانس24/ أ ف ب",
    ],
)
def test_trailing_credit_variants(credit: str) -> None:
    a = parse_text("عنوان الخبر هنا\n\n" + BODY + credit)
    assert kinds(a)[-1] == ("credit", credit)
    assert_offsets(a)


def test_no_credit_invented() -> None:
    a = parse_text("عنوان الخبر هنا\n\n" + BODY + "وتابع أن الجلسة المقبلة ستعقد غدا.")
    assert [k for k, _ in kinds(a)] == ["headline", "paragraph", "paragraph", "paragraph"]


def test_spa_dateline_line() -> None:
    text = ("عام / اليابان تستأنف تشغيل مفاعل نووي\n\n"
            " طوكيو 26 شوال 1436 هـ الموافق 11 أغسطس 2015 م واس\n\n" + BODY)
    got = kinds(parse_text(text))
    assert got[1] == ("dateline", "طوكيو 26 شوال 1436 هـ الموافق 11 أغسطس 2015 م واس")


@pytest.mark.parametrize(
    ("opening", "dateline"),
    [
        ("موسكو – ا ف ب: دعا الرئيس إلى حل سياسي.", "موسكو – ا ف ب"),
        ("نيويورك - د ب أ - باتت الهجمات أمرا شائعا.", "نيويورك - د ب أ"),
        ("بغداد (رويترز) - قال مسؤولون إن الهجوم وقع ليلا.", "بغداد (رويترز)"),
    ],
)
def test_inline_dateline_is_split_from_first_paragraph(opening: str, dateline: str) -> None:
    a = parse_text("عنوان\n\n" + opening + "\n\n" + BODY)
    assert_offsets(a)
    assert kinds(a)[1] == ("dateline", dateline)
    assert kinds(a)[2][0] == "paragraph"
    assert not kinds(a)[2][1].startswith(("-", ":"))


def test_byline_line() -> None:
    got = kinds(parse_text("عنوان الخبر\n\nعمر إبراهيم – عين اليوم\n\n" + BODY))
    assert got[1] == ("byline", "عمر إبراهيم – عين اليوم")


def test_short_line_is_not_a_subheading_by_length_alone() -> None:
    # a short line that continues the text (no full paragraph before it) stays a paragraph
    text = "عنوان\n\nنقاط رئيسية\n\nالأولى\n\nالثانية\n\n" + BODY
    assert "subheading" not in [k for k, _ in kinds(parse_text(text))]
    # a list item or a line ending in a colon is not a subheading either
    text = "عنوان\n\n" + BODY + "وأبرز البنود:\n\n" + BODY
    assert "subheading" not in [k for k, _ in kinds(parse_text(text))]


def test_subheading_between_paragraphs() -> None:
    a = parse_text("عنوان\n\n" + BODY + "عمليات انتقامية\n\n" + BODY)
    assert ("subheading", "عمليات انتقامية") in kinds(a)


def test_single_line_article_without_headline() -> None:
    text = " ".join(["كلمة"] * 200)
    assert kinds(parse_text(text)) == [("paragraph", text)]


def test_crlf_and_rule_lines() -> None:
    text = "عنوان الخبر\r\n\r\n" + BODY.replace("\n", "\r\n") + "-----------\r\n" + BODY
    a = parse_text(text)
    assert_offsets(a)
    assert ("boilerplate", "-----------") in kinds(a)
    assert all("\r" not in b.text for b in a.blocks)


def test_ant_article_one_paragraph_per_line() -> None:
    path = DATA / "corpus" / "ant-alarabiya" / "00004.txt"
    if not path.exists():
        pytest.skip("test article not present")
    a = parse_file(str(path))
    assert_offsets(a)
    assert a.blocks[0].kind == "headline"
    assert {b.kind for b in a.blocks[1:]} == {"paragraph"}


def test_offsets_over_corpus(corpus_files: list[Path]) -> None:
    for path in corpus_files:
        a = parse_file(str(path))
        assert_offsets(a)
        starts = [b.start for b in a.blocks]
        assert starts == sorted(starts)


lines = st.lists(
    st.one_of(
        st.text(alphabet="قال وزير الخارجية إن .،:()«»\"-–ـ0123456789\u200f\u00a0\t", max_size=80),
        st.sampled_from(["المصدر : الجزيرة + رويترز", "عمليات انتقامية", "بغداد - رويترز",
                         "(الجزيرة)", "// انتهى //", "\r", ""]),
    ),
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(lines, st.sampled_from(["\n", "\n\n", "\r\n", "\r\n\r\n"]))
def test_offsets_for_generated_text(parts: list[str], sep: str) -> None:
    assert_offsets(parse_text(sep.join(parts)))


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_offsets_for_any_text(text: str) -> None:
    assert_offsets(parse_text(text))


def test_paragraphs_and_run_in_headings_merged_into_one_line() -> None:
    # pages whose paragraphs and subheads were merged into a single line upstream
    line = (
        "قررت الهيئة تعليق البث في القنوات القطرية . فسخ عقود الرعاية مع الخطوط القطرية :\u00a0 "
        "قرر النادي فسخ عقد الرعاية مع الشركة منذ بداية الموسم الحالي.\u00a0 وأضاف رئيس النادي"
        " أن القرار نهائي ولا رجعة فيه بعد اجتماع الهيئة المديرة."
    )
    a = parse_text("عنوان الخبر\n\n" + line)
    assert_offsets(a)
    assert kinds(a)[1:] == [
        ("paragraph", "قررت الهيئة تعليق البث في القنوات القطرية ."),
        ("subheading", "فسخ عقود الرعاية مع الخطوط القطرية"),
        ("paragraph", "قرر النادي فسخ عقد الرعاية مع الشركة منذ بداية الموسم الحالي."),
        ("paragraph", "وأضاف رئيس النادي أن القرار نهائي ولا رجعة فيه بعد اجتماع الهيئة المديرة."),
    ]


def test_speech_after_a_colon_is_not_a_run_in_heading() -> None:
    line = ("انتهى الاجتماع مساء أمس. وقال الوزير: إن المحادثات مستمرة. أجابنا مسؤول في الصحة :"
            " لا تعليق لدينا.")
    assert "subheading" not in [k for k, _ in kinds(parse_text("عنوان\n\n" + line))]


# The line splitter's shortcuts must find exactly what the plain patterns find.
_PIECES = [".", "؟", "…", "!", " ", "  ", "\u00a0", "\t", "\u2003", ":", " :", ":  ", "«", "»",
           '"', "’", "\r", "\n", "ب", "قال", "و", "1", "(", "ا" * 20, "ت" * 69, "س" * 70]
_TRIM = regex.compile(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]*(.*?)"
                      r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]*$", regex.DOTALL)
shortcut_text = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(shortcut_text)
@example("وقال " * 20 + '. "   ' + "ت" * 71 + " : ب")  # the longest head and look-behind
def test_run_in_search_near_colons_equals_full_search(text: str) -> None:
    from arnews_cli.steps import parse as p

    for start, end in p._physical_lines(text):
        start, end = p._trim(text, start, end)
        if start < end:
            colon = text.find(":", start, end)
            expected = [m.span() for m in p._RUNIN.finditer(text, start, end)]
            assert [m.span() for m in p._runin_matches(text, start, end, colon)] == expected


@settings(max_examples=300, deadline=None)
@given(st.one_of(shortcut_text, st.text()))
def test_line_split_and_trim_equal_the_patterns(text: str) -> None:
    from arnews_cli.steps import parse as p

    lines = list(p._physical_lines(text))
    assert lines == [m.span() for m in regex.finditer(r"[^\n\r]+", text)]
    for start, end in lines:
        m = _TRIM.match(text, start, end)
        assert m is not None
        assert p._trim(text, start, end) == m.span(1)
