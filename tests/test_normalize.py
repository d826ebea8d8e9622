"""normalize: camel-tools equality, offset maps, idempotence, profiles and the record."""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
import regex
from camel_tools.utils.charmap import CharMapper
from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
    normalize_unicode,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from arnews_cli.article import Article
from arnews_cli.steps.normalize import (
    PROFILES,
    STEP_NAMES,
    Options,
    normalize_article,
    normalize_text,
    profile_options,
    span_to_original,
    to_original,
)

from .arabic_text import arabic_text

ARCLEAN = CharMapper.builtin_mapper("arclean")
NONE = Options(controls=False, unicode=False, tatweel=False, spaces=False)

# Steps with a camel-tools counterpart, alone.
CAMEL_STEPS: dict[str, tuple[Options, Callable[[str], str]]] = {
    "unicode": (dataclasses.replace(NONE, unicode=True), normalize_unicode),
    "arclean": (dataclasses.replace(NONE, arclean=True), ARCLEAN),
    "diacritics": (dataclasses.replace(NONE, diacritics=True), dediac_ar),
    "alef": (dataclasses.replace(NONE, alef=True), normalize_alef_ar),
    "maksura": (dataclasses.replace(NONE, maksura=True), normalize_alef_maksura_ar),
    "teh": (dataclasses.replace(NONE, teh=True), normalize_teh_marbuta_ar),
}

_CONTROLS = regex.compile(
    "[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)
_HSPACE = regex.compile(r"[\t\x0b\x0c\p{Zs}]+")
_DIGITS_ASCII = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_DIGITS_ARABIC = str.maketrans("0123456789۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩")
_PUNCT_LATIN = str.maketrans("،؛؟", ",;?")
_PUNCT_ARABIC = str.maketrans(",;?", "،؛؟")


def reference(text: str, o: Options) -> str:
    """The chain written with camel-tools functions and the plainest code for the rest."""

    def once(t: str) -> str:
        if o.controls:
            t = _CONTROLS.sub("", t)
        if o.unicode:
            t = normalize_unicode(t)
        if o.arclean:
            t = ARCLEAN(t)
        if o.tatweel:
            t = t.replace("\u0640", "")
        if o.diacritics:
            t = dediac_ar(t)
        if o.alef:
            t = normalize_alef_ar(t)
        if o.maksura:
            t = normalize_alef_maksura_ar(t)
        if o.teh:
            t = normalize_teh_marbuta_ar(t)
        if o.digits != "keep":
            t = t.translate(_DIGITS_ASCII if o.digits == "ascii" else _DIGITS_ARABIC)
        if o.punct != "keep":
            t = t.translate(_PUNCT_LATIN if o.punct == "latin" else _PUNCT_ARABIC)
        if o.spaces:
            t = _HSPACE.sub(" ", t)
        return t

    for _ in range(4):
        text = once(text)
        if not o.unicode or normalize_unicode(text) == text:
            break
    return text


options_strategy = st.builds(
    Options,
    controls=st.booleans(), unicode=st.booleans(), arclean=st.booleans(),
    tatweel=st.booleans(), diacritics=st.booleans(), alef=st.booleans(),
    maksura=st.booleans(), teh=st.booleans(), digits=st.sampled_from(["keep", "ascii", "arabic"]),
    punct=st.sampled_from(["keep", "latin", "arabic"]), spaces=st.booleans(),
)


@pytest.mark.parametrize("step", sorted(CAMEL_STEPS))
@settings(max_examples=150, deadline=None)
@given(text=arabic_text)
def test_each_step_equals_camel_tools(step: str, text: str) -> None:
    options, camel = CAMEL_STEPS[step]
    assert normalize_text(text, options)[0] == camel(text)


@settings(max_examples=200, deadline=None)
@given(text=arabic_text, options=options_strategy)
def test_any_combination_equals_the_reference_chain(text: str, options: Options) -> None:
    assert normalize_text(text, options)[0] == reference(text, options)


def came_from(norm_char: str, orig_char: str, options: Options) -> bool:
    """Whether ``norm_char`` is what ``orig_char`` becomes (alone, or composed as a base)."""
    alone = normalize_text(orig_char, options)[0]
    return norm_char in alone or unicodedata.normalize("NFD", norm_char)[0] in alone


def check_map(text: str, options: Options) -> None:
    out, omap = normalize_text(text, options)
    record = {"text": out, "map": omap.to_json()}
    assert record["map"][-1] == [len(out), len(text)]
    assert to_original(record, len(out)) == len(text)
    last = 0
    for x, ch in enumerate(out):
        o = to_original(record, x)
        assert omap(x) == o
        assert 0 <= o < len(text), (x, o)
        assert o >= last, (x, o, last)  # the map never runs backwards
        last = o
        assert came_from(ch, text[o], options) or in_reordered_run(ch, text, o, options), (
            x, ch, o, text[o])


def in_reordered_run(mark: str, text: str, o: int, options: Options) -> bool:
    """Whether ``mark`` came from the run of combining marks around ``text[o]``: NFKC
    reorders a run's marks, and the map takes the run back to the run, in order. The
    run may hold characters the normalization deletes (a tatweel between two marks)."""
    if not unicodedata.combining(mark):
        return False

    def in_run(c: str) -> bool:
        return bool(unicodedata.combining(c)) or not normalize_text(c, options)[0]

    a, b = o, o + 1
    while a > 0 and in_run(text[a - 1]):
        a -= 1
    while b < len(text) and in_run(text[b]):
        b += 1
    return any(came_from(mark, text[p], options) for p in range(a, b))


@settings(max_examples=200, deadline=None)
@given(text=arabic_text, options=options_strategy)
def test_every_character_maps_back_to_where_it_came_from(text: str, options: Options) -> None:
    check_map(text, options)


@pytest.mark.parametrize("profile", sorted(PROFILES))
@settings(max_examples=100, deadline=None)
@given(text=arabic_text)
def test_profiles_map_back(profile: str, text: str) -> None:
    check_map(text, PROFILES[profile])


@settings(max_examples=200, deadline=None)
@given(text=arabic_text, options=options_strategy)
def test_normalizing_twice_changes_nothing(text: str, options: Options) -> None:
    if options.arclean:
        # camel-tools' arclean maps U+204B to a pilcrow it would itself delete.
        text = text.replace("\u204b", "")
    once = normalize_text(text, options)[0]
    assert normalize_text(once, options)[0] == once


def test_examples() -> None:
    text = "ﻻ\u00a0\u00a0بـــيـت «الْعَرَبِيَّةِ» إلى مدرسة ٣٫٥؟\u200f"
    assert normalize_text(text)[0] == "لا بيت «الْعَرَبِيَّةِ» إلى مدرسة ٣٫٥؟"
    assert normalize_text(text, PROFILES["search"])[0] == "لا بيت «العربيه» الي مدرسه 3٫5?"
    assert normalize_text(text, PROFILES["minimal"])[0] == "ﻻ بـــيـت «الْعَرَبِيَّةِ» إلى مدرسة ٣٫٥؟"


def test_offsets_of_a_found_word_show_the_original() -> None:
    text = "قال الوزيـــرُ  إنّ"
    article = normalize_article(Article(path="x", text=text), PROFILES["search"])
    norm = article.normalized
    assert norm["text"] == "قال الوزير ان"
    start = norm["text"].index("الوزير")
    s, e = span_to_original(norm, start, start + len("الوزير"))
    assert text[s:e] == "الوزيـــرُ"
    s, e = span_to_original(norm, 0, len(norm["text"]))
    assert (s, e) == (0, len(text))


def test_record_shape() -> None:
    article = normalize_article(Article(path="x", text="كتاب\u200f جديد"))
    assert article.normalized == {
        "text": "كتاب جديد",
        "map": [[0, 0], [4, 5], [9, 10]],
        "steps": ["controls", "unicode", "tatweel", "spaces"],
    }
    assert normalize_article(Article(path="x", text="")).normalized["map"] == [[0, 0]]
    unchanged = normalize_article(Article(path="x", text="abc"))
    assert unchanged.normalized["map"] == [[0, 0], [3, 3]]


def test_profiles_and_overrides() -> None:
    assert PROFILES["default"] == Options()
    search = PROFILES["search"]
    assert search.names() == [
        "controls", "unicode", "tatweel", "diacritics", "alef", "maksura", "teh",
        "digits:ascii", "punct:latin", "spaces",
    ]
    assert set(STEP_NAMES) >= {n.split(":")[0] for n in search.names()}
    tuned = profile_options("search", alef=False, digits="keep", teh=None)
    assert not tuned.alef and tuned.digits == "keep" and tuned.teh
    with pytest.raises(ValueError, match="unknown profile"):
        profile_options("nope")
    with pytest.raises(ValueError, match="digits"):
        Options(digits="roman")


def test_long_mark_runs() -> None:
    text = "\u064e\u064f\u0650\u0651\u0652" * 400
    out, omap = normalize_text(text)
    assert out == normalize_unicode(text)
    assert omap(len(out)) == len(text)
    # CPython sorts marks by insertion (quadratic): a long run is not compared against it
    long = text * 100
    out, omap = normalize_text(long)
    assert out == "".join(sorted(long, key=unicodedata.combining))
    # the reordered run maps back to the run, in order (a map that never runs backwards)
    assert [omap(x) for x in range(len(out) + 1)] == list(range(len(long) + 1))


def test_marks_nfkc_reorders_map_back_as_one_run() -> None:
    text = "ب \u0651\u064e"  # shadda typed before fatha: NFKC puts the fatha first
    out, omap = normalize_text(text)
    assert out == "ب \u064e\u0651"
    assert (omap(2), omap(4)) == (2, 4)  # the two marks map back to both, not one


def test_corpus_equals_camel_tools(corpus_files: list[Path]) -> None:
    texts = [p.read_text(encoding="utf-8") for p in corpus_files]
    search = PROFILES["search"]
    for step, (options, camel) in CAMEL_STEPS.items():
        for path, text in zip(corpus_files, texts, strict=True):
            assert normalize_text(text, options)[0] == camel(text), (step, path)
    for path, text in zip(corpus_files, texts, strict=True):
        out, omap = normalize_text(text, search)
        assert out == reference(text, search), path
        assert omap(len(out)) == len(text)


def test_cli_profile_and_switches() -> None:
    from click.testing import CliRunner

    from arnews_cli.cli import cli

    from .conftest import SEED

    args = ["--format", "jsonl", "-j1", "parse", str(SEED), "normalize", "--profile", "search",
            "--no-alef", "--digits", "keep", "--arclean"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    steps = record["normalized"]["steps"]
    assert "alef" not in steps and "arclean" in steps and "teh" in steps
    assert not any(s.startswith("digits") for s in steps)
    options = profile_options("search", alef=False, digits="keep", arclean=True)
    assert record["normalized"]["text"] == normalize_text(record["text"], options)[0]


def test_cli_help_table_matches_the_profiles() -> None:
    from arnews_cli.cli import cli

    doc = cli.commands["normalize"].help or ""
    for name in STEP_NAMES:
        row = next(line.split() for line in doc.splitlines() if line.split()[:1] == [name])
        values = [getattr(PROFILES[p], name) for p in ("minimal", "default", "search")]
        shown = ["on" if v is True else "-" if v is False else v for v in values]
        assert row[1:] == shown, name


def test_normalizing_again_drops_tokens_of_the_old_normalized_text() -> None:
    from arnews_cli.article import Article
    from arnews_cli.steps.normalize import normalize_article, profile_options
    from arnews_cli.steps.tokenize import tokenize_article

    article = Article(path="p", text="قالَ الوزيرُ إنّ الإجتماعَ إنتهى.")
    on_text = tokenize_article(normalize_article(article), on="text")
    on_norm = tokenize_article(normalize_article(article))
    assert on_norm.tokens["on"] == "normalized"
    search = profile_options("search")
    assert normalize_article(on_norm, search).tokens is None  # their nstart/nend are gone
    assert normalize_article(on_text, search).tokens == on_text.tokens
    assert normalize_article(on_norm, search).sentences == on_norm.sentences


@pytest.mark.parametrize("marks", [4, 5, 9])
def test_a_run_of_hamzas_on_an_alef_normalizes_in_one_go(marks: int) -> None:
    # each round NFKC composes one of them with the alef and the alef step undoes it
    text = "قال ا" + "\u0654" * marks + " الوزير"
    once = normalize_text(text, profile_options("search"))[0]
    assert unicodedata.is_normalized("NFKC", once)
    assert normalize_text(once, profile_options("search"))[0] == once
