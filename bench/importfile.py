"""The import benchmark: a workbook of N new people in the first district's courtyards, and
the two ways to import it (the portal's, and django-import-export's default row-by-row)."""

import random

from import_export.formats.base_formats import XLSX

from councils.demo import GIVEN_FEMALE, GIVEN_MALE, OCCUPATIONS, SURNAMES
from councils.models import Person
from councils.resources import PersonResource
from courtyards.models import Courtyard
from portal.generate import BENCH_SUPERUSER
from portal.importing import PortalXLSX


def people_workbook(count, seed=8):
    """An xlsx file of `count` new people, as a person would fill in the template."""
    from django.contrib.auth import get_user_model

    rng = random.Random(seed)
    user = get_user_model().objects.get(username=BENCH_SUPERUSER)
    resource = PersonResource(user=user)
    dataset = resource.export(queryset=Person.objects.none())
    courtyards = list(
        Courtyard.objects.filter(community__street__district__code="510101")
        .select_related("community__street")
        .order_by("pk")
    )
    genders = dict(Person.Gender.choices)
    statuses = dict(Person.PoliticalStatus.choices)
    educations = dict(Person.Education.choices)
    for number in range(count):
        courtyard = courtyards[number % len(courtyards)]
        gender = rng.choice(list(genders))
        given = GIVEN_FEMALE if gender == "female" else GIVEN_MALE
        dataset.append(
            [
                courtyard.community.street.name,
                courtyard.community.name,
                courtyard.name,
                f"{rng.choice(SURNAMES)}{rng.choice(given)}{number}",
                str(genders[gender]),
                rng.randint(1940, 1995),
                f"139{rng.randint(10000000, 99999999)}",
                "1栋",
                "2单元",
                str(statuses[rng.choice(list(statuses))]),
                str(educations[rng.choice(list(educations))]),
                rng.choice(OCCUPATIONS),
            ]
        )
    return XLSX().export_data(dataset)


def _dataset(stream):
    """Read as the admin reads an upload: the first sheet, the header found."""
    return PortalXLSX().create_dataset(stream.read())


class DefaultPersonResource(PersonResource):
    """The same columns, widgets and validation with the library's default import: one row
    at a time, each in its own savepoint, no caches, no bulk insert."""

    bulk_import = False

    class Meta(PersonResource.Meta):
        use_bulk = False


def import_with(resource_class, dry_run=False):
    def run(user, stream):
        result = resource_class(user=user).import_data(
            _dataset(stream), use_transactions=True, dry_run=dry_run
        )
        if result.has_errors() or result.has_validation_errors():
            raise SystemExit(f"import failed: {result.invalid_rows[:3]} {result.base_errors[:3]}")
        return result.totals["new"]

    return run


PATHS = {
    "portal": import_with(PersonResource),
    # The admin's first step: the same import, rolled back, to preview the rows.
    "portal preview": import_with(PersonResource, dry_run=True),
    "default": import_with(DefaultPersonResource),
}
