"""The dashboard's pages, declared once: app.py builds its navigation from this list, and the
tests and the benchmark read it, so adding a page is one entry here plus its file in pages/."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    file: str  # the script in pages/
    title: str  # the page's title, as drawn (tests wait for it)
    icon: str
    url_path: str  # "" for the default page, served at "/"
    records: bool = True  # shows the records under the sidebar's filters (charts or tables)
    draws: str = "chart"  # what is on screen once it has drawn: "chart" (plotly) or "table"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "Overview", ":material/dashboard:", ""),
    PageSpec("pages/timeline.py", "Timeline", ":material/timeline:", "timeline"),
    PageSpec("pages/aid.py", "Aid", ":material/payments:", "aid"),
    PageSpec("pages/theatres.py", "Theatres", ":material/map:", "theatres"),
    PageSpec("pages/diplomacy.py", "Diplomacy", ":material/handshake:", "diplomacy"),
    PageSpec("pages/claims.py", "Claims & sources", ":material/record_voice_over:", "claims"),
    PageSpec("pages/search.py", "Search", ":material/search:", "search", records=False),
    PageSpec("pages/reader.py", "Article reader", ":material/article:", "reader", records=False),
    PageSpec("pages/data.py", "Data", ":material/table:", "data", draws="table"),
    PageSpec(
        "pages/add_articles.py", "Add articles", ":material/upload_file:", "add_articles", records=False
    ),
)
RECORD_PAGES = tuple(p for p in PAGES if p.records)


def streamlit_pages() -> list:
    """The st.Page objects for st.navigation."""
    import streamlit as st

    return [st.Page(p.file, title=p.title, icon=p.icon, url_path=p.url_path or None, default=not p.url_path)
            for p in PAGES]  # fmt: skip
