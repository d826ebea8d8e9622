"""Sources that were asked and did not answer: ``لم ترد X``, ``رفض X التعليق`` …

Patterns, on folded words (clitics allowed):

* ``لم ترد/يرد/تعلق/يعلق/تستجب X`` (``لم يرد تعليق من X``);
* ``لم يتسن/يتمكن … الحصول على رد من X``, ``… الاتصال بـX``, ``… الوصول إلى X``;
* ``تعذر الوصول إلى/الاتصال بـ X``;
* ``رفض X التعليق/الرد``, ``امتنع X عن التعليق``.

X may list several bodies (``الحكومة العراقية أو مكتب رئيس الوزراء``); an unnamed
official of a body (``مسؤولين في مكتب …``) stands for that body.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Set as AbstractSet

from arnews_cli.steps.gazetteer import bare, variants
from arnews_cli.steps.phrases import STOP, WordClass, Words

_NOT = {"لم"}
_NO_ANSWER = {"ترد", "يرد", "تعلق", "يعلق", "يردوا", "يعلقوا", "تستجب", "يستجب", "يستجيبوا"}
_COULD_NOT = {"يتسن", "يتسني", "تتسن", "يتمكن", "تتمكن", "نتمكن", "يتاح", "يمكن"}
_REACH = {"الاتصال", "التواصل", "الوصول", "الحصول"}
_ANSWER = {"رد", "تعليق", "تعقيب", "ردود", "اجابه"}
_REFUSE = {"رفض", "رفضت", "رفضوا", "امتنع", "امتنعت", "امتنعوا", "تعذر"}
_COMMENT = {"التعليق", "الرد", "التعقيب", "الادلاء", "الاجابه"}
_FILLER = {"بعد", "حتي", "الان", "فورا", "علي", "الفور", "اي", "فوري"}
_NOT_SOURCES = {"انباء", "معلومات", "تقارير", "اي", "ذلك", "هذا", "فيه", "بعد", "ذكر", "وجاء"}
_ON_BEHALF = {"مسءولين", "مسءولون", "مسءول", "احد", "متحدث", "ممثلين", "ممثل"}


_FROM = frozenset({"من"})
_ABOUT = frozenset({"عن"})
_IN_BY = frozenset({"في", "ب"})
_BY = frozenset({"ب"})
_TO_WITH = frozenset({"الي", "مع", "ب", "علي"})
_TRIGGERS = WordClass(_NOT | _REFUSE)


def _has(words: Words, k: int, forms: AbstractSet[str]) -> bool:
    return 0 <= k < len(words.folded) and not forms.isdisjoint(variants(words.folded[k]))


def non_responses(words: Words) -> Iterator[tuple[int, int]]:
    """Character spans of the bodies that did not respond, in text order."""
    n = len(words)
    for k in words.members(_TRIGGERS):  # only words that can open a pattern
        if _has(words, k, _NOT) and _has(words, k + 1, _NO_ANSWER):
            i = _skip(words, k + 2)
            if i >= n or words.broken(i):
                yield from _subject_before(words, k)  # الموقع لم يستجب.
                continue
            if _has(words, i, _ANSWER) and _has(words, i + 1, _FROM):
                i += 2
            elif _has(words, i, _ANSWER) and _has(words, i + 2, _FROM):
                i += 3
            yield from _bodies(words, i)
        elif _has(words, k, _NOT) and _has(words, k + 1, _COULD_NOT):
            yield from _reached(words, k + 2)
        elif _has(words, k, _REFUSE):
            if bare(words.folded[k]).startswith("تعذر"):
                yield from _reached(words, k + 1)
                continue
            i = k + 1
            # the body sits between the verb and التعليق / عن التعليق
            for j in range(i + 1, min(i + 10, n)):
                if words.broken(j):
                    break
                if _has(words, j, _COMMENT) or (
                    _has(words, j, _ABOUT) and _has(words, j + 1, _COMMENT)
                ):
                    yield from _bodies(words, i, end=j)
                    break


def _subject_before(words: Words, k: int) -> Iterator[tuple[int, int]]:
    """The noun phrase just before ``لم`` in the same clause (``لكن الموقع لم يستجب``)."""
    a = k
    while a > 0 and k - a < 4 and not words.broken(a) and words.folded[a - 1] not in STOP:
        a -= 1
    if a < k and words.folded[a][:2] == "ال":
        yield words.char_span(a, k)


def _skip(words: Words, i: int) -> int:
    while i < len(words) and words.folded[i] in _FILLER and not words.broken(i):
        i += 1
    return i


def _reached(words: Words, i: int) -> Iterator[tuple[int, int]]:
    for j in range(i, min(i + 8, len(words))):
        if j > i and words.broken(j):
            return
        if _has(words, j, _ANSWER) and _has(words, j + 1, _FROM):
            yield from _bodies(words, j + 2)
            return
        if _has(words, j, _REACH):
            k = j + 1
            t = words.folded[k] if k < len(words) else ""
            if t.startswith("ب") and len(t) > 3 and not _has(words, k, _BY) and (
                words.folded[j].endswith("اتصال")
            ):
                for s, e in _bodies(words, k):  # الاتصال بفان هورميرن
                    yield (s + 1, e) if s == words.starts[k] else (s, e)
                return
            if _has(words, k, _TO_WITH):
                k += 1
            if _has(words, k, _ANSWER) and _has(words, k + 1, _FROM):
                k += 2
            yield from _bodies(words, k)
            return


def _bodies(words: Words, i: int, end: int | None = None) -> Iterator[tuple[int, int]]:
    """The one or more bodies listed from word ``i`` (split on أو / و + a new name)."""
    stop = len(words) if end is None else end
    while i < stop:
        first = words.folded[i]
        if not _ON_BEHALF.isdisjoint(variants(first)) and _has(words, i + 1, _IN_BY):
            i += 2
        a, b = words.np(i, limit=8, keep_in=False)
        b = min(b, stop)
        if b <= a:
            return
        if bare(words.folded[a]) in _NOT_SOURCES or words.folded[a] in _NOT_SOURCES:
            return
        yield words.char_span(a, b)
        if b < stop and words.folded[b] == "او" and not words.broken(b):
            i = b + 1
        elif b < stop and words.conjoined(b):
            i = b
        else:
            return
