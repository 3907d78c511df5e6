"""A small streaming xlsx writer: each row becomes XML text at once and goes straight into
the zip entry of its sheet, so time and memory grow with the rows written and nothing
else. It writes what the portal's workbooks use (text, numbers, dates, booleans, a few
fonts, one fill, number formats, column widths, a frozen header) and nothing more;
openpyxl's write-only mode spent most of an export building and serialising one cell
object per value (docs/bench.md).

Text is always written as an inline string, so a value starting with "=" stays text.
"""

import datetime
import decimal
import zipfile
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
EPOCH = datetime.datetime(1899, 12, 30)
FLUSH_EVERY = 200

FONTS = {
    None: '<font><sz val="11"/><name val="Calibri"/></font>',
    "bold": '<font><b/><sz val="11"/><name val="Calibri"/></font>',
    "title": '<font><b/><sz val="14"/><name val="Calibri"/></font>',
}
FILLS = {
    None: '<fill><patternFill patternType="none"/></fill>',
    "gray125": '<fill><patternFill patternType="gray125"/></fill>',
    "header": '<fill><patternFill patternType="solid"><fgColor rgb="FFDDE7F0"/>'
    '<bgColor indexed="64"/></patternFill></fill>',
}


class Styles:
    """Cell formats (font, fill, number format) numbered as they are first used."""

    def __init__(self):
        self.formats = {}  # number format -> id
        self.xfs = {(None, None, None): 0}

    def index(self, font=None, fill=None, number_format=None):
        key = (font, fill, number_format)
        index = self.xfs.get(key)
        if index is None:
            if number_format is not None and number_format not in self.formats:
                self.formats[number_format] = 164 + len(self.formats)
            index = self.xfs[key] = len(self.xfs)
        return index

    def xml(self):
        fonts, fills = list(FONTS), list(FILLS)
        formats = "".join(
            f'<numFmt numFmtId="{i}" formatCode={quoteattr(code)}/>'
            for code, i in self.formats.items()
        )
        xfs = []
        for font, fill, number_format in self.xfs:
            number = self.formats.get(number_format, 0)
            applied = (
                (' applyNumberFormat="1"' if number else "")
                + (' applyFont="1"' if font else "")
                + (' applyFill="1"' if fill else "")
            )
            xfs.append(
                f'<xf numFmtId="{number}" fontId="{fonts.index(font)}" '
                f'fillId="{fills.index(fill)}" borderId="0" xfId="0"{applied}/>'
            )
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<styleSheet xmlns="{MAIN}">'
            f'<numFmts count="{len(self.formats)}">{formats}</numFmts>'
            f'<fonts count="{len(fonts)}">{"".join(FONTS.values())}</fonts>'
            f'<fills count="{len(fills)}">{"".join(FILLS.values())}</fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            "</cellStyles></styleSheet>"
        )


class Cell:
    """A value with a style of its own (font, fill, number format)."""

    __slots__ = ("value", "font", "fill", "number_format")

    def __init__(self, value, font=None, fill=None, number_format=None):
        self.value, self.font, self.fill = value, font, fill
        self.number_format = number_format


class SheetWriter:
    def __init__(self, book, stream, widths, freeze_row):
        self.book, self.stream = book, stream
        self.row_number = 0
        self.pending = []
        self.letters = [get_column_letter(i + 1) for i in range(max(len(widths), 1) + 50)]
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>'
            for i, width in enumerate(widths, start=1)
        )
        pane = (
            f'<pane ySplit="{freeze_row - 1}" topLeftCell="A{freeze_row}" '
            'activePane="bottomLeft" state="frozen"/>'
            if freeze_row
            else ""
        )
        self.write(
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<worksheet xmlns="{MAIN}" xmlns:r="{RELS}">'
            f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/>'
            f"{'<cols>' + cols + '</cols>' if cols else ''}<sheetData>"
        )

    def write(self, text):
        self.stream.write(text.encode())

    def append(self, values, styles=None):
        """One row. `styles`: a style index per column (or None), for values that are not
        Cell objects."""
        self.row_number += 1
        number = self.row_number
        letters = self.letters
        style_of = self.book.styles.index
        parts = [f'<row r="{number}">']
        for column, value in enumerate(values):
            style = styles[column] if styles else 0
            if isinstance(value, Cell):
                style = style_of(value.font, value.fill, value.number_format)
                value = value.value
            if value is None or value == "":
                continue
            reference = f"{letters[column]}{number}"
            s = f' s="{style}"' if style else ""
            if isinstance(value, str):
                parts.append(
                    f'<c r="{reference}"{s} t="inlineStr"><is><t xml:space="preserve">'
                    f"{escape(value)}</t></is></c>"
                )
            elif isinstance(value, bool):
                parts.append(f'<c r="{reference}"{s} t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int | float | decimal.Decimal):
                parts.append(f'<c r="{reference}"{s}><v>{value}</v></c>')
            elif isinstance(value, datetime.datetime):
                serial = (value.replace(tzinfo=None) - EPOCH).total_seconds() / 86400
                parts.append(f'<c r="{reference}"{s}><v>{serial}</v></c>')
            elif isinstance(value, datetime.date):
                serial = (value - EPOCH.date()).days
                parts.append(f'<c r="{reference}"{s}><v>{serial}</v></c>')
            else:
                parts.append(
                    f'<c r="{reference}"{s} t="inlineStr"><is><t xml:space="preserve">'
                    f"{escape(str(value))}</t></is></c>"
                )
        parts.append("</row>")
        self.pending.append("".join(parts))
        if len(self.pending) >= FLUSH_EVERY:
            self.flush()

    def flush(self):
        if self.pending:
            self.write("".join(self.pending))
            self.pending = []

    def close(self):
        self.flush()
        self.write("</sheetData></worksheet>")
        self.stream.close()


class Workbook:
    """`with Workbook(target) as book:` then `book.sheet(title, widths, freeze_row)` for each
    sheet in turn (one open at a time), appending rows to it."""

    def __init__(self, target):
        self.zip = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self.styles = Styles()
        self.titles = []
        self.current = None

    def sheet(self, title, widths=(), freeze_row=None):
        if self.current:
            self.current.close()
        self.titles.append(title)
        stream = self.zip.open(f"xl/worksheets/sheet{len(self.titles)}.xml", "w", force_zip64=True)
        self.current = SheetWriter(self, stream, widths, freeze_row)
        return self.current

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.current:
            self.current.close()
        if exc[0] is None:
            self._package()
        self.zip.close()

    def _package(self):
        count = len(self.titles)
        sheets = "".join(
            f'<sheet name={quoteattr(title)} sheetId="{i}" r:id="rId{i}"/>'
            for i, title in enumerate(self.titles, start=1)
        )
        self.zip.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>{sheets}</sheets></workbook>',
        )
        relations = "".join(
            f'<Relationship Id="rId{i}" Type="{DOC_TYPE}/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, count + 1)
        )
        relations += (
            f'<Relationship Id="rId{count + 1}" Type="{DOC_TYPE}/styles" Target="styles.xml"/>'
        )
        self.zip.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<Relationships xmlns="{PACKAGE_RELS}">{relations}</Relationships>',
        )
        self.zip.writestr("xl/styles.xml", self.styles.xml())
        self.zip.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_TYPE}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, count + 1)
        )
        self.zip.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>",
        )
