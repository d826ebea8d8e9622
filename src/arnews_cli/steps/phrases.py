"""An article's words with offsets, and a small noun-phrase chunker for source names.

:class:`Words` tokenizes the text once (folded forms beside the original offsets) so the
source finders can match word sequences instead of regexes over raw text. :meth:`Words.np`
takes the noun phrase that starts at a word: it runs until punctuation, a function word
that cannot continue a name (أن، على، عن، الذي، لم …), a weekday or time word, or a
length limit.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from functools import cached_property
from itertools import accumulate, compress
from typing import ClassVar

import regex

from arnews_cli.steps.gazetteer import (
    WordMemo,
    bare,
    fold_word,
    media,
    per_word,
    split_words,
    variants,
    word_list,
)

_BREAK = regex.compile(r"[،,.:؛;؟?!\n\r…]|\s[-–—]\s")
_OPEN = regex.compile(r"[«“]|(?<=\s)\"|^\"")
_CLOSE = regex.compile(r"[»”\"]")
_SENTENCE = regex.compile(r"[.!؟?\n]+(?:[\"'»”’)\]]*)\s*")
STOP = {
    "ان", "انه", "انها", "انهم", "بان", "بانه", "بانها", "الي", "علي", "عن", "حول", "بشان",
    "بخصوص", "حتي", "بعد", "قبل", "خلال", "منذ", "امس", "اليوم", "غدا", "الاثنين",
    "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت", "الاحد", "صباح", "مساء", "لم",
    "لن", "لا", "قد", "ما", "كما", "الذي", "التي", "الذين", "اللذين", "هذا", "هذه", "ذلك",
    "تلك", "وهو", "وهي", "فان", "الا", "اذا", "حين", "عندما", "بينما", "ضد", "عبر", "امام",
    "وسط", "نحو", "جراء", "ازاء", "فيما", "حيث", "اثناء", "بسبب", "لان", "كان", "كانت",
    "قال", "قالت", "اضاف", "اضافت", "اكد", "اكدت", "للتعليق", "التعليق", "لطلب", "طلب",
    "فورا", "بعدما", "ايضا", "الان", "مؤخرا", "سابقا", "الاسبوع", "الشهر",
    "العام", "هناك", "هنا", "او", "بل", "لكن", "لكنه", "لكنها", "ثم", "اي", "وان", "وقد",
    "فقد", "لقد", "مما", "يوم", "ليله", "تعليق", "رد", "اسءله", "سؤال", "اتصالات",
    "رساله", "رسايل", "الخبر", "عليه", "عليها",
}  # fmt: skip
_KEEP_PREPOSITIONS = {"في", "لدي", "باسم", "من"}


class Words:
    """The words of ``text`` with their offsets and folded forms.

    The source finders look for a few dozen trigger words each; instead of testing
    every word, they ask :meth:`members` for the words of a :class:`WordClass`.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        pieces = split_words(text)  # gap, word, gap, …, gap
        bounds = list(accumulate(map(len, pieces)))
        self.starts: list[int] = bounds[:-1:2]
        self.ends: list[int] = bounds[1::2]
        self.folded: list[str] = list(map(_FOLDED.__getitem__, pieces[1::2]))
        self._epoch = _FOLDED.epoch
        self._members: dict[int, list[int]] | None = None

    def __len__(self) -> int:
        return len(self.starts)

    @cached_property
    def sentences(self) -> list[int]:
        """Where each sentence ends (character offsets)."""
        return [m.end() for m in _SENTENCE.finditer(self.text)]

    def index_at(self, offset: int) -> int:
        """The index of the first word that ends after ``offset``."""
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and self.ends[i] > offset:
            return i
        return i + 1

    def range_of(self, start: int, end: int) -> tuple[int, int]:
        """Word indices ``[i, j)`` covering the characters ``[start, end)``."""
        i = self.index_at(start)
        return i, bisect.bisect_left(self.starts, end, i)

    def sentence_of(self, offset: int) -> tuple[int, int]:
        """Character bounds of the sentence holding ``offset``."""
        k = bisect.bisect_right(self.sentences, offset)
        start = self.sentences[k - 1] if k else 0
        end = self.sentences[k] if k < len(self.sentences) else len(self.text)
        return start, end

    def broken(self, i: int) -> bool:
        """True when punctuation separates word ``i - 1`` from word ``i``.

        An opening quotation mark breaks too unless it closes again within a few words
        (a quoted name such as ``"تاس"``, not quoted speech).
        """
        if i <= 0 or i >= len(self.starts):
            return True
        gap = self.text[self.ends[i - 1] : self.starts[i]]
        if gap == " ":
            return False  # the usual gap: neither pattern below can match one space
        if _BREAK.search(gap):
            return True
        opening = _OPEN.search(gap)
        if opening:
            close = _CLOSE.search(self.text, self.starts[i], self.starts[i] + 40)
            return close is None
        return False

    def np(self, i: int, limit: int = 8, keep_in: bool = False) -> tuple[int, int]:
        """Word indices ``[i, j)`` of the noun phrase starting at word ``i``."""
        j = i
        while j < len(self.starts) and j - i < limit:
            if j > i and self.broken(j):
                break
            b = bare(self.folded[j])
            if j > i and (self.folded[j] in STOP or b in STOP) and not (
                self.folded[j] == "عن" and bare(self.folded[j - 1]).startswith("صادر")
            ):  # بيان صادر عن الوزارة
                break
            if j > i and self.folded[j] in _KEEP_PREPOSITIONS and not keep_in:
                if self.folded[j] != "باسم" and self.folded[j] != "لدي":
                    break
            if j > i and self.conjoined(j):
                break
            j += 1
        return i, j

    def conjoined(self, j: int) -> bool:
        """Is word ``j`` a conjunction و glued to the start of a new source name?"""
        t = self.folded[j]
        if not t.startswith("و") or len(t) < 4:
            return False
        window = self.folded[j : j + 4]
        if word_itself(t):
            return False  # وزارة، وكالة: the و is part of the word
        return starts_source([t[1:], *window[1:]], 0)

    def char_span(self, i: int, j: int) -> tuple[int, int]:
        return self.starts[i], self.ends[j - 1]

    def find(self, words: set[str], start: int = 0, end: int | None = None) -> Iterator[int]:
        """Indices of words one of whose clitic forms is in ``words``."""
        stop = len(self.folded) if end is None else min(end, len(self.folded))
        for k in range(start, stop):
            if any(f in words for f in variants(self.folded[k])):
                yield k

    def has(self, k: int, forms: AbstractSet[str]) -> bool:
        """Is one of the clitic forms of word ``k`` (a valid index) in ``forms``?"""
        return not forms.isdisjoint(variants(self.folded[k]))

    def members(self, cls: WordClass) -> Sequence[int]:
        """Indices, in order, of the words of class ``cls``."""
        if self._members is None:
            members: dict[int, list[int]] = {}
            self._members = members
            folded = self.folded
            if self._epoch == _FOLDED.epoch:
                classed = _FOLDED.classed
            else:  # the classes changed since these words were read
                classed = {w: b for w in set(folded) if (b := _bits(_word_classes(w)))}
            for k in compress(range(len(folded)), map(classed.__contains__, folded)):
                for bit in classed[folded[k]]:
                    members.setdefault(bit, []).append(k)
        return self._members.get(cls.bit, _NONE)


_NONE: list[int] = []


class WordClass:
    """Words that can open a pattern: those with a clitic form in ``forms``, or passing
    ``test`` (a pure function of a folded word).

    ``forms`` may be a function giving the set, called when the first word is classed (so
    a word list loads only when needed). All classes are worked out together, once per
    distinct word (:func:`_word_classes`, one bit per class), so an article's words are
    classed by one look-up each and :meth:`Words.members` lists the few in any class.
    Create classes at import time.
    """

    _form_bits: ClassVar[dict[str, int]] = {}
    _pending: ClassVar[list[tuple[int, Callable[[], Iterable[str]]]]] = []
    _tests: ClassVar[list[tuple[int, Callable[[str], bool]]]] = []
    _count: ClassVar[int] = 0

    def __init__(
        self,
        forms: Iterable[str] | Callable[[], Iterable[str]] = (),
        test: Callable[[str], bool] | None = None,
    ) -> None:
        self.bit = 1 << WordClass._count
        WordClass._count += 1
        if callable(forms):
            WordClass._pending.append((self.bit, forms))
        else:
            WordClass._add_forms(self.bit, forms)
        if test is not None:
            WordClass._tests.append((self.bit, test))
        _FOLDED.reset()

    @staticmethod
    def _add_forms(bit: int, forms: Iterable[str]) -> None:
        for form in forms:
            WordClass._form_bits[form] = WordClass._form_bits.get(form, 0) | bit


def _word_classes(tok: str) -> int:
    """The bits of the :class:`WordClass` classes that folded word ``tok`` belongs to."""
    while WordClass._pending:
        bit, forms = WordClass._pending[-1]
        WordClass._add_forms(bit, forms())
        WordClass._pending.pop()
    bits = 0
    form_bits = WordClass._form_bits
    for form in variants(tok):
        bits |= form_bits.get(form, 0)
    for bit, test in WordClass._tests:
        if not bits & bit and test(tok):
            bits |= bit
    return bits


def _bits(bits: int) -> tuple[int, ...]:
    """The single bits of ``bits``, lowest first."""
    out = []
    while bits:
        out.append(bits & -bits)
        bits &= bits - 1
    return tuple(out)


class _FoldedWords(WordMemo[str]):
    """:func:`fold_word` of an article's words that notes, once per distinct word, the
    classes of its folded form in ``classed`` (as single bits).

    ``classed`` holds only the words in a class (a few thousand), so looking every word
    of an article up in it stays in the processor cache, unlike a memo of every word.
    :meth:`reset` starts over (a new class, or too many words); :class:`Words` read
    before a reset class their words themselves.
    """

    __slots__ = ("classed", "epoch")

    def __init__(self) -> None:
        super().__init__(self._fold)
        self.classed: dict[str, tuple[int, ...]] = {}
        self.epoch = 0

    def _fold(self, word: str) -> str:
        folded = fold_word(word)
        bits = _bits(_word_classes(folded))
        if bits:
            if len(self.classed) >= self.limit:
                self.reset()
            self.classed[folded] = bits
        return folded

    def reset(self) -> None:
        self.clear()
        self.classed.clear()
        self.epoch += 1


_FOLDED = _FoldedWords()


def starts_source(toks: list[str], j: int, clitics: bool = True) -> bool:
    """Does word ``j`` open a source name (a title, an institution, a state, media …)?

    With ``clitics=False`` only the word as written counts (no و/ب/ل removed).
    """
    if not clitics and toks[j][:1] in ("و", "ب", "ل", "ف"):
        return word_itself(toks[j])
    for lst in ("titles.txt", "institutions.txt", "anonymous.txt", "countries.txt",
                "documents.txt"):  # fmt: skip
        if word_list(lst).match_at(toks, j):
            return True
    m = media().match_at(toks, j)
    if m is not None and not m.entry.strict:
        return True
    from arnews_cli.steps.counts import number_word

    return bare(toks[j]) in _MEDIA_WORDS or number_word(toks[j]) not in (False, None)


_MEDIA_WORDS = {"صحيفه", "قناه", "موقع", "وكاله", "مجله", "اذاعه", "صحف", "وساءل"}


@per_word
def word_itself(tok: str) -> bool:
    """Is ``tok`` as written (no clitic removed) a listed word?"""
    if tok in _MEDIA_WORDS:
        return True
    for lst in ("titles.txt", "institutions.txt", "anonymous.txt", "countries.txt",
                "documents.txt"):  # fmt: skip
        for toks, _ in word_list(lst).entries(tok):
            if len(toks) == 1:
                return True
    return any(len(toks) == 1 for toks, _ in media().entries(tok))
