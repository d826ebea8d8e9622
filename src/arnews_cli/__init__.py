"""arnews: a command-line toolkit for Arabic news articles."""

__version__ = "0.1.0"
