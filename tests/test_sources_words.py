"""The word splitter behind summarize-sources agrees with :data:`gazetteer.TOKEN`."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from arnews_cli.steps.gazetteer import TOKEN, bmp_token_split, fold
from arnews_cli.steps.phrases import WordClass, Words

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
