"""``summarize-sources``: who an article cites, and on whose word.

One entry per distinct source entity in ``article.sources``::

    {"name", "type", "anonymous", "anonymity_reason", "count", "roles",
     "mentions": [{"start", "end"}...], "quotes", "via"}

and a per-article ``article.source_summary`` (see :func:`summarize`).

Where mentions come from:

* ``article.quotes`` when extract-quotes ran: every speaker (a coordinated speaker such
  as ``3 مصادر … ومصدرين …`` is split) and every relay in ``via`` is a cited source;
* prepositional attributions: ``بحسب``، ``حسب``، ``وفق(ا ل)``، ``طبقا ل``، ``نقلا عن`` + name;
* media named as the addressee of a statement (``قال لوكالة فرانس برس``) or as a carrier
  (``خبرا نقلته إذاعة …``), and headlines of the form ``رويترز: …``;
* non-responses (:mod:`arnews_cli.steps.nonresponse`): role ``no_response``;
* credits: the credit block (``المصدر : الجزيرة + رويترز``), a photo credit closing a
  caption (``(الجزيرة)``), an agency or outlet in a dateline or byline (``الرياض - واس``,
  ``(CNN) –``): role ``credit``.

Mentions are merged into entities in text order: the same gazetteer entry (``وكالة
رويترز``/``لرويترز``), the same words after folding, a definite description that refers
back (``الوكالة``، ``المصدر السعودي``، ``المصادر الثلاثة``، ``الرئيس الصيني``), a family name
(``بوتين``), or a subset of a group (``أحد المصادر الثلاثة`` is one of the three, not a
fourth source).
"""

from __future__ import annotations

import bisect
import dataclasses
from collections import Counter
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

import regex

from arnews_cli.article import Article
from arnews_cli.steps.counts import NOT_A_NUMBER, number_word
from arnews_cli.steps.gazetteer import (
    bare,
    fold,
    fold_word,
    media,
    per_word,
    variants,
    word_list,
)
from arnews_cli.steps.layout_lexicon import MONTHS
from arnews_cli.steps.mentions import MEDIA_HEADS, Description, describe, is_nisba, suffixed
from arnews_cli.steps.nonresponse import non_responses
from arnews_cli.steps.phrases import STOP, WordClass, Words, clitic_words

TYPES = ("agency", "outlet", "institution", "official", "person", "anonymous", "document")
ROLES = ("cited", "no_response", "credit")

_PREPOSITIONS = {"بحسب", "حسب", "وفق", "وفقا", "طبقا", "نقلا", "استنادا", "حسبما", "وفقما"}
_PREPOSITION = WordClass(_PREPOSITIONS)
_REPORT_VERBS = {
    "ذكرت", "ذكر", "ذكره", "ذكرته", "اوردت", "اورد", "اوردته", "اوردها", "افادت", "افاد",
    "افادته", "افاده", "نقلت", "نقل", "نقلته", "نقلتها", "نشرت", "نشر", "نشرته", "نشرتها",
    "اعلنت", "اعلن", "اعلنته", "قالت", "قال", "قاله", "قالته", "اكدت", "اكد", "اكدته",
    "كشفت", "كشف", "كشفته", "اظهرت", "اظهر", "بثت", "بث", "بثته", "اشارت", "اشار",
    "اوضحت", "اوضح", "جاء", "ورد", "يقول", "تقول", "تقوله", "يقوله",
}  # fmt: skip
_CARRIED = {"نقلته", "نشرته", "اوردته", "بثته", "ذكرته", "نقلتها", "نشرتها", "اوردتها"}
_SPEECH = {
    "قال", "قالت", "قالوا", "صرح", "صرحت", "اكد", "اكدت", "اوضح", "اوضحت", "اضاف", "اضافت",
    "تحدث", "تحدثت", "تحدثوا", "كشف", "كشفت", "افاد", "افادت", "ذكر", "ذكرت", "اعلن",
    "اعلنت", "حوار", "مقابله", "تصريح", "تصريحات", "حديث", "تصريحه", "تصريحاتها", "يقول",
    "تقول", "اشار", "اشارت", "نفي", "نفت", "اعتبر", "اعتبرت", "ابلغ", "ابلغت", "شدد",
}  # fmt: skip
_SPEECH_NOUNS = {"تعبيره", "تعبيرها", "قوله", "قولها", "وصفه", "وصفها", "رايه", "رايها",
                 "زعمه", "تقديره", "تصريحه", "روايته", "روايتها", "قولهم", "تعبيرهم"}  # fmt: skip
_REASON_VERBS = {
    "طالبه", "طالبا", "طالبين", "طلب", "طلبت", "طلبوا", "مفضلا", "مفضله",
    "مفضلين", "فضل", "فضلت", "فضلوا", "رفض", "رفضت", "رفضوا", "شريطه", "بشرط", "شرط",
    "مشترطا", "مشترطه", "اشترط", "اشترطت",
}  # fmt: skip
_REASON_NEG = {"عدم", "الا"}
_REASON_ACTS = {"نشر", "ذكر", "الكشف", "كشف", "الافصاح", "الاعلان", "تحديد", "الاشاره", "ايراد"}
_REASON_WHO = ("اسم", "هويه", "هويت")
_BECAUSE = {"لانه", "لانها", "لانهم", "لكونه", "لكونها", "لكونهم", "كونه", "كونها", "كونهم"}
_NOT_ALLOWED = ("مخول", "مصرح", "مسموح")
_CAUSES = ("ل", "بسبب", "نظرا", "كونه", "كونها", "كونهم", "بحكم", "خشيه", "خوفا")
_REASON_END = {"ان", "انه", "انها", "بان", "قال", "قالت", "اكد", "اكدت", "في", "و"} | {
    "اضاف", "اوضح", "مضيفا", "مشيرا"}
_HEAD_CLASS = {
    "مصدر": "مصدر", "مصادر": "مصدر", "مصدران": "مصدر", "مصدرين": "مصدر", "مصدرا": "مصدر",
    "شاهد": "شاهد", "شهود": "شاهد", "شاهدان": "شاهد", "شاهدين": "شاهد",
    "باحث": "باحث", "باحثو": "باحث", "باحثون": "باحث", "باحثين": "باحث", "علماء": "باحث",
    "عالم": "باحث", "تقرير": "تقرير", "تقارير": "تقرير", "دراسه": "دراسه", "دراسات": "دراسه",
    "شركه": "شركه", "شركات": "شركه", "منظمه": "منظمه", "منظمات": "منظمه",
    "مسءول": "مسءول", "مسءولون": "مسءول", "مسءولين": "مسءول", "مسءوله": "مسءول",
    "وزاره": "وزاره", "وزارات": "وزاره", "حكومه": "حكومه", "نادي": "نادي", "فريق": "نادي",
    "منتخب": "نادي", "موقع": "موقع", "صحيفه": "صحيفه", "جريده": "صحيفه",
    "قناه": "قناه", "وكاله": "وكاله", "بيان": "بيان", "خبير": "خبير", "خبراء": "خبير",
}  # fmt: skip
_CREDIT_LABEL = regex.compile(r"^\W*(?:المصدر|المصادر|مصدر الخبر|مصدر|نقلا?ً?\s+عن)\s*[:：]?\s*")
_CREDIT_SPLIT = regex.compile(r"\s*(?:[+/،,&|]|\s-\s|\sو(?=\S))\s*")
_PHOTO = regex.compile(r"\(([^()]{2,60})\)\s*$")
_OWN_REPORT = regex.compile(r"متابعات|خاص")
_DASH = regex.compile(r"\s*[-–—]\s*")
_PAREN_DATELINE = regex.compile(r"^[^\n().]{0,80}?\(([^()]{2,30})\)\s*[-–—]+")


@dataclass
class _Mention:
    start: int
    end: int
    role: str
    quote: bool = False
    relay_of: list[int] = field(default_factory=list)
    strict_ok: bool = False
    own: bool = False
    order: int = 0
    headline: bool = False


@dataclass
class _Entity:
    desc: Description
    name: str
    type: str
    anonymous: bool
    count: int | None
    first: int
    last: int
    roles: set[str] = field(default_factory=set)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    quotes: int = 0
    via: list[int] = field(default_factory=list)
    reason: dict[str, Any] | None = None
    names: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    skeletons: set[str] = field(default_factory=set)  # of words, kept up to date
    heads: set[str] = field(default_factory=set)
    surname: str = ""  # the last name of the first description that gave names
    pending_head: str | None = None
    pending_person: bool = False


def summarize_sources(article: Article) -> Article:
    """The article with ``sources`` and ``source_summary`` filled in (input untouched).

    ``source_summary["with_quotes"]`` says whether the article's quotes were read (the
    speakers they name, and the sources' quote counts, come from them)."""
    sources = find_sources(article)
    summary = summarize(sources)
    summary["with_quotes"] = article.quotes is not None
    return dataclasses.replace(article, sources=sources, source_summary=summary)


def made_with(article: Article, before: AbstractSet[str]) -> bool:
    """Whether ``article``'s sources are those :func:`summarize_sources` makes given the
    fields the record held ``before`` it (``--resume`` keeps only such records): read
    with quotes exactly when the record had them then."""
    summary = article.source_summary
    return isinstance(summary, dict) and summary.get("with_quotes") is ("quotes" in before)


def find_sources(article: Article) -> list[dict[str, Any]]:
    """The source entities of ``article`` as JSON-ready dicts, in order of first mention."""
    text = article.text
    words = Words(text)
    mentions = list(_mentions(article, words))
    for k, m in enumerate(mentions):
        m.order = k
    resolver = _Resolver(text, words)
    entity_of: dict[int, int] = {}
    described: dict[tuple[int, int, bool], Description | None] = {}
    for k in sorted(range(len(mentions)), key=lambda k: (mentions[k].start, k)):
        m = mentions[k]
        key = (m.start, m.end, m.strict_ok)  # a speaker quoted twice is read once
        if key not in described:
            described[key] = describe(text, m.start, m.end, m.strict_ok, words)
        desc = described[key]
        if desc is None or (desc.extra.get("fallback") and (m.own or not _plausible(desc))):
            continue
        words_in_name = len(desc.name.split())
        if m.own and desc.extra.get("bare_name") and words_in_name > (1 if m.headline else 2):
            continue  # an own find needs a listed word unless it is a short name
        if desc.extra.get("bare_name") and not _name_like(desc):
            continue
        if m.role == "credit" and desc.type not in ("agency", "outlet"):  # يمن برس - متابعات
            desc = dataclasses.replace(desc, type="outlet", anonymous=False, count=1)
        if m.own and _platform(desc):
            continue
        e = resolver.resolve(desc, m)
        if e is not None:
            entity_of[k] = e
    for k, e in entity_of.items():
        m = mentions[k]
        ent = resolver.entities[e]
        ent.roles.add(m.role)
        if m.quote:
            ent.quotes += 1
        for r in m.relay_of:
            speaker = resolver.entities[entity_of[r]] if r in entity_of else None
            if speaker is not None and entity_of[r] != e and e not in speaker.via:
                speaker.via.append(e)
    resolver.finish()
    _attach_reasons(resolver, words)
    return resolver.to_json()


def _mentions(article: Article, words: Words) -> list[_Mention]:
    text = article.text
    out: list[_Mention] = []
    quoted = _Quoted(text)
    parts: dict[tuple[int, int], list[tuple[int, int]]] = {}  # a speaker quoted again
    for q in article.quotes or ():
        speaker = q.get("speaker") if isinstance(q, dict) else None
        speaker_ids: list[int] = []
        if isinstance(speaker, dict) and _valid(text, speaker):
            span = (speaker["start"], speaker["end"])
            if span not in parts:
                trimmed = _trim(words, *span)
                parts[span] = _split(words, *trimmed) if trimmed else []
            for s, e in parts[span]:
                speaker_ids.append(len(out))
                out.append(_Mention(s, e, "cited", quote=True))
        for v in (q.get("via") or []) if isinstance(q, dict) else ():
            if isinstance(v, dict) and _valid(text, v):
                out.append(_Mention(v["start"], v["end"], "cited", relay_of=speaker_ids))
    n = len(words)
    folded = words.folded
    for k in words.members(_PREPOSITION):
        if words.starts[k] not in quoted:
            i = k + 1
            if folded[k].endswith("نقلا") or "نقلا" in variants(folded[k]):
                if i < n and folded[i] == "عن":
                    i += 1
                else:
                    continue
            while i < n and not words.broken(i) and (
                folded[i] in ("ما", "لما", "الي", "ان", "مما") or words.has(i, _REPORT_VERBS)
            ):
                i += 1
            if i < n and not words.broken(i) and folded[i] not in _SPEECH_NOUNS:
                a, b = words.np(i)
                if b > a:
                    s, e = words.char_span(a, b)
                    out.append(_Mention(s, e, "cited", own=True))
    if article.quotes is None:
        out.extend(_relayed(words))
    out.extend(_media_mentions(words, quoted))
    for s, e in non_responses(words):
        out.append(_Mention(s, e, "no_response", own=True))
    out.extend(_credit_mentions(article, words))
    head = next((b for b in article.blocks if b.kind == "headline"), None)
    if head is not None and ":" in head.text[:60]:
        colon = head.start + head.text.index(":")
        a, b = words.range_of(head.start, colon)
        trimmed = _trim(words, *words.char_span(a, b)) if 0 < b - a <= 6 else None
        if trimmed:
            out.append(_Mention(*trimmed, "cited", own=True, headline=True))
    return out


_LEADING = {"كان", "كانت", "قد", "وقد", "فيها", "فيه", "ايضا", "بدوره", "بدورها", "ثم", "وكانت",
            "وكان", "كما", "بينما", "اما", "فقد", "لقد", "حيث", "وهما", "وهم", "وهو", "وهي",
            "لكن", "ولكن"}  # fmt: skip
_OPENERS = {"من", "في", "علي", "الي", "عن", "مع", "منذ", "خلال", "بعد", "قبل"}


def _trim(words: Words, start: int, end: int) -> tuple[int, int] | None:
    """A quote speaker without words that cannot belong to it: a leading verb or
    adverb (``وكانت الخارجية الصينية``), or what follows a function word at its end.
    ``None`` when it opens with a preposition (no source there)."""
    i, j = words.range_of(start, end)
    if j <= i:
        return None
    while i < j - 1 and not _LEADING.isdisjoint(variants(words.folded[i])):
        i += 1
    if words.folded[i] in _OPENERS:
        return None
    k = i + 1
    while k < j and not (words.folded[k] in STOP and words.folded[k] not in ("من", "في")):
        if suffixed(words.folded[k]) and words.folded[k][:1] in ("ل", "ب", "ا"):
            break  # لموظفيها (an addressee), أطلعته (a verb): not part of the name
        k += 1
    return words.char_span(i, k)


def _relayed(words: Words) -> list[_Mention]:
    """``نقلت وكالة رويترز عن 3 مصادر …``: the relay and the source it quotes."""
    out: list[_Mention] = []
    folded = words.folded
    for k in words.members(_RELAY):
        if k >= len(words) - 2:
            break
        a, b = words.np(k + 1, limit=6)
        if b >= len(words) or folded[b] != "عن" or b == a:
            continue
        c, d = words.np(b + 1, limit=8)
        if d <= c:
            continue
        s, e = words.char_span(a, b)
        speaker = len(out)
        s2, e2 = words.char_span(c, d)
        out.append(_Mention(s2, e2, "cited", own=True))
        out.append(_Mention(s, e, "cited", relay_of=[speaker], own=True))
    return out


_RELAY = WordClass({"نقلت", "نقل"})
_PLATFORMS = {"تويتر", "فيسبوك", "فيس", "يوتيوب", "انستغرام", "انستجرام", "سناب", "تيك",
              "واتساب", "تلغرام", "لينكدان", "x"}  # fmt: skip


def _platform(d: Description) -> bool:
    """A social network named as where something was posted: a medium, not a source."""
    return any(bare(fold_word(w)) in _PLATFORMS for w in d.name.split()[:3])


def _name_like(d: Description) -> bool:
    """Can a phrase read as a bare name be one (not ``بذلك خبرا``، ``جاء``، ``لكنه``)?"""
    toks = [*d.names, fold_word(d.name.split()[0])] if d.name.split() else []
    if not d.names or len(d.names) > 4:
        return False
    for t in toks:
        if not _NOT_NAMES.isdisjoint(variants(t)):
            return False
    return True


_VERBS = {"جاء", "جاءت", "اخذ", "وضع", "نشر", "بدا", "بدات", "اصبح", "ظل", "عاد", "تم", "يتم"}


def _plausible(d: Description) -> bool:
    """An unlisted speaker phrase that can still be an unnamed someone (الفتاة،
    فلسطينيون), not a stray phrase (رفضها التام، العام الماضي)."""
    toks = [fold_word(t) for t in d.name.split()]
    if not toks or len(toks) > 4 or suffixed(toks[0]) and d.head not in _KIN:
        return False
    if toks[0] in STOP or not _PRONOUNS.isdisjoint(variants(toks[0])):
        return False
    if d.plural:
        return d.head.endswith(("ون", "ين")) or d.head in _HUMAN_PLURALS
    return d.definite and len(toks) <= 2 and d.head not in _NOT_PEOPLE


_PRONOUNS = {"لكنه", "لكنها", "لكنهم", "هو", "هي", "هم", "انه", "انها", "وهما", "هما", "التي",
             "الذي", "الذين"}  # fmt: skip
_NOT_NAMES = frozenset(STOP | _PRONOUNS | _REPORT_VERBS | _SPEECH | _VERBS)
"""Words that cannot be part of a bare name (clitic forms count)."""
_HUMAN_PLURALS = {"شهود", "سكان", "خبراء", "نشطاء", "اهالي", "اقارب", "جيران", "طلاب",
                  "اطباء", "زعماء", "قاده", "اعضاء", "علماء", "مسعفون"}  # fmt: skip
_KIN = {"والد", "والده", "والدي", "شقيق", "شقيقه", "زوج", "زوجه", "ابن", "ابنه", "محامي"}
_NOT_PEOPLE = {"عام", "ماضي", "يوم", "اسبوع", "شهر", "سنه", "وقت", "امر", "وضع", "حادث",
               "قرار", "اتفاق", "هجوم", "مقتل", "حرب", "ازمه"}  # fmt: skip


def _valid(text: str, span: dict[str, Any]) -> bool:
    s, e = span.get("start"), span.get("end")
    return isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)


def _split(words: Words, start: int, end: int) -> list[tuple[int, int]]:
    """A coordinated speaker (``الصين وروسيا``) as one span per conjunct."""
    i, j = words.range_of(start, end)
    if j <= i:
        return [(start, end)]
    parts: list[tuple[int, int]] = []
    a = i
    for k in range(i + 1, j):
        if words.folded[k] == "او" or (
            words.conjoined(k) and _kind(words.folded[k][1:]) == _kind_of_part(words, a, k)
        ):
            if k > a:
                parts.append((a, k))
            a = k + 1 if words.folded[k] == "او" else k
    if a < j:
        parts.append((a, j))
    if len(parts) == 1:
        return [(start, end)]
    return [words.char_span(p, q) for p, q in parts]


def _kind(tok: str) -> str | None:
    """Which list a word opens a name from (to split ``الصين وروسيا``, not ``وزير
    العلاقة مع مجلس النواب والهيئات``)."""
    for lst in ("countries.txt", "anonymous.txt", "institutions.txt", "titles.txt"):
        if word_list(lst).match_at([tok], 0):
            return lst
    if media().match_at([tok], 0) or any(bare(f) in MEDIA_HEADS for f in variants(tok)):
        return "media"
    return None


def _kind_of_part(words: Words, a: int, k: int) -> str | None:
    for j in range(a, k):
        if number_word(words.folded[j]) == NOT_A_NUMBER:
            return _kind(words.folded[j])
    return None


_QUOTED = regex.compile(r"«[^«»\n]{1,600}»|\"[^\"\n]{1,600}\"|“[^“”\n]{1,600}”")


class _Quoted:
    """Spans inside quotation marks (where a بحسب belongs to the quoted speaker), found
    when first asked about."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None
        self._ends: list[int] = []

    def __contains__(self, offset: int) -> bool:
        if self._starts is None:
            spans = [m.span() for m in _QUOTED.finditer(self.text)]
            self._starts = [s for s, _ in spans]
            self._ends = [e for _, e in spans]
        # the spans do not overlap: only the last one starting before offset may hold it
        k = bisect.bisect_left(self._starts, offset) - 1
        return k >= 0 and offset < self._ends[k]


def _media_mentions(words: Words, quoted: _Quoted) -> list[_Mention]:
    """Outlets and agencies a statement was given to or carried by."""
    out: list[_Mention] = []
    folded = words.folded
    n = len(words)
    k = 0
    gazetteer = media()
    for c in words.members(_MEDIA):  # the other words neither name nor head media
        if c < k:
            continue
        k = c
        one_word, second_words = media_openers(folded[k])
        # most candidates (ان، لا، كان) only open names of several words: test the next
        m = (
            gazetteer.match_at(folded, k)
            if one_word or (k + 1 < n and folded[k + 1] in second_words)
            else None
        )
        is_head = _media_head(folded[k])
        if m is None and not is_head:
            continue
        end = m.last if m else words.np(k, limit=6)[1]
        while end < n and folded[end] == "للانباء" and not words.broken(end):
            end += 1  # وكالة فرانس برس للأنباء
        if m is not None and m.entry.strict and not is_head:
            strict_ok = (
                folded[k].startswith("ل")
                and (m.last >= n or words.broken(m.last) or folded[m.last] in STOP)
                and _speech_before(words, k)
            )
            if not strict_ok:
                k = end
                continue
        glued = folded[k][:1] == "ل" and not folded[k].startswith("ال")
        if (glued and _speech_before(words, k)) or _carried(words, k):
            if words.starts[k] not in quoted:
                if is_head and m is None:
                    end = words.np(k, limit=6)[1]
                elif is_head and m is not None:
                    end = max(end, m.last)
                s, e = words.char_span(k, end)
                out.append(_Mention(s, e, "cited", strict_ok=True, own=True))
        k = max(end, k + 1)
    return out


@per_word
def media_openers(tok: str) -> tuple[bool, frozenset[str]]:
    """Can a media name of one word start at folded word ``tok``, and which words come
    second in the longer ones that can (a media name starts there only if one of these
    holds)?"""
    one_word = False
    second_words: set[str] = set()
    for length, entries in media().starting(tok):
        if length == 1:
            one_word = True
        else:
            second_words.update(following[0] for following in entries)
    return one_word, frozenset(second_words)


def _carried(words: Words, k: int) -> bool:
    """Is word ``k`` the medium that carried something: ``خبرا نقلته إذاعة …``، ``في
    مقابلة مع قناة …``، ``نشرت نتائجها في مجلة …``، ``نشر على موقع …``?"""
    if k == 0 or words.broken(k):
        return False
    folded = words.folded
    prev = variants(folded[k - 1])
    if not _CARRIED.isdisjoint(prev):
        return True
    if "مع" in prev and k > 1 and not words.broken(k - 1):
        if not _INTERVIEW.isdisjoint(variants(folded[k - 2])):
            return True
    journal = _journal(folded[k])
    if ("في" in prev and journal) or ("علي" in prev and (journal or _site(folded[k]))):
        return _published_before(words, k)
    return False


_INTERVIEW = frozenset({"مقابله", "حوار"})


@per_word
def _journal(tok: str) -> bool:
    return any(bare(f) in ("مجله", "صحيفه", "جريده", "دوريه") for f in variants(tok))


@per_word
def _site(tok: str) -> bool:
    return any(bare(f) in ("موقع", "صفحه", "حساب") for f in variants(tok))


def _media_head(tok: str) -> bool:
    """Is a clitic form of ``tok`` a media head noun (صحيفة، لقناة، والوكالة)?"""
    # bare() of a clitic form is a suffix of the word: test that first, in C
    return tok.endswith(_MEDIA_HEAD_ENDS) and any(bare(f) in MEDIA_HEADS for f in variants(tok))


def _publishing(tok: str) -> bool:
    """``نشرت``، ``صدرت``: a verb of publishing (clitics allowed)."""
    return ("نشر" in tok or "صدر" in tok) and any(
        v.startswith(("نشر", "صدر")) for v in variants(tok)
    )


_MEDIA_HEAD_ENDS = tuple(MEDIA_HEADS)
_MEDIA = WordClass(
    lambda: media().first_tokens(),
    test=_media_head,
    words=clitic_words(clitic_words({*MEDIA_HEADS, *("ال" + h for h in MEDIA_HEADS)})),
)
"""Words that can start a media name or be a media head noun (with clitics: a word's
:func:`bare` form is a clitic form of one of its clitic forms)."""
_PUBLISHING = WordClass(test=_publishing, needles=("نشر", "صدر"))
_SPEAKING = WordClass(_SPEECH)


def _published_before(words: Words, k: int) -> bool:
    """``نشرت نتائجها في مجلة …``: a publishing verb earlier in the sentence."""
    return _earlier_in_sentence(words, k, words.members(_PUBLISHING))


def _speech_before(words: Words, k: int) -> bool:
    return _earlier_in_sentence(words, k, words.members(_SPEAKING))


def _earlier_in_sentence(words: Words, k: int, hits: Sequence[int]) -> bool:
    """Is one of the word indices ``hits`` (sorted) earlier in word ``k``'s sentence?"""
    p = bisect.bisect_left(hits, k)  # the last hit before k is the one to test
    return p > 0 and words.same_sentence(hits[p - 1], k)


def _credit_mentions(article: Article, words: Words) -> list[_Mention]:
    text = article.text
    out: list[_Mention] = []
    for block in article.blocks:
        spans: list[tuple[int, int]] = []
        if block.kind == "credit":
            label = _CREDIT_LABEL.match(block.text)
            body_start = block.start + (label.end() if label else 0)
            spans = _credit_parts(text, body_start, block.end, words, loose=True)
        elif block.kind == "caption":
            m = _PHOTO.search(block.text)
            if m:
                s = block.start + m.start(1)
                spans = _credit_parts(text, s, block.start + m.end(1), words, loose=False)
        elif block.kind in ("dateline", "byline"):
            spans = _credit_parts(text, block.start, block.end, words, loose=False)
            if not spans and _OWN_REPORT.search(block.text):
                part = _DASH.split(block.text)
                if len(part) == 2:
                    name = part[0] if "متابعات" in part[1] or "خاص" in part[1] else part[1]
                    s = block.start + block.text.index(name)
                    spans = [(s, s + len(name))]
        elif block.kind == "paragraph" and "(" in block.text[:81]:  # else no match: skip
            m = _PAREN_DATELINE.match(block.text)
            if m:
                s = block.start + m.start(1)
                spans = _credit_parts(text, s, block.start + m.end(1), words, loose=False)
        out.extend(_Mention(s, e, "credit", strict_ok=True, own=True) for s, e in spans)
    return out


def _credit_parts(
    text: str, start: int, end: int, words: Words, loose: bool
) -> list[tuple[int, int]]:
    """Media named in ``text[start:end]``; with ``loose`` any short part is an outlet."""
    out: list[tuple[int, int]] = []
    pos = start
    for piece in _CREDIT_SPLIT.split(text[start:end]):
        if not piece.strip():
            pos += len(piece)
            continue
        s = text.index(piece, pos)
        e = s + len(piece)
        pos = e
        i, j = words.range_of(s, e)
        hits = [h for h in media().find(words.folded[i:j])
                if not _in_a_date(words.folded, i + h.first, i + h.last)]
        if hits:
            for h in hits:
                out.append(words.char_span(i + h.first, i + h.last))
        elif loose and 0 < j - i <= 4:
            out.append(words.char_span(i, j))
    return out


def _in_a_date(folded: list[str], a: int, b: int) -> bool:
    """Whether words ``[a, b)`` are a month's name written as part of a date (``06
    أغسطس-آب 2012``: آب is August there, not the AP)."""
    if b - a != 1 or folded[a] not in _MONTH_WORDS:
        return False
    near = folded[max(0, a - 1) : a] + folded[b : b + 1]
    return any(w.isdigit() or w in _MONTH_WORDS for w in near)


_MONTH_WORDS = frozenset(fold_word(w) for month in MONTHS for w in month.split())

_WINDOW = 200


class _Resolver:
    """Merges descriptions into entities, in text order."""

    def __init__(self, text: str, words: Words) -> None:
        self.text = text
        self.words = words
        self.entities: list[_Entity] = []
        self.by_media: dict[str, int] = {}
        self.by_start: dict[int, int] = {}
        # (-last, index) of every entity, sorted: the most recently mentioned first
        self._recent: list[tuple[int, int]] = []
        self._pending: list[int] = []  # entities waiting for a name (pending_head/person)

    def resolve(self, d: Description, m: _Mention) -> int | None:
        words = _words(d)
        e = self._find(d, m, words)
        if e is None:
            e = self._pending_match(d)
        if e is None:
            ent = _Entity(d, d.name, d.type, d.anonymous, d.count, d.start, d.end)
            self.entities.append(ent)
            e = len(self.entities) - 1
            bisect.insort(self._recent, (-ent.last, e))
            if d.extra.get("one_of") and not d.subset and d.plural and not d.names:
                ent.pending_head = _head_class(d.head)
                ent.count = 1
            elif d.type == "official" and not d.names and not d.definite:
                ent.pending_person = True
            if ent.pending_head or ent.pending_person:
                self._pending.append(e)
        ent = self.entities[e]
        self._absorb(e, d, words)
        self.by_start.setdefault(d.start, e)
        if d.media:
            self.by_media.setdefault(d.media, e)
        return e

    def _absorb(self, e: int, d: Description, words: set[str]) -> None:
        ent = self.entities[e]
        ent.mentions.append((d.start, d.end))
        if d.end > ent.last:
            del self._recent[bisect.bisect_left(self._recent, (-ent.last, e))]
            ent.last = d.end
            bisect.insort(self._recent, (-ent.last, e))
        if d.names and not ent.names and not ent.desc.names:
            if len(d.name) >= len(ent.name) or ent.pending_head or ent.pending_person:
                ent.name = d.name
            if ent.pending_person and d.type == "person":
                ent.type = "official"
            elif ent.pending_head:
                ent.type, ent.anonymous, ent.count = d.type, d.anonymous, d.count
        if ent.pending_head or ent.pending_person:
            if d.names:
                ent.pending_head, ent.pending_person = None, False
                self._pending.remove(e)
        ent.names.update(d.names)
        if d.names and not ent.surname:
            ent.surname = d.names[-1]
        ent.words.update(words)
        ent.skeletons.update(map(_skeleton, words))
        ent.heads.add(_head_class(d.head))
        if ent.type == "person" and d.type == "official":
            ent.type = "official"

    def _find(self, d: Description, m: _Mention, words: set[str]) -> int | None:
        """The entity ``d`` refers to; ``words`` are its content words (:func:`_words`)."""
        # 1. the same span, or one that starts at the same word
        if d.start in self.by_start:
            return self.by_start[d.start]
        if d.media and d.media in self.by_media:
            return self.by_media[d.media]
        head = _head_class(d.head)
        # a long text refers back to recent sources only
        candidates = [e for _, e in self._recent[:_WINDOW]]
        # a family name alone, even one that is also a word: الشاهد
        if d.end - d.start < 25 and len(words) <= 1:
            single = bare(fold_word(d.name.split()[-1])) if d.name.split() else ""
            for e in candidates:
                ent = self.entities[e]
                if single and single in ent.names and ent.type in ("person", "official"):
                    return e
        # 2. the same words (spelling variants of names allowed: اكسبرسين/اكسبريسن)
        skeletons = _skeletons(words)
        for e in candidates:
            ent = self.entities[e]
            if words and skeletons == ent.skeletons and _compatible(ent.type, d.type):
                if d.count is None or ent.count is None or d.count == ent.count or d.subset:
                    return e
        # 2b. a shorter description of the same source: مصدر سعودي / مصدر سعودي مسؤول
        if words and not d.subset:
            for e in candidates:
                ent = self.entities[e]
                if head not in ent.heads or not _compatible(ent.type, d.type):
                    continue
                if ent.names and not (ent.type == "official" and d.type == "official"):
                    continue
                if d.names and not ent.names and ent.type == d.type == "official":
                    if ent.words <= words and len(ent.words) > 1:
                        return e  # the office first, then the office holder's name
                    continue
                if d.names:
                    continue
                if (words <= ent.words or (ent.words <= words and not ent.names)) and (
                    d.count is None or ent.count is None or d.count == ent.count
                ) and len(words) > 1:
                    return e
        # 3. one of a group: أحد المصادر الثلاثة
        if d.subset:
            group = d.extra.get("group")
            for e in candidates:
                ent = self.entities[e]
                if head in ent.heads and ent.anonymous == d.anonymous and (
                    group is None or ent.count == group
                ):
                    return e
        # 4. names: بوتين → الرئيس الروسي، فلاديمير بوتين
        if d.names and d.type in ("person", "official", "institution"):
            surname = d.names[-1]
            for e in candidates:
                ent = self.entities[e]
                if ent.type in ("person", "official", "institution") and (
                    surname in ent.names or (ent.names and ent.surname in d.names)
                ):
                    if ent.type == "institution" and d.type != "institution":
                        if len(d.names) > 1:
                            continue
                    return e
        # 5. a definite description that refers back
        if d.definite and not d.names:
            for e in candidates:
                ent = self.entities[e]
                people = d.type == "anonymous" and d.plural
                if not _compatible(ent.type, d.type) and not (
                    d.anaphor and _class_match(d, ent)
                ) and not people:
                    continue
                same_head = head in ent.heads
                if same_head and (words - {head}) <= (ent.words | set(ent.names)):
                    if d.count is None or ent.count is None or d.count == ent.count:
                        return e
                if d.anaphor and _class_match(d, ent) and not (words - {head}) - ent.words:
                    return e
        # 5b. the only official with this office: المدرب الأرجنتيني → هيكتور كوبر مدرب مصر
        if d.type == "official" and d.definite and not d.names:
            same = [e for e in candidates if self.entities[e].type == "official"
                    and head in self.entities[e].heads and self.entities[e].names]  # fmt: skip
            if len(same) == 1:
                return same[0]
        # 6. a named official after the bare office: القاضي … القاضي جيرالد ليبوفيتس
        if d.type == "official" and d.names:
            for e in candidates:
                ent = self.entities[e]
                if ent.type == "official" and not ent.names and head in ent.heads and (
                    ent.desc.definite
                ):
                    return e
        return None

    def _pending_match(self, d: Description) -> int | None:
        head = _head_class(d.head)
        for e in reversed(self._pending):  # the only entities either test can accept
            ent = self.entities[e]
            if ent.pending_head and d.names and ent.pending_head == head:
                return e
            if ent.pending_person and d.type == "person" and d.start - ent.last < 400:
                between = [x for x in self.entities[e + 1 :] if x.first > ent.last]
                if not between:
                    return e
        return None

    def finish(self) -> None:
        """Offices given elsewhere in the text (``لنظيره الإيراني حسن روحاني``), in
        apposition (``كريستيانه هوكسدورف، المسئولة عن …``), and the fullest name of a
        statement first cited as ``البيان``."""
        titled: set[str] | None = None  # read from the text when a named person needs it
        index: _WordIndex | None = None  # built when a one-word name may have a fuller one
        for ent in self.entities:
            if ent.type == "person" and ent.names:
                if titled is None:
                    titled = _titled_words(self.words)
                if ent.names & titled or any(
                    _apposition_title(self.words, e) for _, e in ent.mentions
                ):
                    ent.type = "official"
            if ent.type in ("document", "institution") and len(ent.name.split()) == 1:
                if index is None:
                    index = _WordIndex(self.words, self.entities)
                fuller = _fuller_name(self, ent, index)
                if fuller:
                    ent.name = fuller

    def to_json(self) -> list[dict[str, Any]]:
        out = []
        for ent in self.entities:
            out.append(
                {
                    "name": _clean_name(ent.name),
                    "type": ent.type,
                    "anonymous": ent.anonymous,
                    "anonymity_reason": ent.reason,
                    "count": ent.count,
                    "roles": [r for r in ROLES if r in ent.roles],
                    "mentions": [{"start": s, "end": e} for s, e in sorted(set(ent.mentions))],
                    "quotes": ent.quotes,
                    "via": [_clean_name(self.entities[v].name) for v in ent.via],
                }
            )
        return out


def _words(d: Description) -> set[str]:
    """The folded content words of a description (head noun by class), for matching."""
    out = set()
    for w in (*d.words, *d.names):
        if w.isdigit() or w in ("احد", "احدي", "بعض") or number_word(w) != NOT_A_NUMBER:
            continue
        out.add(_head_class(w) if w == d.head else w)
    return out


def _skeletons(words: set[str]) -> set[str]:
    """Words without long vowels, so transliterations that differ by one vowel match."""
    return set(map(_skeleton, words))


_VOWELS = str.maketrans("", "", "اويء")


@per_word
def _skeleton(w: str) -> str:
    return w[:1] + w[1:].translate(_VOWELS)


def _head_class(head: str) -> str:
    h = bare(head)
    return _HEAD_CLASS.get(h, h)


def _compatible(a: str, b: str) -> bool:
    if a == b:
        return True
    people = {"person", "official", "anonymous"}
    return a in people and b in people


def _class_match(d: Description, ent: _Entity) -> bool:
    """A definite head noun alone (الوكالة، الشركة، النادي) and an entity it can stand for."""
    kind = MEDIA_HEADS.get(d.head)
    if kind == "agency":
        return ent.type == "agency"
    if kind == "outlet":
        return ent.type == "outlet"
    if d.type == "institution":
        return ent.type == "institution" and (
            _head_class(d.head) in ent.heads or d.head in ("نادي", "فريق", "منتخب")
            or bool(ent.names)
        )
    if d.type == "document":
        return ent.type == "document" and _head_class(d.head) in ent.heads
    return False


def _titled_words(words: Words) -> set[str]:
    """Names right after an office title or ``نظيره`` (past its adjectives) in the text."""
    titles = word_list("titles.txt")
    out: set[str] = set()
    n = len(words)
    for j in words.members(_TITLE_OR_PEER):
        m = titles.match_at(words.folded, j)
        if m is None and not _peer(words.folded[j]):
            continue
        k = m.last if m else j + 1
        while k < n and is_nisba(words.folded[k]) and words.folded[k].startswith("ال"):
            k += 1
        for w in words.folded[k : k + 3]:
            out.update((w, bare(w)))
    return out


def _peer(tok: str) -> bool:
    """``نظيره``، ``ونظيرته``: the counterpart of an office holder."""
    return "نظير" in tok and any(v.startswith("نظير") for v in variants(tok))


_TITLE_OR_PEER = WordClass(
    lambda: word_list("titles.txt").first_tokens(), test=_peer, needles=("نظير",)
)
"""Words that can start an office title, and ``نظير``."""


def _apposition_title(words: Words, end: int) -> bool:
    """Is the phrase ending at ``end`` followed by ``، <office>``?"""
    k = words.index_at(end)
    if k >= len(words) or not words.broken(k):
        return False
    gap = words.text[words.ends[k - 1] : words.starts[k]] if k else ""
    if "،" not in gap and "," not in gap:
        return False
    return bool(word_list("titles.txt").match_at(words.folded, k))


def _fuller_name(resolver: _Resolver, ent: _Entity, index: _WordIndex) -> str | None:
    """``بيان القوات الأمريكية`` for ``البيان``: the head noun with a genitive that names
    another source of the article."""
    head = bare(fold_word(ent.name))
    words = resolver.words
    for k in index.positions(head):
        if k + 1 >= len(words) or words.broken(k + 1):
            continue
        a, b = words.np(k, limit=5)
        tail = {bare(t) for t in words.folded[k + 1 : b]}
        if b - a > 1 and any(index.of_another(t, ent) for t in tail) and \
                not words.folded[k + 1].startswith("ل"):
            s, e = words.char_span(a, b)
            return words.text[s:e]
    return None


class _WordIndex:
    """Where each word of the article is, and how many entities use each content word:
    built once for all the names :func:`_fuller_name` looks for, which a scan of the
    whole text per name would make quadratic in a long article."""

    _SCANS = 4
    """Names looked for by a scan of the words (``list.index``, a C loop) before the
    index is built: most articles look for one or two."""

    def __init__(self, words: Words, entities: list[_Entity]) -> None:
        self._words = words
        self._where: dict[str, list[int]] | None = None
        self._scans = 0
        self._users = Counter(w for ent in entities for w in ent.words)

    def positions(self, word: str) -> list[int]:
        folded = self._words.folded
        if self._where is None and self._scans < self._SCANS:
            self._scans += 1
            out: list[int] = []
            k = -1
            try:
                while True:
                    k = folded.index(word, k + 1)
                    out.append(k)
            except ValueError:
                return out
        if self._where is None:
            self._where = {}
            for k, w in enumerate(folded):
                self._where.setdefault(w, []).append(k)
        return self._where.get(word, [])

    def of_another(self, word: str, ent: _Entity) -> bool:
        """Whether an entity other than ``ent`` has ``word`` among its words."""
        return self._users[word] > (word in ent.words)


def _clean_name(name: str) -> str:
    return " ".join(name.split()).strip(" ،,:")


def _attach_reasons(resolver: _Resolver, words: Words) -> None:
    """Find stated reasons for anonymity and give each to the source it explains."""
    text = resolver.text
    folded = words.folded
    n = len(words)
    for k in words.members(_REASON):
        forms = set(variants(folded[k]))
        span: tuple[int, int] | None = None
        if forms & _REASON_VERBS:
            j = k + 1
            if j < n and folded[j] in _REASON_NEG:
                j += 1
            elif not forms & {"رفض", "رفضت", "رفضوا"}:
                continue  # only رفض takes the act without a negation (رفض ذكر اسمه)
            if j < n and folded[j] in _REASON_ACTS:
                j += 1
                if j < n and folded[j] == "عن":
                    j += 1
                if j < n and bare(folded[j]).startswith(_REASON_WHO):
                    span = (k, j + 1)
        elif forms & _BECAUSE and k + 2 < n and folded[k + 1] == "غير":
            if bare(folded[k + 2]).startswith(_NOT_ALLOWED):
                span = (k, min(n, k + 3))
        elif any(f.startswith("لحساسيه") for f in forms):
            span = (k, min(n, k + 2))
        if span is None:
            continue
        a, b = span
        # the reason's own cause: لحساسية الموضوع، لأنه غير مخول بالحديث لوسائل الإعلام
        if b < n and not words.broken(b) and folded[b].startswith(_CAUSES):
            b += 1
            while b < n and b - a < 14 and not words.broken(b) and folded[b] not in _REASON_END:
                b += 1
        s, e = words.char_span(a, b)
        reason = {"text": text[s:e], "start": s, "end": e}
        for ent in _explained(resolver, words, s):
            if ent.reason is None:
                ent.reason = reason


_REASON = WordClass(
    _REASON_VERBS | _BECAUSE,
    test=lambda tok: "لحساسيه" in tok and any(f.startswith("لحساسيه") for f in variants(tok)),
    needles=("لحساسيه",),
)
"""Words that can open a stated reason for anonymity."""


def _explained(resolver: _Resolver, words: Words, offset: int) -> list[_Entity]:
    anonymous = [e for e in resolver.entities if e.anonymous and e.type != "document"]
    if not anonymous:
        return []
    sent_start, _ = words.sentence_of(offset)
    # a mention of an anonymous source in the same sentence, nearest first
    near = [
        (offset - t, e)
        for e in anonymous
        for s, t in e.mentions
        if sent_start <= s < offset
    ]
    if near:
        return [min(near, key=lambda x: x[0])[1]]
    # a bare "المصادر" in the sentence stands for all the unnamed sources
    i = words.index_at(sent_start)
    j = words.index_at(offset)
    for k in range(j - 1, i - 1, -1):
        b = _head_class(words.folded[k])
        if b in ("مصدر", "مسءول", "شاهد"):
            group = [e for e in anonymous if b in e.heads]
            if group:
                plural = bare(words.folded[k]) in ("مصادر", "مسءولين", "مسءولون", "شهود")
                return group if plural else [group[-1]]
    before = [e for e in anonymous if e.first < offset]
    return [max(before, key=lambda e: e.last)] if before else []


def summarize(sources: list[dict[str, Any]]) -> dict[str, Any]:
    """The per-article summary of ``sources`` (written as ``source_summary``).

    ``anonymous_weighted_share`` weights each source by its count (unknown counts as 1):
    ``3 مصادر`` and one named minister give 0.75. ``chain`` is the attribution chain from
    the credit line through agencies (and the sources each relays) to the cited sources.
    ``anonymity_explained`` is true when every anonymous source has a stated reason
    (``None`` without anonymous sources); ``anonymous_with_reason`` counts those that do.
    """
    total = len(sources)
    anonymous = [s for s in sources if s["anonymous"]]
    weight = sum((s["count"] or 1) for s in sources)
    anon_weight = sum((s["count"] or 1) for s in anonymous)
    cited = [s for s in sources if "cited" in s["roles"]]
    by_type = {t: sum(1 for s in sources if s["type"] == t) for t in TYPES}
    relays: dict[str, list[str]] = {}
    for s in sources:
        for v in s["via"]:
            relays.setdefault(v, []).append(s["name"])
    reasons = list(
        dict.fromkeys(s["anonymity_reason"]["text"] for s in anonymous if s["anonymity_reason"])
    )
    return {
        "sources": total,
        "named": total - len(anonymous),
        "anonymous": len(anonymous),
        "anonymous_share": round(len(anonymous) / total, 4) if total else 0.0,
        "anonymous_weighted_share": round(anon_weight / weight, 4) if weight else 0.0,
        "by_type": {t: n for t, n in by_type.items() if n},
        "by_role": {r: sum(1 for s in sources if r in s["roles"]) for r in ROLES},
        "chain": {
            "credit": [s["name"] for s in sources if "credit" in s["roles"]],
            "agencies": [s["name"] for s in sources if s["type"] == "agency"],
            "relays": relays,
            "cited": [s["name"] for s in cited if s["type"] != "agency"],
        },
        "no_response": [s["name"] for s in sources if "no_response" in s["roles"]],
        "only_anonymous": bool(cited) and all(s["anonymous"] for s in cited),
        "anonymity_explained": (
            None if not anonymous else all(s["anonymity_reason"] for s in anonymous)
        ),
        "anonymous_with_reason": sum(1 for s in anonymous if s["anonymity_reason"]),
        "anonymity_reasons": reasons,
    }


__all__ = ["find_sources", "summarize", "summarize_sources", "TYPES", "ROLES", "fold", "is_nisba"]
