"""The sources roll-up: counting, merging in any order, JSON round trip, CSV."""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from arnews_cli.article import Article
from arnews_cli.steps.rollup import SourceRollup, _add_counts, source_key


def src(name: str, type_: str = "official", anonymous: bool = False,
        roles: tuple[str, ...] = ("cited",), reason: bool = False) -> dict[str, Any]:  # fmt: skip
    return {
        "name": name, "type": type_, "anonymous": anonymous, "count": 1,
        "roles": list(roles), "mentions": [], "quotes": 0, "via": [],
        "anonymity_reason": {"text": "x", "start": 0, "end": 1} if reason else None,
    }  # fmt: skip


ARTICLES = [
    [src("وكالة رويترز", "agency", roles=("cited", "credit")), src("مصادر", "anonymous", True)],
    [src("لرويترز", "agency"), src("وزير الخارجية")],
    [src("مصدر مطلع", "anonymous", True, reason=True), src("الجزيرة", "outlet", roles=("credit",))],
    [src("الحكومة العراقية", "institution", roles=("no_response",))],
    [],
]


def article(sources: list[dict[str, Any]] | None) -> Article:
    return Article(path="a.txt", text="", sources=sources)


def build(groups: list[list[dict[str, Any]]]) -> SourceRollup:
    r = SourceRollup()
    for g in groups:
        r.add(article(g))
    return r


def test_counts_one_collection() -> None:
    r = build(ARTICLES)
    r.add(article(None))
    assert r.articles == 6 and r.with_sources == 4
    assert r.citing_anonymous == 2 and r.only_anonymous == 1 and r.explained == 1
    assert r.agencies == {"رويترز": 2}
    assert r.cited["agency|رويترز"] == 2
    assert r.no_response == {"الحكومة العراقية": 1}
    assert r.credit == {"رويترز": 1, "الجزيرة": 1}
    assert r.credit_anonymous["رويترز"] == 1


def test_anonymity_is_explained_as_in_each_article() -> None:
    # every anonymous source must have its reason, as the article's anonymity_explained
    one_of_two = [src("مصدر مطلع", "anonymous", True, reason=True),
                  src("مصادر", "anonymous", True)]
    # a reason for an anonymous source that is not cited: not an article citing anonymous
    not_cited = [src("مصدر", "anonymous", True, ("no_response",), reason=True)]
    r = build([one_of_two, not_cited, ARTICLES[2]])
    assert r.citing_anonymous == 2 and r.explained == 1
    assert r.to_dict()["share_anonymity_explained"] == 0.5


def test_source_key_uses_gazetteer_names() -> None:
    assert source_key("وكالة رويترز") == source_key("لرويترز") == "رويترز"
    assert source_key("وزارة  الخارجيّة") == "وزارة الخارجية"


@settings(max_examples=40, deadline=None)
@given(st.permutations(range(len(ARTICLES))), st.integers(0, len(ARTICLES)))
def test_merge_is_order_independent(order: list[int], cut: int) -> None:
    whole = build(ARTICLES)
    shuffled = [ARTICLES[i] for i in order]
    left, right = build(shuffled[:cut]), build(shuffled[cut:])
    assert left + right == whole
    assert right + left == whole


_COUNTS = st.dictionaries(st.sampled_from("abcdefgh"),
                          st.one_of(st.integers(-3, 5), st.booleans(), st.just(-0.0)), max_size=8)


@settings(max_examples=60, deadline=None)
@given(_COUNTS, _COUNTS)
def test_adding_counts_is_counter_update(a: dict[str, int], b: dict[str, int]) -> None:
    expected, got = Counter(a), Counter(a)
    expected.update(Counter(b))
    _add_counts(got, Counter(b))
    # the same keys in the same order, and the same values (True stays True in an empty
    # counter, as a roll-up read back by from_dict may hold)
    assert repr(list(got.items())) == repr(list(expected.items()))


def test_merge_is_associative() -> None:
    a, b, c = build(ARTICLES[:2]), build(ARTICLES[2:3]), build(ARTICLES[3:])
    assert (a + b) + c == a + (b + c)
    a.merge(b)
    a.merge(c)
    assert a == build(ARTICLES)


def test_json_round_trip_and_shares() -> None:
    r = build(ARTICLES)
    data = r.to_dict(top=1)
    assert data["schema"] == "arnews/rollup/1"
    assert len(data["most_cited"]) == 1
    assert data["share_citing_anonymous"] == 0.4
    assert SourceRollup.from_dict(data) == r


def test_csv_rows() -> None:
    rows = build(ARTICLES).to_csv().splitlines()
    assert rows[0] == "section,key,value"
    assert "summary,articles,5" in rows
    assert "agency_share,رويترز,0.4" in rows


def test_rankings_do_not_depend_on_merge_order() -> None:
    a, b = build(ARTICLES[:2]), build(ARTICLES[2:])
    assert (a + b).to_dict() == (b + a).to_dict()


def test_an_article_counts_once_for_each_source() -> None:
    twice = [src("شرطة منطقة ويلتشير", "institution"), src("شرطة منطقة ويلتشير", "institution"),
             src("الحكومة", "institution", roles=("no_response",)),
             src("الحكومة", "institution", roles=("no_response",))]
    r = build([twice])
    assert r.cited["institution|شرطة منطقة ويلتشير"] == 1
    assert r.no_response == {"الحكومة": 1}
    assert r.to_dict()["articles"] == 1


def test_a_person_who_names_an_outlet_is_not_the_outlet() -> None:
    r = build([[src("مراسل بي بي سي في القاهرة"), src("بي بي سي", "outlet")]])
    assert set(r.cited) == {"official|مراسل بي بي سي في القاهرة", "outlet|بي بي سي"}


def test_malformed_fields_of_a_stored_record_count_as_absent() -> None:
    r = build([[{"name": "x", "type": "agency", "roles": 5}]])
    assert r.articles == 1 and r.agencies == {"x": 1} and not r.cited


def test_a_described_agency_is_keyed_by_the_name_that_follows() -> None:
    # the description alone is read as IRNA; the name after it says which agency
    assert source_key('وكالة الأنباء الإيرانية "تسنيم"') == "تسنيم"
    assert source_key("وكالة الأنباء الإيرانية") == "إرنا"
    # فارس is a common word too: a name only alone or right after such a description
    assert source_key('وكالة الأنباء الإيرانية الرسمية "فارس"') == "فارس"
    # the news of the agency's own name is no other outlet (الأنباء is a paper)
    assert source_key("وكالة أسوشييتدبرس للأنباء") == "أسوشيتد برس"
    assert source_key("وكالة فرانس برس للأنباء") == "فرانس برس"


def test_credit_rows_count_anonymous_sourcing_as_the_collection_does() -> None:
    # an unnamed body that did not respond is anonymous but not cited
    silent = [src("مصادر في الشركة", "anonymous", True, ("no_response",)),
              src("رويترز", "agency", roles=("credit",))]
    r = build([silent])
    assert r.citing_anonymous == 0
    assert r.credit_anonymous_articles["رويترز"] == 0
