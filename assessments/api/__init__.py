"""Assessments through the REST API: the same selectors and services as the pages, so
scoping, validation and the workflow are decided in one place."""
