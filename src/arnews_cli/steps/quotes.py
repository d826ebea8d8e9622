"""``extract-quotes``: who said what in an article, with offsets into its text.

Rules, applied per sentence of each headline and paragraph:

* a **verb cue** (قال، أكدت، وأضافوا، يقول، ونفى …, see :mod:`arnews_cli.steps.cues`) is
  followed by its speaker (or has none: ``وأضاف أن`` refers back to the latest speaker of
  the same gender and number) and then its content: an ``أن / إن / بأن`` clause, a colon,
  a quotation, or for some verbs a noun phrase (``نفى الاتهامات``، ``ندد بالضربات``);
* a quotation followed by its attribution (``«…»، قال الوزير``) is that speaker's;
* relays (``نقلت وكالة رويترز عن 3 مصادر … أن``، ``… نقلا عن مسؤول``) credit the original
  source and keep the relay in ``via``;
* prepositional attributions (بحسب، وفقا لـ، حسب، طبقا لـ …) take the clause they open,
  or the sentence they close;
* a participle (``، مضيفا أن …``) is a quote of its own with the sentence's speaker;
* a headline ``X: …`` is X's quote (cue ``:``).

A quote's ``text`` runs from its content start (the opener or the opening mark) to the end
of its sentence, or to the closing mark of a quotation. Non-responses (لم ترد، رفض
التعليق …) are left to :mod:`arnews_cli.steps.nonresponse`.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass, field
from itertools import compress, filterfalse, repeat
from operator import itemgetter
from typing import Any

import regex

from arnews_cli.article import Article
from arnews_cli.steps import charsets as cs
from arnews_cli.steps.cues import (
    TATWEEL,
    Cue,
    fold,
    fold_in_place,
    gate_words,
    lexicon,
    lookup,
    strict_stems,
    strict_words,
)
from arnews_cli.steps.quotemarks import MARKS, QuoteSpan, pair_quotes
from arnews_cli.steps.speakers import (
    CLAUSE_BOUNDARY,
    NEGATION,
    NOT_SOURCES,
    PREPOSITIONS,
    RELATIVE,
    SETTING_NOUNS,
    Tok,
    agreement,
    chunk_back,
    chunk_speaker,
    is_opener,
    is_quote_mark,
    is_setting,
    opener_at,
    stops_speaker,
    tokens_and_keys,
    wants,
)

UNIT_KINDS = ("headline", "paragraph", "subheading")
TERMINATORS = frozenset(".!?؟…")
# a full stop that is not inside a word (3.5، الجزيرة.نت), or another terminal mark
_TERMINATOR = regex.compile(
    r"[!?؟…]|\.(?![\p{L}\p{M}\p{N}_])|(?<![\p{L}\p{M}\p{N}_#@])\."
)
# Splits a sentence into the words the gate looks up. The stdlib re for speed: outside
# U+0000-U+FFFF it splits more often than [^\p{L}\p{N}_#@]+ would, which only lets a few
# more sentences past the gate, never fewer.
_GATE_SPLIT = re.compile(f"([^{cs.LN_BMP}_#@]+)")
# punctuation that may cling to a word, stripped before the word is looked up
_EDGES = ".,،؛;:!?؟…\"'«»“”‘’()[]{}<>-–—/\\*%٪•·+"
_SAY_PARTICIPLES = frozenset(["قائلا", "قائلة", "قائلين", "بالقول", "بقوله", "بقولها"])
_QUOTE_OF = frozenset(["قوله", "قولها", "قولهم", "قولهما", "بقوله", "بقولها"])
_TIME_FOLLOWERS = frozenset(
    ["الشهر", "الأسبوع", "الاسبوع", "العام", "السنة", "الماضي", "الماضية", "الجاري",
     "الجارية", "المقبل", "المقبلة", "الحالي", "الحالية", "الصباح", "المساء"]
)
_OBJECT = ("np", "prep")
_OPENER_WORD = regex.compile(r"^[وفب]?ان(?:ه|ها|هم|هما|نا|ني)?:?$")
_PRONOUN_PPS = frozenset(
    "فيه فيها فيهم عنه عنها عنهم عليه عليها عليهم له لها لهم".split()
)
_OBJECT_STEMS = frozenset(
    "نظير نظيرت مسؤوليت مسئوليت عملاء عملائ دعم رفض تاييد ترحيب استعداد تضامن "
    "شكر تقدير تمسك رغبت عزم التزام حرص موقف".split()
)
"""Nouns that, with an attached pronoun, are the object of an attributing verb
(نظيره، مسؤوليتها، دعمه، رفضهم), not part of its subject (keys: one alef)."""
_PRONOUN_SUFFIXES = ("هما", "هم", "هن", "ها", "ه")


def _object_noun(key: str) -> bool:
    """:data:`_OBJECT_STEMS` with an attached pronoun: نظيره، مسؤوليتها، عملاءهم."""
    for suffix in _PRONOUN_SUFFIXES:
        if key.endswith(suffix) and key[: -len(suffix)] in _OBJECT_STEMS:
            return True
    return False


_PREP_PRONOUNS = _PRONOUN_PPS | frozenset("به بها بهم منه منها منهم".split())
"""A preposition with an attached pronoun (فيه، لها، به): never a subject."""
_RECENT = 8  # quotes of a sentence looked back on; spans reaching into a sentence
_HISTORY = 64  # speakers kept for pronoun resolution
_MAX_FRAGMENTS = 64  # quotations looked at inside one quote's content
_MAX_PER_SENTENCE = 24  # quotes found in one sentence
_CLAUSE_MARKS = frozenset("،,:؛;")
_NOT_SUBJECTS = frozenset(
    "تويتر فيسبوك فيس انستغرام انستجرام يوتيوب سناب الانترنت الهاتف هاتفيا قوسين يدي يديه "
    "يديها ايدي ايدينا".split()
)
"""What the prepositions بين and عبر take, never the subject of the verbs: a medium
(عبر تويتر) or a fixed phrase (بين قوسين، بين يدي) (keys: one alef)."""
_BEFORE_AN = frozenset(["فضلا", "بعيدا", "بدلا", "عوضا", "نيابة", "ناهيك", "نقلا"])
"""Words that make a compound preposition with a following عن (فضلا عن، بعيدا عن)."""
_DEMONSTRATIVES = frozenset(["هذا", "هذه", "ذلك", "تلك", "هذين", "هاتين"])


def _marks_object(key: str) -> bool:
    """A word that cannot continue a subject after its head: a demonstrative, or a noun
    with an attached pronoun (نظيره، مسؤوليته، عملاءها), which is never definite, nor
    joined by و (وأقاربهم is a second subject)."""
    if key in _DEMONSTRATIVES:
        return True
    if key.startswith(("ال", "و")) or key.endswith("الله"):
        return False
    if len(key) >= 5 and key.endswith(("ها", "هما", "هم", "هن")):
        return True
    return len(key) >= 4 and key.endswith("ه") and key[-2] not in "اوي"


_MAX_CONTENT = 4000  # characters of unquoted content (a sentence is far shorter)
_PARTICLES = frozenset(
    "لدى في من عن على مع إلى الى باسم بين عند ضد نحو و أو او ثم حول بشأن دون".split()
)
_OUTLET_HEADS = frozenset(
    "لوكالة لصحيفة لقناة لموقع لشبكة لإذاعة لاذاعة لمحطة لمجلة لتلفزيون لراديو".split()
)
_SETTING_ADJ = frozenset(
    "رسمي رسمية صحفي صحفية صحافي صحافية مشترك مشتركة مكتوب مكتوبة مقتضب مقتضبة صادر صادرة "
    "متلفز متلفزة خاص خاصة له لها لهم نشره نشرته نشرها أصدره أصدرته ذاته ذاتها نفسه نفسها "
    "الصدد".split()
)
_CONTRAST = frozenset(["لكن", "ولكن", "بينما", "فيما", "لكنه", "لكنها", "ولكنه", "ولكنها",
                       "حين"])
_SETTING_CUES = frozenset(["في بيان", "في تصريح", "في تصريحات"])
_FORMULAS = frozenset(["يذكر", "ويذكر", "يشار", "ويشار"])
_NAME_HEADS = frozenset(
    "شركة موقع صحيفة قناة إذاعة اذاعة وكالة منظمة مؤسسة حركة جماعة تنظيم برنامج تطبيق مجلة "
    "حزب عملية اسم تسمية لقب هاشتاغ هاشتاج وسم مبادرة مشروع كتاب فيلم مسلسل أغنية رواية حملة "
    "مركز جمعية نادي فريق منصة شبكة مجموعة ائتلاف تحالف جبهة مجلس لجنة مهرجان مسابقة بطولة "
    "عنوان شعار بعنوان المسماة يسمى تسمى المعروف المعروفة بـ ولاية".split()
)
_NAME_TAKERS = frozenset(fold(w) for w in ("على", "عبر", "في", *_NAME_HEADS))
"""Words a quoted name follows (a platform after على، عبر or في, a paper after صحيفة)."""
_TOPIC_HEADS = frozenset(
    "عاجل فيديو بالفيديو بالصور صور شاهد إنفوجراف انفوجراف خلال في بعد قبل اقرأ إقرأ تقرير "
    "حوار مقابلة رأي تحليل".split()
)


@dataclass
class _Speaker:
    text: str
    start: int
    end: int
    cls: str  # m f p (see speakers.agreement)


@dataclass
class _Quote:
    kind: str
    start: int
    end: int
    cue: tuple[int, int]
    speaker: _Speaker | None
    resolved: bool = False
    via: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class _Sentence:
    toks: list[Tok]
    cues: dict[int, tuple[Cue, int]]
    start: int
    end: int  # end of the last word (terminal punctuation excluded)
    headline: bool = False
    names: dict[int, int] = field(default_factory=dict)  # short quotations: start -> end
    cue_set: set[int] = field(default_factory=set)  # token indices of the cues
    # cues whose bare form is mostly another word (بين "between"): token index -> cue;
    # not in ``cues``, so they never end another cue's speaker or content
    strict: dict[int, tuple[Cue, int]] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)  # the tokens' keys, in order


class _Extractor:
    """The state of one article: its quotations and the speakers met so far."""

    def __init__(self, text: str, spans: list[QuoteSpan]) -> None:
        self.text = text
        self.spans = spans
        self.by_start = {s.start: s for s in spans}
        self.by_end = {s.end: s for s in spans if s.closed}
        self.starts = [s.start for s in spans]
        self.history: list[_Speaker] = []
        self.relays: list[tuple[int, int]] = []
        self.quotes: list[_Quote] = []
        # speaker span -> the relay that brought their words (نقلت X عن Y): a later cue
        # with no subject that resolves to Y is relayed by X too (وتابعت …)
        self.relayed: dict[tuple[int, int], list[tuple[int, int]]] = {}

    # -- spans -----------------------------------------------------------------------------
    def speaker(self, toks: list[Tok], s: int, e: int, cls_gender: str, number: str,
                strip_l: bool = False) -> _Speaker:
        start = toks[s].start
        if toks[s].key.startswith(("وال", "فال")) and len(toks[s].key) > 4:
            start += 1  # the conjunction is not part of the name (فالمؤيدون يرون …)
        if strip_l:
            k = toks[s].text
            if (k.startswith("لـ") or toks[s].key.startswith("لل")) and len(k) > 3:
                start += 2  # لـCNN، للصحيفة -> صحيفة
            elif k.startswith("ل") and len(k) > 3:
                start += 1
        end = toks[e - 1].end
        while e - 1 > s and toks[e - 1].text in "،,:؛;-–.":
            e -= 1
            end = toks[e - 1].end
        sub = toks[s:e]
        return _Speaker(self.text[start:end], start, end, agreement(sub, cls_gender, number))

    def remember(self, spk: _Speaker) -> None:
        self.history.append(spk)
        if len(self.history) > 2 * _HISTORY:
            del self.history[:-_HISTORY]

    def resolve(self, want: str) -> _Speaker | None:
        for cand in reversed(self.history):
            if want == "-" or cand.cls == want:
                return cand
        return None

    # -- content ---------------------------------------------------------------------------
    def content(self, sent: _Sentence, j: int) -> tuple[str, int, int] | None:
        """(kind, start, end) of the content starting at token ``j``."""
        toks = sent.toks
        if j >= len(toks) or toks[j].start >= sent.end:
            return None
        start = toks[j].start
        span = self.by_start.get(start) if is_quote_mark(toks[j]) else None
        if span is not None:
            end = span.end if span.closed else sent.end
            if end <= start + 1:
                return None
            return "direct", start, max(end, start + 1)
        end = sent.end
        if end <= start:
            return None
        if end - start > _MAX_CONTENT:  # a "sentence" without any stop: cut at a space
            cut = self.text.rfind(" ", start, start + _MAX_CONTENT)
            end = cut if cut > start else start + _MAX_CONTENT
        return self._classify(start, end), start, end

    def _classify(self, start: int, end: int) -> str:
        """direct when (nearly) all the content is one quotation (إن "…"), mixed when it
        carries quoted words, indirect otherwise."""
        span = self._fragment(start, end)
        if span is None:
            return "indirect"
        before = self.text[start : span.start].split()
        opener_only = not before or (len(before) == 1 and bool(_OPENER_WORD.match(fold(before[0]))))
        if opener_only and (not span.closed or self._words(span.end, end) <= 2):
            return "direct"  # إن "…" / أن: "…"
        return "mixed"

    def _words(self, start: int, end: int) -> int:
        return self._few_words(start, end, 3)

    def _few_words(self, start: int, end: int, cap: int) -> int:
        """How many words ``text[start:end]`` has, counting no further than ``cap``."""
        if end <= start:
            return 0
        return min(cap, len(self.text[start : min(end, start + 40 * cap)].split(None, cap)))

    def _has_fragment(self, start: int, end: int, toks: list[Tok]) -> bool:
        return self._fragment(start, end) is not None

    def _fragment(self, start: int, end: int) -> QuoteSpan | None:
        """The first quotation inside ``text[start:end]`` that holds quoted words, not a
        name (شركة "مكافي"، إن "فيسبوك" …)."""
        first = bisect.bisect_left(self.starts, start)
        for span in self.spans[first : first + _MAX_FRAGMENTS]:
            if span.start >= end:
                break
            if not span.closed:
                if span.start + 1 < end and self._few_words(span.start, end, 3) >= 3:
                    return span  # an unclosed quotation runs to the end of its sentence
                continue
            a, b = span.inner
            words = self._few_words(a, b, 5)
            if not words:
                continue
            before = self.text[max(start, span.start - 40) : span.start].split()
            prev = before[-1] if before else ""
            if words <= 4 and (prev in _NAME_HEADS or prev.lstrip("وف") in _NAME_HEADS
                                    or prev.endswith("بـ")):
                continue
            if words == 1 and prev in ("إن", "أن", "ان", "بأن", "فإن"):
                continue
            return span
        return None

    # -- sentences -------------------------------------------------------------------------
    def sentence(self, sent: _Sentence) -> None:
        toks = sent.toks
        done: set[int] = set()
        if sent.strict:  # keep the strict cues that stand where one may (all judged first)
            sent.strict = {x: hit for x, hit in sent.strict.items()
                           if self._strict_place(sent, x, hit[0])}
        if sent.strict or any(c.lemma not in _SETTING_CUES for c, _ in sent.cues.values()):
            for x in [x for x, (c, _) in sent.cues.items() if c.lemma in _SETTING_CUES]:
                del sent.cues[x]
        if not sent.cues and not sent.strict:
            return
        sent.names = self._names(sent)
        sent.cue_set = set(sent.cues)
        here: list[_Quote] = []
        for i in sorted(sent.cues.keys() | sent.strict.keys()):
            if len(here) >= _MAX_PER_SENTENCE:
                break  # no real sentence holds more; a flood of cues is not news text
            if i in done:
                continue
            cue, n = sent.cues[i] if i in sent.cues else sent.strict[i]
            if self._negated(toks, i):
                continue
            q: _Quote | None
            if i in sent.strict:
                q = self.strict(sent, i, cue, n, here)
            elif cue.aspect in ("perf", "imperf"):
                q = self.verb(sent, i, cue, n, here, done)
            elif cue.aspect == "part":
                q = self.participle(sent, i, cue, n, here)
            elif cue.aspect == "prep":
                q = self.prep(sent, i, cue, n, here, done)
            else:
                q = self.noun(sent, i, cue, n, here)
            if q is None:
                continue
            if any((p.start, p.end) == (q.start, q.end) for p in here):
                # the same words attributed once: وتابع قائلا: …، وأضاف بالقول إن …
                # (the manner of the verb's saying), قال X، بحسب وكالة Y، إن … (the
                # agency carried them)
                continue
            for x in range(i, i + n):
                done.add(x)
            if q.speaker is not None:
                self._carry_relay(q)
            here.append(q)
            self.quotes.append(q)
        self._trim(here, toks, sent.keys)

    def _carry_relay(self, q: _Quote) -> None:
        """Note who relayed a speaker's words; a later quote whose speaker is resolved to
        them (a cue with no subject) came through the same relay."""
        assert q.speaker is not None
        key = (q.speaker.start, q.speaker.end)
        if q.via:
            self.relayed[key] = q.via
        elif q.resolved:
            q.via = self.relayed.get(key, q.via)

    def strict(self, sent: _Sentence, i: int, cue: Cue, n: int,
               here: list[_Quote]) -> _Quote | None:
        """A cue whose bare form is mostly another word (بين "between", عبر "via"), read
        where :meth:`_strict_place` allows (:meth:`sentence` keeps only those), with its
        subject and content:
        ``وبين رئيس الحكومة أن …``, ``وعبر الوزير عن قلقه`` (not ``الفرق بين البلدين أن``,
        ``عبر الهاتف``, ``بين مصر وتركيا``); or, with its conjunction, as verb and
        content with the last speaker: ``وبين (في تصريح صحفي) أن …``."""
        toks = sent.toks
        limit = len(toks)
        k = i + n
        pos = toks[i].start
        if any(q.speaker is not None and q.speaker.start <= pos < q.speaker.end for q in here):
            return None  # a word of an earlier speaker (a later cue cuts an earlier content)
        if k >= limit or not toks[k].word or toks[k].key in _PREP_PRONOUNS \
                or toks[k].key in _NOT_SUBJECTS or toks[k].key in SETTING_NOUNS:
            return None  # عبر فيه، عبر تويتر، عبر صفحته، بين قوسين: no subject
        after = self._skip_fillers(sent, k, limit, cue.preps)
        if after < limit and is_opener(toks[after]):
            if not cue.conj or cue.has_flag("x"):
                return None
            last = self.resolve(wants(cue.gender, cue.number))
            if last is None:
                return None
            return self._finish(sent, (after, "open"), (pos, toks[k - 1].end), last, True, [])
        if self._starts_content(toks, k):
            return None
        e = chunk_speaker(toks, k, sent.cue_set, limit, sent.names)
        subject = toks[k:e]
        if e <= k or toks[e - 1].key in _BEFORE_AN or any(t.key == "و" for t in subject):
            return None  # no subject; عبر البحر فضلا عن …: a compound preposition
        if not cue.conj and any(t.key.startswith("و") or t.text in "،," for t in subject):
            return None  # بين مصر وتركيا، بين أندية …، وأخرى …
        if toks[k].key.startswith("ال") and any(t.key.startswith("وال") for t in subject):
            return None  # بين الحكومة والمعارضة (but وزير الصحة والسكان is one subject)
        comp = self._complement(sent, e, cue, limit, True)
        if comp is None:
            return None
        c = toks[comp[0]]
        if not (comp[1] == "open" and is_opener(c) or comp[1] in ("colon", "quote")
                or comp[1] == "prep" and c.key == "عن"
                and (comp[0] + 1 >= limit or toks[comp[0] + 1].key != "طريق")):
            return None  # عبر … عن طريق: "by way of"
        spk = self.speaker(toks, k, e, cue.gender, cue.number)
        return self._finish(sent, comp, (pos, toks[k - 1].end), spk, False, [])

    @staticmethod
    def _strict_place(sent: _Sentence, i: int, cue: Cue) -> bool:
        """Where a strict cue may stand: first in its sentence, or with its conjunction
        after a comma or colon, and never after the same word earlier in the sentence
        (بين أن يصوت …، وبين أن يقاطع …: "between … and between …")."""
        if i > 0 and (not cue.conj or sent.toks[i - 1].text not in _CLAUSE_MARKS):
            return False
        return not any(x < i and c.lemma == cue.lemma for x, (c, _) in sent.strict.items())

    def _opens_clause(self, cue_start: int, toks: list[Tok], starts: list[int],
                      keys: list[str]) -> bool:
        """Whether the cue at ``cue_start`` begins a new clause of the sentence: a cue with
        its conjunction (وقال، لينفي), after a contrast (لكن، في حين), a comma or a colon.
        ``starts`` and ``keys`` are those of ``toks``."""
        x = bisect.bisect_left(starts, cue_start)
        if x >= len(toks):
            return False
        cue = lookup(keys, x)
        if cue is not None and cue[0].conj:
            return True
        prev = toks[x - 1] if x > 0 else None
        return prev is None or prev.text in "،,:؛;" or prev.key in _CONTRAST or (
            x > 1 and toks[x - 2].key in _CONTRAST)

    def _trim(self, here: list[_Quote], toks: list[Tok], keys: list[str]) -> None:
        """End a quote's unquoted content where the next attribution of its sentence begins
        (… الاهتمام بالعملات المحلية، وقال بوتين: "…")."""
        if len(here) < 2:
            return
        starts = list(map(_START, toks))
        for q in here:
            if self.text[q.start] in MARKS and q.start in self.by_start:
                continue  # the content is a quotation: it ends with its closing mark
            cut = min((o.cue[0] for o in here
                       if o is not q and q.start < o.cue[0] < q.end and o.start > o.cue[0]
                       and self._opens_clause(o.cue[0], toks, starts, keys)),
                      default=None)
            if cut is None:
                continue
            x = bisect.bisect_left(starts, cut)
            while x > 0 and (not toks[x - 1].word and toks[x - 1].text not in "»”\"’)"
                             or toks[x - 1].key in ("و", "ف")):
                x -= 1
            if x > 0 and toks[x - 1].end > q.start:
                q.end = toks[x - 1].end
                q.kind = self._classify(q.start, q.end)

    def _negated(self, toks: list[Tok], i: int) -> bool:
        if i == 0:
            return False
        prev = toks[i - 1].key
        if prev in NEGATION:
            return True
        return prev == "ان" and i >= 2 and toks[i - 2].key in ("دون", "بدون", "من دون")

    def _name_at(self, sent: _Sentence, x: int) -> bool:
        """A quoted name (ويقول "المرصد السوري" المعارض إن) rather than quoted words."""
        y = self._skip_name(sent, x, len(sent.toks))
        return y != x and (sent.toks[y].word or opener_at(sent.toks, y)) and y not in sent.cues

    @staticmethod
    def _names_a_thing(toks: list[Tok], x: int) -> bool:
        """Whether the short quotation at ``x`` follows a word that takes a name (a
        platform after على، عبر or في, a paper after صحيفة): a name, not what was said."""
        if x == 0 or not toks[x - 1].word:
            return False
        prev = toks[x - 1].key
        return prev in _NAME_TAKERS or prev[:1] in "وف" and prev[1:] in _NAME_TAKERS

    def _skip_name(self, sent: _Sentence, x: int, limit: int) -> int:
        """Past a quoted name (``قناة "آي تي في"``) that the sentence goes on after."""
        toks = sent.toks
        close = sent.names.get(toks[x].start) if x < limit else None
        if close is None:
            return x
        y = x + 1
        while y < limit and toks[y].start < close:
            y += 1
        return y if y < limit else x

    def _setting_tail(self, sent: _Sentence, j: int, limit: int) -> int:
        """The rest of a setting phrase: ``(في بيان) رسمي لوكالة الأنباء "واس"``."""
        toks = sent.toks
        owner = 0
        named = False
        while j < limit and j not in sent.cues and not opener_at(toks, j):
            t = toks[j]
            if not t.word:
                nxt = self._skip_name(sent, j, limit) if not named else j
                if nxt == j:
                    break
                j, named = nxt, True  # the outlet's quoted name, once
                continue
            k = t.key
            if k in _SETTING_ADJ or k == "ل" or t.text.startswith("لـ"):
                j += 1
            elif k.startswith("ل") and len(k) > 2 and owner == 0:
                owner = 3  # لوكالة الأنباء الفرنسية، للوزارة
                j += 1
            elif owner > 0 and (k.startswith("ال") or k in ("له", "لها")):
                owner -= 1
                j += 1
            else:
                break
        return j

    def _skip_fillers(self, sent: _Sentence, j: int, limit: int,
                      keep: tuple[str, ...] = ()) -> int:
        """Skip time words and setting phrases (في بيان …، لوكالة …) after a cue or speaker.

        A word in ``keep`` (the cue's own prepositions: عبرت عن …) is not skipped.
        """
        toks = sent.toks
        guard = 0
        while j < limit and guard < 6:
            guard += 1
            if toks[j].text in "،,":
                j += 1
                continue
            if toks[j].key in _PRONOUN_PPS:
                j += 1
                continue
            if not toks[j].word or not is_setting(toks, j) or j in sent.cues:
                break
            k = toks[j].key
            if k in keep:
                break
            j += 1
            if k in ("هذا", "هذه", "يوم") or k in _TIME_FOLLOWERS:
                while j < limit and toks[j].key in _TIME_FOLLOWERS:
                    j += 1
            elif k in _OUTLET_HEADS:
                if j < limit and toks[j].word and j not in sent.cues:
                    j = self._skip_name(sent, j, limit)
                    j = j + 1 if j < limit and toks[j].word else j
                j = self._setting_tail(sent, j, limit)
            elif k.startswith(("في", "وفي", "فى", "وفى", "من", "ومن", "ل")):
                # the noun after في, the pronoun of من جهته
                head = 1 if k in ("في", "وفي", "فى", "وفى", "من", "ومن") else 0
                j = self._setting_tail(sent, j + head, limit)
            elif k in ("خلال", "عقب", "بعد", "قبل", "أثناء", "اثناء", "عبر", "على", "أمام",
                       "امام", "حول", "بشأن", "بشان", "إثر", "اثر", "وسط", "ضمن"):
                stop = min(limit, j + 8)
                while j < stop and toks[j].word and not opener_at(toks, j) and \
                        j not in sent.cues and toks[j].key not in keep:
                    j += 1
        return j

    def _starts_content(self, toks: list[Tok], j: int) -> bool:
        return opener_at(toks, j) or toks[j].text == ":" or is_quote_mark(toks[j])

    def _complement(self, sent: _Sentence, pos: int, cue: Cue, limit: int,
                    explicit: bool) -> tuple[int, str] | None:
        """(index, how) where the content starts: how is open / colon / quote / prep / np."""
        toks = sent.toks
        pos = self._skip_fillers(sent, pos, limit, cue.preps)
        if pos < limit and toks[pos].key in _SAY_PARTICIPLES and toks[pos - 1].text not in "،,":
            pos += 1  # وتابع روفان قائلا: (after a comma it is a quote of its own)
        if pos >= limit:
            return None
        t = toks[pos]
        if opener_at(toks, pos):
            if is_opener(t) and not cue.says:
                return None
            if not is_opener(t) and not cue.says and t.key not in cue.preps:
                return None
            return pos, "open"
        if t.text == ":":
            return (pos + 1, "colon") if cue.says and pos + 1 < limit else None
        if is_quote_mark(t) and t.start in self.by_start:
            if self._skip_name(sent, pos, limit) != pos and opener_at(
                toks, self._skip_name(sent, pos, limit)
            ):
                pass  # a quoted name, then the content
            elif t.start in sent.names and self._names_a_thing(toks, pos):
                pass  # وكتب على "تويتر": …، كما ذكرت صحيفة "الشرق الأوسط"
            elif cue.says or cue.np:
                return pos, "quote"
        if t.word and self._prep_word(t, cue.preps, first=True):
            return pos, "prep"
        if t.word and not stops_speaker(toks, pos, sent.cue_set):
            if t.key in PREPOSITIONS:
                if not cue.says:
                    return None  # وتعتبر من أهم …: not what was said
            elif cue.np and explicit:
                later = self._opener_after_comma(sent, pos, limit) if cue.says else None
                if later is not None:
                    return later, "quote" if is_quote_mark(toks[later]) else "open"
                return pos, "np"
        if not cue.says:
            return None
        # scan on for an opener, colon or quotation (past a relative clause or setting)
        x = pos
        stop = min(limit, pos + 20)
        while x < stop:
            tx = toks[x]
            own = x == pos and cue.np and explicit  # the speaker's own relative clause
            if tx.key in RELATIVE and (own or toks[x - 1].text in "،,"):
                # a relative clause ended by a comma: jump past it
                y = x + 1
                while y < min(limit, x + 25) and toks[y].text not in "،,":
                    y += 1
                if y < limit:
                    x = y + 1
                    if own and x < limit and toks[x].word and not opener_at(toks, x) and \
                            x not in sent.cues:
                        return x, "np"  # ونفى الحضري … الذي غاب …، حدوث أي خلافات
                    continue
            if x in sent.cues and (toks[x].key not in _SAY_PARTICIPLES
                                   or toks[x - 1].text in "،,"):
                return None
            if opener_at(toks, x):
                return x, "open"
            if tx.text == ":":
                return (x + 1, "colon") if x + 1 < limit else None
            if is_quote_mark(tx) and tx.start in self.by_start and x > pos and (
                toks[x - 1].text in ":،," or tx.start not in sent.names
            ):
                return x, "quote"
            x += 1
        return None

    @staticmethod
    def _opener_after_comma(sent: _Sentence, pos: int, limit: int) -> int | None:
        """An opener soon after a comma (``…، المسؤولة عن القسم، أن``): the words before it
        are an apposition or a setting, not the object."""
        toks = sent.toks
        for x in range(pos + 1, min(limit, pos + 30)):
            t = toks[x]
            if x in sent.cues or t.text == ":":
                return None
            if is_quote_mark(t):
                if t.start in sent.names:
                    continue
                return x if toks[x - 1].text in "،," else None
            if opener_at(toks, x):
                return x if toks[x - 1].text in "،," else None
        return None

    @staticmethod
    def _prep_word(t: Tok, preps: tuple[str, ...], first: bool) -> bool:
        """Whether ``t`` opens a prepositional complement of the cue (بالضربات، إلى …)."""
        k = t.key
        for p in preps:
            if len(p) > 1:
                if k in (p, "و" + p):
                    return True
            elif k.startswith(p + "ال") or (first and k.startswith(p) and len(k) > 2) or (
                p == "ب" and k.startswith(p) and len(k) >= 4
                and (k[1] in "ماتس" or k.endswith(("ة", "ات", "اء")))
            ):
                return True
        return False

    def _split_object(self, toks: list[Tok], s: int, e: int, cue: Cue,
                      marked_only: bool = False) -> int | None:
        """Where a noun-phrase complement starts inside an over-long speaker chunk.

        ``marked_only``: only at a noun that, with an attached pronoun, is the usual
        object of such a cue (وشكر بوتين نظيره الصيني على …، أعلن تنظيم داعش مسؤوليته عن
        …), never at one that ends a title (وزير خارجيتها، المتحدث باسمه، نائب رئيسه)."""
        seen_def = toks[s].key.startswith(("ال", "وال"))
        for x in range(s + 1, e):
            k = toks[x].key
            if not toks[x].word:
                continue
            if not marked_only and self._prep_word(toks[x], cue.preps, first=False):
                if cue.np and x - s >= 2:  # اتهم X بـ، طالب X بـ: the object comes first
                    # a two-word object: الحكومة التركية بـ…، مجلس الأمن بـ…
                    two = x - s >= 3 and toks[x - 1].key.startswith("ال") and (
                        not toks[x - 2].key.startswith("ال")
                        or not toks[x - 3].key.startswith("ال"))
                    return x - (2 if two else 1)
                return x
            if not cue.np:
                if k.startswith("ال"):
                    seen_def = True
                continue
            if marked_only:
                if _object_noun(k) and any(t.word for t in toks[s:x]):
                    return x
                continue
            if _marks_object(k) and any(t.word for t in toks[s:x]):
                return x
            if k in ("أي", "اي", "كل"):
                return x
            definite = k.startswith(("ال", "وال"))
            if seen_def and not definite and toks[x - 1].key.startswith(("ال", "وال")) and \
                    k not in _PARTICLES:
                return x
            if definite:
                seen_def = True
        return None

    def _names(self, sent: _Sentence) -> dict[int, int]:
        """Short closed quotations of the sentence (start -> end): candidate quoted names."""
        out: dict[int, int] = {}
        toks = sent.toks
        # every quotation mark is a token of its own, so the spans starting inside the
        # sentence are those starting at one of its marks
        end = toks[-1].end
        spans = self.spans
        k = bisect.bisect_left(self.starts, toks[0].start)
        while k < len(spans) and spans[k].start < end:
            span = spans[k]
            k += 1
            if span.closed:
                a, b = span.inner
                if b - a < 80 and 0 < self._few_words(a, b, 5) <= 4:
                    out[span.start] = span.end
        return out

    def _subject(self, sent: _Sentence, i: int, want: str = "-") -> _Speaker | None:
        """The subject of the sentence's opening verb (ويشن الجيش الأمريكي … يقول إنها), when
        it agrees with the cue (``want``, see :func:`speakers.wants`)."""
        toks = sent.toks
        first = toks[0].key if toks else ""
        if i < 3 or not toks[0].word or len(first) < 3 or first.startswith(("ال", "وال")):
            return None  # the sentence must open with its verb (وأنهى …، تعرض …)
        if first in CLAUSE_BOUNDARY or first in NEGATION or first in RELATIVE or \
                first in PREPOSITIONS:
            return None
        e = chunk_speaker(toks, 1, sent.cue_set, i, sent.names, appositions=False)
        if e <= 1:
            return None
        spk = self.speaker(toks, 1, e, "-", "-")
        return spk if want == "-" or spk.cls == want else None

    def _in_sentence(self, here: list[_Quote], want: str) -> _Speaker | None:
        """The speaker of the sentence's latest quote, when it agrees (لكنه حذر بأن …)."""
        if here and here[-1].speaker is not None:
            spk = here[-1].speaker
            if want == "-" or spk.cls == want:
                return spk
        return None

    def verb(self, sent: _Sentence, i: int, cue: Cue, n: int, here: list[_Quote],
             done: set[int]) -> _Quote | None:
        toks = sent.toks
        limit = len(toks)
        k = i + n
        inside = _covers(here, toks[i].start)
        cue_span = (toks[i].start, toks[k - 1].end)
        if cue.has_flag("r"):
            return None if inside else self.relay(sent, i, cue, n, done)
        if cue.has_flag("d"):
            if k + 1 >= limit or toks[k].key not in ("في", "فى", "على"):
                return None
            k += 1
        if cue.has_flag("p"):
            comp = self._complement(sent, k, cue, limit, False)
            got = self.content(sent, comp[0]) if comp is not None else None
            if got is None:
                return None
            return _Quote(got[0], got[1], got[2], cue_span, None)
        after_relative = i > 0 and toks[i - 1].key in RELATIVE
        names = sent.names
        cues = sent.cue_set
        spk: _Speaker | None = None
        resolved = False
        via: list[tuple[int, int]] = []
        # subject first: لكن الشرطة قالت إن / الجيش الأمريكي يعلن مقتل …
        if cue.conj == "" and i > 0 and not after_relative:
            b, b_end = chunk_back(toks, i, 0, cues)
            if b < b_end:
                comp = self._complement(sent, k, cue, limit, True)
                contrast = b > 0 and toks[b - 1].key in _CONTRAST
                if comp is not None and not (inside and comp[1] in _OBJECT and not contrast):
                    spk = self.speaker(toks, b, b_end, cue.gender, cue.number)
                    return self._finish(sent, comp, cue_span, spk, False, via)
        trailing = self._closing_before(sent, i)
        j = self._skip_fillers(sent, k, limit, cue.preps)
        setting = any(toks[x].word for x in range(k, j))
        j = self._skip_addressee(toks, j, limit)
        e = j
        if j < limit and (not self._starts_content(toks, j) or self._name_at(sent, j)) and \
                not self._prep_word(toks[j], cue.preps, first=False):
            e = chunk_speaker(toks, j, cues, limit, names)
        if e > j:
            # a relay inside the subject: قال X نقلا عن Y
            r = self._skip_fillers(sent, e, limit)
            if r + 1 < limit and toks[r].key in ("نقلا", "ونقلا") and toks[r + 1].key == "عن":
                e2 = chunk_speaker(toks, r + 2, cues, limit, names)
                if e2 > r + 2:
                    via.append((toks[j].start, toks[e - 1].end))
                    done.update((r, r + 1))
                    j, e = r + 2, e2
                    r = self._skip_fillers(sent, e, limit)
            spk = self.speaker(toks, j, e, cue.gender, cue.number)
            q = r  # what follows the speaker
            if via and q < limit and toks[q].key in _QUOTE_OF:
                done.add(q)  # وأشارت أنباء نقلا عن محاميه قوله إن …
                e = q + 1
        if trailing is not None and spk is not None:
            comp = self._complement(sent, e, cue, limit, True)
            if comp is None or comp[1] in _OBJECT:
                self.remember(spk)
                return _Quote("direct", trailing.start, trailing.end, cue_span, spk, False, via)
        comp = self._complement(sent, e, cue, limit, spk is not None)
        commas = any(t.text in "،," for t in toks[j:e])
        if spk is not None and (cue.np or cue.preps) and (
            comp is None or (comp[1] == "np" and not commas)
        ):
            split = self._split_object(toks, j, e, cue)
            if split is not None:
                spk = self.speaker(toks, j, split, cue.gender, cue.number)
                comp = (split, "np")
        elif spk is not None and cue.np and comp is not None and comp[1] == "prep":
            # وشكر بوتين نظيره الصيني على …: the object before the preposition
            split = self._split_object(toks, j, e, cue, marked_only=True)
            if split is not None:
                spk = self.speaker(toks, j, split, cue.gender, cue.number)
        if spk is not None and setting and not via and (cue.np or cue.preps) and (
            comp is None or comp[1] in _OBJECT
        ) and self.resolve(wants(cue.gender, cue.number)) is not None:
            # وطالبت في بيان الحكومة بإلغاء …: after a setting, the noun phrase is the object
            spk, comp = None, (j, "np")
        if comp is None:
            return None
        if after_relative and comp[1] in _OBJECT:
            return None
        if spk is None and after_relative:
            b_end = i - 1
            if b_end > 0 and toks[b_end - 1].text in "،,":
                b_end -= 1
            b, b_end = chunk_back(toks, b_end, 0, cues, antecedent=True)
            if b < b_end:
                spk = self.speaker(toks, b, b_end, cue.gender, cue.number)
        contrast = i > 0 and toks[i - 1].key in CLAUSE_BOUNDARY and toks[i - 1].key.startswith(
            ("لكن", "ولكن"))
        if inside and not cue.conj and not contrast and (spk is None or comp[1] in _OBJECT):
            return None  # narrated inside the reported content (… أن قياديا دعا الفصائل)
        if spk is None:
            if cue.has_flag("x") or toks[i].key in _FORMULAS:
                return None
            want = wants(cue.gender, cue.number)
            spk = self._in_sentence(here, want)
            if spk is None and cue.conj == "" and i > 2:
                spk = self._subject(sent, i, want)
            if spk is None:
                spk = self.resolve(want)
            resolved = spk is not None
        return self._finish(sent, comp, cue_span, spk, resolved, via)

    def _finish(self, sent: _Sentence, comp: tuple[int, str], cue_span: tuple[int, int],
                spk: _Speaker | None, resolved: bool,
                via: list[tuple[int, int]]) -> _Quote | None:
        got = self.content(sent, comp[0])
        if got is None:
            return None
        if spk is not None:
            self._touch(spk, resolved)
        return _Quote(got[0], got[1], got[2], cue_span, spk, resolved, via)

    @staticmethod
    def _skip_addressee(toks: list[Tok], j: int, limit: int) -> int:
        """Skip an addressee right after the cue: وقالت لوالديها إنها …"""
        if j + 1 < limit and toks[j].word:
            k = toks[j].key
            if k.startswith("لل") or (k.startswith("ل") and k.endswith(("ها", "هم", "ه"))
                                       and len(k) > 3):
                return j + 1
        return j

    def _touch(self, spk: _Speaker, resolved: bool) -> None:
        if resolved and spk in self.history:
            self.history.remove(spk)
        self.remember(spk)

    def _closing_before(self, sent: _Sentence, i: int) -> QuoteSpan | None:
        toks = sent.toks
        x = i - 1
        while x >= 0 and toks[x].text in "،,-–":
            x -= 1
        if x < 0 or not is_quote_mark(toks[x]):
            return None
        span = self.by_end.get(toks[x].end)
        if span is not None:
            a, b = span.inner
            if self._few_words(a, b, 2) >= 2:
                return span
        return None

    def relay(self, sent: _Sentence, i: int, cue: Cue, n: int, done: set[int]) -> _Quote | None:
        """``نقلت وكالة رويترز عن 3 مصادر … أن …`` and ``… على لسان X قوله``."""
        toks = sent.toks
        limit = len(toks)
        j = self._skip_fillers(sent, i + n, limit, ("عن", "على"))
        x = j
        while x < min(limit, j + 10) and toks[x].key not in ("عن", "لسان"):
            if not toks[x].word and toks[x].text not in "()":
                return None
            x += 1
        if x >= limit or x + 1 >= limit:
            return None
        via = [(toks[j].start, toks[x - 1].end)] if x > j else []
        if x == j and i > 0:  # وكانت وكالة رويترز قد نقلت عن …
            b, b_end = chunk_back(toks, i, 0, sent.cue_set)
            if b < b_end:
                via = [(toks[b].start, toks[b_end - 1].end)]
        if toks[x].key == "لسان":
            if x - 1 < j or toks[x - 1].key != "على":
                return None
            via = [(toks[j].start, toks[x - 2].end)] if x - 1 > j else []
        s = x + 1
        e = chunk_speaker(toks, s, sent.cue_set, limit, self._names(sent))
        if e <= s:
            return None
        spk = self.speaker(toks, s, e, "-", "-")
        pos = e
        while pos < limit and toks[pos].text in "،,":
            pos += 1
        if pos < limit and toks[pos].key in _QUOTE_OF:
            done.add(pos)
            pos += 1
        comp = self._complement(sent, pos, cue, limit, True)
        if comp is None:
            return None
        got = self.content(sent, comp[0])
        if got is None:
            return None
        self.remember(spk)
        via = [self._antecedent(a, b) for a, b in via]
        self.relays.extend(via)
        return _Quote(got[0], got[1], got[2], (toks[i].start, toks[i + n - 1].end), spk, False,
                      via)

    def _antecedent(self, start: int, end: int) -> tuple[int, int]:
        """``الوكالة`` after ``وكالة الأنباء الصينية``: the relay named in full earlier."""
        word = self.text[start:end]
        if " " in word or not fold(word).startswith("ال"):
            return start, end
        head = fold(word)[2:]
        for a, b in reversed(self.relays[-_HISTORY:]):
            if fold(self.text[a:b]).startswith(head + " "):
                return a, b
        return start, end

    def participle(self, sent: _Sentence, i: int, cue: Cue, n: int,
                   here: list[_Quote]) -> _Quote | None:
        toks = sent.toks
        limit = len(toks)
        if i == 0 or toks[i - 1].text not in "،,":
            if not (i + 1 < limit and self._starts_content(toks, i + 1)):
                return None
        comp = self._complement(sent, i + n, cue, limit, True)
        if comp is None:
            return None
        got = self.content(sent, comp[0])
        if got is None:
            return None
        return self._implied(sent, i, n, got, here, wants(cue.gender, cue.number))

    def _implied(self, sent: _Sentence, i: int, n: int, got: tuple[str, int, int],
                 here: list[_Quote], want: str) -> _Quote:
        """A quote whose cue names no speaker: the sentence's last speaker, else the subject
        the sentence opens with, else the latest speaker agreeing with ``want``."""
        spk = here[-1].speaker if here else None
        if spk is None:
            spk = self._subject(sent, i) if i > 2 else None
        if spk is None:
            spk = self.resolve(want)
        toks = sent.toks
        return _Quote(got[0], got[1], got[2], (toks[i].start, toks[i + n - 1].end), spk,
                      spk is not None)

    def noun(self, sent: _Sentence, i: int, cue: Cue, n: int,
             here: list[_Quote]) -> _Quote | None:
        toks = sent.toks
        if cue.has_flag("p"):
            return self.verb(sent, i, cue, n, here, set())
        comp = self._complement(sent, i + n, cue, len(toks), True)
        if comp is None or comp[1] == "np":
            return None
        got = self.content(sent, comp[0])
        if got is None:
            return None
        return self._implied(sent, i, n, got, here, "-")

    def prep(self, sent: _Sentence, i: int, cue: Cue, n: int, here: list[_Quote],
             done: set[int]) -> _Quote | None:
        """بحسب X، … / … وفقا لـ X / «…»، بحسب X / … ، وفقا لـ X ، …"""
        toks = sent.toks
        limit = len(toks)
        j = i + n
        if j < limit and toks[j].key in ("ما", "لما"):
            j += 1
            if j < limit and toks[j].word and j + 1 < limit:
                done.add(j)  # the verb of بحسب ما ذكرت X is part of the attribution
                j += 1
                if j + 1 < limit and toks[j].key in ("به", "بها", "عنه", "عنها", "فيه"):
                    j += 1
        if j < limit and toks[j].text in ("لـ", "ل"):
            j += 1
        if j >= limit:
            return None
        if cue.lemma == "على حد" or toks[j].key.startswith(("قول", "تعبير", "وصف", "زعم")):
            return self._own_words(sent, i, j, here)
        e = chunk_speaker(toks, j, sent.cue_set, limit, sent.names, force_first=True)
        if e <= j:
            return None
        if toks[j].bare in NOT_SOURCES or toks[j].bare[1:] in NOT_SOURCES:
            return None  # حسب الشريعة، وفق القانون: a rule, not a source
        spk = self.speaker(toks, j, e, "-", "-", strip_l=True)
        cue_span = (toks[i].start, toks[i + n - 1].end)
        trailing = self._closing_before(sent, i)
        if trailing is not None and trailing.start <= toks[0].start + 1:
            self.remember(spk)
            return _Quote("direct", trailing.start, trailing.end, cue_span, spk)
        inside = _covers(here, toks[i].start)
        after = self._skip_fillers(sent, e, limit)
        words_after = _count_words(toks, after, limit)
        words_before = _count_words(toks, max(0, i - 8), i)
        got: tuple[str, int, int] | None
        if after < limit and opener_at(toks, after) and words_after >= 2:
            got = self.content(sent, after)  # وطبقا لصحيفة X فإن …
        elif words_before <= 2 and words_after >= 2:
            got = self.content(sent, after if words_before == 0 else 0)
        elif words_after >= 3 and not inside:
            got = self.content(sent, 0)  # a parenthetical attribution: the whole sentence
        elif words_before >= 3:
            start_tok = 0
            if inside:
                start_tok = self._clause_start(toks, i)
                host = max(q.start for q in here[-_RECENT:] if q.start <= toks[i].start < q.end)
                if toks[start_tok].start <= host:
                    return None  # it names where the words of that quote were carried
                while start_tok < i and toks[start_tok].start < host:
                    start_tok += 1
            end_tok = i
            while end_tok > start_tok and not toks[end_tok - 1].word:
                end_tok -= 1
            if end_tok <= start_tok:
                return None
            start, end = toks[start_tok].start, toks[end_tok - 1].end
            kind = "mixed" if self._has_fragment(start, end, toks) else "indirect"
            got = (kind, start, end)
        else:
            return None
        if got is None:
            return None
        self.remember(spk)
        return _Quote(got[0], got[1], got[2], cue_span, spk)

    def _own_words(self, sent: _Sentence, i: int, j: int,
                   here: list[_Quote]) -> _Quote | None:
        """``…، على حد قوله`` / ``وفق تعبيرها``: the clause before it, in the words of the
        speaker the pronoun refers to. Inside a quote of the same sentence it only closes
        that quote and is not a quote of its own."""
        toks = sent.toks
        if _covers(here, toks[i].start) or _count_words(toks, max(0, i - 8), i) < 3:
            return None
        word = toks[j].key
        want = "p" if word.endswith(("هم", "هما")) else "f" if word.endswith("ها") else "m"
        spk = self._in_sentence(here, want) or self.resolve(want)
        end_tok = i
        while end_tok > 0 and not toks[end_tok - 1].word:
            end_tok -= 1
        start, end = toks[0].start, toks[end_tok - 1].end
        if spk is not None:
            self._touch(spk, True)
        return _Quote(self._classify(start, end), start, end, (toks[i].start, toks[j].end),
                      spk, spk is not None)

    @staticmethod
    def _clause_start(toks: list[Tok], i: int) -> int:
        """Start of the clause a trailing attribution closes (after ``، و…``)."""
        x = i - 1
        while x > 0 and i - x < 80:
            if toks[x - 1].text in "،," and toks[x].word and toks[x].key[:1] == "و" and i - x >= 3:
                return x
            x -= 1
        return x

    def headline(self, sent: _Sentence) -> None:
        """``رويترز: …`` / ``بايدن: …``: the words before the colon are the speaker."""
        toks = sent.toks
        colon = next((x for x, t in enumerate(toks[:9]) if t.text in (":", "：")), None)
        if colon is None or colon == 0 or colon + 2 >= len(toks):
            return
        if toks[0].key in _TOPIC_HEADS or any(x in sent.cues for x in range(colon)):
            return
        e = chunk_speaker(toks, 0, sent.cue_set, colon)
        if e == 0:
            return
        got = self.content(sent, colon + 1)
        if got is None:
            return
        spk = self.speaker(toks, 0, e, "-", "-")
        self.remember(spk)
        self.quotes.append(_Quote(got[0], got[1], got[2], (toks[colon].start, toks[colon].end),
                                  spk))


def _units(article: Article) -> list[tuple[str, int, int]]:
    blocks = article.blocks
    if not blocks:
        from arnews_cli.steps.parse import parse_text

        blocks = parse_text(article.text).blocks
    return [(b.kind, b.start, b.end) for b in blocks if b.kind in UNIT_KINDS]


def _sentences(text: str, folded: str, kind: str, start: int, end: int,
               spans: list[QuoteSpan], cursor: list[int]) -> list[_Sentence]:
    """The sentences of a block that may hold a quote, split into words.

    A sentence ends after a full stop, ``!``, ``?``, ``؟`` or ``…`` that is not inside a
    closed quotation (nor a decimal point or a dot inside a word). A sentence without a
    word that can be a cue (:func:`_may_hold_cue`) is skipped before it is split into
    words, except in the headline, which may be ``X: …``. ``folded`` is
    :func:`cues.fold_in_place` of ``text``.
    """
    bounds = []
    seg = start
    for m in _TERMINATOR.finditer(text, start, end):
        if not _inside_closed(m.start(), spans, cursor):
            bounds.append((seg, m.end()))
            seg = m.end()
    if seg < end:
        bounds.append((seg, end))
    out = []
    headline = kind == "headline"
    for a, b in bounds:
        if not headline and not _may_hold_cue(folded, a, b):
            continue
        toks, keys = tokens_and_keys(text, a, b, folded)
        if toks:
            out.append(_make(toks, kind, keys))
    return out


def _may_hold_cue(folded: str, start: int, end: int) -> bool:
    """Whether ``folded[start:end]`` holds a word that can be a cue or part of one
    (:func:`cues.gate_words`); a sentence without one is skipped before it is split into
    words.

    The words are those :data:`_GATE_SPLIT` gives, found mostly by C loops: a chunk
    between spaces that is all letters and digits (``isalnum``, which no character
    outside ``\\p{L}\\p{N}`` passes) is a word as it stands; the few others lose the
    punctuation at their edges (``قال:``) and, if still mixed, are split with the
    pattern. So every word :func:`tokens` would find in the sentence is looked up.
    """
    piece = folded[start:end]
    if TATWEEL in piece:  # marks folded in place: drop them from the words
        piece = piece.replace(TATWEEL, "")
    chunks = piece.split()
    gate = gate_words()
    if not gate.isdisjoint(chunks):  # a listed word is all letters: a word as it stands
        return True
    odd = list(filterfalse(str.isalnum, chunks))
    if odd:
        words = list(filter(None, map(str.strip, odd, repeat(_EDGES))))
        if not all(map(str.isalnum, words)):
            words = _GATE_SPLIT.split(" ".join(odd))[0::2]
        if not gate.isdisjoint(words):
            return True
    return any(map(piece.__contains__, strict_stems())) and _may_open_strict(chunks)


def _may_open_strict(chunks: list[str]) -> bool:
    """Whether a strict cue (:func:`cues.strict_words`) may open a clause of the sentence
    whose space-separated chunks are ``chunks``, where :meth:`_Extractor._strict_place`
    reads it: first, or right after a comma or colon. A word with punctuation clinging
    to it, or inside a chunk the pattern splits, counts wherever it stands."""
    strict = strict_words()
    stripped = list(map(str.strip, chunks, repeat(_EDGES)))
    if strict.isdisjoint(stripped):
        mixed = [w for w in filterfalse(str.isalnum, stripped) if w]
        return bool(mixed) and not strict.isdisjoint(_GATE_SPLIT.split(" ".join(mixed))[0::2])
    for k, word in enumerate(stripped):
        if word in strict:
            if k == 0 or word != chunks[k] or chunks[k - 1][-1] in _CLAUSE_MARKS:
                return True
        elif word and not word.isalnum() and not strict.isdisjoint(
            _GATE_SPLIT.split(word)[0::2]
        ):
            return True
    return False


def _inside_closed(pos: int, spans: list[QuoteSpan], cursor: list[int]) -> bool:
    i = cursor[0]
    while i < len(spans) and spans[i].end <= pos:
        i += 1
    cursor[0] = i
    for span in spans[i : i + 3]:
        if span.start < pos < span.end and span.closed:
            return True
    return False


def _make(toks: list[Tok], kind: str, keys: list[str]) -> _Sentence:
    last = len(toks)
    while last > 0 and (toks[last - 1].text in TERMINATORS or toks[last - 1].text in ".،,؛;"):
        last -= 1
    end = toks[last - 1].end if last else toks[-1].end
    return _Sentence(toks, {}, toks[0].start, end, headline=kind == "headline", keys=keys)


def _find_cues(sent: _Sentence, spans: list[QuoteSpan], starts: list[int]) -> None:
    """Fill ``sent.cues`` with the lexicon cues of the sentence that are not inside a
    quotation (a cue there is a quoted word, not an attribution).

    A word is inside a quotation when one starts before it (no earlier than the last few
    spans before the sentence) and reaches past it; an unclosed one reaches the
    sentence's end. The reach of the spans met so far is carried along the sentence, so
    the work stays linear however many quotations and cue words it holds.
    """
    toks = sent.toks
    keys = sent.keys
    table = lexicon()
    end = sent.end
    k = bisect.bisect_left(starts, toks[0].start)
    cover = max((sp.end if sp.closed else min(sp.end, end)
                 for sp in spans[max(0, k - _RECENT) : k]), default=-1)
    # the few words that start a lexicon entry, found by one membership test each in C
    for i in compress(range(len(keys)), map(table.__contains__, keys)):
        pos = toks[i].start
        while k < len(spans) and spans[k].start < pos:
            sp = spans[k]
            cover = max(cover, sp.end if sp.closed else min(sp.end, end))
            k += 1
        if pos < cover:
            continue
        hit = lookup(keys, i)
        if hit is not None:
            (sent.strict if hit[0].has_flag("s") else sent.cues)[i] = hit


_START = itemgetter(1)
"""A :class:`Tok`'s ``start``, read in C."""


def _covers(quotes: list[_Quote], pos: int) -> bool:
    """Whether one of the sentence's latest quotes has ``pos`` inside its content."""
    return any(q.start <= pos < q.end for q in quotes[-_RECENT:])


def _count_words(toks: list[Tok], start: int, end: int, cap: int = 4) -> int:
    n = 0
    for x in range(start, end):
        if toks[x].word:
            n += 1
            if n >= cap:
                break
    return n


def find_quotes(article: Article) -> list[dict[str, Any]]:
    """The quotes of an article as JSON-ready records (see the module docstring)."""
    text = article.text
    units = _units(article)
    spans = pair_quotes(text, [(s, e) for _, s, e in units])
    ex = _Extractor(text, spans)
    cursor = [0]
    folded = fold_in_place(text)
    for kind, start, end in units:
        for sent in _sentences(text, folded, kind, start, end, spans, cursor):
            _find_cues(sent, spans, ex.starts)
            sent.cue_set = set(sent.cues)
            if sent.headline:
                ex.headline(sent)
            ex.sentence(sent)
    return [_record(text, q) for q in ex.quotes]


def _span(text: str, start: int, end: int) -> dict[str, Any]:
    return {"text": text[start:end], "start": start, "end": end}


def _record(text: str, q: _Quote) -> dict[str, Any]:
    spk: dict[str, Any] | None = None
    if q.speaker is not None:
        spk = {**_span(text, q.speaker.start, q.speaker.end), "resolved": q.resolved}
    return {
        "kind": q.kind,
        **_span(text, q.start, q.end),
        "cue": _span(text, *q.cue),
        "speaker": spk,
        "via": [_span(text, a, b) for a, b in q.via],
    }


def extract_quotes(article: Article) -> Article:
    """The article with its ``quotes`` field filled."""
    return dataclasses.replace(article, quotes=find_quotes(article))
