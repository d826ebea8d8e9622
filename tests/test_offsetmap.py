"""Offset maps: applying edits, composing maps, mapping many offsets at once."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from arnews_cli.steps.offsetmap import OffsetMap, apply_edits, deletion_map, to_original


@st.composite
def edited(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str, list[int]]]]:
    text = draw(st.text("abcdef", max_size=30))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8, unique=True)))
    edits = []
    for a, b in zip(cuts[0::2], cuts[1::2], strict=False):
        repl = draw(st.text("XYZ", max_size=3))
        edits.append((a, b, repl, [min(a, len(text) - 1)] * len(repl) if text else []))
    return text, edits


@settings(max_examples=200, deadline=None)
@given(first=edited(), more=st.text("XYZ", max_size=3))
def test_composed_map_equals_stepwise(
    first: tuple[str, list[tuple[int, int, str, list[int]]]], more: str
) -> None:
    text, edits = first
    once, m1 = apply_edits(text, edits)
    m1 = m1 or OffsetMap.identity(len(text))
    # a second step: insert `more` at the start, coming from offset 0
    twice, m2 = apply_edits(once, [(0, 0, more, [0] * len(more))] if once else [])
    m2 = m2 or OffsetMap.identity(len(once))
    both = m1.then(m2)
    for x in range(len(twice) + 1):
        assert both(x) == m1(m2(x))
    assert both(len(twice)) == len(text)
    xs = list(range(len(twice) + 1))
    assert both.map_sorted(xs) == [both(x) for x in xs]
    assert [to_original(both.to_json(), x) for x in xs] == [both(x) for x in xs]


def test_deletion_map() -> None:
    pieces = ["", "x", "ab", "yy", "c", "z", ""]  # kept, deleted, kept, ...
    text = "".join(pieces)
    new = "".join(pieces[0::2])
    omap = deletion_map(pieces)
    assert new == "abc"
    assert [text[omap(i)] for i in range(len(new))] == list(new)
    assert omap(len(new)) == len(text)


def test_map_sorted_with_reordering_breakpoints() -> None:
    omap = OffsetMap([0, 3, 4, 5, 8], [0, 4, 3, 5, 8])
    xs = [0, 1, 2, 3, 4, 5, 6, 7, 8]
    assert omap.map_sorted(xs) == [omap(x) for x in xs] == [0, 1, 2, 4, 3, 5, 6, 7, 8]
    assert omap.map_sorted([]) == []
