"""Make sure a page runs inside app.py's navigation, even on a fresh server's first request.

Streamlit treats a `pages/` folder beside the main script as an old-style (v1) multipage app
until the main script calls st.navigation. A first request that goes straight to /timeline (a
shared link, a reload after a restart) would then run the page alone: no database bootstrap,
no filters. Pages call `inside_app()` first; outside app.py it switches the process to
st.navigation and reruns, which runs app.py and then the page the URL names.
"""

from __future__ import annotations

import streamlit as st


def inside_app() -> None:
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a later Streamlit without the v1 mode
        return
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
