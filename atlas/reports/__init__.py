"""Report writers: the meeting brief's content (content.py), its PDF (pdf.py), Markdown
(markdown.py) and static map (static_map.py), and prepare() that makes all of them at once."""
