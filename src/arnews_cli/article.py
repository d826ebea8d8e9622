"""The `Article` record shared by every step, and its JSON form.

An article is the original decoded text plus what each step found in it. Every span
(block, sentence, token, quote, speaker, source mention) carries ``start``/``end``
code-point offsets into :attr:`Article.text`, so ``text[start:end]`` is the span's text.

Steps never mutate an article: they return ``dataclasses.replace(article, field=...)``.
Fields a step does not know about survive in :attr:`Article.extra`, so a record piped
through an older or newer ``arnews`` keeps everything earlier steps wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA = "arnews/1"

BLOCK_KINDS = ("headline", "dateline", "byline", "caption", "subheading", "paragraph", "credit")

JSON = Any
"""A JSON-compatible value (dict, list, str, int, float, bool or None)."""


@dataclass(frozen=True, slots=True)
class Block:
    """A structural unit of the article: ``text[start:end] == block.text``."""

    kind: str
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, JSON]:
        return {"kind": self.kind, "text": self.text, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, d: dict[str, JSON]) -> Block:
        return cls(kind=d["kind"], text=d["text"], start=d["start"], end=d["end"])


@dataclass(frozen=True, slots=True)
class Article:
    """One news article and everything the chain has learned about it.

    ``normalized``, ``sentences``, ``tokens``, ``quotes`` and ``sources`` stay ``None``
    until the step that produces them has run; ``None`` fields are left out of the JSON.
    """

    path: str
    text: str
    encoding: str = "utf-8"
    blocks: tuple[Block, ...] = ()
    normalized: JSON = None
    sentences: JSON = None
    tokens: JSON = None
    quotes: JSON = None
    sources: JSON = None
    source_summary: JSON = None
    extra: dict[str, JSON] = field(default_factory=dict)

    def blocks_of(self, kind: str) -> list[Block]:
        """The blocks of one kind, in text order."""
        return [b for b in self.blocks if b.kind == kind]

    def to_dict(self) -> dict[str, JSON]:
        """The JSON object written for this article (``None`` fields omitted)."""
        d: dict[str, JSON] = {
            "schema": SCHEMA,
            "path": self.path,
            "encoding": self.encoding,
            "text": self.text,
            "blocks": [b.to_dict() for b in self.blocks],
        }
        for name in _STEP_FIELDS:
            value = getattr(self, name)
            if value is not None:
                d[name] = value
        for key, value in self.extra.items():
            d.setdefault(key, value)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, JSON]) -> Article:
        """Rebuild an article from :meth:`to_dict` output; unknown keys go to ``extra``."""
        schema = d.get("schema")
        if schema != SCHEMA:
            raise ValueError(f"not an {SCHEMA} record (schema: {schema!r})")
        text = d.get("text")
        if not isinstance(text, str) or not isinstance(d.get("path"), str):
            raise ValueError("record lacks a string 'path' or 'text'")
        blocks = d.get("blocks") or []
        if not isinstance(blocks, list):
            raise ValueError("malformed record ('blocks' is not a list)")
        for name, kind in _STEP_TYPES.items():
            value = d.get(name)
            if value is not None and not isinstance(value, kind):
                raise ValueError(f"malformed record ({name!r} is not {_KIND_NAMES[kind]})")
        from arnews_cli.record_checks import check_fields  # blocks and step fields

        check_fields(d, text)
        known = {"schema", "path", "encoding", "text", "blocks", *_STEP_FIELDS}
        return cls(
            path=d["path"],
            text=text,
            encoding=d.get("encoding", "utf-8"),
            blocks=tuple(Block.from_dict(b) for b in blocks),
            extra={k: v for k, v in d.items() if k not in known},
            **{name: d.get(name) for name in _STEP_FIELDS},
        )


_STEP_FIELDS = ("normalized", "sentences", "tokens", "quotes", "sources", "source_summary")
_STEP_TYPES: dict[str, type] = {
    "normalized": dict, "sentences": list, "tokens": dict, "quotes": list, "sources": list,
    "source_summary": dict,
}
_KIND_NAMES: dict[type, str] = {dict: "an object", list: "a list"}
