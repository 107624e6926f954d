"""Partner finder: what in the atlas fits a sector, a NACE code or a few English keywords.

Four steps, one module each, no Streamlit (the page and the tests call the same functions):
``query`` reads what was typed (NACE codes, keywords, synonyms, spelling slips), ``index`` says
what is searchable and how, ``scoring`` ranks what fits and says why, ``shortlist`` keeps the
picked results in the page address. ``synonyms`` reads data/synonyms.csv for query and index.
"""
