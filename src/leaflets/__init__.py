"""leaflets: accessible, printable patient-education leaflets from YAML content.

content YAML -> validated model -> per-level context -> HTML -> PDF -> checks.
"""

from __future__ import annotations

from .build.builder import BuildReport, build_catalog
from .content.load import Catalog, find_project_root, load_project
from .errors import ContentError, LeafletError, Location, Problem, RenderError, UsageError
from .version import VERSION as __version__

__all__ = [
    "BuildReport",
    "Catalog",
    "ContentError",
    "LeafletError",
    "Location",
    "Problem",
    "RenderError",
    "UsageError",
    "__version__",
    "build_catalog",
    "find_project_root",
    "load_project",
]
