"""Small building blocks every app may use: domain errors, request parameter parsing and
the form helper that shows domain errors at their fields. Imports nothing of the project."""
