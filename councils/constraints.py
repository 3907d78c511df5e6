"""NoOverlap: "no two rows with the same key cover the same day", as a model constraint.

On PostgreSQL it is an exclusion constraint (GiST over ranges, so no extension is needed):
the database itself refuses an overlapping row. SQLite has no such constraint, so there the
rule is held by `validate()`, which `full_clean()` runs for every form, admin screen, import
and service, on both databases, and which gives the Chinese message.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS
from django.db.backends.ddl_references import Statement, Table
from django.db.models import BaseConstraint, Q
from django.db.models.sql import Query


class NoOverlap(BaseConstraint):
    """Rows agreeing on `fields` (and matching `condition`) may not share a day between
    `start` and `end`. `bounds` is "[]" when `end` is the last day, "[)" when it is the
    first day no longer covered; an empty `end` means "still running"."""

    def __init__(
        self,
        *,
        name,
        fields,
        start,
        end,
        bounds="[)",
        condition=None,
        violation_error_code=None,
        violation_error_message=None,
    ):
        if bounds not in ("[)", "[]"):
            raise ValueError("bounds must be '[)' or '[]'.")
        self.fields = tuple(fields)
        self.start = start
        self.end = end
        self.bounds = bounds
        self.condition = condition
        super().__init__(
            name=name,
            violation_error_code=violation_error_code,
            violation_error_message=violation_error_message,
        )

    # The database side: PostgreSQL only.

    def _supported(self, schema_editor):
        return schema_editor.connection.vendor == "postgresql"

    def constraint_sql(self, model, schema_editor):
        if not self._supported(schema_editor):
            return None
        quote = schema_editor.quote_name
        opts = model._meta
        for name in self.fields:
            field = opts.get_field(name)
            if not (field.is_relation or field.get_internal_type().endswith("IntegerField")):
                raise ValueError(f"NoOverlap compares integer fields; {name} is not one.")
        parts = [
            f"int8range({quote(column)}, {quote(column)}, '[]') WITH ="
            for column in (opts.get_field(name).column for name in self.fields)
        ]
        start = quote(opts.get_field(self.start).column)
        end = quote(opts.get_field(self.end).column)
        parts.append(f"daterange({start}, {end}, '{self.bounds}') WITH &&")
        where = ""
        if self.condition is not None:
            query = Query(model, alias_cols=False)
            compiler = query.get_compiler(connection=schema_editor.connection)
            sql, params = query.build_where(self.condition).as_sql(
                compiler, schema_editor.connection
            )
            where = " WHERE (%s)" % (sql % tuple(schema_editor.quote_value(p) for p in params))
        return f"CONSTRAINT {quote(self.name)} EXCLUDE USING gist ({', '.join(parts)}){where}"

    def create_sql(self, model, schema_editor):
        if not self._supported(schema_editor):
            return None
        return Statement(
            "ALTER TABLE %(table)s ADD %(constraint)s",
            table=Table(model._meta.db_table, schema_editor.quote_name),
            constraint=self.constraint_sql(model, schema_editor),
        )

    def remove_sql(self, model, schema_editor):
        if not self._supported(schema_editor):
            return None
        return schema_editor._delete_constraint_sql(
            schema_editor.sql_delete_check, model, schema_editor.quote_name(self.name)
        )

    # The Python side: both databases.

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        values = self._period_to_check(model, instance, exclude, using)
        if values is not None and self._overlapping(model, instance, values, using).exists():
            raise ValidationError(
                self.get_violation_error_message(), code=self.violation_error_code
            )

    def _period_to_check(self, model, instance, exclude, using):
        """The instance's values of the constraint's fields, or None when there is nothing
        to check: a field excluded or missing, the condition not met, a period that is not
        one (the fields' own validation and the model's check constraint report those)."""
        names = {*self.fields, self.start, self.end}
        if exclude and (
            names & set(exclude)
            or (
                self.condition is not None
                and self._expression_refs_exclude(model, self.condition, exclude)
            )
        ):
            return None
        opts = model._meta
        values = {name: getattr(instance, opts.get_field(name).attname) for name in names}
        start, end = values[self.start], values[self.end]
        if any(values[name] is None for name in self.fields) or start is None:
            return None
        if not isinstance(start, datetime.date) or (
            end is not None and not isinstance(end, datetime.date)
        ):
            return None
        if self.condition is not None:
            replacements = instance._get_field_expression_map(meta=opts, exclude=exclude)
            if not self.condition.check(replacements, using=using):
                return None
        inclusive = self.bounds == "[]"
        if end is not None and (end < start or (end == start and not inclusive)):
            return None
        return values

    def _overlapping(self, model, instance, values, using):
        """The other rows of the same fields whose period overlaps the instance's: they start
        before it ends and end after it starts."""
        opts = model._meta
        start, end = values[self.start], values[self.end]
        inclusive = self.bounds == "[]"
        others = model._default_manager.using(using).filter(
            **{opts.get_field(name).attname: values[name] for name in self.fields}
        )
        if self.condition is not None:
            others = others.filter(self.condition)
        if not instance._state.adding and instance.pk is not None:
            others = others.exclude(pk=instance.pk)
        if end is not None:
            others = others.filter(**{f"{self.start}__{'lte' if inclusive else 'lt'}": end})
        return others.filter(
            Q(**{f"{self.end}__isnull": True})
            | Q(**{f"{self.end}__{'gte' if inclusive else 'gt'}": start})
        )

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        kwargs.update(fields=self.fields, start=self.start, end=self.end)
        if self.bounds != "[)":
            kwargs["bounds"] = self.bounds
        if self.condition is not None:
            kwargs["condition"] = self.condition
        return path, args, kwargs

    def __eq__(self, other):
        if isinstance(other, NoOverlap):
            return self.deconstruct() == other.deconstruct()
        return super().__eq__(other)

    def __repr__(self):
        return f"<NoOverlap: name={self.name!r} fields={self.fields!r}>"
