"""Inspections (督查): campaigns, inspection groups and their targets, scoring criteria,
visits with scores and verdicts, rectification follow-up and the district bulletin. One
module per area, all importable from here: `from inspections.models import Campaign`.

- common: shared constants and helpers (Verdict, is_district_user, points)
- criteria: CriteriaTemplate, CriteriaArea, CriteriaItem
- campaigns: Campaign, CampaignArea, CampaignItem
- groups: InspectionGroup, GroupMember (and groups_of)
- assignments: Assignment
- visits: Inspection, Score, InspectionPhoto
- rectifications: Rectification, ProgressNote
- bulletins: Bulletin

Who sees what goes beyond geography here: portal.access decides (`RoleScopedQuerySet`),
each model's queryset only supplies the narrowing for inspectors and local staff:

- district administrators and staff see everything of their district;
- inspectors see the campaigns they take part in, and only their own groups' targets,
  visits and rectifications (the campaign's leader sees all of that campaign's);
- street staff and community members see visit results about their street or community
  only once the campaign has published them (with its bulletin); they see the
  rectifications their communities are responsible for at once, since they must act on
  them; published bulletins are read by everyone in the district.

Multi-model writes are in `services.py`, figures in `selectors.py`; see docs/inspections.md
for the rules (verdict thresholds, re-inspection, overdue, the bulletin's freeze).
"""

from inspections.models.assignments import Assignment, AssignmentQuerySet
from inspections.models.bulletins import Bulletin, BulletinQuerySet
from inspections.models.campaigns import (
    Campaign,
    CampaignArea,
    CampaignItem,
    CampaignPartQuerySet,
    CampaignQuerySet,
    ItemQuerySet,
)
from inspections.models.common import (
    DISTRICT_ROLES,
    INSPECTION_STAFF_ROLES,
    PERCENT,
    SCORE,
    TOTAL,
    Verdict,
    is_district_user,
    points,
)
from inspections.models.criteria import (
    CriteriaArea,
    CriteriaItem,
    CriteriaQuerySet,
    CriteriaTemplate,
)
from inspections.models.groups import (
    GroupMember,
    GroupQuerySet,
    InspectionGroup,
    MemberQuerySet,
    groups_of,
)
from inspections.models.rectifications import (
    NoteQuerySet,
    ProgressNote,
    Rectification,
    RectificationQuerySet,
)
from inspections.models.visits import (
    Inspection,
    InspectionPhoto,
    InspectionQuerySet,
    PhotoQuerySet,
    Score,
    ScoreQuerySet,
    verdict_reason_error,
)

__all__ = [
    "Assignment",
    "AssignmentQuerySet",
    "Bulletin",
    "BulletinQuerySet",
    "Campaign",
    "CampaignArea",
    "CampaignItem",
    "CampaignPartQuerySet",
    "CampaignQuerySet",
    "CriteriaArea",
    "CriteriaItem",
    "CriteriaQuerySet",
    "CriteriaTemplate",
    "DISTRICT_ROLES",
    "GroupMember",
    "GroupQuerySet",
    "INSPECTION_STAFF_ROLES",
    "Inspection",
    "InspectionGroup",
    "InspectionPhoto",
    "InspectionQuerySet",
    "ItemQuerySet",
    "MemberQuerySet",
    "NoteQuerySet",
    "PERCENT",
    "PhotoQuerySet",
    "ProgressNote",
    "Rectification",
    "RectificationQuerySet",
    "SCORE",
    "Score",
    "ScoreQuerySet",
    "TOTAL",
    "Verdict",
    "groups_of",
    "is_district_user",
    "points",
    "verdict_reason_error",
]
