"""Checks of a record's blocks and of the fields the steps add, for records read back.

A record piped between commands may have been edited on the way (``jq``) or written by
another program. Each field a step adds is checked for the shape that step writes and
the views and later steps rely on: spans are ``[start, end)`` inside ``text`` (and a
quote's or span's ``text`` is ``text[start:end]``), offset maps run in order from the
start to the ends of both texts, token columns are parallel. (What a field means beyond its
shape is the step's own: ``source_summary`` is only passed along.) A failed check raises
:class:`ValueError` naming the field; the record is then refused in one line, before
any step or view meets it. Fields the record does not have are not checked.
"""

from __future__ import annotations

from operator import le
from typing import Any

QUOTE_KINDS = frozenset({"direct", "indirect", "mixed"})


def check_fields(record: dict[str, Any], text: str) -> None:
    """Raise :class:`ValueError` unless ``blocks`` and each step field of ``record`` are
    well formed."""
    for block in record.get("blocks") or ():
        _span(block, text, "blocks")
        if not isinstance(block.get("kind"), str):
            raise ValueError(_bad("blocks", "holds a block of no kind"))
    normalized = record.get("normalized")
    if normalized is not None:
        _normalized(normalized, len(text))
    if record.get("sentences") is not None:
        for sentence in record["sentences"]:
            _offsets(sentence, len(text), "sentences")
    if record.get("tokens") is not None:
        _tokens(record["tokens"], len(text), normalized)
    if record.get("quotes") is not None:
        for quote in record["quotes"]:
            _quote(quote, text)
    if record.get("sources") is not None:
        for source in record["sources"]:
            _source(source, len(text))


def _bad(name: str, what: str) -> str:
    return f"malformed record ({name!r} {what})"


def _is_int(value: Any) -> bool:
    return type(value) is int


def _all_ints(values: list[Any]) -> bool:
    """Whether every item is an int (a C loop: token columns are long)."""
    return _INT.issuperset(map(type, values))


_INT = frozenset({int})


def _offsets(span: Any, length: int, name: str) -> tuple[int, int]:
    """``span``'s ``start`` and ``end``, which must be ints with ``0 <= start <= end <=
    length``."""
    if not isinstance(span, dict):
        raise ValueError(_bad(name, "holds a non-object"))
    start, end = span.get("start"), span.get("end")
    if not (type(start) is int and type(end) is int and 0 <= start <= end <= length):
        raise ValueError(_bad(name, "holds a span outside the text"))
    return start, end


def _span(span: Any, text: str, name: str) -> None:
    """A span with its ``text``: ``text[start:end] == span["text"]``."""
    start, end = _offsets(span, len(text), name)
    if span.get("text") != text[start:end]:
        raise ValueError(_bad(name, "holds a span whose text is not text[start:end]"))


def _quote(quote: Any, text: str) -> None:
    _span(quote, text, "quotes")
    if quote.get("kind") not in QUOTE_KINDS:
        raise ValueError(_bad("quotes", "holds a quote of no known kind"))
    _span(quote.get("cue"), text, "quotes")
    speaker = quote.get("speaker")
    if speaker is not None:
        _span(speaker, text, "quotes")
        if not isinstance(speaker.get("resolved", False), bool):
            raise ValueError(_bad("quotes", "holds a speaker whose 'resolved' is not true "
                                            "or false"))
    via = quote.get("via", [])
    if not isinstance(via, list):
        raise ValueError(_bad("quotes", "holds a 'via' that is not a list"))
    for relay in via:
        _span(relay, text, "quotes")


def _source(source: Any, length: int) -> None:
    if not isinstance(source, dict):
        raise ValueError(_bad("sources", "holds a non-object"))
    if not (isinstance(source.get("name"), str) and isinstance(source.get("type"), str)):
        raise ValueError(_bad("sources", "holds a source without a string name and type"))
    if not isinstance(source.get("anonymous", False), bool):
        raise ValueError(_bad("sources", "holds an 'anonymous' that is not true or false"))
    count, quotes = source.get("count"), source.get("quotes", 0)
    if not (count is None or _is_int(count)) or not _is_int(quotes):
        raise ValueError(_bad("sources", "holds a count that is not a whole number"))
    for name in ("roles", "via"):
        value = source.get(name, [])
        if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise ValueError(_bad("sources", f"holds {name!r} that are not a list of strings"))
    mentions = source.get("mentions", [])
    if not isinstance(mentions, list):
        raise ValueError(_bad("sources", "holds 'mentions' that are not a list"))
    for mention in mentions:
        _offsets(mention, length, "sources")
    reason = source.get("anonymity_reason")
    if reason is not None and not (isinstance(reason, dict) and isinstance(reason.get("text"),
                                                                           str)):
        raise ValueError(_bad("sources", "holds an 'anonymity_reason' without its text"))


def _normalized(normalized: Any, length: int) -> None:
    norm = normalized.get("text")
    if not isinstance(norm, str):
        raise ValueError(_bad("normalized", "has no string 'text'"))
    pairs = normalized.get("map")
    if not isinstance(pairs, list) or not pairs:
        raise ValueError(_bad("normalized", "has no offset 'map'"))
    if not all(isinstance(p, list) and len(p) == 2 and _is_int(p[0]) and _is_int(p[1])
               for p in pairs):
        raise ValueError(_bad("normalized", "has a 'map' that is not [[n, o], …] pairs"))
    ns, os_ = [p[0] for p in pairs], [p[1] for p in pairs]
    # it starts at [0, k]: a character normalize dropped at the start (an RLM) shifts it
    if (ns[0] != 0 or os_[0] < 0 or pairs[-1] != [len(norm), length]
            or not all(map(le, ns, ns[1:])) or not all(map(le, os_, os_[1:]))):
        raise ValueError(_bad("normalized", "has a 'map' that does not run in order from the "
                                            "start to the end of both texts"))
    steps = normalized.get("steps", [])
    if not (isinstance(steps, list) and all(isinstance(s, str) for s in steps)):
        raise ValueError(_bad("normalized", "has 'steps' that are not a list of strings"))


def _tokens(tokens: Any, length: int, normalized: Any) -> None:
    _column_pair(tokens, "start", "end", length)
    n = len(tokens["start"])
    if tokens.get("on") == "normalized":
        if normalized is None:
            raise ValueError(_bad("tokens", "are on a normalized text the record lacks"))
        _column_pair(tokens, "nstart", "nend", len(normalized["text"]))
        if len(tokens["nstart"]) != n:
            raise ValueError(_bad("tokens", "have columns of different lengths"))
    sentence = tokens.get("sentence")
    if sentence is not None and not (isinstance(sentence, list) and len(sentence) == n
                                     and _all_ints(sentence)):
        raise ValueError(_bad("tokens", "have a 'sentence' column that does not match"))
    segments = tokens.get("segments")
    if segments is not None and not (isinstance(segments, list) and len(segments) == n):
        raise ValueError(_bad("tokens", "have a 'segments' column that does not match"))


def _column_pair(tokens: Any, first: str, second: str, length: int) -> None:
    """Columns ``first`` and ``second`` of ``tokens``: ints, as many of each, each pair
    a span inside a text of ``length`` characters."""
    starts, ends = tokens.get(first), tokens.get(second)
    if not (isinstance(starts, list) and isinstance(ends, list) and len(starts) == len(ends)):
        raise ValueError(_bad("tokens", f"have no parallel {first!r} and {second!r} columns"))
    if not (_all_ints(starts) and _all_ints(ends)):
        raise ValueError(_bad("tokens", f"have {first!r} or {second!r} that are not numbers"))
    if starts and (min(starts) < 0 or max(ends) > length or not all(map(le, starts, ends))):
        raise ValueError(_bad("tokens", "hold a span outside the text"))
