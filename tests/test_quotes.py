"""extract-quotes: the cue lexicon, the rules on hand-built sentences, odd input, the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arnews_cli.article import Article
from arnews_cli.cli import cli
from arnews_cli.steps import cue_forms
from arnews_cli.steps.cues import fold, lexicon
from arnews_cli.steps.parse import parse_text
from arnews_cli.steps.quotemarks import pair_quotes
from arnews_cli.steps.quotes import extract_quotes, find_quotes

from .conftest import SEED

HEAD = "عنوان الخبر هنا\n\n"


def quotes(body: str, headline: str = HEAD) -> list[dict[str, Any]]:
    article = parse_text(headline + body)
    found = find_quotes(article)
    assert_spans(article.text, found)
    return found


def assert_spans(text: str, found: list[dict[str, Any]]) -> None:
    for q in found:
        assert q["kind"] in ("direct", "indirect", "mixed")
        for span in (q, q["cue"], q["speaker"], *q["via"]):
            if span is not None:
                assert 0 <= span["start"] <= span["end"] <= len(text)
                assert text[span["start"] : span["end"]] == span["text"]


def one(found: list[dict[str, Any]], cue: str) -> dict[str, Any]:
    hits = [q for q in found if q["cue"]["text"] == cue]
    assert hits, f"no quote with cue {cue!r} in {[q['cue']['text'] for q in found]}"
    return hits[0]


def speaker(q: dict[str, Any]) -> str | None:
    return q["speaker"]["text"] if q["speaker"] else None


# --- the lexicon -------------------------------------------------------------------------


def test_generated_lexicon_is_current() -> None:
    """cues.tsv is exactly what the generator makes of cue_lemmas.tsv."""
    lemmas = cue_forms.LEMMAS.read_text(encoding="utf-8")
    assert cue_forms.FORMS.read_text(encoding="utf-8") == cue_forms.generate(lemmas)


@pytest.mark.parametrize(
    ("form", "lemma", "aspect", "gender", "number"),
    [
        ("قال", "قال", "perf", "m", "s"),
        ("قالت", "قال", "perf", "f", "s"),
        ("قالوا", "قال", "perf", "m", "p"),
        ("قلن", "قال", "perf", "f", "p"),
        ("قالا", "قال", "perf", "m", "d"),
        ("قالتا", "قال", "perf", "f", "d"),
        ("يقول", "قال", "imperf", "m", "s"),
        ("تقول", "قال", "imperf", "f", "s"),
        ("يقولون", "قال", "imperf", "m", "p"),
        ("وقال", "قال", "perf", "m", "s"),
        ("فأكد", "أكد", "perf", "m", "s"),
        ("تؤكد", "أكد", "imperf", "f", "s"),
        ("أضافت", "أضاف", "perf", "f", "s"),
        ("وأضافوا", "أضاف", "perf", "m", "p"),
        ("مضيفا", "أضاف", "part", "m", "s"),
        ("مضيفة", "أضاف", "part", "f", "s"),
        ("مشيرا", "أشار", "part", "m", "s"),
        ("ونفت", "نفى", "perf", "f", "s"),
        ("لينفي", "نفى", "imperf", "m", "s"),
        ("نافيا", "نفى", "part", "m", "s"),
        ("يدعو", "دعا", "imperf", "m", "s"),
        ("دعوا", "دعا", "perf", "m", "p"),
        ("يرون", "رأى", "imperf", "m", "p"),
        ("وندد", "ندد", "perf", "m", "s"),
        ("بحسب", "بحسب", "prep", "-", "-"),
        ("ووفقا", "وفقا", "prep", "-", "-"),
    ],
)
def test_inflected_forms(form: str, lemma: str, aspect: str, gender: str, number: str) -> None:
    cues = lexicon()[fold(form)]
    cue = next(c for c in cues if c.form == form)
    assert (cue.lemma, cue.aspect, cue.gender, cue.number) == (lemma, aspect, gender, number)


def test_ambiguous_bare_forms_are_strict() -> None:
    """بين "between" and عبر "via" are listed as strict cues; their other forms as usual."""
    table = lexicon()
    assert all(c.has_flag("s") for c in table[fold("بين")] + table[fold("وعبر")])
    assert not any(c.has_flag("s") for c in table[fold("عبرت")] + table[fold("وبينت")])


@pytest.mark.parametrize(
    ("body", "cue", "who", "resolved"),
    [
        ("وبين رئيس الحكومة أن الموقوفين سيحالون على القضاء.", "وبين", "رئيس الحكومة", False),
        ("وقال الوزير إن الوضع صعب. وبين أن الحكومة ستتدخل قريبا.", "وبين", "الوزير", True),
        ("وعبر الوزير عن قلقه من تدهور الوضع في المنطقة.", "وعبر", "الوزير", False),
        ("بين المدير في بلاغ له أن الدراسة ستنطلق غدا.", "بين", "المدير", False),
        ("وانتهى الاجتماع مساء أمس، وعبر المتحدث باسم الوزارة عن أسفه للحادث.", "وعبر",
         "المتحدث باسم الوزارة", False),
        ("بين المدير في بيان له أن الدراسة ستنطلق غدا.", "بين", "المدير", False),
        ("وبين وزير الصحة والسكان أن الوضع مستقر.", "وبين", "وزير الصحة والسكان", False),
        ("وقال الوزير إن الوضع صعب، وبين رئيس الحكومة أن الحكومة ستتدخل.", "وبين",
         "رئيس الحكومة", False),
        ('وبين الوزير: "نحن قلقون جدا من الوضع".', "وبين", "الوزير", False),
        ("وقال الوزير إن الوضع صعب. وبين في تصريح صحفي أن الحكومة ستتدخل.", "وبين",
         "الوزير", True),
    ],
)
def test_strict_cue_with_its_subject_and_content(
    body: str, cue: str, who: str, resolved: bool
) -> None:
    q = one(quotes(body), cue)
    assert speaker(q) == who and q["speaker"]["resolved"] is resolved


@pytest.mark.parametrize(
    "body",
    [
        "والفرق بين البلدين أن الأول أكبر مساحة.",  # a preposition inside the clause
        "ونشرت صورة عبر حسابها عن الحادث.",
        "وبين الحكومة والمعارضة أن تتفقا على موعد.",  # بين X وY
        "وعبر البحر فضلا عن الجو وصلت المساعدات.",  # a compound preposition
        "وعبر فيه عن سعادته بالفوز.",  # no subject, and عبر needs one
        "ذكرت الصحيفة، بين قوسين، أن الحكومة سترد.",  # bare, not opening a sentence
        "بين مصر وتركيا أن تتفقا على موعد.",
        "وقال الوزير إن الوضع صعب. ويقف الناخب حائرا بين أن يصوت للحزب، وبين أن يقاطع.",
        "وعبر صفحته على فيسبوك عن سعادته.",
        "عبر تويتر عن غضبه من القرار.",
        "بين قوسين أن الحكومة سترد.",
    ],
)
def test_strict_cue_as_the_other_word(body: str) -> None:
    found = quotes(body)
    assert not [q for q in found if fold(q["cue"]["text"]).lstrip("و") in ("بين", "عبر")]


def test_a_rejected_strict_cue_keeps_a_setting_cue() -> None:
    found = quotes('وفي بيان مشترك بين البلدين: "نحن ملتزمون بالاتفاق ونرحب بالحوار".')
    assert [q["cue"]["text"] for q in found] == ["وفي بيان"]


def test_a_strict_cue_cuts_the_content_before_it() -> None:
    found = quotes("وقال الوزير إن الوضع صعب، وبين رئيس الحكومة أن الحكومة ستتدخل قريبا.")
    assert one(found, "وقال")["text"] == "إن الوضع صعب"


def test_strict_cue_never_cuts_another_speaker() -> None:
    q = one(quotes("قال رئيس لجنة العلاقات بين البلدين إن التعاون مستمر."), "قال")
    assert speaker(q) == "رئيس لجنة العلاقات بين البلدين"


# --- the rules ---------------------------------------------------------------------------


def test_pentagon_indirect_quote() -> None:
    q = one(quotes("وقالت وزارة الدفاع الأميركية (البنتاغون) إن هجمات عديدة في العراق تشنها "
                   "مليشيات مدعومة من إيران.\n"), "وقالت")
    assert q["kind"] == "indirect"
    assert speaker(q) == "وزارة الدفاع الأميركية (البنتاغون)"
    assert q["text"].startswith("إن هجمات") and q["text"].endswith("من إيران")
    assert q["speaker"]["resolved"] is False


def test_colon_direct_quote() -> None:
    q = one(quotes("وقال الوزير: «سنواصل العمل حتى النهاية»، ثم غادر القاعة.\n"), "وقال")
    assert q["kind"] == "direct"
    assert speaker(q) == "الوزير"
    assert q["text"] == "«سنواصل العمل حتى النهاية»"


@pytest.mark.parametrize("cue", ["قال", "بحسب"])
def test_attribution_after_the_quotation(cue: str) -> None:
    q = one(quotes(f"«لن نتراجع عن هذا القرار أبدا»، {cue} المتحدث باسم الحكومة.\n"), cue)
    assert q["kind"] == "direct"
    assert q["text"] == "«لن نتراجع عن هذا القرار أبدا»"
    assert speaker(q) == "المتحدث باسم الحكومة"


def test_quotation_over_several_paragraphs() -> None:
    body = (
        "وقال الرئيس: «الوضع صعب جدا في هذه المرحلة.\n\n"
        "«لكننا سنعمل مع شركائنا لحل الأزمة في أقرب وقت»، مضيفا أن الحكومة مستعدة.\n"
    )
    found = quotes(body)
    q = one(found, "وقال")
    assert q["kind"] == "direct"
    assert q["text"].startswith("«الوضع صعب") and q["text"].endswith("في أقرب وقت»")


def test_relay_keeps_the_agency_in_via() -> None:
    q = one(quotes("نقلت وكالة رويترز عن 3 مصادر من فصائل مسلحة، أن قياديا بارزا دعا "
                   "الفصائل إلى تكثيف هجماتها.\n"), "نقلت")
    assert speaker(q) == "3 مصادر من فصائل مسلحة"
    assert [v["text"] for v in q["via"]] == ["وكالة رويترز"]
    assert q["text"].startswith("أن قياديا")
    assert len([x for x in quotes("نقلت وكالة رويترز عن مصادر أن قياديا دعا الفصائل إلى "
                                  "الانتقام.\n") if x["cue"]["text"] == "دعا"]) == 0


def test_a_relayed_speaker_who_goes_on_is_still_relayed() -> None:
    found = quotes("نقلت وكالة رويترز عن مسؤول عراقي أن القصف استهدف مخزنا للأسلحة. وأضاف "
                   "أن الهجوم لم يوقع إصابات.\n\nوقال وزير الدفاع إن التحقيق جار. وأضاف أن "
                   "النتائج ستعلن قريبا.\n")
    relayed, minister = [q for q in found if q["cue"]["text"] == "وأضاف"]
    assert speaker(relayed) == "مسؤول عراقي" and relayed["speaker"]["resolved"]
    assert [v["text"] for v in relayed["via"]] == ["وكالة رويترز"]
    assert speaker(minister) == "وزير الدفاع" and minister["via"] == []


def test_relay_with_qawluhu() -> None:
    q = one(quotes("ونقلت وكالة الأنباء الرسمية عن الرئيس قوله إن الاتفاق يجب أن يستمر.\n"),
            "ونقلت")
    assert speaker(q) == "الرئيس"
    assert [v["text"] for v in q["via"]] == ["وكالة الأنباء الرسمية"]
    assert q["text"].startswith("إن الاتفاق")


def test_naqlan_an_inside_the_subject() -> None:
    q = one(quotes("وقالت صحيفة تايمز نقلا عن مسؤول حكومي إن الوضع دقيق.\n"), "وقالت")
    assert speaker(q) == "مسؤول حكومي"
    assert [v["text"] for v in q["via"]] == ["صحيفة تايمز"]


def test_apposition_stays_with_its_head() -> None:
    q = one(quotes("وقال أحد المصادر الثلاثة، وهو قائد كبير في فصيل محلي، إن الإيرانيين "
                   "نصحوهم بتوسيع نطاق هجماتهم.\n"), "وقال")
    assert speaker(q) == "أحد المصادر الثلاثة"
    assert q["text"].startswith("إن الإيرانيين")


def test_named_apposition_is_kept() -> None:
    q = one(quotes("وقال راج ساماني، أحد مسؤولي شركة مكافي، إننا نعيش في عالم سريع.\n"), "وقال")
    assert speaker(q) == "راج ساماني، أحد مسؤولي شركة مكافي"


def test_pronoun_subject_agrees_in_gender_and_number() -> None:
    body = (
        "وقالت وزارة الخارجية إن المحادثات ستستمر حتى نهاية الشهر.\n\n"
        "وقال المتحدث باسم الجيش إن القوات انسحبت من المدينة.\n\n"
        "وأضافت أن الوفد سيعود إلى العاصمة قريبا.\n\n"
        "وقال الباحثون إن النتائج مفاجئة للجميع.\n\n"
        "وأضاف أن الجيش سيبقى في حالة تأهب.\n\n"
        "وأكدوا أن الدراسة ستستمر عامين آخرين.\n"
    )
    found = quotes(body)
    added_f = one(found, "وأضافت")
    assert speaker(added_f) == "وزارة الخارجية" and added_f["speaker"]["resolved"] is True
    assert speaker(one(found, "وأضاف")) == "المتحدث باسم الجيش"
    assert speaker(one(found, "وأكدوا")) == "الباحثون"


def test_participle_is_a_quote_of_its_own() -> None:
    found = quotes("وأكد رئيس الحكومة أن الحرب على الفساد مستمرة، مضيفا أن الموقوفين "
                   "سيحالون على القضاء.\n")
    q = one(found, "مضيفا")
    assert speaker(q) == "رئيس الحكومة" and q["speaker"]["resolved"] is True
    assert q["text"].startswith("أن الموقوفين")
    assert one(found, "وأكد")["text"].startswith("أن الحرب")


def test_denial_and_condemnation_take_a_noun_phrase() -> None:
    found = quotes("ونفى المبعوث الإيراني لدى الأمم المتحدة هذا الشهر الاتهامات الأميركية بأن "
                   "طهران دعمت الهجمات، وندد بالضربات الجوية الأميركية على الفصائل.\n")
    denied = one(found, "ونفى")
    assert speaker(denied) == "المبعوث الإيراني لدى الأمم المتحدة"
    assert denied["text"].startswith("الاتهامات الأميركية")
    condemned = one(found, "وندد")
    assert condemned["text"].startswith("بالضربات")
    assert speaker(condemned) == "المبعوث الإيراني لدى الأمم المتحدة"


@pytest.mark.parametrize(
    ("body", "cue", "who", "content"),
    [
        ("ونفى الحضري (45 عاماً) حارس مرمى الفريق الذي غاب عن أول مباراتين، حدوث أي خلافات.\n",
         "ونفى", "الحضري (45 عاماً) حارس مرمى الفريق", "حدوث أي خلافات"),
        ("وطالب أحمد أبوالغيط مجلس الأمن بالنهوض بمسؤولياته.\n", "وطالب", "أحمد أبوالغيط",
         "مجلس الأمن بالنهوض بمسؤولياته"),
        ("وتتهم أنقرة غولن بتدبير الانقلاب الفاشل.\n", "وتتهم", "أنقرة",
         "غولن بتدبير الانقلاب الفاشل"),
        ("وأعرب نشطاء الحقوق الرقمية عن قلقهم.\n", "وأعرب", "نشطاء الحقوق الرقمية", "عن قلقهم"),
        ("دعت الجامعة العربية، الثلاثاء، إلى تشكيل لجنة دولية للتحقيق.\n", "دعت",
         "الجامعة العربية", "إلى تشكيل لجنة دولية للتحقيق"),
    ],
)
def test_object_complements(body: str, cue: str, who: str, content: str) -> None:
    q = one(quotes(body), cue)
    assert (speaker(q), q["text"]) == (who, content)


def test_outlet_spoken_to_is_not_the_speaker() -> None:
    q = one(quotes("وقال متعامل بالسوق الموازية لـ«الشرق الأوسط» «الطلب ضعيف نوعا ما».\n"), "وقال")
    assert speaker(q) == "متعامل بالسوق الموازية"
    assert q["text"] == "«الطلب ضعيف نوعا ما»" and q["kind"] == "direct"


def test_imperfective_with_plural_subject() -> None:
    q = one(quotes("ويقول مراقبون إن الانتخابات لن تغير شيئا.\n"), "ويقول")
    assert speaker(q) == "مراقبون"


def test_prepositional_attributions() -> None:
    found = quotes("وبحسب الوكالة، استهدف القصف منزلا في حي الفرسان.\n\n"
                   "وأصيب 35 محتجا في المواجهات، وفقا لخدمة الإسعاف.\n")
    first = one(found, "وبحسب")
    assert speaker(first) == "الوكالة" and first["text"].startswith("استهدف")
    last = one(found, "وفقا")
    assert speaker(last) == "خدمة الإسعاف"
    assert last["text"] == "وأصيب 35 محتجا في المواجهات"


def test_ala_hadd_qawliha() -> None:
    found = quotes("وقالت الوزيرة إن الوضع جيد.\n\n"
                   "الأزمة ستنتهي قريبا جدا، على حد قولها.\n\n"
                   "وأوضح الوزير أن الإيقافات قد تشمل آخرين، وفق تعبيره.\n")
    q = one(found, "على حد قولها")
    assert speaker(q) == "الوزيرة" and q["speaker"]["resolved"] is True
    assert q["text"] == "الأزمة ستنتهي قريبا جدا"
    assert [x["cue"]["text"] for x in found] == ["وقالت", "على حد قولها", "وأوضح"]


def test_headline_colon_attribution() -> None:
    found = quotes("وقال مسؤول إن المحادثات ستستمر.\n",
                   headline="بايدن: لن نسمح بتكرار الهجوم على قواتنا\n\n")
    q = one(found, ":")
    assert speaker(q) == "بايدن"
    assert q["text"] == "لن نسمح بتكرار الهجوم على قواتنا"


def test_subject_first_headline() -> None:
    q = one(quotes("وقع الانفجار صباح اليوم في المدينة.\n",
                   headline='الجيش الأمريكي يعلن مقتل "إرهابيين اثنين" في غارة\n\n'), "يعلن")
    assert speaker(q) == "الجيش الأمريكي"
    assert q["kind"] == "mixed" and q["text"].startswith("مقتل")


def test_quoted_name_is_part_of_the_speaker() -> None:
    q = one(quotes('وأوضحت شركة "مكافي" أن نتائج البحث كانت الأكثر خطورة.\n'), "وأوضحت")
    assert speaker(q) == 'شركة "مكافي"'
    assert q["kind"] == "indirect" and q["text"].startswith("أن نتائج")


def test_mixed_quote() -> None:
    q = one(quotes('وقال مسؤول كبير إن القائد نقل لهم "رسالة الزعيم الأعلى بمواصلة الضغط".\n'),
            "وقال")
    assert q["kind"] == "mixed"


def test_content_ends_at_the_next_attribution() -> None:
    found = quotes('وأكد الجانبان، الروسي والصيني، الاهتمام باستخدام العملات المحلية، وقال بوتين: '
                   '"إن هذا سيعزز الاستقرار".\n')
    first = one(found, "وأكد")
    assert first["text"] == "الاهتمام باستخدام العملات المحلية"
    assert first["kind"] == "indirect"
    assert one(found, "وقال")["kind"] == "direct"


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ('وقالت الوزارة إن "الوضع تحت السيطرة تماما".\n', "direct"),
        ('وقالت الوزارة إن الحكومة "سترد في الوقت المناسب".\n', "mixed"),
        ('وقالت الوزارة إن "فيسبوك" تحصل على البيانات بطرق مختلفة.\n', "indirect"),
        ("وقالت الوزارة إن الوضع تحت السيطرة.\n", "indirect"),
    ],
)
def test_kinds(body: str, kind: str) -> None:
    assert one(quotes(body), "وقالت")["kind"] == kind


def test_relay_named_again_points_to_its_full_name() -> None:
    text = ("ونقلت وكالة الأنباء الصينية الرسمية عن الرئيس قوله إن الاتفاق مهم.\n\n"
            "ونقلت الوكالة عن روحاني قوله إن إيران تتوقع دورا إيجابيا.\n")
    found = quotes(text)
    assert [q["via"][0]["text"] for q in found] == ["وكالة الأنباء الصينية الرسمية"] * 2


def test_egyptian_spelling_of_fi() -> None:
    q = one(quotes("وقال شيخ الأزهر فى رسالة إلى الطلاب إن الحجاب فريضة.\n"), "وقال")
    assert speaker(q) == "شيخ الأزهر"


@pytest.mark.parametrize(
    "body",
    [
        "ولم ترد وزارة الخارجية على أسئلة من رويترز بخصوص هذا التقرير.\n",
        "ورفض المتحدث باسم الشرطة التعليق على الحادث.\n",
        "وامتنع المسؤول عن التعليق على هذه الأنباء.\n",
        "ولم يتسن الحصول على رد من الحكومة العراقية.\n",
        "وزار الوزير المدينة واجتمع مع المسؤولين ووقع اتفاقا.\n",
        "ولم يؤكد المسؤول أن الاتفاق سيوقع.\n",
    ],
)
def test_not_quotes(body: str) -> None:
    assert quotes(body) == []


def test_impersonal_cue_has_no_speaker() -> None:
    q = one(quotes("وقال الوزير إن الأمور بخير.\n\nوقيل إن هذا القرار اتخذ وسط خلافات.\n"),
            "وقيل")
    assert q["speaker"] is None


def test_step_returns_a_new_article() -> None:
    article = parse_text(SEED.read_text(encoding="utf-8"), path=str(SEED))
    out = extract_quotes(article)
    assert article.quotes is None and isinstance(out.quotes, list) and out.quotes
    assert out.text == article.text and out.blocks == article.blocks


def test_article_without_blocks() -> None:
    found = find_quotes(Article(path="x", text="وقال الوزير إن الاجتماع انتهى بنجاح."))
    assert [speaker(q) for q in found] == ["الوزير"]


# --- odd and hostile input -----------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        'وقال الوزير: "لم نقرر بعد.\n',
        "وقال الوزير: »نعم« و«لا»» «\n",
        "«««««\n\n»»»»\n\n" + "وقال: «" * 50 + "\n",
        '"""""" قال """ إن """\n',
        "وقال الوزير إن\n",
        "قال\n",
        ":\n",
        "“مقلوب„ قالت ‘الوزيرة’ إن ”شيئا“ حدث.\n",
    ],
)
def test_odd_quotation_marks_never_raise(body: str) -> None:
    quotes(body)


def test_pairing_tolerates_stray_marks() -> None:
    text = 'قال "نعم" ثم » و«لا» ثم "مفتوح'
    spans = pair_quotes(text, [(0, len(text))])
    closed = [text[s.start : s.end] for s in spans if s.closed]
    assert closed == ['"نعم"', "«لا»"]
    assert [s.closed for s in spans].count(False) == 1


@pytest.mark.parametrize(
    "text",
    [
        '"' * 500_000 + "«" * 250_000 + "»" * 250_000,
        "قال" * 350_000,
        ("وقال وأضاف إن أن بأن «" * 10_000),
        "، ".join(["وقال الوزير"] * 20_000),
    ],
    ids=["quote-marks", "no-spaces", "cue-storm", "comma-storm"],
)
def test_megabyte_lines_complete(text: str) -> None:
    article = Article(path="x", text=text)
    assert_spans(text, find_quotes(article))


WORDS = [
    "وقال", "قالت", "وأضاف", "إن", "أن", "بأن", "الوزير", "وزارة", "الخارجية", "مصادر",
    "نقلت", "وكالة", "عن", "بحسب", "وفقا", "لـ", "مضيفا", "ونفى", "الاتهامات", ":", "،",
    ".", "«", "»", '"', "“", "”", "(", ")", "\n", "\n\n", "رويترز", "في", "بيان", "اليوم",
    "لم", "ترد", "التي", "وهو", "قوله", "على", "حد", "تعبيره", "يقول", "مراقبون",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(WORDS), max_size=80), st.text(max_size=40))
def test_offsets_hold_for_generated_text(words: list[str], noise: str) -> None:
    text = " ".join(words) + noise
    article = parse_text(text)
    assert_spans(text, find_quotes(article))
    assert_spans(text, find_quotes(Article(path="x", text=text)))


def test_offsets_hold_over_the_corpus(corpus_files: list[Path]) -> None:
    for path in corpus_files[::7]:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        assert_spans(text, find_quotes(parse_text(text, path=str(path))))


# --- the command ---------------------------------------------------------------------------


def run(args: list[str], tmp_path: Path) -> Any:
    return CliRunner().invoke(cli, ["-j1", *args], catch_exceptions=False)


def test_cli_jsonl(tmp_path: Path) -> None:
    result = run(["--format", "jsonl", "parse", str(SEED), "extract-quotes"], tmp_path)
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    kinds = {q["kind"] for q in record["quotes"]}
    assert kinds <= {"direct", "indirect", "mixed"}
    first = record["quotes"][0]
    assert first["cue"]["text"] == ":" and first["speaker"]["text"] == "رويترز"
    relay = next(q for q in record["quotes"] if q["cue"]["text"] == "نقلت")
    assert relay["via"][0]["text"] == "وكالة رويترز"
    assert "\\u06" not in result.stdout


def test_cli_text_view_has_one_field_per_line(tmp_path: Path) -> None:
    result = run(["--format", "text", "parse", str(SEED), "extract-quotes"], tmp_path)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "  quote 1     indirect  8-78" in lines
    assert "    speaker   رويترز" in lines
    assert "    cue       نقلت" in lines
    assert "    via       وكالة رويترز" in lines


def test_cli_table_view(tmp_path: Path) -> None:
    result = run(["--format", "table", "parse", str(SEED), "extract-quotes"], tmp_path)
    assert result.exit_code == 0
    out = result.stdout
    assert "quotes" in out and "speaker" in out and "cue" in out
    assert "رويترز" in out and "via وكالة رويترز" in out


def test_cli_reads_records_from_stdin(tmp_path: Path) -> None:
    parsed = run(["--format", "jsonl", "parse", str(SEED)], tmp_path).stdout
    result = CliRunner().invoke(cli, ["-j1", "--format", "jsonl", "extract-quotes"],
                                input=parsed, catch_exceptions=False)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["quotes"]


def test_a_statement_called_balagh_is_a_setting_not_part_of_the_speaker() -> None:
    q = one(quotes("وأعلنت الوزارة في بلاغ لها أن الدراسة ستنطلق غدا."), "وأعلنت")
    assert speaker(q) == "الوزارة"


@pytest.mark.parametrize(
    ("body", "cue", "who"),
    [
        ("وشكر بوتين نظيره الصيني على زيارة المنتدى.", "وشكر", "بوتين"),
        ("وأعلن تنظيم داعش مسؤوليته عن الهجوم على المسجد.", "وأعلن", "تنظيم داعش"),
        ("ونصحت الشركة عملاءها بتحديث البرنامج فورا.", "ونصحت", "الشركة"),
        ("ونصحت الشركة عملائها بتحديث البرنامج فورا.", "ونصحت", "الشركة"),
        # not an object: a second subject joined by و, a definite noun, a name
        ("واتهمت بريطانيا وحلفاؤها روسيا بالوقوف وراء الهجوم.", "واتهمت", "بريطانيا وحلفاؤها"),
        ("وكشفت دانييلز ومحاميها عن صورة للرجل.", "وكشفت", "دانييلز ومحاميها"),
        ("وكشف مدير سوق الفواكه عن خطته الجديدة.", "وكشف", "مدير سوق الفواكه"),
        ("وكشفت شركة آي بي أم عن قائمتها السنوية.", "وكشفت", "شركة آي بي أم"),
        # before a preposition, a pronoun ends a title rather than marking an object
        ("وأعرب وزير خارجيتها عن قلقه.", "وأعرب", "وزير خارجيتها"),
        ("وأعلن المتحدث باسمه عن فتح تحقيق في الحادث.", "وأعلن", "المتحدث باسمه"),
        ("وأعرب نائب رئيسه عن قلقه.", "وأعرب", "نائب رئيسه"),
        ("وأعلن محمد شحاته عن خطته الجديدة.", "وأعلن", "محمد شحاته"),
        ("وأكد اللاعب محمد أبوتريكه على أهمية الفوز.", "وأكد", "اللاعب محمد أبوتريكه"),
    ],
)
def test_an_object_marked_by_its_form_ends_the_speaker(body: str, cue: str, who: str) -> None:
    assert speaker(one(quotes(body), cue)) == who


@pytest.mark.parametrize("body", [
    'وتابع الوزير قائلا: "لن نتراجع عن هذا القرار".',
    "وأضافت المتحدثة قائلة إن الحكومة لن تتراجع عن القرار.",
    "وتابع المتحدث باسم الداخلية بالقول إن التحقيق ما زال جاريا.",
])
def test_a_verb_and_its_manner_attribute_the_words_once(body: str) -> None:
    found = quotes(body)
    assert len(found) == 1  # قائلا / بالقول tell how the verb's subject said them
    assert found[0]["cue"]["text"] in ("وتابع", "وأضافت")
    assert speaker(found[0]) in ("الوزير", "المتحدثة", "المتحدث باسم الداخلية")


@pytest.mark.parametrize("body, content", [
    ('وقال الرئيس على "تويتر": "لن نتراجع عن هذا القرار أبدا".', "لن نتراجع"),
    ('وكتب الوزير عبر حسابه على موقع "فيسبوك"، "نحن ماضون في الإصلاح".', "نحن ماضون"),
    ('وقالت الوزيرة لصحيفة "الغد" إن الحكومة لن تتراجع.', "إن الحكومة"),
    ('وكتب الوزير على حسابه في "إكس": إن الوضع خطير جدا.', "إن الوضع"),
])
def test_a_quoted_name_after_على_or_a_head_word_is_not_the_content(
    body: str, content: str,
) -> None:
    found = quotes(body)
    assert len(found) == 1
    assert content in found[0]["text"]


def test_a_quoted_platform_alone_is_no_quote() -> None:
    assert quotes('وجاء في حسابها الرسمي على "تويتر" صورة للاجتماع.') == []


def test_blocks_out_of_text_order_keep_quotations_whole() -> None:
    # a record edited by hand may list a later block first; a block without a full stop
    # must not move the quotation cursor past the quotations of the blocks still to come
    text = 'قال الوزير إن الحكومة "ستعمل. وستنجح" غدا\n\nتمهيد'
    record = {
        "schema": "arnews/1", "path": "x", "text": text,
        "blocks": [{"kind": "paragraph", "text": "تمهيد", "start": 43, "end": 48},
                   {"kind": "paragraph", "text": text[:41], "start": 0, "end": 41}],
    }
    result = CliRunner().invoke(cli, ["-j1", "--format", "jsonl", "extract-quotes"],
                                input=json.dumps(record, ensure_ascii=False) + "\n")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)["quotes"]
    assert [q["text"] for q in found] == ['إن الحكومة "ستعمل. وستنجح" غدا']
