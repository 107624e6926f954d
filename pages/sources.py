"""Sources: the passage a citation cites, highlighted in its document (``?doc=…&sec=…&q=…``)."""

from components.entry import from_app
from components.source_views import render

from_app()  # every run goes through app.py (components/entry.py)
render()
