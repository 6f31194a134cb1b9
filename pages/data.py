"""Data: every table, browsable with labelled and described columns, and downloadable."""

import streamlit as st

from analytics import queries
from ui import links
from ui.cache import q
from ui.imports import FILE_TYPES, FORMAT_LABELS, IMPORTED, ROUND, guess_format, import_clicked
from ui.shell import inside_app
from ui.source import uploads_off
from ui.state import filters
from ui.widgets import csv_button, nothing_to_show, table

inside_app()
f = filters()
st.title("Data")

ss = st.session_state
ss.setdefault(ROUND, 0)
with st.expander("Import a dataset (ACLED, GDELT, Eyes on Russia)", icon=":material/upload_file:",
                 expanded=IMPORTED in ss):  # fmt: skip
    st.caption("Each row becomes a record beside those extracted from articles, with its origin; a file goes in "
               "whole or not at all, and importing a newer export of the same dataset updates it.")  # fmt: skip
    if not uploads_off("Importing"):  # else the cause, in its own words
        upload = st.file_uploader("Dataset file", type=FILE_TYPES, key=f"import_upload_{ss[ROUND]}")
        if upload is not None:
            guess = guess_format(upload.getvalue())
            fmt = st.selectbox("Format", list(FORMAT_LABELS), index=list(FORMAT_LABELS).index(guess) if guess else None,
                               format_func=FORMAT_LABELS.get, key=f"import_format_{upload.file_id}",
                               placeholder="Choose the format", help="Guessed from the file's first line.")  # fmt: skip
            # A callback: it runs before app.py draws the sidebar, which so lists the new origins and actors.
            st.button("Import", type="primary", icon=":material/upload:", disabled=fmt is None, key="import_go",
                      on_click=import_clicked, args=(fmt, upload.getvalue(), upload.name))  # fmt: skip
    outcome = ss.get(IMPORTED)
    if outcome is not None:
        if outcome.ok:
            st.success(outcome.headline, icon=":material/task_alt:")
        else:
            st.error(outcome.headline, icon=":material/error:")
        if outcome.notes:
            st.warning("\n".join(f"- {note}" for note in outcome.notes))

descriptions = q.table_descriptions()
first = ["records", "events", "aid_figures", "diplomatic_items", "statements", "documents", "sentences"]
names = [n for n in first if n in descriptions] + sorted(set(descriptions) - set(first))
links.choice("table", "data_table", names, names[0], what="table")
name = st.selectbox("Table", names, key="data_table")
links.keep("table", name, names[0])
st.caption(descriptions.get(name, ""))
_, _, filtered = queries.table_query(name, f)
if not f.is_empty():
    st.caption("Filtered by the sidebar." if filtered else "The sidebar's filters apply to records, not to this "
               "vocabulary table: it is shown whole.")  # fmt: skip
total = q.table_count(name, f)
if total == 0:
    nothing_to_show(f"rows in {name}", f, key="data")
    st.stop()
pages = (total - 1) // queries.PAGE_SIZE + 1
head = st.columns([3, 1, 1], vertical_alignment="bottom")
if pages > 1:
    links.page_number("data", f"data_page_{name}", pages)
page = head[1].number_input("Page", 1, pages, key=f"data_page_{name}") if pages > 1 else 1
links.keep("data" + links.PAGE_SUFFIX, page, 1)
first = (page - 1) * queries.PAGE_SIZE
rows = q.table_rows(name, f, limit=queries.PAGE_SIZE, offset=first)
head[0].caption(f"Rows {first + 1:,}–{first + len(rows):,} of {total:,}. The CSV holds all {total:,}.")
with head[2]:
    csv_button(name, f if filtered else type(f)(), total, table_name=name)
table(rows, key="data_rows")
