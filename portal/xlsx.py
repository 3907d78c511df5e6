"""A small streaming xlsx writer: each row becomes XML text at once and goes straight into
the zip entry of its sheet, so time and memory grow with the rows written and nothing
else. It writes what the portal's workbooks use (text, numbers, dates, booleans, a few
fonts, one fill, thin borders, wrapped text, number formats, column widths, row heights, a
frozen header, a page setup with print titles, page header and footer, and the document's
title) and nothing more; openpyxl's write-only mode spent most of an export building and
serialising one cell object per value (docs/bench.md).

Text is always written as an inline string, so a value starting with "=" stays text. Text
wider than its column is wrapped and its row made tall enough (`text_width`: a CJK
character counts two width units, as it prints twice as wide as a digit).
"""

import datetime
import decimal
import math
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CORE_PROPERTIES = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"

# The package's own relationships: where the workbook and its properties are.
PACKAGE_RELATIONSHIPS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
    f'Type="{DOC_TYPE}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    "</Relationships>"
)

EPOCH = datetime.datetime(1899, 12, 30)
FLUSH_EVERY = 200
# Points per line of 11-point text: CJK fonts need about 1.45 em.
LINE_HEIGHT = 16
A4 = 9

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


ALIGNMENTS = {
    None: "",
    "middle": '<alignment vertical="center"/>',
    "wrap": '<alignment vertical="center" wrapText="1"/>',
    "header": '<alignment horizontal="center" vertical="center" wrapText="1"/>',
}
BORDERS = {
    None: "<border><left/><right/><top/><bottom/><diagonal/></border>",
    "thin": '<border><left style="thin"/><right style="thin"/><top style="thin"/>'
    '<bottom style="thin"/><diagonal/></border>',
}


def text_width(text):
    """How wide `text` prints, in column-width units (the width of a digit): a CJK or other
    wide character (3 bytes in UTF-8) counts two, anything else one."""
    wide = (len(text.encode()) - len(text)) // 2
    return len(text) + wide


def lines_needed(text, width):
    """Lines `text` takes wrapped in a column `width` units wide (half a unit of padding
    kept: Excel's CJK glyphs are a little wider than two digits)."""
    room = max(width - 0.5, 1)
    lines = 0
    for part in text.split("\n"):
        lines += max(math.ceil(text_width(part) / room), 1)
    return lines


class Styles:
    """Cell formats (font, fill, number format, alignment, border) numbered as they are
    first used."""

    def __init__(self):
        self.formats = {}  # number format -> id
        self.xfs = {(None, None, None, None, None): 0}
        self.keys = [(None, None, None, None, None)]
        self.wrapped_of = {}

    def index(self, font=None, fill=None, number_format=None, align=None, border=None):
        key = (font, fill, number_format, align, border)
        index = self.xfs.get(key)
        if index is None:
            if number_format is not None and number_format not in self.formats:
                self.formats[number_format] = 164 + len(self.formats)
            index = self.xfs[key] = len(self.xfs)
            self.keys.append(key)
        return index

    def wrapped(self, index):
        """The style like `index` but wrapping its text."""
        wrapped = self.wrapped_of.get(index)
        if wrapped is None:
            font, fill, number_format, align, border = self.keys[index]
            align = "wrap" if align in (None, "middle") else align
            wrapped = self.index(font, fill, number_format, align, border)
            self.wrapped_of[index] = wrapped
        return wrapped

    def xml(self):
        fonts, fills = list(FONTS), list(FILLS)
        formats = "".join(
            f'<numFmt numFmtId="{i}" formatCode={quoteattr(code)}/>'
            for code, i in self.formats.items()
        )
        borders = list(BORDERS)
        xfs = []
        for font, fill, number_format, align, border in self.xfs:
            number = self.formats.get(number_format, 0)
            applied = (
                (' applyNumberFormat="1"' if number else "")
                + (' applyFont="1"' if font else "")
                + (' applyFill="1"' if fill else "")
                + (' applyBorder="1"' if border else "")
                + (' applyAlignment="1"' if align else "")
            )
            alignment = ALIGNMENTS[align]
            xfs.append(
                f'<xf numFmtId="{number}" fontId="{fonts.index(font)}" '
                f'fillId="{fills.index(fill)}" borderId="{borders.index(border)}" xfId="0"'
                f"{applied}{'>' + alignment + '</xf>' if alignment else '/>'}"
            )
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<styleSheet xmlns="{MAIN}">'
            f'<numFmts count="{len(self.formats)}">{formats}</numFmts>'
            f'<fonts count="{len(fonts)}">{"".join(FONTS.values())}</fonts>'
            f'<fills count="{len(fills)}">{"".join(FILLS.values())}</fills>'
            f'<borders count="{len(borders)}">{"".join(BORDERS.values())}</borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            "</cellStyles></styleSheet>"
        )


class Cell:
    """A value with a style of its own (font, fill, number format, alignment, border)."""

    __slots__ = ("value", "font", "fill", "number_format", "align", "border")

    def __init__(self, value, font=None, fill=None, number_format=None, align=None, border=None):
        self.value, self.font, self.fill = value, font, fill
        self.number_format, self.align, self.border = number_format, align, border


def header_footer_text(text):
    """Text for a page header or footer: "&" starts a code there, so it is doubled."""
    return str(text).replace("&", "&&")


@dataclass(frozen=True)
class PageSetup:
    """How a sheet prints: A4 landscape, scaled to one page wide and as many pages tall as
    it takes, with a page header and footer (Excel's codes: &P page, &N pages, &A sheet;
    text must have its "&" doubled, see `header_footer_text`), and the rows and columns
    repeated on every page (1-based, inclusive; None for none)."""

    header: str = ""
    footer: str = ""
    title_rows: tuple[int, int] | None = None
    title_columns: tuple[int, int] | None = None
    landscape: bool = True
    paper: int = A4
    margins: tuple = (0.4, 0.4, 0.7, 0.7, 0.3, 0.3)  # left right top bottom header footer

    def xml(self):
        left, right, top, bottom, header, footer = self.margins
        orientation = "landscape" if self.landscape else "portrait"
        return (
            '<printOptions horizontalCentered="1"/>'
            f'<pageMargins left="{left}" right="{right}" top="{top}" bottom="{bottom}" '
            f'header="{header}" footer="{footer}"/>'
            f'<pageSetup paperSize="{self.paper}" orientation="{orientation}" '
            'fitToWidth="1" fitToHeight="0"/>'
            "<headerFooter>"
            f"{'<oddHeader>' + escape(self.header[:255]) + '</oddHeader>' if self.header else ''}"
            f"{'<oddFooter>' + escape(self.footer[:255]) + '</oddFooter>' if self.footer else ''}"
            "</headerFooter>"
        )

    def print_titles(self, title):
        """The value of the sheet's _xlnm.Print_Titles defined name, or None."""
        sheet = "'" + title.replace("'", "''") + "'"
        ranges = []
        if self.title_rows:
            first, last = self.title_rows
            ranges.append(f"{sheet}!${first}:${last}")
        if self.title_columns:
            first, last = (get_column_letter(n) for n in self.title_columns)
            ranges.append(f"{sheet}!${first}:${last}")
        return ",".join(ranges) or None


def cell_xml(reference, value, style):
    """The <c> element of a value that is not empty: text (and anything unknown, as text)
    inline, booleans, numbers, and dates as Excel serial numbers."""
    s = f' s="{style}"' if style else ""
    if isinstance(value, str):
        return (
            f'<c r="{reference}"{s} t="inlineStr"><is><t xml:space="preserve">'
            f"{escape(value)}</t></is></c>"
        )
    if isinstance(value, bool):
        return f'<c r="{reference}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | decimal.Decimal):
        return f'<c r="{reference}"{s}><v>{value}</v></c>'
    if isinstance(value, datetime.datetime):
        serial = (value.replace(tzinfo=None) - EPOCH).total_seconds() / 86400
        return f'<c r="{reference}"{s}><v>{serial}</v></c>'
    if isinstance(value, datetime.date):
        serial = (value - EPOCH.date()).days
        return f'<c r="{reference}"{s}><v>{serial}</v></c>'
    return (
        f'<c r="{reference}"{s} t="inlineStr"><is><t xml:space="preserve">'
        f"{escape(str(value))}</t></is></c>"
    )


class SheetWriter:
    def __init__(self, book, stream, widths, freeze_row, page=None):
        self.book, self.stream = book, stream
        # Text up to this wide fits its column; beyond the declared columns, anything does.
        self.limits = [width - 0.5 for width in widths] + [math.inf] * 50
        self.widths = list(widths)
        self.page = page
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
        properties = '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if page else ""
        self.write(
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<worksheet xmlns="{MAIN}" xmlns:r="{RELS}">{properties}'
            f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/>'
            f"{'<cols>' + cols + '</cols>' if cols else ''}<sheetData>"
        )

    def write(self, text):
        self.stream.write(text.encode())

    def append(self, values, styles=None, wrap=False):
        """One row. `styles`: a style index per column (or None), for values that are not
        Cell objects. With `wrap`, text wider than its column wraps and the row is made as
        tall as its tallest cell (rows are otherwise left at the height the reader gives)."""
        self.row_number += 1
        number = self.row_number
        letters = self.letters
        styles_of = self.book.styles
        lines = 1
        parts = []
        for column, value in enumerate(values):
            style = styles[column] if styles else 0
            if isinstance(value, Cell):
                style = styles_of.index(
                    value.font, value.fill, value.number_format, value.align, value.border
                )
                value = value.value
            reference = f"{letters[column]}{number}"
            if value is None or value == "":
                if style and styles_of.keys[style][4]:  # an empty cell keeps its border
                    parts.append(f'<c r="{reference}" s="{style}"/>')
                continue
            if wrap and isinstance(value, str) and self._too_wide(value, column):
                style = styles_of.wrapped(style)
                lines = max(lines, lines_needed(value, self.widths[column]))
            parts.append(cell_xml(reference, value, style))
        self._queue_row(number, lines, parts)

    def _too_wide(self, text, column):
        """Whether `text` is wider than its column. Most text fits even counted two units a
        character; only the rest is measured."""
        limit = self.limits[column]
        return len(text) * 2 > limit and text_width(text) > limit

    def _queue_row(self, number, lines, cells):
        """Keep the row's XML to write with the next batch (taller when it has wrapped text)."""
        if lines > 1:
            row = f'<row r="{number}" ht="{lines * LINE_HEIGHT}" customHeight="1">'
        else:
            row = f'<row r="{number}">'
        self.pending.append(row + "".join(cells) + "</row>")
        if len(self.pending) >= FLUSH_EVERY:
            self.flush()

    def flush(self):
        if self.pending:
            self.write("".join(self.pending))
            self.pending = []

    def close(self):
        self.flush()
        self.write(f"</sheetData>{self.page.xml() if self.page else ''}</worksheet>")
        self.stream.close()


class Workbook:
    """`with Workbook(target, title=...) as book:` then `book.sheet(title, widths,
    freeze_row, page)` for each sheet in turn (one open at a time), appending rows to it.
    `title` is the document's title (what a reader shows in its title bar)."""

    def __init__(self, target, title=""):
        self.zip = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self.styles = Styles()
        self.title = title
        self.titles = []
        self.print_titles = []
        self.current = None

    def sheet(self, title, widths=(), freeze_row=None, page=None):
        if self.current:
            self.current.close()
        self.titles.append(title)
        self.print_titles.append(page.print_titles(title) if page else None)
        stream = self.zip.open(f"xl/worksheets/sheet{len(self.titles)}.xml", "w", force_zip64=True)
        self.current = SheetWriter(self, stream, widths, freeze_row, page)
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
        """Write the parts around the sheets: workbook, relationships, styles, properties."""
        self.zip.writestr("xl/workbook.xml", self._workbook_xml())
        self.zip.writestr("xl/_rels/workbook.xml.rels", self._workbook_relationships())
        self.zip.writestr("xl/styles.xml", self.styles.xml())
        self.zip.writestr("docProps/core.xml", self._core_properties())
        self.zip.writestr("_rels/.rels", PACKAGE_RELATIONSHIPS)
        self.zip.writestr("[Content_Types].xml", self._content_types())

    def _workbook_xml(self):
        """The sheets in order, and each sheet's print titles."""
        sheets = "".join(
            f'<sheet name={quoteattr(title)} sheetId="{i}" r:id="rId{i}"/>'
            for i, title in enumerate(self.titles, start=1)
        )
        names = "".join(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">{escape(value)}'
            "</definedName>"
            for i, value in enumerate(self.print_titles)
            if value
        )
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>{sheets}</sheets>'
            f"{'<definedNames>' + names + '</definedNames>' if names else ''}</workbook>"
        )

    def _workbook_relationships(self):
        count = len(self.titles)
        relations = "".join(
            f'<Relationship Id="rId{i}" Type="{DOC_TYPE}/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, count + 1)
        )
        relations += (
            f'<Relationship Id="rId{count + 1}" Type="{DOC_TYPE}/styles" Target="styles.xml"/>'
        )
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<Relationships xmlns="{PACKAGE_RELS}">{relations}</Relationships>'
        )

    def _core_properties(self):
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<cp:coreProperties xmlns:cp="{CORE_PROPERTIES}" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{escape(self.title)}</dc:title></cp:coreProperties>"
        )

    def _content_types(self):
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(self.titles) + 1)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/'
            'vnd.openxmlformats-package.core-properties+xml"/>'
            f"{overrides}</Types>"
        )
