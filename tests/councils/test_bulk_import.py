"""The people import in bulk (portal.importing, bulk_import): the same result as row by
row, a history row per person, an update found among existing people, and a number of
queries that does not grow with the file."""

import pytest
import tablib
from django.db import connection

from councils.models import Person
from councils.resources import PersonResource
from tests.councils.factories import PersonFactory
from tests.councils.test_import import PERSON_HEADERS, person_row


def _dataset(rows):
    dataset = tablib.Dataset(headers=PERSON_HEADERS)
    for row in rows:
        dataset.append(row)
    return dataset


def _rows(count):
    courtyards = [
        ("锦里12号院", "锦里社区"),
        ("电力局宿舍", "锦里社区"),
        ("洗面桥3号院", "洗面桥社区"),
    ]
    return [
        person_row(name=f"张{number}", courtyard=courtyards[number % 3][0],
                   community=courtyards[number % 3][1], born=1950 + number % 30)
        for number in range(count)
    ]  # fmt: skip


def _import(user, rows):
    executed = []

    def record(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        result = PersonResource(user=user).import_data(_dataset(rows), use_transactions=True)
    return result, len(executed)


@pytest.mark.parametrize("count", [3, 60])
def test_the_import_runs_the_same_queries_whatever_the_number_of_rows(geo, people, count):
    result, queries = _import(people.district_admin, _rows(count))
    assert not result.has_errors() and not result.has_validation_errors()
    assert Person.objects.count() == count
    assert Person.history.filter(history_type="+").count() == count
    # and the kept figures of the communities the people live in marked stale, with the views
    # cached over their streets and districts (portal/kept.py)
    assert queries == (20 if connection.vendor == "postgresql" else 18)


def test_an_existing_person_is_updated_not_added(geo, people):
    PersonFactory(courtyard=geo.courtyard_a1, name="张0", birth_year=1950, occupation="教师")
    result, _queries = _import(people.district_admin, _rows(1))
    assert not result.has_validation_errors()
    assert not result.has_errors()
    assert result.totals["update"] == 1
    person = Person.objects.get(name="张0")
    assert person.occupation == "退休职工"
    assert person.history.first().occupation == "退休职工"


def test_a_bad_row_among_many_rejects_the_whole_file(geo, people):
    rows = _rows(40) + [person_row(name="李四", courtyard="不存在的院落")]
    result, _queries = _import(people.district_admin, rows)
    assert result.has_validation_errors()
    [invalid] = result.invalid_rows
    assert invalid.number == 42  # the sheet row: the header is row 1
    assert "院落" in invalid.error_dict
    assert Person.objects.count() == 0
