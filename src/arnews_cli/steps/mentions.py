"""What a phrase that names a source says about it: type, anonymity, count, head noun.

:func:`describe` reads one phrase (a quote's speaker, the object of ``بحسب``, a
non-responder, a credit) as folded tokens and decides, from the gazetteers and word lists
in :mod:`arnews_cli.steps.gazetteer`:

* ``agency``/``outlet``: a gazetteer name, or a media head noun (صحيفة، قناة، موقع، وكالة
  أنباء…); unnamed media (وسائل إعلام، تقارير صحفية) are anonymous outlets;
* ``institution``: an institution head noun (وزارة، حكومة، جيش، شركة…) or a state name;
* ``document``: بيان، تقرير، دراسة… (plural and unattributed ones are anonymous);
* ``official``: an office title (وزير، رئيس، متحدث باسم…); a vague one (مسؤول، عضو) with no
  name is ``anonymous``;
* ``anonymous``: مصدر، مصادر، شهود… or any unnamed person (الفتاة، والد الفتاة);
* ``person``: a name with no office.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from arnews_cli.steps.counts import NOT_A_NUMBER, count_of, looks_plural, number_word
from arnews_cli.steps.gazetteer import (
    TOKEN,
    bare,
    fold_word,
    media,
    per_word,
    variants,
    word_list,
)
from arnews_cli.steps.phrases import Words, starts_source, word_itself

MEDIA_HEADS = {
    "صحيفه": "outlet", "جريده": "outlet", "مجله": "outlet", "قناه": "outlet",
    "تلفزيون": "outlet", "اذاعه": "outlet", "محطه": "outlet", "موقع": "outlet",
    "شبكه": "outlet", "دوريه": "outlet", "صحف": "outlet", "وكاله": "agency",
    "بوابه": "outlet", "برنامج": "outlet",
}  # fmt: skip
_MEDIA_GENERIC = {"وساءل", "اعلام", "صحافه", "صحف", "وكالات", "مواقع", "قنوات"}
_MEDIA_ADJ = {"اعلاميه", "صحفيه", "صحافيه", "اعلامي", "صحفي", "اخباريه", "الكترونيه"}
_QUANTIFIERS = {
    "احد", "احدي", "بعض", "معظم", "اغلب", "عدد", "مجموعه", "كل", "جميع", "غالبيه", "كثير",
    "عديد", "مءات", "الاف", "عشرات",
}  # fmt: skip
_VAGUE_TITLES = {
    "مسءول", "مسءوله", "مسءولون", "مسءولين", "عضو", "اعضاء", "قيادي", "ضابط", "دبلوماسي",
    "مراسل", "مراسله", "موظف", "مسءولي",
}  # fmt: skip
_GROUP_NOUNS = {
    "باحثو", "باحثون", "باحثين", "علماء", "خبراء", "مسءولو", "اعضاء", "موظفو", "محامو",
    "ممثلو", "قاده", "نواب",
}  # fmt: skip
_STRIP_HEADS = {"تصريح", "تصريحات", "احصاءات", "احصاءيات", "ارقام", "معطيات", "قول", "حديث",
                "قرار"}  # fmt: skip
NATIONS = {
    "تركي", "ايطالي", "الماني", "اسباني", "انجليزي", "بريطاني", "فرنسي", "هولندي", "برتغالي",
    "بلجيكي", "روسي", "امريكي", "برازيلي", "ارجنتيني", "سعودي", "مصري", "اماراتي", "قطري",
    "كويتي", "بحريني", "عماني", "اردني", "لبناني", "سوري", "عراقي", "مغربي", "جزاءري", "تونسي",
    "ليبي", "سوداني", "يمني", "صيني", "ياباني", "كوري", "هندي", "ايراني", "يوناني", "سويدي",
    "نرويجي", "دنماركي", "سويسري", "نمساوي", "كندي", "استرالي", "مكسيكي", "اسكتلندي",
}  # fmt: skip
"""Nationality adjectives (folded, masculine): a one-word name followed by one of them
with the article (بشيكتاش التركي، فيورنتينا الإيطالي) is a club or company."""
_IGNORE = {
    "الجانبان", "الجانبين", "الطرفان", "الطرفين", "البلدان", "البلدين", "الجميع", "هو", "هي",
    "هم", "انه", "انها", "الكثيرون", "كثيرون", "الناس", "احدهم",
}  # fmt: skip
_PLURAL_WORDS = {
    "مصادر", "شهود", "سكان", "خبراء", "نشطاء", "اوساط", "دواءر", "جهات", "عمال", "ضباط",
    "جنود", "اشخاص", "اهالي", "اقارب", "جيران", "طلاب", "اطباء", "زعماء", "قاده", "اعضاء",
    "دول", "وساءل", "تقارير", "علماء", "باحثو", "بعض", "عدد", "مجموعه", "صحف", "انباء",
    "منظمات", "جماعات", "حسابات", "تقديرات", "معلومات", "وثاءق", "تحقيقات", "دراسات",
    "بيانات", "عواصم", "بلدان", "حكومات", "شركات", "فصاءل", "مسءولو", "مسءولي", "احزاب",
    "ناجون", "مواطنون", "وكالات", "اعلام",
}  # fmt: skip
COMMON = {
    "كبير", "كبار", "بارز", "رفيع", "المستوي", "سابق", "رسمي", "مطلع", "مطلعين", "شءون",
    "حقوق", "الانسان", "شمال", "جنوب", "شرق", "غرب", "مدينه", "منطقه", "قسم", "باسم",
    "في", "من", "لدي", "عن", "علي", "مع", "بين", "الي", "ان", "او", "ثم", "تابع", "تابعه",
    "خاص", "عام", "مشارك", "اول", "جديد", "جديده", "حديثه", "محلي", "محليه", "دولي",
    "ما", "يسمي", "اجراها", "اجراه", "الذي", "التي", "له", "لها", "مقيم", "رءيسي",
}  # fmt: skip
_KINSHIP = {"والد", "والده", "ام", "اب", "شقيق", "شقيقه", "زوج", "زوجه", "ابن", "ابنه", "اخ",
            "اخت", "عم", "خال", "جد", "جده", "صديق", "صديقه", "جار", "قريب"}  # fmt: skip


@dataclass
class Description:
    """One phrase read as a source: what it is and how to match it with other mentions."""

    start: int
    end: int
    name: str
    type: str
    anonymous: bool
    count: int | None
    head: str = ""
    media: str | None = None
    names: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    definite: bool = False
    anaphor: bool = False
    subset: bool = False
    plural: bool = False
    vague_one: bool = False
    extra: dict[str, object] = field(default_factory=dict)


def _in(list_name: str, toks: list[str], i: int) -> int:
    """Length in tokens of a ``list_name`` entry starting at ``toks[i]`` (0 if none)."""
    m = word_list(list_name).match_at(toks, i)
    return m.last - m.first if m else 0


@per_word
def is_known(tok: str) -> bool:
    """A folded token that is a common word of source phrases, not part of a name."""
    for form in variants(tok):
        b = bare(form)
        if b in COMMON or form in COMMON or b in _PLURAL_WORDS or b in MEDIA_HEADS:
            return True
    if number_word(tok) != NOT_A_NUMBER:
        return True
    for lst in ("titles.txt", "institutions.txt", "anonymous.txt", "documents.txt",
                "countries.txt"):  # fmt: skip
        if _in(lst, [tok], 0):
            return True
    return False


def _proclitic(tok: str, raw: str) -> int:
    """How many characters of a conjunction or preposition open ``raw`` (وصحيفة، لرويترز).

    0 when the word is listed as written (وزارة، واس) or its stripped form is unknown;
    لل + noun is left whole (the name keeps its article through :func:`_strip_clitic`).
    """
    if len(raw) != len(tok) or word_itself(tok) or bare(tok) in MEDIA_HEADS:
        return 0
    for form in list(variants(tok))[1:]:
        if not tok.endswith(form):
            continue
        if word_itself(form) or bare(form) in MEDIA_HEADS or bare(form) in _PLURAL_WORDS or (
            form.startswith("ال") and len(form) > 3
        ) or _in("countries.txt", [form], 0) or number_word(form) != NOT_A_NUMBER:
            return len(tok) - len(form)
    return 0


def is_nisba(tok: str) -> bool:
    """An adjective of relation (الأمريكي، سعودية، العراقيين) or a media adjective."""
    b = bare(tok)
    return len(b) > 3 and b.endswith(("ي", "يه", "يون", "يين", "يان"))


def name_tokens(
    toks: list[str], start: int, quoted: frozenset[int] = frozenset(),
    pauses: frozenset[int] = frozenset(),
) -> list[int]:
    """Indices of the tokens from ``start`` on that read as a proper name.

    A word in quotation marks (``شركة "مكافي"``) is a name whatever it looks like.
    """
    out: list[int] = []
    for k in range(start, len(toks)):
        t = toks[k]
        if t.isdigit():
            continue
        if suffixed(t) and k not in quoted:
            break  # a verb or noun with a pronoun (أطلعته، رفضها): the name is over
        if k in quoted and not is_known(t):
            out.append(k)
            continue
        if _plural_noun(t) and k not in quoted:
            if out and out[-1] == k - 1 and not t.startswith("ال") and bare(t) not in _PLURAL_WORDS:
                out.append(k)  # a family name that looks plural: خالد شوكات
                continue
            if out:
                break
            continue
        if k == start and not t.startswith("ال") and not is_known(t):
            out.append(k)
            continue
        if out and out[-1] == k - 1 and k not in pauses and (
            not is_known(t) or t.startswith("ال") and not word_list("titles.txt").match_at(toks, k)
        ):
            out.append(k)
            continue
        if t.startswith(("ال", "لل", "وال", "بال")) or is_known(t):
            continue
        if is_nisba(t) and not out:
            continue
        out.append(k)
    return out


_PAUSE = frozenset("،,:;؛")
"""Punctuation between two words that ends a name."""


@per_word
def _plural_noun(tok: str) -> bool:
    """A plural that cannot be a name: listed, a nisba plural or -ات (not بوتين، ماكرون)."""
    b = bare(tok)
    return b in _PLURAL_WORDS or (len(b) > 4 and b.endswith(("يون", "يين", "ات"))) or (
        looks_plural(tok) and any(b.endswith("و" + x) for x in ("ها", "هم", "ه"))
    )


def _name_run(names: list[int], n: int) -> list[int]:
    """The name in a phrase: its first run of name words, or the run that ends the
    phrase (``زعيم كتلة الحزب بولند توران``) when the first one does not."""
    runs: list[list[int]] = []
    for k in names:
        if runs and runs[-1][-1] == k - 1:
            runs[-1].append(k)
        else:
            runs.append([k])
    if not runs:
        return []
    if runs[-1][-1] == n - 1 and len(runs[-1]) >= 2:
        return runs[-1]
    return runs[0]


def _introduced(
    text: str, spans: list[tuple[int, int, str]], toks: list[str], h: int, names: list[int]
) -> bool:
    """Does the name follow its description (``المصور الفرنسي، جان-كلود أرنو``)?"""
    first = names[0]
    gap = text[spans[first - 1][1] : spans[first][0]] if first > 0 else ""
    return "،" in gap or "," in gap or all(
        is_nisba(t) or t.startswith("ال") for t in toks[h + 1 : first]
    )


def suffixed(tok: str) -> bool:
    """A word carrying an attached pronoun (رفضها، أطلعته، والديها), never a name."""
    return len(tok) >= 5 and tok.endswith(("ها", "هم", "هما", "كم", "ته", "تها", "تهم", "تنا"))


def _key_words(toks: list[str], skip: set[int]) -> tuple[str, ...]:
    return tuple(b for k, t in enumerate(toks) if k not in skip and (b := bare(t)) not in COMMON)


def _tokens(
    text: str, start: int, end: int, words: Words | None
) -> tuple[list[tuple[int, int, str]], list[str]]:
    """The words of ``text[start:end]`` as ``(start, end, word)`` and folded."""
    if words is not None:
        i, j = words.range_of(start, end)
        if i < j and words.starts[i] >= start and words.ends[j - 1] <= end:
            # no word of the text crosses start or end: its words are those of the phrase
            bounds = zip(words.starts[i:j], words.ends[i:j], strict=True)
            spans = [(s, e, text[s:e]) for s, e in bounds]
            return spans, words.folded[i:j]
    spans = [
        (m.start() + start, m.end() + start, m.group()) for m in TOKEN.finditer(text[start:end])
    ]
    return spans, [fold_word(s[2]) for s in spans]


def describe(
    text: str, start: int, end: int, strict_ok: bool = False, words: Words | None = None
) -> Description | None:
    """Read ``text[start:end]`` as a source phrase, or ``None`` when it names no source.

    ``words``, the words of ``text`` if at hand, saves reading the phrase's words again.
    """
    spans, toks = _tokens(text, start, end, words)
    if not spans:
        return None
    cut = _proclitic(toks[0], spans[0][2])
    if cut:
        s0, e0, w0 = spans[0]
        spans[0] = (s0 + cut, e0, w0[cut:])
        toks[0] = fold_word(w0[cut:])
    start, end = spans[0][0], spans[-1][1]
    raw = text[start:end]
    # trailing quotation marks or parenthesis that belong to the phrase
    while end < len(text) and text[end] in "\"'»«”“)":
        if text[end] == ")" and "(" not in text[start:end]:
            break
        if text[end] in "\"”»«“" and sum(raw.count(q) for q in "\"”“»«") % 2 == 0:
            break
        end += 1
        raw = text[start:end]
    name = _strip_clitic(raw, toks[0])  # toks[0] is the folded spans[0][2]
    if toks[0] in _IGNORE or (len(toks) == 1 and bare(toks[0]) in _IGNORE):
        return None
    h = 0
    subset = False
    while h < len(toks) - 1:
        b = bare(toks[h])
        if b in _QUANTIFIERS or number_word(toks[h]) != NOT_A_NUMBER:
            subset = subset or b in ("احد", "احدي")
            h += 1
            if h < len(toks) - 1 and toks[h] == "من":
                h += 1
            continue
        break
    head = toks[h]
    hb = bare(head)
    definite = any(f.startswith("ال") for f in variants(head)) or (
        h + 1 < len(toks) and toks[h + 1].startswith("ال") and not is_nisba(toks[h + 1])
        and not spans[h + 1][0] - spans[h][1] > 1  # an idafa: رئيس الحكومة
    )
    d = Description(start, end, name, "anonymous", True, None, head=hb, definite=definite)
    d.extra["one_of"] = subset
    d.subset = subset and h + 1 < len(toks) and toks[h].startswith("ال")
    if d.subset:
        d.extra["group"] = count_of(toks[h:], 0, True)
    d.plural = hb in _PLURAL_WORDS or looks_plural(head)
    # reported speech nouns: "وفق تصريح رئيس الحكومة" is the official's
    if hb in _STRIP_HEADS and h + 1 < len(toks) and not toks[h + 1].startswith("ل"):
        if starts_source(toks, h + 1) and not is_nisba(toks[h + 1]) or _in(
            "titles.txt", toks, h + 1
        ):
            return describe(text, spans[h + 1][0], end, strict_ok, words)
    # media
    m = media().match_at(toks, h)
    head_kind = MEDIA_HEADS.get(hb)
    if m is None and head_kind:
        hits = list(media().find(toks[h + 1 :]))
        m = next((x for x in hits if not x.entry.strict), None)
        if m is None and hits and hits[0].first == 0:
            m = hits[0]
    if m is not None and m.entry.strict and not (strict_ok or head_kind):
        m = None
    generic_media = hb in _MEDIA_GENERIC or (
        hb in ("تقارير", "انباء") and h + 1 < len(toks) and bare(toks[h + 1]) in _MEDIA_ADJ
    )
    if m is not None or head_kind or generic_media:
        if head_kind == "agency" and m is None and len(toks) == h + 1 and definite:
            d.type, d.anonymous, d.count, d.anaphor = "agency", False, 1, True  # الوكالة
            return d
        if head_kind == "agency" and m is None and not any("انباء" in t for t in toks):
            pass  # a non-news agency (وكالة الطاقة الذرية) is an institution
        else:
            d.type = m.entry.type if m else (head_kind or "outlet")
            d.media = m.entry.name if m else None
            if generic_media or (m is None and len(toks) <= h + 1):
                d.type = "agency" if hb == "وكالات" else "outlet"
                d.anonymous, d.count = True, None
            else:
                d.anonymous, d.count = False, 1
            d.words = _key_words(toks, set())
            d.anaphor = m is None and len(toks) - h <= 2 and definite
            return d
    quoted = frozenset(
        k for k, (s0, _, _) in enumerate(spans) if s0 > 0 and text[s0 - 1] in "\"«»“”(" and k > h
    )
    pauses = frozenset(
        k for k in range(1, len(spans))
        if not _PAUSE.isdisjoint(text[spans[k - 1][1] : spans[k][0]])
    )
    names = _name_run(name_tokens(toks, h, quoted, pauses), len(toks))
    d.names = tuple(bare(toks[k]) if toks[k].startswith("ال") else toks[k] for k in names)
    d.words = _key_words(toks, set(names))
    rest_is_adjectives = all(is_nisba(t) or number_word(t) != NOT_A_NUMBER or bare(t) in COMMON
                             for t in toks[h + 1 :])  # fmt: skip
    # states
    n_country = _in("countries.txt", toks, h)
    if n_country and (h + n_country == len(toks) or rest_is_adjectives):
        d.type = "institution"
        d.anonymous = hb in ("دول", "بلدان", "عواصم")
        d.count = None if d.anonymous else 1
        return d
    # documents
    if _in("documents.txt", toks, h):
        d.type = "document"
        named = any(_in("institutions.txt", toks, k) or _in("countries.txt", toks, k)
                    or media().match_at(toks, k) for k in range(h + 1, len(toks)))  # fmt: skip
        d.anonymous = d.plural and not named and not d.names
        d.count = None if d.plural else 1
        d.anaphor = definite and rest_is_adjectives
        return d
    # people of an institution: "باحثو جامعة ستانفورد"
    if hb in _GROUP_NOUNS and h + 1 < len(toks) and not toks[h + 1].startswith(("ال", "في")):
        if _in("institutions.txt", toks, h + 1) or _in("countries.txt", toks, h + 1):
            d.type, d.anonymous, d.count = "institution", False, None
            return d
    if _in("institutions.txt", toks, h):
        d.type = "institution"
        d.anonymous = (
            d.plural and not definite and not d.names and h + 1 < len(toks) + 1
            and all(is_nisba(t) or (t.startswith("و") and bare(t[1:]) in _PLURAL_WORDS)
                    for t in toks[h + 1 :])
        )  # جماعات حقوقية، منظمات دولية ودول
        d.count = count_of(toks, h, d.plural)
        if d.plural and not subset:
            d.count = None if d.anonymous else 1  # السلطات السعودية is one body
        d.anaphor = definite and rest_is_adjectives and not d.names
        return d
    if hb in _KINSHIP and h + 1 < len(toks):
        d.count = 1
        return d
    title = _in("titles.txt", toks, h)
    vague = hb in _VAGUE_TITLES or (hb.startswith("مسءول") and not title)
    if title or vague:
        if d.names and hb in ("مراسل", "مراسله", "موظف", "موظفه") and not title:
            d.type, d.anonymous, d.count = "person", False, 1  # a reporter is not an office
            return d
        if d.names or (not vague and (definite or h + title < len(toks) or not subset)):
            d.type, d.anonymous, d.count = "official", False, 1
            d.anaphor = definite and not d.names and rest_is_adjectives
            return d
        d.count = count_of(toks, h, d.plural)
        d.vague_one = True
        d.anaphor = definite and rest_is_adjectives
        return d
    if _in("anonymous.txt", toks, h):
        d.count = count_of(toks, h, d.plural)
        d.anaphor = definite and rest_is_adjectives
        return d
    if d.names and names[0] == h:
        d.type, d.anonymous, d.count = "person", False, 1
        after = spans[names[-1]][1]
        if names[-1] + 1 < len(toks) and text[after : spans[names[-1] + 1][0]].strip() in "،,":
            if text[after : spans[names[-1] + 1][0]].strip():
                d.name = text[spans[names[0]][0] : after]  # the name without its apposition
        if len(toks) == h + 2 and toks[h + 1].startswith("ال") and bare(toks[h + 1]) in NATIONS:
            d.type = "institution"  # a club or company with its country: بشيكتاش التركي
            d.names = (toks[h],)
        elif any(_in("titles.txt", toks, k) or bare(toks[k]) in _VAGUE_TITLES
                 for k in range(h + 1, len(toks)) if k not in names):  # fmt: skip
            d.type = "official"  # a name with an office in apposition
        else:
            d.extra["bare_name"] = True
        return d
    if len(toks) - h == 1 and definite and hb.endswith("ي") and len(hb) > 3:
        d.type, d.anonymous, d.count = "person", False, 1  # a family name: الحضري
        d.names = (hb,)
        return d
    if d.names and not d.plural and _introduced(text, spans, toks, h, names):
        d.type, d.anonymous, d.count = "person", False, 1
        d.extra["bare_name"] = True
        return d
    d.names = ()
    d.count = None if d.plural else 1
    d.anaphor = definite and rest_is_adjectives
    d.extra["fallback"] = True  # no listed word: an unnamed someone, or not a source
    return d


def _strip_clitic(raw: str, f: str) -> str:
    """``raw`` without a conjunction or preposition glued to its first word (لرويترز),
    whose folded form is ``f``."""
    if word_itself(f):
        return raw
    forms = sorted(list(variants(f))[1:], key=lambda x: not x.startswith("ال"))
    for form in forms:
        if word_itself(form) or word_itself(bare(form)) or bare(form) in MEDIA_HEADS:
            return _cut(raw, f, form)
    return raw


def _cut(raw: str, folded: str, form: str) -> str:
    if len(raw) != len(folded):
        return raw  # diacritics in the phrase: keep it as written
    for k in range(1, 4):
        if folded[k:] == form:
            return raw[k:]
        if form.startswith("ا") and folded[k:] == form[1:]:
            return "ا" + raw[k:]  # لل + noun: ل + ال + noun
    return raw
