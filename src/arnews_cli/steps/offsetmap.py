"""Offset maps from an edited text back to the text it was made from.

A map is a list of *breakpoints* ``[[n, o], ...]`` sorted by ``n``: for an offset ``x``
of the edited text, take the last breakpoint with ``n <= x``; the original offset is
``o + (x - n)``. A breakpoint is written only where the difference ``o - n`` changes
(after a deletion, at a replacement, after an expansion), and the last one is always
the end sentinel ``[len(edited), len(original)]``. An unchanged text of length ``L``
has the map ``[[0, 0], [L, L]]``.

Edits are ``(start, end, replacement, origins)``: ``text[start:end]`` becomes
``replacement``, whose ``k``-th character came from original offset ``origins[k]``.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections.abc import Iterable, Sequence

Edit = tuple[int, int, str, Sequence[int]]


class OffsetMap:
    """Breakpoints as two parallel lists, ``n`` (edited offsets) and ``o`` (original)."""

    __slots__ = ("n", "o")

    def __init__(self, n: list[int], o: list[int]) -> None:
        self.n = n
        self.o = o

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        return cls([0, length], [0, length]) if length else cls([0], [0])

    def __call__(self, x: int) -> int:
        """The original offset of edited offset ``x`` (``0 <= x <= len(edited)``)."""
        i = bisect_right(self.n, x) - 1
        if i < 0:
            i = 0
        return self.o[i] + (x - self.n[i])

    def then(self, step: OffsetMap) -> OffsetMap:
        """The map of applying ``step`` after this one (``step`` maps into our edited text)."""
        tn, to = self.n, self.o
        if tn == to and len(tn) <= 2:  # identity
            return step
        rn: list[int] = []
        ro: list[int] = []
        last = len(step.n) - 1
        for i in range(last):
            start, m = step.n[i], step.o[i]
            length = step.n[i + 1] - start
            j = bisect_right(tn, m) - 1
            _add(rn, ro, start, to[j] + (m - tn[j]))
            j += 1
            while j < len(tn) and tn[j] < m + length:
                _add(rn, ro, start + tn[j] - m, to[j])
                j += 1
        rn.append(step.n[last])
        ro.append(self(step.o[last]))
        return OffsetMap(rn, ro)

    def map_sorted(self, xs: Sequence[int]) -> list[int]:
        """``[self(x) for x in xs]`` for sorted ``xs``, one C-level pass per breakpoint."""
        out: list[int] = []
        n, o = self.n, self.o
        lo = bisect_right(xs, n[0] - 1) if xs else 0
        out.extend(o[0] + (x - n[0]) for x in xs[:lo])  # before the first breakpoint
        for i in range(len(n)):
            hi = bisect_right(xs, n[i + 1] - 1, lo) if i + 1 < len(n) else len(xs)
            if hi > lo:
                shift = o[i] - n[i]
                out.extend(map(shift.__add__, xs[lo:hi]) if shift else xs[lo:hi])
            lo = hi
        return out

    def to_json(self) -> list[list[int]]:
        return [[n, o] for n, o in zip(self.n, self.o, strict=True)]

    @classmethod
    def from_json(cls, pairs: Sequence[Sequence[int]]) -> OffsetMap:
        return cls([p[0] for p in pairs], [p[1] for p in pairs])


def _add(n: list[int], o: list[int], x: int, y: int) -> None:
    """Append breakpoint ``(x, y)`` unless the previous one already implies it."""
    if n and o[-1] + (x - n[-1]) == y:
        return
    n.append(x)
    o.append(y)


def apply_edits(text: str, edits: Iterable[Edit]) -> tuple[str, OffsetMap | None]:
    """Apply non-overlapping ``edits`` (in text order); ``None`` map when nothing changed."""
    edits = list(edits)
    if not edits:
        return text, None
    pieces: list[str] = []
    pos = 0
    for start, end, repl, _ in edits:
        pieces.append(text[pos:start])
        pieces.append(repl)
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces), map_of_edits(len(text), edits)


def map_of_edits(length: int, edits: Sequence[Edit]) -> OffsetMap:
    """The map of applying ``edits`` to a text of ``length`` characters."""
    n: list[int] = []
    o: list[int] = []
    pos = 0
    new = 0
    for start, end, repl, origins in edits:
        if start > pos:
            _add(n, o, new, pos)
            new += start - pos
        for k, origin in enumerate(origins):
            _add(n, o, new + k, origin)
        new += len(repl)
        pos = end
    if pos < length:
        _add(n, o, new, pos)
        new += length - pos
    n.append(new)
    o.append(length)
    return OffsetMap(n, o)


def deletion_map(pieces: Sequence[str]) -> OffsetMap:
    """The map of deleting the odd-numbered ``pieces`` (``[kept, deleted, kept, ...]``,
    as ``re.split`` with one capturing group returns them), computed without a Python
    loop over the pieces."""
    lengths = list(map(len, pieces))
    starts = list(itertools.accumulate(lengths, initial=0))  # original start of each piece
    kept = lengths[0::2]
    new_starts = list(itertools.accumulate(kept, initial=0))
    nonempty = list(map(bool, kept))
    n = list(itertools.compress(new_starts, nonempty))
    o = list(itertools.compress(starts[0::2], nonempty))
    n.append(new_starts[-1])
    o.append(starts[-1])
    return OffsetMap(n, o)


def to_original(pairs: Sequence[Sequence[int]], offset: int) -> int:
    """Original offset of ``offset`` in a text whose map (JSON form) is ``pairs``."""
    i = bisect_right(pairs, offset, key=lambda p: p[0]) - 1
    n, o = pairs[max(i, 0)]
    return o + (offset - n)
