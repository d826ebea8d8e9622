"""The progress line on a terminal's stderr, and the failures shown around it."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from arnews_cli.cli import cli
from arnews_cli.progress import Progress

from .conftest import make_tree


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _lines(screen: str) -> list[str]:
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen)
    return [line.strip() for line in re.split(r"[\r\n]", plain) if line.strip()]


def test_failures_print_above_the_line_and_count(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = _Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    reported: list[str] = []
    with Progress(True, reported.append) as progress:
        assert progress._bar is not None
        progress.report("a.txt: empty file")
    assert reported == []  # printed by the progress console, not beside it
    assert "arnews: a.txt: empty file" in _lines(screen.getvalue())
    assert progress.totals.failed == 1


def test_records_written_while_the_line_shows_stay_on_stdout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the line shows because stdout is a file: text written there must stay there
    monkeypatch.setattr("sys.stderr", _Terminal())
    data = io.StringIO()
    monkeypatch.setattr("sys.stdout", data)
    with Progress(True) as progress:
        assert progress._bar is not None
        print("a record")
    assert data.getvalue() == "a record\n"


def test_no_line_when_the_records_go_to_the_same_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stderr", _Terminal())
    reported: list[str] = []
    with Progress(True, reported.append, records_on_terminal=True) as progress:
        assert progress._bar is None
        progress.report("a.txt: empty file")
    assert reported == ["a.txt: empty file"]
    assert progress.totals.failed == 1


def test_the_summary_counts_every_failure(tmp_path: Path) -> None:
    tree = make_tree(tmp_path, 12)
    result = CliRunner().invoke(
        cli, ["-o", str(tmp_path / "out"), "parse", str(tree), str(tmp_path / "missing")]
    )
    assert result.exit_code == 1
    ok = len(list(tree.glob("*/*.txt"))) - 2
    # two broken files and a missing path
    assert f"arnews: {ok} ok, 3 failed" in result.stderr
    assert "arnews: 3 input(s) failed" in result.stderr


def test_no_line_over_an_article_typed_at_the_terminal(tmp_path: Path) -> None:
    import os
    import pty
    import subprocess
    import sys
    import time

    master, slave = pty.openpty()
    out = tmp_path / "typed.jsonl"
    with out.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "arnews_cli", "parse", "-"],
                                stdin=slave, stdout=sink, stderr=slave)
        os.close(slave)
        time.sleep(1.5)  # the line would be drawing by now
        os.write(master, "قال الوزير إن الاجتماع انتهى.\n".encode() + b"\x04")
        proc.wait(timeout=30)
    screen = _drawn(master)
    assert proc.returncode == 0
    assert b"files" not in screen  # no progress line was drawn
    assert json.loads(out.read_bytes())["text"].startswith("قال الوزير")


def _on_terminal(args: list[str], stdin: bytes | None = None,
                 stdout: Any = None) -> tuple[int, bytes]:
    """Run arnews with stderr on a pseudo-terminal: its exit status and what it drew."""
    import os
    import pty
    import subprocess
    import sys

    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "arnews_cli", *args],
                            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                            stdout=stdout if stdout is not None else subprocess.PIPE,
                            stderr=slave, env={**os.environ, "TERM": "xterm"})
    os.close(slave)
    proc.communicate(stdin, timeout=120)
    return proc.returncode, _drawn(master)


def _drawn(master: int) -> bytes:
    """Everything written to a pseudo-terminal whose other end is closed; closes it."""
    import os

    screen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    os.close(master)
    return screen


def test_in_a_pipeline_only_the_last_command_draws_the_line(tmp_path: Path) -> None:
    # arnews parse … | arnews extract-quotes > out: both stderrs are the terminal, and
    # two lines redrawn there overwrite each other; `| head` would print into the line
    import subprocess
    import sys

    from .conftest import SEED

    records = subprocess.run([sys.executable, "-m", "arnews_cli", "parse", str(SEED)],
                             capture_output=True, check=True).stdout * 300
    status, screen = _on_terminal(["-j1", "parse", str(SEED)])  # stdout: a pipe
    assert status == 0
    assert b"\x1b[?25l" not in screen and b"files/s" not in screen  # no line
    # its lines are named after its command, and clear the line another one draws
    assert screen.startswith(b"\r\x1b[2Karnews parse: 1 ok, 0 failed")
    with (tmp_path / "q.jsonl").open("wb") as sink:
        status, screen = _on_terminal(["-j1", "extract-quotes"], records, sink)
    assert status == 0
    assert b"\x1b[?25l" in screen  # the last command of the pipeline draws it
    assert b"arnews extract-quotes: 300 ok, 0 failed" in screen
    with (tmp_path / "q.jsonl").open("wb") as sink:
        status, screen = _on_terminal(["-j1", "--no-progress", "extract-quotes"], records, sink)
    assert b"\x1b[?25l" not in screen and b"300 ok" in screen
    status, screen = _on_terminal(["-j1", "--progress", "extract-quotes"], records)
    assert b"\x1b[?25l" in screen  # asked for, though the records go to a pipe
