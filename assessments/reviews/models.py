"""The reviews room: review cycles, assessments and their ratings, and the workflow between them
(draft, submit, return, share, the agreed outcome).

Depends on `people` and `frameworks`; nothing here imports from reports.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from assessments.people.models import Person, Scope
from assessments.reviews.cycles import CycleClosed, ReviewCycle
from assessments.reviews.history import SubmittedHistory
from assessments.reviews.results import AssessmentLocked, Locked, Problem, StaleRevision
from assessments.reviews.sql import write_answers
from assessments.reviews.verdict import Verdict


class AssessmentQuerySet(models.QuerySet):
    def with_related(self):
        """What every page about an assessment shows: who, against which level and version, in which cycle."""
        return self.select_related(
            "subject__user", "author__user", "level__track", "level__framework", "cycle", "returned_by__user"
        )

    def visible_to(self, user):
        """A draft (or a returned one) only to its author; once submitted, to the subject's managers up the
        chain and HR; a self-assessment to its subject; a manager assessment to its subject once shared."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        person_id = Scope.of(user).person_id
        if person_id is None:
            return self.none()
        mine = models.Q(author_id=person_id)
        private = [Assessment.Status.DRAFT, Assessment.Status.RETURNED]
        if user.is_hr_admin:
            # HR sees every submitted assessment, except a manager assessment of themself not yet shared with them.
            unshared_about_me = models.Q(subject_id=person_id, kind=Assessment.Kind.MANAGER) & ~models.Q(
                status=Assessment.Status.SHARED
            )
            return self.filter(mine | ~models.Q(status__in=private)).exclude(unshared_about_me & ~mine)
        return self.filter(
            mine
            | models.Q(subject_id=person_id, kind=Assessment.Kind.MANAGER, status=Assessment.Status.SHARED)
            | (Scope.of(user).below_q("subject__") & models.Q(status__in=Assessment.SUBMITTED_STATUSES))
        )

    def submitted(self):
        """Submitted or shared: finished by their author."""
        return self.filter(status__in=Assessment.SUBMITTED_STATUSES)

    def drafts_by(self, user, subject=None):
        """The reader's own editable drafts of `subject` (of themself when None), with their progress."""
        about = models.Q(subject__user=user) if subject is None else models.Q(subject=subject)
        return self.filter(about, author__user=user, status__in=Assessment.EDITABLE_STATUSES).with_progress()

    def one_click(self, level):
        """What a one-click start against `level` opens (StartForm's default): the assessment in the only open
        cycle; with no cycle open, the one against `level` outside cycles; with several open, none."""
        open_cycles = ReviewCycle.objects.filter(status=ReviewCycle.Status.OPEN)
        only_open = models.Q(cycle__status=ReviewCycle.Status.OPEN) & ~models.Exists(
            open_cycles.exclude(pk=models.OuterRef("cycle_id"))
        )
        return self.filter(only_open | (models.Q(cycle=None, level=level) & ~models.Exists(open_cycles)))

    def with_progress(self):
        """Annotate rated_count and capability_count (one query for a whole list).

        Counted by a subquery per row rather than a join and GROUP BY: grouping by every column a page selects
        with the assessment (its people, level, framework, cycle) made the query the slowest to plan."""
        ratings = Rating.objects.filter(assessment=models.OuterRef("pk")).order_by().values("assessment")

        def count(of):
            return Coalesce(models.Subquery(of.annotate(n=models.Count("pk")).values("n")), 0)

        rated = models.Q(not_applicable=True) | models.Q(scale_level__isnull=False)
        return self.annotate(capability_count=count(ratings), rated_count=count(ratings.filter(rated)))


class Assessment(models.Model):
    """One person's ratings of one subject against one level of a published framework version."""

    class Kind(models.TextChoices):
        SELF = "self", "Self-assessment"
        MANAGER = "manager", "Manager assessment"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        SHARED = "shared", "Shared"
        RETURNED = "returned", "Returned"

    class Recommendation(models.TextChoices):
        """Not assessed yet, or one of the verdict's words (`Verdict`): one vocabulary for both."""

        NOT_ASSESSED = "not_assessed", "Not assessed"
        READY = Verdict.READY.value, Verdict.READY.label
        NEARLY = Verdict.NEARLY.value, Verdict.NEARLY.label
        NOT_YET = Verdict.NOT_YET.value, Verdict.NOT_YET.label

    subject = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assessments_about")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assessments_written")
    level = models.ForeignKey("frameworks.Level", on_delete=models.PROTECT, related_name="assessments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    overall_comment = models.TextField(blank=True)
    recommendation = models.CharField(
        max_length=15, choices=Recommendation.choices, default=Recommendation.NOT_ASSESSED
    )
    rationale = models.TextField(blank=True)
    return_comment = models.TextField(blank=True, help_text="Why the manager returned it for changes.")
    returned_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    returned_at = models.DateTimeField(null=True, blank=True)
    # The author's earlier submitted assessment its first answers were carried from (see reviews/carry.py).
    carried_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Bumped on every change to the assessment's own fields or status (ratings carry their own revision);
    # a save based on an older revision is refused.
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)

    history = SubmittedHistory()  # submitted states only (reviews/history.py)

    objects = AssessmentQuerySet.as_manager()

    # A returned assessment is a draft again, for its author only.
    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)
    # Finished by its author: what managers, HR and reports read.
    SUBMITTED_STATUSES = (Status.SUBMITTED, Status.SHARED)
    # A share can be undone this long; its email goes when the window closes.
    SHARE_UNDO_WINDOW = timedelta(minutes=10)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            # One review per person and cycle: a self-assessment and a manager assessment, whatever the level.
            models.UniqueConstraint(
                fields=["subject", "cycle", "kind"],
                condition=models.Q(cycle__isnull=False),
                name="assessment_one_per_subject_cycle_kind",
                violation_error_message="This person already has an assessment of this kind in this cycle.",
            ),
            models.UniqueConstraint(
                fields=["subject", "level", "kind"],
                condition=models.Q(cycle__isnull=True),
                name="assessment_one_per_subject_level_kind_outside_cycles",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="manager") | models.Q(author=models.F("subject")),
                name="assessment_self_written_by_subject",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="self", status="shared"), name="assessment_only_manager_shared"
            ),
        ]
        indexes = [
            models.Index(fields=["subject", "kind", "status"], name="assessment_subject_kind_idx"),
            models.Index(fields=["author", "status"], name="assessment_author_status_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.subject} against {self.level}"

    # Behaviour ------------------------------------------------------------------------------------

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    def history_is_private(self) -> bool:
        """A draft is private to its author: none of its states enters the audit trail."""
        return self.is_editable

    @classmethod
    def public_for_history(cls, assessments):
        return [assessment for assessment in assessments if not assessment.history_is_private()]

    @property
    def is_submitted(self) -> bool:
        return self.status in self.SUBMITTED_STATUSES

    @property
    def is_manager_assessment(self) -> bool:
        return self.kind == self.Kind.MANAGER

    @property
    def other_kind(self) -> str:
        """The kind of the other side of the same review: self ↔ manager."""
        return self.Kind.MANAGER if self.kind == self.Kind.SELF else self.Kind.SELF

    def get_absolute_url(self):
        return reverse("assessments:detail", args=[self.pk])

    @classmethod
    def start(cls, *, subject: Person, author: Person, level, cycle=None, carry_from=None) -> tuple["Assessment", bool]:
        """The author's assessment of `subject` against `level` in `cycle`, started now if there is none yet.

        A self-assessment when the author is the subject, else a manager assessment. Only a level of a
        published framework version may be chosen; the assessment then keeps pointing at that version.
        In a cycle there is one assessment per (subject, cycle, kind): the one already there is returned even
        when it is against another level (the caller compares levels to say so). Outside cycles, one per level.
        """
        from frameworks.models import Framework

        if not Framework.objects.filter(pk=level.framework_id, status=Framework.Status.PUBLISHED).exists():
            raise ValidationError(f"{level.name} belongs to a framework version that is not published.")
        if cycle is not None and not cycle.is_open:
            raise ValidationError(f"The review cycle {cycle.name} is closed.")
        kind = cls.Kind.SELF if subject.pk == author.pk else cls.Kind.MANAGER
        lookup = {"subject": subject, "cycle": cycle, "kind": kind}
        if cycle is None:
            lookup["level"] = level
        existing = cls.objects.filter(**lookup).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                assessment = cls.objects.create(**{"author": author, "level": level, **lookup})
                assessment.ensure_ratings()
                if carry_from is not None:  # the author's earlier answers (reviews/carry.py), in this transaction
                    from assessments.reviews.carry import carry_answers

                    assessment.carry_result = carry_answers(assessment, carry_from)
        except IntegrityError:  # started at the same moment in another tab
            return cls.objects.get(**lookup), False
        return assessment, True

    def ensure_ratings(self):
        """One (unrated) rating per capability the level asks for; capabilities not asked are not assessed."""
        from frameworks.models import Expectation

        have = set(self.ratings.values_list("capability_id", flat=True))
        asked = Expectation.objects.filter(level_id=self.level_id).values_list("capability_id", flat=True)
        Rating.objects.bulk_create([Rating(assessment=self, capability_id=pk) for pk in asked if pk not in have])

    def expectations(self):
        """What the level asks for, capability by capability, in the framework's order."""
        from frameworks.models import Expectation

        return (
            Expectation.objects.filter(level_id=self.level_id)
            .select_related("capability__area", "scale_level")
            .order_by("capability__area__position", "capability__area_id", "capability__position", "capability_id")
        )

    def progress(self) -> tuple[int, int]:
        """(rated, total): how many capabilities have a rating or "not applicable", out of how many. Counted over
        the ratings' two answer columns (`Rating.answered`) rather than by an aggregate, which took Django twice as
        long to build as reading the rows (an autosave asks after every save)."""
        answers = Rating.objects.filter(assessment_id=self.pk).values_list("not_applicable", "scale_level_id")
        rated = [Rating.answered(not_applicable, scale_level_id) for not_applicable, scale_level_id in answers]
        return sum(rated), len(rated)

    def counterpart(self):
        """The other side's assessment of the same person, level and cycle (self ↔ manager), or None."""
        return (
            Assessment.objects.filter(
                subject_id=self.subject_id, level_id=self.level_id, cycle_id=self.cycle_id, kind=self.other_kind
            )
            .select_related("author__user")
            .first()
        )

    def problems(self, ratings=None, expectations=None) -> list[Problem]:
        """What stops this assessment from being submitted, in the page's order (empty when complete)."""
        from assessments.reviews.problems import problems

        return problems(self, ratings, expectations)

    def move_to_published_version(self, by: Person):
        """Move this open draft to its framework's newer published version, carrying every answer the new level
        still asks for (see `assessments.reviews.versions`). Returns what was carried and what was not."""
        from assessments.reviews.versions import move_to_published_version

        return move_to_published_version(self, by)

    @classmethod
    def lock(cls, pk) -> Locked:
        """Inside a transaction: take the assessment's lock and read what it is now.

        Submit, return, share, autosave, the details and the agreed outcome of one assessment all start
        here, so they run one after another. PostgreSQL locks the row (SELECT ... FOR UPDATE) until the
        transaction ends. SQLite has no row locks but serialises writers: a transaction whose first
        statement writes takes the database's write lock at once (and others wait for it), so there the
        lock is a write that changes nothing.
        """
        query = cls.objects.filter(pk=pk)
        if connection.features.has_select_for_update:
            # Only the assessment's row: the cycle is read in the same query, never locked (every save shares it).
            query = query.select_for_update(of=("self",) if connection.features.has_select_for_update_of else ())
        else:
            query.update(revision=models.F("revision"))
        status, revision, cycle_id, cycle_status = query.values_list(
            "status", "revision", "cycle_id", "cycle__status"
        ).get()
        return Locked(status, revision, cycle_id is not None and cycle_status != ReviewCycle.Status.OPEN)

    def _refuse_if_cycle_closed(self, locked: Locked):
        if locked.cycle_closed:
            raise CycleClosed(ReviewCycle.objects.filter(pk=self.cycle_id).first())

    def _transition(self, allowed_from, check=None, **changes) -> bool:
        """Apply `changes` if the status is still one of `allowed_from`, else change nothing and return False.

        Under the assessment's lock (`lock`), so of two requests racing (a double click, two tabs, a submit
        and an autosave) one runs after the other and sees what the first did. `check(self)`, called under
        the lock, may refuse by raising. Raises CycleClosed in a closed cycle. The save records who did it in
        the history.
        """
        with transaction.atomic():
            locked = Assessment.lock(self.pk)
            self._refuse_if_cycle_closed(locked)
            if locked.status not in allowed_from:
                self.refresh_from_db(from_queryset=Assessment.objects.with_related())
                return False
            Assessment.objects.filter(pk=self.pk).update(revision=models.F("revision") + 1)
            self.refresh_from_db(from_queryset=Assessment.objects.with_related())
            if check is not None:  # on what is stored now; raising rolls the transaction back
                check(self)
            for name, value in changes.items():
                setattr(self, name, value)
            self.save(update_fields=[*changes, "updated_at"])
            self._refresh_tallies()
        return True

    def _refuse_if_incomplete(self):
        problems = self.problems()
        if problems:
            raise ValidationError([f"{problem.subject}: {problem.message}" for problem in problems])

    def submit(self) -> bool:
        """Submit a complete draft. Raises ValidationError listing what is missing; returns False (and changes
        nothing) when it is no longer a draft, so a second click is harmless. What is missing is checked again
        under the lock, so a rating cleared by an autosave at the same moment is seen."""
        if not self.is_editable:
            return False
        self._refuse_if_incomplete()
        with transaction.atomic():
            submitted = self._transition(
                self.EDITABLE_STATUSES,
                check=Assessment._refuse_if_incomplete,
                status=self.Status.SUBMITTED,
                submitted_at=timezone.now(),
            )
            if submitted:  # the drafts left no history: record the submitted answers
                Rating.history.bulk_history_create(
                    list(self.ratings.all()),
                    update=True,
                    default_user=self.author.user,
                    default_change_reason="Submitted",
                )
        return submitted

    def return_for_changes(self, by: Person, comment: str) -> bool:
        """Send a submitted self-assessment back to its author with a comment; it becomes editable again."""
        if self.kind != self.Kind.SELF:
            raise ValidationError("Only a self-assessment can be returned for changes.")
        if not comment.strip():
            raise ValidationError("Say what should change.")
        with transaction.atomic():
            done = self._transition(
                [self.Status.SUBMITTED],
                status=self.Status.RETURNED,
                return_comment=comment.strip(),
                returned_by=by,
                returned_at=timezone.now(),
            )
        return done

    def _refresh_tallies(self):
        """Calibration's tallies and the stored verdict this change touches (`tallies.py`, `verdict_sql.py`), in its
        transaction: every change of status (submit, return, share, undo) comes through `_transition`."""
        from assessments.reviews.tallies import refresh_tallies
        from assessments.reviews.verdict_sql import refresh_verdicts

        refresh_tallies([self])
        refresh_verdicts([self])

    def share(self) -> bool:
        """Show a submitted manager assessment to its subject."""
        if self.kind != self.Kind.MANAGER:
            raise ValidationError("Only a manager assessment is shared.")
        return self._transition([self.Status.SUBMITTED], status=self.Status.SHARED, shared_at=timezone.now())

    @property
    def share_email_due(self):
        """When a share becomes final and its email goes (None unless shared)."""
        return self.shared_at + self.SHARE_UNDO_WINDOW if self.shared_at else None

    @property
    def can_undo_share(self) -> bool:
        return self.status == self.Status.SHARED and self.shared_at and timezone.now() < self.share_email_due

    def undo_share(self) -> bool:
        """Take a share back inside its undo window (see `assessments.reviews.outcome`)."""
        from assessments.reviews.outcome import undo_share

        return undo_share(self)

    def record_recommendation(self, *, recommendation: str, rationale: str, expected_revision: int) -> bool:
        """The recommendation after the discussion (see `assessments.reviews.outcome`)."""
        from assessments.reviews.outcome import record_recommendation

        return record_recommendation(self, recommendation, rationale, expected_revision)

    def update_details(self, *, expected_revision: int, **fields) -> bool:
        """Save the overall comment (and for managers the recommendation and rationale) if nobody has saved
        them since `expected_revision`. False when nothing changed; raises StaleRevision or AssessmentLocked."""
        changes = {name: value for name, value in fields.items() if getattr(self, name) != value}
        if not changes:
            return False
        with transaction.atomic():
            locked = Assessment.lock(self.pk)
            self._refuse_if_cycle_closed(locked)
            if locked.status not in self.EDITABLE_STATUSES:
                raise AssessmentLocked
            if locked.revision != expected_revision:
                raise StaleRevision
            Assessment.objects.filter(pk=self.pk).update(revision=models.F("revision") + 1)
            self.refresh_from_db(from_queryset=Assessment.objects.with_related())
            for name, value in changes.items():
                setattr(self, name, value)
            self.save(update_fields=[*changes, "updated_at"])
        return True

    def record_answers(self, answers: list[tuple["Rating", dict]]) -> list["Rating"]:
        """Save the author's answers to many ratings at once (the page's plain form): one transaction, one lock,
        one bulk update, whatever the framework's size.

        `answers` pairs each rating (as read) with the keyword arguments of `Rating.record`. A rating saved since
        its expected revision is refused and returned (as stored now); the others are saved. Raises
        AssessmentLocked or CycleClosed, changing nothing.
        """
        changed = [(rating, answer) for rating, answer in answers if rating.answer_differs(**answer)]
        if not changed:
            return []
        with transaction.atomic():
            locked = Assessment.lock(self.pk)
            self._refuse_if_cycle_closed(locked)
            if locked.status not in self.EDITABLE_STATUSES:
                raise AssessmentLocked
            # Under the lock every change to these ratings waits for this one, so the revisions read stay true.
            stored = Rating.objects.filter(pk__in=[rating.pk for rating, _ in changed]).in_bulk()
            now, saved, stale = timezone.now(), [], []
            for rating, answer in changed:
                if stored[rating.pk].revision != answer["expected_revision"]:
                    stale.append(stored[rating.pk])
                    continue
                rating.apply_answer(**answer)
                rating.revision, rating.updated_at = answer["expected_revision"] + 1, now
                saved.append(rating)
            if saved:
                write_answers(saved)  # a draft's answers: no history (private, reviews/history.py)
                Assessment.objects.filter(pk=self.pk).update(updated_at=now)
        return stale

    def record_agreed_outcome(self, outcomes: dict, *, expected_revision: int) -> int:
        """The ratings agreed in the comparison (see `assessments.reviews.outcome`). Returns how many changed."""
        from assessments.reviews.outcome import record_agreed_outcome

        return record_agreed_outcome(self, outcomes, expected_revision)


class RatingQuerySet(models.QuerySet):
    def with_cites(self):
        """Each rating with `cites`: whether it cites an entry of the evidence log, which counts as evidence."""
        citations = Rating.cited_entries.through.objects.filter(rating=models.OuterRef("pk"))
        return self.annotate(cites=models.Exists(citations))


class Rating(models.Model):
    """The mastery given for one capability in one assessment, with evidence.

    Unrated: no scale level and not "not applicable".
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    capability = models.ForeignKey("frameworks.Capability", on_delete=models.PROTECT, related_name="+")
    scale_level = models.ForeignKey(
        "frameworks.ScaleLevel", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    not_applicable = models.BooleanField(default=False)
    evidence = models.TextField(blank=True)
    # The outcome agreed in the comparison; only used on manager assessments. Empty means "as rated".
    agreed_scale_level = models.ForeignKey(
        "frameworks.ScaleLevel", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreed_not_applicable = models.BooleanField(default=False)
    agreed_note = models.TextField(blank=True, help_text="Why the agreed rating differs from either side.")
    carried = models.BooleanField(default=False)  # from the assessment's `carried_from`, unchanged since
    cited_entries = models.ManyToManyField("assessments.EvidenceEntry", through="Citation", related_name="cited_in")
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    history = SubmittedHistory()  # submitted states only (reviews/history.py)
    objects = RatingQuerySet.as_manager()

    class Meta:
        # No default ordering: sorting every ratings fetch by assessment (and the capability's area) made the
        # database sort the whole table on big pages. Pages order by the framework's expectations instead.
        constraints = [
            models.UniqueConstraint(fields=["assessment", "capability"], name="rating_one_per_assessment_capability"),
            models.CheckConstraint(
                condition=~models.Q(not_applicable=True, scale_level__isnull=False),
                name="rating_level_or_not_applicable",
            ),
            models.CheckConstraint(
                condition=~models.Q(agreed_not_applicable=True, agreed_scale_level__isnull=False),
                name="rating_agreed_level_or_not_applicable",
            ),
        ]

    def __str__(self):
        return f"{self.capability}: {self.scale_level or ('not applicable' if self.not_applicable else 'not rated')}"

    @staticmethod
    def answered(not_applicable: bool, scale_level_id: int | None) -> bool:
        """Rated: a scale level given, or "not applicable"."""
        return not_applicable or scale_level_id is not None

    @property
    def is_rated(self) -> bool:
        return Rating.answered(self.not_applicable, self.scale_level_id)

    def history_is_private(self) -> bool:
        """A rating of a draft (or of an assessment being deleted as a draft) is its author's alone."""
        return Assessment.objects.filter(pk=self.assessment_id, status__in=Assessment.EDITABLE_STATUSES).exists()

    @classmethod
    def public_for_history(cls, ratings):
        private = set(
            Assessment.objects.filter(
                pk__in={rating.assessment_id for rating in ratings}, status__in=Assessment.EDITABLE_STATUSES
            ).values_list("pk", flat=True)
        )
        return [rating for rating in ratings if rating.assessment_id not in private]

    def needs_evidence(self, expectation) -> bool:
        """Rated above what the level expects, with no evidence to show for it (submitting needs some): no text, and
        no entry of the evidence log cited (`cites`, from RatingQuerySet.with_cites, else asked here)."""
        above = self.scale_level_id is not None and self.scale_level.rank > expectation.scale_level.rank
        if not above or self.evidence.strip():
            return False
        cites = getattr(self, "cites", None)
        return not (self.citations.exists() if cites is None else cites)

    def answer_differs(self, *, scale_level, not_applicable: bool, evidence: str, **_) -> bool:
        """Would this answer change what is stored?"""
        level_id = None if not_applicable or scale_level is None else scale_level.pk
        return (self.scale_level_id, self.not_applicable, self.evidence) != (level_id, not_applicable, evidence)

    def apply_answer(self, *, scale_level, not_applicable: bool, evidence: str, **_):
        self.scale_level = None if not_applicable else scale_level
        self.not_applicable, self.evidence = not_applicable, evidence
        self.carried = False  # a carried answer, once changed, is the author's own

    def record(self, *, scale_level, not_applicable: bool, evidence: str, expected_revision: int) -> bool:
        """Save the author's answer if nobody has saved this rating since `expected_revision`.

        Returns False when the answer is what is stored already. Raises StaleRevision (someone saved in
        between), AssessmentLocked (the assessment was submitted) or CycleClosed, changing nothing.
        """
        if not self.answer_differs(scale_level=scale_level, not_applicable=not_applicable, evidence=evidence):
            return False
        with transaction.atomic():
            # Under the assessment's lock: a submit at the same moment runs wholly before or after this save.
            locked = Assessment.lock(self.assessment_id)
            if locked.cycle_closed:
                raise CycleClosed(ReviewCycle.objects.filter(assessments=self.assessment_id).first())
            if locked.status not in Assessment.EDITABLE_STATUSES:
                raise AssessmentLocked
            # Claim and write at once: of two saves based on the same revision, only one matches this filter.
            # A draft's answer leaves no history (private; the lock said it is editable), so no save() is needed.
            now, level = timezone.now(), None if not_applicable else scale_level
            if not Rating.objects.filter(pk=self.pk, revision=expected_revision).update(
                scale_level=level,
                not_applicable=not_applicable,
                evidence=evidence,
                carried=False,
                revision=expected_revision + 1,
                updated_at=now,
            ):
                raise StaleRevision
            self.apply_answer(scale_level=scale_level, not_applicable=not_applicable, evidence=evidence)
            self.revision, self.updated_at = expected_revision + 1, now
            Assessment.objects.filter(pk=self.assessment_id).update(updated_at=now)
        return True
