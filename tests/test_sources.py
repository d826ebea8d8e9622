"""summarize-sources: phrase reading, merging, roles, the seed article and the CLI."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from arnews_cli.article import Article, Block
from arnews_cli.cli import cli
from arnews_cli.steps.counts import count_of
from arnews_cli.steps.gazetteer import fold, media, variants
from arnews_cli.steps.mentions import describe
from arnews_cli.steps.nonresponse import non_responses
from arnews_cli.steps.parse import parse_text
from arnews_cli.steps.phrases import Words
from arnews_cli.steps.sources import find_sources, summarize_sources

from .conftest import ROOT, SEED


def read(phrase: str) -> tuple[str, bool, int | None]:
    d = describe(phrase, 0, len(phrase))
    assert d is not None
    return d.type, d.anonymous, d.count


def test_fold_unifies_spellings() -> None:
    assert fold("الأنباء") == fold("الانباء")
    assert fold("الأميركية") == fold("الأمريكية")
    assert fold("مسؤول") == fold("مسئول")
    assert fold("٣") == "3"
    assert "الجزيره" in variants(fold("للجزيرة"))
    assert "رويترز" in variants(fold("لرويترز"))


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("وكالة رويترز", ("agency", False, 1)),
        ("لرويترز", ("agency", False, 1)),
        ("وكالة أنباء الصين الجديدة", ("agency", False, 1)),
        ('وكالة الانباء الروسية "تاس"', ("agency", False, 1)),
        ("صحيفة نيويورك تايمز", ("outlet", False, 1)),
        ("وسائل إعلام بلجيكية", ("outlet", True, None)),
        ("3 مصادر من فصائل مسلحة", ("anonymous", True, 3)),
        ("٣ مصادر", ("anonymous", True, 3)),
        ("ثلاثة مصادر", ("anonymous", True, 3)),
        ("مصدرين أمنيين عراقيين مطلعين", ("anonymous", True, 2)),
        ("مصادر مطلعة", ("anonymous", True, None)),
        ("مسؤول كبير في المنطقة", ("anonymous", True, 1)),
        ("وزارة الدفاع الأميركية (البنتاغون)", ("institution", False, 1)),
        ("جماعات حقوقية", ("institution", True, None)),
        ("الصين", ("institution", False, 1)),
        ("المبعوث الإيراني لدى الأمم المتحدة", ("official", False, 1)),
        ("الرئيس الصيني، شي جين بينغ", ("official", False, 1)),
        ("متحدث باسم الشرطة الألمانية", ("official", False, 1)),
        ("فيصل أبو داهوك", ("person", False, 1)),
        ("دراسة أمريكية جديدة", ("document", False, 1)),
        ("تقارير محلية", ("document", True, None)),
        ("والد الفتاة", ("anonymous", True, 1)),
    ],
)
def test_describe_types_anonymity_counts(phrase: str, expected: tuple[Any, ...]) -> None:
    assert read(phrase) == expected


def test_ambiguous_name_followed_by_its_adjective_is_not_the_paper() -> None:
    text = "الخبر\n\nوأكد الوزير أن الإجراءات المضادة للاتحاد الأوروبي جاهزة."
    out = summarize_sources(parse_text(text))
    assert all(s["type"] != "outlet" for s in out.sources or [])


def test_ambiguous_media_names_need_context() -> None:
    assert read("الجزيرة")[0] != "outlet"  # the island, or the peninsula
    d = describe("الجزيرة", 0, 7, strict_ok=True)
    assert d is not None and d.type == "outlet"
    assert read("قناة الجزيرة")[0] == "outlet"


def test_counts_read_numbers_around_the_head() -> None:
    toks = [fold(t) for t in "المصادر الثلاثة".split()]
    assert count_of(toks, 0, True) == 3
    assert count_of([fold("مصدران")], 0, False) == 2
    assert count_of([fold("مصادر")], 0, True) is None
    assert count_of([fold("مسؤول")], 0, False) == 1


@pytest.mark.parametrize("mark", ["³", "①", "¹"])
def test_a_digit_that_is_no_number_is_no_count(mark: str) -> None:
    # str.isdigit() takes superscripts and circled digits, which int() refuses
    from arnews_cli.steps.quotes import extract_quotes

    article = summarize_sources(extract_quotes(parse_text(f"قال مسؤولون {mark} إن الوضع هادئ.\n")))
    assert article.sources is not None


@pytest.mark.parametrize(
    ("text", "bodies"),
    [
        ("ولم تعلق وزارة الخارجية السويدية على هذه القضية.", ["وزارة الخارجية السويدية"]),
        ("ورفض هيكتور كوبر مدرب مصر التعليق على الأمر.", ["هيكتور كوبر مدرب مصر"]),
        ("وامتنع المتحدث باسم الجيش عن التعليق.", ["المتحدث باسم الجيش"]),
        (
            "ولم يتسن الحصول على رد من الحكومة العراقية أو مكتب رئيس الوزراء العراقي على أسئلة.",
            ["الحكومة العراقية", "مكتب رئيس الوزراء العراقي"],
        ),
        ("ولم يتسن الاتصال بمسؤولين في مكتب العلاقات العامة للتعليق.",
         ["مكتب العلاقات العامة"]),
        ("ولم ترد أنباء عن وقوع إصابات.", []),
        ("لكن الموقع لم يستجب. وجاء هذا الجدل بعد ذلك.", ["الموقع"]),
        ("ولم يتسن لرويترز الاتصال بفان هورميرن للتعليق.", ["فان هورميرن"]),
    ],
)
def test_non_responses(text: str, bodies: list[str]) -> None:
    found = [text[s:e] for s, e in non_responses(Words(text))]
    assert [f.removeprefix("ب") for f in found] == bodies


def _seed_quotes(text: str) -> list[dict[str, Any]]:
    """The seed's quotes as extract-quotes gives them (speakers and the Reuters relay)."""

    def at(phrase: str, after: int = 0) -> dict[str, Any]:
        s = text.index(phrase, after)
        return {"text": phrase, "start": s, "end": s + len(phrase)}

    def quote(speaker: str, content: str, via: str | None = None) -> dict[str, Any]:
        c = at(content)
        return {
            "kind": "indirect", **c, "cue": {"text": "", "start": c["start"], "end": c["start"]},
            "speaker": {**at(speaker), "resolved": False},
            "via": [at(via)] if via else [],
        }  # fmt: skip

    return [
        quote("رويترز", "وفد إيراني حث"),
        quote("3 مصادر من فصائل مسلحة ومصدرين أمنيين عراقيين مطلعين", "أن قياديا بارزا",
              via="وكالة رويترز"),
        quote("المصادر الثلاثة من الفصائل المسلحة", "إنه على الرغم"),
        quote("أحد المصادر الثلاثة", "إن الإيرانيين نصحوهم"),
        quote("مسؤول كبير في المنطقة", "إن رئيس استخبارات"),
        quote("وزارة الدفاع الأميركية (البنتاغون)", "إن هجمات عديدة"),
        quote("المبعوث الإيراني لدى الأمم المتحدة", "هذا الشهر الاتهامات"),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def seed_sources() -> list[dict[str, Any]]:
    article = parse_text(SEED.read_text(encoding="utf-8"), path=str(SEED))
    article = dataclasses.replace(article, quotes=_seed_quotes(article.text))
    out = summarize_sources(article)
    assert out.sources is not None
    return out.sources


def _find(sources: list[dict[str, Any]], word: str) -> dict[str, Any]:
    hits = [s for s in sources if word in s["name"]]
    assert len(hits) == 1, (word, [s["name"] for s in sources])
    return hits[0]


def test_seed_acceptance(seed_sources: list[dict[str, Any]]) -> None:
    reuters = _find(seed_sources, "رويترز")
    assert reuters["type"] == "agency" and set(reuters["roles"]) == {"cited", "credit"}
    factions = _find(seed_sources, "فصائل")
    assert (factions["type"], factions["anonymous"], factions["count"]) == ("anonymous", True, 3)
    assert factions["quotes"] == 3  # its own, "the three sources", and "one of the three"
    assert factions["via"] == [reuters["name"]]
    security = _find(seed_sources, "أمنيين")
    assert (security["anonymous"], security["count"]) == (True, 2)
    regional = _find(seed_sources, "المنطقة")
    assert regional["anonymous"] and regional["count"] == 1
    assert _find(seed_sources, "البنتاغون")["type"] == "institution"
    assert _find(seed_sources, "المبعوث")["type"] == "official"
    silent = [s["name"] for s in seed_sources if "no_response" in s["roles"]]
    assert silent == [
        "وزارة الخارجية الإيرانية", "مكتب العلاقات العامة للحرس الثوري",
        "الحكومة العراقية", "مكتب رئيس الوزراء العراقي",
    ]  # fmt: skip
    jazeera = _find(seed_sources, "الجزيرة")
    assert (jazeera["type"], jazeera["roles"]) == ("outlet", ["credit"])
    assert len(seed_sources) == 11
    reason = factions["anonymity_reason"]
    assert reason is not None and reason["text"] == "طالبة عدم نشر أسمائها لحساسية الموضوع"


def test_seed_spans_are_exact(seed_sources: list[dict[str, Any]]) -> None:
    text = SEED.read_text(encoding="utf-8")
    for s in seed_sources:
        assert s["mentions"], s
        for m in s["mentions"]:
            assert 0 <= m["start"] < m["end"] <= len(text)
        r = s["anonymity_reason"]
        if r:
            assert text[r["start"] : r["end"]] == r["text"]


def test_seed_without_quotes_still_finds_relay_credits_and_silences() -> None:
    out = summarize_sources(parse_text(SEED.read_text(encoding="utf-8")))
    names = {s["name"]: s for s in out.sources or []}
    assert set(names["رويترز"]["roles"]) == {"cited", "credit"}
    assert names["الجزيرة"]["roles"] == ["credit"]
    assert sum("no_response" in s["roles"] for s in names.values()) == 4
    summary = out.source_summary
    assert summary["chain"]["credit"] == ["رويترز", "الجزيرة"]
    assert summary["no_response"][0] == "وزارة الخارجية الإيرانية"


def test_the_summary_says_whether_the_quotes_were_read() -> None:
    from arnews_cli.steps.sources import made_with

    article = parse_text(SEED.read_text(encoding="utf-8"), path=str(SEED))
    alone = summarize_sources(article)
    assert alone.source_summary is not None
    assert alone.source_summary["with_quotes"] is False
    assert all(s["quotes"] == 0 for s in alone.sources or ())
    quoted = summarize_sources(dataclasses.replace(article, quotes=_seed_quotes(article.text)))
    assert quoted.source_summary is not None
    assert quoted.source_summary["with_quotes"] is True
    assert any(s["quotes"] for s in quoted.sources or ())
    none = summarize_sources(dataclasses.replace(article, quotes=[]))  # read, and none found
    assert none.source_summary is not None and none.source_summary["with_quotes"] is True
    assert made_with(alone, frozenset()) and not made_with(alone, {"quotes"})
    assert made_with(quoted, {"quotes"}) and not made_with(quoted, frozenset())
    assert not made_with(article, frozenset())  # no summary at all


def test_summary_counts_and_shares(seed_sources: list[dict[str, Any]]) -> None:
    from arnews_cli.steps.sources import summarize

    summary = summarize(seed_sources)
    assert summary["sources"] == 11
    assert summary["anonymous"] == 3 and summary["named"] == 8
    # 3 + 2 + 1 unnamed people against 8 named sources
    assert summary["anonymous_weighted_share"] == round(6 / 14, 4)
    assert summary["by_type"]["anonymous"] == 3
    assert summary["anonymity_explained"] is False  # the regional official's is not
    assert summary["chain"]["relays"] == {"رويترز": ["3 مصادر من فصائل مسلحة"]} or (
        list(summary["chain"]["relays"]) == ["رويترز"]
    )


@pytest.mark.parametrize(
    ("text", "name", "role", "kind"),
    [
        ("الخبر\n\nقال الوزير لوكالة فرانس برس إن الوضع هادئ.", "وكالة فرانس برس",
         "cited", "agency"),
        ("الخبر\n\nوأفاد شهود بحسب صحيفة الغارديان البريطانية بأن المدينة هادئة.",
         "صحيفة الغارديان البريطانية", "cited", "outlet"),
        ("الخبر\n\nطوكيو 11 أغسطس 2015 م واس\n\nأعادت اليابان تشغيل مفاعل نووي.", "واس",
         "credit", "agency"),
        ("الخبر\n\nاندلعت احتجاجات في المدينة.\n\nالمصدر : الجزيرة + رويترز", "الجزيرة",
         "credit", "outlet"),
    ],
)  # fmt: skip
def test_own_findings_without_quotes(text: str, name: str, role: str, kind: str) -> None:
    out = summarize_sources(parse_text(text))
    hits = [s for s in out.sources or [] if s["name"] == name]
    assert hits, [s["name"] for s in out.sources or []]
    assert role in hits[0]["roles"] and hits[0]["type"] == kind


def test_quoted_words_are_not_prepositional_sources() -> None:
    text = 'الخبر\n\nوأضاف البيان "وفقا لتقييمنا، لم يسقط أي مدنيين".'
    out = summarize_sources(parse_text(text))
    assert all("تقييم" not in s["name"] for s in out.sources or [])


def test_input_is_not_mutated() -> None:
    article = parse_text(SEED.read_text(encoding="utf-8"))
    before = article.to_dict()
    summarize_sources(article)
    assert article.to_dict() == before


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهوية أإآءؤئ ،.:\n«»\"0123456789٣مصدروكالةرويترز"))
def test_any_text_gives_valid_sources(text: str) -> None:
    article = Article(path="x", text=text, blocks=(Block("paragraph", text, 0, len(text)),))
    out = summarize_sources(article)
    for s in out.sources or []:
        assert s["type"] in ("agency", "outlet", "institution", "official", "person",
                             "anonymous", "document")  # fmt: skip
        for m in s["mentions"]:
            assert 0 <= m["start"] < m["end"] <= len(text)


def test_gazetteer_names_have_no_duplicate_variants_across_types() -> None:
    gaz = media()
    assert gaz.match_at([fold("رويترز")], 0) is not None
    assert gaz.match_at([fold("سي"), fold("إن"), fold("إن")], 0) is not None


def test_cli_jsonl_has_sources_and_summary(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--format", "jsonl", "-j", "1", "parse", str(SEED), "summarize-sources"],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["schema"] == "arnews/1"
    assert any(s["name"] == "رويترز" for s in record["sources"])
    assert record["source_summary"]["sources"] == len(record["sources"])
    assert "\\u06" not in result.stdout


def test_cli_writes_rollup_files(tmp_path: Path) -> None:
    rollup, table = tmp_path / "rollup.json", tmp_path / "rollup.csv"
    result = CliRunner().invoke(
        cli,
        ["--format", "jsonl", "-j", "1", "parse", str(SEED), str(SEED), "summarize-sources",
         "--rollup", str(rollup), "--rollup-csv", str(table)],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert all(json.loads(line)["schema"] == "arnews/1" for line in result.stdout.splitlines())
    data = json.loads(rollup.read_text(encoding="utf-8"))
    assert data["schema"] == "arnews/rollup/1" and data["articles"] == 2
    assert data["agencies"][0] == {"name": "رويترز", "articles": 2, "share": 1.0}
    assert table.read_text(encoding="utf-8").startswith("section,key,value\n")


def test_cli_rollup_write_is_whole_or_nothing(tmp_path: Path, monkeypatch: Any) -> None:
    rollup = tmp_path / "rollup.json"
    rollup.write_text('{"earlier": "roll-up"}\n', encoding="utf-8")
    link = tmp_path / "latest.json"
    link.symlink_to(rollup.name)

    def full_disk(*_: Any) -> None:
        raise OSError(28, "No space left on device")

    args = ["-j", "1", "parse", str(SEED), "summarize-sources", "--rollup", str(link)]
    with monkeypatch.context() as patched:
        patched.setattr("arnews_cli.runner.os.replace", full_disk)
        failed = CliRunner().invoke(cli, args)
    assert failed.exit_code == 1 and "No space left" in failed.stderr
    assert rollup.read_text(encoding="utf-8") == '{"earlier": "roll-up"}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest.json", "rollup.json"]
    done = CliRunner().invoke(cli, args)
    assert done.exit_code == 0 and link.is_symlink()  # written through the link
    assert json.loads(rollup.read_text(encoding="utf-8"))["articles"] == 1
    same = CliRunner().invoke(cli, [*args, "--rollup-csv", str(rollup)])
    assert same.exit_code == 2 and "same file" in same.stderr


def test_cli_rollup_to_a_pipe_or_a_folder_closed_to_new_files(
    tmp_path: Path, monkeypatch: Any
) -> None:
    command = [sys.executable, "-m", "arnews_cli", "-q", "-o", str(tmp_path / "out"),
               "parse", str(SEED), "summarize-sources", "--rollup", "/dev/stdout"]
    done = subprocess.run(command, capture_output=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["articles"] == 1
    # a roll-up file that may be rewritten in a folder where no file may be made
    rollup = tmp_path / "rollup.json"
    rollup.write_text("{}\n", encoding="utf-8")
    inode = rollup.stat().st_ino
    real_access = os.access
    monkeypatch.setattr("arnews_cli.sources_report.os.access",
                        lambda p, mode: p != str(tmp_path) and real_access(p, mode))
    result = CliRunner().invoke(cli, ["parse", str(SEED), "summarize-sources",
                                      "--rollup", str(rollup)])
    assert result.exit_code == 0, result.stderr
    assert rollup.stat().st_ino == inode  # rewritten where it is
    assert json.loads(rollup.read_text(encoding="utf-8"))["articles"] == 1


def test_cli_rollup_never_replaces_an_input_or_a_record(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    (folder / "b.txt").write_bytes(SEED.read_bytes())
    for path in (folder, folder / "a.txt"):
        result = CliRunner().invoke(cli, ["parse", str(path), "summarize-sources",
                                          "--rollup-csv", str(folder / "a.txt")])
        assert result.exit_code == 2 and "is an input of the run" in result.stderr
    assert (folder / "a.txt").read_bytes() == SEED.read_bytes()
    # a roll-up file beside the articles that the pattern does not take is no input
    beside = CliRunner().invoke(cli, ["parse", str(folder), "summarize-sources",
                                      "--rollup", str(folder / "rollup.json")])
    assert beside.exit_code == 0, beside.stderr
    # an output folder inside the input is not read: a roll-up there is no input
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "a.txt").write_bytes(SEED.read_bytes())
    inner = ["-o", str(alone / "out"), "parse", "--pattern", "*", str(alone),
             "summarize-sources", "--rollup", str(alone / "out" / "rollup.json")]
    for _ in range(2):
        again = CliRunner().invoke(cli, inner)
        assert again.exit_code == 0, again.stderr
    out = tmp_path / "out"
    over = CliRunner().invoke(cli, ["-o", str(out), "parse", str(folder), "summarize-sources",
                                    "--rollup", str(out / "b.json")])
    assert over.exit_code == 1 and "record of an article" in over.stderr
    assert json.loads((out / "b.json").read_bytes())["schema"] == "arnews/1"


def test_cli_rollup_to_stdout_needs_output_dir() -> None:
    result = CliRunner().invoke(cli, ["parse", str(SEED), "summarize-sources", "--rollup", "-"])
    assert result.exit_code == 2
    assert "--output-dir" in result.stderr


def test_cli_table_view_shows_rollup() -> None:
    result = CliRunner().invoke(
        cli, ["--format", "text", "-j", "1", "parse", str(SEED), "summarize-sources"],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0
    assert "== sources roll-up" in result.stdout and "رويترز" in result.stdout


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("وقال مسؤول فضل عدم الكشف عن اسمه نظراً لحساسية الموقف إن الاجتماع انتهى.",
         "فضل عدم الكشف عن اسمه نظراً لحساسية الموقف"),
        ("وقال مصدر رفض ذكر اسمه إن الهجوم وقع ليلا.", "رفض ذكر اسمه"),
        ("وقال دبلوماسي، شريطة عدم الكشف عن هويته، إن المحادثات متعثرة.",
         "شريطة عدم الكشف عن هويته"),
        ("وقال مسؤول طلب عدم ذكر اسمه لأنه غير مخول بالحديث لوسائل الإعلام إن القرار نهائي.",
         "طلب عدم ذكر اسمه لأنه غير مخول بالحديث لوسائل الإعلام"),
    ],
)  # fmt: skip
def test_anonymity_reasons(sentence: str, reason: str) -> None:
    speaker = sentence.split()[1].rstrip("،")
    at = sentence.index(speaker)
    article = Article(path="x", text=sentence, blocks=(Block("paragraph", sentence, 0,
                                                               len(sentence)),))  # fmt: skip
    quote = {
        "kind": "indirect", "text": "", "start": 0, "end": 1,
        "cue": {"text": "وقال", "start": 0, "end": 4},
        "speaker": {"text": speaker, "start": at, "end": at + len(speaker), "resolved": False},
        "via": [],
    }  # fmt: skip
    out = summarize_sources(dataclasses.replace(article, quotes=[quote]))
    (source,) = out.sources or []
    assert source["anonymous"] and source["anonymity_reason"]["text"] == reason
    assert out.source_summary["anonymity_explained"] is True


@pytest.mark.parametrize("dateline, agency", [
    ("الإثنين 06 أغسطس-آب 2012 الساعة 01 صباحاً / تعز - احمد النويهي", None),
    ("الخميس 9 آب 2018 - بيروت", None),
    ("واشنطن - أ ب", "أسوشيتد برس"),
])
def test_a_month_in_a_dated_dateline_is_no_agency(dateline: str, agency: str | None) -> None:
    # آب is August as well as a way of writing AP
    text = f"عنوان الخبر\n\n{dateline}\n\nقال الوزير إن المحادثات مستمرة.\n"
    found = find_sources(parse_text(text))
    credits = [s for s in found if "credit" in s["roles"]]
    assert [s["type"] for s in credits] == (["agency"] if agency else [])


def test_a_long_number_is_no_count_in_every_build() -> None:
    # compiled with mypyc, a False returned where an int is declared came back as 0, so a
    # year after a head noun (وكالة 2024) read as a count and the phrase as an anaphor
    from arnews_cli.steps.counts import NOT_A_NUMBER, number_word
    from arnews_cli.steps.mentions import describe

    assert number_word("2024") == NOT_A_NUMBER and number_word("عشرات") is None
    assert number_word("3") == 3 and number_word("ثلاثة".replace("ة", "ه")) == 3
    text = "وقالت وكالة 2024 إن"
    d = describe(text, 6, 16)
    assert d is not None and d.name == "وكالة 2024" and not d.anaphor
