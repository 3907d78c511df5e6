import io

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
