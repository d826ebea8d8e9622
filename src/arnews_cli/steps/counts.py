"""How many sources a phrase stands for: ``3 مصادر`` → 3, ``مصدرين`` → 2, ``مصادر`` → None.

Numerals in Western or Arabic-Indic digits and cardinal number words right before the
head noun (``3 مصادر``, ``ثلاثة مصادر``) or after it (``المصادر الثلاثة``), and the dual
of the nouns that have an unambiguous one (``مصدران``/``مصدرين``; ``مسؤولين`` may be a
plural, so it is not counted). ``أحد``/``إحدى`` (one of) gives 1.
"""

from __future__ import annotations

from arnews_cli.steps.gazetteer import bare, per_word

_WORDS: dict[str, int | None] = {
    "واحد": 1, "واحده": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2,
    "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4, "خمس": 5, "خمسه": 5,
    "ست": 6, "سته": 6, "سبع": 7, "سبعه": 7, "ثماني": 8, "ثمانيه": 8, "ثمان": 8,
    "تسع": 9, "تسعه": 9, "عشر": 10, "عشره": 10, "عشرات": None, "عده": None,
    "بضعه": None, "بضع": None,
}  # fmt: skip
_DUALS = {
    "مصدران", "مصدرين", "شاهدان", "شاهدين", "مسءولان", "دبلوماسيان", "طبيبان",
    "ضابطان", "شخصان", "شخصين", "موظفان", "جنديان", "خبيران", "مسعفان", "قياديان",
    "عضوان", "عضوين",
}  # fmt: skip
_ONE_OF = {"احد", "احدي"}
_PLURAL_ENDINGS = ("ون", "ين", "ات", "وا")


NOT_A_NUMBER = -1
"""What :func:`number_word` gives for a word that is no number. An int, not ``False``:
compiled with mypyc, a function declared to return an int turns ``False`` into 0."""


@per_word
def number_word(token: str) -> int | None:
    """The value of a number token (folded, clitics allowed); :data:`NOT_A_NUMBER` if it
    is not one.

    ``None`` is a vague quantity (``عدة``, ``عشرات``).
    """
    t = bare(token)
    if t.isdecimal():  # not isdigit: ³ and ① are digits int() refuses
        return int(t) if len(t) < 4 else NOT_A_NUMBER
    return _WORDS.get(t, NOT_A_NUMBER)


def count_of(tokens: list[str], head: int, plural: bool) -> int | None:
    """The count of a phrase of folded ``tokens`` whose head noun is ``tokens[head]``.

    A plural or collective head (``plural``) without a number gives ``None``: the text
    does not say how many. A singular head gives 1.
    """
    if head > 0 and bare(tokens[head - 1]) in _ONE_OF:
        return 1
    if head > 0:
        value = number_word(tokens[head - 1])
        if value != NOT_A_NUMBER:
            return value
    for k in (head + 1, head + 2):
        if k < len(tokens):
            value = number_word(tokens[k])
            if value != NOT_A_NUMBER and not bare(tokens[k]).isdigit():
                return value
    if head < len(tokens) and bare(tokens[head]) in _DUALS:
        return 2
    return None if plural else 1


@per_word
def looks_plural(token: str) -> bool:
    """A folded word that reads as a sound plural (``مراقبون``, ``جماعات``)."""
    t = bare(token)
    for suffix in ("هما", "ها", "هم", "ه"):
        if t.endswith("و" + suffix) and len(t) > 5:
            return True  # مؤيدوها، باحثوه: a plural in construct with a pronoun
    return len(t) > 4 and t.endswith(_PLURAL_ENDINGS)
