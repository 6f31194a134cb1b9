"""Overview: headline counts, the latest items, a small timeline and what the corpus covers."""
import streamlit as st

from analytics import charts, queries
from analytics.measures import AID_RECORD_TYPE_LABELS, KIND_LABELS, money, origin_label
from ui.db import cursor
from ui.shell import inside_app
from ui.state import filters
from ui.widgets import nothing_to_show, table

inside_app()
f = filters()
st.title("Overview")
st.caption("Events, aid figures, diplomatic items and statements extracted from news articles about the war "
           "in Ukraine, each tied to the sentence it came from.")  # fmt: skip

counts = queries.overview_counts(cursor(), f)
aid = queries.aid_summary(queries.aid_totals(cursor(), f))
cols = st.columns(5)
cols[0].metric("Events", f"{counts['events']:,}")
new_aid = aid.get("announcement", [])
cols[1].metric("New aid announced", " · ".join(money(t, c) for c, t, _ in new_aid[:2]) or "—",
               help="Sum of announcements per currency. Running totals, deliveries and corrections are "
                    "reported on the Aid page, never added here.")  # fmt: skip
cols[2].metric("Diplomatic items", f"{counts['items']:,}")
cols[3].metric("Statements", f"{counts['statements']:,}")
cols[4].metric("Articles", f"{counts['articles']:,}")
if len(new_aid) > 2:
    st.caption("New aid by currency: " + " · ".join(f"{money(t, c)} ({n} figures)" for c, t, n in new_aid))
others = [k for k in ("delivery", "cumulative", "correction") if k in aid]
if others:
    st.caption(" · ".join(f"{AID_RECORD_TYPE_LABELS[k]}: {len(aid[k])} currenc{'y' if len(aid[k]) == 1 else 'ies'}, "
                          f"{sum(n for *_, n in aid[k])} figures" for k in others) + " — see the Aid page.")  # fmt: skip

if sum(counts[k] for k in ("events", "figures", "items", "statements")) == 0:
    nothing_to_show("records", f, key="overview")
else:
    left, right = st.columns([3, 2])
    with left:
        st.subheader("Latest items")
        latest = queries.view_rows(cursor(), "records", f, limit=10)
        table(latest, key="latest", columns=["date", "kind", "type", "actors", "sentence", "article", "origin"])
    with right:
        st.subheader("Records per month")
        st.plotly_chart(charts.monthly_figure(queries.timeline_monthly(cursor(), f)), key="overview_monthly")

st.subheader("What the corpus covers")
cover = queries.coverage(cursor())
st.markdown(
    f"**{cover.get('articles') or 0:,} articles**, published {cover.get('first_published') or '—'} to "
    f"{cover.get('last_published') or '—'}; **{cover.get('records') or 0:,} records**, about dates from "
    f"{cover.get('first_record_date') or '—'} to {cover.get('last_record_date') or '—'} (some sentences refer "
    "to history before the war)."
)
for origin, documents, kinds in queries.origin_summary(queries.coverage_by_origin(cursor())):
    what = " · ".join(f"{n:,} {KIND_LABELS[k].lower()}" for k, n in kinds.items())
    if origin == "extracted":
        st.markdown(f"- **Extracted from {documents:,} articles**: {what}")
    else:
        st.markdown(f"- **{origin_label(origin)}**: {what} (from {documents:,} imported rows)")
src = queries.sources(cursor())
if len(src):
    table(src, key="sources")
