"""The four kinds of record, declared once: extraction, the writer, filters, exports and the CLI
read their names and tables from here."""

from __future__ import annotations

KIND_TABLES = {  # kind -> the table its records are stored in
    "event": "events",
    "aid": "aid_figures",
    "diplomacy": "diplomatic_items",
    "statement": "statements",
}
KINDS = tuple(KIND_TABLES)
RECORD_TABLES = frozenset(KIND_TABLES.values())
