"""Page controls in the URL (table, count unit, colour, drill-down, page number, search, reader), and the
notice at the top of the page when a link names something that does not exist.

The sidebar's filters are read from a link in ui/state.py. Every other control a page draws goes
through `choice()` or `page_number()` here: when the session opens from a link its value is taken
from the link (checked against what the control offers; a value it does not offer is named in the
notice and the control keeps its default), and on every run the control's value is written back
to the URL, so a copied address reopens the same view.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

# Every page control's URL parameter, so a link holding one is not taken for an unknown filter.
PAGE_KEYS = ("q", "doc", "sentence", "table", "unit", "colour", "drill", "view", "incident", "reader_article")
PAGE_SUFFIX = "_page"  # `<listing>_page=3`: the page of a listing
OPEN_SUFFIX = "_open"  # `<listing>_open=1`: a listing drawn only when opened (ui/widgets.py), open
PENDING = "_url_pending"  # the link's page-control values not yet taken by a control
NOTICES = "_url_notices"
BOX = "_url_notice_box"
KEPT = "_url_kept"  # the page-control parameters this run's page wrote


def is_page_key(key: str) -> bool:
    return key in PAGE_KEYS or any(
        key.endswith(suffix) and key[: -len(suffix)].replace("_", "").isalnum()
        for suffix in (PAGE_SUFFIX, OPEN_SUFFIX)
    )


def remember_link(params: dict[str, list[str]]) -> None:
    """At session open: the page-control values the link carries, for the controls to take."""
    st.session_state[PENDING] = {k: v for k, v in params.items() if is_page_key(k) and v}


def notice_box() -> None:
    """Called by app.py before the page runs: the link's notices, above the page's title."""
    box = st.container()
    st.session_state[BOX] = box
    st.session_state[KEPT] = set()
    notices = st.session_state.get(NOTICES) or []
    if notices:
        with box:
            left, right = st.columns([12, 1], vertical_alignment="center")
            left.warning("**This link holds values that do not exist here, so they were left out:** "
                         + "; ".join(notices) + ".", icon=":material/link_off:")  # fmt: skip
            right.button("Dismiss", key="dismiss_link_notice", on_click=_dismiss)


def _dismiss() -> None:
    st.session_state[NOTICES] = []


def add_notice(text: str) -> None:
    """A value from the link was not used: say so at the top now, and on later runs of this session."""
    st.session_state.setdefault(NOTICES, [])
    if text in st.session_state[NOTICES]:
        return
    st.session_state[NOTICES] = [*st.session_state[NOTICES], text]
    box = st.session_state.get(BOX)
    if box is not None:
        box.warning(f"**From the link:** {text}.", icon=":material/link_off:")


def _take(param: str) -> str | None:
    pending = st.session_state.get(PENDING) or {}
    values = pending.pop(param, None)
    return str(values[-1]) if values else None


def choice(param: str, key: str, options: Sequence, default, *, what: str,
           parse: Callable[[str], object] = str) -> None:  # fmt: skip
    """Before the widget keyed `key` is drawn: its value from the link, once, when the link holds one."""
    raw = _take(param)
    if raw is None:
        return
    try:
        value = parse(raw)
    except (TypeError, ValueError):
        value = None
    if value in options:
        st.session_state[key] = value
    else:
        add_notice(f"unknown {what} {raw[:60]!r} (showing {default!r})" if default is not None
                   else f"unknown {what} {raw[:60]!r}")  # fmt: skip


def text(param: str, key: str, limit: int = 500) -> None:
    """Before a text box keyed `key` is drawn: its text from the link, once (cut at `limit` characters)."""
    raw = _take(param)
    if raw is not None:
        st.session_state[key] = raw[:limit]


def waiting(*params: str) -> bool:
    """Whether the link still holds a value for one of these page controls (not yet taken)."""
    pending = st.session_state.get(PENDING) or {}
    return any(p in pending for p in params)


def take(param: str) -> str | None:
    """A page-control value from the link, once, for a page that checks it itself (the reader's article)."""
    return _take(param)


def keep(param: str, value, default=None) -> None:
    """After the widget is drawn: its value in the URL (left out when it is the default)."""
    st.session_state.setdefault(KEPT, set()).add(param)
    text = None if value is None or value == default else str(value)
    if text is None:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != text:
        st.query_params[param] = text


def finish() -> None:
    """After the page ran: a link's values for controls this page does not have are named and dropped
    from the URL, so the address holds exactly what the page shows. Skipped when the run is being
    restarted (st.rerun): the page has not drawn its controls yet."""
    import sys

    if type(sys.exc_info()[1]).__name__ == "RerunException":
        return
    pending = st.session_state.get(PENDING) or {}
    for param, values in list(pending.items()):
        add_notice(f"{param}={str(values[-1])[:40]!r} is not a control of this page")
        del pending[param]
    kept = st.session_state.get(KEPT) or set()
    for param in list(st.query_params.keys()):
        if is_page_key(param) and param not in kept:
            del st.query_params[param]


def page_number(listing: str, key: str, pages: int) -> None:
    """A listing's page from the link (`<listing>_page=N`), checked against how many pages it has."""
    param = listing + PAGE_SUFFIX
    raw = _take(param)
    if raw is None:
        return
    try:
        n = int(raw)
    except ValueError:
        n = 0
    if 1 <= n <= pages:
        st.session_state[key] = n
    else:
        add_notice(f"page {raw[:12]!r} of {listing.replace('_', ' ')} (it has {pages:,}; showing page 1)")
