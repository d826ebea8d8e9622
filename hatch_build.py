"""Optional build hook: compile the analysis modules to C extensions with mypyc.

Off by default. ``HATCH_BUILD_HOOKS_ENABLE=1`` turns it on for a wheel build (an
install from the sources with pip or ``uv sync --no-editable``), which then needs a C
compiler and takes about a minute; the source chain runs about 1.3x faster. The
modules are compiled in a temporary copy of the package, so no extension module is
ever left beside the sources, where it would shadow later edits. An editable install
always runs the sources as they are.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# The modules of parse, extract-quotes and summarize-sources, where the time goes.
# Modules that hold mostly data (charsets), call out to camel-tools, or run the
# engine (signal handlers and worker processes) stay interpreted.
COMPILED = (
    "article.py",
    "record_checks.py",
    "steps/counts.py",
    "steps/cues.py",
    "steps/gazetteer.py",
    "steps/mentions.py",
    "steps/nonresponse.py",
    "steps/parse.py",
    "steps/phrases.py",
    "steps/quotemarks.py",
    "steps/quotes.py",
    "steps/sources.py",
    "steps/speakers.py",
)

_SETUP = """\
import sys
from setuptools import setup
from mypyc.build import mypycify

modules = sys.argv[1:]
sys.argv[1:] = ["build_ext", "--inplace"]
setup(name="arnews_cli_native",
      ext_modules=mypycify(["--ignore-missing-imports", *modules], opt_level="3"))
"""


class MypycBuildHook(BuildHookInterface):
    """Add mypyc-compiled modules to a (non-editable) wheel."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        self._tmp = Path(tempfile.mkdtemp(prefix="arnews-mypyc-"))
        try:
            package = self._tmp / "arnews_cli"
            shutil.copytree(Path(self.root, "src", "arnews_cli"), package,
                            ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd"))
            modules = [f"arnews_cli/{name}" for name in COMPILED]
            done = subprocess.run([sys.executable, "-c", _SETUP, *modules], cwd=self._tmp,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
            if done.returncode:
                raise RuntimeError(
                    "mypyc failed:\n" + done.stdout.decode(errors="replace") + "\nThe compiled "
                    "build needs a C compiler and the Python headers; without "
                    "HATCH_BUILD_HOOKS_ENABLE the install is pure Python."
                )
            # build_ext --inplace puts each module beside its source, and the runtime they
            # share at the top (a ``<hash>__mypyc`` module); build/ holds copies of both
            built = [p for p in (*self._tmp.glob("*"), *package.rglob("*"))
                     if p.suffix in (".so", ".pyd")]
            if not built:
                raise RuntimeError("mypyc built no extension module")
            for path in built:
                build_data["force_include"][str(path)] = path.relative_to(self._tmp).as_posix()
        except BaseException:  # hatchling calls finalize only after a success
            shutil.rmtree(self._tmp, ignore_errors=True)
            raise
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
