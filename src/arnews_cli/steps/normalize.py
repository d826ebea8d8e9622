"""``normalize``: orthographic normalization of Arabic news text, with a map back.

The steps run in this order; each can be switched on or off:

``controls``
    delete invisible format characters: soft hyphen, Arabic letter mark, ZWSP, ZWNJ,
    ZWJ, LRM, RLM, bidi embeddings/overrides (U+202A-202E) and isolates (U+2066-2069),
    word joiner and invisible operators (U+2060-2064), deprecated format characters
    (U+206A-206F) and the BOM / ZWNBSP (U+FEFF) anywhere in the text.
``unicode``
    camel-tools ``normalize_unicode``: ﷼ and ﷽ spelled out, then NFKC (presentation
    forms and ligatures to letters, NBSP to space, full-width to ASCII, ...).
``arclean``
    camel-tools' ``arclean`` character map: keeps Arabic letters, ASCII and Latin-1
    letters, maps Arabic-Indic digits, Arabic punctuation, quotes, dashes and Persian/Urdu
    letters to their plain Arabic or ASCII counterparts, and deletes everything else.
``tatweel``
    delete ـ (U+0640).
``diacritics``
    camel-tools ``dediac_ar``: delete the harakat, tanween, shadda, sukun and dagger alef.
``alef`` / ``maksura`` / ``teh``
    camel-tools ``normalize_alef_ar`` (أ إ آ ٱ → ا), ``normalize_alef_maksura_ar``
    (ى → ي) and ``normalize_teh_marbuta_ar`` (ة → ه).
``digits``
    ``keep``, ``ascii`` (٠-٩ and ۰-۹ → 0-9) or ``arabic`` (0-9 and ۰-۹ → ٠-٩).
``punct``
    ``keep``, ``latin`` (، ؛ ؟ → , ; ?) or ``arabic`` (, ; ? → ، ؛ ؟).
``spaces``
    every run of horizontal white space (space, tab, NBSP and the other Unicode space
    separators) becomes one space; line breaks are kept.

Steps with a camel-tools counterpart give exactly its output (tests prove it), without
importing camel-tools: the character tables in :mod:`arnews_cli.steps.charsets` are
generated from it. When ``unicode`` is on, the chain is repeated until NFKC is stable
(a later step can, rarely, leave text NFKC would recompose, e.g. ``ا`` + combining
hamza after ``alef``), so normalizing twice changes nothing. (One exception, kept for
camel-tools equality: ``arclean`` maps ⁋ U+204B to ¶, which its own table deletes.)

The record gains ``normalized = {"text", "map", "steps"}``. ``map`` is a list of
breakpoints ``[[n, o], ...]``: a normalized offset ``x`` comes from original offset
``o + (x - n)`` of the last breakpoint with ``n <= x``; breakpoints appear only where
that difference changes, and the last one is ``[len(normalized), len(original)]``.
:func:`to_original` and :func:`span_to_original` apply it. Every normalized character
maps to the original character it came from (for a ligature expanded into several
letters, each letter maps to the ligature; for a letter composed with a combining
mark, to the letter).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cache
from typing import Any

import regex

from arnews_cli.article import JSON, Article
from arnews_cli.steps import charsets as cs
from arnews_cli.steps.offsetmap import (
    Edit,
    OffsetMap,
    apply_edits,
    deletion_map,
    map_of_edits,
)
from arnews_cli.steps.offsetmap import to_original as _to_original

STEP_NAMES = (
    "controls", "unicode", "arclean", "tatweel", "diacritics", "alef", "maksura", "teh",
    "digits", "punct", "spaces",
)
DIGITS = ("keep", "ascii", "arabic")
PUNCT = ("keep", "latin", "arabic")

CONTROLS = (
    "\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u206a-\u206f\ufeff"
)
TATWEEL = "\u0640"


@dataclass(frozen=True, slots=True)
class Options:
    """Which normalization steps run. The defaults are the ``default`` profile."""

    controls: bool = True
    unicode: bool = True
    arclean: bool = False
    tatweel: bool = True
    diacritics: bool = False
    alef: bool = False
    maksura: bool = False
    teh: bool = False
    digits: str = "keep"
    punct: str = "keep"
    spaces: bool = True

    def __post_init__(self) -> None:
        if self.digits not in DIGITS:
            raise ValueError(f"digits must be one of {DIGITS}, not {self.digits!r}")
        if self.punct not in PUNCT:
            raise ValueError(f"punct must be one of {PUNCT}, not {self.punct!r}")

    def names(self) -> list[str]:
        """The steps that run, as written in the record (``digits:ascii``...)."""
        out = []
        for name in STEP_NAMES:
            value = getattr(self, name)
            if value is True:
                out.append(name)
            elif isinstance(value, str) and value != "keep":
                out.append(f"{name}:{value}")
        return out


PROFILES: dict[str, Options] = {
    # Nothing that changes a letter: only invisible characters and white space.
    "minimal": Options(unicode=False, tatweel=False),
    # Newsroom-safe: invisible characters, Unicode compatibility forms, tatweel, spaces.
    "default": Options(),
    # For matching and search: every orthographic step on (not arclean, which deletes
    # whole scripts).
    "search": Options(
        diacritics=True, alef=True, maksura=True, teh=True, digits="ascii", punct="latin"
    ),
}


def profile_options(profile: str = "default", **overrides: Any) -> Options:
    """The options of a named profile with some steps switched explicitly.

    ``overrides`` set to ``None`` are ignored, so CLI flags left unset keep the profile's
    choice.
    """
    try:
        base = PROFILES[profile]
    except KeyError:
        raise ValueError(f"unknown profile {profile!r}; choose from {sorted(PROFILES)}") from None
    return dataclasses.replace(base, **{k: v for k, v in overrides.items() if v is not None})


DEFAULT = PROFILES["default"]


def made_with(article: Article, before: AbstractSet[str], *, options: Options) -> bool:
    """Whether ``article`` was normalized with ``options`` (``--resume`` keeps only such
    records; ``before``, the fields it held before, does not matter)."""
    norm = article.normalized
    return isinstance(norm, dict) and norm.get("steps") == options.names()


def normalize_article(article: Article, options: Options = DEFAULT) -> Article:
    """Add ``normalized = {"text", "map", "steps"}`` to ``article``.

    Tokens made on an earlier ``normalized`` text (``on: "normalized"``) that differs
    from the new one point into a text that is now gone: they are dropped (tokenize
    again). Tokens of the original text stay."""
    text, omap = normalize_text(article.text, options)
    value: JSON = {"text": text, "map": omap.to_json(), "steps": options.names()}
    tokens, old = article.tokens, article.normalized
    if isinstance(tokens, dict) and tokens.get("on") == "normalized" and not (
        isinstance(old, dict) and old.get("text") == text and old.get("map") == value["map"]
    ):
        return dataclasses.replace(article, normalized=value, tokens=None)
    return dataclasses.replace(article, normalized=value)


def normalize_text(text: str, options: Options = DEFAULT) -> tuple[str, OffsetMap]:
    """Normalized ``text`` and the map from its offsets to offsets of ``text``."""
    total = OffsetMap.identity(len(text))
    # each round that NFKC has more to do for uses up at least one mark (ا + five ٔ:
    # NFKC makes أ, the alef step ا again), so the text's length bounds the rounds
    for _ in range(len(text) + 1):
        text, total, touched = _round(text, total, options)
        if not (options.unicode and touched and _nfkc_edits(text)):
            break
    return text, total


def to_original(normalized: dict[str, Any], offset: int) -> int:
    """The offset in the original text of ``offset`` in ``normalized["text"]``."""
    return _to_original(normalized["map"], offset)


def span_to_original(normalized: dict[str, Any], start: int, end: int) -> tuple[int, int]:
    """The original span of the normalized span ``[start, end)``.

    The end includes what was deleted right after the span's last character (its
    diacritics, a tatweel, extra spaces) up to the next kept character.
    """
    pairs = normalized["map"]
    s = _to_original(pairs, start)
    if end <= start:
        return s, s
    last = _to_original(pairs, end - 1) + 1
    after = _to_original(pairs, end)  # where the next kept character came from
    return s, after if after >= last else last


# -- one round of the chain -------------------------------------------------------------


def _round(text: str, total: OffsetMap, o: Options) -> tuple[str, OffsetMap, bool]:
    """Run every enabled step once; ``touched``: something after ``unicode`` changed."""
    touched = False

    def edit(edits: Iterator[Edit] | list[Edit], after_unicode: bool = True) -> None:
        nonlocal text, total, touched
        new, step = apply_edits(text, edits)
        if step is not None:
            text, total = new, total.then(step)
            touched = touched or after_unicode

    def delete(pattern: re.Pattern[str] | regex.Pattern[str], after_unicode: bool = True) -> None:
        nonlocal text, total, touched
        pieces = pattern.split(text)
        if len(pieces) > 1:
            text, total = "".join(pieces[0::2]), total.then(deletion_map(pieces))
            touched = touched or after_unicode

    if o.controls:
        delete(_controls_re(), after_unicode=False)
    if o.unicode:
        # NBSP, the usual reason a news line is not NFKC, decomposes to one space: the
        # same NFKC whatever surrounds it, so a C-level replace settles most lines.
        text = text.replace("\xa0", " ")
        edit(_nfkc_edits(text), after_unicode=False)
    if o.arclean:
        new, edits = _arclean(text)
        if new != text:
            touched = True
            if edits:
                total = total.then(map_of_edits(len(text), edits))
            text = new
    deleted = (TATWEEL if o.tatweel else "") + (cs.AR_DIAC if o.diacritics else "")
    if deleted:
        delete(_class_re(deleted))
    pairs = _translations(o)
    if pairs:
        new = _translate(text, pairs)
        touched = touched or new != text
        text = new
    if o.spaces:
        edit(_space_edits(text))
    return text, total, touched


@cache
def _class_re(body: str) -> re.Pattern[str]:
    """Runs of the characters of ``body``, captured (for ``split``); the stdlib re tests
    a plain class against a bitmap, faster than regex."""
    return re.compile(f"([{body}]+)")


@cache
def _controls_re() -> regex.Pattern[str]:
    # every control is a format character (Cf): the property test rejects the rest fast
    return regex.compile(f"(?V1)([\\p{{Cf}}&&[{CONTROLS}]]+)")


@cache
def _translations(o: Options) -> tuple[tuple[str, str], ...]:
    pairs: list[tuple[str, str]] = []
    if o.alef:
        pairs += [(c, cs.ALEF) for c in cs.ALEF_VARIANTS]
    if o.maksura:
        pairs += [(c, cs.YEH) for c in cs.ALEF_MAKSURA]
    if o.teh:
        pairs += [(c, cs.HEH) for c in cs.TEH_MARBUTA]
    if o.digits == "ascii":
        pairs += [(chr(0x660 + i), str(i)) for i in range(10)]
        pairs += [(chr(0x6F0 + i), str(i)) for i in range(10)]
    elif o.digits == "arabic":
        pairs += [(str(i), chr(0x660 + i)) for i in range(10)]
        pairs += [(chr(0x6F0 + i), chr(0x660 + i)) for i in range(10)]
    if o.punct == "latin":
        pairs += [("\u060c", ","), ("\u061b", ";"), ("\u061f", "?")]
    elif o.punct == "arabic":
        pairs += [(",", "\u060c"), (";", "\u061b"), ("?", "\u061f")]
    return tuple(pairs)


def _translate(text: str, pairs: Sequence[tuple[str, str]]) -> str:
    """One-to-one character replacements (offsets unchanged).

    ``str.replace`` per character beats ``str.translate`` by 3x or more on Arabic text:
    ``translate`` looks each non-ASCII character up through a Python dict.
    """
    for a, b in pairs:
        if a in text:
            text = text.replace(a, b)
    return text


# -- unicode: camel-tools normalize_unicode with per-character alignment -----------------

_FIX = cs.UNICODE_FIX
_CHECKED = 200
_CHUNK = 4096


@cache
def _nfkc_run_re() -> regex.Pattern[str]:
    return regex.compile(f"(?V1){cs.NFKC_UNSAFE_SET}+")


def _nfkc_edits(text: str) -> list[Edit]:
    """Edits that turn ``text`` into camel-tools' ``normalize_unicode(text)``.

    Lines NFKC leaves alone are skipped (a fast check in C); in the others only runs of
    characters NFKC may change or combine are looked at, each with the starter before it
    (runs are maximal, so that character is always a safe place to cut).
    """
    edits: list[Edit] = []
    is_normalized = unicodedata.is_normalized
    run = _nfkc_run_re()

    def stable(piece: str) -> bool:
        return is_normalized("NFKC", piece) and "\ufdfc" not in piece and "\ufdfd" not in piece

    for cs_, ce in _lines(text, 0, len(text), _CHUNK):
        if stable(text[cs_:ce]):
            continue
        for s, e in _lines(text, cs_, ce):
            if stable(text[s:e]):
                continue
            for m in run.finditer(text, s, e):
                start, end = m.span()
                if start:
                    start -= 1
                seg = text[start:end]
                if stable(seg):
                    continue
                out, labels = nfkc_aligned(seg)
                if out != seg:
                    edits.append((start, end, out, [start + i for i in labels]))
    return edits


def _lines(text: str, pos: int, n: int, size: int = 0) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each line of ``text[pos:n]`` (line feed included), or of
    chunks of whole lines at least ``size`` long."""
    find = text.find
    while pos < n:
        nl = find("\n", pos + size, n)
        end = n if nl == -1 else nl + 1
        yield pos, end
        pos = end


def nfkc_aligned(seg: str) -> tuple[str, list[int]]:
    """``normalize_unicode(seg)`` and, for each output character, the index in ``seg``
    of the character it came from (in a run of combining marks that NFKC reorders, the
    run's indices in order, so that the offset map never runs backwards and a span over
    the run maps to the whole run).

    Follows UAX #15 on labelled characters: decompose each character on its own,
    reorder combining marks by class (stably), then compose; a composite keeps the label
    of its starter. The result is checked against :func:`unicodedata.normalize`.
    """
    chars: list[str] = []
    labels: list[int] = []
    for i, c in enumerate(seg):
        for d in unicodedata.normalize("NFKD", _FIX.get(c, c)):
            chars.append(d)
            labels.append(i)
    ccc = [unicodedata.combining(c) for c in chars]
    i, n = 0, len(chars)
    while i < n:
        if ccc[i] == 0:
            i += 1
            continue
        j = i
        while j < n and ccc[j]:
            j += 1
        if j - i > 1:  # the labels stay in order: the run maps back to the run
            order = sorted(range(i, j), key=ccc.__getitem__)
            chars[i:j] = [chars[k] for k in order]
            ccc[i:j] = [ccc[k] for k in order]
        i = j
    out: list[str] = []
    out_labels: list[int] = []
    starter = -1
    last_ccc = -1  # class of the last mark kept after the starter; -1: none yet
    for c, label, cc in zip(chars, labels, ccc, strict=True):
        if starter >= 0 and (last_ccc == -1 or 0 < last_ccc < cc):
            composed = unicodedata.normalize("NFC", out[starter] + c)
            if len(composed) == 1:
                out[starter] = composed
                continue
        out.append(c)
        out_labels.append(label)
        if cc == 0:
            starter, last_ccc = len(out) - 1, -1
        else:
            last_ccc = cc
    result = "".join(out)
    if len(seg) <= _CHECKED:  # CPython reorders marks by insertion sort: skip long runs
        expected = unicodedata.normalize("NFKC", "".join(_FIX.get(c, c) for c in seg))
        if result != expected:  # pragma: no cover - defensive; the tests never reach it
            return expected, [0] * len(expected)
    return result, out_labels


# -- arclean, spaces ----------------------------------------------------------------------


@cache
def _arclean_re() -> re.Pattern[str]:
    # The stdlib re: it tests this plain class against a bitmap, about twice as fast as
    # regex here (bench/README.md); the class needs no Unicode properties.
    return re.compile(f"[^{cs.ARCLEAN_KEEP}]+")


def _arclean(text: str) -> tuple[str, list[Edit]]:
    """camel-tools arclean, and the edits among its changes that are not one-to-one
    (deletions and expansions: the only ones the offset map needs)."""
    lookup = cs.ARCLEAN_MAP.get
    edits: list[Edit] = []

    def replace(m: re.Match[str]) -> str:
        g = m.group()
        if len(g) == 1:
            rep = lookup(g, "")
            if len(rep) != 1:
                start = m.start()
                edits.append((start, start + 1, rep, (start,) * len(rep) if rep else ()))
            return rep
        start = m.start()
        parts: list[str] = []
        origins: list[int] = []
        for k, c in enumerate(g):
            rep = lookup(c, "")
            parts.append(rep)
            origins.extend([start + k] * len(rep))
        out = "".join(parts)
        if origins != list(range(start, start + len(g))):
            edits.append((start, m.end(), out, origins))
        return out

    return _arclean_re().sub(replace, text), edits


@cache
def _hspace() -> tuple[frozenset[str], re.Pattern[str], re.Pattern[str]]:
    """Horizontal white space (tab, vertical tab, form feed, the Unicode space separators)
    and patterns for its two kinds of runs that need work."""
    chars = frozenset(" \t\x0b\x0c\xa0\u1680\u202f\u205f\u3000") | frozenset(
        map(chr, range(0x2000, 0x200B))
    )
    other = "".join(sorted(chars - {" "}))
    return chars, re.compile(f"[{other}]"), re.compile("  +")


def _space_edits(text: str) -> list[Edit]:
    """Runs of horizontal space that are not a single plain space, as one space each.

    A run needs work when it holds a character other than a plain space or two spaces
    in a row; both are found by patterns that rarely start a match, then widened to the
    whole run (scanning every space with one pattern costs several times more).
    """
    chars, other, double = _hspace()
    n = len(text)
    runs: dict[int, int] = {}
    for pattern in (other, double):
        for m in pattern.finditer(text):
            start, end = m.span()
            while start and text[start - 1] in chars:
                start -= 1
            if start in runs:
                continue
            while end < n and text[end] in chars:
                end += 1
            runs[start] = end
    return [(start, runs[start], " ", (start,)) for start in sorted(runs)]
