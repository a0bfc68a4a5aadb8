"""The `assessments` app's models live in its rooms; Django finds them here.

One app label (`assessments`) for all of them, so moving a model between rooms never moves a table.
"""

from assessments.growth.feedback import FeedbackRequest, FeedbackRequestQuerySet
from assessments.growth.models import EvidenceEntry, EvidenceQuerySet
from assessments.growth.plans import LearningResource, PlanItem
from assessments.people.directory import LevelRule
from assessments.people.models import Person, PersonQuerySet, ReportingTree
from assessments.people.scim.models import DirectoryEntry, DirectoryGroup, ScimToken
from assessments.reviews.citations import Citation
from assessments.reviews.cycles import CycleReminder
from assessments.reviews.models import (
    Assessment,
    AssessmentLocked,
    AssessmentQuerySet,
    Problem,
    Rating,
    ReviewCycle,
    StaleRevision,
)
from assessments.reviews.tallies import RatingTally
from assessments.reviews.verdict_sql import VerdictTally

__all__ = [
    "Assessment",
    "AssessmentLocked",
    "AssessmentQuerySet",
    "Citation",
    "CycleReminder",
    "DirectoryEntry",
    "DirectoryGroup",
    "EvidenceEntry",
    "EvidenceQuerySet",
    "FeedbackRequest",
    "FeedbackRequestQuerySet",
    "LearningResource",
    "LevelRule",
    "Person",
    "PlanItem",
    "PersonQuerySet",
    "Problem",
    "Rating",
    "RatingTally",
    "ReportingTree",
    "ReviewCycle",
    "ScimToken",
    "StaleRevision",
    "VerdictTally",
]
