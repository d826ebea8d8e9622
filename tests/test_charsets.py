"""The committed character tables still equal what camel-tools and Unicode define."""

from __future__ import annotations

from pathlib import Path

import arnews_cli.steps.charsets as charsets

from .gen_charsets import generate


def test_charsets_are_up_to_date() -> None:
    committed = Path(charsets.__file__).read_text(encoding="utf-8")
    assert generate() == committed, (
        "camel-tools, emoji, regex or Python's Unicode data changed: regenerate with "
        "`uv run python -m tests.gen_charsets > src/arnews_cli/steps/charsets.py`"
    )


def test_runtime_does_not_import_camel_tools() -> None:
    import subprocess
    import sys

    code = (
        "import sys, arnews_cli.steps.normalize as n;"
        "n.normalize_text('ﻻ إلى', n.PROFILES['search']);"
        "print(any(m.startswith('camel_tools') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
