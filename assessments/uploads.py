"""Checking an uploaded evidence file by its content, and making image thumbnails.

Only PDF, JPEG, PNG, DOCX and XLSX are accepted, recognised from their first bytes (a
renamed HTML page or program is refused whatever its name). Images are opened with
Pillow under a pixel limit, so a small file that would unpack into a huge bitmap (a
decompression bomb) is refused before it is decoded.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from assessments.errors import EvidenceError
from common.errors import Problem

#: MIME type -> the suffix files of that type are stored under.
ALLOWED_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}
IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})
# Enough to recognise every allowed type (OOXML names its parts near the start of the zip).
_SNIFF_BYTES = 64 * 1024
THUMBNAIL_SIZE = (320, 320)


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    suffix: str
    thumbnail: bytes | None  # a JPEG for images


def _refuse(message: str) -> EvidenceError:
    return EvidenceError(Problem(message, "file"))


def check_upload(upload: UploadedFile) -> CheckedFile:
    """The upload's real type (and a thumbnail for images), or EvidenceError saying why
    it cannot be accepted. The size is checked before anything is read."""
    if upload.size is None or upload.size > settings.UPLOAD_MAX_BYTES:
        raise _refuse(
            _("The file is larger than %(mb)d MB.") % {"mb": settings.UPLOAD_MAX_BYTES // 2**20}
        )
    if upload.size == 0:
        raise _refuse(_("The file is empty."))
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise _refuse(
            _("Only PDF, JPEG, PNG, Word (.docx) and Excel (.xlsx) files can be attached.")
        )
    thumbnail = _thumbnail(upload) if kind.mime in IMAGE_TYPES else None
    return CheckedFile(kind.mime, ALLOWED_TYPES[kind.mime], thumbnail)


def _thumbnail(upload: UploadedFile) -> bytes:
    """A small JPEG of the image; refuses images that cannot be decoded or are too large."""
    too_large = _(
        "The image is too large (more than %(mp)d million pixels); reduce it and try again."
    ) % {"mp": settings.UPLOAD_MAX_IMAGE_PIXELS // 1_000_000}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            Image.MAX_IMAGE_PIXELS = settings.UPLOAD_MAX_IMAGE_PIXELS
            upload.seek(0)
            with Image.open(upload) as image:
                if image.width * image.height > settings.UPLOAD_MAX_IMAGE_PIXELS:
                    raise _refuse(too_large)
                image.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image.draft("RGB", THUMBNAIL_SIZE)
                small = image.convert("RGB")
                small.thumbnail(THUMBNAIL_SIZE)
                out = io.BytesIO()
                small.save(out, format="JPEG", quality=80)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(too_large) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _refuse(_("The image cannot be read; it may be damaged.")) from None
    finally:
        upload.seek(0)
    return out.getvalue()
