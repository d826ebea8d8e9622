"""Expand cue lemmas (``data/cue_lemmas.tsv``) into every written form (``data/cues.tsv``).

A lemma row gives the stems of a verb; this module adds the person prefixes and the
gender/number suffixes of the 3rd person (perfective قال قالت قالوا قلن قالا قالتا,
imperfective يقول تقول يقولون يقلن يقولان تقولان, circumstantial participle قائلا قائلة
قائلين), adjusting the stem of weak verbs (hollow, doubled, defective), then the clitic
conjunctions و / ف (and ل before an imperfective: لينفي). Run it after editing the lemmas:

    python -m arnews_cli.steps.cue_forms      # rewrites src/arnews_cli/data/cues.tsv

Each generated line is ``form  lemma  aspect  gender  number  comp  flags  conj`` where the
form is written without diacritics, aspect is perf / imperf / part / prep / noun, gender
m / f / -, number s / d / p / - and conj the clitic conjunction the form carries (or -).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
LEMMAS = DATA / "cue_lemmas.tsv"
FORMS = DATA / "cues.tsv"

PERSON = tuple[str, str]  # (gender, number)


@dataclass(frozen=True, slots=True)
class Lemma:
    lemma: str
    cls: str
    perf: str
    imperf: str
    part: str
    comp: str
    flags: str


@dataclass(frozen=True, slots=True)
class Form:
    form: str
    lemma: str
    aspect: str
    gender: str
    number: str
    comp: str
    flags: str
    conj: str

    def line(self) -> str:
        return "\t".join((self.form, self.lemma, self.aspect, self.gender, self.number,
                          self.comp, self.flags, self.conj or "-"))


def read_lemmas(text: str) -> list[Lemma]:
    """Parse the lemma table (comments and blank lines skipped)."""
    out = []
    for raw in text.splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        cols = raw.split("\t")
        if len(cols) != 7:
            raise ValueError(f"cue lemma row needs 7 columns: {raw!r}")
        out.append(Lemma(*(c.strip() for c in cols)))
    return out


def _split(stem: str) -> tuple[str, str]:
    long, _, short = stem.partition("|")
    return long, short or long


def perfective(lemma: Lemma) -> Iterator[tuple[str, str, str]]:
    """(form, gender, number) of the 3rd person perfective."""
    if lemma.perf == "-":
        return
    long, short = _split(lemma.perf)
    if lemma.cls in ("sound", "hollow", "doubled"):
        yield long, "m", "s"
        yield long + "ت", "f", "s"
        yield long + "وا", "m", "p"
        yield short + "ن", "f", "p"
        yield long + "ا", "m", "d"
        yield long + "تا", "f", "d"
    elif lemma.cls in ("def_y", "def_a"):  # نفى نفت نفوا نفين نفيا نفتا; رأى رأت رأوا …
        yield long + "ى", "m", "s"
        yield long + "ت", "f", "s"
        yield long + "وا", "m", "p"
        yield long + "ين", "f", "p"
        yield long + "يا", "m", "d"
        yield long + "تا", "f", "d"
    elif lemma.cls == "def_w":  # دعا دعت دعوا دعون دعتا
        yield long + "ا", "m", "s"
        yield long + "ت", "f", "s"
        yield long + "وا", "m", "p"
        yield long + "ون", "f", "p"
        yield long + "تا", "f", "d"


def imperfective(lemma: Lemma) -> Iterator[tuple[str, str, str]]:
    """(form, gender, number) of the 3rd person imperfective (indicative)."""
    if lemma.imperf == "-":
        return
    long, short = _split(lemma.imperf)
    if lemma.cls in ("sound", "hollow", "doubled"):
        for prefix, gender in (("ي", "m"), ("ت", "f")):
            yield prefix + long, gender, "s"
            yield prefix + long + "ان", gender, "d"
        yield "ي" + long + "ون", "m", "p"
        yield "ي" + short + "ن", "f", "p"
    elif lemma.cls == "def_y":  # ينفي تنفي ينفون ينفين ينفيان
        for prefix, gender in (("ي", "m"), ("ت", "f")):
            yield prefix + long + "ي", gender, "s"
            yield prefix + long + "يان", gender, "d"
        yield "ي" + long + "ون", "m", "p"
        yield "ي" + long + "ين", "f", "p"
    elif lemma.cls == "def_w":  # يدعو تدعو يدعون يدعوان
        for prefix, gender in (("ي", "m"), ("ت", "f")):
            yield prefix + long + "و", gender, "s"
            yield prefix + long + "وان", gender, "d"
        yield "ي" + long + "ون", "m", "p"
    elif lemma.cls == "def_a":  # يرى ترى يرون يرين يريان
        for prefix, gender in (("ي", "m"), ("ت", "f")):
            yield prefix + long + "ى", gender, "s"
            yield prefix + long + "يان", gender, "d"
        yield "ي" + long + "ون", "m", "p"
        yield "ي" + long + "ين", "f", "p"


def participle(lemma: Lemma) -> Iterator[tuple[str, str, str]]:
    """(form, gender, number) of the accusative active participle (…، مضيفا أن …)."""
    if lemma.part == "-":
        return
    stem = lemma.part
    if lemma.cls in ("def_y", "def_w", "def_a"):  # نافيا نافية نافين
        yield stem + "يا", "m", "s"
        yield stem + "ية", "f", "s"
        yield stem + "ين", "m", "p"
        return
    yield stem + "ا", "m", "s"
    yield stem + "ة", "f", "s"
    yield stem + "ين", "m", "p"
    yield stem + "تين", "f", "d"


CONJ = ("", "و", "ف")
CONJ_IMPERF = ("", "و", "ف", "ل", "ول", "فل")


def expand(lemma: Lemma) -> Iterator[Form]:
    """Every written form of one lemma, with the clitic conjunctions."""
    if lemma.cls in ("prep", "noun"):
        for conj in CONJ:
            yield Form(conj + lemma.lemma, lemma.lemma, lemma.cls, "-", "-", lemma.comp,
                       lemma.flags, conj)
        return
    groups = (
        ("perf", perfective(lemma), CONJ),
        ("imperf", imperfective(lemma), CONJ_IMPERF),
        ("part", participle(lemma), ("",)),
    )
    for aspect, forms, conjs in groups:
        for form, gender, number in forms:
            flags = lemma.flags
            if "a" in flags.split(",") and (aspect, gender, number) == ("perf", "m", "s"):
                flags += ",s"  # بين "between", عبر "via": a cue only with subject and content
            for conj in conjs:
                yield Form(conj + form, lemma.lemma, aspect, gender, number, lemma.comp,
                           flags, conj)


def generate(lemmas_text: str) -> str:
    """The text of ``cues.tsv`` for a lemma table (first form of a spelling wins)."""
    seen: set[str] = set()
    lines = [
        "# GENERATED by `python -m arnews_cli.steps.cue_forms` from cue_lemmas.tsv: do not edit.",
        "# form\tlemma\taspect\tgender\tnumber\tcomp\tflags\tconj",
    ]
    for lemma in read_lemmas(lemmas_text):
        for form in expand(lemma):
            if form.form in seen:
                continue
            seen.add(form.form)
            lines.append(form.line())
    return "\n".join(lines) + "\n"


def main() -> int:
    FORMS.write_text(generate(LEMMAS.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {FORMS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
