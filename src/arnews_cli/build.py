"""Which build is running: the Python sources, or analysis modules compiled with mypyc.

A compiled install (``HATCH_BUILD_HOOKS_ENABLE=1``, see ``hatch_build.py``) puts an
extension module beside each compiled module's source, and Python imports the extension
first. The check finds the module without running it, so it costs no start-up time.
"""

from __future__ import annotations

import importlib.util
import platform
from importlib.machinery import EXTENSION_SUFFIXES

# one of the modules the compiled build always compiles
PROBE = "arnews_cli.steps.quotes"


def is_compiled(module: str = PROBE) -> bool:
    """Whether ``module`` would be imported from a compiled extension."""
    spec = importlib.util.find_spec(module)
    origin = spec.origin if spec is not None else None
    return origin is not None and origin.endswith(tuple(EXTENSION_SUFFIXES))


def describe_build() -> str:
    """``compiled with mypyc`` or ``interpreted``, with the Python that runs it."""
    kind = "compiled with mypyc" if is_compiled() else "interpreted"
    return f"{kind}, {platform.python_implementation()} {platform.python_version()}"
