"""Server-side sorting for tables: `?sort=households` or `?sort=-households`."""

from dataclasses import dataclass


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
