"""An inspection campaign in the shared district (tests/conftest.py `geo` and `people`).

Group 1 (第一督查组) is led by the inspector persona (ducha) with a second inspector as
member; it visits 锦里12号院 (street A, community A1), 洗面桥3号院 (street A, A2) and the
community 锦里社区 (A1) itself. Group 2 (第二督查组) is led by another inspector
(ducha_b) and visits 九眼桥花园 (street B). Criteria: 组织健全 60, 议事规范 20, 环境卫生 20.
"""

from dataclasses import dataclass

import pytest

from inspections.models import Assignment
from portal.roles import Role
from tests.factories import user_with_role
from tests.inspections.factories import make_campaign, make_group


@dataclass
class Setup:
    campaign: object
    group1: object
    group2: object
    member: object  # a second inspector, member of group 1
    outsider: object  # an inspector leading group 2 only
    a1: object  # target: 锦里12号院
    a2: object  # target: 洗面桥3号院
    community_a1: object  # target: 锦里社区 itself
    b1: object  # target: 九眼桥花园 (group 2)


@pytest.fixture
def insp(geo, people):
    member = user_with_role(Role.INSPECTOR, geo.district, username="ducha_member")
    outsider = user_with_role(Role.INSPECTOR, geo.district, username="ducha_b")
    campaign = make_campaign(geo.district, people.district_staff)
    group1 = make_group(
        campaign,
        "第一督查组",
        people.inspector,
        members=[member],
        courtyards=[geo.courtyard_a1, geo.courtyard_a2],
        communities=[geo.community_a1],
    )
    group2 = make_group(campaign, "第二督查组", outsider, courtyards=[geo.courtyard_b1])
    campaign.status = campaign.Status.UNDER_WAY
    campaign.save()

    def target(**lookup):
        return Assignment.objects.get(campaign=campaign, **lookup)

    return Setup(
        campaign=campaign,
        group1=group1,
        group2=group2,
        member=member,
        outsider=outsider,
        a1=target(courtyard=geo.courtyard_a1),
        a2=target(courtyard=geo.courtyard_a2),
        community_a1=target(community=geo.community_a1, courtyard=None),
        b1=target(courtyard=geo.courtyard_b1),
    )


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
