"""What stops an assessment from being submitted (`Assessment.problems`): a capability not rated yet, a rating above
what the level expects with no evidence (neither text nor a cited entry of the evidence log), a manager's missing
recommendation. In the page's order; the ratings' citations are read in the same query as the ratings."""

from assessments.reviews.results import Problem


def problems(assessment, ratings=None, expectations=None) -> list[Problem]:
    expectations = list(assessment.expectations() if expectations is None else expectations)
    if ratings is None:
        ratings = assessment.ratings.select_related("scale_level").with_cites()
    by_capability = {rating.capability_id: rating for rating in ratings}
    found = []
    level = assessment.level.name
    cite = " Write it, or cite an entry from your evidence log." if assessment.kind == assessment.Kind.SELF else ""
    for expectation in expectations:
        capability = expectation.capability
        rating = by_capability.get(capability.pk)
        anchor = f"capability-{capability.pk}"
        if rating is None or not rating.is_rated:
            found.append(Problem(anchor, capability.name, "Not rated yet."))
        elif rating.needs_evidence(expectation):
            found.append(
                Problem(
                    anchor,
                    capability.name,
                    f"Needs evidence: rated {rating.scale_level.name}, above the {expectation.scale_level.name} "
                    f"that {level} expects.{cite}",
                )
            )
    if assessment.is_manager_assessment and assessment.recommendation == assessment.Recommendation.NOT_ASSESSED:
        found.append(Problem("recommendation", "Recommendation", f"Say whether they are ready for {level}."))
    return found
