"""Pair quotation marks into quoted spans, tolerating the ways real articles get them wrong.

Marks are paired inside each paragraph (a quotation never silently swallows the rest of the
article). Guillemets nest («…«…»…»); the other families toggle, in either orientation
(Arabic text often writes ”…“). A quotation that runs over several paragraphs repeats its
opening mark at the start of each paragraph and closes only at the end: an unclosed span is
continued into the next paragraph when that paragraph starts with the same family's mark.
A span still open at the end of its paragraph is kept as *unclosed*; the caller bounds it by
the end of its sentence. Everything is one linear scan: no regex backtracking on the marks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# family of each mark; guillemets open/close by direction, the rest toggle
FAMILY = {
    "«": "guillemet", "»": "guillemet",
    "“": "curly", "”": "curly", "„": "curly", "‟": "curly",
    '"': "straight", "＂": "straight",
    "‘": "single", "’": "single", "‚": "single",
}
MARKS = frozenset(FAMILY)
_MARK = re.compile("[" + re.escape("".join(FAMILY)) + "]")  # a literal class: stdlib re is faster
OPENERS = frozenset("«“”„‟\"＂‘’‚")  # any mark that may open (toggling families open on either)


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A quotation from its opening mark to just after its closing mark.

    ``end`` is the offset just after the closing mark, or the end of the last paragraph
    the span reached when ``closed`` is false. ``pieces`` are the (start, end) of the
    span within each paragraph it covers.
    """

    start: int
    end: int
    closed: bool
    family: str
    pieces: tuple[tuple[int, int], ...]

    @property
    def inner(self) -> tuple[int, int]:
        """Offsets of the quoted words, without the marks."""
        return self.start + 1, self.end - 1 if self.closed else self.end


def _pair_unit(text: str, start: int, end: int) -> tuple[list[tuple[int, int, str]], int, str]:
    """Closed (open, close_end, family) pairs in one paragraph, and the still-open mark."""
    pairs: list[tuple[int, int, str]] = []
    open_at = -1
    family = ""
    depth = 0
    for m in _MARK.finditer(text, start, end):
        i = m.start()
        ch = text[i]
        fam = FAMILY[ch]
        if open_at < 0:
            if ch == "»":
                continue  # a stray closing guillemet
            open_at, family, depth = i, fam, 1
            continue
        if fam != family:
            continue  # another family inside the quotation: nested marks, left alone
        if family == "guillemet":
            depth += 1 if ch == "«" else -1
            if depth > 0:
                continue
        pairs.append((open_at, i + 1, family))
        open_at, family, depth = -1, "", 0
    return pairs, open_at, family


def _first_mark(text: str, start: int, end: int) -> tuple[int, str]:
    for i in range(start, min(end, start + 3)):
        fam = FAMILY.get(text[i])
        if fam is not None and text[i] != "»":
            return i, fam
    return -1, ""


def pair_quotes(text: str, units: Sequence[tuple[int, int]]) -> list[QuoteSpan]:
    """Quoted spans of ``text`` over the paragraphs ``units`` ((start, end), in text order)."""
    spans: list[QuoteSpan] = []
    carry: tuple[int, str, list[tuple[int, int]]] | None = None  # an unclosed multi-para span
    for u_start, u_end in units:
        scan_from = u_start
        if carry is not None:
            c_open, c_family, c_pieces = carry
            carry = None
            mark, fam = _first_mark(text, u_start, u_end)
            if mark >= 0 and fam == c_family:
                # the paragraph continues the quotation: find where it closes
                pairs, open_at, _ = _pair_unit(text, mark, u_end)
                if pairs and pairs[0][0] == mark:
                    close = pairs[0][1]
                    spans.append(QuoteSpan(c_open, close, True, c_family,
                                           (*c_pieces, (mark, close))))
                    scan_from = close
                elif not pairs and open_at == mark:
                    carry = (c_open, c_family, [*c_pieces, (mark, u_end)])
                    continue
                else:
                    last = c_pieces[-1]
                    spans.append(QuoteSpan(c_open, last[1], False, c_family, tuple(c_pieces)))
            else:
                last = c_pieces[-1]
                spans.append(QuoteSpan(c_open, last[1], False, c_family, tuple(c_pieces)))
        pairs, open_at, family = _pair_unit(text, scan_from, u_end)
        for o, c, fam in pairs:
            spans.append(QuoteSpan(o, c, True, fam, ((o, c),)))
        if open_at >= 0:
            carry = (open_at, family, [(open_at, u_end)])
    if carry is not None:
        c_open, c_family, c_pieces = carry
        spans.append(QuoteSpan(c_open, c_pieces[-1][1], False, c_family, tuple(c_pieces)))
    spans.sort(key=lambda s: s.start)
    return spans
