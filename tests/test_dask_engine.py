"""The Dask engine gives the local engine's results; inputs and outputs as fsspec URLs."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed")
pytest.importorskip("fsspec")

import dask  # noqa: E402
import fsspec  # noqa: E402
from click.testing import CliRunner, Result  # noqa: E402
from distributed import LocalCluster  # noqa: E402

import arnews_cli.dask_engine as dask_engine  # noqa: E402
from arnews_cli import runner  # noqa: E402
from arnews_cli.article import Article  # noqa: E402
from arnews_cli.cli import cli  # noqa: E402
from arnews_cli.deadline import thread_time_limit  # noqa: E402
from arnews_cli.io import DEFAULT_MAX_BYTES, expand_paths  # noqa: E402
from arnews_cli.pipeline import Failures, Stage  # noqa: E402
from arnews_cli.runner import Item, Options  # noqa: E402
from arnews_cli.storage import RemotePath, is_url  # noqa: E402

from .conftest import SEED, make_tree  # noqa: E402

# The scheduler's HTTP endpoint takes another port when 8787 is taken (another run here).
pytestmark = pytest.mark.filterwarnings("ignore:Port 8787 is already in use")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """Two single-threaded worker processes on loopback, shared by the whole module."""
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
        host="127.0.0.1",
    ) as cluster:
        yield str(cluster.scheduler_address)


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Several chunks per run, so order and streaming across workers are exercised."""
    monkeypatch.setattr(dask_engine, "CHUNK", 4)
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """Every test article, in their subfolders, plus two broken files."""
    return make_tree(tmp_path, None)


def invoke(args: list[str], **kwargs: Any) -> Result:
    return CliRunner().invoke(cli, args, catch_exceptions=False, **kwargs)


def failure_lines(result: Result) -> list[str]:
    """The per-input failure lines on stderr (not the summary), sorted."""
    lines = [line for line in result.stderr.splitlines() if line.startswith("arnews: /")]
    return sorted(lines)


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_records_equal_the_local_engine(tree: Path, scheduler: str) -> None:
    local = invoke(["-j1", "parse", str(tree)])
    dask_run = invoke(["--engine", "dask", "--scheduler", scheduler, "parse", str(tree)])
    assert local.exit_code == dask_run.exit_code == 1
    assert dask_run.stdout == local.stdout
    assert len(dask_run.stdout.splitlines()) == len(list(tree.glob("*/*.txt"))) - 2


def test_broken_files_are_reported_with_path_and_reason(tree: Path, scheduler: str) -> None:
    local = invoke(["-j1", "parse", str(tree)])
    result = invoke(["--engine", "dask", "--scheduler", scheduler, "parse", str(tree)])
    assert result.exit_code == 1
    assert f"arnews: {tree / 'broken' / 'empty.txt'}: empty file" in result.stderr
    assert f"arnews: {tree / 'broken' / 'binary.txt'}:" in result.stderr
    assert "2 input(s) failed" in result.stderr
    assert failure_lines(result) == failure_lines(local)


def test_json_lines_from_stdin_run_on_the_cluster(tree: Path, scheduler: str) -> None:
    parsed = invoke(["-j1", "parse", str(tree / "ant-cnn-arabic")]).stdout
    local = invoke(["-j1", "extract-quotes"], input=parsed)
    result = invoke(["--engine", "dask", "--scheduler", scheduler, "extract-quotes"],
                    input=parsed + "not json\n")
    assert result.stdout == local.stdout and local.stdout.count("\n") >= 5
    assert result.exit_code == 1 and "stdin:" in result.stderr and "invalid JSON" in result.stderr


def test_output_dir_files_equal_the_local_engine(
    tree: Path, tmp_path: Path, scheduler: str
) -> None:
    mine, theirs = tmp_path / "local", tmp_path / "dask"
    local = invoke(["-j2", "--output-dir", str(mine), "parse", str(tree)])
    result = invoke(
        ["--engine", "dask", "--scheduler", scheduler, "--output-dir", str(theirs), "parse",
         str(tree)]
    )
    assert local.exit_code == result.exit_code == 1
    assert result.stdout == ""
    written = files(theirs)
    assert written == files(mine)
    assert len(written) == len(list(tree.glob("*/*.txt"))) - 2
    assert not any(".tmp-" in name for name in written)


def test_full_chain_and_source_roll_up_equal_the_local_engine(
    tree: Path, tmp_path: Path, scheduler: str
) -> None:
    chain = ["parse", str(tree), "extract-quotes", "summarize-sources", "--rollup"]
    local = invoke(["-j2", *chain, str(tmp_path / "local.json")])
    result = invoke(["--engine", "dask", "--scheduler", scheduler, *chain,
                     str(tmp_path / "dask.json")])
    assert local.exit_code == result.exit_code == 1
    assert result.stdout == local.stdout
    assert '"quotes":[{' in result.stdout and '"source_summary":{' in result.stdout
    rollup = (tmp_path / "dask.json").read_bytes()
    assert rollup == (tmp_path / "local.json").read_bytes()
    assert json.loads(rollup)["articles"] == len(result.stdout.splitlines())


def test_resume_on_the_cluster_skips_what_is_done(
    tree: Path, tmp_path: Path, scheduler: str
) -> None:
    out = tmp_path / "out"
    args = ["--engine", "dask", "--scheduler", scheduler, "--output-dir", str(out)]
    assert invoke([*args, "parse", str(tree)]).exit_code == 1
    victim = next(iter(sorted(out.rglob("*.json"))))
    victim.unlink()
    again = invoke([*args, "--resume", "parse", str(tree)])
    assert again.exit_code == 1
    assert victim.exists()
    assert "already done" in again.stderr


def test_file_urls_in_and_out_on_the_cluster(tree: Path, tmp_path: Path, scheduler: str) -> None:
    out = tmp_path / "out"
    local = invoke(["-j1", "parse", str(tree)])
    result = invoke(
        ["--engine", "dask", "--scheduler", scheduler, "parse", tree.as_uri()]
    )
    assert result.exit_code == 1
    assert f"arnews: {tree.as_uri()}/broken/empty.txt: empty file" in result.stderr
    expected = [json.loads(line) for line in local.stdout.splitlines()]
    got = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r.pop("path") for r in got] == ["file://" + r.pop("path") for r in expected]
    assert got == expected
    written = invoke(
        ["--engine", "dask", "--scheduler", scheduler, "--output-dir", out.as_uri(), "parse",
         tree.as_uri()]
    )
    assert written.exit_code == 1
    assert sorted(files(out)) == sorted(
        p.relative_to(tree).with_suffix(".json").as_posix() for p in tree.glob("*/*.txt")
        if p.parent.name != "broken"
    )


def test_memory_urls_in_and_out(tree: Path) -> None:
    """``memory://`` lives in one process, so this runs the local engine in-process."""
    fs = fsspec.filesystem("memory")
    for path in tree.rglob("*.txt"):
        fs.pipe_file(f"/arnews-in/{path.relative_to(tree).as_posix()}", path.read_bytes())
    fs.pipe_file("/arnews-in/.hidden/skip.txt", b"x")
    try:
        local = invoke(["-j1", "parse", str(tree)])
        result = invoke(["-j1", "--output-dir", "memory://arnews-out", "parse",
                         "memory://arnews-in"])
        assert result.exit_code == 1
        assert "arnews: memory://arnews-in/broken/empty.txt: empty file" in result.stderr
        names = sorted(fs.find("/arnews-out"))
        assert len(names) == len(local.stdout.splitlines())
        first = json.loads(fs.cat_file(names[0]))
        assert first["path"] == "memory://arnews-in/" + names[0].removeprefix("/arnews-out/")[
            :-len(".json")] + ".txt"
        again = invoke(["-j1", "--output-dir", "memory://arnews-out", "--resume", "parse",
                        "memory://arnews-in"])
        assert "already done" in again.stderr
        streamed = invoke(["-j1", "parse", "memory://arnews-in"])
        assert [json.loads(r)["text"] for r in streamed.stdout.splitlines()] == [
            json.loads(r)["text"] for r in local.stdout.splitlines()
        ]
    finally:
        fs.rm("/arnews-in", recursive=True)
        if fs.exists("/arnews-out"):
            fs.rm("/arnews-out", recursive=True)


def test_missing_url_and_unknown_protocol_are_input_failures() -> None:
    result = invoke(["-j1", "parse", "memory://arnews-nothing-here", "nosuchfs://x"])
    assert result.exit_code == 1
    assert "memory://arnews-nothing-here: no such file or directory" in result.stderr
    assert "nosuchfs://x: cannot open URL" in result.stderr
    assert is_url("s3://bucket/key") and is_url("simplecache::s3://b/k")
    assert not is_url("corpus/a.txt") and not is_url("C:\\corpus")


def test_remote_writes_leave_no_temporary_file() -> None:
    target = RemotePath("memory://arnews-atomic/a/b.json")
    target.write_atomic(b"{}\n")
    target.write_atomic(b"{}\n")  # a retried chunk writes the same file again
    fs = fsspec.filesystem("memory")
    try:
        assert target.exists() and target.read_bytes() == b"{}\n"
        assert fs.find("/arnews-atomic") == ["/arnews-atomic/a/b.json"]
    finally:
        fs.rm("/arnews-atomic", recursive=True)


def test_scheduler_from_the_environment(tree: Path, scheduler: str) -> None:
    local = invoke(["-j1", "parse", str(tree)])
    result = invoke(["--engine", "dask", "parse", str(tree)],
                    env={"DASK_SCHEDULER_ADDRESS": scheduler})
    assert result.stdout == local.stdout
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        unreachable = invoke(["--engine", "dask", "parse", str(tree)],
                             env={"DASK_SCHEDULER_ADDRESS": "tcp://127.0.0.1:9"})
    assert unreachable.exit_code == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in unreachable.stderr


def test_without_an_address_a_local_cluster_of_j_workers_is_started(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import distributed

    started: list[dict[str, Any]] = []

    class Spy(LocalCluster):  # type: ignore[misc]
        def __init__(self, **kwargs: Any) -> None:
            started.append(kwargs)
            super().__init__(**kwargs)

    monkeypatch.setattr(distributed, "LocalCluster", Spy)
    some = tree / "ant-bbc-arabic"
    local = invoke(["-j1", "parse", str(some)])
    result = invoke(["--engine", "dask", "-j1", "parse", str(some)])
    assert result.exit_code == local.exit_code == 0
    assert result.stdout == local.stdout
    assert [(k["n_workers"], k["processes"]) for k in started] == [(1, True)]


def test_usage_errors(tree: Path) -> None:
    assert invoke(["--scheduler", "tcp://127.0.0.1:8786", "parse", str(tree)]).exit_code == 2
    assert invoke(["--engine", "dask", "parse", "-"], input="نص").exit_code == 2


class CountWords:
    """A roll-up (word count per folder) to check partial roll-ups merge as locally."""

    def __init__(self) -> None:
        self.words: dict[str, int] = {}

    def add(self, article: Article) -> None:
        folder = Path(article.path).parent.name
        self.words[folder] = self.words.get(folder, 0) + len(article.text.split())

    def merge(self, other: CountWords) -> None:
        for key, value in other.words.items():
            self.words[key] = self.words.get(key, 0) + value


def crash_once(article: Article, *, victim: str, marker: str) -> Article:
    """Kill the worker process the first time ``victim`` is seen (``marker`` remembers)."""
    if article.path.endswith(victim) and not os.path.exists(marker):
        Path(marker).write_text("crashed")
        os._exit(1)
    return article


def items_of(tree: Path) -> list[Item]:
    failures = Failures()
    return [Item("path", p, rel=r) for p, r in expand_paths([str(tree)], failures)]


def test_roll_ups_merge_and_a_lost_worker_is_recomputed(
    tree: Path, tmp_path: Path, scheduler: str
) -> None:
    from functools import partial

    marker = tmp_path / "crashed"
    crash = partial(crash_once, victim="ant-cnn-arabic/00042.txt", marker=str(marker))
    stages = (Stage("crash", crash, CountWords),)
    options = Options(stages=stages, max_bytes=DEFAULT_MAX_BYTES, output_dir=str(tmp_path / "o"))
    marker.write_text("not this time")  # the local reference run must not crash
    local_failed: list[tuple[str, str]] = []
    records, rollups = runner.run(
        items_of(tree), options, 1, lambda n, r: local_failed.append((n, r))
    )
    expected = list(records)
    marker.unlink()
    failed: list[tuple[str, str]] = []
    got, merged = dask_engine.run(
        items_of(tree), options, 2, lambda n, r: failed.append((n, r)), address=scheduler
    )
    assert list(got) == expected
    assert marker.read_text() == "crashed"  # a worker really died on the way
    assert sorted(failed) == sorted(local_failed) and len(failed) == 2
    first, second = rollups[0], merged[0]
    assert isinstance(first, CountWords) and isinstance(second, CountWords)
    assert second.words == first.words and sum(first.words.values()) > 1000


def test_time_limit_works_off_the_main_thread() -> None:
    """Dask runs tasks in worker threads, where no signal can interrupt them."""
    caught: list[BaseException] = []

    def busy() -> None:
        for seconds in (0.1, 0.2):  # the watchdog goes on after firing once
            try:
                with thread_time_limit(seconds):
                    deadline = time.monotonic() + 30
                    while time.monotonic() < deadline:
                        pass
            except TimeoutError as exc:
                caught.append(exc)

    thread = threading.Thread(target=busy)
    thread.start()
    thread.join(90)
    assert [str(e) for e in caught] == ["0.1 s per file", "0.2 s per file"]
    # a block that ends in time is not interrupted afterwards
    done: list[str] = []

    def quick() -> None:
        with thread_time_limit(5):
            pass
        time.sleep(0.01)
        done.append("ok")

    thread = threading.Thread(target=quick)
    thread.start()
    thread.join(60)
    assert done == ["ok"]


def test_help_and_local_runs_do_not_import_dask(tree: Path) -> None:
    code = (
        "import sys; from click.testing import CliRunner; from arnews_cli.cli import cli; "
        "CliRunner().invoke(cli, ['--help']); "
        f"CliRunner().invoke(cli, ['-j1', 'parse', {str(tree)!r}]); "
        "print(sorted(m for m in ('dask', 'distributed', 'fsspec') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]", done.stderr


def test_an_output_folder_that_cannot_be_made_stops_a_local_cluster_at_once(
    tmp_path: Path,
) -> None:
    (tmp_path / "file").write_text("x")
    result = CliRunner().invoke(cli, ["--engine", "dask", "-o", str(tmp_path / "file" / "out"),
                                      "parse", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: cannot create the output folder {tmp_path / 'file' / 'out'}: Not a directory"]


def test_special_file_by_url_is_not_called_missing(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = invoke(["-j1", "parse", fifo.as_uri()])
    assert result.exit_code == 1
    assert f"{fifo.as_uri()}: not a regular file or directory" in result.stderr


def test_resume_redoes_inputs_edited_since_through_file_urls(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    article = folder / "a.txt"
    article.write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    for given, output in ((str(folder), out.as_uri()), (folder.as_uri(), str(out))):
        args = ["-o", output, "--resume", "parse", given]
        assert invoke(args).exit_code == 0
        record = out / "a.json"
        written = record.stat().st_mtime_ns - 10**9  # written before the edit
        os.utime(record, ns=(written, written))
        # an edit that keeps the size: only the times tell
        article.write_bytes(SEED.read_bytes().replace("رويترز".encode(), "رويتزر".encode()))
        done = invoke(args)
        assert done.exit_code == 0 and "already done" not in done.stderr, given
        assert "رويتزر" in json.loads(record.read_bytes())["text"]
        article.write_bytes(SEED.read_bytes())
        shutil.rmtree(out)


def test_object_keys_are_laid_out_as_written() -> None:
    # '#' and '?' are part of a key: two records must not land on one file
    fs = fsspec.filesystem("memory")
    for key in ("g#h.txt", "g.txt", "q?r.txt"):
        fs.pipe_file(f"/arnews-keys/in dir/{key}", SEED.read_bytes())
    try:
        records = invoke(["-j1", "parse", "memory://arnews-keys/in dir/"])
        assert records.exit_code == 0, records.stderr
        laid = invoke(["-j1", "-o", "memory://arnews-keys-out", "extract-quotes"],
                      input=records.stdout.encode())
        assert laid.exit_code == 0, laid.stderr
        assert sorted(fs.find("/arnews-keys-out")) == [
            f"/arnews-keys-out/arnews-keys/in dir/{n}.json" for n in ("g#h", "g", "q?r")]
    finally:
        for folder in ("/arnews-keys", "/arnews-keys-out"):
            if fs.exists(folder):
                fs.rm(folder, recursive=True)


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signal masks")
def test_ctrl_c_while_local_workers_start_stops_the_run_once_they_have() -> None:
    # the workers must inherit an ignored Ctrl-C, yet this process must not lose one:
    # a thread that starts a helper process (multiprocessing's resource tracker, as the
    # cluster does) unblocks the signals in itself, and would receive it, ignored
    from multiprocessing import resource_tracker

    from arnews_cli import dask_engine

    def start_helper() -> None:
        resource_tracker.ensure_running()
        time.sleep(0.5)

    before = signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt):
        with dask_engine._workers_ignore_ctrl_c():
            helper = threading.Thread(target=start_helper)
            helper.start()
            time.sleep(0.2)
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.1)
            helper.join()
    assert signal.getsignal(signal.SIGINT) is before
