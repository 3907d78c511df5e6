"""The gathered returns of a notice as one workbook (portal.excel): one row per unit, one
column per field; beside each field filled in from the records a column saying, for each
unit, whether the figure is the records' (取自系统记录) or was changed (and what the records
gave), which reads the same printed; then a sheet defining every field."""

from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from notices.models import ReturnField
from notices.sources import SOURCES
from portal.excel import DATE, Column, Sheet


def _value(field, text):
    if text and field.kind == ReturnField.Kind.NUMBER:
        try:
            return Decimal(text)
        except InvalidOperation:
            return text
    return text


def _marker(field, answer):
    key = str(field.pk)
    if answer is None or key not in answer.prefilled:
        return ""
    if answer.changed(field.pk):
        return _("Changed; the records give %(figure)s") % {"figure": answer.prefilled[key]}
    return _("From the records")


class GatheredReturnsSheet(Sheet):
    title_columns = 3

    def __init__(self, notice, recipients, fields):
        self.title = _("Gathered returns")
        self.recipients, self.fields = recipients, fields
        self.columns = [
            Column(_("No."), 6),
            Column(_("Street"), 12),
            Column(_("Community"), 12),
            Column(_("Return status"), 14),
            Column(_("submitted at"), 12, DATE),
        ]
        for field in fields:
            number = "#,##0.##" if field.kind == ReturnField.Kind.NUMBER else None
            self.columns.append(Column(field.label, 14, number))
            if field.source:
                self.columns.append(Column(_("%(label)s: source") % {"label": field.label}, 16))

    def rows(self):
        for number, row in enumerate(self.recipients, start=1):
            answer = row.answer_or_none
            street = row.street or row.community.street
            values = [
                number,
                street.name,
                row.community.name if row.community else "",
                row.return_status_label,
                timezone.localdate(answer.submitted_at) if answer else None,
            ]
            for field in self.fields:
                values.append(_value(field, answer.values.get(str(field.pk), "")) if answer else "")
                if field.source:
                    values.append(_marker(field, answer))
            yield values


class FieldDefinitionsSheet(Sheet):
    def __init__(self, fields):
        self.title = _("Field definitions")
        self.fields = fields
        self.columns = [
            Column(_("No."), 6),
            Column(_("field label"), 16),
            Column(_("kind of field"), 10),
            Column(_("must be filled in"), 8),
            Column(_("the choices"), 16),
            Column(_("filled in from the records"), 18),
            Column(_("Definition"), 40),
        ]

    def rows(self):
        for number, field in enumerate(self.fields, start=1):
            source = SOURCES.get(field.source)
            yield [
                number,
                field.label,
                field.get_kind_display(),
                _("Yes") if field.required else "",
                "、".join(field.options),
                str(source.label) if source else "",
                str(source.definition) if source else "",
            ]
