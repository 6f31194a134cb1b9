"""The one private Streamlit API the dashboard leans on (ui/shell.py), checked so that an upgrade
that removes it fails here, by name, instead of silently breaking shared deep links.

Streamlit has no public switch that keeps a `pages/` folder (the user's layout) from turning on
its old multipage mode before app.py's st.navigation runs (streamlit/streamlit#9624, #10276);
ui/shell.py flips `PagesManager.uses_pages_directory` for that one first request.
"""

from __future__ import annotations

from pathlib import Path


def test_pages_manager_still_has_the_flag_ui_shell_flips():
    from streamlit.runtime.pages_manager import PagesManager

    assert hasattr(PagesManager, "uses_pages_directory"), (
        "Streamlit no longer has PagesManager.uses_pages_directory: re-check ui/shell.py's deep-link "
        "workaround (tests/browser deep-link tests) and the README's note on it"
    )


def test_every_page_enters_through_the_workaround():
    for page in sorted((Path(__file__).resolve().parent.parent / "pages").glob("*.py")):
        assert "inside_app()" in page.read_text(encoding="utf-8"), page.name
