"""Shared Streamlit widgets: the only part of `opp` that imports streamlit."""
