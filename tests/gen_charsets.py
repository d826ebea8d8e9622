"""Generate ``src/arnews_cli/steps/charsets.py`` from camel-tools' own definitions.

arnews must not import camel_tools at run time (importing its charsets alone takes about
half a second), so the character tables its normalize and tokenize steps need are
derived here, once, from the installed camel-tools, emoji and Python Unicode database,
and committed. ``tests/test_charsets.py`` regenerates them and fails when they differ,
so an upgrade of any of those is noticed.

Usage: ``uv run python -m tests.gen_charsets > src/arnews_cli/steps/charsets.py``
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Iterable

import regex

ALL = [chr(i) for i in range(0x110000) if not 0xD800 <= i <= 0xDFFF]


def char_class(chars: Iterable[str]) -> str:
    """The body of a regex character class (ranges, escaped) matching exactly ``chars``."""
    points = sorted({ord(c) for c in chars})
    ranges: list[list[int]] = []
    for p in points:
        if ranges and ranges[-1][1] == p - 1:
            ranges[-1][1] = p
        else:
            ranges.append([p, p])
    parts = []
    for a, b in ranges:
        if b == a:
            parts.append(_member(a))
        elif b == a + 1:
            parts.append(_member(a) + _member(b))
        else:
            parts.append(f"{_member(a)}-{_member(b)}")
    return "".join(parts)


def _member(p: int) -> str:
    c = chr(p)
    return "\\" + c if c in "\\]^-[" else c


def _atom(c: str) -> str:
    """One character as it is written inside an ASCII-only Python string literal."""
    p = ord(c)
    if c in "\\\"":
        return "\\" + c
    if 0x20 <= p < 0x7F:
        return c
    return f"\\x{p:02x}" if p <= 0xFF else f"\\u{p:04x}" if p <= 0xFFFF else f"\\U{p:08x}"


def _literal(s: str) -> str:
    return '"' + "".join(map(_atom, s)) + '"'


def _wrapped(name: str, body: str, width: int = 88) -> list[str]:
    """``NAME = (...)`` with a long string literal split over several lines."""
    lines: list[str] = []
    line = ""
    for atom in map(_atom, body):
        if len(line) + len(atom) > width:
            lines.append(line)
            line = ""
        line += atom
    lines.append(line)
    if len(lines) == 1:
        return [f'{name} = "{lines[0]}"']
    return [f"{name} = ("] + [f'    "{x}"' for x in lines] + [")"]


def v1_set(exact: set[str], properties: str) -> str:
    """A regex ``(?V1)`` set equal to ``exact``: Unicode properties plus or minus lists.

    Large explicit classes are slow in the regex module (ranges are scanned one by one),
    property lookups are not; the lists absorb Unicode version differences.
    """
    every = "".join(ALL)
    near = set(regex.findall(f"[{properties}]", every))
    plus, minus = exact - near, near - exact
    body = properties + char_class(plus)
    result = f"[{body}--[{char_class(minus)}]]" if minus else f"[{body}]"
    assert set(regex.findall(f"(?V1){result}", every)) == exact
    return result


def nfkc_unsafe() -> set[str]:
    """Characters after which text cannot be cut without changing its NFKC form.

    A character is *safe* when it is a starter (canonical combining class 0), NFKC leaves
    it alone, and it can never be the second character of a canonical composition; NFKC
    of a text equals the concatenation of NFKC of its pieces when every piece starts
    with a safe character. Everything else is unsafe, plus the two characters
    camel-tools' ``normalize_unicode`` rewrites before NFKC.
    """
    unsafe = set()
    for c in ALL:
        if unicodedata.combining(c) or unicodedata.normalize("NFKC", c) != c:
            unsafe.add(c)
        d = unicodedata.decomposition(c)
        if d and not d.startswith("<"):
            parts = d.split()
            if len(parts) == 2:
                unsafe.add(chr(int(parts[1], 16)))
    # Hangul vowel and trailing jamo compose algorithmically (not in decomposition()).
    unsafe.update(chr(p) for p in range(0x1161, 0x1176))
    unsafe.update(chr(p) for p in range(0x11A8, 0x11C3))
    unsafe.update("\ufdfc\ufdfd")
    return unsafe


def generate() -> str:
    import camel_tools
    from camel_tools.tokenizers import word as ct_word
    from camel_tools.utils import normalize as ct_norm
    from camel_tools.utils.charmap import CharMapper
    from camel_tools.utils.charsets import AR_DIAC_CHARSET

    fix = dict(ct_norm._UNICODE_CHAR_FIX._charmap)
    every = "".join(ALL)
    bmp = "".join(c for c in ALL if ord(c) <= 0xFFFF)

    def changed_by(fn: object) -> dict[str, str]:
        out = fn(every)  # type: ignore[operator]
        assert len(out) == len(every)
        return {a: b for a, b in zip(every, out, strict=True) if a != b}

    alef = changed_by(ct_norm.normalize_alef_ar)
    maksura = changed_by(ct_norm.normalize_alef_maksura_ar)
    teh = changed_by(ct_norm.normalize_teh_marbuta_ar)
    assert len(set(alef.values())) == len(set(maksura.values())) == len(set(teh.values())) == 1

    arclean = CharMapper.builtin_mapper("arclean")
    assert arclean._default == ""
    keep = [c for c, v in arclean._charmap.items() if v is None or v == c]
    remap = {c: v for c, v in sorted(arclean._charmap.items()) if v is not None and v != c}

    symbols_all = ct_word._SYMBOLS_ALL
    symbols_re = ct_word._SYMBOLS_RE
    candidates = regex.findall(r"[\p{RI}\p{Emoji}\p{S}\p{P}]", every)
    split = []
    for c in candidates:
        m = symbols_re.match(c)
        if m is not None and m.group() == c and c in symbols_all:
            split.append(c)
    # Characters that can extend a symbol match past one character when they follow it.
    triggers = regex.findall(r"[\p{EMod}\p{RI}\ufe0f\u20e3\u200d\U000e0020-\U000e007f]", every)
    multi = sorted(e for e in symbols_all if len(e) > 1)
    space = [c for c in ALL if c.isspace()]

    lines = [
        '"""Character tables for normalize and tokenize, derived from camel-tools.',
        "",
        "GENERATED by ``python -m tests.gen_charsets``; do not edit. ``tests/test_charsets.py``",
        "regenerates it and fails when camel-tools, emoji, regex or Python's Unicode database",
        "changed. Class strings are bodies of regex character classes.",
        '"""',
        "",
        "# ruff: noqa: E501",
        "",
        f'CAMEL_TOOLS_VERSION = "{camel_tools.__version__}"',
        f'UNICODE_VERSION = "{unicodedata.unidata_version}"',
        "",
        "# normalize_unicode: these are rewritten before NFKC",
        "UNICODE_FIX = {" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in fix.items())
        + "}",
        "# (?V1) set: characters whose NFKC form depends on their neighbours or differs",
        "# from themselves",
        *_wrapped("NFKC_UNSAFE_SET", v1_set(nfkc_unsafe(), r"\p{NFKC_QC=N}\p{NFKC_QC=M}\P{ccc=0}")),
        "",
        "# dediac_ar",
        *_wrapped("AR_DIAC", char_class(AR_DIAC_CHARSET)),
        "# normalize_alef_ar, normalize_alef_maksura_ar, normalize_teh_marbuta_ar",
        f"ALEF_VARIANTS = {_literal(''.join(sorted(alef)))}",
        f"ALEF = {_literal(next(iter(alef.values())))}",
        f"ALEF_MAKSURA = {_literal(''.join(sorted(maksura)))}",
        f"YEH = {_literal(next(iter(maksura.values())))}",
        f"TEH_MARBUTA = {_literal(''.join(sorted(teh)))}",
        f"HEH = {_literal(next(iter(teh.values())))}",
        "",
        "# CharMapper.builtin_mapper('arclean'): ARCLEAN_KEEP map to themselves,",
        "# ARCLEAN_MAP to the given strings, every other character is deleted.",
        *_wrapped("ARCLEAN_KEEP", char_class(keep)),
        "ARCLEAN_MAP = {",
        *[f"    {_literal(k)}: {_literal(v)}," for k, v in remap.items()],
        "}",
        "",
        "# simple_word_tokenize: the (?V1) set of characters split off as one-character",
        "# tokens (when no TOKEN_TRIGGERS character follows), the characters that can make a",
        "# symbol match longer than one character, and str.split() whitespace.",
        *_wrapped("SYMBOL_SPLIT_SET", v1_set(set(split), r"\p{P}\p{S}")),
        "# the same characters below U+10000, as a plain class body (for the stdlib re)",
        *_wrapped("SYMBOL_SPLIT_BMP", char_class(c for c in split if ord(c) <= 0xFFFF)),
        *_wrapped("TOKEN_TRIGGERS", char_class(triggers)),
        *_wrapped("SPACE", char_class(space)),
        f"SYMBOLS_PATTERN = {_literal(symbols_re.pattern)}",
        "",
        "# the regex module's [\\p{L}\\p{M}\\p{N}] and [\\p{L}\\p{N}] below U+10000, as",
        "# plain class bodies for the stdlib re (it tests them against a bitmap: faster)",
        *_wrapped("LMN_BMP", char_class(regex.findall(r"[\p{L}\p{M}\p{N}]", bmp))),
        *_wrapped("LN_BMP", char_class(regex.findall(r"[\p{L}\p{N}]", bmp))),
        "# multi-character emoji sequences simple_word_tokenize keeps whole",
        *_wrapped("EMOJI_SEQUENCES", "\n".join(multi)),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(generate())
