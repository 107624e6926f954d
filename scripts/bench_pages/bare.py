"""The framework's floor for the benchmark: a one-line Streamlit page."""

import streamlit as st

st.write("Hello")
