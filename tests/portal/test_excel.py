import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portal.excel import INTEGER, Column, Sheet, write_workbook


class Figures(Sheet):
    title = "测试"
    columns = [Column("名称", 20), Column("户数", 10, INTEGER)]

    def rows(self):
        yield ['=HYPERLINK("http://evil")', 12]
        yield ["控制\x07字符", 1_000]

    def totals(self):
        return ["合计", 1_012]


def written():
    buffer = io.BytesIO()
    write_workbook([Figures()], buffer, heading="标题", scope_label="武侯区")
    buffer.seek(0)
    return load_workbook(buffer)["测试"]


def test_text_that_looks_like_a_formula_stays_text():
    sheet = written()
    cell = sheet["A5"]
    assert cell.value == '=HYPERLINK("http://evil")'
    assert cell.data_type == "s"


def test_characters_excel_rejects_are_dropped():
    assert written()["A6"].value == "控制字符"


def test_the_sheet_has_a_header_block_a_frozen_bold_header_and_totals():
    sheet = written()
    assert sheet["A1"].value == "标题 · 测试"
    assert "武侯区" in sheet["A2"].value
    assert [sheet["A4"].value, sheet["B4"].value] == ["名称", "户数"]
    assert sheet["A4"].font.bold
    assert sheet.freeze_panes == "A5"
    assert sheet["B5"].number_format == INTEGER
    assert [sheet["A7"].value, sheet["B7"].value] == ["合计", 1_012]
    assert sheet.column_dimensions["A"].width == 20


class WithParts(Figures):
    def of_which(self):
        return [["其中", 12]]

    def notes(self):
        return ["注：说明文字比列宽得多，跨过右边的空单元格显示，不换行。"]


def test_of_which_rows_follow_the_totals_in_bold_and_notes_run_under_the_table():
    buffer = io.BytesIO()
    write_workbook([WithParts()], buffer, heading="标题", scope_label="武侯区")
    buffer.seek(0)
    sheet = load_workbook(buffer)["测试"]
    assert [sheet["A7"].value, sheet["A8"].value, sheet["B8"].value] == ["合计", "其中", 12]
    assert sheet["A8"].font.bold and sheet["B8"].number_format == INTEGER
    assert sheet["A9"].value is None  # a blank row, then the notes
    note = sheet["A10"]
    assert note.value.startswith("注：") and not note.font.bold
    assert not note.alignment.wrap_text and sheet.row_dimensions[10].height is None


# Made to be printed ------------------------------------------------------------------------


class Wide(Sheet):
    title = "明细"
    columns = [
        Column("序号", 6),
        Column("区、街两级投入合计(万元)", 10, INTEGER),
        Column("名称", 8),
    ]
    title_columns = 1

    def rows(self):
        yield [1, 5, "短名"]
        yield [2, 6, "一个很长很长的院落自治组织名称"]

    def totals(self):
        return ["合计", 11, ""]


def book_of(*sheets, heading="年度报告", scope_label="武侯区"):
    buffer = io.BytesIO()
    write_workbook(list(sheets), buffer, heading=heading, scope_label=scope_label)
    buffer.seek(0)
    return load_workbook(buffer)


def cjk_width(text):
    """Printed width in column units: a CJK character is as wide as two digits."""
    return sum(2 if ord(character) > 0x2E7F else 1 for character in text)


@pytest.mark.parametrize("sheet", [Figures(), Wide()], ids=["list", "wide"])
def test_every_sheet_prints_a4_landscape_one_page_wide_with_its_header_row_on_every_page(sheet):
    printed = book_of(sheet).active
    setup = printed.page_setup
    assert (setup.orientation, int(setup.paperSize)) == ("landscape", 9)
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert printed.sheet_properties.pageSetUpPr.fitToPage
    assert printed.print_title_rows == "$4:$4"
    assert printed.oddHeader.center.text == "年度报告"
    assert printed.oddFooter.center.text == "第 &P 页，共 &N 页"


def test_a_sheet_names_the_columns_repeated_on_every_page():
    assert book_of(Wide()).active.print_title_cols == "$A:$A"
    assert book_of(Figures()).active.print_title_cols is None


def test_headers_are_shown_whole_wrapping_in_a_row_tall_enough():
    sheet = book_of(Wide()).active
    header = sheet["B4"]
    assert header.alignment.wrap_text
    lines = sheet.row_dimensions[4].height // 15
    assert cjk_width(header.value) <= (sheet.column_dimensions["B"].width - 0.5) * lines


def test_text_wider_than_its_column_wraps_and_its_row_grows():
    sheet = book_of(Wide()).active
    assert not sheet["C5"].alignment.wrap_text and sheet.row_dimensions[5].height is None
    assert sheet["C6"].alignment.wrap_text
    lines = sheet.row_dimensions[6].height // 15
    assert cjk_width(sheet["C6"].value) <= (sheet.column_dimensions["C"].width - 0.5) * lines


def test_the_table_has_borders_even_on_its_empty_cells():
    sheet = book_of(Wide()).active
    for cell in ["A4", "B5", "C6", "C7"]:
        assert sheet[cell].border.left.style == "thin", cell


def test_a_heading_that_is_its_sheets_title_is_said_once_and_titles_the_document():
    buffer = io.BytesIO()
    write_workbook([Figures()], buffer, heading="测试", scope_label="武侯区")
    buffer.seek(0)
    book = load_workbook(buffer)
    assert book["测试"]["A1"].value == "测试"
    assert book.properties.title == "测试"


def test_ampersands_in_the_heading_print_as_themselves():
    printed = book_of(Figures(), heading="院落 & 社区").active
    assert printed.oddHeader.center.text == "院落 && 社区"


def test_the_courtyard_list_workbook_says_its_title_once(people, login):
    response = login(people.district_staff).get(reverse("courtyards:list"), {"format": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.active["A1"].value == "院落"
    assert book.properties.title == "院落"
