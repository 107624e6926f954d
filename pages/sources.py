"""Sources: the passage a citation cites, highlighted in its document (``?doc=…&sec=…&q=…``)."""

from components.source_views import render

render()
