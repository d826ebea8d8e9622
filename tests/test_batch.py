"""Batch runs: worker processes, --output-dir, --resume, time limits, hostile input."""

from __future__ import annotations

import codecs
import dataclasses
import errno
import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from arnews_cli import runner
from arnews_cli.article import Article
from arnews_cli.cli import cli
from arnews_cli.pipeline import Stage
from arnews_cli.runner import Item, Options, output_path, run_chunk
from arnews_cli.storage import local_path

from .conftest import CORPUS, DATA, ROOT, SEED, make_tree


def invoke(args: list[str], input: bytes | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, args, input=input, catch_exceptions=False)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A folder of real articles in two subfolders plus broken files."""
    return make_tree(tmp_path, 30)


def test_parallel_output_equals_sequential(tree: Path) -> None:
    one = invoke(["-j1", "parse", str(tree)])
    two = invoke(["-j2", "parse", str(tree)])
    assert one.exit_code == two.exit_code == 1
    assert one.stdout == two.stdout
    assert len(one.stdout.splitlines()) == len(list(tree.glob("*/*.txt"))) - 2
    assert sorted(one.stderr.splitlines()) == sorted(two.stderr.splitlines())


def test_rollup_is_the_same_with_and_without_workers(tree: Path, tmp_path: Path) -> None:
    rollups = []
    for jobs in ("-j1", "-j2"):
        path = tmp_path / f"rollup{jobs}.json"
        result = invoke([jobs, "parse", str(tree), "summarize-sources", "--rollup", str(path)])
        assert result.exit_code == 1  # the broken files
        rollups.append(json.loads(path.read_text(encoding="utf-8")))
    assert rollups[0] == rollups[1]
    assert rollups[0]["articles"] == len(list(tree.glob("*/*.txt"))) - 2
    assert rollups[0]["inputs_failed"] == 2  # the roll-up says it is not the whole folder
    assert list(rollups[0])[list(rollups[0]).index("articles") + 1] == "inputs_failed"


def test_output_dir_mirrors_tree_and_resume_skips(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = invoke(["-j2", "--output-dir", str(out), "parse", str(tree)])
    assert first.exit_code == 1
    assert first.stdout == ""
    written = sorted(p.relative_to(out) for p in out.rglob("*.json"))
    expected = sorted(
        p.relative_to(tree).with_suffix(".json") for p in tree.glob("*/*.txt")
        if p.parent.name != "broken"
    )
    assert written == expected
    assert not list(out.rglob(".tmp-*"))
    record = json.loads((out / expected[0]).read_text(encoding="utf-8"))
    assert record["schema"] == "arnews/1"
    # delete one output, resume: only that one is redone, the others are untouched
    victim = out / expected[1]
    victim.unlink()
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*.json")}
    again = invoke(["-j2", "--output-dir", str(out), "--resume", "parse", str(tree)])
    assert again.exit_code == 1
    assert victim.exists()
    assert all(p.stat().st_mtime_ns == t for p, t in stamps.items())
    assert "already done" in again.stderr


def test_several_folders_keep_their_names_and_clashes_are_reported(
    tree: Path, tmp_path: Path
) -> None:
    a, b = sorted(d for d in tree.iterdir() if d.name != "broken")[:2]
    first = sorted(a.glob("*.txt"))[0]
    twin = b / first.name  # the same name as a file of the first folder
    twin.write_bytes(first.read_bytes())
    out = tmp_path / "out"
    result = invoke(["-j2", "--output-dir", str(out), "parse", str(a), str(b)])
    assert result.exit_code == 0, result.stderr
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*.json"))
    expected = sorted(f"{d.name}/{f.stem}.json" for d in (a, b) for f in d.glob("*.txt"))
    assert written == expected  # one output per input: nothing overwritten
    # files given directly, or differing only by extension, would share an output name
    (a / f"{first.stem}.md").write_bytes(twin.read_bytes())
    clash = invoke(["--output-dir", str(tmp_path / "o2"), "parse", str(first), str(twin)])
    assert clash.exit_code == 1
    assert f"{twin}: another input already has the output name '{first.stem}.json'" \
        in clash.stderr
    clash = invoke(["--output-dir", str(tmp_path / "o3"), "parse", "--pattern", "*", str(a)])
    assert clash.exit_code == 1 and "not processed" in clash.stderr
    assert len(list((tmp_path / "o3").glob("*.json"))) == len(list(a.iterdir())) - 1
    # records on stdout cannot clash: every input is processed
    plain = invoke(["parse", "--pattern", "*", str(a)])
    assert plain.exit_code == 0 and len(plain.stdout.splitlines()) == len(list(a.iterdir()))


def test_no_folder_tree_lands_inside_another(tmp_path: Path) -> None:
    # mirror/news/bbc named news/bbc would put its x.json where news/'s bbc/x.json goes
    seed = SEED.read_bytes()
    for folder in ("corpus/news/bbc", "mirror/news/bbc", "old/bbc"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "x.txt").write_bytes(seed + folder.encode())
    out = tmp_path / "out"
    given = [str(tmp_path / f) for f in ("corpus/news", "mirror/news/bbc", "old/bbc")]
    result = invoke(["-o", str(out), "parse", *given])
    assert result.exit_code == 0, result.stderr
    made = sorted(str(p.relative_to(out)) for p in out.rglob("*.json"))
    assert made == ["corpus/news/bbc/x.json", "mirror/news/bbc/x.json", "old/bbc/x.json"]
    # URL folders of one name keep their parents as local ones do
    urls = invoke(["-o", str(tmp_path / "out2"), "parse", *(Path(g).as_uri() for g in given)])
    assert urls.exit_code == 0, urls.stderr
    assert sorted(str(p.relative_to(tmp_path / "out2"))
                  for p in (tmp_path / "out2").rglob("*.json")) == made


def test_folders_of_the_same_name_keep_their_parents(tmp_path: Path) -> None:
    seed = SEED.read_bytes()
    for year in ("2023", "2024"):
        (tmp_path / year / "news").mkdir(parents=True)
        (tmp_path / year / "news" / "a.txt").write_bytes(seed)
    out = tmp_path / "out"
    result = invoke(["-o", str(out), "parse", str(tmp_path / "2023" / "news"),
                     str(tmp_path / "2024" / "news")])
    assert result.exit_code == 0, result.stderr
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*.json")) == [
        "2023/news/a.json", "2024/news/a.json"]
    twice = tmp_path / "out2"  # one folder given twice: named once, the second reported
    again = invoke(["-o", str(twice), "parse", str(tmp_path / "2023" / "news"),
                    str(tmp_path / "2023" / "news") + "/"])
    assert again.exit_code == 1
    assert [str(p.relative_to(twice)) for p in twice.rglob("*.json")] == ["news/a.json"]


def test_resume_keeps_only_records_of_the_same_input(tree: Path, tmp_path: Path) -> None:
    a, b = sorted(d for d in tree.iterdir() if d.name != "broken")[:2]
    out = tmp_path / "out"
    assert invoke(["-q", "-o", str(out), "parse", str(a)]).exit_code == 0
    # the same output name, now another input's: it is done again, not taken as done
    other = b / sorted(a.glob("*.txt"))[0].name
    other.write_bytes(SEED.read_bytes())
    again = invoke(["-o", str(out), "--resume", "parse", str(other)])
    assert "already done" not in again.stderr
    record = json.loads((out / f"{other.stem}.json").read_bytes())
    assert record["path"] == str(other)


def test_unlistable_folders_and_link_loops_are_reported_and_skipped(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = sorted(d for d in tree.iterdir() if d.name != "broken")[0]
    (folder / "self").symlink_to(".", target_is_directory=True)
    locked = folder / "locked"
    locked.mkdir()
    (locked / "x.txt").write_bytes(next(folder.glob("*.txt")).read_bytes())
    real_scandir = os.scandir

    def scandir(path: str):  # type: ignore[no-untyped-def]
        if str(path) == str(locked):  # as for another user: permission denied
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = invoke(["-j1", "parse", str(folder)])
    assert result.exit_code == 1
    assert set(result.stderr.splitlines()) == {
        "arnews: 2 input(s) failed",
        f"arnews: {locked}: cannot list directory: Permission denied",
        f"arnews: {folder / 'self'}: a symbolic link to a directory above it; not followed",
    }
    assert len(result.stdout.splitlines()) == len(list(folder.glob("*.txt")))


def test_resume_needs_output_dir(tree: Path) -> None:
    assert invoke(["--resume", "parse", str(tree)]).exit_code == 2


def test_time_limit_turns_a_runaway_into_a_failure(tmp_path: Path) -> None:
    import arnews_cli.runner as runner_module

    path = tmp_path / "a.txt"
    path.write_text("عنوان\n\nنص الخبر.", encoding="utf-8")

    def slow(item: Item, options: Options):  # type: ignore[no-untyped-def]
        time.sleep(2)

    original = runner_module._load
    runner_module._load = slow  # type: ignore[assignment]
    try:
        outcome = run_chunk([Item("path", str(path), rel="a.txt")],
                            Options(stages=(), max_bytes=1 << 20, timeout=0.2))
    finally:
        runner_module._load = original
    assert outcome.ok == 0
    assert outcome.failures == [(str(path), "time limit exceeded (0.2 s per file)")]


class _Seen:
    """A roll-up that keeps the order in which articles reach it."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    def add(self, article: Article) -> None:
        self.paths.append(Path(article.path).name)

    def merge(self, other: _Seen) -> None:
        self.paths += other.paths


def _mark(article: Article, *, tag: str) -> Article:
    name = Path(article.path).name
    if name == f"bad-{tag}.txt":
        raise ValueError(f"{tag} refused {name}")
    return dataclasses.replace(article, extra={**article.extra, tag: len(article.extra)})


def _nap(article: Article) -> Article:
    time.sleep(0.15)
    return article


@pytest.mark.parametrize("batch_chars", [1, 40, 1 << 20])
def test_stage_by_stage_keeps_input_order_whatever_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_chars: int
) -> None:
    """Failures in different stages, records and roll-ups all come out in input order,
    and every article has been through every stage in turn."""
    import arnews_cli.runner as runner_module

    monkeypatch.setattr(runner_module, "BATCH_CHARS", batch_chars)
    names = ["a.txt", "bad-second.txt", "b.txt", "bad-first.txt", "empty.txt", "c.txt"]
    for name in names:
        (tmp_path / name).write_text("" if name == "empty.txt" else f"عنوان {name}\n\nنص.",
                                     encoding="utf-8")
    stages = (
        Stage("first", functools.partial(_mark, tag="first"), _Seen),
        Stage("second", functools.partial(_mark, tag="second")),
    )
    outcome = run_chunk([Item("path", str(tmp_path / n), rel=n) for n in names],
                        Options(stages=stages, max_bytes=1 << 20))
    assert [Path(name).name for name, _ in outcome.failures] == [
        "bad-second.txt", "bad-first.txt", "empty.txt"]
    assert outcome.failures[0][1] == "second: internal error (ValueError: second refused "\
        "bad-second.txt)"
    records = [json.loads(r) for r in outcome.records]
    assert [Path(r["path"]).name for r in records] == ["a.txt", "b.txt", "c.txt"]
    assert all((r["first"], r["second"]) == (0, 1) for r in records)
    rollup = outcome.rollups[0]
    assert isinstance(rollup, _Seen)
    assert rollup.paths == ["a.txt", "b.txt", "c.txt"]  # failed articles count nowhere


def test_time_limit_is_charged_across_the_stages(tmp_path: Path) -> None:
    """Two stages of 0.15 s each overrun a 0.2 s limit per file, though neither does alone."""
    path = tmp_path / "a.txt"
    path.write_text("عنوان\n\nنص الخبر.", encoding="utf-8")
    stages = (Stage("one", _nap), Stage("two", _nap))
    item = Item("path", str(path), rel="a.txt")
    outcome = run_chunk([item], Options(stages=stages, max_bytes=1 << 20, timeout=0.2))
    assert outcome.failures == [(str(path), "two: time limit exceeded (0.2 s per file)")]
    enough = run_chunk([item], Options(stages=stages, max_bytes=1 << 20, timeout=5))
    assert enough.ok == 1 and not enough.failures


def _spin(article: Article) -> Article:
    end = time.perf_counter() + 3
    while time.perf_counter() < end:
        pass
    return article


def test_every_runaway_in_a_chunk_is_stopped(tmp_path: Path) -> None:
    """After stopping one file the timer still watches the next ones."""
    items = []
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text("عنوان\n\nنص الخبر.", encoding="utf-8")
        items.append(Item("path", str(tmp_path / name), rel=name))
    outcome = run_chunk(items, Options(stages=(Stage("spin", _spin),), max_bytes=1 << 20,
                                       timeout=0.2))
    assert [reason for _, reason in outcome.failures] == [
        "spin: time limit exceeded (0.2 s per file)"] * 3


def test_a_file_with_little_time_left_is_stopped_in_time() -> None:
    """The chunk's timer may be set to ring after a part-spent file's time is up: a call
    for that file sets it earlier."""
    from arnews_cli.runner import _Clock, _Work

    def busy(seconds: float) -> str:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            pass
        return "done"

    work = _Work(Item("path", "a.txt"))
    with _Clock(0.6) as clock:
        assert clock.call(_Work(Item("path", "b.txt")), lambda: busy(0.1)) == "done"
        work.spent = 0.5  # 0.1 s left, while the timer rings 0.5 s from now
        with pytest.raises(TimeoutError, match="0.6 s per file"):
            clock.call(work, lambda: busy(0.4))
        assert clock.call(_Work(Item("path", "c.txt")), lambda: busy(0.01)) == "done"


def test_output_path_stays_inside_the_folder(tmp_path: Path) -> None:
    assert output_path(str(tmp_path), "../../etc/passwd") == tmp_path / "etc" / "passwd.json"
    assert output_path(str(tmp_path), "a/b.txt") == tmp_path / "a" / "b.json"


@pytest.mark.parametrize("jobs", ["-j1", "-j2"])
def test_pipe_closed_early_prints_no_traceback(tree: Path, jobs: str) -> None:
    cmd = f"{sys.executable} -m arnews_cli {jobs} parse {tree} normalize | head -c 100"
    done = subprocess.run(["bash", "-c", cmd], capture_output=True, cwd=ROOT, timeout=60)
    assert len(done.stdout) == 100
    assert b"Traceback" not in done.stderr
    assert b"Exception" not in done.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("jobs", ["-j1", "-j2"])
def test_a_full_disk_is_one_clear_error(tree: Path, jobs: str) -> None:
    with open("/dev/full", "wb") as full:
        done = subprocess.run([sys.executable, "-m", "arnews_cli", "-q", jobs, "parse",
                               str(tree)], stdout=full, stderr=subprocess.PIPE, cwd=ROOT,
                              timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr.decode()
    assert done.stderr.decode().splitlines()[-1] == (
        "Error: cannot write the output: No space left on device")


@pytest.mark.parametrize(("code", "stops"), [(errno.ENOSPC, True), (errno.EACCES, False)])
def test_output_files_that_cannot_be_written(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, stops: bool
) -> None:
    import arnews_cli.runner as runner

    real = runner.write_atomic
    calls = []

    def write_atomic(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) > 3:
            raise OSError(code, os.strerror(code))
        real(path, data)

    monkeypatch.setattr(runner, "write_atomic", write_atomic)
    out = tmp_path / "out"
    result = invoke(["-j1", "--output-dir", str(out), "parse", str(tree)])
    assert result.exit_code == 1
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert len(list(out.rglob("*.json"))) == 3
    assert not list(out.rglob(".tmp-*"))
    if stops:  # a full disk: one message, and the run ends there
        assert len(calls) == 4
        assert result.stderr.splitlines()[-1] == (
            f"Error: cannot write the output: {calls[-1]}: {os.strerror(code)}")
    else:  # one line per file that could not be written; the others go on
        assert len(calls) == len(list(tree.glob("*/*.txt"))) - 2
        assert f"cannot write {calls[-1]}: {os.strerror(code)}" in result.stderr


def test_an_output_folder_closed_to_writing_stops_a_resumed_run(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--resume skips the up-front check (it may write nothing); a folder that denies
    writing is then one message, not one line per input."""
    import arnews_cli.runner as runner

    def denied(path: Path, data: bytes) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(runner, "write_atomic", denied)
    real_access = os.access
    monkeypatch.setattr(runner.os, "access",
                        lambda p, mode: mode != os.W_OK and real_access(p, mode))
    result = invoke(["-j1", "-o", str(out), "--resume", "parse", str(tree)])
    assert result.exit_code == 1
    assert result.stderr.count(os.strerror(errno.EACCES)) == 1, result.stderr


def test_output_files_follow_the_umask(tree: Path, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        assert invoke(["-j1", "--output-dir", str(tmp_path / "o"), "parse", str(tree)]).exit_code
    finally:
        os.umask(old)
    modes = {p.stat().st_mode & 0o777 for p in (tmp_path / "o").rglob("*.json")}
    assert modes == {0o644}


def test_resume_redoes_outputs_cut_short_or_of_a_shorter_chain(
    tree: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert invoke(["-q", "--output-dir", str(out), "parse", str(tree)]).exit_code == 1
    files = sorted(out.rglob("*.json"))
    files[0].write_bytes(b"")  # cut short by something else
    again = invoke(["--output-dir", str(out), "--resume", "parse", str(tree)])
    assert "invalid JSON" not in again.stderr
    assert json.loads(files[0].read_bytes())["schema"] == "arnews/1"
    # a longer chain: the records written by `parse` alone lack its fields
    longer = invoke(["--output-dir", str(out), "--resume", "parse", str(tree), "extract-quotes"])
    assert "already done" not in longer.stderr
    assert all(json.loads(f.read_bytes())["quotes"] is not None for f in files)
    last = invoke(["--output-dir", str(out), "--resume", "parse", str(tree), "extract-quotes"])
    assert f"({len(files)} already done)" in last.stderr


def test_resume_redoes_records_made_with_other_options_or_an_older_input(
    tmp_path: Path,
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    article = src / "a.txt"
    article.write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    record = out / "a.json"

    def run(*chain: str) -> str:
        done = invoke(["-o", str(out), "--resume", "parse", str(src), *chain])
        assert done.exit_code == 0, done.stderr
        return done.stderr

    def tokens() -> dict:  # type: ignore[type-arg]
        return json.loads(record.read_bytes())["tokens"]  # type: ignore[no-any-return]

    run("tokenize")
    assert "already done" in run("tokenize")
    # the same step with other options: done again
    assert "already done" not in run("tokenize", "--scheme", "news")
    assert tokens()["scheme"] == "news"
    run("normalize", "--profile", "minimal", "tokenize", "--scheme", "news")
    assert tokens()["on"] == "normalized"
    assert "already done" not in run("normalize", "tokenize", "--scheme", "news")
    assert json.loads(record.read_bytes())["normalized"]["steps"] != ["controls", "spaces"]
    # a record of a longer chain holds what this one would not write
    assert "already done" not in run("tokenize", "--scheme", "news")
    assert "normalized" not in json.loads(record.read_bytes())
    assert tokens()["on"] == "text"
    # an input edited after its record was written
    article.write_text(SEED.read_text(encoding="utf-8") + "\nسطر جديد.\n", encoding="utf-8")
    os.utime(record, ns=(article.stat().st_mtime_ns - 10**9,) * 2)  # written before the edit
    assert "already done" not in run("tokenize", "--scheme", "news")
    assert json.loads(record.read_bytes())["text"].endswith("سطر جديد.\n")
    assert "already done" in run("tokenize", "--scheme", "news")
    # an input replaced by an older-dated file of the same size (cp -p, rsync -a): its
    # change time tells
    written = record.stat().st_mtime_ns - 10**9
    os.utime(record, ns=(written, written))
    article.write_text(SEED.read_text(encoding="utf-8") + "\nسطر قديم.\n", encoding="utf-8")
    assert len(json.loads(record.read_bytes())["text"].encode()) == article.stat().st_size
    os.utime(article, ns=(written - 10**9, written - 10**9))
    assert "already done" not in run("tokenize", "--scheme", "news")
    assert json.loads(record.read_bytes())["text"].endswith("سطر قديم.\n")


def test_resume_redoes_an_input_edited_while_the_run_worked_on_it(tmp_path: Path) -> None:
    """The record is written after its input was read: an edit in between (of the same
    size) must not make the record look newer than the input."""
    src = tmp_path / "in"
    src.mkdir()
    article = src / "a.txt"
    article.write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    edited = SEED.read_text(encoding="utf-8").replace("قال", "ذكر", 1)

    def edit_meanwhile(read: Article) -> Article:
        time.sleep(0.02)  # past the clock tick of the file system (fine-grained, as tmpfs)
        article.write_text(edited, encoding="utf-8")
        return read

    item = Item("path", str(article), rel="a.txt")
    stages = (Stage("parse"), Stage("edit", fn=edit_meanwhile))
    assert run_chunk([item], Options(stages, 1 << 20, str(out))).ok == 1
    assert json.loads((out / "a.json").read_bytes())["text"] != edited  # what was read
    done = invoke(["-o", str(out), "--resume", "parse", str(src)])
    assert done.exit_code == 0 and "already done" not in done.stderr
    assert json.loads((out / "a.json").read_bytes())["text"] == edited
    assert "already done" in invoke(["-o", str(out), "--resume", "parse", str(src)]).stderr


def test_resume_of_records_on_stdin_compares_them_with_the_input(tmp_path: Path) -> None:
    first = invoke(["--format", "jsonl", "parse", str(SEED)]).stdout.encode()
    out = tmp_path / "out"
    args = ["-o", str(out), "--resume", "extract-quotes"]
    assert "already done" not in invoke(args, input=first).stderr
    assert "already done" in invoke(args, input=first).stderr
    # the same path with another text, or with fields the earlier input did not have
    changed = json.loads(first)
    changed["text"] = changed["text"].replace("قال", "ذكر", 1)
    assert "already done" not in invoke(args, input=json.dumps(changed).encode()).stderr
    normalized = invoke(["--format", "jsonl", "parse", str(SEED), "normalize"]).stdout.encode()
    assert "already done" not in invoke(args, input=normalized).stderr
    assert "already done" in invoke(args, input=normalized).stderr


def test_workers_writing_to_a_file_keep_the_order(tree: Path, tmp_path: Path) -> None:
    """With -j2 and JSON Lines into a file the workers write their records themselves;
    the file is byte for byte the one -j1 writes, and the failures are the same."""
    def run(jobs: str) -> tuple[bytes, list[str], int]:
        out = tmp_path / f"out{jobs}.jsonl"
        with out.open("wb") as sink:
            done = subprocess.run(
                [sys.executable, "-m", "arnews_cli", "-q", jobs, "parse", str(tree),
                 "extract-quotes"], stdout=sink, stderr=subprocess.PIPE, cwd=ROOT, timeout=120,
            )
        return out.read_bytes(), sorted(done.stderr.decode().splitlines()), done.returncode

    one, two = run("-j1"), run("-j2")
    assert one == two
    assert one[2] == 1 and len(one[1]) == 2
    assert len(one[0].splitlines()) == len(list(tree.glob("*/*.txt"))) - 2


@pytest.mark.skipif(sys.platform != "linux", reason="workers write themselves when forked")
def test_a_worker_writes_only_in_its_turn() -> None:
    """A chunk is written by its worker when the chunks before it are written, else
    handed back to the parent, which writes it in turn."""
    import multiprocessing

    from arnews_cli.runner import Outcome, _write_in_turn, _write_or_stop

    counter = multiprocessing.get_context("fork").Value("q", 0)
    read, write = os.pipe()
    try:
        early = Outcome(records=[b"second\n"])
        _write_in_turn(early, 1, counter, write)  # chunk 0 is not written yet
        assert early.records == [b"second\n"] and not early.written
        first = Outcome(records=[b"first\n", b"more\n"])
        _write_in_turn(first, 0, counter, write)
        assert first.written and first.records == [] and counter.value == 1
        _write_or_stop(first, counter, write)  # written already: nothing to do
        _write_or_stop(early, counter, write)
        assert counter.value == 2
        assert os.read(read, 100) == b"first\nmore\nsecond\n"
    finally:
        os.close(read)
        os.close(write)
    with pytest.raises(BrokenPipeError):
        _write_or_stop(Outcome(broken=True), counter, 1)


def _many_articles(tmp_path: Path, count: int) -> Path:
    """A folder of ``count`` long articles: enough work to be interrupted midway."""
    src = tmp_path / "many"
    src.mkdir()
    body = "عنوان الخبر\n\n" + ("قال الوزير إن المحادثات مستمرة. " * 200 + "\n\n") * 20
    for i in range(count):
        (src / f"{i:05}.txt").write_text(body, encoding="utf-8")
    return src


@pytest.mark.parametrize("whole_group", [True, False], ids=["terminal-ctrl-c", "kill-int-parent"])
def test_ctrl_c_exits_130_and_keeps_finished_files(tmp_path: Path, whole_group: bool) -> None:
    src = _many_articles(tmp_path, 3000)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "arnews_cli", "-j2", "--output-dir", str(out), "parse", str(src)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )
    deadline = time.time() + 30
    while time.time() < deadline and not (out.exists() and any(out.glob("*.json"))):
        time.sleep(0.05)
    if whole_group:  # Ctrl-C on a terminal reaches every process of the group
        os.killpg(proc.pid, signal.SIGINT)
    else:  # kill -INT or timeout -s INT reach the parent alone
        os.kill(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert b"Traceback" not in err
    for path in out.glob("*.json"):
        assert json.loads(path.read_bytes())["schema"] == "arnews/1"
    assert not list(out.glob(".tmp-*"))


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["term", "kill-9"])
@pytest.mark.parametrize("jobs", ["-j1", "-j2"])
def test_killed_parent_leaves_no_worker_or_temporary_file(
    tmp_path: Path, how: signal.Signals, jobs: str
) -> None:
    """kill PID (a supervisor, a cancelled job) stops the run as Ctrl-C does, with 143;
    after kill -9 the workers end too, and a reader of the output sees its end."""
    src = _many_articles(tmp_path, 3000)
    out = tmp_path / "out"
    spools = tmp_path / "tmp"  # kill -9 leaves the run's spool folder for a later run
    spools.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "arnews_cli", jobs, "--output-dir", str(out), "parse", str(src)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "TMPDIR": str(spools)},
    )
    deadline = time.time() + 30
    while time.time() < deadline and not (out.exists() and any(out.glob("*.json"))):
        time.sleep(0.05)
    os.kill(proc.pid, how)
    _, err = proc.communicate(timeout=30)  # stdout's end: every writer of it is gone
    assert proc.returncode == (143 if how == signal.SIGTERM else -how), err
    assert b"Traceback" not in err
    done = subprocess.run(["pgrep", "-f", f"arnews_cli {jobs} --output-dir {out}"],
                          capture_output=True)
    assert done.stdout == b""
    if how == signal.SIGTERM:
        assert err.decode().splitlines()[-1] == (
            "arnews: terminated; files already written are complete")
        assert not list(out.glob(".tmp-*"))
        assert not list(spools.iterdir())
    for path in out.glob("*.json"):
        assert json.loads(path.read_bytes())["schema"] == "arnews/1"


def test_ctrl_c_at_any_moment_of_start_up_exits_130(tmp_path: Path) -> None:
    """Ctrl-C while the command imports its modules, reads its options or starts its
    workers: 130 and one line, never a traceback, 'Aborted!' or a crash."""
    src = _many_articles(tmp_path, 200)
    for delay in (0.03, 0.06, 0.09, 0.12, 0.15, 0.2, 0.25, 0.3, 0.4):
        proc = subprocess.Popen(
            [sys.executable, "-m", "arnews_cli", "-j2", "parse", str(src), "extract-quotes"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        )
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        if proc.returncode == 0 and not err:
            continue  # finished before the signal came
        if b"init_import_site" in err or b"Traceback" in err and b"arnews_cli" not in err:
            continue  # Python itself was still starting (site, runpy): no arnews code had run
        # killed by the signal itself before Python set up its handler: the shell says 130
        assert proc.returncode in (130, -signal.SIGINT), (delay, err)
        assert b"Traceback" not in err and b"Aborted" not in err and b"ignored" not in err


_STOP_IN_A_DESTRUCTOR = """
import os, signal, sys
import arnews_cli.cli as c

class Dropped:
    def __del__(self):  # as a Ctrl-C landing in a destructor of the step's imports
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(10_000):  # the handler runs here, inside the destructor
            pass

command = c.cli.commands["extract-quotes"]
callback = command.callback

def dropping(*args, **kwargs):
    Dropped()
    return callback(*args, **kwargs)

command.callback = dropping
sys.argv = ["arnews", *sys.argv[1:]]
from arnews_cli.__main__ import main
main()
"""


def test_ctrl_c_in_a_destructor_while_the_steps_load_still_stops_the_run(
    tmp_path: Path,
) -> None:
    """Raised in a destructor, a stop is printed ('Exception ignored') and dropped: one
    landing while the subcommands import their steps once let the run finish with 0."""
    src = _many_articles(tmp_path, 20)
    driver = tmp_path / "driver.py"
    driver.write_text(_STOP_IN_A_DESTRUCTOR, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(driver), "-j1", "parse", str(src), "extract-quotes"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60,
    )
    assert done.returncode == 130, done.stderr
    assert b"ignored" not in done.stderr and b"Traceback" not in done.stderr


def test_sigterm_at_any_moment_of_start_up_leaves_nothing_behind(tmp_path: Path) -> None:
    """Before the command takes SIGTERM, it dies of it with nothing to clean up; after,
    it stops as on Ctrl-C: 143, no traceback, no worker left."""
    src = _many_articles(tmp_path, 200)
    for delay in (0.05, 0.1, 0.2, 0.3, 0.5):
        proc = subprocess.Popen(
            [sys.executable, "-m", "arnews_cli", "-j2", "parse", str(src), "extract-quotes"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        time.sleep(delay)
        proc.terminate()
        _, err = proc.communicate(timeout=60)  # stdout ends: no worker holds it
        if proc.returncode == 0 and not err:
            continue  # finished before the signal came
        assert proc.returncode in (143, -signal.SIGTERM), (delay, err)
        assert b"Traceback" not in err and b"ignored" not in err, (delay, err)


def test_time_limits_beyond_the_clocks_mean_none(tree: Path) -> None:
    for value in ("inf", "1e300"):
        assert invoke(["-q", "--timeout", value, "parse", str(tree)]).exit_code == 1  # broken
    assert invoke(["--timeout", "nan", "parse", str(tree)]).exit_code == 2


def test_ctrl_c_while_workers_write_stdout(tmp_path: Path) -> None:
    """Interrupted while the workers write JSON Lines themselves: 130 at once, the
    workers gone, every line written before the last one whole."""
    src = _many_articles(tmp_path, 1500)
    sink = tmp_path / "out.jsonl"
    with sink.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "arnews_cli", "-j2", "parse", str(src), "extract-quotes"],
            cwd=ROOT, stdout=out, stderr=subprocess.PIPE, start_new_session=True,
        )
        deadline = time.time() + 30
        while time.time() < deadline and sink.stat().st_size == 0:
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert b"Traceback" not in err
    lines = sink.read_bytes().split(b"\n")
    assert lines[:-2] and all(json.loads(line)["schema"] == "arnews/1" for line in lines[:-2])


def test_progress_counts_the_bytes_of_the_input_files(tree: Path) -> None:
    from arnews_cli.runner import _chunks

    files = sorted(tree.glob("*/*.txt"))
    items = [Item("path", str(f), rel=f.name) for f in files]
    chunks = list(_chunks(items, 4, 8))
    assert sum(c.nbytes for c in chunks) == sum(f.stat().st_size for f in files)
    options = Options((Stage("parse"),), 1 << 20)
    assert run_chunk(chunks[0], options).nbytes == chunks[0].nbytes
    assert run_chunk(list(chunks[0]), options).nbytes == chunks[0].nbytes  # a plain list


def _gc_seen(article: Article) -> Article:
    import gc

    seen = {"pid": os.getpid(), "frozen": gc.get_freeze_count()}
    return dataclasses.replace(article, extra={**article.extra, **seen})


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_workers_never_collect_the_objects_they_share_with_the_parent(tree: Path) -> None:
    """The parent's objects are out of the workers' garbage collector's sight (frozen
    while they are forked), so collecting never copies a page they share; the parent
    collects its own as before."""
    import gc

    from arnews_cli.runner import run

    items = [Item("path", str(p), rel=p.name) for p in sorted(tree.rglob("*.txt"))]
    records, _ = run(items, Options((Stage("parse"), Stage("gc", _gc_seen)), 1 << 20), 2,
                     lambda name, why: None)
    seen = [json.loads(r) for r in records]
    assert seen and all(r["pid"] != os.getpid() and r["frozen"] > 1000 for r in seen)
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("writev", ["whole", "short", "none"])
def test_write_all_writes_every_record_whole_and_in_order(
    writev: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More records than one writev takes, and writes that come back short (as on a
    non-blocking pipe, or cut by a signal): each write goes on where the last stopped."""
    import threading

    if writev == "none":
        monkeypatch.delattr(os, "writev", raising=False)
    elif writev == "short":
        whole = os.writev
        monkeypatch.setattr(os, "writev", lambda fd, buffers: whole(
            fd, [b"".join(buffers)[:777]]))
    records = [f"{i}:".encode() + bytes([65 + i % 26]) * (i % 700) + b"\n"
               for i in range(3000)]
    records.insert(5, b"")
    read, write = os.pipe()
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.extend(iter(lambda: os.read(read, 1000), b"")))
    reader.start()
    try:
        runner.write_all(write, records)
    finally:
        os.close(write)
        reader.join()
        os.close(read)
    assert b"".join(got) == b"".join(records)


def test_chunks_grow_to_the_largest_size() -> None:
    from arnews_cli.runner import _chunks

    items = [Item("path", str(i)) for i in range(400)]
    sizes = [len(c) for c in _chunks(items, 24, 96)]
    assert sizes == [24, 48, 96, 96, 96, 40]
    assert [i for c in _chunks(items, 24, 96) for i in c] == items
    assert [len(c) for c in _chunks(items[:30], 24, 96)] == [24, 6]  # two chunks: parallel


def test_a_chunk_holds_a_bounded_number_of_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import arnews_cli.runner as runner_module

    monkeypatch.setattr(runner_module, "CHUNK_BYTES", 1000)
    big, small = tmp_path / "big.txt", tmp_path / "small.txt"
    big.write_bytes(b"x" * 1500)
    small.write_bytes(b"x" * 100)
    items = [Item("path", str(p)) for p in (small, big, small, small, big)]
    items.append(Item("record", "stdin:1", data=b"{}" * 600))
    sizes = [len(c) for c in runner_module._chunks(items, 24, 96)]
    assert sizes == [2, 3, 1]  # each chunk ends once it holds 1000 bytes


def _chain_output(folder: Path, seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-m", "arnews_cli", "-q", "-j2", "--format", "jsonl", "parse",
         str(folder), "normalize", "tokenize", "extract-quotes", "summarize-sources"],
        cwd=ROOT, env=env, capture_output=True, check=False, timeout=300,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


@pytest.mark.parametrize("where", ["test articles", "corpus"])
def test_output_does_not_depend_on_the_hash_seed(where: str) -> None:
    """Sets iterate in an order that changes with PYTHONHASHSEED, from run to run: no
    record may depend on it (a speaker's entity once did)."""
    folder = DATA / "corpus" if where == "test articles" else CORPUS
    if not folder.is_dir():
        pytest.skip("the ../shared/corpus folder is not present")
    assert _chain_output(folder, "1") == _chain_output(folder, "2")


def test_waiting_for_stdin_is_not_timed_and_stdin_is_never_taken_as_done(
    tmp_path: Path,
) -> None:
    slow = f"(sleep 1.5; cat {SEED}) | {sys.executable} -m arnews_cli --timeout 1 parse -"
    done = subprocess.run(["bash", "-c", slow], capture_output=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["path"] == "-"
    out = tmp_path / "out"
    first = invoke(["-o", str(out), "--resume", "parse", "-"], input=SEED.read_bytes())
    assert first.exit_code == 0
    other = "عنوان آخر\n\nقال الوزير إن الاجتماع انتهى.\n"
    again = invoke(["-o", str(out), "--resume", "parse", "-"], input=other.encode())
    assert "already done" not in again.stderr
    assert json.loads((out / "stdin.json").read_bytes())["text"] == other


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system of bytes")
def test_odd_file_names_are_read_and_shown_on_one_line(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    latin1 = os.fsdecode(b"caf\xe9.txt")  # a name from before UTF-8
    (src / latin1).write_bytes(SEED.read_bytes())
    (src / "x\narnews: y.txt: empty.txt").write_bytes(b"")
    result = invoke(["-j1", "parse", str(src)])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["path"] == f"{src}/caf\\xe9.txt"
    assert f"arnews: {src}/x\\narnews: y.txt: empty.txt: empty file" in result.stderr.splitlines()
    out = tmp_path / "out"
    assert invoke(["-q", "-o", str(out), "parse", str(src)]).exit_code == 1
    assert (out / os.fsdecode(b"caf\xe9.json")).exists()
    again = invoke(["-o", str(out), "--resume", "parse", str(src)])
    assert "1 ok (1 already done), 1 failed" in again.stderr


def test_an_output_folder_among_the_inputs_is_neither_read_nor_written_over(
    tmp_path: Path,
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a.txt", "b.txt"):
        (src / name).write_bytes(SEED.read_bytes())
    inside = src / "zout"  # walked after the inputs wrote their records there
    result = invoke(["-j1", "-o", str(inside), "parse", "--pattern", "*", str(src)])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in inside.rglob("*")) == ["a.json", "b.json"]
    (src / "c.json").write_bytes(SEED.read_bytes())  # an input named as its own output
    (tmp_path / "link").symlink_to(src, target_is_directory=True)
    for out, given in ((src, src), (tmp_path / "link", src), (src, src.as_uri()),
                       (src.as_uri(), src)):
        same = invoke(["-o", str(out), "parse", "--pattern", "*.json", str(given)])
        assert same.exit_code == 1
        assert "its output file would be the input itself" in same.stderr
        assert (src / "c.json").read_bytes() == SEED.read_bytes()
    (src / "c.json").unlink()
    shutil.rmtree(inside)
    url = invoke(["-j1", "-o", str(tmp_path / "in" / "zurl"), "parse", "--pattern", "*",
                  src.as_uri()])
    assert url.exit_code == 0, url.stderr
    assert sorted(p.name for p in (src / "zurl").rglob("*")) == ["a.json", "b.json"]


def test_output_names_clash_nowhere(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "stdin.txt").write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    result = invoke(["-o", str(out), "parse", "-", str(folder)], input=SEED.read_bytes())
    assert result.exit_code == 0
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json")) == [
        "d/stdin.json", "stdin.json"]
    (folder / "stdin.md").write_bytes(SEED.read_bytes())
    url = invoke(["-o", str(tmp_path / "out2"), "parse", "--pattern", "*", folder.as_uri()])
    assert url.exit_code == 1
    assert "is that of another file here" in url.stderr


def test_a_time_limit_waits_for_a_destructor_or_gc_callback_to_end() -> None:
    # raised there the TimeoutError would be printed ("Exception ignored") and lost
    import gc

    from arnews_cli.interrupts import in_finalizer

    seen: list[bool] = []

    def inner() -> None:
        seen.append(in_finalizer(sys._getframe()))

    class Held:
        def __del__(self) -> None:
            inner()

    held = Held()
    del held

    def callback(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and len(seen) < 2:
            inner()

    gc.callbacks.append(callback)
    try:
        gc.collect()
    finally:
        gc.callbacks.remove(callback)
    assert seen == [True, True]
    assert not in_finalizer(sys._getframe())


@pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")
def test_a_worker_forked_while_stops_are_held_ends_when_told_to() -> None:
    """The pool forks its workers with stops held; one told to stop (``SIGTERM``, a run
    interrupted at that moment) before it set its own handler used to go on, and the
    parent waited two seconds before killing it."""
    from arnews_cli.interrupts import ctrl_c_held

    with ctrl_c_held():
        child = os.fork()
        if child == 0:  # pragma: no cover - the child
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)
            os._exit(0)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 128 + signal.SIGTERM


def test_resume_knows_what_a_step_saw_before_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    chain = ["-o", str(out), "--resume", "parse", str(SEED), "tokenize", "normalize"]
    assert "already done" not in invoke(chain).stderr
    assert "1 already done" in invoke(chain).stderr  # tokens of the text, then normalized
    tokenized = invoke(["--format", "jsonl", "parse", str(SEED), "normalize",
                        "tokenize"]).stdout.encode()
    again = ["-o", str(tmp_path / "again"), "--resume", "normalize", "--profile", "search"]
    assert "already done" not in invoke(again, input=tokenized).stderr
    assert "1 already done" in invoke(again, input=tokenized).stderr


def test_resume_redoes_sources_read_without_the_quotes_this_chain_gives(
    tmp_path: Path,
) -> None:
    """Sources read before extract-quotes differ from sources read after it (a speaker
    is a source): the record says which it holds."""
    out = tmp_path / "out"
    base = ["-o", str(out), "--resume", "parse", str(SEED)]
    assert "already done" not in invoke([*base, "summarize-sources", "extract-quotes"]).stderr
    record = json.loads((out / SEED.with_suffix(".json").name).read_bytes())
    assert record["source_summary"]["with_quotes"] is False and record["quotes"]
    assert "already done" in invoke([*base, "summarize-sources", "extract-quotes"]).stderr
    assert "already done" not in invoke([*base, "extract-quotes", "summarize-sources"]).stderr
    record = json.loads((out / SEED.with_suffix(".json").name).read_bytes())
    assert record["source_summary"]["with_quotes"] is True
    assert "already done" in invoke([*base, "extract-quotes", "summarize-sources"]).stderr
    # on stdin, the quotes a record brings count as read before
    quoted = invoke(["--format", "jsonl", "parse", str(SEED), "extract-quotes"]).stdout.encode()
    piped = ["-o", str(tmp_path / "piped"), "--resume", "summarize-sources"]
    assert "already done" not in invoke(piped, input=quoted).stderr
    assert "already done" in invoke(piped, input=quoted).stderr


def test_resume_redoes_records_missing_a_companion_or_holding_what_no_step_wrote(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    target = out / SEED.with_suffix(".json").name

    def resumed(*chain: str) -> bool:
        done = invoke(["-o", str(out), "--resume", "parse", str(SEED), *chain])
        assert done.exit_code == 0, done.stderr
        return "already done" in done.stderr

    def edit(change: Callable[[dict[str, Any]], None]) -> None:
        record = json.loads(target.read_bytes())
        change(record)
        stamp = target.stat().st_mtime_ns
        target.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        os.utime(target, ns=(stamp, stamp))

    sources = ("extract-quotes", "summarize-sources")
    assert not resumed(*sources) and resumed(*sources)
    edit(lambda r: r.pop("source_summary"))
    assert not resumed(*sources) and resumed(*sources)
    edit(lambda r: r.update(batch="x"))  # a key of another tool, added by hand
    assert not resumed(*sources) and resumed(*sources)
    assert not resumed("tokenize") and resumed("tokenize")
    edit(lambda r: r.pop("sentences"))
    assert not resumed("tokenize") and resumed("tokenize")
    # sentences of an earlier tokenize, whose tokens a later normalize dropped
    edit(lambda r: r.pop("tokens"))
    assert not resumed() and resumed()


def test_resume_does_not_wait_on_a_named_pipe_where_a_record_would_be(
    tmp_path: Path,
) -> None:
    for out, given in ((tmp_path / "out", str(tmp_path / "out")),
                       (tmp_path / "url", (tmp_path / "url").as_uri())):
        out.mkdir()
        os.mkfifo(out / SEED.with_suffix(".json").name)
        done = subprocess.run(
            [sys.executable, "-m", "arnews_cli", "-o", given, "--resume", "parse", str(SEED)],
            cwd=ROOT, capture_output=True, timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert json.loads((out / SEED.with_suffix(".json").name).read_bytes())["text"]


def _die_on_the_killer(article: Article) -> Article:
    if article.path.endswith("killer.txt"):
        os._exit(1)  # as the system ends a worker that took too much memory
    return article


def _killer_tree(tmp_path: Path, count: int = 200) -> tuple[list[str], list[Item]]:
    src = tmp_path / "in"
    src.mkdir()
    names = [f"{i:03}.txt" for i in range(count)]
    names[150] = "killer.txt"
    for name in names:
        (src / name).write_text("قال الوزير إن المحادثات مستمرة.\n", encoding="utf-8")
    return names, [Item("path", str(src / name), rel=name) for name in names]


_KILLING = (Stage("parse"), Stage("die", fn=_die_on_the_killer))


@pytest.mark.skipif(sys.platform != "linux", reason="forked workers run the test's step")
def test_an_input_that_kills_its_worker_fails_alone(tmp_path: Path) -> None:
    """A worker ended by the system (out of memory) breaks the whole pool: the inputs in
    hand are run again one at a time, the one that kills a worker fails, the run goes on
    with every other input written once."""
    from arnews_cli.runner import run

    names, items = _killer_tree(tmp_path)
    out = tmp_path / "out"
    failures: list[tuple[str, str]] = []
    options = Options(_KILLING, 1 << 20, str(out), want_records=False)
    records, _ = run(items, options, 2, lambda name, why: failures.append((name, why)))
    assert list(records) == []
    assert failures == [(items[150].name, "the worker process working on it died (out of "
                                          "memory?)")]
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(n.replace(".txt", ".json") for n in names if n != "killer.txt")
    # records collected by the parent come in input order, as with one process
    records, _ = run(items, Options(_KILLING, 1 << 20), 2, lambda name, why: None)
    paths = [json.loads(r)["path"] for r in records]
    assert paths == [item.name for item in items if item.name != items[150].name]


@pytest.mark.skipif(sys.platform != "linux", reason="forked workers run the test's step")
def test_a_pool_found_broken_when_sending_more_work_recovers_too(tmp_path: Path) -> None:
    """The parent busy elsewhere (a slow reader, progress) when the worker dies finds the
    pool broken as it sends the next chunk, not while it waits for one."""
    from arnews_cli.runner import run

    names, items = _killer_tree(tmp_path, 600)
    slept: list[bool] = []

    def slow_progress(outcome: object) -> None:
        if not slept:  # meanwhile the workers reach the input that kills one
            slept.append(True)
            time.sleep(0.5)

    failures: list[tuple[str, str]] = []
    records, _ = run(items, Options(_KILLING, 1 << 20), 2,
                     lambda name, why: failures.append((name, why)), slow_progress)
    paths = [json.loads(r)["path"] for r in records]
    assert paths == [item.name for item in items if item.name != items[150].name]
    assert [name for name, _ in failures] == [items[150].name]


@pytest.mark.skipif(sys.platform != "linux", reason="forked workers run the test's step")
def test_a_worker_that_dies_writing_stdout_stops_the_run_naming_its_inputs(
    tmp_path: Path,
) -> None:
    """Workers writing the output themselves may die holding it: the run stops there,
    saying which inputs were in hand."""
    from arnews_cli.errors import ArnewsError
    from arnews_cli.runner import run

    names, items = _killer_tree(tmp_path)
    with (tmp_path / "out.jsonl").open("wb") as sink:
        records, _ = run(items, Options(_KILLING, 1 << 20), 2, lambda name, why: None,
                         output_fd=sink.fileno())
        with pytest.raises(ArnewsError) as died:
            list(records)
    message = str(died.value)
    assert message.startswith("a worker process died (out of memory?) working on one of the")
    assert message.endswith("); the run stops")
    first, last = message[message.rindex("(") + 1 : -len("); the run stops")].split(" … ")
    order = [item.name for item in items]
    assert order.index(first) <= 150 <= order.index(last)


_CUT_SHORT = r"""
import os, select, signal, struct, sys
from multiprocessing import connection

parent = os.getpid()
send = connection.Connection.send_bytes


def cut_short(self, buf, offset=0, size=None):
    data = bytes(buf)
    if os.getpid() != parent and len(data) > select.PIPE_BUF:
        # killed between the writes of a long message, as the OOM killer may
        os.write(self.fileno(), struct.pack("!i", len(data)) + data[: len(data) // 2])
        os.kill(os.getpid(), signal.SIGKILL)
    return send(self, buf, offset, size)


connection.Connection.send_bytes = cut_short
from arnews_cli.cli import cli

cli.main(sys.argv[1:], prog_name="arnews")
"""


@pytest.mark.skipif(sys.platform != "linux", reason="forked workers inherit the patch")
@pytest.mark.parametrize("where", ["collected", "output-dir"])
def test_no_worker_sends_a_message_it_could_die_halfway_through(
    tmp_path: Path, where: str,
) -> None:
    """The workers' pipe back is shared: a worker killed halfway through a long message
    left the pool waiting for the rest for ever. Every reply is short enough to be
    written whole; long outcomes come through a file."""
    src = make_tree(tmp_path)
    chain = ["parse", str(src), "extract-quotes", "summarize-sources"]
    out = tmp_path / "out"
    extra = ["--format", "json"] if where == "collected" else ["-o", str(out)]
    spool = tmp_path / "tmp"
    spool.mkdir()
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CUT_SHORT, "-j2", *extra, *chain], cwd=ROOT,
            capture_output=True, timeout=60, env={**os.environ, "TMPDIR": str(spool)},
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the run hung on a worker killed in the middle of its reply")
    assert done.returncode == 1, done.stderr  # the broken folder's two files
    assert b"died" not in done.stderr
    alone = invoke(["-j1", *(["--format", "json"] if where == "collected" else
                            ["-o", str(tmp_path / "alone")]), *chain])
    if where == "collected":
        assert json.loads(done.stdout) == json.loads(alone.stdout)
    else:
        ours = sorted(p.relative_to(out) for p in out.rglob("*.json"))
        assert ours == sorted(p.relative_to(tmp_path / "alone")
                              for p in (tmp_path / "alone").rglob("*.json"))
        assert len(ours) > 10
    assert list(spool.iterdir()) == []  # the files that held long outcomes are gone


def test_the_spool_folders_of_killed_runs_are_removed_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    host = runner._host()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    left = tmp_path / f"arnews-spool-{host}-{gone.pid}-k1ll3d"
    left.mkdir()
    (left / f"{gone.pid}-0123456789ab.outcome").write_bytes(b"an outcome")
    running = tmp_path / f"arnews-spool-{host}-{os.getpid()}-st1ll"  # a run going on
    elsewhere = tmp_path / f"arnews-spool-other.4026531836-{gone.pid}-th3r3"
    huge = tmp_path / f"arnews-spool-{host}-99999999999999999999-x"  # no process id
    recent = tmp_path / f"arnews-spool-{host}-{gone.pid}-r3c3nt"  # may be in use elsewhere
    for folder in (running, elsewhere, huge, recent):
        folder.mkdir()
    (tmp_path / f"arnews-spool-{host}-2147483648-x").write_bytes(b"")
    for folder in (left, running, elsewhere, huge):
        os.utime(folder, (1, 1))
    spool = runner.make_spool()
    assert spool is not None and Path(spool).parent == tmp_path
    assert not left.exists()
    assert running.is_dir() and elsewhere.is_dir() and huge.is_dir() and recent.is_dir()
    # tempfile's last resort, the current folder, is no place for it
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TMPDIR", raising=False)
    assert runner.make_spool() is None
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # unless named
    assert runner.make_spool() is not None
    if os.name == "posix" and os.access("/tmp", os.W_OK):  # or the usual one
        monkeypatch.delenv("TMPDIR")
        monkeypatch.setattr(tempfile, "tempdir", "/tmp")
        monkeypatch.chdir("/tmp")
        usual = runner.make_spool()
        assert usual is not None and Path(usual).parent == Path("/tmp")
        Path(usual).rmdir()


@pytest.mark.skipif(sys.platform != "linux", reason="forked workers")
def test_a_result_file_removed_before_it_is_read(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A cleaner of temporary files removing a worker's result: the chunk is done again
    in this process, unless its worker may have written to the output already."""
    from arnews_cli.errors import ArnewsError
    from arnews_cli.runner import run

    items = [Item("path", str(p), rel=p.name) for p in sorted(tree.rglob("*.txt"))]
    options = Options((Stage("parse"),), 1 << 20)
    alone, _ = run(items, options, 1, lambda name, why: None)
    expected = list(alone)
    unspool = runner.unspool

    def removed_first(reply: bytes | str) -> runner.Outcome:
        if isinstance(reply, str) and not lost:
            lost.append(reply)
            os.unlink(reply)
        return unspool(reply)

    monkeypatch.setattr(runner, "unspool", removed_first)
    lost: list[str] = []
    records, _ = run(items, options, 2, lambda name, why: None)
    assert list(records) == expected and lost
    lost.clear()
    monkeypatch.setattr(runner, "_INLINE", -1)  # even the outcome of records written
    with (tmp_path / "out.jsonl").open("wb") as sink:
        records, _ = run(items, options, 2, lambda name, why: None, output_fd=sink.fileno())
        with pytest.raises(ArnewsError, match="the result of a worker process was lost"):
            list(records)


@pytest.mark.skipif(sys.platform != "linux", reason="forked workers inherit the patch")
@pytest.mark.parametrize("spool", ["none", "unwritable"])
def test_outcomes_come_through_the_pipe_when_the_spool_folder_fails(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spool: str,
) -> None:
    """No usable temporary folder, or a full one: the long outcomes go through the pipe
    as they used to, rather than failing the run as if the output had."""
    alone = invoke(["-j1", "--format", "json", "parse", str(tree), "extract-quotes"])
    folder = None if spool == "none" else str(tmp_path / "full")
    monkeypatch.setattr(runner, "make_spool", lambda: folder)
    two = invoke(["-j2", "--format", "json", "parse", str(tree), "extract-quotes"])
    assert two.exit_code == alone.exit_code == 1, two.stderr  # the broken folder
    assert json.loads(two.stdout) == json.loads(alone.stdout)
    assert "cannot write" not in two.stderr


def test_resume_of_a_record_on_stdin_passes_on_the_rest_of_it(tmp_path: Path) -> None:
    first = json.loads(invoke(["--format", "jsonl", "parse", str(SEED)]).stdout)
    args = ["-o", str(tmp_path / "out"), "--resume", "extract-quotes"]

    def resumed(given: dict[str, Any]) -> bool:
        done = invoke(args, input=json.dumps(given, ensure_ascii=False).encode())
        assert done.exit_code == 0, done.stderr
        return "already done" in done.stderr

    assert not resumed(first) and resumed(first)
    [record] = (tmp_path / "out").rglob("*.json")
    for changed in ({**first, "batch": "x"}, {**first, "blocks": first["blocks"][:1]},
                    {**first, "encoding": "windows-1256"}):
        assert not resumed(changed)
        kept = json.loads(record.read_bytes())
        assert {k: kept[k] for k in changed} == changed
        assert resumed(changed)


@pytest.mark.parametrize("chain", [
    ["tokenize", "normalize", "tokenize"],  # the last tokenize's tokens are in the record
    ["normalize", "tokenize", "normalize", "--profile", "search"],  # which drops them
    ["normalize", "tokenize", "--on", "text", "normalize", "--profile", "search"],  # keeps
], ids=["tokenize-twice", "tokens-dropped", "tokens-kept"])
def test_resume_keeps_records_of_chains_that_write_a_field_twice(
    tmp_path: Path, chain: list[str]
) -> None:
    out = tmp_path / "out"
    args = ["-o", str(out), "--resume", "parse", str(SEED), *chain]
    assert "already done" not in invoke(args).stderr
    assert "1 already done" in invoke(args).stderr
    target = out / SEED.with_suffix(".json").name
    record = json.loads(target.read_bytes())
    if record.get("tokens") is not None:  # a record without the tokens this chain keeps
        record.pop("tokens")
        stamp = target.stat().st_mtime_ns
        target.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        os.utime(target, ns=(stamp, stamp))
        assert "already done" not in invoke(args).stderr


def test_normalizing_again_the_same_way_keeps_the_tokens() -> None:
    tokenized = invoke(["--format", "jsonl", "parse", str(SEED), "normalize",
                        "tokenize"]).stdout.encode()
    same = invoke(["--format", "jsonl", "normalize"], input=tokenized)
    assert json.loads(same.stdout) == json.loads(tokenized)


def test_records_on_stdin_are_laid_out_as_parse_lays_out_their_input(tmp_path: Path) -> None:
    seed = SEED.read_bytes()
    by_parse = invoke(["-o", str(tmp_path / "one"), "parse", "-", "extract-quotes"], input=seed)
    assert by_parse.exit_code == 0, by_parse.stderr
    assert (tmp_path / "one" / "stdin.json").exists()
    piped = invoke(["--format", "jsonl", "parse", "-"], input=seed).stdout
    records = [json.loads(piped)] * 3
    records[1] = {**records[1], "path": (tmp_path / "in" / "a.txt").as_uri()}
    records[2] = {**records[2], "path": f"/{tmp_path}/b.txt"}  # "//" is a root of its own
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    done = invoke(["-o", str(tmp_path / "two"), "extract-quotes"], input=lines)
    assert done.exit_code == 0, done.stderr
    made = sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*.json"))
    inside = tmp_path.relative_to("/")
    assert made == sorted([Path("stdin.json"), inside / "in" / "a.json", inside / "b.json"])
    assert not (tmp_path / "in").exists() and not (tmp_path / "b.json").exists()


def test_a_stop_landing_in_a_destructor_still_stops_the_run() -> None:
    """Raised inside ``__del__``, Terminated would be printed ("Exception ignored") and
    dropped, and the run would go on to exit 0."""
    script = (
        "import os, signal, sys, time\n"
        "from arnews_cli.interrupts import take_stops\n"
        "take_stops()\n"
        "class Slow:\n"
        "    def __del__(self):\n"
        "        os.kill(os.getpid(), signal.SIGTERM)\n"
        "        time.sleep(0.05)  # the handler runs here, inside the destructor\n"
        "try:\n"
        "    Slow()\n"
        "    time.sleep(2)\n"
        "except KeyboardInterrupt as exc:\n"
        "    print(type(exc).__name__)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=30)
    assert done.stdout.strip() == b"Terminated", done.stderr
    assert b"ignored" not in done.stderr


def test_resume_redoes_inputs_behind_a_repointed_link(tmp_path: Path) -> None:
    """A link moved to another folder of older files: the times do not tell, the sizes
    do (as for a folder run again from another working directory)."""
    for month, extra in (("2024-01", ""), ("2024-02", "\nقال الوزير إن الاجتماع أُلغي.\n")):
        (tmp_path / month).mkdir()
        (tmp_path / month / "a.txt").write_text(SEED.read_text(encoding="utf-8") + extra,
                                                encoding="utf-8")
        old = time.time_ns() - 10**10
        os.utime(tmp_path / month / "a.txt", ns=(old, old))
    current = tmp_path / "current"
    current.symlink_to("2024-01")
    out = tmp_path / "out"
    args = ["-o", str(out), "--resume", "parse", str(current)]
    assert invoke(args).exit_code == 0
    current.unlink()
    current.symlink_to("2024-02")
    done = invoke(args)
    assert done.exit_code == 0 and "already done" not in done.stderr
    assert "أُلغي" in json.loads((out / "a.json").read_bytes())["text"]
    assert "already done" in invoke(args).stderr


def test_names_in_a_folder_with_nothing_to_read_are_reported(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / "a.txt")
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(folder / "pipe.txt")
    os.mkfifo(folder / "pipe.dat")  # not a name the run would read
    result = invoke(["parse", str(folder)])
    assert result.exit_code == 1 and len(result.stdout.splitlines()) == 1
    assert f"{folder / 'gone.txt'}: broken symbolic link" in result.stderr
    assert f"{folder / 'pipe.txt'}: not a regular file" in result.stderr
    assert "pipe.dat" not in result.stderr


def test_a_record_path_no_file_can_have_is_one_line(tmp_path: Path) -> None:
    record = json.loads(invoke(["--format", "jsonl", "parse", str(SEED)]).stdout)
    lines = [json.dumps({**record, "path": "a\x00b.txt"}),
             json.dumps({**record, "path": "file:///tmp/a%00b.txt"}), json.dumps(record)]
    for debug in ([], ["--debug"]):
        out = tmp_path / f"out{len(debug)}"
        done = invoke([*debug, "-o", str(out), "extract-quotes"],
                      input="\n".join(lines).encode())
        assert done.exit_code == 1
        # a record is named by its line and, once read, its article's path
        assert "stdin:1 (a\\x00b.txt): its path holds a NUL character" in done.stderr
        assert "stdin:2 (file:///tmp/a%00b.txt): its path holds a NUL" in done.stderr
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr
        assert len(list(out.rglob("*.json"))) == 1


def test_file_urls_are_percent_decoded_and_listed_names_read_back(tmp_path: Path) -> None:
    # Path.as_uri() percent-encodes the space and the Arabic letters; a listed name
    # holding "%20" must come back as itself, not as the other file's name
    folder = tmp_path / "أخبار محلية"
    folder.mkdir()
    (folder / "a b.txt").write_bytes(SEED.read_bytes())
    (folder / "a%20b.txt").write_bytes(SEED.read_bytes() + b"\n")
    url = folder.as_uri()
    assert "%20" in url and "أ" not in url
    out = tmp_path / "out"
    first = invoke(["-j1", "-o", str(out), "parse", url])
    assert first.exit_code == 0, first.stderr
    records = {p.name: json.loads(p.read_bytes()) for p in out.rglob("*.json")}
    assert sorted(records) == ["a b.json", "a%20b.json"]
    assert records["a%20b.json"]["text"].endswith("\n")
    for record in records.values():  # each record's path names its own file
        assert record["path"].startswith(url + "/")
        local = local_path(record["path"])
        assert local is not None
        assert Path(local).read_text(encoding="utf-8") == record["text"]
    again = invoke(["-j1", "-o", str(out), "--resume", "parse", url])
    assert "(2 already done)" in again.stderr
    for spelling in (f"{url}/a%2520b.txt", f"file://localhost{folder}/a%2520b.txt"):
        single = invoke(["-j1", "parse", spelling])
        assert single.exit_code == 0 and json.loads(single.stdout)["text"].endswith("\n")
    # records on stdin are laid out as parse lays out the files: by their names
    relaid = tmp_path / "relaid"
    done = invoke(["-o", str(relaid), "extract-quotes"], input=_joined_records(out))
    assert done.exit_code == 0, done.stderr
    assert sorted(p.name for p in relaid.rglob("*.json")) == ["a b.json", "a%20b.json"]


def _joined_records(out: Path) -> bytes:
    return b"\n".join(p.read_bytes().strip() for p in sorted(out.rglob("*.json")))


def test_file_url_output_folder_is_percent_decoded_too(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "x%41.txt").write_bytes(SEED.read_bytes())
    out = tmp_path / "my out"
    result = invoke(["-j1", "-o", out.as_uri(), "parse", str(src)])
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in out.rglob("*.json")] == ["x%41.json"]
    assert not (tmp_path / "my%20out").exists()


def test_records_written_beside_their_inputs_are_not_read_as_inputs_again(
    tmp_path: Path,
) -> None:
    src = tmp_path / "news"
    (src / "sub").mkdir(parents=True)
    shutil.copy(SEED, src / "a.txt")
    shutil.copy(SEED, src / "sub" / "b")  # no extension: its record is b.json
    for given in (str(src), src.as_uri()):
        for args in ([], ["--resume"]):
            run = invoke(["-j1", "-o", str(src), *args, "parse", "--pattern", "*", given])
            assert run.exit_code == 0, run.stderr
            assert "2 ok" in run.stderr
    assert sorted(p.relative_to(src).as_posix() for p in src.rglob("*")) == [
        "a.json", "a.txt", "sub", "sub/b", "sub/b.json"]
    assert json.loads((src / "a.json").read_bytes())["path"].endswith("a.txt")
    (src / "a.txt").unlink()  # a record left without its input is an input again
    orphan = invoke(["-j1", "-o", str(src), "parse", "--pattern", "*", str(src)])
    assert orphan.exit_code == 1
    assert "a.json: its output file would be the input itself" in orphan.stderr
    # only a record is taken for one: another program's file, or a folder, is no input
    (src / "c.txt").write_bytes(SEED.read_bytes())
    (src / "c.json").write_text('{"url": "https://example.com/c"}', encoding="utf-8")
    (src / "sub.json").write_bytes((src / "sub" / "b.json").read_bytes())
    (src / "a.json").unlink()
    theirs = invoke(["-j1", "-o", str(src), "parse", "--pattern", "*", str(src)])
    assert theirs.exit_code == 1
    assert "c.txt: its output c.json is that of another file here" in theirs.stderr
    assert "sub.json: its output file would be the input itself" in theirs.stderr
    assert (src / "c.json").read_text(encoding="utf-8") == '{"url": "https://example.com/c"}'
    # given with another input, the folder's records go to a folder of its name: what
    # lies beside the inputs is input, whether given as a path or a URL
    (src / "sub.json").unlink()
    (tmp_path / "other").mkdir()
    shutil.copy(SEED, tmp_path / "other" / "o.txt")
    for given in (str(src), src.as_uri()):
        both = invoke(["-j1", "-o", str(src), "parse", "--pattern", "*", given,
                       str(tmp_path / "other")])
        assert "sub/b.json: its output " in both.stderr, both.stderr


def test_a_file_url_output_folder_is_checked_and_skipped_like_a_path(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "a").mkdir(parents=True)
    for k in range(3):
        shutil.copy(SEED, src / "a" / f"{k}.txt")
    (src / "zz").mkdir()
    shutil.copy(SEED, src / "zz" / "last.txt")
    out = src / "zz" / "out"  # inside the input, made by the run, listed after its records
    result = invoke(["-j1", "-o", out.as_uri(), "parse", "--pattern", "*", str(src)])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json")) == [
        "a/0.json", "a/1.json", "a/2.json", "zz/last.json"]
    blocked = tmp_path / "afile"
    blocked.write_text("x")
    refused = invoke(["-j1", "-o", blocked.as_uri(), "parse", str(src / "a")])
    assert refused.exit_code == 1 and "cannot create the output folder" in refused.stderr
    assert refused.stderr.count("\n") == 1  # one message, not one per input


def test_rollup_paths_may_be_file_urls_and_nothing_else(tmp_path: Path) -> None:
    out = tmp_path / "o"
    rollup = out / "my rollup.json"  # in the output folder the run makes
    result = invoke(["-j1", "-o", out.as_uri(), "parse", str(SEED), "summarize-sources",
                     "--rollup", rollup.as_uri(), "--rollup-csv",
                     (tmp_path / "r%x.csv").as_uri()])
    assert result.exit_code == 0, result.stderr
    assert json.loads(rollup.read_bytes())["articles"] == 1
    assert (tmp_path / "r%x.csv").read_text(encoding="utf-8").startswith("section,")
    assert not any(p.name.startswith("file:") for p in Path.cwd().iterdir())
    remote = invoke(["parse", str(SEED), "summarize-sources", "--rollup", "s3://b/r.json"])
    assert remote.exit_code == 2 and "not to a URL" in remote.stderr


def test_a_folder_as_path_and_as_url_is_one_folder(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    shutil.copy(SEED, plain / "a.txt")
    for given in ([str(plain), plain.as_uri()], [plain.as_uri(), f"file://localhost{plain}/"]):
        out = tmp_path / f"out{len(list(tmp_path.iterdir()))}"
        result = invoke(["-j1", "-o", str(out), "parse", *given])
        assert result.exit_code == 1  # the second is the first again: reported
        assert "already has the output name" in result.stderr
        assert [p.relative_to(out).as_posix() for p in out.rglob("*.json")] == ["plain/a.json"]


def test_file_url_of_the_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(SEED, tmp_path / "a b.txt")
    monkeypatch.chdir(tmp_path)
    result = invoke(["-j1", "parse", "file://"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["path"] == "file://a b.txt"


def test_resume_keeps_only_what_this_run_would_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    small = tmp_path / "small"
    small.mkdir()
    shutil.copy(SEED, small / "a.txt")
    (small / "big.txt").write_bytes(SEED.read_bytes() * 400)  # over 1 MiB
    monkeypatch.chdir(tmp_path)
    first = invoke(["-j1", "-o", "out", "parse", "--max-size", "2", "small"])
    assert first.exit_code == 0, first.stderr
    # a smaller --max-size refuses the big file, as a fresh run would
    smaller = invoke(["-j1", "-o", "out", "--resume", "parse", "--max-size", "1", "small"])
    assert smaller.exit_code == 1 and "big.txt: file larger than 1 MiB" in smaller.stderr
    assert "(1 already done)" in smaller.stderr
    # the same files spelled otherwise make other records (their path says so)
    again = invoke(["-j1", "-o", "out", "--resume", "parse", "./small/a.txt"])
    assert again.exit_code == 0 and "already done" not in again.stderr
    assert json.loads((tmp_path / "out" / "a.json").read_bytes())["path"] == "./small/a.txt"


def test_resume_keeps_records_of_files_with_the_marks_decoding_drops(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    text = SEED.read_text(encoding="utf-8")
    (src / "bom.txt").write_bytes(text.encode("utf-8-sig"))
    (src / "two.txt").write_bytes(("\ufeff" + text).encode("utf-8-sig"))
    (src / "wide.txt").write_bytes(("\ufeff" + text).encode("utf-16"))
    (src / "nul.txt").write_bytes(text.encode() + b"\x00" * 7)
    # NUL padding as long as a BOM, or after two BOMs
    (src / "pad8.txt").write_bytes(text.encode("utf-8-sig") + b"\x00" * 3)
    (src / "pad16.txt").write_bytes(text.encode("utf-16") + b"\x00" * 2)
    (src / "pad32.txt").write_bytes(text.encode("utf-32") + b"\x00" * 4)
    (src / "twopad.txt").write_bytes(("\ufeff" + text).encode("utf-16-be") + b"\x00" * 6)
    (src / "twopad.txt").write_bytes(codecs.BOM_UTF16_BE + (src / "twopad.txt").read_bytes())
    out = tmp_path / "out"
    first = invoke(["-j1", "-o", str(out), "parse", str(src)])
    assert first.exit_code == 0, first.stderr
    again = invoke(["-j1", "-o", str(out), "--resume", "parse", str(src)])
    assert "8 ok (8 already done)" in again.stderr, again.stderr
    # a link repointed to an older file three bytes longer, not by a BOM: only its size tells
    (tmp_path / "other.txt").write_bytes(text.encode("utf-8-sig") + b"abc")
    (tmp_path / "older.txt").write_bytes(("\ufeff" + text).encode("utf-8-sig"))
    (src / "two.txt").unlink()
    (src / "two.txt").symlink_to(tmp_path / "older.txt")
    linked = invoke(["-j1", "-o", str(out), "parse", str(src)])
    assert linked.exit_code == 0, linked.stderr
    (src / "two.txt").unlink()
    (src / "two.txt").symlink_to(tmp_path / "other.txt")
    changed = invoke(["-j1", "-o", str(out), "--resume", "parse", str(src)])
    assert "8 ok (7 already done)" in changed.stderr, changed.stderr


def test_resume_removes_the_temporary_files_a_killed_run_left(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEED, src / "a.txt")
    out = tmp_path / "out"
    # a worker killed with SIGKILL mid-write: its process is gone, its file stays
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = runner._host()
    (out / "sub").mkdir(parents=True)
    stale = out / "sub" / f".tmp-{host}-{dead.pid}-0123456789ab.part"
    live = out / f".tmp-{host}-{os.getpid()}-0123456789ab.part"  # a run still going
    remote = out / f".tmp-elsewhere-{dead.pid}-0123456789ab.part"  # another machine's
    for path in (stale, live, remote):
        path.write_bytes(b"{")
    result = invoke(["-j1", "-o", str(out), "--resume", "parse", str(src)])
    assert result.exit_code == 0, result.stderr
    assert not stale.exists() and live.exists() and remote.exists()
    assert (out / "a.json").exists()


def test_record_paths_of_listed_file_urls_are_urls_any_reader_resolves(tmp_path: Path) -> None:
    from urllib.parse import urlsplit
    from urllib.request import url2pathname

    folder = tmp_path / "d"
    folder.mkdir()
    shutil.copy(SEED, folder / "b#1?.txt")
    result = invoke(["-j1", "parse", folder.as_uri()])
    assert result.exit_code == 0, result.stderr
    path = json.loads(result.stdout)["path"]
    assert Path(url2pathname(urlsplit(path).path)) == folder / "b#1?.txt"
    assert local_path(path) == str(folder / "b#1?.txt")
