"""The demo district's annual workbook as LibreOffice prints it to PDF: under 40 pages (issue
15), every sheet one page wide, and on every page the report's title, the sheet's header row
and "第 N 页，共 M 页".

Slow (it seeds the demo district, about a minute): `make print-check` runs it alone and
prints the pages of each sheet. It needs LibreOffice (`soffice`, Debian package
libreoffice-calc-nogui) and poppler (`pdftotext`, poppler-utils); without them it skips,
except under CI=true, where a missing tool fails the run.
"""

import io
import math
import os
import shutil
import subprocess
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

TOOLS = {"soffice": "libreoffice-calc-nogui", "pdftotext": "poppler-utils"}
HEADER_ROW = 4
# Sheets that summarise: one page each.
ONE_PAGE = ["总览", "分街道", "分社区", "专项资金", "督查结果", "民情诉求"]
# The whole workbook (90 pages when 自治组织 and 专项资金 were registers of people and
# projects).
MOST_PAGES = 39
# A sheet that prints one page wide holds well over this many rows a page; split by
# columns, it would take at least twice the pages.
ROWS_PER_PAGE = 30


@pytest.fixture
def tools():
    missing = [f"{tool} ({package})" for tool, package in TOOLS.items() if not shutil.which(tool)]
    if missing:
        message = f"cannot print to PDF without {', '.join(missing)}: install them with apt-get"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return {tool: shutil.which(tool) for tool in TOOLS}


def printable_width(text):
    return sum(2 if ord(character) > 0x2E7F else 1 for character in text)


def one_line_headers(sheet):
    """The header row's texts that print on one line (wrapped ones are split across lines
    of the PDF's text)."""
    widths = {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()}
    row = next(sheet.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW))
    return [
        cell.value
        for cell in row
        if cell.value and printable_width(cell.value) <= widths[cell.column_letter] - 0.5
    ]


def test_the_demo_districts_workbook_prints_one_page_wide_with_its_header_on_every_page(
    tools, tmp_path
):
    call_command("seed_demo", "--force", stdout=io.StringIO())
    target = tmp_path / "annual.xlsx"
    year = timezone.localdate().year
    call_command(
        "annual_report",
        f"--year={year}",
        "--user=qu_admin",
        f"--output={target}",
        stdout=io.StringIO(),
    )
    subprocess.run(
        [
            tools["soffice"],
            f"-env:UserInstallation=file://{tmp_path}/profile",  # not a running instance's
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(target),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    text = subprocess.run(
        [tools["pdftotext"], "-layout", str(tmp_path / "annual.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = text.split("\f")[:-1]  # pdftotext ends every page with a form feed

    book = load_workbook(target)
    title = book.properties.title
    assert title == f"武侯区{year}年度院落自治工作报告"
    headers = {sheet.title: one_line_headers(sheet) for sheet in book.worksheets}
    rows = {sheet.title: sheet.max_row - HEADER_ROW for sheet in book.worksheets}

    printed = Counter()
    for number, page in enumerate(pages, start=1):
        lines = [line for line in page.splitlines() if line.strip()]
        # The page header: the report's title, and the sheet's name on the right.
        assert title in lines[0], (number, lines[0])
        sheet = lines[0].split()[-1]
        assert sheet in headers, (number, lines[0])
        printed[sheet] += 1
        for header in headers[sheet]:
            assert header in page, (number, sheet, header)
        assert f"第 {number} 页，共 {len(pages)} 页" in page, number

    with_counts = ", ".join(f"{sheet} {printed[sheet]}" for sheet in headers)
    print(f"\n{len(pages)} pages: {with_counts}")  # `make print-check` shows it
    assert len(pages) <= MOST_PAGES
    assert list(printed) == list(headers)
    for sheet in ONE_PAGE:
        assert printed[sheet] == 1, sheet
    for sheet, count in printed.items():
        assert count <= math.ceil(rows[sheet] / ROWS_PER_PAGE), (sheet, count, rows[sheet])
