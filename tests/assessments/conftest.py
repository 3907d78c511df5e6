"""A small world for assessment tests (tests/assessments/test_measures.py counts it by
hand): organisations, meetings and decisions in communities A1 and A2 of street A in 2025."""

import pytest

from tests.assessments.builders import YEAR, day, meeting, organisation


@pytest.fixture
def world(geo, people):
    a1, a2 = geo.community_a1, geo.community_a2
    org1 = organisation(a1, "锦里12号院自治组织")
    org2 = organisation(a1, "电力局宿舍自治组织")
    org3 = organisation(a1, "已撤销组织", dissolved=day(6, 30))  # not counted
    organisation(a1, "新建组织", established=day(2, 1, YEAR + 1))  # not yet in 2025
    org5 = organisation(a2, "洗面桥3号院自治组织")
    # Meetings and decisions (decided = not deferred; on time = published within 7 days).
    meeting(org1, day(3, 1), published_after=3, decisions=2, deferred=1)  # 2 on time
    meeting(org1, day(5, 1), published_after=10, decisions=1)  # 1 late
    meeting(org1, day(12, 28), published_after=1, decisions=1)  # under 7 days ago: left out
    meeting(org1, day(6, 1, YEAR - 1), published_after=1, decisions=1)  # 2024: left out
    meeting(org2, day(6, 1), decisions=1)  # never published: late
    meeting(org3, day(3, 10), published_after=7, decisions=1)  # 7 days: on time
    meeting(org5, day(4, 1), published_after=2, decisions=1)  # on time
    meeting(org5, day(8, 1))
    return {"org1": org1, "org2": org2, "org5": org5}
