import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from courtyards.models import Courtyard
from tests.factories import CommunityFactory, CourtyardFactory


@pytest.mark.django_db
def test_courtyard_names_are_unique_within_a_community_only():
    courtyard = CourtyardFactory(name="长寿苑1号院")
    CourtyardFactory(name="长寿苑1号院")  # another community: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        CourtyardFactory(name="长寿苑1号院", community=courtyard.community)


@pytest.mark.django_db
def test_a_duplicate_name_is_explained_in_chinese():
    courtyard = CourtyardFactory(name="长寿苑1号院")
    twin = Courtyard(community=courtyard.community, name="长寿苑1号院", kind="old")
    with pytest.raises(ValidationError) as error:
        twin.full_clean()
    assert "该社区已有同名院落" in str(error.value)


@pytest.mark.django_db
def test_a_finished_remediation_needs_its_year_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        CourtyardFactory(remediation=Courtyard.Remediation.DONE, remediation_year=None)


@pytest.mark.django_db
def test_a_closed_courtyard_needs_a_date_and_a_reason():
    with pytest.raises(IntegrityError), transaction.atomic():
        CourtyardFactory(closed_on=datetime.date(2024, 3, 1), closed_reason="")
    courtyard = CourtyardFactory()
    courtyard.closed_on = datetime.date(2024, 3, 1)
    with pytest.raises(ValidationError) as error:
        courtyard.full_clean()
    assert "closed_reason" in error.value.message_dict


@pytest.mark.django_db
def test_households_cannot_be_negative():
    with pytest.raises(IntegrityError), transaction.atomic():
        CourtyardFactory(households=-1)


@pytest.mark.django_db
def test_residents_fewer_than_households_are_refused():
    courtyard = CourtyardFactory.build(community=CommunityFactory(), households=100, residents=50)
    with pytest.raises(ValidationError) as error:
        courtyard.full_clean()
    assert "residents" in error.value.message_dict


@pytest.mark.django_db
def test_closing_keeps_the_courtyard_and_records_history():
    courtyard = CourtyardFactory()
    target = CourtyardFactory(community=courtyard.community)
    courtyard.closed_on = datetime.date(2025, 6, 30)
    courtyard.closed_reason = Courtyard.ClosedReason.MERGED
    courtyard.merged_into = target
    courtyard.full_clean()
    courtyard.save()
    assert Courtyard.objects.filter(pk=courtyard.pk).exists()
    assert not Courtyard.objects.open().filter(pk=courtyard.pk).exists()
    assert courtyard.history.count() == 2
    assert courtyard.history.first().closed_reason == "merged"


@pytest.mark.django_db
def test_a_community_with_courtyards_cannot_be_deleted():
    courtyard = CourtyardFactory()
    with pytest.raises(ProtectedError):
        courtyard.community.delete()
    with pytest.raises(ProtectedError):
        courtyard.community.street.delete()
