"""tokenize: camel-tools equality, the news scheme, sentences and the record."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from camel_tools.tokenizers.word import simple_word_tokenize
from hypothesis import given, settings
from hypothesis import strategies as st

from arnews_cli.article import Article, Block
from arnews_cli.steps.normalize import PROFILES, normalize_article
from arnews_cli.steps.tokenize import (
    news_spans,
    sentence_column,
    sentence_spans,
    simple_spans,
    token_texts,
    tokenize_article,
)

from .arabic_text import OTHER, arabic_char, arabic_text

EMOJI = [
    "\U0001f600", "\U0001f44d\U0001f3fd", "\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "\U0001f1f8\U0001f1e6", "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067"
    "\U000e007f", "1\ufe0f\u20e3", "#\u20e3", "\u2764\ufe0f", "\u00a9\ufe0f", "\u200d",
]
emoji_text = st.lists(
    st.one_of(arabic_char, st.sampled_from(EMOJI), st.sampled_from(OTHER)), max_size=60
).map("".join)


def texts(text: str, spans: tuple[list[int], list[int]]) -> list[str]:
    return [text[a:b] for a, b in zip(*spans, strict=True)]


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(arabic_text, emoji_text))
def test_simple_equals_camel_tools(text: str) -> None:
    assert texts(text, simple_spans(text)) == simple_word_tokenize(text)


def test_simple_on_emoji_sequences() -> None:
    text = "قال👍🏽 «نعم»!! 👨‍👩‍👧x 🇸🇦 1️⃣ 5⃣ ©️ a‍b"
    assert texts(text, simple_spans(text)) == simple_word_tokenize(text)


def test_corpus_simple_equals_camel_tools(corpus_files: list[Path]) -> None:
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in corpus_files)
    assert texts(text, simple_spans(text)) == simple_word_tokenize(text)


def check_cover(text: str, spans: tuple[list[int], list[int]]) -> None:
    """Tokens are sorted, disjoint, non-empty, and cover every non-space character."""
    starts, ends = spans
    last = 0
    for a, b in zip(starts, ends, strict=True):
        assert last <= a < b
        assert not any(c.isspace() for c in text[a:b])
        assert text[last:a].isspace() or last == a
        last = b
    assert text[last:].isspace() or last == len(text)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(arabic_text, emoji_text, st.text(max_size=60)))
def test_news_and_simple_cover_the_text(text: str) -> None:
    check_cover(text, simple_spans(text))
    check_cover(text, news_spans(text))


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("ارتفع 3.5 بالمئة", "3.5"),
        ("بلغ ١٬٢٣٤٫٥ مليون", "١٬٢٣٤٫٥"),
        ("نحو 1,000,000 دولار", "1,000,000"),
        ("و3.5 مليار", "3.5"),
        ("في 27/6 الماضي", "27/6"),
        ("يوم 27/6/2018 قال", "27/6/2018"),
        ("بتاريخ 2018-07-14.", "2018-07-14"),
        ("في 14.07.2018 صباحا", "14.07.2018"),
        ("الساعة 10:30، قال", "10:30"),
        ("انظر https://www.bbc.com/arabic/news-44.html?x=1&y=2.", "https://www.bbc.com/arabic/news-44.html?x=1&y=2"),
        ("(www.cnn.com)", "www.cnn.com"),
        ("موقع Aljazeera.net الإخباري", "Aljazeera.net"),
        ("راسلونا على news@alarabiya.net.", "news@alarabiya.net"),
        ("وسم #السعودية_اليوم، انتشر", "#السعودية_اليوم"),
        ("غرد @AlArabiya_Brk قائلا", "@AlArabiya_Brk"),
    ],
)
def test_news_keeps_things_whole(text: str, kept: str) -> None:
    assert kept in texts(text, news_spans(text))


def test_news_splits_like_simple_elsewhere() -> None:
    text = "قال الوزير: «المحادثات مستمرة»، وأضاف (رويترز)."
    assert texts(text, news_spans(text)) == simple_word_tokenize(text)
    # U+001C-U+001F are white space to simple (and camel-tools), also after a URL
    text = "على https://example.com/a\x1cفلان اليوم"
    assert texts(text, news_spans(text)) == ["على", "https://example.com/a", "فلان", "اليوم"]


def sents(text: str, blocks: list[tuple[int, int]] | None = None) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text, blocks or ())]


def test_sentence_marks() -> None:
    text = "وصل الوفد. هل انتهت المحادثات؟ لا! ثم… وأخيرا؛ انتهى?! Done. التالي.وقال آخر"
    assert sents(text) == [
        "وصل الوفد.", "هل انتهت المحادثات؟", "لا!", "ثم…", "وأخيرا؛", "انتهى?!", "Done.",
        "التالي.", "وقال آخر",
    ]


def test_sentences_keep_quotes_numbers_abbreviations_and_urls() -> None:
    text = (
        'قال د. محمد إن "المحادثات مستمرة. سنعود غدا" وأضاف. وقالت: «لن نتراجع. أبدا» ثم غادرت. '
        "وارتفع 3.5 بالمئة في 27/6 وفق م. أحمد وأ.د. علي. زوروا www.example.com/a.b للمزيد. "
        "وقال J. K. Rowling إن U.S. officials وصلوا."
    )
    assert sents(text) == [
        'قال د. محمد إن "المحادثات مستمرة. سنعود غدا" وأضاف.',
        "وقالت: «لن نتراجع. أبدا» ثم غادرت.",
        "وارتفع 3.5 بالمئة في 27/6 وفق م. أحمد وأ.د. علي.",
        "زوروا www.example.com/a.b للمزيد.",
        "وقال J. K. Rowling إن U.S. officials وصلوا.",
    ]


def test_marks_glued_to_the_next_word_split_outside_addresses_only() -> None:
    # a mark followed by a letter ends a sentence (الخبر.وقال), but not inside an address
    text = "زوروا www.example.net.وقال الوزير.وأضاف! وراسلوا a@b.org!ثم news.com.وانتهى www.وقال"
    assert sents(text) == [
        "زوروا www.example.net.وقال الوزير.", "وأضاف!", "وراسلوا a@b.org!",
        "ثم news.com.وانتهى www.", "وقال",
    ]
    # marks of one long run without spaces are each asked about once: a long line is cheap
    run = "كلمة." * 2_000
    assert len(sents(run)) == 2_000


def test_quote_that_closes_after_the_mark_ends_the_sentence() -> None:
    text = "قال: «انتهى الأمر.» ثم غادر. وقال آخر: «نعم؟» وانصرف"
    assert sents(text) == ["قال: «انتهى الأمر.»", "ثم غادر.", "وقال آخر: «نعم؟»", "وانصرف"]


def test_unclosed_quote_does_not_swallow_the_paragraph() -> None:
    text = "قال: «المحادثات مستمرة. وأضاف أن الوفد سيعود. ثم غادر"
    assert len(sents(text)) == 3


def test_list_numbers_and_lines() -> None:
    text = "1. البند الأول\nعنوان بلا نقطة\n\nفقرة أولى. فقرة ثانية"
    assert sents(text) == ["1. البند الأول", "عنوان بلا نقطة", "فقرة أولى.", "فقرة ثانية"]


def test_sentences_stay_inside_blocks() -> None:
    text = "عنوان الخبر: قال الوزير\n\nالقاهرة - رويترز قال الوزير. وأضاف"
    head = (0, text.index("\n"))
    dateline = (text.index("القاهرة"), text.index(" قال الوزير."))
    body = (dateline[1] + 1, len(text))
    assert sents(text, [head, dateline, body]) == [
        "عنوان الخبر: قال الوزير", "القاهرة - رويترز", "قال الوزير.", "وأضاف",
    ]


def test_punctuation_only_pieces_join_a_neighbour() -> None:
    assert sents("انتهى. . . ثم بدأ") == ["انتهى. . .", "ثم بدأ"]
    assert sents("... بدأ الأمر") == ["... بدأ الأمر"]


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(arabic_text, st.text(max_size=80)), cuts=st.lists(st.integers(0, 80)))
def test_sentences_are_ordered_trimmed_and_cover_the_words(text: str, cuts: list[int]) -> None:
    points = sorted({min(c, len(text)) for c in cuts} | {0, len(text)})
    blocks = list(zip(points, points[1:], strict=False))
    spans = sentence_spans(text, blocks)
    last = 0
    for a, b in spans:
        assert last <= a < b
        assert not text[a].isspace() and not text[b - 1].isspace()
        assert any(s <= a and b <= e for s, e in blocks) or not blocks
        last = b
    covered = set().union(*(range(a, b) for a, b in spans)) if spans else set()
    for i, c in enumerate(text):
        if regex.match(r"[\p{L}\p{N}]", c):
            assert i in covered, (i, c)


def test_sentence_column() -> None:
    assert sentence_column([0, 2, 5, 9, 12], [(0, 4), (5, 10)]) == [0, 0, 1, 1, -1]
    assert sentence_column([], []) == []
    # an invisible mark glued to a sentence's first word starts the token before it
    assert sentence_column([0, 5, 9], [(0, 4), (6, 12)], [3, 8, 12]) == [0, 1, 1]
    assert sentence_column([5], [(6, 9)], [9]) == [0]
    assert sentence_column([5], [(6, 9)]) == [-1]  # by starts alone


def test_record() -> None:
    text = "عنوان\n\nقال الوزير، إن 3.5 مليون وصلوا. وأضاف"
    article = Article(path="x", text=text, blocks=(
        Block("headline", "عنوان", 0, 5), Block("paragraph", text[7:], 7, len(text)),
    ))
    out = tokenize_article(article)
    assert out.sentences == [{"start": 0, "end": 5}, {"start": 7, "end": 38},
                             {"start": 39, "end": 44}]
    tokens = out.tokens
    assert tokens["scheme"] == "simple" and tokens["on"] == "text"
    assert token_texts(out) == simple_word_tokenize(text)
    assert tokens["sentence"] == [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]
    assert set(tokens) == {"scheme", "on", "start", "end", "sentence"}
    news = tokenize_article(article, scheme="news")
    assert "3.5" in token_texts(news)


def test_tokens_of_normalized_text_map_to_the_original() -> None:
    text = "قـــالَ  الوزيرُ\u200f «ﻻ» ٣٫٥"
    article = normalize_article(Article(path="x", text=text), PROFILES["search"])
    out = tokenize_article(article)
    tokens = out.tokens
    assert tokens["on"] == "normalized"
    assert token_texts(out) == simple_word_tokenize(article.normalized["text"])
    assert token_texts(out) == ["قال", "الوزير", "«", "لا", "»", "3", "٫", "5"]
    original = [text[a:b] for a, b in zip(tokens["start"], tokens["end"], strict=True)]
    assert original[:5] == ["قـــالَ", "الوزيرُ\u200f", "«", "ﻻ", "»"]
    plain = tokenize_article(article, on="text")
    assert plain.tokens["on"] == "text" and "nstart" not in plain.tokens


def test_on_normalized_needs_normalize() -> None:
    from arnews_cli.errors import ArnewsError

    with pytest.raises(ArnewsError, match="normalize"):
        tokenize_article(Article(path="x", text="نص"), on="normalized")
    with pytest.raises(ValueError, match="scheme"):
        tokenize_article(Article(path="x", text="نص"), scheme="nope")


def test_cli_tokenize_after_normalize() -> None:
    import json

    from click.testing import CliRunner

    from arnews_cli.cli import cli

    from .conftest import SEED

    args = ["--format", "jsonl", "-j1", "parse", str(SEED), "normalize", "tokenize",
            "--scheme", "news"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    tokens = record["tokens"]
    assert tokens["scheme"] == "news" and tokens["on"] == "normalized"
    assert len(tokens["start"]) == len(tokens["end"]) == len(tokens["sentence"]) > 300
    assert -1 not in tokens["sentence"]
    text = record["text"]
    for s in record["sentences"]:
        assert any(b["start"] <= s["start"] < s["end"] <= b["end"] for b in record["blocks"])
    assert text[tokens["start"][0] : tokens["end"][0]] == "رويترز"


@settings(max_examples=200, deadline=None)
@given(text=arabic_text)
def test_normalized_tokens_map_back_like_span_to_original(text: str) -> None:
    from arnews_cli.steps.offsetmap import OffsetMap

    article = normalize_article(Article(path="x", text=text), PROFILES["search"])
    tokens = tokenize_article(article).tokens
    omap = OffsetMap.from_json(article.normalized["map"])
    for a, b, s, e in zip(tokens["nstart"], tokens["nend"], tokens["start"], tokens["end"],
                          strict=True):
        assert s == omap(a)
        assert e == max(omap(b), omap(b - 1) + 1)


def test_a_token_of_marks_nfkc_reorders_keeps_all_its_characters() -> None:
    from arnews_cli.steps.normalize import normalize_article, profile_options
    from arnews_cli.steps.parse import parse_text

    text = "ب \u0651\u064e"  # shadda typed before fatha, a token of its own
    article = tokenize_article(normalize_article(parse_text(text), profile_options("default")))
    tokens = article.tokens
    assert tokens is not None
    assert (tokens["start"][1], tokens["end"][1]) == (2, 4)
