"""Files handed to the browser as downloads under their (often Chinese) names."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from django.http import FileResponse


def attachment(file_name: str) -> str:
    """Content-Disposition for a download: an ASCII name for old clients and the real
    (Chinese) name as RFC 5987 ``filename*``."""
    fallback = file_name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name)}"


def file_download(path: Path, content_type: str, file_name: str) -> FileResponse:
    """The stored file at ``path`` as a download named ``file_name``; the caller has
    checked who asks and that the file exists."""
    response = FileResponse(path.open("rb"), content_type=content_type)
    response["Content-Disposition"] = attachment(file_name)
    return response
