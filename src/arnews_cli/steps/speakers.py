"""Words of a sentence and the phrase that names a speaker.

A sentence is split into :class:`Tok` words and punctuation (offsets into the article).
:func:`chunk_speaker` reads the noun phrase after a cue (``قال`` *وزير الخارجية الأميركي*
``إن``), keeping appositions (``راج ساماني، أحد مسؤولي الشركة``) and stopping at what
cannot belong to a name: the content opener (أن، إن، بأن), a colon or quotation mark, a
time word, a setting phrase (``في بيان``، ``لوكالة …``), a relative pronoun or another cue.
:func:`agreement` tells which later pronoun-subject cues may refer back to a speaker:
``m`` (masculine singular), ``f`` (feminine singular, and non-human plurals, which Arabic
verbs treat as feminine singular: وقالت المصادر) or ``p`` (human plural: وقال الباحثون ...
وأضافوا).
"""

from __future__ import annotations

import re
from itertools import accumulate, repeat
from typing import NamedTuple

import regex

from arnews_cli.steps import charsets as cs
from arnews_cli.steps.cues import TATWEEL, fold, fold_in_place
from arnews_cli.steps.gazetteer import ASTRAL
from arnews_cli.steps.quotemarks import MARKS

TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}_#@]+(?:[-.][\p{L}\p{M}\p{N}_]+)*|\S")


class Tok(NamedTuple):
    """One word or punctuation mark: ``text == article.text[start:end]``; ``key`` is folded."""

    text: str
    start: int
    end: int
    key: str
    word: bool  # a word, not a punctuation mark

    @property
    def bare(self) -> str:
        """The folded key without a clitic conjunction and article (والحكومة -> حكومة)."""
        k = self.key
        if len(k) > 3 and k[0] in "وف":
            k = k[1:]
        if len(k) > 4 and k.startswith("ال"):
            k = k[2:]
        return k


_TOKEN_SPLIT = regex.compile(f"({TOKEN.pattern})")
# TOKEN for text without characters above U+FFFF, in the stdlib re: its bitmap test of a
# class is about twice as fast as regex's property tests (equality: tests/test_speakers.py)
# (re's \\s also takes U+001C-U+001F, which regex's does not)
_TOKEN_SPLIT_BMP = re.compile(
    f"([{cs.LMN_BMP}_#@]+(?:[-.][{cs.LMN_BMP}_]+)*|\\S|[\x1c-\x1f])"
)
_NEW_TOK = tuple.__new__  # builds a Tok from its fields in C (Tok(...) runs Python code)


def tokens(text: str, start: int, end: int, folded: str | None = None) -> list[Tok]:
    """The words and punctuation marks of ``text[start:end]``.

    ``folded`` is :func:`cues.fold_in_place` of ``text`` (computed here when not given):
    a word's key is the same slice of ``folded`` without its tatweels. Offsets are the
    summed lengths of the pieces, so no match object is made per token.
    """
    return tokens_and_keys(text, start, end, folded)[0]


def tokens_and_keys(
    text: str, start: int, end: int, folded: str | None = None
) -> tuple[list[Tok], list[str]]:
    """:func:`tokens`, and the tokens' keys in a list of their own."""
    if folded is None:
        folded = fold_in_place(text)
    piece = text[start:end]
    split = _TOKEN_SPLIT.split if ASTRAL.search(piece) else _TOKEN_SPLIT_BMP.split
    pieces = split(piece)
    if len(pieces) < 2:
        return [], []
    offsets = list(accumulate(map(len, pieces), initial=start))
    words = pieces[1::2]
    starts, ends = offsets[1:-1:2], offsets[2::2]
    keys = list(map(folded.__getitem__, map(slice, starts, ends)))
    if TATWEEL in folded[start:end]:
        keys = [k.replace(TATWEEL, "") if TATWEEL in k else k for k in keys]
    flags = [w[0].isalnum() or w[0] in "#@_" for w in words]
    fields = zip(words, starts, ends, keys, flags, strict=True)
    return list(map(_NEW_TOK, repeat(Tok), fields)), keys


def _set(words: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words.split())


# the content of an indirect quote opens with one of these (أنه، إنها، بأن، فإن ...)
_OPENER_PRONOUNS = ("", "ه", "ها", "هم", "هما", "هن", "ني", "نا", "ي", "كم")
# every written opener (a set probe instead of a regex match per word)
_OPENERS = frozenset(
    c + a + "ن" + p for c in ("", "و", "ف", "ب") for a in "اإأ" for p in _OPENER_PRONOUNS
)
OPEN_PREPS = _set("إلى الى على من عن حول ب")
TIME = _set(
    "اليوم أمس غدا الليلة مساء صباح صباحا ظهر الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس "
    "الجمعة السبت يوم هذا هذه مؤخرا سابقا لاحقا أيضا كذلك بدوره بدورها بدورهم الآن حاليا "
    "خلال عقب بعد قبل أثناء عبر على أمام حول بشأن عن إثر وسط ضمن لاحقاً مجددا وقتها وقتذاك "
    "حينها حينذاك آنذاك"
)
SETTING_NOUNS = _set(
    "بيان بيانها بيانه تصريح تصريحات تصريحه تصريحها تصريحاته حديث حديثه حديثها مقابلة "
    "مقابلته حوار كلمة كلمته كلمتها مؤتمر تغريدة تغريدات تغريدته رسالة رسالته منشور لقاء "
    "خطاب خطابه اتصال ندوة جلسة تعليق تعليقات تعليقه برنامج ختام افتتاح أعقاب رده ردها "
    "سياق إطار وقت تقرير تقريرها تقريره مداخلة حلقة مقال مقاله صفحته صفحتها حسابه حسابها "
    "موقعه موقعها تدوينة مؤتمرا اجتماع زيارة البيان التصريح المؤتمر المقابلة الحوار "
    "بلاغ بلاغها بلاغه"
)
L_SETTING = _set(
    "لوكالة لصحيفة لقناة لموقع لشبكة لإذاعة لمحطة لرويترز لمجلة للصحفيين للصحافيين "
    "للصحافة للإعلام لوسائل للتلفزيون للتلفزة لتلفزيون لراديو لبي للجزيرة للعربية لسكاي "
    "لفرانس للأناضول لوكالات لنا له لها لهم للوكالة للصحيفة للقناة للموقع للإذاعة"
)
RELATIVE = _set(
    "الذي التي الذين اللذين اللتين اللذان اللتان اللواتي اللاتي اللائي والذي والتي والذين "
    "ممن مما"
)
PREPOSITIONS = _set(
    "في فى من على إلى الى عن مع منذ حتى لدى عند نحو ضد خلال وفي وفى ومن وعلى وإلى"
)
NEGATION = _set("لم لن لا ليس ليست ولم فلم ولن فلن ولا")
KANA = _set("كان كانت وكان وكانت فكان فكانت كانوا وكانوا")
_PERIOD = _set("العام الشهر الأسبوع الاسبوع السنة")
_PERIOD_END = _set("الماضي الماضية الجاري الجارية المقبل المقبلة الحالي الحالية")
APPOSITION_PRONOUN = _set("وهو وهي وهم وهما وهن")
CLAUSE_BOUNDARY = _set(
    "لكن ولكن بينما فيما حيث كما إذ ثم بل أما وقد قد فقد لقد حين عندما بعدما كي لكي "
    "ما وما هو هي وهو وهي وهذا وهذه وذلك هذا هذه ذلك لكنه ولكنه لكنها ولكنها لكنهم ولكنهم"
)
HUMAN_PLURALS = _set(
    "خبراء علماء شهود نشطاء ناشطون مسؤولون مسؤولين محللون محللين مراقبون مراقبين "
    "باحثون باحثين الباحثون الباحثين سكان أطباء مواطنون مواطنين معارضون معارضين مدافعون "
    "قادة زعماء وزراء نواب أعضاء فلسطينيون فلسطينيين مستخدمون مستخدمين محتجون متظاهرون "
    "عمال لاجئون صحفيون صحفيين دبلوماسيون دبلوماسيين مسؤولو خبراء منظمون المنظمون مؤيدوها "
    "مؤيدون"
)
FEM_SUFFIXES = ("ة", "ات", "ها")
# what حسب / وفق / طبقا may name that is a rule or a plan, not a source (folded, no ال)
NOT_SOURCES = _set(
    "شريعة قانون دستور أصول اصول عادة خطة اتفاق اتفاقية قواعد نظام برنامج جدول ترتيب معايير "
    "حاجة طلب ظروف توقيت مواصفات شروط تعليمات أنظمة انظمة لوائح رغبة معطيات مواعيد أولوية "
    "أهمية حالة"
)


def is_opener(tok: Tok) -> bool:
    """أن / إن / بأن / فإن and their pronoun forms (أنه، إنها ...)."""
    return tok.key in _OPENERS


def opener_at(toks: list[Tok], j: int) -> bool:
    """An indirect content starts at ``toks[j]``: an opener, or إلى / على / من + opener."""
    if j >= len(toks):
        return False
    key = toks[j].key
    if key in _OPENERS:
        return True
    return key in OPEN_PREPS and j + 1 < len(toks) and toks[j + 1].key in _OPENERS


def is_quote_mark(tok: Tok) -> bool:
    return tok.text in MARKS


_IN, _FROM = ("في", "وفي", "فى", "وفى"), ("من", "ومن")  # في بيان، من جهته
_IN_SETTING = frozenset(_IN + _FROM)
_SIDE = _set("جهته جهتها ناحيته ناحيتها جانبه جانبها جهتهم")  # من جهته: "for his part"
_SETTING_KEYS = TIME | L_SETTING | _PERIOD | _IN_SETTING | {"ل", "ذات"}
"""Every key :func:`is_setting` can be true for (besides a word written ``لـ…``)."""


def is_setting(toks: list[Tok], j: int) -> bool:
    """A time word or a setting phrase that ends a speaker (في بيان، لوكالة، أمس ...)."""
    t = toks[j]
    k = t.key
    if k not in _SETTING_KEYS and not t.text.startswith("لـ"):
        return False  # most words: none of the tests below can hold
    if k in TIME or k in L_SETTING or k == "ل" or t.text.startswith("لـ"):
        return True
    if k in _PERIOD and j + 1 < len(toks) and toks[j + 1].key in _PERIOD_END:
        return True
    if k == "ذات" and j + 1 < len(toks) and toks[j + 1].key in ("يوم", "مرة"):
        return True
    if k in _IN and j + 1 < len(toks):
        nxt = toks[j + 1].key
        return nxt in SETTING_NOUNS or (nxt.startswith("ال") and nxt[2:] in SETTING_NOUNS)
    if k in _FROM and j + 1 < len(toks):
        return toks[j + 1].key in _SIDE
    return False


_STOPS = _OPENERS | RELATIVE | NEGATION | APPOSITION_PRONOUN | CLAUSE_BOUNDARY | _SETTING_KEYS \
    | OPEN_PREPS
"""Every key :func:`stops_speaker` can be true for (besides a cue and a word written ``لـ…``)."""


def stops_speaker(toks: list[Tok], j: int, is_cue: set[int]) -> bool:
    t = toks[j]
    if not t.word:
        return t.text not in "()"
    if t.key not in _STOPS and j not in is_cue and not t.text.startswith("لـ"):
        return False  # most words of a name: none of the tests below can hold
    return (
        is_opener(t)
        or j in is_cue
        or t.key in RELATIVE
        or t.key in NEGATION
        or t.key in APPOSITION_PRONOUN
        or t.key in CLAUSE_BOUNDARY
        or is_setting(toks, j)
        or opener_at(toks, j)
    )


MAX_SPEAKER = 12


def chunk_speaker(toks: list[Tok], j: int, is_cue: set[int], limit: int,
                  names: dict[int, int] | None = None, force_first: bool = False,
                  appositions: bool = True) -> int:
    """End (exclusive) of the speaker phrase starting at ``toks[j]``; ``j`` when there is none.

    ``names`` maps the start offset of a short closed quotation to its end: one right
    after a speaker word is part of the name (شركة "مكافي") unless it ends the sentence.
    ``force_first`` takes the first word whatever it is (``للصحيفة`` after وفقا).
    """
    e = j
    n = 0
    if force_first and j < limit and toks[j].word:
        e, n = j + 1, 1
    elif j < limit and (toks[j].key in PREPOSITIONS or toks[j].key in ("و", "ف")):
        return j  # a speaker never opens with a preposition (وأعلنت في …) or a lone و
    while e < limit and n < MAX_SPEAKER and e - j < 3 * MAX_SPEAKER:
        t = toks[e]
        if names and t.start in names:
            close = names[t.start]
            x = e + 1
            while x < limit and toks[x].start < close:
                x += 1
            if x < limit and (e > j or opener_at(toks, x) or (toks[x].word and x not in is_cue)):
                e = x
                n += 1
                continue
            break
        if t.text == "(":
            close = next((x for x in range(e + 1, min(limit, e + 7)) if toks[x].text == ")"), -1)
            if close < 0 or e == j:
                break
            e = close + 1
            continue
        if t.text in "،,":
            if e == j or not appositions:
                break
            seg_end = _apposition(toks, e + 1, is_cue, limit)
            if seg_end <= e + 1:
                break
            e = seg_end
            continue
        if stops_speaker(toks, e, is_cue):
            break
        e += 1
        n += 1
    return e


def _apposition(toks: list[Tok], j: int, is_cue: set[int], limit: int) -> int:
    """End of an apposition after a comma (``، أحد مسؤولي الشركة،``) or ``j`` if none.

    The apposition must be a noun phrase followed by the content opener, a colon or a
    quotation, or by another comma.
    """
    if j >= limit or not toks[j].word or stops_speaker(toks, j, is_cue):
        return j
    if toks[j].key in ("في", "فى", "من", "على", "إلى", "الى", "عن", "مع", "ب", "وذلك", "او", "أو",
                       "و", "ثم", "بل", "اما", "إما"):
        return j
    e = j
    while e < limit and e - j < 8 and toks[e].word and not stops_speaker(toks, e, is_cue):
        e += 1
    if e >= limit:
        return j
    t = toks[e]
    if opener_at(toks, e) or t.text in ":" or is_quote_mark(t):
        return e
    if t.text in "،," and e + 1 < limit and (opener_at(toks, e + 1) or not toks[e + 1].word):
        return e
    if t.text in "،," and e + 1 < limit and (e + 1) not in is_cue:
        return e  # a second comma: the apposition is closed, let the caller decide
    return j


def chunk_back(toks: list[Tok], i: int, floor: int, is_cue: set[int],
               antecedent: bool = False) -> tuple[int, int]:
    """(start, end) of a subject phrase just before ``toks[i]`` (start == end when none).

    Used for subject-first clauses: ``لكن الشرطة قالت إن``, ``وكانت واشنطن قد أعلنت``
    and headlines such as ``أردوغان يتعهد بـ…``. The phrase must begin a clause, unless it
    is the ``antecedent`` of a relative pronoun (… مع المدعي العام روبرت مولر الذي يعتبر).
    """
    if i > floor and toks[i - 1].key in ("قد", "وقد"):
        i -= 1
    if i > floor + 1 and toks[i - 1].key in KANA:
        i -= 1  # عباس كان قد نفى
    s = i
    while s > floor and i - s < 6:
        t = toks[s - 1]
        if not t.word or t.key in CLAUSE_BOUNDARY or is_opener(t) or (s - 1) in is_cue:
            break
        if t.key in KANA:
            break
        if antecedent and (t.key in PREPOSITIONS or t.key[:1] in "وف" and len(t.key) > 4
                           and not t.key[1:].startswith("ال")):
            break
        if t.key in RELATIVE or t.key in NEGATION or is_setting(toks, s - 1) \
                or t.key in PREPOSITIONS:
            return i, i
        s -= 1
    if s == i:
        return i, i
    if antecedent:
        return s, i
    if s > floor:
        before = toks[s - 1]
        if before.word and before.key not in CLAUSE_BOUNDARY and not is_opener(before) \
                and before.key not in KANA and (s - 1) not in is_cue:
            return i, i
    first = toks[s].key
    if first in ("في", "فى", "من", "على", "إلى", "الى", "عن", "مع", "وفي", "ومن", "بعد", "قبل"):
        return i, i
    return s, i


def agreement(toks: list[Tok], gender: str, number: str) -> str:
    """``m``, ``f`` or ``p``: which pronoun-subject cues may refer back to this speaker."""
    head = toks[0].bare if toks else ""
    if number == "p":
        return "p"
    if gender == "f":
        return "f"
    plural = (
        toks[0].key in HUMAN_PLURALS or head in HUMAN_PLURALS
        or (len(head) >= 5 and head.endswith(("ون", "يين")))
    )
    if plural:
        return "p"
    if gender == "m":
        return "m"
    if head.endswith(FEM_SUFFIXES):
        return "f"
    return "m"


def wants(gender: str, number: str) -> str:
    """Which speaker class a pronoun-subject cue refers to (``-`` when it cannot tell)."""
    if number == "p":
        return "p"
    if number == "d":
        return "-"
    if gender == "f":
        return "f"
    if gender == "m":
        return "m"
    return "-"
