"""Search: the records and sentences that mention words or phrases, under the sidebar's filters, each opening in the reader."""

import streamlit as st

from analytics import export, queries, search
from ui import links
from ui.db import cursor
from ui.shell import inside_app
from ui.state import filters
from ui.widgets import page_picker, table

inside_app()
f = filters()
st.title("Search")

links.text("q", "search_q")
text = st.text_input(
    "Search records and sentences", key="search_q", placeholder='drone*  "Black Sea"  Bakhmut -Wagner  Kyiv OR Kiev',
    help='Every word must occur (drones also finds drone); "a phrase" in double quotes; a trailing * for a prefix '
         "(Bakh*); OR between two words; a leading - excludes a word. Best matches first. The sidebar's filters "
         "apply to the records found.",
)  # fmt: skip
links.keep("q", text.strip() or None)
if not text.strip():
    st.caption(
        "Type a word, a name, a weapon or a place. Each result opens its sentence in the article reader."
    )
    st.stop()

try:
    with st.spinner("Searching (the index catches up with new articles first)…"):
        hits = search.sentence_hits(cursor(), text)
except search.SearchQueryError as exc:
    st.warning(f"Search: {exc}.", icon=":material/search_off:")
    st.stop()

scope = hits.describe()


def listing(what: str, columns: list[str]) -> None:
    """One result list a page at a time, with the CSV of all of it (citation columns included)."""
    total = search.count(cursor(), what, hits, f)
    st.subheader(what.capitalize())
    if total == 0:
        st.caption(
            f"No {what} among {scope}" + ("" if f.is_empty() else " under the sidebar's filters") + "."
        )
        return
    head, first = page_picker(what, f"page_search_{what}", total)
    rows = search.page(cursor(), what, hits, f, queries.PAGE_SIZE, first)
    head[0].caption(f"{what.capitalize()} {first + 1:,}–{first + len(rows):,} of {total:,}, from {scope}"
                    f"{', best match first' if hits.ranked else ''}. The CSV holds all {total:,}, with their "
                    "article, outlet and url.")  # fmt: skip
    with head[2]:
        st.download_button(
            f"CSV ({total:,} rows)", data=lambda: export.csv_bytes(cursor(), *search.export_sql(what, hits, f)),
            file_name=f"search_{what}_{f.slug() or 'all'}.csv", mime="text/csv", on_click="ignore",
            key=f"csv_search_{what}", icon=":material/download:",
        )  # fmt: skip
    table(rows, key=f"search_{what}", columns=columns)


listing("records", ["rank", "kind", "type", "date", "location", "actors", "match", "article", "outlet", "published",
                    "origin"])  # fmt: skip
listing("sentences", ["rank", "match", "article", "outlet", "published", "origin"])
