"""Server-side sorting for tables: `?sort=households` or `?sort=-households`."""

from dataclasses import dataclass


@dataclass
class Sorting:
    allowed: dict  # sort key in the URL -> ORM ordering expression
    default: str

    def apply(self, queryset, request):
        """The queryset in the requested order, and the sort key in effect."""
        requested = request.GET.get("sort", self.default)
        if requested.lstrip("-") not in self.allowed:
            requested = self.default
        ordering = self.allowed[requested.lstrip("-")]
        if requested.startswith("-"):
            ordering = f"-{ordering}"
        return queryset.order_by(ordering, "pk"), requested
