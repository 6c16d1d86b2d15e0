"""Serving PDFs: the stored file when it is current, else a page that waits for the task
rendering it (htmx asks again every 2 s and is sent to the file when it is ready)."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

from reports.pdf.documents import PdfDocument
from reports.pdf.services import pdf_request
from reports.pdf.store import current_pdf, pdf_path
from reports.views.downloads import file_download


def serve_pdf(
    request: HttpRequest, document: PdfDocument, *, back_url: str = ""
) -> HttpResponse | FileResponse:
    """The document's PDF as a download, or the waiting page while it is rendered. The
    caller has checked that the requester may see the document."""
    polling = bool(request.headers.get("HX-Request"))
    stored = pdf_request(document) if not polling else current_pdf(document)
    if stored is not None:
        if polling:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = request.get_full_path()
            return response
        return file_download(pdf_path(stored), "application/pdf", document.download_name)
    context = {"document": document, "back_url": back_url, "poll_url": request.get_full_path()}
    if polling:
        return render(request, "reports/pdf_wait_status.html", context)
    return render(request, "reports/pdf_wait.html", context)
