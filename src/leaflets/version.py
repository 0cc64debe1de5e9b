"""The tool's version, read from the installed package's metadata (pyproject.toml is the one
place it is written). It goes into every variant's fingerprint and the manifest."""

from __future__ import annotations

from importlib import metadata

try:
    VERSION = metadata.version("leaflets")
except metadata.PackageNotFoundError:  # running from a source tree that was never installed
    VERSION = "0+unknown"
