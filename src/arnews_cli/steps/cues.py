"""The cue lexicon: every written form of the verbs and phrases that attribute speech.

The forms are data (``data/cues.tsv``), generated from the lemma table
``data/cue_lemmas.tsv`` by :mod:`arnews_cli.steps.cue_forms`. Lookup is one dictionary
probe per word, on a folded key (no diacritics or tatweel, one alef), so a cue costs
nothing more than the word split that finds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex

FORMS = Path(__file__).resolve().parent.parent / "data" / "cues.tsv"

_MARKS = regex.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"})


def fold(word: str) -> str:
    """The lookup key of a word: no diacritics or tatweel, alef variants as bare alef."""
    return _MARKS.sub("", word).translate(_ALEF)


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
        return tuple(sorted(fold(c) for c in self.comp if len(c) > 1 or c in "بل"))

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


def lookup(words: list[str], i: int) -> tuple[Cue, int] | None:
    """The cue starting at ``words[i]`` (folded words) and how many words it spans."""
    found = lexicon().get(words[i])
    if not found:
        return None
    for cue in found:
        parts = [fold(w) for w in cue.words]
        n = len(parts)
        if words[i : i + n] == parts:
            return cue, n
    return None
