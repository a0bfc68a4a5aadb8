"""The catalogue: career frameworks and everything a version holds.

A framework is identified by its `key` and exists in numbered versions. Only a
draft version may change; publishing a draft archives the version before it,
and a published or archived version is read-only everywhere (this module
enforces it, so the admin, imports and scripts all obey the same rule).
Assessments elsewhere point at the rows of the version they were made
against, so old assessments keep showing exactly what they were assessed
against. Capabilities keep their `key` across versions, and levels their track's
key and their own (`Level.ref`, e.g. "ic/lead": a level key is unique only on its
track), so that progress can be followed from one version to the next
(`Level.same_in`).
"""

from itertools import pairwise
from operator import attrgetter

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from pathway.text import validate_name

# Sent after a draft is published: sender=Framework, framework=<new>, previous=<archived or None>.
framework_published = Signal()


class FrameworkLocked(Exception):
    """Raised when something tries to change a version that is not a draft."""


class FrameworkQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Framework.Status.PUBLISHED)

    def public(self):
        """The versions anyone may read without signing in: published and archived versions marked public."""
        return self.filter(is_public=True).exclude(status=Framework.Status.DRAFT)

    def visible_to(self, user):
        """HR admins see every version; everyone else the published and archived ones."""
        if getattr(user, "is_hr_admin", False):
            return self
        return self.exclude(status=Framework.Status.DRAFT)

    def with_counts(self):
        """Annotate track_count, level_count and capability_count, one subquery each (no row fan-out)."""

        def count(model):
            rows = model.objects.filter(framework=OuterRef("pk")).order_by().values("framework")
            return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)

        return self.annotate(track_count=count(Track), level_count=count(Level), capability_count=count(Capability))


class Framework(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    class ScaleKind(models.TextChoices):
        MASTERY = "mastery", "Mastery scale"
        CRITERIA = "criteria", "Criteria (not yet, meets, exceeds)"

    key = models.SlugField(max_length=60, help_text="Stays the same across versions, e.g. product-management.")
    version = models.PositiveIntegerField(default=1)
    name = models.CharField(max_length=200, validators=[validate_name])
    description = models.TextField(blank=True)
    source = models.TextField(blank=True, help_text="Where the framework comes from, e.g. a web address.")
    licence = models.CharField(
        max_length=200,
        blank=True,
        validators=[validate_name],
        help_text="The licence its text is under, e.g. Open Government Licence v3.0.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # A criteria framework's expectation at each level is its written criteria, rated on the fixed three-step
    # scale CRITERIA_SCALE; every expectation sits on its middle step, "meets".
    scale_kind = models.CharField(
        "rated on",
        max_length=10,
        choices=ScaleKind.choices,
        default=ScaleKind.MASTERY,
        help_text="A mastery scale of its own, or each level's written criteria rated not yet, meets or exceeds.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # One setting for the whole framework: set_public changes every version at once, and publishing carries it
    # from the version it replaces, so a public framework never shows one version and hides the next.
    is_public = models.BooleanField(
        "public",
        default=False,
        help_text=(
            "Anyone may read a public framework without signing in: its pathway, its levels, level comparisons and "
            "what changed between versions, never anything about people. It applies to every version (a draft shows "
            "only once published), and export_site writes the public frameworks as a static site."
        ),
    )

    # The readiness rule: how a verdict (ready / nearly / not yet) is reached for a target level.
    readiness_target_share = models.PositiveSmallIntegerField(
        "share of target expectations met (%)",
        default=80,
        validators=[MaxValueValidator(100)],
        help_text="Ready needs at least this share of the target level's expectations met.",
    )
    readiness_max_steps_below = models.PositiveSmallIntegerField(
        "largest gap allowed (steps)",
        default=1,
        help_text="Ready needs no capability more than this many steps below the target level.",
    )
    readiness_requires_current_level = models.BooleanField(
        "current level must be met",
        default=True,
        help_text="Ready needs every expectation of the person's current level met.",
    )

    objects = FrameworkQuerySet.as_manager()
    history = HistoricalRecords()

    CONTENT_FIELDS = (
        "key",
        "version",
        "name",
        "description",
        "source",
        "licence",
        "scale_kind",
        "readiness_target_share",
        "readiness_max_steps_below",
        "readiness_requires_current_level",
    )

    class Meta:
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="framework_key_version_unique"),
            models.UniqueConstraint(
                fields=["key"], condition=Q(status="published"), name="framework_one_published_version"
            ),
            models.UniqueConstraint(fields=["key"], condition=Q(status="draft"), name="framework_one_draft_version"),
            # Ratings are against the target level's criteria, so they say nothing about the current level's.
            models.CheckConstraint(
                condition=~Q(scale_kind="criteria", readiness_requires_current_level=True),
                name="framework_criteria_not_current_level",
                violation_error_message="A criteria framework rates against the target level's criteria only, so "
                "“current level must be met” cannot be on.",
            ),
        ]

    def __str__(self):
        return f"{self.name} (v{self.version}, {self.get_status_display().lower()})"

    def get_absolute_url(self):
        return reverse("frameworks:detail", args=[self.key, self.version])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_criteria(self) -> bool:
        return self.scale_kind == self.ScaleKind.CRITERIA

    def assert_editable(self):
        """Raise FrameworkLocked unless this version is, in the database, still a draft."""
        if self.pk is None:
            return
        stored_status = Framework.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        if stored_status is None:
            raise FrameworkLocked(f"Version {self.version} of {self.name} has been deleted and cannot be changed.")
        if stored_status != self.Status.DRAFT:
            raise FrameworkLocked(
                f"Version {self.version} of {self.name} is {self.Status(stored_status).label.lower()} and cannot be "
                "changed. Make a new version to edit it."
            )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = Framework.objects.filter(pk=self.pk).values(*self.CONTENT_FIELDS, "status").first()
            if stored and stored["status"] != self.Status.DRAFT:
                changed = [field for field in self.CONTENT_FIELDS if stored[field] != getattr(self, field)]
                if changed:
                    raise FrameworkLocked(
                        f"Version {stored['version']} of {stored['key']} is {stored['status']}; "
                        f"cannot change {', '.join(changed)}."
                    )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if Framework.objects.filter(pk=self.pk).exclude(status=self.Status.DRAFT).exists():
            raise FrameworkLocked(f"Version {self.version} of {self.name} has been published and is kept for history.")
        return super().delete(*args, **kwargs)

    # Versions -----------------------------------------------------------------------------------

    def publishing_problems(self) -> list[str]:
        """What stops this draft from being published, in plain words (empty when it can be)."""
        problems = []
        if not self.is_draft:
            problems.append("Only a draft can be published.")
        if not self.scale_levels.exists():
            problems.append("The mastery scale has no levels.")
        if not self.capabilities.exists():
            problems.append("There are no capabilities.")
        if not self.levels.exists():
            problems.append("There are no levels on any track.")
        if self.is_criteria:
            problems += self._criteria_problems()
        return problems

    def _criteria_problems(self) -> list[str]:
        problems = []
        steps = list(self.scale_levels.order_by("rank").values_list("key", flat=True))
        if steps != [step["key"] for step in CRITERIA_SCALE]:
            problems.append("A criteria framework's scale must be exactly: Not yet, Meets, Exceeds.")
        if Expectation.objects.filter(level__framework=self).exclude(scale_level__key=CRITERIA_MEETS).exists():
            problems.append("Every expectation of a criteria framework must be at Meets.")
        return problems

    def publish(self):
        """Publish this draft and archive the version that was published before it."""
        with transaction.atomic():
            locked = Framework.objects.select_for_update().get(pk=self.pk)
            problems = locked.publishing_problems()
            if problems:
                raise ValidationError(problems)
            previous = Framework.objects.select_for_update().filter(key=self.key, status=self.Status.PUBLISHED).first()
            if previous is not None:
                Framework.objects.filter(pk=previous.pk).update(status=self.Status.ARCHIVED)
                previous.status = self.Status.ARCHIVED
            self.status = self.Status.PUBLISHED
            self.published_at = timezone.now()
            if previous is not None:
                self.is_public = previous.is_public
            Framework.objects.filter(pk=self.pk).update(
                status=self.status, published_at=self.published_at, is_public=self.is_public
            )
            framework_published.send(sender=Framework, framework=self, previous=previous)
        return self

    def set_public(self, public: bool) -> int:
        """Make every version of this framework public or private (drafts still show only once published)."""
        self.is_public = public
        changed = 0
        for version in Framework.objects.filter(key=self.key).exclude(is_public=public):
            version.is_public = public
            version.save(update_fields=["is_public"])  # one save each, so the history records who and when
            changed += 1
        return changed

    def new_version(self) -> "Framework":
        """Copy this version, every row of it, into a new draft with the next version number."""
        from frameworks.tree import framework_fields, read_tree, write_tree  # the tree module builds on these models

        with transaction.atomic():
            if Framework.objects.filter(key=self.key, status=self.Status.DRAFT).exists():
                raise ValidationError(f"{self.name} already has a draft version; edit or delete that one first.")
            next_version = (Framework.objects.filter(key=self.key).aggregate(top=Max("version"))["top"] or 0) + 1
            tree = read_tree(self, numbered=True)
            draft = Framework.objects.create(
                key=self.key, version=next_version, is_public=self.is_public, **framework_fields(tree)
            )
            write_tree(draft, tree)
        return draft

    def other_versions(self):
        return Framework.objects.filter(key=self.key).exclude(pk=self.pk)


# The scale of every criteria framework, lowest first: the level's criteria not yet met, met, exceeded.
CRITERIA_MEETS = "meets"
CRITERIA_SCALE = (
    {"key": "not-yet", "name": "Not yet", "description": "Does not yet meet this level's criteria."},
    {"key": CRITERIA_MEETS, "name": "Meets", "description": "Meets this level's criteria."},
    {"key": "exceeds", "name": "Exceeds", "description": "Goes beyond this level's criteria."},
)


class FrameworkPart(models.Model):
    """A row that belongs to one framework version and shares its lock."""

    class Meta:
        abstract = True

    def owning_framework_id(self) -> int:
        return self.framework_id

    def _assert_editable(self):
        framework_id = self.owning_framework_id()
        if framework_id and not Framework.objects.filter(pk=framework_id, status=Framework.Status.DRAFT).exists():
            framework = Framework.objects.get(pk=framework_id)
            raise FrameworkLocked(
                f"Version {framework.version} of {framework.name} is {framework.get_status_display().lower()} "
                "and cannot be changed. Make a new version to edit it."
            )

    def save(self, *args, **kwargs):
        self._assert_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._assert_editable()
        return super().delete(*args, **kwargs)


class ScaleLevel(FrameworkPart):
    """One step of a framework's mastery scale; rank 1 is the lowest."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="scale_levels")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=100, validators=[validate_name])
    description = models.TextField(blank=True)
    rank = models.PositiveSmallIntegerField(help_text="1 is the lowest step of the scale.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="scale_level_key_unique_in_framework"),
            models.UniqueConstraint(fields=["framework", "rank"], name="scale_level_rank_unique_in_framework"),
        ]

    def __str__(self):
        return self.name


class CapabilityArea(FrameworkPart):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=200, validators=[validate_name])
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="area_key_unique_in_framework"),
        ]

    def __str__(self):
        return self.name


class Capability(FrameworkPart):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="capabilities")
    area = models.ForeignKey(CapabilityArea, on_delete=models.CASCADE, related_name="capabilities")
    key = models.SlugField(max_length=60, help_text="Stays the same across versions so progress can be followed.")
    name = models.CharField(max_length=200, validators=[validate_name])
    short_name = models.CharField(
        max_length=40, blank=True, validators=[validate_name], help_text="Used where space is tight, e.g. the heatmap."
    )
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "capabilities"
        ordering = ["framework", "area__position", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="capability_key_unique_in_framework"),
        ]

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name

    def clean(self):
        if self.area_id and self.framework_id and self.area.framework_id != self.framework_id:
            raise ValidationError({"area": "Choose an area of the same framework version."})


class Track(FrameworkPart):
    class Kind(models.TextChoices):
        IC = "ic", "Individual contributor"
        MANAGEMENT = "management", "Management"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="tracks")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=200, validators=[validate_name])
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.IC)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="track_key_unique_in_framework"),
        ]

    def __str__(self):
        return self.name


class LevelQuerySet(models.QuerySet):
    def next_on_track_for(self, levels) -> dict[int, "Level"]:
        """level pk → the next rung on its track (Level.next_on_track) for many levels, in one query.

        The top rung of a track has no entry. The rungs come with their framework and track loaded.
        """
        levels = list(levels)
        if not levels:
            return {}
        rungs = self.filter(track_id__in={level.track_id for level in levels}).select_related("framework", "track")
        following = Level.next_on_track_among(rungs)
        return {level.pk: following[level.pk] for level in levels if level.pk in following}

    def same_in_for(self, levels, framework) -> dict[int, "Level"]:
        """level pk → the level with the same track key and level key in `framework` (Level.same_in), in one query.

        `levels` need their track loaded. `framework` is a version, or a queryset that selects one version (such as
        `Framework.objects.published().filter(key=...)`), which the same query reads. Levels that version does not
        have are left out.
        """
        levels = list(levels)
        if not levels:
            return {}
        version = {"framework__in": framework} if isinstance(framework, models.QuerySet) else {"framework": framework}
        candidates = self.filter(**version, key__in={level.key for level in levels}).select_related(
            "framework", "track"
        )
        by_ref = {candidate.ref: candidate for candidate in candidates}
        return {level.pk: by_ref[level.ref] for level in levels if level.ref in by_ref}


class Level(FrameworkPart):
    """A rung on a track. `grade` lines levels up across tracks; `stage` bands them on the pathway diagram.

    The rungs of a track run in `position` order, then by grade (for rungs left at the same position), then by
    when they were made: `next_on_track` and the ladders built from loaded levels all follow that one rule.
    """

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="levels")
    key = models.SlugField(max_length=60, help_text="Unique within its track, and stable across versions.")
    name = models.CharField(max_length=200, validators=[validate_name])
    grade = models.PositiveSmallIntegerField(
        help_text="Never decreases along a track; levels on different tracks with the same grade are peers."
    )
    stage = models.CharField(max_length=100, blank=True, validators=[validate_name])
    summary = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the track, lowest first.")

    objects = LevelQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "track__position", "position", "pk"]
        constraints = [
            # Keys are unique within their parent: two tracks may each have a level keyed "lead".
            models.UniqueConstraint(fields=["track", "key"], name="level_key_unique_in_track"),
        ]
        indexes = [models.Index(fields=["track", "position"], name="level_track_position_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("frameworks:level", args=[self.framework.key, self.framework.version, self.track.key, self.key])

    @property
    def ref(self) -> str:
        """The level's name within its framework, "track-key/level-key": a level key is unique only on its track.

        It is also how a level is followed from one version to the next. Load the track with the level.
        """
        return f"{self.track.key}/{self.key}"

    @staticmethod
    def matching_ref(levels, ref: str) -> list["Level"]:
        """The levels (of one version, tracks loaded) that `ref` names: "track-key/level-key", or a bare level
        key, which names every level with that key (more than one when several tracks use it)."""
        ref = ref.strip()
        if "/" in ref:
            return [level for level in levels if level.ref == ref]
        return [level for level in levels if level.key == ref]

    # The next rung, and the same level in another version ---------------------------------------------

    @property
    def rung(self) -> tuple:
        """Where the level stands on its track: sorting a track's levels by it gives the ladder, lowest first."""
        return (self.position, self.grade, self.pk)

    @staticmethod
    def ladders(levels) -> dict[int, list["Level"]]:
        """track pk → its levels among `levels` (already loaded: no query), lowest rung first."""
        ladders: dict[int, list[Level]] = {}
        for level in levels:
            ladders.setdefault(level.track_id, []).append(level)
        for ladder in ladders.values():
            ladder.sort(key=attrgetter("rung"))
        return ladders

    @staticmethod
    def next_on_track_among(levels) -> dict[int, "Level"]:
        """level pk → the next rung on its track among `levels` (already loaded: no query)."""
        return {lower.pk: higher for ladder in Level.ladders(levels).values() for lower, higher in pairwise(ladder)}

    def next_on_track(self) -> "Level | None":
        """The next rung on this level's track in the same version, or None at the top. One query."""
        return Level.objects.next_on_track_for([self]).get(self.pk)

    def same_in(self, framework) -> "Level | None":
        """This level in `framework`, another version of its framework: the level with the same track key and
        level key, or None when that version has none. That is how a level is followed from version to version.
        `framework` may also be a queryset selecting one version (see LevelQuerySet.same_in_for). One query."""
        return Level.objects.same_in_for([self], framework).get(self.pk)

    def clean(self):
        if self.track_id and self.framework_id and self.track.framework_id != self.framework_id:
            raise ValidationError({"track": "Choose a track of the same framework version."})


class ExpectationQuerySet(models.QuerySet):
    def in_framework_order(self):
        """Level by level, each level's capabilities in the framework's order: the default ordering within a
        level (a level's capabilities share its framework), without joining the level's framework and track and
        the capability's framework a second time only to sort by them."""
        return self.order_by("level_id", "capability__area__position", "capability__position", "capability_id")


class Expectation(FrameworkPart):
    """The mastery a level asks for in one capability. No row means the capability is not asked for there."""

    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="expectations")
    capability = models.ForeignKey(Capability, on_delete=models.CASCADE, related_name="expectations")
    # RESTRICT, not PROTECT: deleting a whole draft removes its scale and expectations together.
    scale_level = models.ForeignKey(ScaleLevel, on_delete=models.RESTRICT, related_name="+")
    description = models.TextField(blank=True, help_text="What this looks like at this level.")
    examples = models.JSONField(
        default=list, blank=True, help_text="Short examples or signals of what this looks like, one line each."
    )

    objects = ExpectationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["level", "capability"]
        constraints = [
            models.UniqueConstraint(fields=["level", "capability"], name="expectation_one_per_level_and_capability"),
        ]

    def __str__(self):
        return f"{self.level} · {self.capability}: {self.scale_level}"

    def owning_framework_id(self) -> int:
        return Level.objects.filter(pk=self.level_id).values_list("framework_id", flat=True).first()

    def clean(self):
        framework_ids = set()
        if self.level_id:
            framework_ids.add(self.level.framework_id)
        if self.capability_id:
            framework_ids.add(self.capability.framework_id)
        if self.scale_level_id:
            framework_ids.add(self.scale_level.framework_id)
        if len(framework_ids) > 1:
            raise ValidationError("Level, capability and mastery must all belong to the same framework version.")
        if not isinstance(self.examples, list) or not all(
            isinstance(example, str) and example.strip() for example in self.examples
        ):
            raise ValidationError({"examples": "Give the examples as a list of short texts."})
