"""Data: every table, browsable with labelled and described columns, and downloadable."""
import streamlit as st

from analytics import queries
from ui.db import cursor
from ui.shell import inside_app
from ui.state import filters
from ui.widgets import csv_button, nothing_to_show, table

inside_app()
f = filters()
st.title("Data")
descriptions = queries.table_descriptions(cursor())
first = ["records", "events", "aid_figures", "diplomatic_items", "statements", "documents", "sentences"]
names = [n for n in first if n in descriptions] + sorted(set(descriptions) - set(first))
name = st.selectbox("Table", names, key="data_table")
st.caption(descriptions.get(name, ""))
_, _, filtered = queries.table_query(name, f)
if not f.is_empty():
    st.caption("Filtered by the sidebar." if filtered else "The sidebar's filters apply to records, not to this "
               "vocabulary table: it is shown whole.")  # fmt: skip
total = queries.table_count(cursor(), name, f)
if total == 0:
    nothing_to_show(f"rows in {name}", f, key="data")
    st.stop()
pages = (total - 1) // queries.PAGE_SIZE + 1
head = st.columns([3, 1, 1], vertical_alignment="bottom")
page = head[1].number_input("Page", 1, pages, 1, key=f"data_page_{name}") if pages > 1 else 1
first = (page - 1) * queries.PAGE_SIZE
rows = queries.table_rows(cursor(), name, f, limit=queries.PAGE_SIZE, offset=first)
head[0].caption(f"Rows {first + 1:,}–{first + len(rows):,} of {total:,}. The CSV holds all {total:,}.")
with head[2]:
    csv_button(name, f if filtered else type(f)(), total, table_name=name)
table(rows, key="data_rows")
