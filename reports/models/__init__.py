from reports.models.exports import ExportJob
from reports.models.notices import PublicNotice
from reports.models.pdfs import IssuedCode, PdfBatch, PdfBatchChunk, RenderedPdf

__all__ = [
    "ExportJob",
    "IssuedCode",
    "PdfBatch",
    "PdfBatchChunk",
    "PublicNotice",
    "RenderedPdf",
]
