"""The people room: a person's place in the organisation (level, manager) and the reporting tree.

Depends on `frameworks` and `accounts`; nothing here imports from reviews or reports.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Lower, Substr
from django.db.models.signals import post_delete
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from accounts.models import HR_ADMINS_GROUP


class ReportingTree:
    """Every reporting line at once (person id → manager id), walked in memory.

    Loading the whole tree is one small query (two integers per person), which beats a query per
    rung of the ladder and works the same on SQLite and PostgreSQL.
    """

    def __init__(self, edges):
        self.person_of_user: dict[int, int] = {}
        self.manager_of: dict[int, int | None] = {}
        self.reports_of: dict[int, list[int]] = {}
        for person_id, manager_id in edges:
            self.manager_of[person_id] = manager_id
            if manager_id is not None:
                self.reports_of.setdefault(manager_id, []).append(person_id)

    @classmethod
    def load(cls) -> "ReportingTree":
        """The whole tree, and which person is which user's (`person_of_user`), in one query."""
        rows = list(Person.objects.order_by().values_list("id", "manager_id", "user_id"))
        tree = cls((person_id, manager_id) for person_id, manager_id, _ in rows)
        tree.person_of_user = {user_id: person_id for person_id, _, user_id in rows}
        return tree

    def below(self, person_id: int) -> list[int]:
        """Ids of everyone who reports to `person_id`, directly or indirectly, nearest first."""
        found: list[int] = []
        seen = {person_id}
        queue = list(self.reports_of.get(person_id, ()))
        while queue:
            current = queue.pop(0)
            if current in seen:  # a cycle written around the model's checks: never loop forever
                continue
            seen.add(current)
            found.append(current)
            queue.extend(self.reports_of.get(current, ()))
        return found

    def above(self, person_id: int) -> list[int]:
        """Ids of `person_id`'s managers, the direct manager first, up to the top of the tree."""
        chain: list[int] = []
        seen = {person_id}
        current = self.manager_of.get(person_id)
        while current is not None and current not in seen:
            chain.append(current)
            seen.add(current)
            current = self.manager_of.get(current)
        return chain

    def path_of(self, person_id: int) -> str:
        """The materialised path of `person_id`: "/top/…/manager/person/" (see Person.path)."""
        return "/" + "".join(f"{pk}/" for pk in reversed([person_id, *self.above(person_id)]))

    def loops_back(self, person_id: int) -> bool:
        """Does following managers up from `person_id` come back to them?"""
        seen = set()
        current = self.manager_of.get(person_id)
        while current is not None and current not in seen:
            if current == person_id:
                return True
            seen.add(current)
            current = self.manager_of.get(current)
        return False

    def would_loop(self, person_id: int, manager_id: int | None) -> bool:
        """Would making `manager_id` the manager of `person_id` make someone their own manager?"""
        if manager_id is None:
            return False
        return manager_id == person_id or person_id in self.above(manager_id)


# Three questions read with a person (see `Scope`), written as SQL: Django took about 3 ms to compile each as an
# `Exists` subquery (more than PostgreSQL took to plan and run it), on nearly every page. Each refers to the person
# table by its name, so they are only for a query whose base table is the person table (not inside a subquery).


def _person_table_exists(sql: str, params=()) -> RawSQL:
    person = connection.ops.quote_name(Person._meta.db_table)
    # Table names and fixed fragments only; every value is a parameter.
    return RawSQL(f"EXISTS({sql.format(person=person)})", params, output_field=models.BooleanField())  # noqa: S611


def in_hr_admins_group():
    """Is a person's user in the HR admins group (the `user.groups` rows of the group of that name)?"""
    user_groups = get_user_model().groups.through
    group = connection.ops.quote_name(user_groups._meta.get_field("group").related_model._meta.db_table)
    user_groups = connection.ops.quote_name(user_groups._meta.db_table)
    # Table names; the group's name is a parameter.
    sql = f"SELECT 1 FROM {user_groups} ug INNER JOIN {group} g ON ug.group_id = g.id WHERE g.name = %s"  # noqa: S608
    return _person_table_exists(sql + " AND ug.user_id = {person}.user_id", (HR_ADMINS_GROUP,))


def reports_exist():
    """Does anyone report to the person (the navigation's "My team")?"""
    return _person_table_exists("SELECT 1 FROM {person} r WHERE r.manager_id = {person}.id")


def report_managers_exist():
    """Does anyone who reports to the person have reports: a manager of managers (the navigation's "Calibration")?"""
    return _person_table_exists(
        "SELECT 1 FROM {person} r INNER JOIN {person} rr ON rr.manager_id = r.id WHERE r.manager_id = {person}.id"
    )


class Scope:
    """One signed-in user's place in the reporting tree: their person and its path.

    Everyone below a person is one indexed prefix query on `Person.path`, so a scope never holds the
    organisation in memory. Read once per request: `Scope.of(user)` keeps it on the user object, which
    Django makes afresh for each request. Any save of a person makes kept scopes stale.
    """

    generation = 0  # bumped by every Person save or delete

    def __init__(self, person_id: int | None, path: str, has_reports=None, has_report_managers=None):
        self.person_id = person_id
        self.path = path
        # Read with the scope (None: not read), so that the navigation's "My team" and "Calibration" need no
        # queries of their own on the pages that read the scope (`manages_anyone`, `can_see_calibration`).
        self.has_reports = has_reports
        self.has_report_managers = has_report_managers
        self._generation = Scope.generation

    @classmethod
    def of(cls, user) -> "Scope":
        """The user's scope, read once; the same query tells whether they are in the HR admins group, so that
        `user.is_hr_admin` (asked by most pages beside the scope) needs no query of its own, and whether they
        manage anyone, and managers."""
        scope = cls.known(user)
        if scope is None:
            # One person per user: no order needed (the default one would join the users to sort by name).
            row = (
                Person.objects.filter(user_id=user.pk)
                .order_by()
                .values_list("pk", "path", in_hr_admins_group(), reports_exist(), report_managers_exist())[:1]
            )
            row = next(iter(row), None)
            scope = cls(row[0], row[1], row[3], row[4]) if row else cls(None, "", False, False)
            if row:
                cls._keep_is_hr_admin(user, row[2])
            user._pathway_scope = scope
        return scope

    @classmethod
    def known(cls, user) -> "Scope | None":
        """The user's scope if this request has read it already (and no person was saved since), else None."""
        scope = getattr(user, "_pathway_scope", None)
        return scope if scope is not None and scope._generation == cls.generation else None

    @classmethod
    def remember(cls, user, person: "Person") -> None:
        """Keep `person` (the user's own, just read) as the user's scope, so that `of` needs no query of its own;
        read with `in_hr_admins_group` (and `reports_exist`, `report_managers_exist`) annotated, it also answers
        `user.is_hr_admin` (and the navigation's questions)."""
        if cls.known(user) is None:
            user._pathway_scope = cls(
                person.pk,
                person.path,
                getattr(person, "reports_exist", None),
                getattr(person, "report_managers_exist", None),
            )
        if hasattr(person, "in_hr_admins_group"):
            cls._keep_is_hr_admin(user, person.in_hr_admins_group)

    @staticmethod
    def _keep_is_hr_admin(user, in_hr_group: bool) -> None:
        if "is_hr_admin" not in vars(user):
            # What User.is_hr_admin would answer (it is a cached_property: this is its cached value).
            user.is_hr_admin = user.is_active and (user.is_superuser or in_hr_group)

    def below_q(self, prefix: str = "") -> models.Q:
        """A filter for everyone below this user (through `prefix`, e.g. "subject__", for related rows)."""
        if self.person_id is None:
            return models.Q(pk__in=[])
        return models.Q(**{f"{prefix}path__startswith": self.path}) & ~models.Q(**{f"{prefix}pk": self.person_id})

    def manages(self, person: "Person") -> bool:
        """Is `person` below this user, directly or further down?"""
        return self.person_id is not None and person.pk != self.person_id and person.path.startswith(self.path)

    def sees(self, person: "Person") -> bool:
        return self.person_id is not None and (person.pk == self.person_id or self.manages(person))


def by_name(people):
    """People sorted by name; leavers sink to the bottom: they are kept for history, not for day-to-day work."""
    return sorted(people, key=lambda person: (not person.user.is_active, person.name.lower(), person.pk))


class PersonQuerySet(models.QuerySet):
    def with_related(self, manager=True):
        """What every page about a person shows: name, level, track, framework and manager. `manager=False`: for a
        page that does not show the manager (read on demand), without the two joins that cost PostgreSQL more to
        plan (1.4 ms against 0.6 ms at 20,000 people) than the rest of the query."""
        related = ["user", "level", "level__track", "level__framework"]
        return self.select_related(*related, *(["manager__user"] if manager else []))

    def active(self):
        return self.filter(user__is_active=True)

    def by_name(self):
        """In `by_name`'s order, by the database (for a page of a long list): leavers last, then by name."""
        return self.order_by("-user__is_active", Lower("user__full_name"), "pk")

    def in_subtree_of(self, person):
        """Everyone who reports to `person`, directly or indirectly (not `person`): one indexed prefix query."""
        return self.filter(path__startswith=person.path).exclude(pk=person.pk)

    def visible_to(self, user):
        """The people `user` may see: HR admins everyone; anyone else themself and everyone below them.

        Leavers stay visible to HR and to their managers, for history.
        """
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        scope = Scope.of(user)  # first: the same query answers is_hr_admin
        if user.is_hr_admin:
            return self
        if scope.person_id is None:
            return self.none()
        return self.filter(path__startswith=scope.path)

    def rebuild_paths(self):
        """Recompute every person's path from the manager links (after bulk writes that skip `save`)."""
        tree = ReportingTree.load()
        people = list(Person.objects.order_by().only("pk", "path"))
        changed = []
        for person in people:
            path = tree.path_of(person.pk)
            if person.path != path:
                person.path = path
                changed.append(person)
        Person.objects.bulk_update(changed, ["path"], batch_size=2000)
        Scope.generation += 1
        return len(changed)


class Person(models.Model):
    """A user's place in the organisation. Every user has one (created with the user)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person")
    job_title = models.CharField(max_length=200, blank=True)
    # From the company directory (SCIM's enterprise extension); HR's level rules read them.
    department = models.CharField(max_length=200, blank=True)
    employee_type = models.CharField(max_length=100, blank=True, help_text="For example: employee, contractor.")
    level = models.ForeignKey(
        "frameworks.Level",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        help_text="The person's current level. Empty for a new joiner whose level is not set yet.",
    )
    # The rule that set the level (assessments.people.directory), or None when HR set it by hand or it is empty.
    level_rule = models.ForeignKey(
        "assessments.LevelRule", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    manager = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports")
    # The materialised reporting line: "/<top>/…/<manager>/<own id>/". Everyone below a person is one
    # indexed prefix query (`path__startswith`), and "is X above Y" is a string test. Kept right by `save`
    # in the same transaction as any manager change (descendants with one UPDATE), and rebuilt by
    # `Person.objects.rebuild_paths()` after bulk writes that skip `save`.
    path = models.CharField(max_length=2000, db_index=True, editable=False, default="")

    history = HistoricalRecords(excluded_fields=["path"])

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["user__full_name"]
        verbose_name_plural = "people"

    def __str__(self):
        return str(self.user)

    @property
    def name(self) -> str:
        return self.user.full_name

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def is_active(self) -> bool:
        return self.user.is_active

    def clean(self):
        super().clean()
        if self.manager_id is None:
            return
        own_name = self.user.full_name if self.user_id else "This person"
        if self.manager_id == self.pk:
            raise ValidationError({"manager": f"{own_name} cannot be their own manager."})
        manager = Person.objects.select_related("user").filter(pk=self.manager_id).first()
        if self.pk is not None and manager is not None and f"/{self.pk}/" in manager.path:
            manager_name = manager.name
            raise ValidationError(
                {
                    "manager": f"{own_name} cannot report to {manager_name}: {manager_name} already reports to "
                    f"{own_name}, directly or indirectly."
                }
            )

    @property
    def chain_ids(self) -> list[int]:
        """Ids of this person's managers from the path, the direct manager first."""
        return [int(pk) for pk in reversed(self.path.strip("/").split("/")[:-1]) if pk]

    def managers_up_chain(self) -> list["Person"]:
        """This person's managers, the direct manager first, up to the top of the organisation."""
        chain_ids = self.chain_ids
        if not chain_ids:
            return []
        managers = Person.objects.select_related("user").in_bulk(chain_ids)
        return [managers[pk] for pk in chain_ids if pk in managers]

    def has_reports(self) -> bool:
        return Person.objects.filter(manager=self).exists()

    @classmethod
    def from_db(cls, db, field_names, values):
        person = super().from_db(db, field_names, values)
        person._stored_level_id = person.__dict__.get("level_id")
        return person

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using, fields, from_queryset)
        if fields is None or "level" in fields or "level_id" in fields:
            self._stored_level_id = self.__dict__.get("level_id")

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        stored_level_id = getattr(self, "_stored_level_id", self.level_id)
        if self.__dict__.get("level_rule_id") is not None and self.__dict__.get("level_id") != stored_level_id:
            # A level set any way but by a rule is HR's: the rules never overwrite it.
            self.level_rule = None
            if update_fields is not None:
                kwargs["update_fields"] = update_fields = {*update_fields, "level_rule"}
        with transaction.atomic():
            super().save(*args, **kwargs)
            if update_fields is None or "manager" in update_fields:
                self._sync_path()
        self._stored_level_id = self.level_id
        Scope.generation += 1

    def _sync_path(self):
        """Give this person (and, in one UPDATE, everyone below them) the path under their manager."""
        manager_path = "/"
        if self.manager_id is not None:
            manager_path = Person.objects.filter(pk=self.manager_id).values_list("path", flat=True).get() or "/"
        new = f"{manager_path}{self.pk}/"
        old = Person.objects.filter(pk=self.pk).values_list("path", flat=True).get()
        if old and old != new:
            move_subtree(old, new)
        elif not old:
            Person.objects.filter(pk=self.pk).update(path=new)
        self.path = new


def move_subtree(old: str, new: str):
    """Rewrite the path prefix `old` as `new` for a person and everyone below them."""
    Person.objects.filter(path__startswith=old).update(path=Concat(Value(new), Substr("path", len(old) + 1)))
    Scope.generation += 1


@receiver(post_delete, sender=Person, dispatch_uid="assessments.person_paths_after_delete")
def _reports_move_up_after_delete(sender, instance, **kwargs):
    # The manager link is set to NULL (SET_NULL): the direct reports become tops of their own trees.
    if instance.path:
        move_subtree(instance.path, "/")


def managers_from_paths(people) -> dict[int, int | None]:
    """Each person's manager id (None at the top) for these people and everyone above them, read from their stored
    paths with no query: a path names every manager above its person. Each person's own `manager_id` wins, so a
    manager set in memory but not yet saved counts."""
    manager_of: dict[int, int | None] = {}
    for person in people:
        ids = [int(pk) for pk in person.path.strip("/").split("/") if pk]
        for upper, lower in zip([None, *ids], ids, strict=False):
            manager_of.setdefault(lower, upper)
    for person in people:
        manager_of[person.pk] = person.manager_id
    return manager_of
