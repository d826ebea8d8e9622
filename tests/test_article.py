from __future__ import annotations

import dataclasses

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from arnews_cli.article import SCHEMA, Article, Block
from arnews_cli.io import dumps


def roundtrip(article: Article) -> Article:
    return Article.from_dict(orjson.loads(dumps(article)))


def test_roundtrip_keeps_every_field() -> None:
    a = Article(
        path="x.txt", text="قال الوزير", encoding="cp1256",
        blocks=(Block("paragraph", "قال الوزير", 0, 10),),
        quotes=[{"kind": "indirect", "text": "الوزير", "start": 4, "end": 10,
                 "cue": {"text": "قال", "start": 0, "end": 3}, "speaker": None, "via": []}],
        extra={"future_field": {"a": 1}},
    )
    assert roundtrip(a) == a


def test_record_has_schema_and_omits_missing_steps() -> None:
    d = Article(path="p", text="t").to_dict()
    assert d["schema"] == SCHEMA
    assert "quotes" not in d and "tokens" not in d


def test_unknown_schema_is_refused() -> None:
    with pytest.raises(ValueError, match="schema"):
        Article.from_dict({"schema": "other/9", "path": "p", "text": "t"})


def test_article_is_frozen() -> None:
    a = Article(path="p", text="t")
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.text = "u"  # type: ignore[misc]


@given(st.text(), st.text(), st.lists(st.tuples(st.sampled_from(["headline", "paragraph"]),
                                                 st.integers(0, 50), st.integers(0, 50))))
def test_roundtrip_any_text(path: str, text: str, spans: list[tuple[str, int, int]]) -> None:
    bounds = [(k, *sorted((min(s, len(text)), min(e, len(text))))) for k, s, e in spans]
    blocks = tuple(Block(k, text[s:e], s, e) for k, s, e in bounds)
    a = Article(path=path, text=text, blocks=blocks)
    assert roundtrip(a) == a


def test_json_keeps_arabic_unescaped() -> None:
    assert "قال".encode() in dumps(Article(path="p", text="قال"))
    assert b"\\u06" not in dumps(Article(path="p", text="قال"))
