"""Uploads on the Add articles page: journaled as they go, and an upload cut off by a dying server named
when the page is next opened (which files went in, which did not, and how to add the rest)."""

from __future__ import annotations

import streamlit as st

from analytics import upload_journal
from analytics.ingest import IngestResult, ingest_uploads
from analytics.store.errors import log_failure
from ui.db import store, writer


def add_uploads(files, progress) -> list[IngestResult]:
    """Ingest the uploaded files through the server's writer, each file's outcome written to the
    journal as soon as it is known. A journal that cannot be written never stops the upload."""
    db = store().path
    try:
        journal = upload_journal.start(db, files)
    except OSError as exc:
        log_failure(exc, "upload journal not written")
        journal = None

    def heard(i: int, result: IngestResult) -> None:
        if journal is None:
            return
        try:
            journal.mark(i, result.status, result.reason or "", result.doc_id or "")
        except OSError as exc:
            log_failure(exc, "upload journal not updated")

    with writer("the dashboard's upload") as (cur, lock):
        results = ingest_uploads(cur, files, progress=progress, write_lock=lock, on_result=heard)
    if journal is not None:
        try:
            journal.finish()
            upload_journal.settle(db, journal)
        except OSError as exc:
            log_failure(exc, "upload journal not settled")
    return results


def _names(entries: list[dict], limit: int = 12) -> str:
    shown = ", ".join(f"`{e['file']}`" for e in entries[:limit])
    return shown + (f" and {len(entries) - limit} more" if len(entries) > limit else "")


def cut_off_notice() -> None:
    """When an upload to this database was cut off (the server stopped mid-way): what went in, what
    did not, and how to add the rest; the table lists every file."""
    cut = upload_journal.interrupted(store().path)
    if not cut:
        return
    j = cut[0]
    stored, refused, missing = j.stored(), j.refused(), j.not_stored()
    lines = [f"**An upload was cut off.** The upload of {len(j.files)} file{'s' if len(j.files) != 1 else ''} "
             f"started {j.started:%Y-%m-%d %H:%M:%S} UTC stopped before it ended (the server stopped or "
             "restarted)."]  # fmt: skip
    lines.append(f"Stored ({len(stored)}): {_names(stored)}." if stored else "None of its files was stored.")
    if refused:
        lines.append(f"Refused ({len(refused)}; the table says why): {_names(refused)}.")
    lines.append(f"**Not stored ({len(missing)}): {_names(missing)}.** To add the rest, select "
                 f"{'these files' if len(missing) > 1 else 'this file'} again below and press Add (or select the "
                 "whole upload again: files already stored are recognised and reported, never stored twice).")  # fmt: skip
    st.warning("\n\n".join(lines), icon=":material/report:")
    rows = [{"file": f["file"], "status": {"added": "stored", "present": "already there", "failed": "refused"}
             .get(f.get("status"), "not stored"), "reason": f.get("reason") or ""} for f in j.files]  # fmt: skip
    st.dataframe(rows, hide_index=True, key="cut_off_files", column_config={
        "file": st.column_config.TextColumn("File"), "status": st.column_config.TextColumn("Outcome"),
        "reason": st.column_config.TextColumn("Why", width="large")})  # fmt: skip
    if len(cut) > 1:
        st.caption(f"{len(cut) - 1} earlier cut-off upload{'s' if len(cut) > 2 else ''} will show once this one is "
                   "dismissed.")  # fmt: skip
    st.button("Dismiss", key="cut_off_dismiss", icon=":material/close:", on_click=upload_journal.dismiss, args=(j,),
              help="Forget this cut-off upload; its stored files stay stored.")  # fmt: skip
