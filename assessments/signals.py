from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from assessments.models import Person


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="assessments.person_for_every_user")
def create_person_for_user(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        Person.objects.get_or_create(user=instance)
