"""Turn the bytes of an article file into text, recording the encoding used.

Order of trust: a byte-order mark; strict UTF-8; then the single-byte Arabic code pages
found in archives (Windows-1256 and ISO-8859-6), chosen by ``charset-normalizer`` when both
decode. Trailing NUL padding (common in old archives) is dropped; a file whose content is
mostly control bytes is refused as binary.
"""

from __future__ import annotations

import codecs
import re

from arnews_cli.errors import ArnewsError

BOMS = (  # the byte-order mark, the codec of what follows it, the encoding a record names
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
_ARABIC_CODEPAGES = ("cp1256", "iso8859_6")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")  # C0 controls but tab, newlines and form feeds
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20)])  # as _CONTROL, in bytes
_ASCII_COMPATIBLE = frozenset({"utf-8", "utf-8-sig", *_ARABIC_CODEPAGES})
_MAX_CONTROL_SHARE = 0.02


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Return ``(text, encoding)`` for the bytes of ``path`` or raise :class:`ArnewsError`."""
    if not data.strip(b"\x00 \t\r\n\x0b\x0c"):
        raise ArnewsError("empty file", path)
    text, encoding = _decode(data, path)
    text = text.rstrip("\x00")
    if text.startswith("\ufeff"):
        text = text[1:]
    # in the one-byte-per-ASCII encodings, a control character can only come from a
    # control byte, and looking for those in the bytes is much cheaper than in the text
    if encoding not in _ASCII_COMPATIBLE or _has_control_bytes(data):
        _refuse_binary(text, path)
    if not text or text.isspace():
        raise ArnewsError("empty file", path)
    return text, encoding


def _decode(data: bytes, path: str) -> tuple[str, str]:
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), name
            except UnicodeDecodeError as exc:
                raise ArnewsError(
                    f"cannot decode as {name}: {exc.reason} at byte {exc.start}", path
                ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if b"\x00" in data.rstrip(b"\x00"):
        raise ArnewsError("binary file (NUL bytes inside the text)", path)
    candidates = [cp for cp in _ARABIC_CODEPAGES if _decodes(data, cp)]
    if not candidates:
        raise ArnewsError(
            f"not valid UTF-8 ({utf8_error.reason} at byte {utf8_error.start}), "
            "Windows-1256 or ISO-8859-6",
            path,
        )
    encoding = candidates[0] if len(candidates) == 1 else _best_codepage(data, candidates)
    text = data.decode(encoding)
    if not _reads_as_arabic(text):
        # Windows-1256 maps every byte: Chinese or Cyrillic bytes decode too, as a mix
        # of Arabic letters, Latin letters and symbols that no Arabic text holds
        raise ArnewsError(
            f"not valid UTF-8 ({utf8_error.reason} at byte {utf8_error.start}), and not "
            "Arabic text in Windows-1256 or ISO-8859-6 (another encoding?)",
            path,
        )
    return text, encoding


_FOREIGN = (
    "[^\x00-\x7f\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff"
    "\xa0\xab\xbb\xb0\xd7\xf7\u200c-\u200f\u2013\u2014\u2018-\u201e\u2022\u2026]"
)
"""A character of a one-byte code page other than ASCII, Arabic script and the
punctuation Arabic words take (NBSP, « », °, ×, ÷, dashes, curly quotes, •, …)."""
_GLUED = re.compile(f"(?<=[\u0621-\u064a]){_FOREIGN}|{_FOREIGN}(?=[\u0621-\u064a])")
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_MAX_GLUED_SHARE = 0.03
_ALEF_LAM_SAMPLE = 100
_MIN_ALEF_LAM_SHARE = 0.06
"""Alef and lam, the two commonest Arabic letters, make about a quarter of the letters of
any Arabic text (over every 120-letter stretch of the corpus, never below 8%). Cyrillic in
KOI8-R, read as Windows-1256, makes Arabic letters only, but with 2-4% of these two."""
_GLUED_TEH = re.compile("\u0629[\u0621-\u064a]")
"""Teh marbuta ends an Arabic word, so a letter after it is a missing space, at most one
or two in an article; KOI8-R puts it for Cyrillic ``и`` (about 7% of Russian letters),
inside words, which tells even a one-line KOI8-R text."""
_MAX_GLUED_TEH_SHARE = 0.01


def _reads_as_arabic(text: str) -> bool:
    """Whether ``text``, decoded from a one-byte code page, reads as Arabic: it has Arabic
    letters, and few foreign characters glued to them. Chinese or Cyrillic bytes read as
    Windows-1256 make words of Arabic letters, Latin letters and symbols (``ذآ»ھةç±``);
    a € or © beside a number or on its own is ordinary text. Cyrillic in KOI8-R makes
    Arabic letters only, in proportions and places no Arabic text has
    (:data:`_MIN_ALEF_LAM_SHARE`, :data:`_GLUED_TEH`)."""
    if _ARABIC_LETTER.search(text) is None:
        return False
    # whole-text counts in C; the letters are counted only when a check needs them
    alef_lam = text.count("\u0627") + text.count("\u0644")
    letters: int | None = None
    if alef_lam < _MIN_ALEF_LAM_SHARE * len(text):  # below the share of all characters
        letters = _count_letters(text)
        if letters >= _ALEF_LAM_SAMPLE and alef_lam < _MIN_ALEF_LAM_SHARE * letters:
            return False
    glued_teh = len(_GLUED_TEH.findall(text))
    if glued_teh >= 2:
        letters = _count_letters(text) if letters is None else letters
        if glued_teh >= _MAX_GLUED_TEH_SHARE * letters:
            return False
    glued = len(_GLUED.findall(text))
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return glued <= max(3, _MAX_GLUED_SHARE * non_ascii)


def _count_letters(text: str) -> int:
    return len(text) - len(_ARABIC_LETTER.sub("", text))


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _best_codepage(data: bytes, candidates: list[str]) -> str:
    from charset_normalizer import from_bytes  # only archives that are not UTF-8 pay for it

    best = from_bytes(data, cp_isolation=candidates).best()
    if best is not None and best.encoding in candidates:
        return best.encoding
    return max(candidates, key=lambda cp: _arabic_letters(data.decode(cp)))


def _arabic_letters(text: str) -> int:
    return sum(1 for ch in text if "\u0621" <= ch <= "\u064a")


def _has_control_bytes(data: bytes) -> bool:
    return len(data.translate(None, _CONTROL_BYTES)) < len(data)


def _refuse_binary(text: str, path: str) -> None:
    sample = text[:65536]
    controls = len(_CONTROL.findall(sample))
    if controls > max(2, _MAX_CONTROL_SHARE * len(sample)):
        raise ArnewsError("binary file (too many control bytes)", path)
