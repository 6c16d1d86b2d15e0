"""The REST API's authentication by token, and the token endpoints."""
