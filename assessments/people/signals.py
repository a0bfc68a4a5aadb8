import logging

from django.conf import settings
from django.db.models import Count
from django.db.models.signals import post_save
from django.dispatch import receiver
from simple_history.utils import bulk_update_with_history

from assessments.people.directory import LevelRule
from assessments.people.models import Person
from frameworks.impact import NAMES_SHOWN, ImpactSection, publish_impact
from frameworks.models import Framework, Level, framework_published

logger = logging.getLogger(__name__)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="assessments.person_for_every_user")
def create_person_for_user(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        Person.objects.get_or_create(user=instance)


@receiver(framework_published, sender=Framework, dispatch_uid="assessments.move_people_to_published_version")
def move_people_to_published_version(sender, framework, previous=None, **kwargs):
    """Move everyone on a level of the version just archived to the level with the same track key and level
    key in the new one (a level key is unique only on its track: `ic/lead` and `management/lead` differ).

    People whose level no longer exists keep their old (archived) level until HR places them.
    """
    if previous is None:
        return
    people = list(Person.objects.filter(level__framework=previous).select_related("level__track", "user"))
    new_levels = Level.objects.same_in_for({person.level for person in people}, framework)
    moved, stranded = [], []
    for person in people:
        new_level = new_levels.get(person.level_id)
        if new_level is None:
            stranded.append(person)
            continue
        person.level = new_level
        moved.append(person)
    if moved:
        reason = f"Moved to version {framework.version} of {framework.key}"[:100]
        bulk_update_with_history(moved, Person, ["level"], batch_size=500, default_change_reason=reason)
    for person in stranded:
        logger.warning(
            "%s (%s) keeps level %r of %s version %s: version %s has no level with that track and key.",
            person.name,
            person.user.email,
            person.level.ref,
            previous.key,
            previous.version,
            framework.version,
        )
    logger.info(
        "Published %s version %s: moved %d people from version %s; %d kept their old level.",
        framework.key,
        framework.version,
        len(moved),
        previous.version,
        len(stranded),
    )


@receiver(framework_published, sender=Framework, dispatch_uid="assessments.move_level_rules_to_published_version")
def move_level_rules_to_published_version(sender, framework, previous=None, **kwargs):
    """HR's level rules follow their levels to the new version, as people do; a rule whose level is gone keeps
    the archived one and places nobody until HR chooses a level of the new version."""
    if previous is None:
        return
    rules = list(LevelRule.objects.filter(level__framework=previous).select_related("level__track"))
    new_levels = Level.objects.same_in_for({rule.level for rule in rules}, framework)
    moved = [rule for rule in rules if rule.level_id in new_levels]
    for rule in moved:
        rule.level = new_levels[rule.level_id]
    LevelRule.objects.bulk_update(moved, ["level"])


@receiver(publish_impact, sender=Framework, dispatch_uid="assessments.people_whose_level_moves")
def people_whose_level_moves(sender, framework, previous=None, **kwargs):
    """For the publish preview: how many people on each level of the published version move to the new one
    (`move_people_to_published_version` does it), and who keeps an old level; five queries, names bounded."""
    if previous is None:
        return None
    counts = dict(
        Person.objects.filter(level__framework=previous)
        .order_by()
        .values("level_id")
        .annotate(n=Count("pk"))
        .values_list("level_id", "n")
    )
    levels = Level.objects.filter(pk__in=counts).select_related("track")
    levels = sorted(levels, key=lambda level: (level.track.position, level.rung))
    same = Level.objects.same_in_for(levels, framework)

    def named(level_ids):
        people = Person.objects.filter(level_id__in=level_ids).select_related("user", "level")
        return list(people.order_by("user__full_name", "pk")[:NAMES_SHOWN]) if level_ids else []

    moving = [level.pk for level in levels if level.pk in same]
    staying = [level.pk for level in levels if level.pk not in same]
    context = {
        "framework": framework,
        "previous": previous,
        "rows": [(level, same.get(level.pk), counts[level.pk]) for level in levels],
        "moving_count": sum(counts[pk] for pk in moving),
        "staying_count": sum(counts[pk] for pk in staying),
        "moving": [(person, same[person.level_id]) for person in named(moving)],
        "staying": named(staying),
    }
    context["moving_more"] = context["moving_count"] - len(context["moving"])
    context["staying_more"] = context["staying_count"] - len(context["staying"])
    return ImpactSection(10, "People whose level moves", "assessments/people/includes/publish_impact.html", context)
