"""The dataset formats, declared once: the CLI's `import`, the Data page's upload and detection read them.

Adding a format is its module in analytics/importers/ (ORIGIN, `stage`, `looks_like`, and
REMOVAL_SQL when a re-import removes rows) plus one `Format(...)` line here. This module imports
nothing heavy, so the CLI's argument parser can list the formats without loading DuckDB; a
format's module loads when it is used.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class Format:
    name: str  # the CLI argument and the records' origin
    label: str  # what the upload form calls it
    module_name: (
        str  # its module: stage(con, path, name, mappings), write(con, name, result), looks_like(text, first)
    )
    file_types: tuple[str, ...]  # the upload form's accepted extensions

    @property
    def module(self) -> ModuleType:
        return importlib.import_module(self.module_name)

    def looks_like(self, text: str, first_line: str) -> bool:
        """Whether a file whose text starts with `text` (first line `first_line`) is one of these."""
        return self.module.looks_like(text, first_line)


# Tried in this order by detect_format: each test reads the header, which no other format shares.
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("acled", "ACLED export (CSV)", "analytics.importers.acled", ("csv",)),
        Format(
            "gdelt",
            "GDELT 2.0 events (tab-separated .export.CSV)",
            "analytics.importers.gdelt",
            ("csv", "tsv", "txt"),
        ),  # fmt: skip
        Format(
            "eyes-on-russia",
            "Eyes on Russia (GeoJSON or CSV)",
            "analytics.importers.eyes_on_russia",
            ("csv", "json", "geojson"),
        ),  # fmt: skip
    )
}
FILE_TYPES = list(dict.fromkeys(t for f in FORMATS.values() for t in f.file_types))
