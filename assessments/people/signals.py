import logging

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver
from simple_history.utils import bulk_update_with_history

from assessments.people.models import Person
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
