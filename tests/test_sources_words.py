"""The word splitter behind summarize-sources agrees with :data:`gazetteer.TOKEN`."""

from __future__ import annotations

import builtins
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arnews_cli.build import is_compiled
from arnews_cli.steps import nonresponse, phrases, sources
from arnews_cli.steps.gazetteer import TOKEN, bmp_token_split, fold, media, variants
from arnews_cli.steps.mentions import MEDIA_HEADS
from arnews_cli.steps.phrases import (
    WordClass,
    Words,
    _Classes,
    _word_classes,
    clitic_words,
)
from arnews_cli.steps.sources import media_openers

_TOKEN_SPLIT = f"({TOKEN.pattern})"


def _regex_pieces(text: str) -> list[str]:
    import regex

    return regex.split(_TOKEN_SPLIT, text)


def test_bmp_classes_equal_regex_classes_on_every_code_point() -> None:
    bmp = [chr(c) for c in range(0x10000)]
    alone = " ".join(bmp)  # a word character is a word of its own
    dotted = " ".join(f"a.{c}" for c in bmp)  # after a dot: letters and digits only
    glued = "".join(bmp)
    for text in (alone, dotted, glued):
        assert bmp_token_split().split(text) == _regex_pieces(text)


_ALPHABET = st.sampled_from(
    list("ab.. -،\n«»\"'٣3_#") + ["\u064e", "\u0640", "é", "ي", "ة", "\U0001d400", "\U0001f600"]
)


@settings(max_examples=300, deadline=None)
@given(st.text(_ALPHABET, max_size=40))
def test_words_match_token_finditer(text: str) -> None:
    words = Words(text)
    matches = list(TOKEN.finditer(text))
    assert words.starts == [m.start() for m in matches]
    assert words.ends == [m.end() for m in matches]
    assert words.folded == [fold(m.group()) for m in matches]


def test_words_with_characters_above_the_bmp() -> None:
    text = "قال \U0001d400bc الوزير 😀 x.\U0001d401"
    words = Words(text)
    spans = [m.span() for m in TOKEN.finditer(text)]
    assert list(zip(words.starts, words.ends, strict=True)) == spans


def test_members_of_a_class_made_after_the_words_were_read() -> None:
    words = Words("قال مصدر لرويترز إن لمصدر")
    late = WordClass({"مصدر"})
    assert list(words.members(late)) == [1, 4]
    assert list(Words("مصدر و مصدر").members(late)) == [0, 2]


def test_broken_between_words() -> None:
    words = Words('قال الوزير، إن «المصدر» - "تاس" x')
    assert [words.broken(i) for i in range(1, len(words))] == [False, True, False, True, True]


_PIECES = st.sampled_from(
    [" ", ".", "،", "A", "Ab", "İ", "Σ", "ΣΑ", "é", "ٱ", "ک", "ی", "۳", "٣", "\u06dd",
     "\u06de", "\u06e5", "\u064e", "\u0652", "\u0640", "امي", "رك", "اميرك", "أميركا",
     "وكالة", "لل", "ال", "و", "ب", "نظير", "ه", "صحيفة", "بالقناة", "نشرت", "لحساسية"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=14).map("".join))
def test_words_fold_each_word_as_fold_does(text: str) -> None:
    words = Words(text)
    matches = list(TOKEN.finditer(text))
    assert list(zip(words.starts, words.ends, strict=True)) == [m.span() for m in matches]
    assert words.folded == [fold(m.group()) for m in matches]


def _plain_members(words: Words, cls: WordClass) -> list[int]:
    return [k for k, w in enumerate(words.folded) if _word_classes(w) & cls.bit]


_CLASSES = [
    *(getattr(sources, n) for n in dir(sources) if isinstance(getattr(sources, n), WordClass)),
    nonresponse._TRIGGERS,
]


def _texts() -> list[str]:
    forms = sorted(WordClass._form_bits)  # loaded by the classes' first use
    heads = sorted(MEDIA_HEADS)
    made = [
        " ".join(p + f for f in forms for p in ("", "و", "ف", "ب", "ل", "وب", "فل", "ال"))
        + " ".join(p + "ال" + h for h in heads for p in ("", "و", "ب", "ل", "وب", "فب", "لل"))
        + " ".join(p + "ل" + f[1:] for f in forms if f[:1] == "ا" for p in ("", "و", "ف")),
        "ونظيره لنظيرته مصدر نشرت ونشر صدرت مصادر لحساسية ولحساسيه الصحيفة والصحف",
    ]
    folder = Path(__file__).parent / "data" / "corpus"
    return made + [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*/*.txt"))]


def test_members_are_the_words_of_each_class() -> None:
    Words("قال").members(_CLASSES[0])  # load the forms
    for text in _texts():
        words = Words(text)
        for cls in _CLASSES:
            assert list(words.members(cls)) == _plain_members(words, cls)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=10).map("".join))
def test_members_on_made_up_text(text: str) -> None:
    words = Words(text)
    for cls in _CLASSES:
        assert list(words.members(cls)) == _plain_members(words, cls)


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(["", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فك", "لل", "ولل", "ال", "وال"]),
    st.sampled_from(["ا", "ال", "الا", "وزير", "الوزير", "لوزير", "ابن", "الابن", "x"]),
)
def test_clitic_words_hold_every_word_with_the_form(prefix: str, form: str) -> None:
    word = prefix + form
    for variant in variants(word):
        assert word in clitic_words({variant})


def _plain_same_sentence(words: Words, i: int, k: int) -> bool:
    start, _ = words.sentence_of(words.starts[k])
    return words.index_at(start) <= i


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["قال", " ", ".", "3.5", "a.b", "!", "؟", "\n", "»", "،"]),
                max_size=16).map("".join))  # fmt: skip
def test_same_sentence_is_the_sentence_of_the_later_word(text: str) -> None:
    words = Words(text)
    for k in range(len(words)):
        for i in range(k):
            assert words.same_sentence(i, k) == _plain_same_sentence(words, i, k)


def test_same_sentence_on_articles() -> None:
    for text in _texts()[2:]:
        words = Words(text)
        for k in range(1, len(words)):
            for i in range(max(0, k - 30), k):
                assert words.same_sentence(i, k) == _plain_same_sentence(words, i, k)


def test_media_openers_let_through_every_media_name() -> None:
    gazetteer = media()
    for first in gazetteer.first_tokens():
        for toks, _ in gazetteer.entries(first):
            for word in (first, "ل" + first, "و" + first):
                one_word, second_words = media_openers(word)
                folded = [word, *toks[1:]]
                if gazetteer.match_at(folded, 0) is not None:
                    assert one_word or folded[1] in second_words
    for text in _texts()[2:]:
        folded = Words(text).folded
        for k, word in enumerate(folded):
            one_word, second_words = media_openers(word)
            if not one_word and not (k + 1 < len(folded) and folded[k + 1] in second_words):
                assert gazetteer.match_at(folded, k) is None


@settings(max_examples=100, deadline=None)
@given(st.text(st.sampled_from(list("ab ج د،")), max_size=60), st.lists(st.sampled_from(
    ["a", "b", "ab", "ج", "د", "جد", "x"]), max_size=12))
def test_word_index_finds_every_place_of_a_word(text: str, looked_for: list[str]) -> None:
    # the first few names are found by scanning, the others through the index
    words = Words(text)
    index = sources._WordIndex(words, [])
    for word in looked_for:
        expected = [k for k, w in enumerate(words.folded) if w == word]
        assert index.positions(word) == expected



@pytest.mark.skipif(is_compiled("arnews_cli.steps.phrases"), reason="calls bound when built")
@pytest.mark.parametrize("step", ["_load_forms", "clitic_words", "sorted"])
def test_a_time_out_in_the_first_set_up_leaves_no_half_made_state(
    step: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A time limit ringing in the one-off set-up (in any of its calls) must not leave it
    half done for the articles after: the needles of the word classes once stayed empty
    when it rang after the words were set."""
    words = Words(_texts()[1])
    Words("قال").members(_CLASSES[0])  # load the forms
    want = list(_Classes().candidates(words))
    real = getattr(phrases, step, None) or getattr(builtins, step)

    def ringing(*args: Any) -> Any:
        raise TimeoutError("the time limit")

    classes = _Classes()
    monkeypatch.setattr(phrases, step, ringing, raising=False)
    with pytest.raises(TimeoutError):
        classes.candidates(words)
    monkeypatch.setattr(phrases, step, real, raising=False)
    assert list(classes.candidates(words)) == want
