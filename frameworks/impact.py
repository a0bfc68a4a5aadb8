"""What publishing a draft would change: the preview HR reads and confirms before "Publish".

The catalogue says what changes in the catalogue (capabilities and levels added, removed or changed, from
`frameworks.comparison.diff_versions`). Who it affects is known only to the rooms above (people on the old
version, assessments made against it), and the catalogue never imports them: it sends `publish_impact`, and
each room answers for itself with an `ImpactSection` (`assessments.people.signals` for the people whose level
moves, `assessments.reviews.signals` for the open cycle's assessments). Receivers read with a fixed number of
queries, aggregating in the database: an organisation may have 20,000 people on the old version.
"""

from dataclasses import dataclass, field
from operator import attrgetter

from django.dispatch import Signal

from frameworks.comparison import VersionDiff, diff_versions
from frameworks.models import Framework
from frameworks.views import prefetch_catalogue

# Sent to build the preview: sender=Framework, framework=<draft>, previous=<published version, or None>.
# A receiver returns an ImpactSection, or None when it has nothing to say.
publish_impact = Signal()

# A preview lists at most this many names in one list, then "and N more".
NAMES_SHOWN = 25


@dataclass
class ImpactSection:
    """One part of the preview: a heading and the template (with its context) that says the rest."""

    order: int
    title: str
    template: str
    context: dict = field(default_factory=dict)


@dataclass
class PublishImpact:
    framework: Framework
    previous: Framework | None
    diff: VersionDiff | None
    sections: list[ImpactSection]


def publish_impact_of(framework: Framework) -> PublishImpact:
    """What publishing the draft `framework` would change, compared with the version published now."""

    previous = framework.other_versions().filter(status=Framework.Status.PUBLISHED).first()
    diff = None
    if previous is not None:
        prefetch_catalogue([previous, framework])
        diff = diff_versions(previous, framework)
    answers = publish_impact.send(sender=Framework, framework=framework, previous=previous)
    sections = sorted((section for _, section in answers if section is not None), key=attrgetter("order"))
    return PublishImpact(framework, previous, diff, sections)
