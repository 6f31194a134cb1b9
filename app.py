"""The analyst dashboard: builds the database on first start, draws the shared filters, runs the page."""

from __future__ import annotations

import duckdb
import streamlit as st

from analytics import config, queries
from analytics.ingest import ensure_database
from analytics.schemas import DataFileError
from analytics.store import StoreError, db_path
from analytics.store.connection import reads_in_flight
from analytics.store.errors import named
from analytics.store.snapshots import NoSnapshot
from ui import links, navigation, source, state
from ui.cache import q

st.set_page_config(page_title="Ukraine war news — analyst dashboard", page_icon=":material/newspaper:",
                   layout="wide")  # fmt: skip


def _bootstrap() -> None:
    """Build the database from seeds/ the first time, showing progress; later starts skip this."""
    if db_path().exists():
        return
    with st.status("Building the database from seeds/ (first start only)…", expanded=True) as status:
        bar = st.progress(0.0, text="Reading articles…")

        def progress(done: int, total: int, name: str) -> None:
            bar.progress(done / max(total, 1), text=f"Article {done + 1} of {total}: {name}")

        ensure_database(progress=progress)
        bar.progress(1.0, text="Done")
        status.update(label="Database built from seeds/", state="complete", expanded=False)


def _stop_on(exc: BaseException) -> None:
    """A fault with the database file: its one-line message in a box, the details in the log; no traceback."""
    err = named(exc, db_path())
    st.error(f"**{err.label.capitalize()}.** {err.message}", icon=":material/database_off:")
    st.stop()


def _stop_on_data_file(exc: DataFileError) -> None:
    """An edited data file that cannot be used: its one line (file, entry, field), no traceback."""
    st.error(f"**A data file cannot be used.** {exc}", icon=":material/description:")
    st.stop()


problems = config.check()
if problems:  # a DASHBOARD_* variable that cannot be read: say which, before anything is opened
    st.error("**A setting cannot be used.** " + " ".join(problems), icon=":material/settings:")
    st.stop()

try:
    _bootstrap()
except DataFileError as exc:
    _stop_on_data_file(exc)
except (StoreError, duckdb.Error, OSError) as exc:
    _stop_on(exc)

page = st.navigation(navigation.streamlit_pages())
# When other sessions' reads are running, say so while this page waits behind them, instead of a
# blank spinner; the notice goes once the page has drawn.
busy = st.empty()
ahead = reads_in_flight()
if ahead:
    busy.info(f"Waiting for the database: {ahead} request{'s' if ahead > 1 else ''} from other sessions "
              "ahead of this page.", icon=":material/hourglass_top:")  # fmt: skip
try:
    source.refresh()  # a read-only server moves to the newest snapshot before anything is read
    source.notice()  # where the data comes from, when this server is not the writer
    st.session_state["filters"] = state.sidebar_filters(q.vocabulary())
    st.sidebar.caption(f"Database: `{db_path().name}`")
    links.notice_box()  # above the page's title: what a link named that does not exist
    page.run()
except NoSnapshot as exc:  # a read-only server with nothing to read yet: say why, look again shortly
    busy.empty()
    st.info(f"**{exc.label.capitalize()}.** {exc.message}", icon=":material/hourglass_top:")
    source.wait_for_snapshot()
except DataFileError as exc:
    _stop_on_data_file(exc)
except queries.QueryTimeout as exc:  # a runaway read was stopped: say so, never a traceback
    st.warning(str(exc), icon=":material/timer_off:")
except (StoreError, duckdb.Error) as exc:  # not our file, damaged, locked...: say which, never a traceback
    _stop_on(exc)
finally:  # also when the page ends early with st.stop()
    busy.empty()
    links.finish()
