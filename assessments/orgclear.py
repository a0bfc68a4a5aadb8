"""Removing a generated organisation (`generate_org --clear`): its accounts, people, reviews and cycles, and
nothing else. Part of the generator; see `assessments/orggen.py`."""

from django.db import connection, models, transaction

from accounts.models import User
from assessments.orgplan import CYCLE_SUFFIX, DOMAIN
from assessments.people.models import Person, Scope
from assessments.reviews.models import Assessment, Rating, ReviewCycle


def generated_users():
    return User.objects.filter(email__endswith=f"@{DOMAIN}")


# Clearing it -----------------------------------------------------------------------------------------------


def clear() -> int:
    """Remove the generated organisation (accounts @org.example, their people, assessments and ratings, and the
    generated cycles left empty). Returns how many people went. Fast: the big tables are deleted in SQL."""
    users = generated_users()
    people = Person.objects.filter(user__in=users)
    assessments = Assessment.objects.filter(models.Q(subject__in=people) | models.Q(author__in=people))
    with transaction.atomic():
        count = people.count()
        _raw_delete(Rating.objects.filter(assessment__in=assessments))
        for model, rows, handled in (
            (Assessment, assessments, {Rating}),
            (Person, people, {Assessment}),
            (User, users, {Person}),
        ):
            _release_dependents(model, rows, handled)
            _raw_delete(rows)
        ReviewCycle.objects.filter(name__endswith=CYCLE_SUFFIX, assessments__isnull=True).delete()
    Scope.generation += 1
    return count


def _raw_delete(queryset) -> int:
    sql, params = queryset.values("pk").query.sql_with_params()
    meta, quote = queryset.model._meta, connection.ops.quote_name
    with connection.cursor() as cursor:
        # The names come from the model, quoted; the subquery is the ORM's own SQL with its parameters.
        cursor.execute(f"DELETE FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} IN ({sql})", params)  # noqa: S608
        return cursor.rowcount


def _release_dependents(model, rows, handled: set):
    """Whatever else points at `rows` (a notification, an admin log entry, a history row's author): deleted,
    set to NULL or left, as its foreign key says, through the ORM (these are small)."""
    for relation in model._meta.related_objects:
        related = relation.related_model
        if related in handled or relation.many_to_many:
            continue
        on_delete = relation.on_delete
        pointing = related._base_manager.filter(**{f"{relation.field.name}__in": rows.values("pk")})
        if related is model:
            pointing = pointing.exclude(pk__in=rows.values("pk"))
        if on_delete is models.DO_NOTHING:
            continue
        if on_delete is models.SET_NULL:
            pointing.update(**{relation.field.name: None})
        else:
            pointing.delete()
    for m2m in model._meta.many_to_many:
        m2m.remote_field.through._base_manager.filter(**{f"{m2m.m2m_field_name()}__in": rows.values("pk")}).delete()
