"""The fast word split of extract-quotes equals its plain definitions."""

from __future__ import annotations

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from arnews_cli.steps import cues, quotes, speakers
from arnews_cli.steps.cues import _DROPPED, fold, fold_in_place
from arnews_cli.steps.speakers import TOKEN, Tok, tokens

from .arabic_text import arabic_char, arabic_text

_FOLD = {**{c: None for c in _DROPPED}, **{ord(a): ord("ا") for a in "أإآٱ"}}
EVERY_BMP = [chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF]


def reference_tokens(text: str, start: int, end: int) -> list[Tok]:
    """One match object per token, each word folded on its own."""
    return [
        Tok(m.group(), m.start(), m.end(), m.group().translate(_FOLD),
            m.group()[0].isalnum() or m.group()[0] in "#@_")
        for m in TOKEN.finditer(text, start, end)
    ]


def test_bmp_split_equals_the_regex_split_for_every_character() -> None:
    fast, slow = speakers._TOKEN_SPLIT_BMP, speakers._TOKEN_SPLIT
    for c in EVERY_BMP:
        text = f"ab{c}b -{c} .{c}{c}x {c}"
        assert fast.split(text) == slow.split(text), hex(ord(c))


def test_fold_equals_translate_for_every_character() -> None:
    text = "".join(EVERY_BMP)
    assert fold(text) == text.translate(_FOLD)
    assert fold_in_place(text).replace("\u0640", "") == text.translate(_FOLD)
    assert len(fold_in_place(text)) == len(text)


@settings(max_examples=300, deadline=None)
@given(arabic_text, st.integers(0, 80), st.integers(0, 80))
def test_tokens_equal_one_match_per_token(text: str, a: int, b: int) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    expected = reference_tokens(text, start, end)
    assert tokens(text, start, end) == expected
    assert tokens(text, start, end, fold_in_place(text)) == expected


_GATE_SAMPLE = ["قال", "وقالت", "أكد", "بحسب", "نقلا", "عن", "إن", "الذي", "بين", "وبين", "عبر",
                "ـ", "\u064e", ".",
                "،", "\U0001d400", "x", " ", " ", "؟", "«", "»", "#", "_", "-", "/", "%", "\u200f"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_GATE_SAMPLE), arabic_char), max_size=40))
def test_the_gate_passes_every_sentence_with_a_cue(parts: list[str]) -> None:
    """A sentence (here: text between full stops) passes the gate exactly when the plain
    gate, a split of the folded sentence, finds a cue word in it (or, with characters
    above U+FFFF around, at least then); and always when its words hold a cue."""
    text = "".join(parts)
    folded = fold_in_place(text)
    start = 0
    for end in [*(i + 1 for i, c in enumerate(text) if c == "."), len(text)]:
        words = regex.split(r"[^\p{L}\p{N}_#@]+", fold(text[start:end]))
        plain = not cues.gate_words().isdisjoint(words)
        passed = quotes._may_hold_cue(folded, start, end)
        assert passed >= plain
        if not speakers.ASTRAL.search(text) and cues.strict_words().isdisjoint(words):
            assert passed == plain
        toks = tokens(text, start, end)
        keys = [t.key for t in toks]
        for i in range(len(keys)):
            hit = cues.lookup(keys, i)
            # a strict cue counts where a clause opens (first, or after a comma or colon)
            if hit and (not hit[0].has_flag("s") or i == 0 or toks[i - 1].text in "،,:؛;"):
                assert passed
        start = end


@pytest.mark.parametrize(
    ("sentence", "passes"),
    [
        ("وقال الوزير إن", True),
        ("الوزير «قال»: لا", True),
        ("الوزير \u200fقال\u200f إن", True),  # a bidi mark clings to the word
        ("بيان/أكد فيه", True),
        ("قالـــت المصادر", True),  # tatweel inside the word
        ("#قال و قال_ و قالx", False),  # hashtags and joined words are other words
        ("الوزير \u200fيزور\u200f المدينة", False),
        ("الوزير يزور المدينة", False),
        ("وبين الوزير أن", True),  # a strict cue opening the sentence
        ("الوزير، وبين الرئيس أن", True),
        ("«وبين» الوزير", True),  # clinging marks: let through, the rules decide
        ("الفرق بين البلدين كبير", False),  # a strict cue inside a clause
        ("الفرق وبين البلدين كبير", False),
    ],
)
def test_the_gate_on_words_with_clinging_marks(sentence: str, passes: bool) -> None:
    assert quotes._may_hold_cue(fold_in_place(sentence), 0, len(sentence)) is passes
