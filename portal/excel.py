"""One writer for every workbook the portal produces.

A sheet is a small class declaring its title, columns, rows and an optional totals row;
`write_workbook` streams the sheets with openpyxl's write-only mode, so memory stays flat
however many rows there are. Text never turns into a formula and characters Excel rejects
are dropped.
"""

import datetime
import tempfile
from dataclasses import dataclass

from django.http import FileResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

INTEGER = "#,##0"
YUAN = "#,##0.00"
PERCENT = "0.0%"
DATE = "yyyy-mm-dd"

HEADER_ROW = 4
_bold = Font(bold=True)
_title_font = Font(bold=True, size=14)
_header_fill = PatternFill("solid", fgColor="DDE7F0")


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

    def rows(self):
        """Yield one list of values per row, in column order."""
        raise NotImplementedError

    def totals(self):
        """The 合计 row's values (aggregated by the database), or None for no totals row."""
        return None


def _cell(sheet, value, *, font=None, number_format=None, fill=None):
    if isinstance(value, Formatted):
        value, number_format = value.value, value.number_format
    value = _clean(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # a leading "=" stays text, never a formula
    if font:
        cell.font = font
    if number_format:
        cell.number_format = number_format
    if fill:
        cell.fill = fill
    return cell


def _clean(value):
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
    return value


def write_workbook(sheets, target, *, heading, scope_label, progress=None):
    """Write `sheets` into `target` (a path or binary file), each under a header block
    giving the heading, the scope and the time of generation. `progress(sheet, rows)` is
    called as rows are written, for a progress display."""
    book = Workbook(write_only=True)
    generated = date_format(timezone.localtime(), "Y-m-d H:i")
    for spec in sheets:
        sheet = book.create_sheet(title=str(spec.title)[:31])
        for index, column in enumerate(spec.columns):
            sheet.column_dimensions[get_column_letter(index + 1)].width = column.width
        sheet.freeze_panes = f"A{HEADER_ROW + 1}"
        sheet.append([_cell(sheet, f"{heading} · {spec.title}", font=_title_font)])
        sheet.append(
            [
                _cell(
                    sheet,
                    _("Scope: %(scope)s    Generated: %(time)s")
                    % {"scope": scope_label, "time": generated},
                )
            ]
        )
        sheet.append([])
        sheet.append(
            [
                _cell(sheet, str(column.header), font=_bold, fill=_header_fill)
                for column in spec.columns
            ]
        )
        for row in spec.rows():
            sheet.append(
                [
                    _cell(sheet, value, number_format=column.number_format)
                    for value, column in zip(row, spec.columns, strict=True)
                ]
            )
        totals = spec.totals()
        if totals is not None:
            sheet.append(
                [
                    _cell(sheet, value, font=_bold, number_format=column.number_format)
                    for value, column in zip(totals, spec.columns, strict=True)
                ]
            )
    book.save(target)


def workbook_response(sheets, *, filename, heading, scope_label):
    """An HTTP download of the workbook, spooled through a temporary file."""
    buffer = tempfile.TemporaryFile()  # noqa: SIM115 (closed by FileResponse)
    write_workbook(sheets, buffer, heading=heading, scope_label=scope_label)
    buffer.seek(0)
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
