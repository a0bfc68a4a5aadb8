"""Levels from directory data (issue 13 part 3): HR's rules place people from their job title, department and
employee type.

A rule's conditions are all checked in the database (`LevelRule.matches`), so the same rule decides the
preview HR reads in the admin, the placement of one person provisioned by SCIM, and a placement of everyone.
Rules are read in order; the first that matches a person places them. A rule places only people without a
level or placed by a rule before: a level HR set by hand (in the admin, the people list or a CSV import) is
never overwritten (`Person.level_rule` is cleared whenever a level is set any other way).
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from simple_history.utils import bulk_update_with_history

from assessments.people.models import Person
from frameworks.models import Framework

BATCH = 500
PREVIEW_NAMES = 10


class LevelRule(models.Model):
    position = models.PositiveIntegerField(
        default=0, help_text="Rules are tried from the lowest number up; the first that matches a person places them."
    )
    title_contains = models.CharField(
        "job title contains",
        max_length=200,
        blank=True,
        help_text="Words the job title must contain, in any case, e.g. “Senior Product Manager”.",
    )
    department_is = models.CharField(
        "department is", max_length=200, blank=True, help_text="The whole department name, in any case."
    )
    employee_type_is = models.CharField(
        "employee type is", max_length=100, blank=True, help_text="For example: employee, contractor."
    )
    level = models.ForeignKey(
        "frameworks.Level",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The track and level this rule gives. Only levels of published framework versions.",
    )

    class Meta:
        app_label = "assessments"
        ordering = ["position", "pk"]
        verbose_name = "level rule"

    def __str__(self):
        return f"{self.conditions} → {self.level.name}"

    @property
    def conditions(self) -> str:
        parts = []
        if self.title_contains:
            parts.append(f"job title contains “{self.title_contains}”")
        if self.department_is:
            parts.append(f"department is “{self.department_is}”")
        if self.employee_type_is:
            parts.append(f"employee type is “{self.employee_type_is}”")
        return " and ".join(parts).capitalize() or "No conditions"

    def clean(self):
        super().clean()
        for name in ("title_contains", "department_is", "employee_type_is"):
            setattr(self, name, getattr(self, name).strip())
        if not (self.title_contains or self.department_is or self.employee_type_is):
            raise ValidationError("Give at least one condition: a rule without one would place everyone.")
        if self.level_id and self.level.framework.status != Framework.Status.PUBLISHED:
            raise ValidationError({"level": "Choose a level of a published framework version."})

    def matches(self) -> Q:
        """The people this rule's conditions pick, as a filter."""
        q = Q()
        if self.title_contains:
            q &= Q(job_title__icontains=self.title_contains)
        if self.department_is:
            q &= Q(department__iexact=self.department_is)
        if self.employee_type_is:
            q &= Q(employee_type__iexact=self.employee_type_is)
        return q


def placeable() -> Q:
    """People the rules may place: those without a level, and those a rule placed (their attributes may have
    changed). Never someone whose level was set by hand."""
    return Q(level__isnull=True) | Q(level_rule__isnull=False)


def _rules_with_their_people(rules):
    """Each rule with the filter of the people it places: its conditions, and none of an earlier rule's."""
    earlier = Q(pk__in=[])
    for rule in rules:
        yield rule, rule.matches() & ~earlier
        earlier |= rule.matches()


def place_people(people=None, by=None) -> int:
    """Place `people` (a Person queryset; everyone when None) by the rules. Returns how many moved.

    Each change is one history row saying which rule placed the person, by `by` when HR asked for it."""
    people = Person.objects.all() if people is None else people
    rules = list(LevelRule.objects.select_related("level").filter(level__framework__status=Framework.Status.PUBLISHED))
    moved = 0
    if not rules:
        return moved
    with transaction.atomic():
        for rule, picks in _rules_with_their_people(rules):
            targets = people.filter(placeable()).filter(picks).exclude(level=rule.level, level_rule=rule)
            ids = list(targets.values_list("pk", flat=True))
            for start in range(0, len(ids), BATCH):
                batch = list(Person.objects.filter(pk__in=ids[start : start + BATCH]))
                for person in batch:
                    person.level, person.level_rule = rule.level, rule
                    person._history_user = by
                reason = f"Rule: {rule}"[:100]
                bulk_update_with_history(batch, Person, ["level", "level_rule"], default_change_reason=reason)
            moved += len(ids)
    return moved


def place_from_directory(person: Person) -> bool:
    """Give `person` the level of the first rule that matches their directory attributes, unless HR set their
    level by hand. Called when a person is provisioned or their attributes change. True when the level moved."""
    if person.level_id is not None and person.level_rule_id is None:
        return False
    moved = place_people(Person.objects.filter(pk=person.pk)) > 0
    if moved:
        person.refresh_from_db(fields=["level", "level_rule"])
    return moved


def preview(rule: LevelRule) -> dict:
    """Who the saved `rule` would place now (a count and the first names), and how many it has placed."""
    rules = list(LevelRule.objects.filter(level__framework__status=Framework.Status.PUBLISHED))
    if rule not in rules:
        return {"count": 0, "names": [], "placed": Person.objects.filter(level_rule_id=rule.pk).count()}
    picks = {r.pk: q for r, q in _rules_with_their_people(rules)}[rule.pk]
    would = (
        Person.objects.filter(placeable())
        .filter(picks)
        .exclude(level_id=rule.level_id, level_rule_id=rule.pk)
        .filter(user__is_active=True)
    )
    return {
        "count": would.count(),
        "names": list(would.select_related("user").order_by("user__full_name", "pk")[:PREVIEW_NAMES]),
        "placed": Person.objects.filter(level_rule_id=rule.pk).count() if rule.pk else 0,
    }
