"""``tokenize``: sentences and word tokens, as offsets, for Arabic news text.

Sentences, ``[{"start", "end"}, ...]`` in the original text, never cross a block (an
article without blocks is one block) nor a line break; a headline or caption block is
its own sentence(s). A sentence ends after ``. ! ? ؟ … ؛`` (runs such as ``؟!`` or
``...`` included) and the closing quotes or brackets right after, when white space or
the end of the block follows, or an Arabic letter follows ``! ? ؟ … ؛`` or a word of two
letters or more and ``.`` (``الخبر.وقال``). It does not end

* inside a quotation that goes on after the mark (``«…. …»``, ``“…”``, ``"…"`` paired
  within the block; an unclosed quotation does not hold sentences together);
* after an initial or abbreviation (``د.``, ``م.``, ``ص.``, ``أ.د.``, ``J.``, ``Dr.``),
  or a list number opening the sentence (``1.``);
* inside a URL, an e-mail address or a number (``3.5``, ``27/6``, ``2018-07-14``).

Tokens are columns (a JSON object of equal-length lists) rather than a list of
objects, to keep records small (the text is not repeated)::

    {"scheme": "simple", "on": "text",
     "start": [...], "end": [...], "sentence": [...],   # sentence index, -1: none
     "nstart": [...], "nend": [...],                    # only when on "normalized"
     "segment": "d3tok", "segments": [[...], ...]}      # only with --segment

``start``/``end`` are always offsets into the original ``text``. ``on`` names the text
that was tokenized: with ``text``, token ``i`` is ``text[start[i]:end[i]]``; with
``normalized`` it is ``normalized.text[nstart[i]:nend[i]]``, and ``start``/``end`` give
where it came from (the end taking in what normalization deleted right after it, such
as diacritics). ``segments`` are the clitics of each token, as camel-tools splits them.

Schemes: ``simple`` gives exactly the tokens of camel-tools' ``simple_word_tokenize``
(split at white space, every punctuation or symbol character and emoji sequence on its
own) without importing camel-tools; ``news`` keeps decimal numbers (``3.5``, ``٣٫٥``,
``1,000``), dates (``27/6``, ``2018-07-14``), times, URLs, e-mail addresses, hashtags and
mentions whole and otherwise splits like ``simple``.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from functools import cache
from typing import Any

import regex

from arnews_cli.article import JSON, Article
from arnews_cli.steps import charsets as cs
from arnews_cli.steps.offsetmap import OffsetMap

SCHEMES = ("simple", "news")
ON = ("auto", "text", "normalized")

Spans = tuple[list[int], list[int]]

# -- simple: camel-tools simple_word_tokenize ----------------------------------------------


@cache
def _simple_re() -> re.Pattern[str]:
    # The stdlib re, not regex: it tests a class of characters below U+10000 against a
    # bitmap, and splits Arabic text here about twice as fast (bench/README.md). The
    # classes are exact (generated), and words with characters above U+FFFF never get
    # here (see _slow_re).
    split = cs.SYMBOL_SPLIT_BMP
    return re.compile(f"([^{split}{cs.SPACE}\U00010000-\U0010ffff]+|[{split}])")


@cache
def _slow_re() -> re.Pattern[str]:
    """Characters that send their word through camel-tools' own loop: those that can
    extend an emoji match, and everything above U+FFFF."""
    return re.compile(f"[{cs.TOKEN_TRIGGERS}\U00010000-\U0010ffff]")


@cache
def _slow_tables() -> tuple[regex.Pattern[str], regex.Pattern[str], frozenset[str]]:
    return (
        regex.compile(cs.SYMBOLS_PATTERN),
        regex.compile(f"(?V1){cs.SYMBOL_SPLIT_SET}"),
        frozenset(cs.EMOJI_SEQUENCES.split("\n")),
    )


def simple_spans(
    text: str, pos: int = 0, endpos: int | None = None, triggers: bool | None = None
) -> Spans:
    """``(starts, ends)`` of camel-tools ``simple_word_tokenize`` tokens in ``text[pos:endpos]``.

    Splitting at white space and at every character of ``SYMBOL_SPLIT_SET`` gives the
    same tokens as camel-tools unless a word holds a character that can extend an
    emoji match (``TOKEN_TRIGGERS``: skin tones, ZWJ, VS16, keycaps, flags, tags) or
    any character above U+FFFF; such words go through a port of camel-tools' loop.
    ``triggers`` is :func:`_may_hold_triggers` of ``text`` when the caller knows it
    (looked up once for a text split in many pieces, not once per piece).
    """
    end = len(text) if endpos is None else endpos
    starts: list[int] = []
    ends: list[int] = []
    pattern = _simple_re()
    at = pos
    if triggers is None:
        triggers = _may_hold_triggers(text)
    for w_start, w_end in _trigger_words(text, pos, end) if triggers else ():
        _fast(pattern, text, at, w_start, starts, ends)
        _camel_word(text, w_start, w_end, starts, ends)
        at = w_end
    _fast(pattern, text, at, end, starts, ends)
    return starts, ends


def _fast(
    pattern: re.Pattern[str], text: str, pos: int, end: int, starts: list[int],
    ends: list[int],
) -> None:
    """Tokens of ``text[pos:end]`` by splitting around them: the offsets come from the
    lengths of the pieces, summed in C, instead of one match object per token."""
    if pos >= end:
        return
    pieces = pattern.split(text[pos:end] if pos or end < len(text) else text)
    offsets = list(itertools.accumulate(map(len, pieces), initial=pos))
    starts += offsets[1:-1:2]
    ends += offsets[2::2]


def _trigger_words(text: str, pos: int, end: int) -> Iterator[tuple[int, int]]:
    """The white-space-delimited words in ``text[pos:end]`` holding a trigger character."""
    last = pos
    for m in _slow_re().finditer(text, pos, end):
        i = m.start()
        if i < last:
            continue
        a = i
        while a > pos and not text[a - 1].isspace():
            a -= 1
        b = i + 1
        while b < end and not text[b].isspace():
            b += 1
        yield a, b
        last = b


def _may_hold_triggers(text: str) -> bool:
    """False when ``text`` holds no trigger character at all (nearly every article).

    Much cheaper than a scan with ``_slow_re``: ``str.find`` for each trigger below
    U+10000, and the UTF-16 length for those above (each takes two code units)."""
    bmp = _bmp_triggers()
    if bmp is None or any(c in text for c in bmp):
        return True
    return len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


@cache
def _bmp_triggers() -> str | None:
    """The trigger characters below U+10000 (``None``: too many to list)."""
    body = cs.TOKEN_TRIGGERS
    if any(body[i - 1] <= "\uffff" for i in range(1, len(body)) if body[i] == "-"):
        return None  # a range below U+10000
    return "".join(_slow_re().findall("".join(c for c in body if c <= "\uffff")))


def _camel_word(text: str, start: int, end: int, starts: list[int], ends: list[int]) -> None:
    """camel-tools' ``_simple_word_tokenize`` loop over one word, as offsets."""
    symbols, split, sequences = _slow_tables()
    word = text[start:end]
    n = len(word)
    ndx = first = 0
    while ndx < n:
        m = symbols.match(word, ndx)
        if m is not None:
            s = m.group()
            if (split.fullmatch(s) is not None) if len(s) == 1 else (s in sequences):
                if ndx != first:
                    starts.append(start + first)
                    ends.append(start + ndx)
                starts.append(start + ndx)
                ends.append(start + m.end())
                ndx = first = m.end()
                continue
        ndx += 1
    if first < n:
        starts.append(start + first)
        ends.append(start + n)


# -- news: keep numbers, dates, URLs, e-mails, hashtags and mentions whole -----------------

_D = r"[0-9\u0660-\u0669\u06f0-\u06f9]"
_TLD = (
    "com|org|net|gov|edu|int|info|news|tv|io|co|me|uk|fr|de"
    "|sa|ae|eg|qa|kw|bh|om|jo|lb|sy|iq|ps|ma|dz|tn|ly|sd|ye"
)
_NEWS = (
    # (white space as ``simple`` has it: regex's \s leaves out U+001C-U+001F)
    # URLs, ending before trailing punctuation
    r"(?:https?://|www\.)[^\s\x1c-\x1f<>\"«»“”]+?(?=[.,;:!?؟،؛'\"»”’)\]]*(?:[\s\x1c-\x1f]|$|[<>\"«»“”]))"
    # (a host name has at most 63 characters a label: a bound keeps a long run of
    # a-a-a-… linear, each start giving up within one label's length)
    rf"|[A-Za-z0-9](?<![\w@.].)[A-Za-z0-9-]{{0,62}}(?:\.[A-Za-z0-9-]{{1,63}}){{0,126}}"
    rf"\.(?:{_TLD})\b"
    r"(?:/[^\s\x1c-\x1f<>\"«»“”]*?(?=[.,;:!?؟،؛'\"»”’)\]]*(?:[\s\x1c-\x1f]|$)))?"
    # e-mail addresses
    r"|[A-Za-z0-9._%+-](?<![\w.+-].)[A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
    r"\.[A-Za-z]{2,}\b"
    # dates and times: 27/6, 27/6/2018, 2018-07-14, 14.07.2018, 10:30, 10:30:15
    rf"|{_D}(?<![A-Za-z0-9_./:\-\u0660-\u0669\u06f0-\u06f9].){_D}{{0,3}}(?:/{_D}{{1,2}}(?:/{_D}{{2,4}})?|-{_D}{{1,2}}-{_D}{{1,4}}"
    rf"|\.{_D}{{1,2}}\.{_D}{{2,4}}|:{_D}{{2}}(?::{_D}{{2}})?)(?![\w/:]|[.-]{_D})"
    # numbers with decimal or thousands separators: 3.5, 1,000, ٣٫٥, 1,234.56 (an Arabic
    # letter may come right before: و3.5 is و + 3.5)
    rf"|{_D}(?<![A-Za-z0-9_.,٫٬\u0660-\u0669\u06f0-\u06f9].){_D}*(?:[.,٫٬]{_D}+)+"
    rf"(?![A-Za-z0-9_]|[.,٫٬]{_D})"
    # hashtags and mentions
    r"|[#＃](?<![\w#@].)[\p{L}\p{M}\p{N}_]*[\p{L}\p{N}_][\p{L}\p{M}\p{N}_]*"
    r"|@(?<![\w@.].)[A-Za-z0-9_]{1,30}\b"
)


@cache
def _news_re() -> regex.Pattern[str]:
    return regex.compile(_NEWS)


def news_spans(text: str) -> Spans:
    """``simple`` tokens, with the ``news`` kinds of token kept whole."""
    starts: list[int] = []
    ends: list[int] = []
    at = 0
    triggers = _may_hold_triggers(text)
    for m in _news_re().finditer(text):
        a, b = m.span()
        s, e = simple_spans(text, at, a, triggers)
        starts += s
        ends += e
        starts.append(a)
        ends.append(b)
        at = b
    s, e = simple_spans(text, at, len(text), triggers)
    return starts + s, ends + e


# -- sentences ----------------------------------------------------------------------------

_TERM = r"(?:[.!?؟…؛]+)"
_CLOSE = "»\"”’')\\]"
_BOUNDARY = regex.compile(
    rf"(?P<mark>{_TERM})[{_CLOSE}]*(?=\s|$)"
    rf"|(?P<mark>[!?؟…؛]+|\.(?<=\p{{L}}\p{{M}}*\p{{L}}\p{{M}}*\.))[{_CLOSE}]*"
    r"(?=[\p{Arabic}&&\p{L}])"
    r"|\n",
    regex.V1,
)
_ABBREV = frozenset(
    """د م ص ج ت ق ه أ.د ق.م ص.ب م.م ب.ت
    mr mrs ms dr prof st jr sr inc ltd co corp no vs e.g i.e u.s u.k u.n
    gen col lt sgt rev mt jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
_INITIAL_AFTER = regex.compile(r"\p{L}\p{M}*\.")
_WORD_EXTRA = frozenset(".\u0640" + "".join(map(chr, range(0x064B, 0x0660))) + "\u0670")
_NUMBER_BEFORE = regex.compile(r"^\W*\p{N}{1,3}$")
# bounded as addresses are (64 characters before the @, 63 a label), so that a long run
# of letters is scanned in linear time: a match may start at any of its characters
_URLISH = regex.compile(
    r"(?P<prefix>https?://|www\.)\S+|[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,}"
    rf"|[A-Za-z0-9-]{{1,63}}(?:\.[A-Za-z0-9-]{{1,63}}){{0,126}}\.(?:{_TLD})\b\S*"
)
# str.isspace() (regex's \s leaves out U+001C-U+001F)
_SPACE = regex.compile(r"[\s\x1c-\x1f]")
_LAST_SPACE = regex.compile(r"(?r)[\s\x1c-\x1f]")
_CONTENT = regex.compile(r"[\p{L}\p{N}]")
_QUOTE_MARKS = regex.compile(r'[«»“”"]')


def sentence_spans(text: str, blocks: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Sentence ``(start, end)`` offsets of ``text``, block by block."""
    out: list[tuple[int, int]] = []
    for start, end in blocks or [(0, len(text))]:
        out += _block_sentences(text, start, end)
    return out


def _block_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    quotes: list[tuple[int, int]] | None = None  # found when first needed
    urls = _Urls(text, start)
    last_word = [-1, -1]  # the last dot _abbreviation looked at, and where its word began
    pieces: list[tuple[int, int]] = []
    at = start
    for m in _BOUNDARY.finditer(text, start, end):
        cut = m.end()
        mark, mark_end = m.span(1)  # the "mark" group; (-1, -1) at a line break
        if mark >= 0 and cut < end and quotes is None:
            quotes = _quote_spans(text, start, end)
        if mark >= 0 and (
            (quotes and _inside(quotes, cut, strict=True))
            or (
                mark_end - mark == 1
                and text[mark] == "."
                # six letters before the dot: too long for an abbreviation
                and not text[mark - 6 : mark].isalpha()
                and _abbreviation(text, at, mark, last_word)
            )
            or (cut < end and not text[cut].isspace() and urls.covers(mark))
        ):
            continue
        pieces.append((at, cut))
        at = cut
    pieces.append((at, end))
    return _tidy(text, pieces)


class _Urls:
    """Whether a mark not followed by white space is inside a URL or e-mail address (marks
    followed by white space never are: a URL has none).

    The URL-ish spans are found once per run of non-space characters and kept while the
    marks of the same run are asked about, so a run of any length costs one pass: a
    5 MB line of ``كلمة.كلمة.…`` must not be rescanned at every dot.
    """

    __slots__ = ("text", "floor", "run_start", "run_end", "starts", "ends")

    def __init__(self, text: str, floor: int) -> None:
        self.text = text
        self.floor = floor  # the block's start: a run never begins before it
        self.run_start = self.run_end = -1
        self.starts: list[int] = []
        self.ends: list[int] = []

    def covers(self, mark: int) -> bool:
        if not self.run_start <= mark < self.run_end:
            self._find_run(mark)
        k = bisect_right(self.starts, mark) - 1
        return k >= 0 and mark < self.ends[k]

    def _find_run(self, mark: int) -> None:
        text = self.text
        before = _LAST_SPACE.search(text, self.floor, mark)
        after = _SPACE.search(text, mark)
        self.run_start = before.end() if before else self.floor
        self.run_end = after.start() if after else len(text)
        found = list(_URLISH.finditer(text, self.run_start, self.run_end))
        # a mark in "www." or "http://" itself is not yet inside the address
        self.starts = [max(m.start(), m.end("prefix")) for m in found]
        self.ends = [m.end() for m in found]


def _abbreviation(text: str, start: int, dot: int, last: list[int]) -> bool:
    """Whether the ``.`` at ``dot`` closes an initial, an abbreviation or a list number.

    ``last`` holds the previous dot asked about in the block and where its word began:
    a word of letters and dots that reaches back to that dot begins where it did, so a
    long run of them (``أ.ب.ت.…``, ``abc.كلمة.…``) is walked once, not once per dot.
    """
    stop = max(start, last[0] + 1)
    a = dot
    while a > stop and (text[a - 1].isalpha() or text[a - 1] in _WORD_EXTRA):
        a -= 1
    if a == stop and start <= last[0] == a - 1:
        a = max(last[1], start)
    last[0], last[1] = dot, a
    word = text[a:dot].strip(".")
    # an initial, a known abbreviation, or dotted initials (أ.د. ق.م. U.S.)
    if "." in word or (
        word and len(word) <= 5
        and (sum(c.isalpha() for c in word) == 1 or word.lower() in _ABBREV)
    ):
        return True
    after = dot + 1
    if after < len(text) and not text[after].isspace() and _INITIAL_AFTER.match(text, after):
        return True  # the first dot of وأ.د. or U.S.
    # "1." opening a sentence is a list number, not a sentence of its own
    return dot > start and text[dot - 1].isdigit() and (
        _NUMBER_BEFORE.match(text[start:dot].strip()) is not None
    )


def _quote_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Matched quotation pairs of a block, merged, as sorted ``(open, close)`` offsets."""
    found: list[tuple[int, int]] = []
    stacks: dict[str, list[int]] = {"«": [], "“": []}
    straight: int | None = None
    for m in _QUOTE_MARKS.finditer(text, start, end):
        c, i = m.group(), m.start()
        if c in stacks:
            stacks[c].append(i)
        elif c == '"':
            if straight is None:
                straight = i
            else:
                found.append((straight, i))
                straight = None
        else:
            opener = "«" if c == "»" else "“"
            if stacks[opener]:
                found.append((stacks[opener].pop(), i))
    found.sort()
    merged: list[tuple[int, int]] = []
    for a, b in found:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _inside(spans: list[tuple[int, int]], i: int, strict: bool = False) -> bool:
    """Whether ``i`` falls inside one of the sorted, disjoint ``spans``."""
    k = bisect_left(spans, (i + 1,)) - 1
    if k < 0:
        return False
    a, b = spans[k]
    return a < i < b if strict else a <= i < b


def _tidy(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Trim white space; pieces without a letter or digit join a neighbour."""
    out: list[tuple[int, int]] = []
    pending: int | None = None
    for a, b in pieces:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a == b:
            continue
        if not text[a].isalnum() and _CONTENT.search(text, a, b) is None:
            if out and "\n" not in text[out[-1][1] : a]:
                out[-1] = (out[-1][0], b)
            elif pending is None:
                pending = a
            continue
        if pending is not None:
            a, pending = pending, None
        out.append((a, b))
    if pending is not None:
        out.append((pending, pieces[-1][1] if pieces else pending))
        a, b = out[-1]
        while b > a and text[b - 1].isspace():
            b -= 1
        out[-1] = (a, b)
    return out


# -- the step ------------------------------------------------------------------------------


def tokenize_article(
    article: Article, scheme: str = "simple", on: str = "auto", segment: str | None = None
) -> Article:
    """Add ``sentences`` and ``tokens`` (and clitic ``segments`` with ``segment``)."""
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {SCHEMES}, not {scheme!r}")
    if on not in ON:
        raise ValueError(f"on must be one of {ON}, not {on!r}")
    text = article.text
    sentences = sentence_spans(text, [(b.start, b.end) for b in article.blocks])
    norm = article.normalized if isinstance(article.normalized, dict) else None
    use_norm = on == "normalized" or (on == "auto" and norm is not None)
    if use_norm and norm is None:
        from arnews_cli.errors import ArnewsError

        raise ArnewsError("tokenize --on normalized needs a record that went through normalize")
    source = norm["text"] if use_norm and norm is not None else text
    spans = simple_spans(source) if scheme == "simple" else news_spans(source)
    tokens: dict[str, JSON] = {"scheme": scheme, "on": "normalized" if use_norm else "text"}
    starts, ends = spans
    if use_norm and norm is not None:
        omap = OffsetMap.from_json(norm["map"])
        tokens["start"], tokens["end"] = _to_original(omap, starts, ends)
        tokens["nstart"], tokens["nend"] = starts, ends
    else:
        tokens["start"], tokens["end"] = starts, ends
    tokens["sentence"] = sentence_column(tokens["start"], sentences, tokens["end"])
    if segment is not None:
        from arnews_cli.steps.segment import segment_words

        tokens["segment"] = segment
        tokens["segments"] = segment_words(
            [source[a:b] for a, b in zip(starts, ends, strict=True)], segment
        )
    value: JSON = [{"start": a, "end": b} for a, b in sentences]
    return dataclasses.replace(article, sentences=value, tokens=tokens)


def made_with(
    article: Article, before: AbstractSet[str], *, scheme: str, on: str, segment: str | None
) -> bool:
    """Whether ``article``'s tokens are those :func:`tokenize_article` makes with these
    options, given the fields the record held ``before`` it (``--resume`` keeps only
    such records)."""
    tokens = article.tokens
    if not isinstance(tokens, dict):
        return False
    normalized = on == "normalized" or (on == "auto" and "normalized" in before)
    return (tokens.get("scheme"), tokens.get("on"), tokens.get("segment")) == (
        scheme, "normalized" if normalized else "text", segment)


def _to_original(
    omap: OffsetMap, starts: list[int], ends: list[int]
) -> tuple[list[int], list[int]]:
    """Original spans of normalized spans: a token ends where the next kept character
    came from (taking in what was deleted after it, such as its diacritics), or after
    its own last character when that is later (an expansion or a reordering)."""
    o_ends = omap.map_sorted(ends)
    n, o = omap.n, omap.o
    for i in range(1, len(n)):
        if o[i] - n[i] < o[i - 1] - n[i - 1]:  # the shift drops at n[i]
            k = bisect_left(ends, n[i])
            if k < len(ends) and ends[k] == n[i]:
                o_ends[k] = max(o_ends[k], omap(n[i] - 1) + 1)
    return omap.map_sorted(starts), o_ends


def sentence_column(starts: Sequence[int], sentences: Sequence[tuple[int, int]],
                    ends: Sequence[int] = ()) -> list[int]:
    """The index of the sentence holding each token start (-1 when none does). With
    ``ends``, a token starting just before a sentence (an invisible mark, which blocks
    and sentences leave out, glued to its first word) belongs to the sentence its last
    character is in."""
    column = [-1] * len(starts)
    for i, (a, b) in enumerate(sentences):
        lo = bisect_left(starts, a)
        hi = bisect_left(starts, b)
        if hi > lo:
            column[lo:hi] = itertools.repeat(i, hi - lo)
        if ends and lo > 0 and column[lo - 1] == -1 and a < ends[lo - 1] <= b:
            column[lo - 1] = i
    return column


def token_texts(article: Article) -> list[str]:
    """The text of every token of a tokenized article."""
    tokens: dict[str, Any] = article.tokens
    if tokens.get("on") == "normalized":
        norm = article.normalized["text"]
        return [norm[a:b] for a, b in zip(tokens["nstart"], tokens["nend"], strict=True)]
    text = article.text
    return [text[a:b] for a, b in zip(tokens["start"], tokens["end"], strict=True)]
