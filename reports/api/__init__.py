"""Results through the REST API: scorecards, rankings, dashboard figures and PDFs, read
through the dashboard's scope and selectors."""
