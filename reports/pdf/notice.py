"""The PDF of a public notice (公示): the layout of a Chinese government notice, with the
same content as its public page (``templates/reports/notices/_notice.html``).

Only a published notice is built: a withdrawn or unknown one is an Http404, so neither a
view nor a task renders it.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from reports.notices.selectors import notice_content, published_notice
from reports.pdf.documents import LANGUAGES, PdfDocument, builder


def notice_key(notice_id: int, language: str) -> str:
    return f"notice:{notice_id}:{language}"


def notice_keys(notice_id: int) -> list[str]:
    """The keys of the notice's PDFs in every language."""
    return [notice_key(notice_id, language) for language in LANGUAGES]


@builder("notice")
def notice_document(notice_id: int, language: str) -> PdfDocument:
    with translation.override(LANGUAGES[language]):
        content = notice_content(published_notice(notice_id))
        notice = content.notice
        html = render_to_string(
            "reports/pdf/notice.html",
            {"content": content, "notice": notice, "doc_language": language,
             "doc_title": notice.title},
        )  # fmt: skip
        download_name = f"{_('Public notice')}-{_file_safe(notice.title)}.pdf"
    return PdfDocument(
        kind="notice",
        key=notice_key(notice_id, language),
        language=language,
        html=html,
        download_name=download_name,
        params={"notice_id": notice_id, "language": language},
    )


def _file_safe(text: str) -> str:
    """The title as part of a file name: no path separators or control characters."""
    cleaned = "".join(
        "_" if ch in '/\\:*?"<>|' or not ch.isprintable() else ch for ch in text
    ).strip()
    return cleaned[:120] or "notice"
