"""Excel import and export through django-import-export, narrowed to the user's scope.

Every resource is built with the requesting user, so its lookups (which rows to update,
which parent a row names) only reach records that user may see. An import is all or
nothing: one bad row rolls the whole file back, and each error names its row and column.
"""

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from import_export import resources, widgets
from import_export.formats.base_formats import XLSX

from portal.access import restrict, scope_of

# django-import-export numbers data rows from 1 below the header; these entries of our
# catalogue reword its labels so that people look for the right line in Excel.
ROW_LABELS = [gettext_noop("Row"), gettext_noop("Line number")]


class ScopedResource(resources.ModelResource):
    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field.widget, ScopedForeignKeyWidget):
                field.widget.user = user

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
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            raise ValidationError(
                {self._column_label(key): value for key, value in error.error_dict.items()}
            ) from None

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

    def get_queryset(self, value, row, *args, **kwargs):
        return restrict(self.model._default_manager.all(), scope_of(self.user))

    def get_lookup_kwargs(self, value, row, **kwargs):
        lookup = {self.field: str(value).strip()}
        parent = row.get(str(self.parent_column)) if self.parent_column else None
        if parent:
            lookup[self.parent_field] = str(parent).strip()
        return lookup

    def clean(self, value, row=None, **kwargs):
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
