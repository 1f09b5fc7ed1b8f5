"""Maintainer tools that run from the repository root (``python -m tools.<name>``)."""
