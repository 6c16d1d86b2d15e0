"""The PDF of a public notice (公示): the layout of a Chinese government notice, with the
same content as its public page (``templates/reports/notices/_notice.html``).

Only a published notice is built: a withdrawn or unknown one is an Http404, so neither a
view nor a task renders it.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from reports.files import file_name_part
from reports.models import RenderedPdf
from reports.notices.selectors import notice_content, published_notice
from reports.pdf.documents import LANGUAGES, PdfDocument, builder


def notice_key(notice_id: int, language: str) -> str:
    return f"notice:{notice_id}:{language}"


def notice_keys(notice_id: int) -> list[str]:
    """The keys of the notice's PDFs in every language."""
    return [notice_key(notice_id, language) for language in LANGUAGES]


@builder(RenderedPdf.Kind.NOTICE)
def notice_document(notice_id: int, language: str) -> PdfDocument:
    with translation.override(LANGUAGES[language]):
        content = notice_content(published_notice(notice_id))
        notice = content.notice
        html = render_to_string(
            "reports/pdf/notice.html",
            {"content": content, "notice": notice, "doc_language": language,
             "doc_title": notice.title},
        )  # fmt: skip
        title = file_name_part(notice.title, fallback="notice")[:120]
        download_name = f"{_('Public notice')}-{title}.pdf"
    return PdfDocument(
        kind=RenderedPdf.Kind.NOTICE,
        key=notice_key(notice_id, language),
        language=language,
        html=html,
        download_name=download_name,
        params={"notice_id": notice_id, "language": language},
    )
