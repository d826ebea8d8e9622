"""An article's words with offsets, and a small noun-phrase chunker for source names.

:class:`Words` tokenizes the text once (folded forms beside the original offsets) so the
source finders can match word sequences instead of regexes over raw text. :meth:`Words.np`
takes the noun phrase that starts at a word: it runs until punctuation, a function word
that cannot continue a name (أن، على، عن، الذي، لم …), a weekday or time word, or a
length limit.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from itertools import accumulate, compress
from typing import ClassVar

import regex

from arnews_cli.steps.gazetteer import (
    SUKUN,
    TATWEEL,
    WordMemo,
    bare,
    fold_in_place,
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
_SENTENCE_MARK = re.compile(r"[.!؟?\n]")
"""What starts a :data:`_SENTENCE` end."""
_SHORT_GAP = 2000  # characters: longer gaps between words use Words._marks
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
        # fold the whole text once and split that: no look-up per word
        folded_text = fold_in_place(text)
        pieces = split_words(text if folded_text is None else folded_text)  # gap, word, …
        bounds = list(accumulate(map(len, pieces)))
        self.starts: list[int] = bounds[:-1:2]
        self.ends: list[int] = bounds[1::2]
        folded: list[str] = pieces[1::2]
        self._folded_text = folded_text
        self._refolded: Sequence[int] = ()
        """Words folded on their own (they held a mark), or all when the text could not be."""
        if folded_text is None:
            folded[:] = map(fold_word, folded)
            self._refolded = range(len(folded))
        elif TATWEEL in folded_text or SUKUN in folded_text:
            self._refolded = self._refold(folded, folded_text)
        self.folded = folded
        self._members: dict[int, list[int]] | None = None
        self._marks: list[int] | None = None  # see same_sentence
        self._sentences: list[int] | None = None

    def _refold(self, folded: list[str], folded_text: str) -> list[int]:
        """Fold the words holding a tatweel or sukun (a removed mark) on their own; their
        indices, in order."""
        out: set[int] = set()
        starts, ends = self.starts, self.ends
        for mark in (TATWEEL, SUKUN):
            pos = folded_text.find(mark)
            while pos != -1:  # a mark or a letter: always inside a word
                k = bisect.bisect_right(starts, pos) - 1
                if k not in out:
                    folded[k] = _unmarked(folded_text[starts[k] : ends[k]])
                    out.add(k)
                pos = folded_text.find(mark, ends[k])
        return sorted(out)

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def sentences(self) -> list[int]:
        """Where each sentence ends (character offsets), found once. (Not a
        ``cached_property``: a class compiled with mypyc has no ``__dict__`` to cache it
        in, and every call would scan the whole text again.)"""
        if self._sentences is None:
            self._sentences = [m.end() for m in _SENTENCE.finditer(self.text)]
        return self._sentences

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

    def same_sentence(self, i: int, k: int) -> bool:
        """Are words ``i`` and ``k`` (``i < k``) in one sentence (:attr:`sentences`)?

        A sentence end starts with one of ``.!؟?`` or a newline and takes no word
        character after it, so one falls between the two words exactly when the text
        between them holds one of these: a search there, not over the whole text. A long
        stretch (a sentence that never ends, asked about again and again) is looked up
        among the marks of the whole text instead, found once.
        """
        a, b = self.ends[i], self.starts[k]
        if b - a <= _SHORT_GAP:
            return _SENTENCE_MARK.search(self.text, a, b) is None
        marks = self._marks
        if marks is None:  # every mark's offset, found once (see sentences)
            marks = self._marks = [m.start() for m in _SENTENCE_MARK.finditer(self.text)]
        p = bisect.bisect_left(marks, a)
        return p == len(marks) or marks[p] >= b

    def sentence_of(self, offset: int) -> tuple[int, int]:
        """Character bounds of the sentence holding ``offset``."""
        ends = self.sentences
        k = bisect.bisect_right(ends, offset)
        start = ends[k - 1] if k else 0
        end = ends[k] if k < len(ends) else len(self.text)
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
            bits_of = _CLASSES.bits
            for k in _CLASSES.candidates(self):
                for bit in bits_of[folded[k]]:
                    members.setdefault(bit, []).append(k)
        return self._members.get(cls.bit, _NONE)


_NONE: list[int] = []


def _unmarked(word: str) -> str:
    """:func:`fold` of a word from :func:`fold_in_place` that held a mark: it is the word
    without its tatweels and sukuns (folded already), spelt again where removing them
    joined اميرك (which cannot overlap itself, so replacing twice equals once)."""
    return word.replace(TATWEEL, "").replace(SUKUN, "").replace("اميرك", "امريك")


class WordClass:
    """Words that can open a pattern: those with a clitic form in ``forms``, or passing
    ``test`` (a pure function of a folded word).

    ``forms`` may be a function giving the set, called when the first word is classed (so
    a word list loads only when needed). ``test`` must be false for a word that is not
    one of ``words`` and holds none of ``needles`` (pieces of words). All classes are
    worked out together, once per distinct word that can be in one (:func:`_word_classes`,
    one bit per class), so :meth:`Words.members` lists the few in any class without
    testing every word.
    Create classes at import time.
    """

    _form_bits: ClassVar[dict[str, int]] = {}
    _pending: ClassVar[list[tuple[int, Callable[[], Iterable[str]]]]] = []
    _tests: ClassVar[list[tuple[int, Callable[[str], bool]]]] = []
    _needles: ClassVar[set[str]] = set()
    _test_words: ClassVar[set[str]] = set()
    _count: ClassVar[int] = 0

    def __init__(
        self,
        forms: Iterable[str] | Callable[[], Iterable[str]] = (),
        test: Callable[[str], bool] | None = None,
        words: Iterable[str] = (),
        needles: Iterable[str] = (),
    ) -> None:
        self.bit = 1 << WordClass._count
        WordClass._count += 1
        if callable(forms):
            WordClass._pending.append((self.bit, forms))
        else:
            WordClass._add_forms(self.bit, forms)
        if test is not None:
            needles, words = set(needles), set(words)
            if not (needles or words) or not all(needles):
                raise ValueError("a class with a test needs the words it can pass")
            WordClass._tests.append((self.bit, test))
            WordClass._needles |= needles
            WordClass._test_words |= words
        _CLASSES.reset()

    @staticmethod
    def _add_forms(bit: int, forms: Iterable[str]) -> None:
        for form in forms:
            WordClass._form_bits[form] = WordClass._form_bits.get(form, 0) | bit


def _load_forms() -> None:
    """Read the forms of the classes given as a function."""
    while WordClass._pending:
        bit, forms = WordClass._pending[-1]
        WordClass._add_forms(bit, forms())
        WordClass._pending.pop()


def _word_classes(tok: str) -> int:
    """The bits of the :class:`WordClass` classes that folded word ``tok`` belongs to."""
    _load_forms()
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


def clitic_words(forms: Iterable[str]) -> frozenset[str]:
    """Every word that may have one of ``forms`` among its :func:`variants`: the form
    with و/ف and then ب/ل/ك glued before it (a superset: the lengths are not checked)."""
    out: set[str] = set()
    for form in forms:
        for first in ("", "و", "ف"):
            out.update(first + second + form for second in ("", "ب", "ل", "ك"))
            if form.startswith("ا"):
                out.add(first + "ل" + form[1:])  # لل + noun = ل + ال + noun
    return frozenset(out)


class _Classes:
    """Which words can be in a :class:`WordClass`, and the classes of those words.

    A word is in a class only if it is one of :func:`clitic_words` of the classes'
    forms or of the words their tests can pass, or holds a needle; :meth:`candidates`
    finds those with a set look-up per word and a search of the folded text per needle,
    and ``bits`` holds the classes (as
    single bits) of the few thousand distinct candidates, not of every word.
    """

    def __init__(self) -> None:
        self.bits: WordMemo[tuple[int, ...]] = WordMemo(lambda w: _bits(_word_classes(w)))
        self._words: frozenset[str] | None = None
        self._needles: tuple[str, ...] = ()

    def reset(self) -> None:
        """Start over (a class was added)."""
        self.bits.clear()
        self._words = None

    def candidates(self, words: Words) -> Sequence[int]:
        """Indices, in order, of the words of ``words`` that may be in a class."""
        if self._words is None:
            # the per-file time limit may interrupt this set-up anywhere: ``_words``,
            # which says it is done, is set last, so an interrupted one starts over
            _load_forms()
            classed = clitic_words(WordClass._form_bits) | WordClass._test_words
            self._needles = tuple(sorted(WordClass._needles))
            self._words = classed
        text = words._folded_text
        folded = words.folded
        if text is None:
            return range(len(folded))
        found = set(compress(range(len(folded)), map(self._words.__contains__, folded)))
        found.update(words._refolded)  # their needles may be cut by a tatweel in text
        starts, ends = words.starts, words.ends
        for needle in self._needles:
            pos = text.find(needle)
            while pos != -1:
                k = bisect.bisect_right(starts, pos) - 1
                if k >= 0:
                    found.add(k)
                pos = text.find(needle, max(pos + 1, ends[k] if k >= 0 else 0))
        return sorted(found)


_CLASSES = _Classes()


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

    count = number_word(toks[j])  # a count opens one (3 مصادر); 0 and a vague one do not
    return bare(toks[j]) in _MEDIA_WORDS or count is not None and count > 0


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
