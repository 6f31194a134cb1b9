"""The Streamlit edge of the dashboard: cached connection, URL <-> filter state, shared widgets."""
