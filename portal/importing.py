"""Excel import and export through django-import-export, narrowed to the user's scope.

Every resource is built with the requesting user, so its lookups (which rows to update,
which parent a row names) only reach records that user may see. An import is all or
nothing: one bad row rolls the whole file back, and each error names its row (as Excel
numbers it) and its column (by its Chinese header).

A file is read as a clerk makes it (docs/architecture.md, "Excel"): only its first sheet
(`PortalXLSX`); the header found below any title rows and matched loosely (`header_key`);
blank rows, 合计/小计 rows and signature lines skipped; every text cell cleaned
(`portal.import_cells`). A header that is not one of the table's, or a required column
that is missing, refuses the file before any row is read.
"""

import io
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field

import openpyxl
import tablib
from diff_match_patch import diff_match_patch
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.encoding import force_str
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from import_export import resources, widgets
from import_export.formats.base_formats import XLSX
from import_export.instance_loaders import BaseInstanceLoader, ModelInstanceLoader
from import_export.resources import Diff
from import_export.results import Result
from openpyxl.utils import get_column_letter
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from portal.access import restrict, scope_of
from portal.import_cells import ChoiceWidget, clean_text, is_blank, match_key
from portal.kept import communities_of
from portal.scope_cache import figures_changed

logger = logging.getLogger(__name__)

HEADER_SEARCH_ROWS = 10  # the header is looked for among the first non-blank rows
NUMBER_COLUMN = "序号"  # the running number clerks put in column A: read past, not imported
TOTAL_ROWS = {"合计", "小计", "总计", "共计", "累计"}
NOTE_LINE = re.compile(
    r"^(填表人|填报人|制表人|审核人|审核|负责人|联系人|联系电话|填表日期|填报日期|制表日期"
    r"|日期|填报单位|单位|注|备注|说明|填表说明)[:：]"
)


class ImportRefused(Exception):
    """The file as a whole is refused (its sheets, its header): one sentence in Chinese
    per cause. Raised before any row is read."""

    def __init__(self, *messages):
        super().__init__(*messages)
        self.messages = [str(message) for message in messages]

    def __str__(self):
        return " ".join(self.messages)


def header_key(text):
    """A header as compared: 户数, 户数（户）, `户数\\n(户)`, ` 户数 `, 户数/户 and 户数*
    all give 户数."""
    key = match_key(text).strip("*")
    key = re.sub(r"[(\[【〔].*?[)\]】〕]", "", key)  # units and notes in brackets
    key = re.sub(r"[/:][^/:]{1,3}$", "", key)  # 户数/户, 金额:元
    return key.strip("*")


def _header_keys(text):
    """The keys under which a file's header may be found: as written, and without a
    leading 所属 or a trailing 名称 (所属社区, 院落名称)."""
    key = header_key(text)
    keys = [key]
    for shorter in (key.removeprefix("所属"), key.removesuffix("名称")):
        if shorter and shorter not in keys:
            keys.append(shorter)
    return keys


# Reading the workbook


@dataclass
class Sheet:
    """What `PortalXLSX` read: the first sheet's title, its rows numbered as in Excel,
    and the titles of the sheets it did not read."""

    title: str
    unread: list = field(default_factory=list)


class PortalXLSX(XLSX):
    """Reads the first sheet of a workbook, every row of it, numbered as Excel numbers
    it; the resource finds the header (`ScopedResource.before_import`). Refuses, in
    Chinese, a file that is not a workbook or whose first sheet is empty."""

    def create_dataset(self, in_stream):
        try:
            book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        except Exception:
            raise ImportRefused(
                _(
                    "This file cannot be read as an Excel workbook. Upload an .xlsx file "
                    "(in Excel: File › Save as › Excel workbook)."
                )
            ) from None
        try:
            first, *others = book.worksheets
            rows, blank_run = [], 0
            for row in first.iter_rows(values_only=True):
                if not _width(row):  # kept only when a row with data follows: a sheet
                    blank_run += 1  # formatted down to row 1,048,576 holds no more
                    continue
                rows += [[]] * blank_run + [list(row)]
                blank_run = 0
            width = max((_width(row) for row in rows), default=0)
            unread = [sheet.title for sheet in others if _has_data(sheet)]
        finally:
            book.close()
        if not width:
            if unread:
                raise ImportRefused(
                    _(
                        "The first sheet, “%(sheet)s”, is empty. Only the first sheet of a "
                        "workbook is read: move the sheet with the data (%(others)s) to the "
                        "front, then upload the file again."
                    )
                    % {"sheet": first.title, "others": "、".join(f"“{t}”" for t in unread)}
                )
            raise ImportRefused(_("The file is empty."))
        dataset = _Grid(headers=[get_column_letter(n) for n in range(1, width + 1)])
        for row in rows:
            dataset.append((row + [None] * width)[:width])
        dataset.sheet = Sheet(title=first.title, unread=unread)
        return dataset


class _Grid(tablib.Dataset):
    """A sheet's rows from row 1, before the resource has found its header."""

    sheet = None


def _width(row):
    for index in range(len(row), 0, -1):
        if not is_blank(row[index - 1]):
            return index
    return 0


def _has_data(sheet):
    return any(_width(list(row)) for row in sheet.iter_rows(max_row=50, values_only=True))


# What a file held, and what became of it


@dataclass
class Problem:
    row: str  # 第5行, or "" for the whole file
    column: str
    message: str


class SheetResult(Result):
    """The library's result, with what the admin page tells the clerk: which sheet and
    rows were read and skipped, and every problem as (row, column, reason)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reading = []  # sentences on what was read and skipped
        self.problems = []


class PreviewDiff(Diff):
    """The preview's cells without the inline styles of the library's diff, which the
    portal's Content-Security-Policy blocks: a new record's values as they are, an
    update's changes as <ins> and <del> (coloured by import_export/import.css)."""

    def as_html(self):
        cells = []
        engine = diff_match_patch()
        for old, new in zip(self.left, self.right, strict=False):
            if self.new:
                cells.append(escape(force_str(new)))
                continue
            changes = engine.diff_main(force_str(old), force_str(new))
            engine.diff_cleanupSemantic(changes)
            tags = {engine.DIFF_INSERT: "ins", engine.DIFF_DELETE: "del"}
            cells.append(
                mark_safe(  # every piece of text is escaped
                    "".join(
                        f"<{tags[op]}>{escape(text)}</{tags[op]}>" if op in tags else escape(text)
                        for op, text in changes
                    )
                )
            )
        return cells


@dataclass
class Layout:
    sheet_title: str = ""
    unread: list = field(default_factory=list)
    header_row: int = 1
    rows: list = field(default_factory=list)  # the sheet row of each data row
    blank: int = 0
    totals: int = 0
    notes: int = 0


class ScopedResource(resources.ModelResource):
    """`bulk_import = True` (for resources whose rows need no per-row save logic) imports
    with the same widgets and validation in far fewer queries: the parents a file names
    and the records it may update are read once for the whole file, rows are inserted in
    batches with their history rows, and no savepoint is taken per row (the import's own
    transaction still rolls everything back on the first bad row).

    `context_columns` names read-only columns that a widget needs to find its record
    (the body of a term): they are required in the header like the model's required
    fields."""

    bulk_import = False
    context_columns = ()

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.withheld_columns = []  # columns this user may not import (personal data)
        for resource_field in self.fields.values():
            if isinstance(resource_field.widget, ScopedForeignKeyWidget):
                resource_field.widget.user = user
        if self.bulk_import:
            for resource_field in self.fields.values():
                # Translated once for the whole file, not for every cell read.
                resource_field.column_name = str(resource_field.column_name)
            self._meta.use_bulk = True
            self._meta.batch_size = 2000
        self._meta.instance_loader_class = (
            PrefetchedInstanceLoader if self.bulk_import else MatchingInstanceLoader
        )
        self.layout = Layout()

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False

    @classmethod
    def get_result_class(cls):
        return SheetResult

    @classmethod
    def get_diff_class(cls):
        return PreviewDiff

    def get_queryset(self):
        return restrict(super().get_queryset(), scope_of(self.user))

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None  # a bad identity column is reported by import_instance, per column

    # The columns

    def column_fields(self):
        """{header key: resource field} for every column the table knows."""
        columns = {}
        for resource_field in self.fields.values():
            if resource_field.column_name:
                key = header_key(resource_field.column_name)
                if key in columns:
                    raise ValueError(f"Two columns of {type(self).__name__} read as {key}")
                columns[key] = resource_field
        return columns

    def required_columns(self):
        """The columns a file must have: the columns identifying a record, the model's
        required fields (numbers always: a missing column is never read as 0; a choice
        with a default may be left out) and the context columns."""
        required = []
        identity = set(self.get_import_id_fields())
        for name, resource_field in self.fields.items():
            if resource_field.readonly or not resource_field.attribute:
                if resource_field.column_name in self.context_columns:
                    required.append(str(resource_field.column_name))
                continue
            model_field = self._model_field(resource_field.attribute)
            if model_field is None:
                optional = name not in identity
            else:
                optional = model_field.blank or bool(
                    model_field.choices and model_field.has_default()
                )
            if not optional:
                required.append(str(resource_field.column_name))
        return list(dict.fromkeys(required))

    def _model_field(self, attribute):
        if "__" in attribute:
            return None
        try:
            return self._meta.model._meta.get_field(attribute)
        except FieldDoesNotExist:
            return None

    def column_guide(self):
        """(column, required) for each column a file may have, for the import page."""
        required = set(self.required_columns())
        return [
            (str(resource_field.column_name), str(resource_field.column_name) in required)
            for resource_field in self.get_import_fields()
        ]

    # Reading the file

    def before_import(self, dataset, **kwargs):
        self._identities_seen = {}
        self.layout = Layout()
        try:
            self._read_layout(dataset)
        except ImportRefused:
            dataset.wipe()  # no row is read from a refused file
            raise
        if self.bulk_import:
            for resource_field in self.fields.values():
                widget = resource_field.widget
                if isinstance(widget, ScopedForeignKeyWidget) and not resource_field.readonly:
                    widget.prefetch(dataset, resource_field.column_name)

    def _read_layout(self, dataset):
        """Finds the header, checks it, and leaves in `dataset` only the data rows, with
        the table's own column names and every text cell cleaned."""
        sheet = getattr(dataset, "sheet", None)
        if sheet is not None:
            grid = list(enumerate(dataset, 1))
            self.layout.sheet_title, self.layout.unread = sheet.title, sheet.unread
        else:  # a dataset built in code: its headers are row 1
            grid = [(1, tuple(dataset.headers or ()))] + list(enumerate(dataset, 2))
        header_at, columns = self._find_header(grid)
        header_row, header = grid[header_at]
        self.layout.header_row = header_row
        data = grid[header_at + 1 :]
        self._check_header(header_row, header, columns, data)

        kept = []
        for row_number, values in data:
            cells = [clean_text(value) for value in values]
            used = [cells[index] for index in columns]
            if _is_total(cells):
                self.layout.totals += 1
            elif _is_note(cells):
                self.layout.notes += 1
            elif all(is_blank(value) for value in used):
                self.layout.blank += 1
            else:
                kept.append(used)
                self.layout.rows.append(row_number)
        if not kept:
            raise ImportRefused(
                _("The sheet “%(sheet)s” has a header (row %(row)s) but no data below it.")
                % {"sheet": self._sheet_name(), "row": header_row}
            )
        headers = [str(resource_field.column_name) for resource_field in columns.values()]
        for missing in self._optional_identity_columns(headers):
            headers.append(missing)
            kept = [[*row, ""] for row in kept]
        dataset.wipe()
        dataset.headers = headers
        for row in kept:
            dataset.append(row)

    def _sheet_name(self):
        return self.layout.sheet_title or _("the first sheet")

    def _find_header(self, grid):
        """(index in grid, {cell index: field}) of the first of the first rows that
        names at least two of the table's columns."""
        known = self.column_fields()
        needed = min(2, len(known))
        looked = 0
        for index, (_row, values) in enumerate(grid):
            if all(is_blank(value) for value in values):
                continue
            matches = {
                position: _known(known, value)
                for position, value in enumerate(values)
                if not is_blank(value) and _known(known, value) is not None
            }
            if len(matches) >= needed:
                return index, matches
            looked += 1
            if looked == HEADER_SEARCH_ROWS:
                break
        message = _(
            "No header was found in the first %(rows)s rows of the sheet “%(sheet)s”: a row "
            "naming the columns must come before the data."
        ) % {"rows": HEADER_SEARCH_ROWS, "sheet": self._sheet_name()}
        raise ImportRefused(message, *self._unread_note(), self._columns_note())

    def _check_header(self, row, header, columns, data):
        """Refuses, before any row is read, a header naming a column the table does not
        have, naming one twice, or missing a required one."""
        known = self.column_fields()
        withheld = {header_key(name) for name in self.withheld_columns}
        problems, seen = [], {}
        for position, value in enumerate(header):
            letter = get_column_letter(position + 1)
            if is_blank(value):
                if any(not is_blank(values[position]) for _n, values in data):
                    problems.append(
                        _(
                            "Column %(letter)s has data but no header: write its header in "
                            "row %(row)s, or delete the column."
                        )
                        % {"letter": letter, "row": row}
                    )
                continue
            text = clean_text(str(value))
            resource_field = _known(known, value)
            if resource_field is not None:
                name = str(resource_field.column_name)
                if name in seen:
                    problems.append(
                        _(
                            "The column “%(column)s” appears twice (columns %(first)s and "
                            "%(second)s): keep one."
                        )
                        % {"column": name, "first": seen[name], "second": letter}
                    )
                seen[name] = letter
            elif set(_header_keys(value)) & withheld:
                problems.append(
                    _(
                        "“%(header)s” (column %(letter)s) is personal data that your role does "
                        "not import: delete this column, then upload the file again."
                    )
                    % {"header": text, "letter": letter}
                )
            elif header_key(value) != header_key(NUMBER_COLUMN):
                problems.append(
                    _(
                        "Row %(row)s is the header, but “%(header)s” (column %(letter)s) is "
                        "not a column of this table."
                    )
                    % {"row": row, "header": text, "letter": letter}
                )
        for name in self.required_columns():
            if name not in seen:
                problems.append(
                    _("The required column “%(column)s” is missing.") % {"column": name}
                )
        if problems:
            raise ImportRefused(*problems, self._columns_note())

    def _optional_identity_columns(self, headers):
        """Identity columns the file may leave out (their field may be blank): read as
        blank, as if the column were there and empty."""
        missing = []
        for name in self.get_import_id_fields():
            column = str(self.fields[name].column_name)
            if column not in headers:
                missing.append(column)
        return missing

    def _columns_note(self):
        guide = self.column_guide()
        return _("The columns of this table are: %(columns)s (those marked * are required).") % {
            "columns": "、".join(f"{name}*" if required else name for name, required in guide)
        }

    def _unread_note(self):
        if not self.layout.unread:
            return []
        return [
            _(
                "Only the first sheet of a workbook is read; the sheets %(others)s were not "
                "read: if the data is there, move that sheet to the front."
            )
            % {"others": "、".join(f"“{title}”" for title in self.layout.unread)}
        ]

    # Saving in batches

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Insert the batch with a history row each, as saving one by one would."""
        if self.create_instances and (using_transactions or not dry_run):
            try:
                bulk_create_with_history(
                    self.create_instances,
                    self._meta.model,
                    batch_size=batch_size,
                    default_user=self.user,
                )
                figures_changed(communities_of(self.create_instances))
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Update the batch's imported columns, with a history row each."""
        if self.update_instances and (using_transactions or not dry_run):
            concrete = {field.name for field in self._meta.model._meta.concrete_fields}
            names = [
                field.attribute
                for field in self.get_import_fields()
                if not field.readonly
                and field.attribute in concrete
                and field.attribute not in self.get_import_id_fields()
            ]
            try:
                model = self._meta.model
                # the places the rows were in as well as those they are in now (a courtyard
                # moved to another community)
                stored = model._base_manager.filter(
                    pk__in=[row.pk for row in self.update_instances]
                )
                before = communities_of(list(stored))
                bulk_update_with_history(
                    self.update_instances,
                    model,
                    names,
                    batch_size=batch_size,
                    default_user=self.user,
                )
                after = communities_of(self.update_instances)
                figures_changed(None if before is None or after is None else before | after)
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.update_instances.clear()

    # Each row

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        for error in row_result.errors:
            logger.error("Import of a row failed", exc_info=error.error)
        return row_result

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        """A blank cell of a choice leaves the model's default (or, on an update, the
        value already saved); a blank choice without a default is refused naming the
        choices."""
        column = field.column_name
        if isinstance(field.widget, ChoiceWidget) and column in row and is_blank(row[column]):
            model_field = self._model_field(field.attribute or "")
            if model_field is not None and model_field.has_default():
                return
            if model_field is not None and not model_field.blank and not field.readonly:
                raise ValueError(
                    _("This cell is empty: fill in one of: %(choices)s.")
                    % {"choices": field.widget.labels()}
                )
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        self._row = row
        super().import_instance(instance, row, **kwargs)
        identity_fields = [self.fields[name] for name in self.get_import_id_fields()]
        identity = tuple(_key(instance.serializable_value(f.attribute)) for f in identity_fields)
        number = self._sheet_row(kwargs.get("row_number"))
        first = self._identities_seen.setdefault(identity, number)
        if first != number:
            last = identity_fields[-1]
            raise ValidationError(
                {
                    last.attribute: _(
                        "This row repeats row %(row)s of the same file (the same %(columns)s)."
                    )
                    % {
                        "row": first,
                        "columns": "、".join(str(f.column_name) for f in identity_fields),
                    }
                }
            )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Name each error by the column people see in Excel, not by the model field,
        and give one message per cause: when a cell could not be read, the model's
        complaints that follow from it (the same column, a column filled in, a field no
        column sets, the row as a whole) are left out."""
        cell_errors = dict(import_validation_errors or {})
        try:
            if self.bulk_import:
                self._validate_resolved(instance, cell_errors, validate_unique)
            else:
                super().validate_instance(instance, cell_errors, validate_unique)
        except ValidationError as error:
            errors = self._one_cause_each(error.error_dict, cell_errors)
            raise ValidationError(
                {self._column_label(key): value for key, value in errors.items()}
            ) from None

    def _one_cause_each(self, errors, cell_errors):
        row = getattr(self, "_row", {}) or {}
        imported = {
            f.attribute: f for f in self.get_import_fields() if f.attribute and not f.readonly
        }
        result = {}
        for key, messages in errors.items():
            if key in cell_errors:
                result[key] = ValidationError(cell_errors[key]).error_list
                continue
            resource_field = imported.get(key)
            filled = resource_field is not None and not is_blank(
                row.get(resource_field.column_name)
            )
            kept = []
            for message in messages:
                code = getattr(message, "code", None)
                if code in ("null", "blank"):
                    if cell_errors and (filled or resource_field is None):
                        continue  # follows from a cell that could not be read
                    message = ValidationError(_("This cell is empty: fill it in."), code=code)
                elif cell_errors and (key == NON_FIELD_ERRORS or resource_field is None):
                    continue
                kept.append(message)
            if kept:
                result[key] = kept
        return result

    def _validate_resolved(self, instance, import_validation_errors, validate_unique):
        """full_clean as the default does, minus the existence query of each foreign key
        our widgets resolved (a missing parent is already a row error) and the query per
        check constraint (see below)."""
        errors = dict(import_validation_errors or {})
        resolved = [name for name in self._resolved_foreign_keys() if getattr(instance, name, None)]
        try:
            instance.clean_fields(exclude=[*errors, *resolved])
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            instance.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        exclude = set(errors) - {NON_FIELD_ERRORS}
        if validate_unique:
            try:
                instance.validate_unique(exclude=exclude)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        for constraint in instance._meta.constraints:
            # Check constraints cost a query (and a savepoint) per row; the model's clean()
            # states them in Python with the field's message, and the database still
            # refuses the batch, and with it the whole file, should one slip through.
            if isinstance(constraint, models.CheckConstraint):
                continue
            try:
                constraint.validate(type(instance), instance, exclude=exclude)
            except ValidationError as error:
                errors.setdefault(NON_FIELD_ERRORS, []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)

    def _resolved_foreign_keys(self):
        """Foreign keys set by our widgets: read from the database within the user's scope
        a moment ago, so full_clean need not look each one up again."""
        return [
            resource_field.attribute
            for resource_field in self.fields.values()
            if isinstance(resource_field.widget, ScopedForeignKeyWidget)
            and not resource_field.readonly
        ]

    def _column_label(self, attribute):
        if attribute == NON_FIELD_ERRORS:
            return attribute
        for resource_field in self.get_import_fields():
            if resource_field.attribute == attribute:
                return str(resource_field.column_name)
        try:
            return str(self._meta.model._meta.get_field(attribute).verbose_name)
        except FieldDoesNotExist:
            return attribute

    def _sheet_row(self, number):
        """The row of the sheet, as Excel numbers it, of the `number`th data row."""
        if number is None:
            return None
        if 0 < number <= len(self.layout.rows):
            return self.layout.rows[number - 1]
        return number + self.layout.header_row

    # The result

    def import_data(self, dataset, **kwargs):
        # The admin's confirm step would otherwise keep the valid rows of a file whose data
        # changed since the preview; all-or-nothing must hold on every path.
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    def handle_import_error(self, result, error, raise_errors=False):
        if not isinstance(error, ImportRefused):
            logger.error("Import of a file failed", exc_info=error)
        super().handle_import_error(result, error, raise_errors)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        for row in [*result.invalid_rows, *result.error_rows]:
            row.number = self._sheet_row(row.number)
        if isinstance(result, SheetResult):
            self._describe(result)

    def _describe(self, result):
        """What the page says: the problems, one line each, and what was read."""
        result.problems += _problems_with_the_file(result)
        result.problems += _problems_with_rows(result)
        result.problems.sort(key=lambda problem: _row_order(problem.row))
        if self.layout.rows:
            result.reading += self._what_was_read()

    def _what_was_read(self):
        """Which sheet and rows were read, the rows skipped and the sheets not read."""
        layout = self.layout
        if layout.rows[0] == layout.rows[-1]:
            read = _("Read the sheet “%(sheet)s”: header in row %(header)s, data in row %(first)s.")
        else:
            read = _(
                "Read the sheet “%(sheet)s”: header in row %(header)s, data in rows %(first)s "
                "to %(last)s."
            )
        read = read % {
            "sheet": self._sheet_name(),
            "header": layout.header_row,
            "first": layout.rows[0],
            "last": layout.rows[-1],
        }
        reading = [read]
        skipped = _skipped_rows(layout)
        if skipped:
            reading.append(_("Skipped: %(rows)s.") % {"rows": "、".join(skipped)})
        if layout.unread:
            reading.append(
                _("Only the first sheet is read: %(others)s not read.")
                % {"others": "、".join(f"“{title}”" for title in layout.unread)}
            )
        return reading

    # Export

    def export(self, queryset=None, **kwargs):
        dataset = super().export(queryset=queryset, **kwargs)
        dataset.title = sheet_title(self._meta.model._meta.verbose_name_plural)
        return dataset

    def template_workbook(self):
        """An empty workbook with the resource's headers, for people to fill in; its sheet
        is named after what it holds."""
        dataset = self.export(queryset=self._meta.model.objects.none())
        return XLSX().export_data(dataset)


def sheet_title(name):
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", str(name))[:31] or "Sheet1"


def _known(known, header):
    """The field a file's header names, or None."""
    return next((known[key] for key in _header_keys(header) if key in known), None)


def _is_total(cells):
    """A 合计/小计 row: its first text cell says so (a running number may come before)."""
    first = next((value for value in cells if isinstance(value, str) and value), None)
    return first is not None and match_key(first).strip(":") in TOTAL_ROWS


def _is_note(cells):
    filled = [value for value in cells if not is_blank(value)]
    return bool(filled) and all(
        isinstance(value, str) and NOTE_LINE.match(match_key(value)) for value in filled
    )


def _row_order(label):
    digits = re.findall(r"\d+", str(label))
    return int(digits[0]) if digits else 0


def _problems_with_the_file(result):
    """The file's own problems: why it was refused, or that it could not be processed."""
    problems = []
    for error in result.base_errors:
        if isinstance(error.error, ImportRefused):
            problems += [Problem("", "", message) for message in error.error.messages]
        else:
            problems.append(
                Problem(
                    "",
                    "",
                    _(
                        "The portal could not process this file, so nothing was "
                        "imported. Please send the file to your system administrator."
                    ),
                )
            )
    return problems


def _problems_with_rows(result):
    """One problem per message of each invalid row, then one per row that failed."""
    problems = []
    for invalid in result.invalid_rows:
        row = _("Row %(row)s") % {"row": invalid.number}
        for column, messages in invalid.error_dict.items():
            label = _("Whole row") if column == NON_FIELD_ERRORS else column
            problems += [Problem(row, label, message) for message in messages]
    for failed in result.error_rows:
        problems.append(
            Problem(
                _("Row %(row)s") % {"row": failed.number},
                "",
                _(
                    "The portal could not process this row, so nothing was imported. "
                    "Please send the file to your system administrator."
                ),
            )
        )
    return problems


def _skipped_rows(layout):
    """How many blank, total and note rows the reading skipped, each kind that occurred."""
    skipped = []
    if layout.blank:
        skipped.append(_("%(count)s blank rows") % {"count": layout.blank})
    if layout.totals:
        skipped.append(_("%(count)s total rows (合计/小计)") % {"count": layout.totals})
    if layout.notes:
        skipped.append(_("%(count)s note lines") % {"count": layout.notes})
    return skipped


# Finding records by name


class NameIndex:
    """The records of a queryset by the match keys of some text fields, read in one
    query on first use: finds 锦里12号院（东） for a cell reading 锦里１２号院 (东) when the
    exact lookup found nothing."""

    def __init__(self, queryset, names):
        self.queryset = queryset
        self.names = list(names)
        self._by_first = None

    def find(self, wanted):
        """Primary keys of the records whose fields in `wanted` ({field: cell}) match."""
        if self._by_first is None:
            self._by_first = defaultdict(list)
            for pk, *values in self.queryset.values_list("pk", *self.names):
                keys = dict(zip(self.names, (match_key(v) for v in values), strict=True))
                self._by_first[keys[self.names[0]]].append((pk, keys))
        first = match_key(wanted[self.names[0]])
        return [
            pk
            for pk, keys in self._by_first.get(first, [])
            if all(keys[name] == match_key(value) for name, value in wanted.items())
        ]


def find_named(queryset, names, index=None, **filters):
    """Up to two records of `queryset` (narrowed by `filters`) whose text fields match
    `names` ({lookup: cell}): exactly (an indexed lookup), else by match key."""
    queryset = queryset.filter(**filters)
    found = list(queryset.filter(**names)[:2])
    if found:
        return found
    index = index or NameIndex(queryset, names)
    pks = index.find(names)  # every record of that name: `filters` then narrow them
    return list(queryset.filter(pk__in=pks)[:2]) if pks else []


class MatchingInstanceLoader(ModelInstanceLoader):
    """Finds the record a row updates by its identity columns, text matched as
    `find_named` does: a name with a trailing space or in full-width digits updates the
    record, it does not add a second one."""

    def get_instance(self, row):
        filters, names = {}, {}
        for name in self.resource.get_import_id_fields():
            resource_field = self.resource.fields[name]
            value = resource_field.clean(row)
            if isinstance(value, str):
                names[resource_field.attribute] = value
            else:
                filters[resource_field.attribute] = value
        if not names and not filters:
            return None
        queryset = self.get_queryset().filter(**filters)
        found = list(queryset.filter(**names)[:2])
        if not found and names:
            keys = {attribute: match_key(value) for attribute, value in names.items()}
            found = [
                obj
                for obj in queryset
                if all(match_key(getattr(obj, a)) == key for a, key in keys.items())
            ][:2]
        if len(found) > 1:
            raise ValidationError(
                _("More than one saved record matches this row: correct them first.")
            )
        return found[0] if found else None


class PrefetchedInstanceLoader(BaseInstanceLoader):
    """Finds the record a row updates among those read once for the whole file: the
    resource's queryset narrowed to the parents the file names."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.fields = [resource.fields[name] for name in resource.get_import_id_fields()]
        self.records = {}
        if not dataset:
            return
        queryset = resource.get_queryset()
        for resource_field in self.fields:
            widget = resource_field.widget
            if isinstance(widget, ScopedForeignKeyWidget) and widget.cache is not None:
                found = [obj.pk for obj in widget.cache.values() if isinstance(obj, models.Model)]
                queryset = queryset.filter(**{f"{resource_field.attribute}__in": found})
        self.records = {self._identity_of(obj): obj for obj in queryset}

    def _identity_of(self, obj):
        return tuple(
            _key(obj.serializable_value(resource_field.attribute)) for resource_field in self.fields
        )

    def get_instance(self, row):
        try:
            identity = tuple(_key(resource_field.clean(row)) for resource_field in self.fields)
        except (ValueError, ValidationError):
            return None  # reported with the row's other errors by import_instance
        return self.records.get(identity)


def _key(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, str):
        return match_key(value)
    return value


class ScopedForeignKeyWidget(widgets.ForeignKeyWidget):
    """Finds a parent record by name among those the importing user may see.

    `parent_column`/`parent_field` disambiguate names that repeat across parents, e.g. a
    community named by its street's column in the same row. Names match as `find_named`
    matches them.
    """

    def __init__(self, model, field="name", parent_column=None, parent_field=None, **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.parent_column = parent_column
        self.parent_field = parent_field
        self.user = None
        self.cache = None  # {(name key, parent key): object or [objects]} once prefetched
        self._index = None
        self._parent_headers = {}

    def lookup_fields(self):
        """The text fields a row names the record by, first its own name."""
        return [self.field] + ([self.parent_field] if self.parent_field else [])

    def names(self, value, row):
        """{lookup: cell} for the row: the name, and the parent when the row gives it."""
        names = {self.field: clean_text(str(value))}
        parent = row.get(self._parent_header()) if self.parent_column and row else None
        if not is_blank(parent):
            names[self.parent_field] = clean_text(str(parent))
        return names

    def _parent_header(self):
        """The parent column's header, translated once per language, not per row."""
        language = get_language()
        if language not in self._parent_headers:
            self._parent_headers[language] = str(self.parent_column)
        return self._parent_headers[language]

    def get_queryset(self, value, row, *args, **kwargs):
        return restrict(self.model._default_manager.all(), scope_of(self.user))

    def index(self):
        if self._index is None:
            self._index = NameIndex(self.get_queryset(None, None), self.lookup_fields())
        return self._index

    def prefetch(self, dataset, column_name):
        """Read every record the file's `column_name` names: those named exactly in one
        query, and, should some name match no record exactly, by match key."""
        column = str(column_name)
        if column not in dataset.headers:
            return
        wanted = {}
        for row in dataset.dict:
            if not is_blank(row.get(column)):
                names = self.names(row[column], row)
                wanted[self._cache_key(names)] = names
        queryset = self.get_queryset(None, None).select_related()
        found = defaultdict(list)
        plain = {names[self.field] for names in wanted.values()}
        lookups = self.lookup_fields()
        for obj, *values in _with_values(queryset.filter(**{f"{self.field}__in": plain}), lookups):
            found[tuple(match_key(value) for value in values)].append(obj)
        self.cache = {key: self._among(found, key) for key in wanted}
        missing = [key for key, obj in self.cache.items() if obj == []]
        if missing:
            pks = {pk for key in missing for pk in self.index().find(wanted[key])}
            for obj, *values in _with_values(queryset.filter(pk__in=pks), lookups):
                found[tuple(match_key(value) for value in values)].append(obj)
            for key in missing:
                self.cache[key] = self._among(found, key)

    def _cache_key(self, names):
        return (match_key(names[self.field]), match_key(names.get(self.parent_field, "")))

    def _among(self, found, key):
        name, parent = key
        if parent or not self.parent_field:
            matches = found.get((name, parent) if self.parent_field else (name,), [])
        else:
            matches = [obj for k, objs in found.items() if k[0] == name for obj in objs]
        return matches[0] if len(matches) == 1 else list(matches)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        names = self.names(value, row or {})
        if self.cache is not None:
            found = self.cache.get(self._cache_key(names), [])
            found = found if isinstance(found, list) else [found]
        else:
            found = find_named(self.get_queryset(value, row), names, self.index())
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValueError(
                _("No %(model)s named “%(name)s” within your scope.")
                % {"model": self.model._meta.verbose_name, "name": names[self.field]}
            )
        raise ValueError(
            _("Several %(model)s are named “%(name)s”: also fill in the parent column.")
            % {"model": self.model._meta.verbose_name_plural, "name": names[self.field]}
        )


def _with_values(queryset, lookups):
    """(object, value of each lookup) for the queryset's records, read through the
    relations the queryset selected."""
    for obj in queryset:
        values = []
        for lookup in lookups:
            value = obj
            for part in lookup.split("__"):
                value = getattr(value, part)
            values.append(value)
        yield (obj, *values)
