"""Name lists for source detection: agencies, outlets, institutions, titles, countries.

The lists are data files under ``arnews_cli/data`` (one entry per line, ``#`` comments).
Everything is compared on *folded* tokens (:func:`fold`): diacritics and tatweel removed,
alef/hamza forms unified, teh marbuta as heh, alef maqsura as yeh, and Latin lowercased, so
``وكالة الأنباء`` matches ``وكالة الانباء``. Clitic prefixes (و ف ب ل ك, and لل for ال) are
tried on a token's left edge by :func:`variants`.

The per-word functions (:func:`variants`, :func:`bare`, :func:`fold_word`,
:meth:`Gazetteer.starting`) are memoized: an article's words repeat across a collection,
so each distinct word is analysed once per process.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, KeysView
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import TypeVar

import regex

from arnews_cli.steps import charsets as cs

_DIACRITICS = "\u0610\u0611\u0612\u0613\u0614\u0615\u0616\u0617\u0618\u0619\u061a" + "".join(
    chr(c) for c in [*range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE), 0x0640]
)
_FOLD = str.maketrans(
    {
        **{c: None for c in _DIACRITICS},
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ة": "ه",
        "ؤ": "ء",
        "ئ": "ء",
        "ک": "ك",
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
    }
)
TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:\.[\p{L}\p{N}]+)*")
"""A word: letters, marks and digits (``_`` and ``#`` separate hashtag words)."""
_TOKEN_SPLIT = regex.compile(f"({TOKEN.pattern})")
ASTRAL = regex.compile("[\U00010000-\U0010ffff]")
"""A character above U+FFFF (``regex`` looks for a range of code points 2-4x faster than ``re``)."""


def split_words(text: str) -> list[str]:
    """``text`` split around its words (:data:`TOKEN`): gap, word, gap, …, word, gap.

    The running lengths of the pieces are the words' offsets, so no match object is
    made per word.
    """
    if ASTRAL.search(text) is None:
        return bmp_token_split().split(text)
    return _TOKEN_SPLIT.split(text)


@cache
def bmp_token_split() -> re.Pattern[str]:
    """:data:`TOKEN` with one group, for text without characters above U+FFFF.

    The stdlib ``re`` splits with explicit classes about 1.4x faster than ``regex`` with
    ``\\p{L}\\p{M}\\p{N}``; the classes are generated from ``regex`` itself
    (:mod:`charsets`), so the two agree on every character below U+10000.
    """
    return re.compile(f"([{cs.LMN_BMP}]+(?:\\.[{cs.LN_BMP}]+)*)")


def fold(text: str) -> str:
    """The matching form of ``text`` (see the module docstring); pure and cheap."""
    return text.translate(_FOLD).lower().replace("اميرك", "امريك")


TATWEEL = "\u0640"
SUKUN = "\u0652"
_IN_WORD_MARKS = tuple(
    (c, TATWEEL if regex.match(r"\p{L}", c) else SUKUN)
    for c in _DIACRITICS
    if regex.match(r"[\p{L}\p{M}]", c) and c not in (TATWEEL, SUKUN)
)
"""The characters :func:`fold` removes that can be part of a word (not U+06DD …), each
with the one it becomes in :func:`fold_in_place`: a letter for a letter (tatweel), a
mark for a mark (sukun), as only letters and digits may follow a dot in a word."""
_MAPPED = tuple((chr(c), v) for c, v in _FOLD.items() if v is not None)


def fold_in_place(text: str) -> str | None:
    """:func:`fold` of every word of ``text`` at once, keeping every offset.

    The text keeps its length and each word character stays a word character, so the
    result splits into words (:func:`split_words`) where ``text`` does. A removed mark
    becomes a tatweel or a sukun instead: a word holding one of these must be folded on
    its own. ``None``
    when lowering the text changes its length (İ) or depends on context (Σ).
    """
    if "\u0130" in text or "\u03a3" in text:
        return None
    # one `in` and, if found, one str.replace per character: C loops over the text, where
    # str.translate or a regex class test each Arabic character far more slowly
    for mark, kept in _IN_WORD_MARKS:
        if mark in text:
            text = text.replace(mark, kept)
    for char, folded in _MAPPED:
        if char in text:
            text = text.replace(char, folded)
    return text.lower().replace("اميرك", "امريك")


_WORD_CACHE = 1 << 17
"""Distinct words a :class:`WordMemo` holds (a corpus of 1,700 articles has ~80,000)."""
_LONGEST_WORD = 64
_T = TypeVar("_T")


class WordMemo(dict[str, _T]):
    """The values of a pure function of a word, computed once per distinct word.

    Look words up with ``memo[word]`` or the bound ``memo.__getitem__``, which run in C
    when the word is known (a plain dict is several times cheaper than ``lru_cache``
    here). A vocabulary keeps growing over a corpus, so the memo starts over when it
    holds ``limit`` words; strings longer than any word (run-together or junk text)
    are computed but not kept.
    """

    __slots__ = ("fn", "limit")

    def __init__(self, fn: Callable[[str], _T], limit: int = _WORD_CACHE) -> None:
        super().__init__()
        self.fn = fn
        self.limit = limit

    def __missing__(self, word: str) -> _T:
        value = self.fn(word)
        if len(word) <= _LONGEST_WORD:
            if len(self) >= self.limit:
                self.clear()
            self[word] = value
        return value


def per_word(fn: Callable[[str], _T]) -> Callable[[str], _T]:
    """Decorator: ``fn``, a pure function of a word, memoized in a :class:`WordMemo`."""
    return WordMemo(fn).__getitem__


_CLITICS = frozenset("وفبلك")


@per_word
def variants(token: str) -> tuple[str, ...]:
    """``token`` (folded) and the forms left after removing proclitics, longest first."""
    if len(token) < 3 or token[0] not in _CLITICS:
        return (token,)  # most words: nothing to remove
    out = [token]
    rest = token
    for prefixes in ("وف", "بلك"):
        if len(rest) > 2 and rest[0] in prefixes:
            rest = rest[1:]
            if rest not in out:
                out.append(rest)
            if prefixes == "بلك" and token[len(token) - len(rest) - 1] == "ل" and rest[0] == "ل":
                form = "ا" + rest  # لل + noun = ل + ال + noun
                if form not in out:
                    out.append(form)
    return tuple(out)


@per_word
def bare(token: str) -> str:
    """A folded token without the article ``ال`` and the clitics glued before it.

    Other proclitics are left alone (``بيان`` is not ``ب`` + ``يان``); the word lists try
    every form from :func:`variants` themselves.
    """
    for form in variants(token):
        if form.startswith("ال") and len(form) > 3:
            return form[2:]
    return token


def _fold_word(word: str) -> str:
    folded = fold(word)
    # most words are already folded: keep one string, not an equal copy (a smaller memo)
    return word if folded == word else folded


fold_word = per_word(_fold_word)
""":func:`fold` of one word, memoized."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer entity: its display name, type and whether a variant is ambiguous."""

    name: str
    type: str
    strict: bool


@dataclass(frozen=True, slots=True)
class Match:
    """A gazetteer hit over tokens ``[first, last)`` of a token list."""

    entry: Entry
    first: int
    last: int


class Gazetteer:
    """Multi-token names indexed by their first folded token."""

    def __init__(self) -> None:
        self._index: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
        self._starting = WordMemo(self._find_starting)

    def add(self, phrase: str, entry: Entry) -> None:
        toks = tuple(fold(t) for t in TOKEN.findall(phrase))
        if toks:
            self._index.setdefault(toks[0], []).append((toks, entry))
            self._starting.clear()

    def starting(self, token: str) -> tuple[tuple[int, dict[tuple[str, ...], Entry]], ...]:
        """The entries that can start at ``token`` (any form from :func:`variants`) by
        length, longest first: ``(length, {following tokens: entry})``. Of entries with
        the same words, the first listed (for the longest form of ``token``) is kept."""
        return self._starting[token]

    def _find_starting(self, token: str) -> tuple[tuple[int, dict[tuple[str, ...], Entry]], ...]:
        by_length: dict[int, dict[tuple[str, ...], Entry]] = {}
        for form in variants(token):
            for toks, entry in self._index.get(form, ()):
                by_length.setdefault(len(toks), {}).setdefault(toks[1:], entry)
        return tuple(sorted(by_length.items(), reverse=True))

    def match_at(self, tokens: list[str], i: int) -> Match | None:
        """The longest entry starting at token ``i`` (clitics allowed on that token)."""
        # one dict look-up per entry length, not a comparison per entry (وكالة starts 70)
        for n, entries in self._starting[tokens[i]]:
            entry = entries.get(tuple(tokens[i + 1 : i + n]))
            if entry is not None:
                return Match(entry, i, i + n)
        return None

    def first_tokens(self) -> KeysView[str]:
        """The folded first tokens of the entries (a word can start an entry only if one of
        its :func:`variants` is among them)."""
        return self._index.keys()

    def entries(self, first: str) -> list[tuple[tuple[str, ...], Entry]]:
        """The entries whose first folded token is exactly ``first``."""
        return self._index.get(first, [])

    def find(self, tokens: list[str]) -> Iterator[Match]:
        """Non-overlapping longest matches, left to right."""
        i = 0
        while i < len(tokens):
            m = self.match_at(tokens, i)
            if m is None:
                i += 1
            else:
                yield m
                i = m.last


def _lines(name: str) -> Iterator[str]:
    text = resources.files("arnews_cli.data").joinpath(name).read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


@lru_cache(maxsize=1)
def media() -> Gazetteer:
    """Agencies and outlets from ``agencies.tsv`` and ``outlets.tsv``."""
    gaz = Gazetteer()
    for file, kind in (("agencies.tsv", "agency"), ("outlets.tsv", "outlet")):
        for line in _lines(file):
            name, _, rest = line.partition("\t")
            for variant in (rest or name).split("|"):
                strict = variant.startswith("~")
                gaz.add(variant.lstrip("~"), Entry(name, kind, strict))
    return gaz


@cache
def word_list(name: str) -> Gazetteer:
    """A one-column list (``titles.txt``, ``institutions.txt`` …) as a gazetteer."""
    gaz = Gazetteer()
    kind = name.rsplit(".", 1)[0]
    for line in _lines(name):
        gaz.add(line, Entry(line, kind, False))
        toks = TOKEN.findall(line)
        if toks and fold(toks[0]).startswith("ال") and len(toks[0]) > 3:
            gaz.add(" ".join([toks[0][2:], *toks[1:]]), Entry(line, kind, False))
        elif toks:
            gaz.add(" ".join(["ال" + toks[0], *toks[1:]]), Entry(line, kind, False))
    return gaz
