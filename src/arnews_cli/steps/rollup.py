"""The sources roll-up: who a whole collection of articles relies on.

A :class:`SourceRollup` is a dataclass of counters filled by :meth:`SourceRollup.add` (one
article with ``sources``) and combined by :meth:`SourceRollup.merge`. Counter addition is
associative and commutative, so partial roll-ups built by worker processes (or by a
distributed engine over shards, via :meth:`to_dict`/:meth:`from_dict`) merge into the
same result in any order. Nothing holds articles: memory grows with the number of
distinct source names only.

Where it goes: JSON Lines on stdout stay per-article (``arnews/1`` records only, so a
pipeline never meets a second schema). The roll-up is shown as tables after the articles
on a terminal (``--format table``/``text``), and written as one JSON object with schema
``arnews/rollup/1`` by ``summarize-sources --rollup FILE`` or as CSV (``section,key,value``
rows) by ``--rollup-csv FILE``. ``-`` means stdout, allowed when stdout carries no records
(with ``--output-dir``).

Source names are keyed by their gazetteer name when they have one (``وكالة رويترز`` and
``لرويترز`` count as ``رويترز``) and otherwise by the name with diacritics, tatweel and
extra spaces removed.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field, fields
from itertools import repeat
from operator import add
from typing import Any

from arnews_cli.article import Article
from arnews_cli.steps.gazetteer import TOKEN, Match, fold, media, per_word

SCHEMA = "arnews/rollup/1"
_COUNTS = ("articles", "with_sources", "citing_anonymous", "only_anonymous", "explained")
_COUNTERS = (
    "cited", "types", "agencies", "no_response", "credit", "credit_sources",
    "credit_anonymous", "credit_anonymous_articles",
)  # fmt: skip
_STRIP = str.maketrans("", "", "\u0640\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652")


@per_word  # names recur across a collection (رويترز, الشرطة): read each once
def source_key(name: str) -> str:
    """The roll-up key of an agency's or outlet's name: the gazetteer name it holds
    (``وكالة رويترز`` -> ``رويترز``), else the cleaned name. Of several, the last: a
    description comes before the name it describes (``وكالة الأنباء الإيرانية "تسنيم"``
    is Tasnim, though the description alone would be read as IRNA). A listed word that
    is also a common one (``فارس``) counts only as the whole name, or right after such a
    description."""
    toks = [fold(t) for t in TOKEN.findall(name)]
    found: list[Match] = []
    for m in media().find(toks):
        if not m.entry.strict or m.last - m.first == len(toks) or (
            found and found[-1].last == m.first and _describes(found[-1], toks)
        ):
            found.append(m)
    return found[-1].entry.name if found else _cleaned(name)


def _describes(m: Match, toks: list[str]) -> bool:
    """Whether the hit ``m`` is a description (``وكالة الأنباء الإيرانية``), not the name
    it stands for: "agency" and more words, none of them that name's."""
    if m.entry.strict or m.last - m.first < 2 or toks[m.first] != _AGENCY:
        return False
    return not {fold(t) for t in TOKEN.findall(m.entry.name)} <= set(toks[m.first : m.last])


_AGENCY = fold("وكالة")


@per_word
def _other_key(name: str) -> str:
    """The roll-up key of any other source: the gazetteer name only when that is the
    whole name; a correspondent or an official who mentions an outlet
    (``مراسل بي بي سي في القاهرة``) is not the outlet."""
    toks = [fold(t) for t in TOKEN.findall(name)]
    for m in media().find(toks):
        if m.first == 0 and m.last - m.first == len(toks):
            return m.entry.name
    return _cleaned(name)


def _cleaned(name: str) -> str:
    return " ".join(name.translate(_STRIP).split())


def _key(source: dict[str, Any]) -> str:
    name = str(source.get("name", ""))
    return source_key(name) if source.get("type") in ("agency", "outlet") else _other_key(name)


def _roles(source: dict[str, Any]) -> list[Any]:
    roles = source.get("roles")
    return roles if isinstance(roles, list) else []


def _add_counts(into: Counter[str], other: Counter[str]) -> None:
    """``into.update(other)`` with its loop in C: ``Counter.update`` runs Python code per
    key once ``into`` holds any, which made merging the workers' roll-ups a tenth of the
    parent's time. Keys keep ``update``'s order (new ones after, in ``other``'s order)."""
    if not into:  # as update does: the values as they are
        dict.update(into, other)
        return
    keys = list(other)
    sums = map(add, map(into.get, keys, repeat(0)), other.values())
    dict.update(into, zip(keys, sums, strict=True))


def _ranked(counter: Counter[str], top: int | None) -> list[tuple[str, int]]:
    """Most frequent first, ties by name: the same list whatever the merge order."""
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:top]


@dataclass
class SourceRollup:
    """Counts over articles; see the module docstring for what each counter holds."""

    articles: int = 0
    with_sources: int = 0
    citing_anonymous: int = 0
    only_anonymous: int = 0
    explained: int = 0
    cited: Counter[str] = field(default_factory=Counter)
    """Articles citing each source, keyed ``type|name``."""
    types: Counter[str] = field(default_factory=Counter)
    """Sources per type, over all articles."""
    agencies: Counter[str] = field(default_factory=Counter)
    """Articles naming each news agency in any role."""
    no_response: Counter[str] = field(default_factory=Counter)
    """Articles in which each body did not respond."""
    credit: Counter[str] = field(default_factory=Counter)
    """Articles credited to each outlet or agency."""
    credit_sources: Counter[str] = field(default_factory=Counter)
    credit_anonymous: Counter[str] = field(default_factory=Counter)
    credit_anonymous_articles: Counter[str] = field(default_factory=Counter)

    def add(self, article: Article) -> None:
        """Count one article (one without ``sources`` counts as an article only)."""
        self.articles += 1
        sources = article.sources or []
        if not sources:
            return
        self.with_sources += 1
        anonymous = [s for s in sources if s.get("anonymous")]
        cited = [s for s in sources if "cited" in _roles(s)]
        cites_anonymous = any("cited" in _roles(s) for s in anonymous)
        if cites_anonymous:
            self.citing_anonymous += 1
            # as the article's own anonymity_explained: every anonymous source has a reason
            if all(s.get("anonymity_reason") for s in anonymous):
                self.explained += 1
        if cited and all(s.get("anonymous") for s in cited):
            self.only_anonymous += 1
        # an article counts once for each source, however many entries name it
        citing: set[str] = set()
        silent: set[str] = set()
        credits: set[str] = set()
        for s in sources:
            key = _key(s)
            roles = _roles(s)
            self.types[str(s.get("type"))] += 1
            if "cited" in roles:
                citing.add(f"{s.get('type')}|{key}")
            if "no_response" in roles:
                silent.add(key)
            if "credit" in roles:
                credits.add(key)
        self.cited.update(citing)
        self.no_response.update(silent)
        self.agencies.update({_key(s) for s in sources if s.get("type") == "agency"})
        for key in credits:
            self.credit[key] += 1
            self.credit_sources[key] += len(sources)
            self.credit_anonymous[key] += len(anonymous)
            # as citing_anonymous: an unnamed body that did not respond is not cited
            if cites_anonymous:
                self.credit_anonymous_articles[key] += 1

    def merge(self, other: SourceRollup) -> None:
        """Add ``other`` into this roll-up (associative and order-independent)."""
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in _COUNTERS:
            _add_counts(getattr(self, name), getattr(other, name))

    def __add__(self, other: SourceRollup) -> SourceRollup:
        out = SourceRollup()
        out.merge(self)
        out.merge(other)
        return out

    def to_dict(self, top: int | None = None) -> dict[str, Any]:
        """The JSON object (schema ``arnews/rollup/1``): raw counts plus derived shares.

        ``top`` limits the ranked lists; the raw ``counts`` are always complete, so
        :meth:`from_dict` restores a roll-up that can be merged further.
        """
        n = self.articles or 1
        return {
            "schema": SCHEMA,
            "articles": self.articles,
            "articles_with_sources": self.with_sources,
            "share_citing_anonymous": round(self.citing_anonymous / n, 4),
            "share_only_anonymous": round(self.only_anonymous / n, 4),
            "share_anonymity_explained": round(
                self.explained / self.citing_anonymous, 4
            ) if self.citing_anonymous else None,
            "most_cited": [
                {"name": k.split("|", 1)[1], "type": k.split("|", 1)[0], "articles": v}
                for k, v in _ranked(self.cited, top)
            ],
            "sources_by_type": dict(_ranked(self.types, None)),
            "agencies": [
                {"name": k, "articles": v, "share": round(v / n, 4)}
                for k, v in _ranked(self.agencies, top)
            ],
            "no_response": [
                {"name": k, "articles": v} for k, v in _ranked(self.no_response, top)
            ],
            "credit": [
                {
                    "name": k,
                    "articles": v,
                    "sources": self.credit_sources[k],
                    "anonymous_sources": self.credit_anonymous[k],
                    "share_articles_citing_anonymous": round(
                        self.credit_anonymous_articles[k] / v, 4
                    ),
                }
                for k, v in _ranked(self.credit, top)
            ],
            "counts": {
                **{name: getattr(self, name) for name in _COUNTS},
                **{name: dict(sorted(getattr(self, name).items())) for name in _COUNTERS},
            },
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SourceRollup:
        """Rebuild a roll-up from :meth:`to_dict` output (its ``counts``)."""
        if data.get("schema") != SCHEMA:
            raise ValueError(f"not an {SCHEMA} object (schema: {data.get('schema')!r})")
        counts = data["counts"]
        out = cls()
        for f in fields(cls):
            value = counts.get(f.name)
            if value is None:
                continue
            setattr(out, f.name, Counter(value) if f.name in _COUNTERS else int(value))
        return out

    def to_csv(self, top: int | None = None) -> str:
        """``section,key,value`` rows: one line per figure, for a spreadsheet."""
        data = self.to_dict(top)
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["section", "key", "value"])
        for key in ("articles", "articles_with_sources", "share_citing_anonymous",
                    "share_only_anonymous", "share_anonymity_explained"):  # fmt: skip
            w.writerow(["summary", key, data[key]])
        for row in data["most_cited"]:
            w.writerow(["most_cited", f"{row['name']} ({row['type']})", row["articles"]])
        for key, value in data["sources_by_type"].items():
            w.writerow(["sources_by_type", key, value])
        for row in data["agencies"]:
            w.writerow(["agency_share", row["name"], row["share"]])
        for row in data["no_response"]:
            w.writerow(["no_response", row["name"], row["articles"]])
        for row in data["credit"]:
            w.writerow(["credit_articles", row["name"], row["articles"]])
            w.writerow(["credit_sources", row["name"], row["sources"]])
            w.writerow(["credit_anonymous_share", row["name"],
                        row["share_articles_citing_anonymous"]])  # fmt: skip
        return buf.getvalue()
