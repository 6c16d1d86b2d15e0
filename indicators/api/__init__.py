"""Frameworks through the REST API (read only): primaries, indicators, items and options."""
