import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.uploads import sniff, upload_path, validate_attachment

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.mark.parametrize(
    ("content", "kind"), [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")]
)
def test_pdfs_and_images_are_accepted_by_their_content(content, kind):
    upload = SimpleUploadedFile("无后缀文件", content)
    validate_attachment(upload)
    assert sniff(upload) == kind


@pytest.mark.parametrize(
    "content",
    [
        b"<html><script>alert(1)</script></html>",
        b"MZ\x90\x00executable",
        b'<svg xmlns="http://www.w3.org/2000/svg"></svg>',
        b"",
    ],
)
def test_other_content_is_refused_whatever_its_name(content):
    with pytest.raises(ValidationError) as error:
        validate_attachment(SimpleUploadedFile("会议记录.pdf", content))
    assert "不是PDF或图片" in str(error.value.messages)


def test_oversized_files_are_refused_with_the_limit(settings):
    settings.MAX_UPLOAD_MB = 1
    upload = SimpleUploadedFile("照片.jpg", JPEG + b"\x00" * (1024 * 1024))
    with pytest.raises(ValidationError) as error:
        validate_attachment(upload)
    assert "文件最大1 MB" in str(error.value.messages)


def test_stored_names_are_random_and_keep_only_a_known_extension():
    from courtyards.models import Courtyard

    first = upload_path(Courtyard(), "../../etc/passwd.html")
    second = upload_path(Courtyard(), "照片.JPG")
    assert first.startswith("courtyards/courtyard/") and not first.endswith(".html")
    assert ".." not in first
    assert second.endswith(".jpg")


# Names follow the content (issue 16, finding 7)

POLYGLOT = PDF + b"<html><script>alert(1)</script></html>"


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("poly.html", "application/pdf", "poly.pdf"),
        ("收据.PDF", "application/pdf", "收据.pdf"),
        ("photo.svg", "image/png", "photo.png"),
        ("scan", "image/jpeg", "scan.jpg"),
        ("a.tar.gz", "image/webp", "a.tar.webp"),
        ("../../etc/passwd.html", "application/pdf", "passwd.pdf"),
        ("C:\\fakepath\\x.htm", "image/png", "x.png"),
        ("page.html", None, "page.bin"),
        ("", "application/pdf", "file.pdf"),
    ],
)
def test_download_names_take_the_extension_of_the_content(name, kind, expected):
    from portal.uploads import download_name

    assert download_name(name, kind) == expected


def test_a_pdf_uploaded_as_html_is_stored_and_served_as_a_pdf(people, geo, login):
    from django.urls import reverse

    from tests.funds.factories import ExpenditureFactory

    expenditure = ExpenditureFactory(
        project__courtyard=geo.courtyard_a1,
        receipt=SimpleUploadedFile("poly.html", POLYGLOT),
        receipt_name="poly.html",
    )
    assert expenditure.receipt.name.endswith(".pdf")
    response = login(people.street_a).get(reverse("funds:receipt", args=[expenditure.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="poly.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
