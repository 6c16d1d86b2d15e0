"""Reads for the result pages, scoped by role: one module per page or family of pages."""
