"""Ukraine war news analytics: read articles, extract records, keep them in DuckDB."""

__version__ = "0.1.0"
