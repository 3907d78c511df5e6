"""One writer for every workbook the portal produces.

A sheet is a small class declaring its title, columns, rows and an optional totals row;
`write_workbook` streams the sheets through portal.xlsx, so memory stays flat however many
rows there are. Text never turns into a formula and characters Excel rejects
are dropped.

Every sheet is made to be printed: A4 landscape, one page wide, the header row (and the
columns a sheet names in `title_columns`) repeated on every page, the heading in the page
header and "page N of M" in the footer; columns are at least as wide as a header needs
on four lines, headers and text wider than their column wrap, and the table has borders.
"""

import datetime
import math
import tempfile
from dataclasses import dataclass

from django.http import FileResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from portal.xlsx import Cell, PageSetup, Workbook, header_footer_text, text_width

INTEGER = "#,##0"
YUAN = "#,##0.00"
PERCENT = "0.0%"
DATE = "yyyy-mm-dd"

HEADER_ROW = 4
HEADER_LINES = 4  # a header wraps onto at most this many lines: its column widens beyond


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 12
    number_format: str | None = None


@dataclass(frozen=True)
class Formatted:
    """A value with a number format of its own, for sheets whose rows mix kinds of figure."""

    value: object
    number_format: str


class Sheet:
    title = ""
    columns: list[Column] = []
    # How many leading columns name a row (序号, street, community...): printed on every
    # page when a sheet is too wide for one (portal workbooks are fitted to one page wide,
    # so this matters when someone prints at 100%).
    title_columns = 0

    def rows(self):
        """Yield one list of values per row, in column order."""
        raise NotImplementedError

    def totals(self):
        """The 合计 row's values (aggregated by the database), or None for no totals row."""
        return None

    def of_which(self):
        """Rows printed in bold after the 合计 row: the "其中" (of which) lines of a Chinese
        statistical table, each a part of the 合计 that something else is compared with."""
        return []

    def notes(self):
        """Lines of text under the table (注：…), one a row in the first column, not wrapped:
        they run across the empty cells to their right, so keep each narrower than the
        table."""
        return []


def _clean(value):
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
    if isinstance(value, Formatted):
        return Cell(
            _clean(value.value), number_format=value.number_format, align="middle", border="thin"
        )
    return value


def _width(column):
    """The column's width, widened so that its header fits on HEADER_LINES lines."""
    return max(column.width, math.ceil(text_width(str(column.header)) / HEADER_LINES) + 1)


def _page_setup(spec, heading, scope_label):
    title = str(spec.title)
    header = "&C" + header_footer_text(heading)
    if scope_label and str(scope_label) not in heading:
        header = "&L" + header_footer_text(scope_label) + header
    if title != heading:
        header += "&R&A"
    return PageSetup(
        header=header,
        footer="&C" + _("Page &P of &N"),
        title_rows=(HEADER_ROW, HEADER_ROW),
        title_columns=(1, spec.title_columns) if spec.title_columns else None,
    )


def _bold(values, columns):
    """A 合计 (or 其中) row: bold, each value in its column's number format or its own."""
    return [
        Cell(
            value.value,
            font="bold",
            number_format=value.number_format,
            align="middle",
            border="thin",
        )
        if isinstance(value, Cell)
        else Cell(
            value,
            font="bold",
            number_format=column.number_format,
            align="middle",
            border="thin",
        )
        for value, column in zip((_clean(v) for v in values), columns, strict=True)
    ]


def write_workbook(sheets, target, *, heading, scope_label, progress=None, criteria=()):
    """Write `sheets` into `target` (a path or binary file), each under a header block
    giving the heading, the scope and the time of generation, and the filters a list was
    exported with (`criteria`, "label：value" strings) if any. `progress(sheet, rows)` is
    called as rows are written, for a progress display."""
    heading = _clean(heading)
    generated = date_format(timezone.localtime(), "Y-m-d H:i")
    with Workbook(target, title=heading) as book:
        for spec in sheets:
            title = _clean(spec.title)
            sheet = book.sheet(
                title[:31],
                widths=[_width(column) for column in spec.columns],
                freeze_row=HEADER_ROW + 1,
                page=_page_setup(spec, heading, scope_label),
            )
            _write_header_block(sheet, spec, title, heading, scope_label, generated, criteria)
            written = _write_rows(book, sheet, spec, progress)
            _write_totals(sheet, spec)
            _write_notes(sheet, spec)
            if progress:
                progress(spec, written)


def _write_header_block(sheet, spec, title, heading, scope_label, generated, criteria=()):
    """Rows 1 to HEADER_ROW: the heading, the scope and time, the filters (or a blank
    row), the headers."""
    # A list's heading is often its only sheet's title: say it once.
    sheet.append([Cell(heading if title == heading else f"{heading} · {title}", font="title")])
    sheet.append(
        [
            _clean(
                _("Scope: %(scope)s    Generated: %(time)s")
                % {"scope": scope_label, "time": generated}
            )
        ]
    )
    sheet.append(
        [_clean(_("Filters: %(filters)s") % {"filters": "；".join(criteria)})] if criteria else []
    )
    sheet.append(
        [
            Cell(
                _clean(column.header),
                font="bold",
                fill="header",
                align="header",
                border="thin",
            )
            for column in spec.columns
        ],
        wrap=True,
    )


def _write_rows(book, sheet, spec, progress):
    """The table's rows, each column in its number format; returns how many were written."""
    styles = [
        book.styles.index(number_format=c.number_format, align="middle", border="thin")
        for c in spec.columns
    ]
    written = 0
    for row in spec.rows():
        sheet.append([_clean(value) for value in row], styles, wrap=True)
        written += 1
        if progress and written % 1000 == 0:
            progress(spec, written)
    return written


def _write_totals(sheet, spec):
    """The 合计 row, if the sheet has one, then its 其中 rows, in bold."""
    totals = spec.totals()
    for row in ([totals] if totals is not None else []) + list(spec.of_which()):
        sheet.append(_bold(row, spec.columns), wrap=True)


def _write_notes(sheet, spec):
    """The notes under the table, after a blank row."""
    notes = spec.notes()
    if notes:
        sheet.append([])
        for note in notes:
            sheet.append([_clean(note)])


def workbook_response(sheets, *, filename, heading, scope_label, criteria=()):
    """An HTTP download of the workbook, spooled through a temporary file."""
    buffer = tempfile.TemporaryFile()  # noqa: SIM115 (closed by FileResponse)
    write_workbook(sheets, buffer, heading=heading, scope_label=scope_label, criteria=criteria)
    buffer.seek(0)
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
