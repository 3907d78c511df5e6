"""The models of courtyard self-governance, one module per area, all importable from here:
`from councils.models import Membership`.

- organisations: Organisation, Coverage (courtyards covered), Body (the three bodies)
- people: Person
- terms: Term, Membership (and Role, EndReason)
- elections: Election, Candidate
- supervision: Evaluation, EvaluationRating, Inquiry, Recall
- trainings: Training, TrainingAttendance
- research: ResearchVisit
- meetings: Meeting, Attendance, Motion, Attachment, Revision, Objection
- district_rules: DistrictRules (the district's settings) and `rules_for`
"""

from councils.models.district_rules import DistrictRules, Rules, rules_for, rules_of
from councils.models.elections import Candidate, Election
from councils.models.meetings import (
    Attachment,
    Attendance,
    Meeting,
    Motion,
    Objection,
    Revision,
)
from councils.models.organisations import Body, Coverage, Organisation
from councils.models.people import Person
from councils.models.research import ResearchVisit
from councils.models.supervision import (
    Evaluation,
    EvaluationRating,
    Inquiry,
    Recall,
    Result,
    evaluation_result,
    inquiry_quorum,
)
from councils.models.terms import (
    MANUAL_END_REASONS,
    ROLES_OF,
    SINGLE_ROLES,
    EndReason,
    Membership,
    Role,
    Term,
)
from councils.models.trainings import Training, TrainingAttendance

__all__ = [
    "Attachment",
    "Attendance",
    "Meeting",
    "Motion",
    "DistrictRules",
    "Rules",
    "rules_for",
    "rules_of",
    "Objection",
    "Revision",
    "Body",
    "Candidate",
    "Coverage",
    "Election",
    "EndReason",
    "Evaluation",
    "EvaluationRating",
    "Inquiry",
    "MANUAL_END_REASONS",
    "Membership",
    "Organisation",
    "Person",
    "ROLES_OF",
    "Recall",
    "ResearchVisit",
    "Result",
    "Role",
    "SINGLE_ROLES",
    "Term",
    "Training",
    "TrainingAttendance",
    "evaluation_result",
    "inquiry_quorum",
]
