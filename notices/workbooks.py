"""Uploaded spreadsheets of returns (the issuer's template, a unit's filled-in copy): accepted
by their bytes, as portal/uploads.py accepts documents, and as the portal's imports read
workbooks (portal/importing.py): an .xlsx is a zip openpyxl can open. Stored under random
names and served only after the view has checked the user may see the notice."""

import io
import uuid

import openpyxl
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.uploads import max_upload_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_SIGNATURE = b"PK\x03\x04"


def is_workbook(file):
    """Whether the file's bytes are an Excel workbook (.xlsx) openpyxl can open."""
    file.seek(0)
    content = file.read()
    file.seek(0)
    if not content.startswith(ZIP_SIGNATURE):
        return False
    try:
        openpyxl.load_workbook(io.BytesIO(content), read_only=True).close()
    except Exception:
        return False
    return True


def validate_workbook(file):
    """Model-field validator: an Excel workbook by its content, within the size limit."""
    if file.size > max_upload_bytes():
        raise ValidationError(
            _("“%(name)s” is %(size).1f MB; files may be at most %(limit)d MB."),
            params={
                "name": file.name,
                "size": file.size / 1024 / 1024,
                "limit": max_upload_bytes() // 1024 // 1024,
            },
            code="too_large",
        )
    if not is_workbook(file):
        raise ValidationError(
            _("“%(name)s” is not an Excel workbook (.xlsx) by its content."),
            params={"name": file.name},
            code="not_workbook",
        )


def workbook_path(instance, filename):
    """A random name under the model's folder, always .xlsx (only workbooks are accepted)."""
    folder = f"{instance._meta.app_label}/{instance._meta.model_name}/{timezone.now():%Y/%m}"
    return f"{folder}/{uuid.uuid4().hex}.xlsx"


def workbook_download(field_file, name):
    """Serve a stored workbook as a download named `name`.xlsx."""
    response = FileResponse(
        field_file.open("rb"), content_type=XLSX, as_attachment=True, filename=f"{name}.xlsx"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
