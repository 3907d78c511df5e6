"""What list pages share: their filters (django-filter) and server-side sorting
(`?sort=households` or `?sort=-households`)."""

from dataclasses import dataclass

import django_filters


def visible(model):
    """A filter's choices: the records of `model` the requesting user may see."""
    return lambda request: model.objects.visible_to(request.user)


class ListFilter(django_filters.FilterSet):
    """The filters above a list page, read from its query string (its export reads the same).
    A filter narrows the list only when its value is valid: an invalid one narrows nothing.
    `defaults` stand for a filter left empty or given a value it cannot use."""

    defaults = {}

    def __init__(self, request, queryset):
        super().__init__(request.GET, queryset, request=request)

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        for name, value in self.defaults.items():
            data[name] = data.get(name) or value
        return super().filter_queryset(queryset)

    def described(self):
        """The filters in effect, as "label：value" strings (an export names them in its
        header block); a filter left empty or given a value it cannot use is not named."""
        self.form.is_valid()
        return [
            f"{self.form.fields[name].label}：{self._shown(self.form.fields[name], value)}"
            for name, value in self.form.cleaned_data.items()
            if value not in (None, "")
        ]

    @staticmethod
    def _shown(field, value):
        if hasattr(field, "label_from_instance"):
            return field.label_from_instance(value)
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return str(dict(getattr(field, "choices", ())).get(value, value))


@dataclass
class Sorting:
    allowed: dict  # sort key in the URL -> an ORM ordering field, or a tuple of them
    default: str

    def apply(self, queryset, request):
        """The queryset in the requested order, and the sort key in effect."""
        requested = request.GET.get("sort", self.default)
        if requested.lstrip("-") not in self.allowed:
            requested = self.default
        fields = self.allowed[requested.lstrip("-")]
        if isinstance(fields, str):
            fields = (fields,)
        if requested.startswith("-"):
            fields = tuple(f"-{field}" for field in fields)
        return queryset.order_by(*fields, "pk"), requested
