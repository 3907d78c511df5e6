"""Uploaded files (signed minutes, receipts, inspection photos): what may be stored and how
it is served. Used by every app that takes attachments.

A file is accepted by what its bytes are, not by its name: PDF, JPEG, PNG or WebP, up to
MAX_UPLOAD_MB. Files are stored under random names through Django's storage API and served
only by views that first check the user's scope, with the sniffed content type.
"""

import posixpath
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
}


def max_upload_bytes():
    return getattr(settings, "MAX_UPLOAD_MB", 10) * 1024 * 1024


def sniff(file):
    """The content type the file's first bytes declare, or None if not one we accept."""
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    for content_type, signatures in SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            return content_type
    return None


def validate_attachment(file):
    """Model-field validator: a PDF or an image, within the size limit."""
    if file.size > max_upload_bytes():
        raise ValidationError(
            _("“%(name)s” is %(size).1f MB; files may be at most %(limit)d MB."),
            params={
                "name": file.name,
                "size": file.size / 1024 / 1024,
                "limit": getattr(settings, "MAX_UPLOAD_MB", 10),
            },
            code="too_large",
        )
    if sniff(file) is None:
        raise ValidationError(
            _("“%(name)s” is not a PDF or an image (JPEG, PNG, WebP) by its content."),
            params={"name": file.name},
            code="not_document",
        )


def _uploaded_content(instance, filename):
    """The file being saved under `filename` on one of `instance`'s file fields, if any."""
    for field in instance._meta.fields:
        value = getattr(instance, field.attname, None) if hasattr(field, "upload_to") else None
        if value and not getattr(value, "_committed", True) and value.name == filename:
            return value.file
    return None


def upload_path(instance, filename):
    """A random name under the model's folder, with the extension of what the bytes are (a
    PDF sent as "poly.html" is stored as .pdf); without the content at hand, the name's
    extension if it is one of ours."""
    content = _uploaded_content(instance, filename)
    kind = sniff(content) if content is not None else None
    extension = EXTENSIONS.get(kind) or posixpath.splitext(filename)[1].lower()
    if extension not in EXTENSIONS.values():
        extension = ""
    folder = f"{instance._meta.app_label}/{instance._meta.model_name}/{timezone.now():%Y/%m}"
    return f"{folder}/{uuid.uuid4().hex}{extension}"


def download_name(name, content_type):
    """`name` with the extension of the type the bytes declare: a browser names the saved file
    after it, so "poly.html" holding a PDF must arrive as "poly.pdf" (and unknown bytes as
    .bin), never as a page."""
    stem = posixpath.splitext(posixpath.basename(str(name or "").replace("\\", "/")))[0]
    return f"{stem or 'file'}{EXTENSIONS.get(content_type, '.bin')}"


def attachment_response(field_file, name):
    """Serve a stored attachment: images and PDFs inline, as the type their bytes declare and
    under a name with that type's extension. Call only after the view has checked that the
    user may see the record."""
    handle = field_file.open("rb")
    content_type = sniff(handle) or "application/octet-stream"
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=content_type == "application/octet-stream",
        filename=download_name(name, content_type),
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    response["X-Content-Type-Options"] = "nosniff"
    return response
