"""Import of a street's hand-kept register of concerns (民情诉求登记台账), read as the
clerks keep it (portal.importing: title rows above the header, cells cleaned, dates as
people write them).

A row is a concern received then, taken through the steps the register records: classified
(办理类别), answered (答复时间), resolved (办结时间), return visit (满意度). Each row goes
through `concerns.services.concern_from_register`, so every step writes its line of the
timeline and its history, as on the pages. A row names its concern by its tracking number
(受理编号, kept as given; the portal gives one when the cell is empty) within the street;
a row without a number is the concern of the same community, day, resident and text. A
concern already in the portal keeps what it has: importing the register again adds only
the steps recorded since, and never a second concern."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources

from concerns import services
from concerns.models import Concern
from courtyards.models import Community, Courtyard
from portal.access import may_see_personal_data
from portal.import_cells import (
    ChoiceWidget,
    TextWidget,
    clean_text,
    is_blank,
    match_key,
    read_date,
)
from portal.importing import ScopedForeignKeyWidget, ScopedResource, header_key

STREET = gettext_lazy("Street")
COMMUNITY = gettext_lazy("Community")
ANONYMOUS = {"匿名", "不愿留名", "无"}
OFFICE_HOURS = datetime.time(9, 0)  # a day without a time: the register's day, at opening
_TIME = re.compile(r"(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?\s*$")


class DateTimeCellWidget(TextWidget):
    """A time of the register: an Excel date (with its time, if it has one), or a date
    as people type it (2026-5-8, 2026/5/8, 2026年5月8日, with 9:30 after it or not)."""

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, datetime.datetime) and value.time() != datetime.time(0):
            moment = value
        else:
            day = read_date(clean_text(value))
            found = _TIME.search(str(value)) if isinstance(value, str) else None
            at = OFFICE_HOURS
            if found:
                try:
                    at = datetime.time(*(int(part or 0) for part in found.groups()))
                except ValueError:
                    at = OFFICE_HOURS
            moment = datetime.datetime.combine(day, at)
        return timezone.make_aware(moment)

    def render(self, value, obj=None, **kwargs):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


class RegisterChoiceWidget(ChoiceWidget):
    """A choice by its label or code, or by the words the streets' registers use."""

    def __init__(self, choices, aliases, **kwargs):
        super().__init__(choices, **kwargs)
        self.aliases = {match_key(word): code for word, code in aliases.items()}

    def codes(self):
        return {**self.aliases, **super().codes()}


Channel, Category, Routing = Concern.Channel, Concern.Category, Concern.Routing
CHANNEL_WORDS = {
    "来访": Channel.STATION,
    "来访倾诉": Channel.STATION,
    "走访": Channel.HOME_VISIT,
    "入户": Channel.HOME_VISIT,
    "上门": Channel.HOME_VISIT,
    "来电": Channel.PHONE,
    "电话反映": Channel.PHONE,
    "意见箱": Channel.BOX,
    "信箱": Channel.BOX,
    "议事会": Channel.COUNCIL,
    "网络": Channel.ONLINE,
    "微信": Channel.ONLINE,
    "网络平台": Channel.ONLINE,
}
CATEGORY_WORDS = {
    "卫生": Category.SANITATION,
    "维修": Category.REPAIRS,
    "设施": Category.REPAIRS,
    "安全": Category.SAFETY,
    "纠纷": Category.NEIGHBOURS,
    "邻里": Category.NEIGHBOURS,
    "停车": Category.PARKING,
    "政策": Category.POLICY,
    "咨询": Category.POLICY,
}
ROUTING_WORDS = {
    "1类": Routing.STREET,
    "一类": Routing.STREET,
    "街道自办": Routing.STREET,
    "街道": Routing.STREET,
    "2类": Routing.DEPARTMENT,
    "二类": Routing.DEPARTMENT,
    "单一部门": Routing.DEPARTMENT,
    "一个部门": Routing.DEPARTMENT,
    "3类": Routing.DEPARTMENTS,
    "三类": Routing.DEPARTMENTS,
    "多部门": Routing.DEPARTMENTS,
    "多个部门": Routing.DEPARTMENTS,
}
SATISFACTION_WORDS = {"比较满意": Concern.Satisfaction.BASIC}

# Other headers the registers use for the same columns.
HEADER_ALIASES = {
    "number": ["编号", "登记编号", "诉求编号"],
    "received_at": ["受理日期", "登记时间", "登记日期", "反映时间"],
    "resident_name": ["反映人姓名", "姓名", "诉求人", "来访人"],
    "resident_phone": ["电话", "联系方式", "手机", "手机号码"],
    "channel": ["反映渠道", "受理渠道", "来源"],
    "category": ["诉求类别", "问题类别", "问题类型"],
    "text": ["反映内容", "诉求事项", "反映问题", "主要诉求"],
    "routing": ["办理类型", "分类", "类型"],
    "answered_at": ["答复日期"],
    "resolved_at": ["办结日期", "办结时限"],
    "satisfaction": ["群众满意度", "回访满意度", "回访结果"],
    "resolution": ["办理情况"],
}
STEPS = ("routing", "answered_at", "answer", "resolved_at", "resolution", "satisfaction")
REQUIRED = ("received_at", "community", "channel", "category", "text")


class ConcernRegisterResource(ScopedResource):
    number = fields.Field(
        attribute="number", column_name=gettext_lazy("tracking number"), widget=TextWidget()
    )
    received_at = fields.Field(
        attribute="received_at",
        column_name=gettext_lazy("received at"),
        widget=DateTimeCellWidget(),
    )
    street = fields.Field(attribute="community__street__name", column_name=STREET, readonly=True)
    community = fields.Field(
        attribute="community",
        column_name=COMMUNITY,
        widget=ScopedForeignKeyWidget(Community, parent_column=STREET, parent_field="street__name"),
    )
    courtyard = fields.Field(
        attribute="courtyard",
        column_name=gettext_lazy("Courtyard"),
        widget=ScopedForeignKeyWidget(
            Courtyard, parent_column=COMMUNITY, parent_field="community__name"
        ),
    )
    resident_name = fields.Field(
        attribute="resident_name", column_name=gettext_lazy("Raised by"), widget=TextWidget()
    )
    resident_phone = fields.Field(
        attribute="resident_phone", column_name=gettext_lazy("Phone"), widget=TextWidget()
    )
    channel = fields.Field(
        attribute="channel",
        column_name=gettext_lazy("channel"),
        widget=RegisterChoiceWidget(Channel.choices, CHANNEL_WORDS),
    )
    category = fields.Field(
        attribute="category",
        column_name=gettext_lazy("category"),
        widget=RegisterChoiceWidget(Category.choices, CATEGORY_WORDS),
    )
    text = fields.Field(
        attribute="text",
        column_name=gettext_lazy("what the resident raised"),
        widget=TextWidget(),
    )
    routing = fields.Field(
        attribute="routing",
        column_name=gettext_lazy("Handling class"),
        widget=RegisterChoiceWidget(Routing.choices, ROUTING_WORDS),
    )
    answered_at = fields.Field(
        attribute="answered_at",
        column_name=gettext_lazy("answered at"),
        widget=DateTimeCellWidget(),
    )
    answer = fields.Field(
        attribute="answer", column_name=gettext_lazy("answer"), widget=TextWidget()
    )
    resolved_at = fields.Field(
        attribute="resolved_at",
        column_name=gettext_lazy("resolved at"),
        widget=DateTimeCellWidget(),
    )
    resolution = fields.Field(
        attribute="resolution",
        column_name=gettext_lazy("how it was resolved"),
        widget=TextWidget(),
    )
    satisfaction = fields.Field(
        attribute="satisfaction",
        column_name=gettext_lazy("satisfaction"),
        widget=RegisterChoiceWidget(Concern.Satisfaction.choices, SATISFACTION_WORDS),
    )

    class Meta(ScopedResource.Meta):
        model = Concern
        fields = [
            "number",
            "received_at",
            "street",
            "community",
            "courtyard",
            "resident_name",
            "resident_phone",
            "channel",
            "category",
            "text",
            "routing",
            "answered_at",
            "answer",
            "resolved_at",
            "resolution",
            "satisfaction",
        ]
        import_id_fields = ["number"]

    def __init__(self, user=None, **kwargs):
        super().__init__(user=user, **kwargs)
        if not may_see_personal_data(user):
            withheld = self.fields.pop("resident_phone")
            self.withheld_columns.append(str(withheld.column_name))
        self._seen = {}

    # The columns

    def column_fields(self):
        columns = super().column_fields()
        for name, aliases in HEADER_ALIASES.items():
            if name in self.fields:
                for alias in aliases:
                    columns.setdefault(header_key(alias), self.fields[name])
        return columns

    def required_columns(self):
        return [str(self.fields[name].column_name) for name in REQUIRED]

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._seen = {}
        self._file_name = kwargs.get("file_name") or ""

    # Finding the concern a row names

    def _cell(self, name, row):
        try:
            return self.fields[name].clean(row)
        except (ValueError, ValidationError):
            return None

    def get_instance(self, instance_loader, row):
        number = self._cell("number", row)
        community = self._cell("community", row)
        if community is None:
            return None  # the community column reports its own error
        saved = Concern.objects.visible_to(self.user)
        if number:
            found = Concern.objects.filter(number=number).select_related("community").first()
            if found is None:
                return None
            if (
                found.community.street_id != community.street_id
                or not saved.filter(pk=found.pk).exists()
            ):
                raise ValidationError(
                    {
                        str(self.fields["number"].column_name): _(
                            "The tracking number “%(number)s” is already another street's: "
                            "put your street's name in it (e.g. 2026-浆洗街-0153)."
                        )
                        % {"number": number}
                    }
                )
            return found
        received_at = self._cell("received_at", row)
        text = self._cell("text", row)
        if received_at is None or not text:
            return None
        return saved.filter(
            community=community,
            received_at__date=timezone.localdate(received_at),
            resident_name=self._resident_name(row),
            text=text,
        ).first()

    def _resident_name(self, row):
        name = self._cell("resident_name", row) or ""
        return "" if name in ANONYMOUS else name

    # Reading a row

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        """A concern already in the portal keeps its facts and the steps it has: the row
        only adds the steps it does not have yet."""
        if instance.pk and (
            field.attribute not in STEPS or getattr(instance, field.attribute) not in (None, "")
        ):
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        self._row = row
        errors = {}
        try:
            resources.ModelResource.import_instance(self, instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        row_number = self._sheet_row(kwargs.get("row_number"))
        if not instance.pk:
            self._new_concern(instance, row, errors)
        identity = self._identity(instance, row)
        first = self._seen.setdefault(identity, row_number)
        if first != row_number:
            errors.setdefault("number", []).append(
                _("This row repeats row %(row)s of the same file.") % {"row": first}
            )
        self._check_order(instance, errors)
        if errors:
            raise ValidationError(errors)

    def _identity(self, instance, row):
        if instance.number:
            return ("number", match_key(instance.number))
        received = instance.received_at and timezone.localdate(instance.received_at)
        return ("row", instance.community_id, received, instance.resident_name, instance.text)

    def _new_concern(self, instance, row, errors):
        """What the portal sets on a concern it receives: who received it, its number and
        its answer deadline."""
        instance.received_by = self.user
        instance.resident_name = self._resident_name(row)
        instance.anonymous = not instance.resident_name
        if instance.anonymous:
            instance.resident_phone = ""
        instance.sequence, instance.answer_due = 0, timezone.localdate()
        if not instance.community_id or not instance.received_at:
            instance.number = instance.number or "-"  # the row is refused for its cells
            return
        if instance.received_at > timezone.now():
            errors.setdefault("received_at", []).append(_("This date lies in the future."))
            return
        if instance.number:
            instance.sequence = services.sequence_of(instance.number, instance.community)
        else:
            instance.number, instance.sequence = services.next_number(
                instance.community, instance.received_at
            )
        routing, instance.routing = instance.routing, None
        instance.answer_due = services.answer_due(instance)  # classified in the service
        instance.routing = routing

    def _check_order(self, instance, errors):
        """The steps in the register's order: each needs the one before and comes after it."""
        order = [
            ("received_at", instance.received_at),
            ("answered_at", instance.answered_at),
            ("resolved_at", instance.resolved_at),
        ]
        if instance.answered_at and not instance.routing and "routing" not in errors:
            errors.setdefault("routing", []).append(
                _("A concern answered has a handling class: fill in 1, 2 or 3.")
            )
        if instance.resolved_at and not instance.answered_at and "answered_at" not in errors:
            errors.setdefault("answered_at", []).append(
                _("A concern resolved was answered first: fill in when.")
            )
        if instance.satisfaction and not instance.resolved_at and "resolved_at" not in errors:
            errors.setdefault("resolved_at", []).append(
                _("The return visit follows the resolution: fill in when it was resolved.")
            )
        for (before, earlier), (name, later) in zip(order, order[1:], strict=False):
            if earlier and later and later < earlier and name not in errors:
                errors.setdefault(name, []).append(
                    _("This is earlier than the %(before)s.")
                    % {"before": self.fields[before].column_name}
                )

    # Saving a row, through the services

    def save_instance(self, instance, is_create, row, **kwargs):
        self.before_save_instance(instance, row, **kwargs)
        facts = {
            name: getattr(instance, name)
            for name in (
                "number",
                "received_at",
                "community",
                "courtyard",
                "channel",
                "category",
                "text",
                "anonymous",
                "resident_name",
                "resident_phone",
            )
        }
        steps = {name: getattr(instance, name) for name in STEPS}
        note = _("Imported from the street's register (%(file)s).") % {
            "file": self._file_name or _("an Excel file")
        }
        existing = None if is_create else Concern.objects.get(pk=instance.pk)
        try:
            concern = services.concern_from_register(
                existing, by=self.user, facts=facts, steps=steps, note=note
            )
        except ValidationError as error:
            raise ValidationError(
                {self._column_label(key): value for key, value in error.message_dict.items()}
            ) from None
        instance.pk, instance.number = concern.pk, concern.number
        self.after_save_instance(instance, row, **kwargs)
