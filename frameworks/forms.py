"""Forms for the HR admin: the expectations grid of one track, examples, and the framework file import."""

import base64
import binascii
import hashlib

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from frameworks.models import Expectation, Framework, FrameworkLocked
from frameworks.templatetags.mastery import mastery_tone

NOT_ASKED_LABEL = "— Not asked"
STALE_GRID_MESSAGE = (
    "Someone changed these expectations since you opened the grid. Your choices are shown below; review and save again."
)


class StaleGrid(Exception):
    """The expectations changed between opening the grid and saving it."""


class ExpectationGrid:
    """Everything the grid of one track shows, fetched with a fixed number of queries."""

    def __init__(self, framework: Framework, track_key: str | None = None):
        self.framework = framework
        self.tracks = list(framework.tracks.all())
        if track_key:
            self.track = next((track for track in self.tracks if track.key == track_key), None)
        else:
            self.track = self.tracks[0] if self.tracks else None
        self.scale = list(framework.scale_levels.all())
        self.scale_by_pk = {scale_level.pk: scale_level for scale_level in self.scale}
        self.capabilities = list(framework.capabilities.select_related("area"))
        self.levels = list(self.track.levels.all()) if self.track else []
        self.expectations = self.load_expectations()
        self.token = self.token_for(self.expectations)

    def load_expectations(self) -> dict:
        rows = Expectation.objects.filter(level__in=[level.pk for level in self.levels])
        return {(row.capability_id, row.level_id): row for row in rows}

    def token_for(self, expectations: dict) -> str:
        """A fingerprint of the cells as stored: it changes whenever anyone changes what the grid shows."""
        parts = [
            "capabilities:" + ",".join(str(capability.pk) for capability in self.capabilities),
            "levels:" + ",".join(str(level.pk) for level in self.levels),
        ]
        parts += sorted(f"{cap}-{level}={row.scale_level_id}" for (cap, level), row in expectations.items())
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    @staticmethod
    def field_name(capability, level) -> str:
        return f"cell_{capability.pk}_{level.pk}"

    def cells(self):
        for capability in self.capabilities:
            for level in self.levels:
                yield capability, level, self.field_name(capability, level)

    def stored_values(self) -> str:
        """The stored choice of every asked cell, compact ("5_7=6,5_8=7"), sent back with the form."""
        return ",".join(
            f"{cap}_{level}={row.scale_level_id}" for (cap, level), row in sorted(self.expectations.items())
        )

    @staticmethod
    def parse_values(text: str) -> dict[str, str] | None:
        """{field name: scale level pk} from stored_values(), or None if the text is not in that form."""
        values = {}
        for item in filter(None, (text or "").split(",")):
            cell, _, scale_level = item.partition("=")
            if not (scale_level.isdigit() and cell.replace("_", "").isdigit()):
                return None
            values[f"cell_{cell}"] = scale_level
        return values

    def tone(self, scale_level_pk) -> int | None:
        scale_level = self.scale_by_pk.get(scale_level_pk)
        return mastery_tone(scale_level.rank, len(self.scale)) if scale_level else None

    def stored(self, capability, level):
        row = self.expectations.get((capability.pk, level.pk))
        return self.scale_by_pk.get(row.scale_level_id) if row else None


class ToneSelect(forms.Select):
    """A select whose options carry their mastery tone, so the cell can be recoloured as the choice changes."""

    def __init__(self, *args, tones=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tones = tones or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"]["data-tone"] = self.tones.get(str(value), 0)
        return option


class ExpectationsGridForm(forms.Form):
    """One choice per capability × level of a track; saved whole, in one transaction, or not at all."""

    version_token = forms.CharField(widget=forms.HiddenInput)
    # What the grid showed when it was opened: on a conflict, it tells the user's changes from the rest.
    opened_with = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, grid: ExpectationGrid, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = grid
        choices = [("", NOT_ASKED_LABEL)] + [(str(s.pk), s.name) for s in grid.scale]
        tones = {str(s.pk): grid.tone(s.pk) for s in grid.scale}
        self.initial["version_token"] = grid.token
        self.initial["opened_with"] = grid.stored_values()
        self.notes = {}
        for capability, level, name in grid.cells():
            self.fields[name] = forms.TypedChoiceField(
                label=f"{capability.name} at {level.name}",
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=ToneSelect(tones=tones),
                error_messages={"invalid_choice": "Choose a mastery level from the list, or “Not asked”."},
            )
            stored = grid.stored(capability, level)
            self.initial[name] = str(stored.pk) if stored else ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("version_token") and cleaned["version_token"] != self.grid.token:
            raise ValidationError(STALE_GRID_MESSAGE, code="stale")
        return cleaned

    @property
    def is_stale(self) -> bool:
        return self.has_error(NON_FIELD_ERRORS, "stale")

    def mark_stale(self):
        """Merge what others saved into the user's grid, say so, and let the next save go through.

        A cell the user changed keeps the user's choice (noted when someone else changed it too); a cell
        the user left alone takes what is stored now (noted, so the user can review it).
        """
        if not self.is_stale:
            self.add_error(None, ValidationError(STALE_GRID_MESSAGE, code="stale"))
        grid = self.grid
        opened_with = grid.parse_values(self.data.get("opened_with", ""))
        data = self.data.copy()
        for capability, level, name in grid.cells():
            stored = grid.stored(capability, level)
            now, mine = (str(stored.pk) if stored else ""), data.get(name, "")
            saved_as = stored.name if stored else "Not asked"
            if opened_with is None:
                if mine != now:
                    self.notes[name] = f"Now saved as: {saved_as}"
                continue
            before = opened_with.get(name, "")
            if mine == before and now != before:
                data[name] = now
                self.notes[name] = f"Someone else changed this to: {saved_as}"
            elif mine != before and now not in (before, mine):
                self.notes[name] = f"Someone else changed this to: {saved_as}. Your choice is shown."
        data["version_token"] = grid.token
        data["opened_with"] = grid.stored_values()
        self.data = data

    def save(self, user) -> dict:
        """Create, update and delete expectations to match the form; return how many of each.

        Runs in one transaction under a lock on the framework: if the version stopped being a
        draft, or the cells changed since the form was opened, nothing is written.
        """
        grid = self.grid
        counts = {"created": 0, "updated": 0, "removed": 0}
        with transaction.atomic():
            framework = Framework.objects.select_for_update().get(pk=grid.framework.pk)
            if not framework.is_draft:
                raise FrameworkLocked(
                    f"Version {framework.version} is {framework.get_status_display().lower()}. "
                    "Make a new version to change it."
                )
            current = grid.load_expectations()
            if grid.token_for(current) != self.cleaned_data["version_token"]:
                grid.expectations = current
                grid.token = grid.token_for(current)
                raise StaleGrid
            to_create, to_update, to_delete = [], [], []
            for capability, level, name in grid.cells():
                chosen = self.cleaned_data.get(name)
                row = current.get((capability.pk, level.pk))
                if row is None and chosen is not None:
                    to_create.append(Expectation(level=level, capability=capability, scale_level_id=chosen))
                elif row is not None and chosen is None:
                    to_delete.append(row.pk)
                elif row is not None and row.scale_level_id != chosen:
                    # Only the mastery changes: the description written for this cell is kept.
                    row.scale_level_id = chosen
                    to_update.append(row)
            if to_create:
                bulk_create_with_history(to_create, Expectation, default_user=user)
            if to_update:
                bulk_update_with_history(to_update, Expectation, ["scale_level"], default_user=user)
            if to_delete:
                for row in Expectation.objects.filter(pk__in=to_delete):
                    row._history_user = user
                    row.delete()
            counts.update(created=len(to_create), updated=len(to_update), removed=len(to_delete))
        return counts


DETECT = ""


class FrameworkImportForm(forms.Form):
    file = forms.FileField(
        label="Framework file",
        help_text=(
            "A pathway-framework/1 file (.yaml, .yml or .json), a GDaD CSV, a spreadsheet grid (.csv or .xlsx), "
            "or a Markdown ladder (.md)."
        ),
    )
    file_format = forms.ChoiceField(
        label="Format",
        required=False,
        help_text="Pathway works out the format from the file. Choose one only if it gets it wrong.",
    )
    key = forms.SlugField(
        label="Framework key (spreadsheet grids only)",
        required=False,
        max_length=60,
        help_text=(
            "The framework a grid belongs to, e.g. product-tracks. Leave it empty to use the file's name "
            "(product-tracks.csv or product-tracks-v2.xlsx)."
        ),
    )
    publish = forms.BooleanField(
        label="Publish after import",
        required=False,
        help_text="Publish the imported version. If it replaces a published version, you first see who it affects.",
    )

    def __init__(self, *args, max_bytes: int, formats: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        self.fields["file_format"].choices = [(DETECT, "Find out from the file"), *formats]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise ValidationError(
                f"The file is {upload.size:,} bytes; the largest file Pathway accepts is {self.max_bytes:,} bytes."
            )
        return upload


class FrameworkImportConfirmForm(forms.Form):
    """The checked file sent back with "Import", so that what is written is what the preview showed."""

    content = forms.CharField(widget=forms.HiddenInput)
    filename = forms.CharField(widget=forms.HiddenInput, required=False, max_length=255)
    file_format = forms.CharField(widget=forms.HiddenInput, max_length=60)
    key = forms.SlugField(widget=forms.HiddenInput, required=False, max_length=60)
    publish = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_content(self):
        try:
            content = base64.b64decode(self.cleaned_data["content"], validate=True)
        except (ValueError, binascii.Error):
            raise ValidationError("The checked file did not come back whole. Choose the file again.") from None
        if len(content) > self.max_bytes:
            raise ValidationError(f"The largest file Pathway accepts is {self.max_bytes:,} bytes.")
        return content

    @staticmethod
    def encode(content: bytes) -> str:
        return base64.b64encode(content).decode("ascii")


class ExamplesField(forms.CharField):
    """An expectation's examples edited as text, one example a line; blank lines are dropped."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 60})
    max_example = 300

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        lines = [line.strip() for line in super().to_python(value).splitlines()]
        return [line for line in lines if line]

    def validate(self, value):
        super().validate(value)
        long = [index for index, line in enumerate(value, start=1) if len(line) > self.max_example]
        if long:
            raise forms.ValidationError(
                f"Example {long[0]} is longer than {self.max_example} characters; keep each example to one short line."
            )


class ExpectationForm(forms.ModelForm):
    examples = ExamplesField(
        required=False,
        help_text="Short examples or signals of what this looks like at this level, one a line.",
    )

    class Meta:
        model = Expectation
        fields = ("capability", "scale_level", "description", "examples")
