"""The cue lexicon: every written form of the verbs and phrases that attribute speech.

The forms are data (``data/cues.tsv``), generated from the lemma table
``data/cue_lemmas.tsv`` by :mod:`arnews_cli.steps.cue_forms`. Lookup is one dictionary
probe per word, on a folded key (no diacritics or tatweel, one alef), so a cue costs
nothing more than the word split that finds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

FORMS = Path(__file__).resolve().parent.parent / "data" / "cues.tsv"

_DROPPED = [*range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE),
            0x0640]
TATWEEL = "\u0640"
_ALEFS = "أإآٱ"
# The stdlib re, not regex: a plain class below U+10000 is a bitmap test there. One
# search finds the (few) texts that have marks at all; str.replace unifies the alefs.
# Both are C loops, about 10x faster than str.translate, which looks up every Arabic
# character in a dict.
_MARKS = re.compile("[" + "".join(map(chr, _DROPPED)) + "]")


def _alef(text: str) -> str:
    for a in _ALEFS:
        if a in text:
            text = text.replace(a, "ا")
    return text


def fold(word: str) -> str:
    """The lookup key of a word: no diacritics or tatweel, alef variants as bare alef."""
    if _MARKS.search(word):
        word = _MARKS.sub("", word)
    return _alef(word)


def fold_in_place(text: str) -> str:
    """:func:`fold` keeping every offset: a removed mark becomes a tatweel, a letter like
    the word characters it replaces (so words split where they did), and ``fold`` of a
    slice is the slice with its tatweels removed."""
    if _MARKS.search(text):
        text = _MARKS.sub(TATWEEL, text)
    return _alef(text)


@dataclass(frozen=True, slots=True)
class Cue:
    """One written form of a cue and what it tells about its subject and complement."""

    form: str
    lemma: str
    aspect: str  # perf | imperf | part | prep | noun
    gender: str  # m | f | -
    number: str  # s | d | p | -
    comp: frozenset[str]  # t c n and prepositions (see cue_lemmas.tsv)
    flags: str  # x r p d or -
    conj: str  # the clitic conjunction the form carries (و ف ل ول فل) or ""

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.form.split(" "))

    @property
    def keys(self) -> list[str]:
        """The folded words of the form, as :func:`lookup` compares them."""
        return _keys(self.form)

    @property
    def says(self) -> bool:
        """Takes an أن/إن clause, a colon or a quotation."""
        return "t" in self.comp or "c" in self.comp

    @property
    def np(self) -> bool:
        """Takes a noun phrase object (نفى الاتهامات)."""
        return "n" in self.comp

    @property
    def preps(self) -> tuple[str, ...]:
        """Prepositions that open its complement (ندد بـ، أشار إلى)."""
        return _preps(self.comp)

    def has_flag(self, flag: str) -> bool:
        return flag in self.flags


@lru_cache(maxsize=1)
def lexicon() -> dict[str, tuple[Cue, ...]]:
    """Folded first word -> the cues (single or multi-word) that start with it."""
    table: dict[str, list[Cue]] = {}
    for raw in FORMS.read_text(encoding="utf-8").splitlines():
        if not raw or raw.startswith("#"):
            continue
        form, lemma, aspect, gender, number, comp, flags, conj = raw.split("\t")
        parts = frozenset() if comp == "-" else frozenset(comp.split(","))
        cue = Cue(form, lemma, aspect, gender, number, parts,
                  "" if flags == "-" else flags, "" if conj == "-" else conj)
        table.setdefault(fold(form.split(" ")[0]), []).append(cue)
    return {k: tuple(sorted(v, key=lambda c: -len(c.words))) for k, v in table.items()}


_COMMON = frozenset(["في", "على", "عن", "من"])


@lru_cache(maxsize=1)
def gate_words() -> frozenset[str]:
    """Folded words whose presence lets a sentence hold a cue: every one-word form but the
    strict ones, and for a phrase (نقلا عن، على حد) its least common word, so that a
    sentence without any of them can be skipped before it is split into words."""
    out: set[str] = set()
    for cues in lexicon().values():
        for cue in cues:
            if cue.has_flag("s"):
                continue  # only where a clause opens: see strict_words
            words = [fold(w) for w in cue.words]
            rare = [w for w in words
                    if w not in _COMMON and not (w[:1] in "وف" and w[1:] in _COMMON)] or words
            out.add(rare[0])
    return frozenset(out)


@lru_cache(maxsize=1)
def strict_words() -> frozenset[str]:
    """Folded one-word cues that are mostly another word (بين، وعبر): a cue only where a
    clause opens, so they let a sentence through only there, not in :func:`gate_words`."""
    return frozenset(fold(c.form) for cues in lexicon().values() for c in cues
                     if c.has_flag("s"))


@lru_cache(maxsize=1)
def strict_stems() -> tuple[str, ...]:
    """The bare forms (بين، عبر), one of which every one of :func:`strict_words` holds: a
    text holding none of them holds no strict cue."""
    return tuple(sorted({fold(c.form)[len(c.conj):] for cues in lexicon().values()
                         for c in cues if c.has_flag("s")}))


def lookup(words: list[str], i: int) -> tuple[Cue, int] | None:
    """The cue starting at ``words[i]`` (folded words) and how many words it spans."""
    found = lexicon().get(words[i])
    if not found:
        return None
    for cue in found:
        keys = cue.keys
        n = len(keys)
        if n == 1 or words[i : i + n] == keys:
            return cue, n
    return None


@cache
def _preps(comp: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(fold(c) for c in comp if len(c) > 1 or c in "بل"))


@cache
def _keys(form: str) -> list[str]:
    return [fold(w) for w in form.split(" ")]
