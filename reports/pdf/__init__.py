"""PDF documents: community scorecards, round summaries and public notices.

A document is HTML rendered from a template (``templates/reports/pdf/``) and turned into a
PDF by WeasyPrint. The PDF is stored with the hash of that HTML (``store``), so the same
document is rendered once and served again until what it shows changes.
"""
