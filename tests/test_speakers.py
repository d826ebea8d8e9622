"""The fast word split of extract-quotes equals its plain definitions."""

from __future__ import annotations

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from arnews_cli.steps import cues, quotes, speakers
from arnews_cli.steps.cues import _DROPPED, fold, fold_in_place
from arnews_cli.steps.speakers import TOKEN, Tok, tokens, tokens_and_keys

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
    toks, keys = tokens_and_keys(text, start, end)
    assert toks == expected and keys == [t.key for t in expected]


def full_is_setting(toks: list[Tok], j: int) -> bool:
    """:func:`speakers.is_setting` without its one-lookup shortcut."""
    t, k = toks[j], toks[j].key
    if k in speakers.TIME or k in speakers.L_SETTING or k == "ل" or t.text.startswith("لـ"):
        return True
    if k in speakers._PERIOD and j + 1 < len(toks) and toks[j + 1].key in speakers._PERIOD_END:
        return True
    if k == "ذات" and j + 1 < len(toks) and toks[j + 1].key in ("يوم", "مرة"):
        return True
    if k in ("في", "وفي", "فى", "وفى") and j + 1 < len(toks):
        nxt = toks[j + 1].key
        return nxt in speakers.SETTING_NOUNS or (
            nxt.startswith("ال") and nxt[2:] in speakers.SETTING_NOUNS)
    if k in ("من", "ومن") and j + 1 < len(toks):
        return toks[j + 1].key in speakers._set("جهته جهتها ناحيته ناحيتها جانبه جانبها جهتهم")
    return False


def full_stops_speaker(toks: list[Tok], j: int, is_cue: set[int]) -> bool:
    """:func:`speakers.stops_speaker` without its one-lookup shortcut."""
    t = toks[j]
    if not t.word:
        return t.text not in "()"
    return (speakers.is_opener(t) or j in is_cue or t.key in speakers.RELATIVE
            or t.key in speakers.NEGATION or t.key in speakers.APPOSITION_PRONOUN
            or t.key in speakers.CLAUSE_BOUNDARY or full_is_setting(toks, j)
            or speakers.opener_at(toks, j))


# every word the tests look for, and words around them that they do not
_STOP_SAMPLE = sorted(
    speakers._OPENERS | speakers.RELATIVE | speakers.NEGATION | speakers.APPOSITION_PRONOUN
    | speakers.CLAUSE_BOUNDARY | speakers.TIME | speakers.L_SETTING | speakers._PERIOD
    | speakers._PERIOD_END | speakers.SETTING_NOUNS | speakers.OPEN_PREPS
    | {"ل", "ذات", "يوم", "مرة", "في", "وفي", "فى", "وفى", "من", "ومن", "جهته", "البيان"}
) + ["لـCNN", "لـ", "الوزير", "محمد", "وزارة", "(", ")", "،", ":", "3"]


def test_the_speaker_tests_equal_their_full_form_on_word_pairs() -> None:
    # the tests that look at the next word: every first word with every next word
    firsts = speakers._PERIOD | {"ذات", "في", "وفي", "فى", "وفى", "من", "ومن", "الوزير"}
    for a in sorted(firsts):
        for b in _STOP_SAMPLE:
            toks = tokens(f"{a} {b}", 0, len(a) + 1 + len(b))
            assert speakers.is_setting(toks, 0) == full_is_setting(toks, 0), (a, b)
            assert speakers.stops_speaker(toks, 0, set()) == full_stops_speaker(toks, 0, set())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_STOP_SAMPLE), min_size=1, max_size=8),
       st.sets(st.integers(0, 7)))
def test_the_speaker_tests_equal_their_full_form(words: list[str], is_cue: set[int]) -> None:
    text = " ".join(words)
    toks = tokens(text, 0, len(text))
    for j in range(len(toks)):
        assert speakers.is_setting(toks, j) == full_is_setting(toks, j)
        assert speakers.stops_speaker(toks, j, is_cue) == full_stops_speaker(toks, j, is_cue)


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
