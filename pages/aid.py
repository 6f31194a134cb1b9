"""Aid: tallies by donor, recipient, aid type and record type; new aid apart from totals and corrections."""
import streamlit as st

from analytics import charts, queries
from analytics.measures import AID_DIMENSIONS, AID_RECORD_TYPE_LABELS, AID_RECORD_TYPES, label, money
from ui.db import cursor
from ui.shell import inside_app
from ui.state import filters
from ui.widgets import nothing_to_show, paged_view, table

inside_app()
f = filters()
st.title("Aid")
st.caption("New aid is only what a text announces as new. Running totals the text reports, deliveries and "
           "corrections (such as the Pentagon's ~$3 billion overvaluation) are shown beside it, never added to it.")  # fmt: skip

summary = queries.aid_summary(queries.aid_totals(cursor(), f))
if not summary:
    nothing_to_show("aid figures", f, key="aid")
    st.stop()

cols = st.columns(len(AID_RECORD_TYPES))
for col, rtype in zip(cols, AID_RECORD_TYPES, strict=True):
    rows = summary.get(rtype, [])
    col.metric(AID_RECORD_TYPE_LABELS[rtype], " · ".join(money(t, c) for c, t, _ in rows[:2]) or "—",
               help=f"{sum(n for *_, n in rows)} figures. " + " · ".join(f"{money(t, c)}" for c, t, _ in rows))  # fmt: skip

if "correction" in summary:
    with st.container(border=True):
        st.markdown("**Corrections** — revisions of earlier figures, shown as corrections and never counted as new aid")
        table(queries.aid_corrections(cursor(), f), key="aid_corrections",
              columns=["date", "donor", "recipient", "cue", "amount", "currency", "sentence", "article"])  # fmt: skip

left, right = st.columns([1, 1])
dimension = left.selectbox("Tally by", AID_DIMENSIONS, format_func=label, key="aid_dimension")
tally = queries.aid_tally(cursor(), f, dimension)
currency = right.selectbox("Currency", queries.currencies(tally), key="aid_currency",
                           help="Amounts are never added across currencies.")  # fmt: skip
st.plotly_chart(charts.aid_tally_figure(tally, dimension, currency), key="aid_chart")

st.subheader("Figures and the sentences behind them")
paged_view("aid", f, "aid figures", columns=["date", "record_type", "donor", "recipient", "cue", "amount", "currency",
                                            "aid_type", "approximate", "sentence", "article", "published",
                                            "origin"])  # fmt: skip
