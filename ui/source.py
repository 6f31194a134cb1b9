"""Where this server's data comes from: the notice every page shows, the look for a newer snapshot,
and the message (with Retry) where uploads and imports are off."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from analytics.store import db_path, snapshots
from ui import db

CAUSE_LINE = {
    "env": "It was started with DASHBOARD_READ_ONLY=1, so it only reads.",
    "reader": "{who} has the database file open for reading, so no process may write it; this server reads the "
              "newest snapshot instead.",
    "writer": "{who} is writing the database, and DuckDB lets no other process open it meanwhile.",
}  # fmt: skip


def _ago(seconds: float) -> str:
    if seconds < 90:
        return f"{max(0, round(seconds))} s ago"
    if seconds < 5400:
        return f"{round(seconds / 60)} min ago"
    return f"{seconds / 3600:.1f} h ago"


def _publisher(snap: snapshots.Snapshot) -> str:
    return snap.by + (f" (PID {snap.pid})" if snap.pid else "")


def snapshot_line(s: db.Store) -> str:
    snap = s.snapshot
    stamp = snap.published_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    who = s.holder.describe() if s.holder else "another process"
    return (f"**Read-only copy.** This server shows a snapshot of `{s.path.name}` published {stamp} "
            f"({_ago(snap.age_seconds())}) by {_publisher(snap)}. "
            + CAUSE_LINE.get(s.cause, "").format(who=who[:1].upper() + who[1:])
            + " Adding articles and importing are off here. A newer snapshot shows within "
            f"{snapshots.POLL_SECONDS} s of being published (at the end of each upload, import or command "
            "of the writer).")  # fmt: skip


@st.fragment(run_every=snapshots.POLL_SECONDS)
def _snapshot_notice() -> None:
    """Redrawn every POLL_SECONDS on its own (so an idle page's age stays true); reruns the whole app
    when a newer snapshot has appeared, which then reads it."""
    s = db.store()
    latest = snapshots.newest_version(s.path)
    if (
        latest
        and s.snapshot
        and latest > s.snapshot.version
        and st.session_state.get("_snapshot_seen") != latest
    ):
        st.session_state["_snapshot_seen"] = latest
        st.rerun(scope="app")
    st.info(snapshot_line(s), icon=":material/sync_lock:")


def notice() -> None:
    """At the top of every page: where the data comes from when this server is not the writer; in
    the sidebar of a writer, a word when its last snapshot for readers could not be published."""
    s = db.store()
    if s.mode == "snapshot":
        _snapshot_notice()
    elif s.mode == "file":
        st.info(f"**Read-only.** This server reads `{s.path.name}` itself, read-only: {s.read_only_reason}",
                icon=":material/lock:")  # fmt: skip
    elif s.publish_error:
        st.sidebar.warning(f"Read-only dashboards do not see the latest changes yet: {s.publish_error}",
                           icon=":material/sync_problem:")  # fmt: skip


def refresh() -> None:
    """At the start of every run: a snapshot reader moves to a newer snapshot when one has appeared."""
    db.refresh()


@st.fragment(run_every=snapshots.POLL_SECONDS)
def wait_for_snapshot() -> None:
    """While a read-only server has nothing to read: rerun the app once the writer has published."""
    if snapshots.newest_version(db_path().resolve()):
        st.rerun(scope="app")
    st.caption(
        f"Checked {dt.datetime.now(dt.UTC):%H:%M:%S} UTC; checking again every {snapshots.POLL_SECONDS} s."
    )


def _retry() -> None:
    db.release()
    st.cache_data.clear()


def uploads_off(what: str = "Adding articles") -> bool:
    """When this server cannot write: a warning with the cause (and Retry, when the cause may end). True then."""
    s = db.store()
    if not s.read_only_reason:
        return False
    st.warning(f"{what} is off in this server: {s.read_only_reason}.", icon=":material/lock:")
    if s.retry_possible:
        st.button("Retry", icon=":material/refresh:", key=f"retry_writer_{what}", on_click=_retry,
                  help="Try again to open the database for writing: it works once the other process has stopped.")  # fmt: skip
    return True
