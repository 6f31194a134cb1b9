"""Theatres: events by theatre and place, with a drill-down and a map that needs no tiles."""
import streamlit as st

from analytics import charts, queries
from ui.db import cursor
from ui.shell import inside_app
from ui.state import filters
from ui.widgets import nothing_to_show, paged_view

inside_app()
f = filters()
st.title("Theatres")
places = queries.theatre_places(cursor(), f)
if places.empty:
    nothing_to_show("events", f, key="theatres")
    st.stop()

left, right = st.columns([3, 2])
with left:
    st.subheader("Events by theatre and place")
    st.caption("Click a theatre to drill down to its places; click the top bar to go back.")
    st.plotly_chart(charts.theatre_treemap(places), key="theatre_treemap")
with right:
    theatre = st.selectbox("Drill down to", [None, *queries.theatres_of(places)], key="theatre_drill",
                           format_func=lambda t: "All theatres" if t is None else t)  # fmt: skip
    st.plotly_chart(charts.places_bar(places, theatre), key="theatre_bar")

st.subheader("Located events")
points = queries.map_places(cursor(), f)
mapped, total = int(points["events"].sum()) if len(points) else 0, int(places["events"].sum())
st.caption(f"{mapped:,} of {total:,} events at {len(points):,} points. Imported events sit at their dataset's own "
           "coordinates, extracted ones at their place's; "
           f"{total - mapped:,} events whose place is not named or has no coordinates are counted above but not "
           "mapped. Drawn from the data alone (grey squares are landmark cities), so it works without map tiles.")  # fmt: skip
st.plotly_chart(charts.events_map(points, queries.map_landmarks(cursor())), key="theatre_map")

st.subheader("Events")
paged_view("events", f, "events")
