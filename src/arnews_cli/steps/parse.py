"""``parse``: plain-text article -> :class:`Article` with structural blocks.

The layouts seen in Arabic news text files:

* headline on the first line (often ``رويترز: …``), then a blank line;
* optional image title and caption lines right under it, the caption ending in a photo
  credit such as ``(الجزيرة)``;
* an optional dateline or byline (``طوكيو 26 شوال 1436 هـ … واس``, ``بغداد - رويترز``,
  ``عمر إبراهيم – عين اليوم``), on its own line or opening the first paragraph;
* body paragraphs, one per line, usually separated by blank lines, with short
  subheadings between them;
* a trailing credit line (``المصدر : الجزيرة + رويترز``, ``وكالات``, ``*نقلا عن …``) and
  end-of-story markers (``// انتهى //``, rules of dashes).

Structure is only inferred from layout *and* context: a short line is a subheading only
when it stands between complete paragraphs, never by its length alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from arnews_cli.article import Article, Block
from arnews_cli.steps.layout_lexicon import AGENCY_NAMES, MONTHS, PHOTO_CREDITS


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True))


_AGENCY = _alternation(AGENCY_NAMES)
# What a line is trimmed of: the white space of the `regex` module's \s, direction marks
# and isolates, and the byte-order mark (spelled out for str.strip, which is much faster).
_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u202f\u205f"
    "\u2066\u2067\u2068\u2069\u3000\ufeff"
)
_WORD = regex.compile(r"[\p{L}\p{N}]+")
# Paragraph breaks merged into one line upstream: two or more spaces (no-break spaces
# included) right after the end of a sentence.
_HAS_GAP = regex.compile(r"[ \t\u00a0]{2,}")
_GAP = regex.compile(r"(?<=[.!؟?…][\"'»”’]?)[ \t\u00a0]{2,}(?=\S)")
# A run-in heading merged into the text: a short phrase between the end of a sentence
# (or the start of the line) and a colon, e.g. ``… القطرية . فسخ عقود الرعاية :  قرر …``.
_RUNIN = regex.compile(
    r"(?<=[.!؟?…](?:\s?[\"'»”’])?[ \t\u00a0]{1,3})"
    r"(?P<head>[^\s\d.!؟?:،,؛;\"'«»“”()\-–—*•#][^.!؟?:،,؛;\"«»“”(){}#\n]{1,70}?)"
    r"(?:[ \t\u00a0]+:(?=[ \t\u00a0]*\S|[ \t\u00a0]*$)|:(?=[ \t\u00a0]{2,}|[ \t\u00a0]*$))"
)
_NOT_HEADING_START = regex.compile(r"^(?:و|قال|أضاف|أكد|أوضح|تابع|صرح|أشار|يقول|قائلا|مضيفا)")
_CUE_INSIDE = regex.compile(
    r"(?<!\p{L})(?:[وف]?(?:قال|قالت|أضاف|أضافت|أكد|أكدت|أوضح|أوضحت|تابع|صرح|أشار|يقول|تقول"
    r"|قائلا|مضيفا|وفق|بحسب|حسب|أجاب|أجابنا|يجيب|سأل|سألته|يسأل|كتب|ذكر|أعلن|نقل|قوله"
    r"|وهم|وهي|منها|التالي|التالية|الآتي|كالتالي|كالآتي))(?!\p{L})"
)
_RUNIN_MAX_WORDS = 12
_RUNIN_HEAD_MAX_CHARS = 71  # the longest <head> _RUNIN admits
_RUNIN_BEHIND = 6  # the longest text its look-behind reads
_SENTENCE_MARKS = ".!؟?…"  # what that look-behind needs
_SENTENCE_END = regex.compile(r"[.!؟?…][\"'»”’)\]]*$|[\"'»”’]$")
_NO_SUBHEAD_END = regex.compile(r"[.…:،,؛;\-–—]$")
_LIST_ITEM = regex.compile(r"^(?:[-–—•*▪●◄►]|\p{N}{1,2}\s*[-.)–])")
_RULE = regex.compile(r"^[\W_]+$")
_END_MARK = regex.compile(r"^(?:/+\s*انتهى\s*/+|انتهى|\p{N}{1,2}:\p{N}{2}\s*(?:ت\s*م|[صم])?)$")
_SEPARATED = regex.compile(r"\s*[/+،,]\s*|\s+و\s+")
_AGENCIES = frozenset(" ".join(name.split()) for name in AGENCY_NAMES)
_PHOTO_CREDITS = frozenset(" ".join(name.lower().split()) for name in PHOTO_CREDITS)
_CREDIT = regex.compile(
    r"^(?:المصدر|المصادر|مصدر الخبر|مصدر)\s*[:：]\s*\S|^\*\s*نقلا?ً?\s+عن\s+\S"
)
_CREDIT_LIST = regex.compile(r"^\S+(?:\s*\d+)?\s*/\s*(?P<agency>[^/]+)$")  # فرانس24/ أ ف ب
_PHOTO_CREDIT = regex.compile(r"\(\s*(?P<credit>[^()]{1,40}?)\s*\)$")
_DASH = r"(?:\s*[-–—]\s*|\s+ـ\s+)"
_PLACE = r"(?:[\p{L}.]+\s+){0,3}[\p{L}.]+"
_DATELINE_LINE = regex.compile(rf"^{_PLACE}{_DASH}\(?\s*(?P<agency>[^()]+?)\s*\)?$")
_INLINE_PLACE = regex.compile(
    rf"^(?:\p{{L}}+\s+){{0,2}}\p{{L}}+(?:(?P<dash>{_DASH})|\s*\(\s*(?P<paren>[^()]{{1,30}}?)\s*\))"
)
_AGENCY_AT = regex.compile(rf"(?:{_AGENCY})(?=\s*(?:[-–—ـ:)]|$))")
_INLINE_REST = regex.compile(r"\s*[-–—ـ:)]?\s*")
_MONTH = rf"(?<!\p{{L}})(?:{_alternation(MONTHS)})(?!\p{{L}})"
_DATE_WORDS = regex.compile(
    rf"\p{{N}}{{1,2}}\s*[-/,]?\s*{_MONTH}|{_MONTH}\s*[-/,]?\s*\p{{N}}{{4}}"
    r"|\p{N}{1,4}\s*[/.-]\s*\p{N}{1,2}\s*[/.-]\s*\p{N}{2,4}|تاريخ النشر|\p{N}\s*هـ(?!\p{L})"
)
_BYLINE = regex.compile(rf"^[\p{{L}}. ]{{2,40}}{_DASH}[\p{{L}}. ]{{2,40}}$")
_HEADLINE_MAX_WORDS = 30
_SUBHEAD_MAX_WORDS = 8
_SUBHEAD_MAX_CHARS = 70
_WORDS_COUNTED = 62  # more than any rule compares (a caption has at most 60)


@dataclass(slots=True)  # not frozen: a frozen __init__ costs more, and lines stay private
class _Line:
    start: int
    end: int
    text: str
    blank_before: bool
    blank_after: bool
    runin: bool = False
    counted: int = -1  # the word count, once asked for

    @property
    def words(self) -> int:
        """The word count (counted when first needed: most body lines never are)."""
        if self.counted < 0:
            self.counted = _count_words(self.text)
        return self.counted


def parse_text(text: str, path: str = "-", encoding: str = "utf-8") -> Article:
    """Split ``text`` into blocks; every block satisfies ``text[start:end] == block.text``."""
    lines = _lines(text)
    kinds = _classify(lines)
    blocks: list[Block] = []
    in_body = False  # an inline dateline can only open the story's first paragraph
    for line, kind in zip(lines, kinds, strict=True):
        if kind == "paragraph" and not in_body:
            split = _split_inline_dateline(text, line)
            if split is not None:
                blocks.extend(split)
                in_body = True
                continue
        in_body = in_body or kind in ("paragraph", "dateline")
        blocks.append(Block(kind, line.text, line.start, line.end))
    return Article(path=path, text=text, encoding=encoding, blocks=tuple(blocks))


def _lines(text: str) -> list[_Line]:
    raw: list[tuple[int, int, bool]] = []  # start, end, split inside a physical line
    runin: set[int] = set()
    for start, end in _physical_lines(text):
        start, end = _trim(text, start, end)
        if start >= end:
            continue
        pieces = _split_merged(text, start, end, runin)
        if len(pieces) == 1:
            raw.append((*pieces[0], False))
        else:
            raw.extend((a, b, True) for a, b in pieces)
    crlf = "\r" in text
    # blank[k]: a blank line (or a recovered paragraph break) right before raw[k]
    blank = [True]
    blank.extend(
        _blank_between(text, raw[k - 1][1], raw[k][0], raw[k][2], crlf) for k in range(1, len(raw))
    )
    blank.append(True)
    lines = []
    for i, (start, end, _) in enumerate(raw):
        line_text = text[start:end]
        lines.append(
            _Line(start, end, line_text, blank_before=blank[i], blank_after=blank[i + 1],
                  runin=start in runin)
        )
    return lines


def _physical_lines(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of every non-empty run of characters other than ``\\n`` and ``\\r``."""
    # str.split is several times faster than a regex over the text; "\r" -> "\n" keeps offsets
    flat = text.replace("\r", "\n") if "\r" in text else text
    position = 0
    for piece in flat.split("\n"):
        if piece:
            yield position, position + len(piece)
        position += len(piece) + 1


def _count_words(line: str) -> int:
    """Whitespace-separated pieces that hold a letter or digit (a fast word count), up to
    ``_WORDS_COUNTED``: no rule tells longer lines apart, and splitting all costs most."""
    pieces = line.split(None, _WORDS_COUNTED - 1)
    return len(pieces) if len(pieces) > 3 else sum(1 for p in pieces if _WORD.search(p))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` without the white space and direction marks at either end."""
    piece = text[start:end]
    left = piece.lstrip(_SPACE)
    start += len(piece) - len(left)
    return start, start + len(left.rstrip(_SPACE))


def _split_merged(text: str, start: int, end: int, runin: set[int]) -> list[tuple[int, int]]:
    """Recover paragraph breaks and run-in headings merged into one physical line."""
    colon = text.find(":", start, end)
    gap = _has_gap(text, start, end)
    if colon < 0 and not gap:
        return [(start, end)]
    cuts = [(m.start(), m.end()) for m in _GAP.finditer(text, start, end)] if gap else []
    for m in _runin_matches(text, start, end, colon):
        head = m.group("head").strip()
        words = len(_WORD.findall(head))
        if not (1 <= words <= _RUNIN_MAX_WORDS) or _NOT_HEADING_START.match(head):
            continue
        if _CUE_INSIDE.search(head):
            continue
        h_start, h_end = _trim(text, m.start("head"), m.end("head"))
        runin.add(h_start)
        cuts.append((h_start, h_start))
        cuts.append((h_end, m.end()))
    if not cuts:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    position = start
    for cut_start, cut_end in sorted(set(cuts)):
        if cut_start < position:
            continue
        piece = _trim(text, position, cut_start)
        if piece[0] < piece[1]:
            pieces.append(piece)
        position = cut_end
    piece = _trim(text, position, end)
    if piece[0] < piece[1]:
        pieces.append(piece)
    return pieces


def _has_gap(text: str, start: int, end: int) -> bool:
    """Whether ``_HAS_GAP`` matches in ``text[start:end]``; plain spaces need no regex."""
    if text.find("  ", start, end) >= 0:
        return True
    if text.find("\t", start, end) < 0 and text.find("\xa0", start, end) < 0:
        return False
    return _HAS_GAP.search(text, start, end) is not None


def _runin_matches(text: str, start: int, end: int, colon: int) -> Iterator[regex.Match[str]]:
    """``_RUNIN.finditer(text, start, end)``, searching only near the colons that can
    end a heading (``colon``: the first one in the line, or -1)."""
    # A match ends at a colon (a head holds none), so the matches are found colon by
    # colon. One starts at most the longest head plus the blanks before its colon, after a
    # sentence end at most _RUNIN_BEHIND characters earlier: colons without such a sentence
    # end are skipped, and each search reads no further than the colon's look-ahead needs
    # (the blanks after it and one more character, which is never a blank or line end).
    position = start
    while 0 <= colon < end:
        lowest = max(position, _blanks_before(text, position, colon) - _RUNIN_HEAD_MAX_CHARS)
        behind = max(0, lowest - _RUNIN_BEHIND)
        if any(text.find(mark, behind, colon) >= 0 for mark in _SENTENCE_MARKS):
            after = colon + 1
            while after < end and text[after] in " \t\xa0":
                after += 1
            m = _RUNIN.search(text, lowest, min(end, after + 1))
            if m is not None:
                yield m
                position = m.end()
        colon = text.find(":", max(position, colon + 1), end)


def _blanks_before(text: str, start: int, colon: int) -> int:
    """Where the run of spaces, tabs and no-break spaces right before ``colon`` begins."""
    while colon > start and text[colon - 1] in " \t\xa0":
        colon -= 1
    return colon


def _blank_between(text: str, end: int, start: int, merged: bool, crlf: bool) -> bool:
    """Whether the lines ending at ``end`` and starting at ``start`` are apart: more than one
    line break between them, or no ``\\n`` before a piece split out of a merged line."""
    return _newlines(text, end, start, crlf) > 1 or (merged and text.find("\n", end, start) < 0)


def _newlines(text: str, start: int, end: int, crlf: bool) -> int:
    """Line breaks in ``text[start:end]`` (``\\r\\n`` counts once); ``crlf``: has ``\\r``."""
    count = text.count("\n", start, end)
    if crlf:
        count += text.count("\r", start, end) - text.count("\r\n", start, end)
    return count


def _classify(lines: list[_Line]) -> list[str]:
    n = len(lines)
    kinds = ["paragraph"] * n
    if n == 0:
        return kinds
    first = 0
    if n > 1 and _is_headline(lines[0]):
        kinds[0] = "headline"
        first = 1
    last = n - 1
    # trailing credit lines and end-of-story markers
    while last >= first + 1 and last >= n - 4:
        line = lines[last]
        if _is_credit(line):
            kinds[last] = "credit"
        elif _is_boilerplate(line):
            kinds[last] = "boilerplate"
        else:
            break
        last -= 1
    # the top of the story: datelines, bylines, image title and caption
    i = first
    while i <= min(last - 1, first + 3):
        line = lines[i]
        if _is_dateline(line):
            kinds[i] = "dateline"
        elif _is_byline(line, lines, i, last):
            kinds[i] = "byline"
        elif _is_caption(line) and kinds[i - 1] in ("headline", "caption", "dateline", "byline"):
            kinds[i] = "caption"
            if i - 1 >= first and kinds[i - 1] == "paragraph" and not lines[i - 1].blank_after:
                kinds[i - 1] = "caption"
        elif (
            i + 1 <= last
            and _is_caption(lines[i + 1])
            and not line.blank_after
            and _is_title_like(line)
        ):
            kinds[i] = "caption"
        elif _is_boilerplate(line):
            kinds[i] = "boilerplate"
        else:
            break
        i += 1
    body_start = i
    for j in range(body_start + 1, last):
        if kinds[j] != "paragraph":
            continue
        if _is_boilerplate(lines[j]):
            kinds[j] = "boilerplate"
        elif lines[j].runin or _is_subheading(lines, kinds, j, last):
            kinds[j] = "subheading"
    return kinds


def _is_headline(line: _Line) -> bool:
    words = line.words
    if words == 0 or words > _HEADLINE_MAX_WORDS:
        return False
    return not (line.text.endswith(".") and words > 15)


def _is_credit(line: _Line) -> bool:
    if line.words > 14:
        return False
    if _CREDIT.search(line.text) or _is_agency_list(line.text):
        return True
    m = _CREDIT_LIST.match(line.text)
    return m is not None and _is_agency(m.group("agency"))


def _is_agency(name: str) -> bool:
    return " ".join(name.split()) in _AGENCIES


def _is_agency_list(text: str) -> bool:
    """A line made only of agency names (``وكالات``, ``-وات-``, ``رويترز + أ ف ب``)."""
    names = _SEPARATED.split(text.strip(" -–()"))
    return all(_is_agency(n) for n in names) and bool(names)


def _is_boilerplate(line: _Line) -> bool:
    text = line.text
    return (
        bool(_RULE.match(text)) or bool(_END_MARK.match(text)) or text.startswith("Next Previous")
    )


def _is_dateline(line: _Line) -> bool:
    if line.words > 14 or _SENTENCE_END.search(line.text):
        return False
    m = _DATELINE_LINE.match(line.text)
    if m and _is_agency(m.group("agency")):
        return True
    return bool(_DATE_WORDS.search(line.text)) and line.words <= 14 and not _is_caption(line)


def _is_byline(line: _Line, lines: list[_Line], i: int, last: int) -> bool:
    return (
        line.words <= 6
        and i < last
        and bool(_BYLINE.match(line.text))
        and lines[i + 1].words > line.words
    )


def _is_caption(line: _Line) -> bool:
    m = _PHOTO_CREDIT.search(line.text)
    return m is not None and " ".join(m.group("credit").lower().split()) in _PHOTO_CREDITS and (
        line.words <= 60
    )


def _is_title_like(line: _Line) -> bool:
    return line.words <= 14 and not _NO_SUBHEAD_END.search(line.text)


def _is_subheading(lines: list[_Line], kinds: list[str], j: int, last: int) -> bool:
    line = lines[j]
    if len(line.text) > _SUBHEAD_MAX_CHARS or line.words == 0 or line.words > _SUBHEAD_MAX_WORDS:
        return False
    if _NO_SUBHEAD_END.search(line.text) or _LIST_ITEM.match(line.text):
        return False
    if not (line.blank_before and line.blank_after):
        return False
    prev, nxt = lines[j - 1], lines[j + 1]
    if kinds[j - 1] not in ("paragraph", "subheading") or kinds[j + 1] != "paragraph":
        return False
    if kinds[j - 1] == "subheading":
        return False
    enough = max(line.words + 4, 10)
    if not _SENTENCE_END.search(prev.text) or prev.words < enough:
        return False
    return nxt.words >= enough and j + 1 <= last


def _split_inline_dateline(text: str, line: _Line) -> list[Block] | None:
    """``بغداد - رويترز: …`` or ``بغداد (رويترز) - …`` opening a paragraph."""
    m = _INLINE_PLACE.match(line.text)
    if not m:
        return None
    if m.group("paren") is not None:
        if not _is_agency(m.group("paren")):
            return None
        d_end = m.end()
    else:
        agency = _AGENCY_AT.match(line.text, m.end())
        if not agency:
            return None
        d_end = agency.end()
    gap = _INLINE_REST.match(line.text, d_end)
    rest = gap.end() if gap else d_end
    if rest >= len(line.text):
        return [Block("dateline", line.text, line.start, line.end)]
    return [
        Block("dateline", line.text[:d_end], line.start, line.start + d_end),
        Block("paragraph", line.text[rest:], line.start + rest, line.end),
    ]


def parse_file(path: str, max_bytes: int | None = None, data: bytes | None = None) -> Article:
    """Read, decode and parse one file (``-`` is stdin); ``data``: its bytes, already read."""
    from arnews_cli.io import DEFAULT_MAX_BYTES, read_text, record_path

    text, encoding = read_text(path, max_bytes or DEFAULT_MAX_BYTES, data)
    return parse_text(text, path=record_path(path), encoding=encoding)
