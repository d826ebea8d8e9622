from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from arnews_cli import pipeline
from arnews_cli.article import Article
from arnews_cli.cli import article_step, cli
from arnews_cli.errors import ArnewsError

from .conftest import ROOT, SEED

ARTICLE = "عنوان الخبر\n\nقال الوزير إن المحادثات مستمرة.\n\nوأضاف أن الوفد سيعود غدا.\n"


def invoke(args: list[str], input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(cli, args, input=input, catch_exceptions=False)


def records(result: Result) -> list[dict[str, object]]:
    return [json.loads(line) for line in result.stdout.split("\n") if line]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b" / "c.txt").write_text(ARTICLE.replace("الوزير", "السفير"), encoding="utf-8")
    (tmp_path / "b" / "notes.md").write_text("# not an article", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(ARTICLE, encoding="utf-8")
    return tmp_path


def test_auto_format_is_jsonl_off_a_terminal() -> None:
    result = invoke(["parse", str(SEED)])
    assert result.exit_code == 0
    (record,) = records(result)
    assert record["schema"] == "arnews/1"
    kinds = [b["kind"] for b in record["blocks"]]  # type: ignore[index]
    assert kinds.count("caption") == 2 and kinds.count("subheading") == 2
    assert kinds[0] == "headline" and kinds[-1] == "credit"
    assert "\\u06" not in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("fmt", ["table", "text"])
def test_terminal_views(fmt: str) -> None:
    result = invoke(["--format", fmt, "parse", str(SEED)])
    assert result.exit_code == 0
    assert "عمليات انتقامية" in result.stdout
    assert "subheading" in result.stdout


def test_json_format_is_one_array(folder: Path) -> None:
    result = invoke(["--format", "json", "parse", str(folder)])
    data = json.loads(result.stdout)
    assert [Path(r["path"]).name for r in data] == ["a.txt", "c.txt"]


def test_directory_equals_its_files_in_sorted_order(folder: Path) -> None:
    whole = invoke(["parse", str(folder)])
    files = invoke(["parse", str(folder / "a.txt"), str(folder / "b" / "c.txt")])
    assert whole.stdout == files.stdout
    assert len(records(whole)) == 2


def test_pattern_option(folder: Path) -> None:
    result = invoke(["parse", "--pattern", "*.md", str(folder)])
    assert [Path(r["path"]).name for r in records(result)] == ["notes.md"]  # type: ignore[arg-type]


def test_paths_end_at_the_next_command(folder: Path) -> None:
    seen: list[str] = []

    @cli.command("probe-step")
    def probe() -> pipeline.Stage:
        def fn(a: Article) -> Article:
            seen.append(a.path)
            return a

        return article_step("probe-step", fn)

    try:
        result = invoke(["-j1", "parse", str(folder / "a.txt"), str(folder / "b"), "probe-step"])
    finally:
        cli.commands.pop("probe-step")
    assert result.exit_code == 0
    assert len(seen) == 2


def test_stdin_dash_reads_raw_text() -> None:
    result = invoke(["parse", "-"], input=ARTICLE.encode("utf-8"))
    (record,) = records(result)
    assert record["path"] == "-"
    assert record["text"] == ARTICLE


def test_piped_form_equals_chained_form(folder: Path) -> None:
    parsed = invoke(["parse", str(folder)]).stdout
    piped = invoke(["view"], input=parsed.encode("utf-8"))
    assert piped.exit_code == 0
    assert piped.stdout == parsed
    assert invoke(["parse", str(folder), "view"]).stdout == parsed


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"\x00\x01\x02\x03" * 100, "binary file"),
        (b"\xff\xfe\x00\xd8\x41\x00", "cannot decode as utf-16"),
        ("نص عربي قديم من أرشيف".encode("cp1256"), None),
    ],
)
def test_bad_file_among_good_ones(folder: Path, content: bytes, reason: str | None) -> None:
    bad = folder / "bad.txt"
    bad.write_bytes(content)
    result = invoke(["parse", str(folder)])
    paths = [Path(r["path"]).name for r in records(result)]  # type: ignore[arg-type]
    if reason is None:  # decodable as Windows-1256: it is text
        assert "bad.txt" in paths
        return
    assert result.exit_code == 1
    assert paths == ["a.txt", "c.txt"]
    lines = result.stderr.splitlines()
    assert f"arnews: {bad}: {reason}" in lines[0]
    assert "Traceback" not in result.stderr


def test_missing_path_and_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = invoke(["parse", str(tmp_path / "nope.txt"), str(tmp_path / "empty"), str(SEED)])
    assert result.exit_code == 1
    assert len(records(result)) == 1
    assert f"arnews: {tmp_path / 'nope.txt'}: no such file or directory" in result.stderr
    assert f"arnews: {tmp_path / 'empty'}: no files matching '*.txt'" in result.stderr


def test_invalid_json_on_stdin_is_reported_with_line_number() -> None:
    good = invoke(["parse", str(SEED)]).stdout
    result = invoke(["view"], input=("{oops\n" + good + '{"schema": "x"}\n').encode("utf-8"))
    assert result.exit_code == 1
    assert len(records(result)) == 1
    assert "arnews: stdin:1: invalid JSON" in result.stderr
    assert "arnews: stdin:3: not an arnews/1 record (schema: 'x')" in result.stderr


def test_a_record_line_over_the_limit_is_refused_not_held(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A stream with no line breaks (``< /dev/zero``) once grew in memory until the
    system ended the run."""
    import arnews_cli.io

    good = invoke(["parse", str(SEED)]).stdout.encode("utf-8")
    monkeypatch.setattr(arnews_cli.io, "MAX_RECORD_BYTES", len(good))
    junk = b"x" * (5 * len(good))
    result = invoke(["view"], input=good + junk + b"\n" + good + junk)
    assert result.exit_code == 1
    assert len(records(result)) == 2
    limit = f"a record longer than {len(good)} bytes; not read"
    assert result.stderr.count(limit) == 2
    assert f"arnews: stdin:2: {limit}" in result.stderr
    assert f"arnews: stdin:4: {limit}" in result.stderr
    # a record as long as the limit, with or without its line break, is read
    assert len(records(invoke(["view"], input=good + good.rstrip(b"\n")))) == 2


def test_usage_errors_exit_2() -> None:
    assert invoke(["parse"]).exit_code == 2
    assert invoke(["--format", "xml", "parse", str(SEED)]).exit_code == 2
    assert invoke(["no-such-command"]).exit_code == 2


def test_a_misspelt_command_is_a_usage_error_not_a_missing_file(folder: Path) -> None:
    result = invoke(["parse", str(folder), "extract-quote", "summarize-sources"])
    assert result.exit_code == 2
    assert "did you mean 'extract-quotes'?" in result.stderr
    assert result.stdout == ""


def test_json_with_output_dir_leaves_stdout_to_the_roll_up(folder: Path, tmp_path: Path) -> None:
    result = invoke(["--format", "json", "-o", str(tmp_path / "out"), "parse", str(folder),
                     "summarize-sources", "--rollup", "-"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["schema"] == "arnews/rollup/1"
    bare = invoke(["--format", "json", "-o", str(tmp_path / "out"), "parse", str(folder)])
    assert bare.stdout == ""


@pytest.mark.parametrize("resume", [False, True])
def test_output_dir_needs_no_stdout(tmp_path: Path, resume: bool) -> None:
    import subprocess

    out = tmp_path / "out"
    args = [sys.executable, "-m", "arnews_cli", "-q", "-o", str(out),
            *(["--resume"] if resume else []), "parse", str(SEED)]
    for _ in range(2 if resume else 1):
        done = subprocess.run(args, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                              close_fds=True, timeout=60,
                              preexec_fn=lambda: os.close(1))
        assert done.returncode == 0, done.stderr
    assert len(list(out.glob("*.json"))) == 1


def test_version_and_help() -> None:
    assert invoke(["--version"]).stdout.startswith("arnews, version")
    assert "Exit status" in invoke(["-h"]).stdout


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_commands_have_help_with_example(name: str) -> None:
    command = cli.commands[name]
    assert command.help and "Example" in command.help
    result = invoke([name, "--help"])
    assert result.exit_code == 0
    assert "arnews" in result.stdout


def test_stream_writes_first_record_before_a_later_failure(monkeypatch: pytest.MonkeyPatch,
                                                            folder: Path) -> None:
    """The chain streams: a crash on the second article cannot lose the first."""
    from arnews_cli.steps import parse as parse_module

    real = parse_module.parse_file
    calls = 0

    def flaky(path: str, max_bytes: int | None = None) -> Article:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("boom")
        return real(path, max_bytes)

    # parse_file, which the engine looks up as it runs, not a function it calls, which a
    # compiled build binds at compile time
    monkeypatch.setattr(parse_module, "parse_file", flaky)
    with pytest.raises(RuntimeError):
        CliRunner().invoke(cli, ["--debug", "parse", str(folder)], catch_exceptions=False)


def test_a_bug_while_parsing_is_reported_and_the_batch_goes_on(
    monkeypatch: pytest.MonkeyPatch, folder: Path
) -> None:
    from arnews_cli.steps import parse as parse_module

    real = parse_module.parse_file

    def flaky(path: str, max_bytes: int | None = None) -> Article:
        if path.endswith("a.txt"):
            raise RuntimeError("boom")
        return real(path, max_bytes)

    monkeypatch.setattr(parse_module, "parse_file", flaky)
    result = invoke(["-j1", "parse", str(folder)])
    assert result.exit_code == 1
    assert [Path(r["path"]).name for r in records(result)] == ["c.txt"]  # type: ignore[arg-type]
    assert f"arnews: {folder / 'a.txt'}: internal error (RuntimeError: boom)" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bug_in_a_step_is_reported_and_the_batch_goes_on(folder: Path) -> None:
    @cli.command("explode")
    def explode() -> pipeline.Stage:
        def fn(a: Article) -> Article:
            if a.path.endswith("a.txt"):
                raise ZeroDivisionError("division by zero")
            return a

        return article_step("explode", fn)

    try:
        result = invoke(["parse", str(folder), "explode"])
    finally:
        cli.commands.pop("explode")
    assert result.exit_code == 1
    assert [Path(r["path"]).name for r in records(result)] == ["c.txt"]  # type: ignore[arg-type]
    assert "a.txt: explode: internal error (ZeroDivisionError: division by zero)" in result.stderr


def _failing_step(exc: Exception) -> None:
    """Register an ``explode`` command that raises ``exc`` on a.txt."""

    @cli.command("explode")
    def explode() -> pipeline.Stage:
        def fn(a: Article) -> Article:
            if a.path.endswith("a.txt"):
                raise exc
            return a

        return article_step("explode", fn)


@pytest.mark.parametrize("jobs", ["-j1", "-j2"])
@pytest.mark.parametrize(
    ("exc", "reason"),
    [(ArnewsError("not an article"), "not an article"),
     (TimeoutError("5 s"), "time limit exceeded (5 s)")],
)
def test_debug_reports_an_input_failure_in_a_step_and_goes_on(
    folder: Path, jobs: str, exc: Exception, reason: str
) -> None:
    """--debug is for bugs: a failure of the input is one line, as in loading."""
    _failing_step(exc)
    try:
        result = invoke(["--debug", jobs, "parse", str(folder), "explode"])
    finally:
        cli.commands.pop("explode")
    assert result.exit_code == 1
    assert [Path(r["path"]).name for r in records(result)] == ["c.txt"]  # type: ignore[arg-type]
    assert f"a.txt: explode: {reason}" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_raises_a_bug_in_a_step(folder: Path) -> None:
    _failing_step(ZeroDivisionError("division by zero"))
    try:
        with pytest.raises(ZeroDivisionError):
            invoke(["--debug", "-j1", "parse", str(folder), "explode"])
    finally:
        cli.commands.pop("explode")


def test_python_dash_m_entry_point() -> None:
    import subprocess

    out = subprocess.run([sys.executable, "-m", "arnews_cli", "--version"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.startswith("arnews, version")


def test_click_is_the_only_cli_dependency_of_steps() -> None:
    import pathlib

    steps = pathlib.Path(click.__file__).parent  # noqa: F841 - click importable
    src = pathlib.Path(__file__).parents[1] / "src" / "arnews_cli" / "steps"
    for module in src.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        assert "import click" not in text and "import rich" not in text, module.name


def test_help_lists_commands_in_pipeline_order() -> None:
    out = CliRunner().invoke(cli, ["--help"]).output
    listed = [line.split()[0] for line in out.split("Commands:")[1].splitlines() if line.strip()]
    assert listed == ["parse", "normalize", "tokenize", "extract-quotes", "summarize-sources",
                      "view"]


def test_table_view_shows_bracketed_text_as_it_is(tmp_path: Path) -> None:
    article = tmp_path / "wp.txt"
    article.write_text("عنوان الخبر\n\n[caption id=\"a_12\"]صورة الوزير[/caption]\n\n"
                       "قال الوزير [b]إن الوضع مستقر[/b] اليوم.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--format", "table", "parse", str(article)])
    assert result.exit_code == 0, result.output
    assert '[caption id="a_12"]صورة الوزير[/caption]' in result.output
    assert "[b]إن الوضع مستقر[/b]" in result.output
    assert "[utf-8" in result.output  # the title's facts are text too


@pytest.mark.parametrize("fmt", ["table", "text", "jsonl"])
def test_a_reader_that_stops_early_is_no_failure(fmt: str) -> None:
    import subprocess

    folder = Path(__file__).parent / "data" / "corpus" / "ant-bbc-arabic"
    cmd = (f"{sys.executable} -m arnews_cli --format {fmt} parse {folder} extract-quotes"
           " | head -c 100; exit ${PIPESTATUS[0]}")
    done = subprocess.run(["bash", "-c", cmd], capture_output=True, timeout=60)
    assert (done.returncode, done.stderr) == (0, b"")


@pytest.mark.parametrize(
    ("args", "closed", "message"),
    [
        ("parse -", "<&-", "standard input is closed"),
        ("extract-quotes", "<&-", "standard input is closed"),
        (f"-o OUT parse {SEED} summarize-sources --rollup -", ">&-",
         "standard output is closed"),
    ],
)
def test_closed_standard_streams_are_one_error(
    tmp_path: Path, args: str, closed: str, message: str
) -> None:
    import subprocess

    args = args.replace("OUT", str(tmp_path / "out"))
    cmd = f"{sys.executable} -m arnews_cli {args} {closed}"
    done = subprocess.run(["bash", "-c", cmd], capture_output=True, timeout=60)
    assert done.returncode == 1
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {message}"), lines


def test_a_roll_up_path_that_cannot_be_written_stops_before_the_run(tmp_path: Path) -> None:
    for path, reason in ((tmp_path / "no" / "r.json", "no folder"),
                         (tmp_path, "is a directory")):
        result = invoke(["parse", str(SEED), "summarize-sources", "--rollup-csv", str(path)])
        assert result.exit_code == 2
        assert reason in result.stderr
        assert result.stdout == ""  # nothing was run


def test_resume_into_a_folder_that_cannot_be_made_is_one_error(tmp_path: Path) -> None:
    result = invoke(["-o", str(SEED / "out"), "--resume", "parse", str(SEED)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "cannot create the output folder" in result.stderr


def test_parse_options_may_follow_the_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.md").write_bytes(SEED.read_bytes())
    (tmp_path / "b.txt").write_bytes(SEED.read_bytes())
    result = invoke(["--format", "jsonl", "parse", str(tmp_path), "--pattern", "*.md",
                     "extract-quotes"])
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["path"] for line in result.stdout.splitlines()] == [
        str(tmp_path / "a.md")]
    assert invoke(["parse", str(SEED), "--max-size", "x"]).exit_code == 2
    assert invoke(["parse", str(SEED), "--max-size"]).exit_code == 2
    assert "Usage: " in invoke(["parse", str(SEED), "--help"]).stdout
    # a file whose name starts with '-' is still a path, where it exists or after '--'
    dashed = tmp_path / "-dash.md"
    dashed.write_bytes(SEED.read_bytes())
    monkeypatch.chdir(tmp_path)
    for args in (["b.txt", "-dash.md"], ["--pattern", "*.md", "--", "-dash.md", "b.txt"]):
        result = invoke(["--format", "jsonl", "parse", *args])
        assert result.exit_code == 0, result.stderr
        assert len(result.stdout.splitlines()) == 2


def test_json_lines_saved_with_a_byte_order_mark_are_read() -> None:
    record = invoke(["--format", "jsonl", "parse", str(SEED)]).stdout.encode()
    result = invoke(["--format", "jsonl", "extract-quotes"], input=b"\xef\xbb\xbf" + record)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["quotes"]


def test_roll_ups_go_into_the_output_folder_a_pipe_or_a_device(tmp_path: Path) -> None:
    out = tmp_path / "out"
    into = invoke(["-o", str(out), "parse", str(SEED), "summarize-sources", "--rollup",
                   str(out / "roll" / "up.json")])
    assert into.exit_code == 0, into.stderr
    assert json.loads((out / "roll" / "up.json").read_bytes())["schema"] == "arnews/rollup/1"
    assert invoke(["parse", str(SEED), "summarize-sources", "--rollup-csv",
                   os.devnull]).exit_code == 0
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    import threading

    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    assert invoke(["parse", str(SEED), "summarize-sources", "--rollup",
                   str(fifo)]).exit_code == 0
    reader.join(10)
    assert json.loads(got[0])["schema"] == "arnews/rollup/1"


@pytest.mark.parametrize("fmt", ["text", "table"])
def test_views_show_control_characters_escaped(tmp_path: Path, fmt: str) -> None:
    article = tmp_path / "a.txt"
    text = SEED.read_text(encoding="utf-8")
    article.write_text(text[:40] + "\x1b]0;PWNED\x07" + text[40:], encoding="utf-8")
    result = invoke(["--format", fmt, "parse", str(article)])
    assert result.exit_code == 0
    assert "\x1b]0" not in result.stdout and "\x07" not in result.stdout
    assert "\\x1b]0;PWNED\\x07" in result.stdout


def test_runs_with_stderr_closed(tmp_path: Path) -> None:
    """Started with ``2>&-`` (a cron job, a supervisor), the run still writes its
    records; its messages go nowhere."""
    command = f'"{sys.executable}" -m arnews_cli parse "{SEED}" extract-quotes 2>&-'
    done = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, timeout=60)
    assert done.returncode == 0
    assert len(done.stdout.splitlines()) == 1


def test_output_folder_that_is_a_broken_link_says_so(tmp_path: Path) -> None:
    link = tmp_path / "out"
    link.symlink_to(tmp_path / "gone" / "out")
    result = invoke(["-o", str(link), "parse", str(SEED)])
    assert result.exit_code == 1
    assert f"cannot create the output folder {link}: a broken symbolic link" in result.stderr


def test_a_bug_outside_any_article_is_one_line_without_debug(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    import io

    from arnews_cli import __main__ as entry
    from arnews_cli import render

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a rendering bug")

    monkeypatch.setattr(render, "render_articles", broken)
    record = subprocess.run([sys.executable, "-m", "arnews_cli", "parse", str(SEED)],
                            capture_output=True, check=True).stdout
    for debug in ([], ["--debug"]):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(record)))
        monkeypatch.setattr(sys, "argv", ["arnews", *debug, "--format", "text", "view"])
        if debug:
            with pytest.raises(RuntimeError):
                entry.main()
            continue
        with pytest.raises(SystemExit) as stop:
            entry.main()
        assert stop.value.code == 1
        err = capsys.readouterr().err
        assert err == ("arnews: internal error (RuntimeError: a rendering bug); run with "
                       "--debug to see where\n")


def test_ctrl_c_wrapped_by_an_import_is_an_interruption(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    """Ctrl-C landing in ``__set_name__`` while a step's module builds a class comes out
    of Python 3.11 as a ``RuntimeError``: still an interruption, not a bug."""
    from arnews_cli import __main__ as entry

    def importing(*args: object, **kwargs: object) -> None:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as exc:
            raise RuntimeError("Error calling __set_name__ on 'cached_property'") from exc

    monkeypatch.setattr(entry, "_load", lambda: importing)
    monkeypatch.setattr(sys, "argv", ["arnews", "--debug", "parse", str(SEED)])
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with pytest.raises(SystemExit) as stop:
            entry.main()
        # once stopping, it ignores further stops (which later tests' commands would inherit)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    assert stop.value.code == 130
    assert capsys.readouterr().err == "arnews: interrupted\n"


def test_both_rollups_on_stdout_are_refused(tmp_path: Path) -> None:
    result = invoke(["-o", str(tmp_path / "o"), "parse", str(SEED), "summarize-sources",
                     "--rollup", "-", "--rollup-csv", "-"])
    assert result.exit_code == 2 and "name the same file" in result.stderr
