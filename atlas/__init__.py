"""Data services for the China Cluster Atlas: load, validate and query the datasets.

Nothing in this package calls Streamlit, so every function is testable on its own.
"""
