"""arnews: a command-line toolkit for Arabic news articles."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("arnews-cli")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"
