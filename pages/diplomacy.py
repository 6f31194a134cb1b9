"""Diplomacy: summits, talks, sanctions and agreements by type, status and participant, with dates."""
import streamlit as st

from analytics import charts, queries
from ui.db import cursor
from ui.shell import inside_app
from ui.state import filters
from ui.widgets import nothing_to_show, paged_view

inside_app()
f = filters()
st.title("Diplomacy")
by_type = queries.diplomacy_by_type(cursor(), f)
if by_type.empty:
    nothing_to_show("diplomatic items", f, key="diplomacy")
    st.stop()

left, right = st.columns(2)
with left:
    st.subheader("By type and status")
    st.plotly_chart(charts.diplomacy_types_figure(by_type), key="diplomacy_types")
with right:
    st.subheader("By participant")
    st.plotly_chart(charts.participants_figure(queries.diplomacy_by_participant(cursor(), f)), key="diplomacy_sides")

st.subheader("Items, with their dates and status")
st.caption("A span (From/To) is a period the text states, such as an agreement extended by two months.")
paged_view("diplomacy", f, "diplomatic items",
           columns=["date", "date_precision", "item_type", "status", "span_start", "span_end", "participants",
                    "location", "sentence", "article", "published", "origin"])  # fmt: skip
