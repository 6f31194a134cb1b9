"""Diplomacy: summits, talks, sanctions and agreements by type, status and participant, with dates."""

import streamlit as st

from ui.cache import figure, q, query
from ui.shell import inside_app
from ui.state import filters
from ui.widgets import coverage_note, nothing_to_show, paged_view

inside_app()
f = filters()
st.title("Diplomacy")
coverage_note(f)
by_type = q.diplomacy_by_type(f)
if by_type.empty:
    nothing_to_show("diplomatic items", f, key="diplomacy")
    st.stop()

left, right = st.columns(2)
with left:
    st.subheader("By type and status")
    st.plotly_chart(figure("diplomacy_types_figure", query("diplomacy_by_type", f)), key="diplomacy_types")
with right:
    st.subheader("By participant")
    st.plotly_chart(
        figure("participants_figure", query("diplomacy_by_participant", f)), key="diplomacy_sides"
    )

st.subheader("Items, with their dates and status")
st.caption("A span (From/To) is a period the text states, such as an agreement extended by two months.")
paged_view("diplomacy", f, "diplomatic items",
           columns=["date", "date_precision", "item_type", "status", "span_start", "span_end", "participants",
                    "location", "sentence", "article", "published", "origin"])  # fmt: skip
