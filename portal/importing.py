"""Excel import and export through django-import-export, narrowed to the user's scope.

Every resource is built with the requesting user, so its lookups (which rows to update,
which parent a row names) only reach records that user may see. An import is all or
nothing: one bad row rolls the whole file back, and each error names its row and column.
"""

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from import_export import resources, widgets
from import_export.formats.base_formats import XLSX
from import_export.instance_loaders import BaseInstanceLoader
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from portal.access import restrict, scope_of
from portal.scope_cache import figures_changed

# django-import-export numbers data rows from 1 below the header; these entries of our
# catalogue reword its labels so that people look for the right line in Excel.
ROW_LABELS = [gettext_noop("Row"), gettext_noop("Line number")]


class ScopedResource(resources.ModelResource):
    """`bulk_import = True` (for resources whose rows need no per-row save logic) imports
    with the same widgets and validation in far fewer queries: the parents a file names
    and the records it may update are read once for the whole file, rows are inserted in
    batches with their history rows, and no savepoint is taken per row (the import's own
    transaction still rolls everything back on the first bad row)."""

    bulk_import = False

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field.widget, ScopedForeignKeyWidget):
                field.widget.user = user
        if self.bulk_import:
            for field in self.fields.values():
                # Translated once for the whole file, not for every cell read.
                field.column_name = str(field.column_name)
            self._meta.use_bulk = True
            self._meta.batch_size = 2000
            self._meta.instance_loader_class = PrefetchedInstanceLoader

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False

    def get_queryset(self):
        return restrict(super().get_queryset(), scope_of(self.user))

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None  # a bad identity column is reported by import_instance, per column

    def before_import(self, dataset, **kwargs):
        self._identities_seen = set()
        if self.bulk_import:
            for field in self.fields.values():
                if isinstance(field.widget, ScopedForeignKeyWidget) and not field.readonly:
                    field.widget.prefetch(dataset, field.column_name)

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
                figures_changed()
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
                bulk_update_with_history(
                    self.update_instances,
                    self._meta.model,
                    names,
                    batch_size=batch_size,
                    default_user=self.user,
                )
                figures_changed()
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.update_instances.clear()

    def _resolved_foreign_keys(self):
        """Foreign keys set by our widgets: read from the database within the user's scope
        a moment ago, so full_clean need not look each one up again."""
        return [
            field.attribute
            for field in self.fields.values()
            if isinstance(field.widget, ScopedForeignKeyWidget) and not field.readonly
        ]

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        identity = tuple(
            str(row.get(self.fields[name].column_name)) for name in self.get_import_id_fields()
        )
        if identity in self._identities_seen:
            first = self.fields[self.get_import_id_fields()[-1]]
            raise ValidationError(
                {first.attribute: _("This row repeats an earlier row of the same file.")}
            )
        self._identities_seen.add(identity)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Name each error by the column people see in Excel, not by the model field."""
        try:
            if self.bulk_import:
                self._validate_resolved(instance, import_validation_errors, validate_unique)
            else:
                super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            raise ValidationError(
                {self._column_label(key): value for key, value in error.error_dict.items()}
            ) from None

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
                errors.setdefault(NON_FIELD_ERRORS, []).extend(error.messages)
        if errors:
            raise ValidationError(errors)

    def _column_label(self, attribute):
        if attribute == NON_FIELD_ERRORS:
            return attribute
        for field in self.get_import_fields():
            if field.attribute == attribute:
                return str(field.column_name)
        try:
            return str(self._meta.model._meta.get_field(attribute).verbose_name)
        except FieldDoesNotExist:
            return attribute

    def import_data(self, dataset, **kwargs):
        # The admin's confirm step would otherwise keep the valid rows of a file whose data
        # changed since the preview; all-or-nothing must hold on every path.
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    def template_workbook(self):
        """An empty workbook with the resource's headers, for people to fill in."""
        dataset = self.export(queryset=self._meta.model.objects.none())
        return XLSX().export_data(dataset)


class PrefetchedInstanceLoader(BaseInstanceLoader):
    """Finds the record a row updates among those read once for the whole file: the
    resource's queryset narrowed to the parents the file names."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.fields = [resource.fields[name] for name in resource.get_import_id_fields()]
        queryset = resource.get_queryset()
        for field in self.fields:
            widget = field.widget
            if isinstance(widget, ScopedForeignKeyWidget) and widget.cache is not None:
                found = [obj.pk for obj in widget.cache.values() if isinstance(obj, models.Model)]
                queryset = queryset.filter(**{f"{field.attribute}__in": found})
        self.records = {self._identity_of(obj): obj for obj in queryset}

    def _identity_of(self, obj):
        return tuple(obj.serializable_value(field.attribute) for field in self.fields)

    def get_instance(self, row):
        try:
            identity = tuple(_key(field.clean(row)) for field in self.fields)
        except (ValueError, ValidationError):
            return None  # reported with the row's other errors by import_instance
        return self.records.get(identity)


def _key(value):
    return value.pk if hasattr(value, "pk") else value


class ScopedForeignKeyWidget(widgets.ForeignKeyWidget):
    """Finds a parent record by name among those the importing user may see.

    `parent_column`/`parent_field` disambiguate names that repeat across parents, e.g. a
    community named by its street's column in the same row.
    """

    def __init__(self, model, field="name", parent_column=None, parent_field=None, **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.parent_column = parent_column
        self.parent_field = parent_field
        self.user = None
        self.cache = None  # {(value, parent): object or None} once prefetched

    def prefetch(self, dataset, column_name):
        """Read every record the file's `column_name` names, in one query."""
        column = str(column_name)
        if column not in dataset.headers:
            return
        parent = str(self.parent_column) if self.parent_column else None
        keys = {
            (
                str(row.get(column) or "").strip(),
                str(row.get(parent) or "").strip() if parent else "",
            )
            for row in dataset.dict
        }
        names = {name for name, _parent in keys if name}
        queryset = self.get_queryset(None, None).filter(**{f"{self.field}__in": names})
        lookups = [self.field] + ([self.parent_field] if self.parent_field else [])
        # The parents' chain too (street, district): the rows' diff shows their names.
        queryset = queryset.select_related()
        found = {}
        for obj, *values in _with_values(queryset, lookups):
            found.setdefault((str(values[0]), str(values[1]) if parent else ""), []).append(obj)
        self.cache = {}
        for name, parent_value in keys:
            if parent_value:
                matches = found.get((name, parent_value), [])
            else:
                matches = [obj for (n, _p), objs in found.items() if n == name for obj in objs]
            self.cache[(name, parent_value)] = matches[0] if len(matches) == 1 else matches

    def get_queryset(self, value, row, *args, **kwargs):
        return restrict(self.model._default_manager.all(), scope_of(self.user))

    def get_lookup_kwargs(self, value, row, **kwargs):
        lookup = {self.field: str(value).strip()}
        parent = row.get(str(self.parent_column)) if self.parent_column else None
        if parent:
            lookup[self.parent_field] = str(parent).strip()
        return lookup

    def clean(self, value, row=None, **kwargs):
        if self.cache is not None and value not in (None, ""):
            return self._cached(value, row)
        try:
            return super().clean(value, row=row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                _("No %(model)s named “%(name)s” within your scope.")
                % {"model": self.model._meta.verbose_name, "name": value}
            ) from None
        except self.model.MultipleObjectsReturned:
            raise ValueError(
                _("Several %(model)s are named “%(name)s”: also fill in the parent column.")
                % {"model": self.model._meta.verbose_name_plural, "name": value}
            ) from None

    def _cached(self, value, row):
        parent = row.get(str(self.parent_column)) if self.parent_column and row else None
        key = (str(value).strip(), str(parent or "").strip())
        found = self.cache.get(key, [])
        if isinstance(found, list):
            if not found:
                raise ValueError(
                    _("No %(model)s named “%(name)s” within your scope.")
                    % {"model": self.model._meta.verbose_name, "name": value}
                )
            raise ValueError(
                _("Several %(model)s are named “%(name)s”: also fill in the parent column.")
                % {"model": self.model._meta.verbose_name_plural, "name": value}
            )
        return found


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
