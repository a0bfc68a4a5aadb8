import secrets

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Lower
from django.forms.models import BaseModelFormSet
from django.utils.functional import cached_property

from accounts.models import User
from assessments.people.csvfile import PeopleFileError, decode_people_csv
from assessments.people.models import Person, ReportingTree
from frameworks.models import Framework, Level
from pathway.text import validate_name

MAX_IMPORT_BYTES = 2 * 1024 * 1024


def level_problem(level: Level | None, stored_level_id: int | None) -> str | None:
    """Why `level` cannot be someone's level, or None when it can.

    A person's level is a level of a published framework version. A level of an archived version is
    kept only by someone who already has it (their level was not carried over to the new version).
    """
    if level is None:
        return None
    status = level.framework.status
    if status == Framework.Status.PUBLISHED:
        return None
    if status == Framework.Status.ARCHIVED and level.pk == stored_level_id:
        return None
    if status == Framework.Status.DRAFT:
        return f"{level.name} belongs to a draft of {level.framework.name}: choose a level of the published version."
    return (
        f"{level.name} belongs to version {level.framework.version} of {level.framework.name}, which has been "
        "replaced: choose a level of the published version."
    )


def level_choices(stored_level_id: int | None = None):
    """Levels that may be chosen: every published level, plus the one already set (even if archived)."""
    return level_choices_for({stored_level_id} if stored_level_id else set())


def level_choices_for(stored_level_ids: set[int]):
    return (
        Level.objects.filter(Q(framework__status=Framework.Status.PUBLISHED) | Q(pk__in=stored_level_ids))
        .select_related("framework", "track")
        .order_by("framework__name", "framework__version", "track__position", "position", "pk")
    )


def level_label(level: Level) -> str:
    archived = "" if level.framework.status == Framework.Status.PUBLISHED else f", version {level.framework.version}"
    return f"{level.framework.name}{archived} · {level.track.name} · {level.name}"


def grouped_level_choices(levels) -> list:
    """Choices for a level select, grouped by framework: [("", "---------"), (framework, [(pk, label)])]."""
    groups: dict[str, list] = {}
    for level in levels:
        framework = level.framework
        group = framework.name
        if framework.status != Framework.Status.PUBLISHED:
            group = f"{framework.name} (version {framework.version}, replaced)"
        groups.setdefault(group, []).append((level.pk, level.name))
    return [("", "---------"), *groups.items()]


class PersonLevelMixin:
    """Limits the level to published levels (or the archived one already set) and explains a refusal."""

    def _setup_level(self):
        self._stored_level_id = self.instance.level_id if self.instance.pk else None
        if "level" in self.fields:
            field = self.fields["level"]
            field.queryset = level_choices(self._stored_level_id)
            field.label_from_instance = level_label
            field.error_messages["invalid_choice"] = (
                "Choose a level of a published framework version (a draft's or a replaced version's levels "
                "cannot be chosen)."
            )

    def clean_level(self):
        level = self.cleaned_data.get("level")
        problem = level_problem(level, self._stored_level_id)
        if problem:
            raise forms.ValidationError(problem)
        return level


class PersonAdminForm(PersonLevelMixin, forms.ModelForm):
    """HR's form for one person: their name and email (on the account) and their place in the organisation."""

    full_name = forms.CharField(
        label="Name", max_length=User._meta.get_field("full_name").max_length, validators=[validate_name]
    )
    email = forms.EmailField(label="Email address")

    class Meta:
        model = Person
        fields = ["job_title", "department", "employee_type", "level", "manager"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.user_id:
            self.fields["full_name"].initial = self.instance.user.full_name
            self.fields["email"].initial = self.instance.user.email
        self._setup_level()
        self.fields["level"].choices = grouped_level_choices(self.fields["level"].queryset)

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        others = User.objects.annotate(email_lower=Lower("email")).filter(email_lower=email)
        if self.instance.user_id:
            others = others.exclude(pk=self.instance.user_id)
        if others.exists():
            raise forms.ValidationError("Someone in Pathway already has this email address.")
        return email

    def save(self, commit=True):
        person = super().save(commit=False)
        if person.user_id:
            user = person.user
            if (user.full_name, user.email) != (self.cleaned_data["full_name"], self.cleaned_data["email"]):
                user.full_name = self.cleaned_data["full_name"]
                user.email = self.cleaned_data["email"]
                user.save(update_fields=["full_name", "email"])
        else:
            # A new person signs in after setting a password through "Forgotten your password?"; the reset
            # form ignores unusable passwords, so the account gets the hash of a secret nobody keeps.
            user = User.objects.create(
                email=self.cleaned_data["email"],
                full_name=self.cleaned_data["full_name"],
                password=make_password(secrets.token_urlsafe(32)),
            )
            # Creating the user made their (blank) Person: this form fills that one in.
            person.pk = user.person.pk
            person.user = user
            person._state.adding = False
        if commit:
            person.save()
        return person


class PersonChangeListForm(PersonLevelMixin, forms.ModelForm):
    """The level and manager columns HR can edit straight from the people list."""

    class Meta:
        model = Person
        fields = ["level", "manager"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_level()


def _is_key(model, value) -> bool:
    try:
        model._meta.pk.to_python(value)
    except ValidationError:
        return False
    return True


class PrefetchedAutocompleteSelect(AutocompleteSelect):
    """The admin's autocomplete, but labels for already-loaded choices come from `known_labels`.

    The stock widget asks the database for the selected option of every row it renders, which on
    the people list is one query per person.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.known_labels: dict[str, str] = {}

    def optgroups(self, name, value, attr=None):
        # A posted value that is not a key (a doctored form) is shown as no choice: the field reports the error.
        value = [v for v in value if _is_key(self.choices.queryset.model, v)]
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not selected or not selected <= self.known_labels.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        for pk in sorted(selected):
            options.append(self.create_option(name, pk, self.known_labels[pk], selected, len(options)))
        return [(None, options, 0)]


class PersonChangeListFormSet(BaseModelFormSet):
    """The people list's editable rows.

    Every row shares one list of level choices and reuses the manager already loaded with the page,
    so the page costs the same number of queries for 10 people or 100. The formset also checks the
    reporting lines of every row edited at once: two rows can make a loop together.
    """

    @cached_property
    def _level_choices(self):
        stored = {person.level_id for person in self.get_queryset() if person.level_id}
        return grouped_level_choices(level_choices_for(stored))

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.fields["level"].choices = self._level_choices
        manager_widget = form.fields["manager"].widget
        manager_widget = getattr(manager_widget, "widget", manager_widget)
        if isinstance(manager_widget, PrefetchedAutocompleteSelect) and form.instance.manager_id:
            manager_widget.known_labels = {str(form.instance.manager_id): str(form.instance.manager)}
        return form

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        tree = ReportingTree.load()
        changed = []
        for form in self.forms:
            if form.instance.pk and "manager" in form.changed_data:
                manager = form.cleaned_data.get("manager")
                tree.manager_of[form.instance.pk] = manager.pk if manager else None
                changed.append(form)
        for form in changed:
            if tree.loops_back(form.instance.pk):
                form.add_error(
                    "manager",
                    f"{form.instance.name} cannot report to {form.cleaned_data['manager'].name}: with the other "
                    "changes on this page, someone would become their own indirect manager.",
                )


class PeopleImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        required=False,
        help_text=(
            "Columns: email, name, job title, level (framework-key/level-key, or framework-key/track-key/level-key "
            "when two tracks use the same level key), manager email."
        ),
    )
    csv_text = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload:
            if upload.size > MAX_IMPORT_BYTES:
                raise forms.ValidationError("The file is larger than 2 MB; split it into smaller files.")
            try:
                cleaned["csv_text"] = decode_people_csv(upload.read())
            except PeopleFileError as error:
                raise forms.ValidationError(error.messages) from None
        if not cleaned.get("csv_text"):
            raise forms.ValidationError("Choose a CSV file to import.")
        return cleaned


class SetLevelForm(forms.Form):
    """A new joiner's level, from the published framework versions (grouped by framework and track)."""

    level = forms.ModelChoiceField(
        queryset=Level.objects.none(),
        label="Level",
        empty_label="Choose a level",
        error_messages={
            "required": "Choose a level from the list.",
            "invalid_choice": "Choose a level from the list: that one is not in a published framework.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        levels = (
            Level.objects.filter(framework__status=Framework.Status.PUBLISHED)
            .select_related("framework", "track")
            .order_by("framework__name", "track__position", "track__pk", "position", "pk")
        )
        self.fields["level"].queryset = levels
        groups: dict[str, list] = {}
        for level in levels:
            groups.setdefault(f"{level.framework.name}: {level.track.name}", []).append((level.pk, level.name))
        self.fields["level"].choices = [("", "Choose a level"), *groups.items()]
