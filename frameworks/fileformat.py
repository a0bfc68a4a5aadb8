"""The framework file format `pathway-framework/1`: read and check a file, import it, export a version.

docs/framework-format.md describes the format and the import rules for the people who write the files.
A file is checked whole before anything is written: every problem is reported with the path of the
field at fault ("tracks[0].levels[2].grade: ..."), and an import either writes the whole framework
or nothing.
"""

import difflib
import json
import re

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, ProtectedError, RestrictedError

from frameworks.models import Capability, CapabilityArea, Expectation, Framework, Level, ScaleLevel, Track

FORMAT = "pathway-framework/1"
MAX_FILE_BYTES = 1_000_000
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY_MAX_LENGTH = 60
KINDS = ("ic", "management")
READINESS_DEFAULTS = {"target_share": 80, "max_steps_below": 1, "current_level_met": True}
MAX_VERSION = 2_147_483_647  # PositiveIntegerField
MAX_SMALL = 32_767  # PositiveSmallIntegerField

TOP_FIELDS = ("format", "key", "name", "version", "description", "source", "readiness", "scale", "areas", "tracks")
READINESS_FIELDS = ("target_share", "max_steps_below", "current_level_met")
SCALE_FIELDS = ("key", "name", "description")
AREA_FIELDS = ("key", "name", "description", "capabilities")
CAPABILITY_FIELDS = ("key", "name", "short_name", "description")
TRACK_FIELDS = ("key", "name", "kind", "description", "levels")
LEVEL_FIELDS = ("key", "name", "grade", "stage", "summary", "expectations")
EXPECTATION_FIELDS = ("level", "description")

OUTCOMES = ("created", "replaced", "unchanged")


class FrameworkFileError(Exception):
    """A framework file that cannot be imported; `errors` lists every problem as "path: message"."""

    def __init__(self, errors):
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        super().__init__("\n".join(self.errors))


def _max_length(model, field):
    return model._meta.get_field(field).max_length


# Reading -------------------------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that reports duplicate mapping keys (PyYAML keeps the last one silently) and refuses aliases."""

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates = []

    def compose_node(self, parent, index):
        # An alias makes one node appear many times: a small file could expand into an enormous one.
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in framework files; write the value out", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen = {}
            for key_node, _value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                line = key_node.start_mark.line + 1
                if key_node.value in seen:
                    self.duplicates.append(
                        f"line {line}: duplicate key '{key_node.value}' (first given on line {seen[key_node.value]})"
                    )
                else:
                    seen[key_node.value] = line
        return super().construct_mapping(node, deep=deep)


_UNREADABLE = object()


def _load_yaml(text):
    loader = _StrictLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        problem = exc.problem or exc.context or "cannot be read"
        return _UNREADABLE, [f"{where}: YAML syntax error: {problem}"]
    except yaml.YAMLError as exc:
        return _UNREADABLE, [f"file: is not valid YAML ({exc})"]
    except RecursionError:
        return _UNREADABLE, ["file: is nested too deeply to be a framework file"]
    finally:
        loader.dispose()
    return data, list(loader.duplicates)


def _load_json(text):
    duplicates = []

    def pairs(items):
        obj = {}
        for key, value in items:
            if key in obj:
                duplicates.append(f"file: duplicate key '{key}' in a JSON object")
            obj[key] = value
        return obj

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        return _UNREADABLE, [f"line {exc.lineno}, column {exc.colno}: JSON syntax error: {exc.msg}"]
    except RecursionError:
        return _UNREADABLE, ["file: is nested too deeply to be a framework file"]
    return data, duplicates


def _looks_like_json(text, filename):
    name = filename.lower()
    if name.endswith(".json"):
        return True
    if name.endswith((".yaml", ".yml")):
        return False
    return text.lstrip().startswith("{")


def parse_framework_file(content: bytes | str, filename: str = "") -> dict:
    """Read and check a framework file; return its normalised spec or raise FrameworkFileError with every problem."""
    raw = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    if len(raw) > MAX_FILE_BYTES:
        raise FrameworkFileError(
            f"file: is {len(raw):,} bytes; the largest framework file accepted is {MAX_FILE_BYTES:,} bytes"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FrameworkFileError(f"file: is not UTF-8 text (the byte at position {exc.start} is not)") from None
    if not text.strip():
        raise FrameworkFileError("file: is empty")
    data, errors = _load_json(text) if _looks_like_json(text, filename) else _load_yaml(text)
    if data is _UNREADABLE:
        raise FrameworkFileError(errors)
    checker = _Checker()
    spec = checker.framework(data)
    errors += checker.errors
    if errors:
        raise FrameworkFileError(errors)
    return spec


# Checking ------------------------------------------------------------------------------------------


def _describe(value):
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{_clip(value)}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


def _clip(text, length=40):
    return text if len(text) <= length else text[: length - 1] + "…"


def _join(path, field):
    return f"{path}.{field}" if path else str(field)


def _clean_text(value):
    """Text as stored and compared: Unix line endings, no surrounding blank space."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _suggest(word, choices):
    match = difflib.get_close_matches(str(word), [str(choice) for choice in choices], n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""


class _Checker:
    """Walks a parsed file, collecting every problem as "path: message" and building the normalised spec."""

    def __init__(self):
        self.errors = []

    def error(self, path, message):
        self.errors.append(f"{path}: {message}")

    # Small checks ----------------------------------------------------------------------------------

    def fields(self, value, path, allowed, required, what):
        """Check that value is a mapping with the required fields and no unknown ones; None when it is not one."""
        if not isinstance(value, dict):
            self.error(path or "file", f"expected {what}, got {_describe(value)}")
            return None
        for field in value:
            if field not in allowed:
                hint = _suggest(field, allowed) or f" (the fields here are: {', '.join(allowed)})"
                self.error(_join(path, field), f"unknown field{hint}")
        for field in required:
            if field not in value:
                self.error(_join(path, field), "missing")
        return value

    def text(self, obj, path, field, *, required=False, max_length=None):
        value = obj.get(field)
        where = _join(path, field)
        if value is None:
            if required and field in obj:
                self.error(where, "must not be empty")
            return ""
        if not isinstance(value, str):
            self.error(where, f"expected text, got {_describe(value)}")
            return ""
        value = _clean_text(value)
        if required and not value:
            self.error(where, "must not be empty")
        if max_length is not None and len(value) > max_length:
            self.error(where, f"is {len(value)} characters long; the most allowed is {max_length}")
        return value

    def key(self, obj, path, field="key"):
        """A valid slug, or None (the problem is reported)."""
        if field not in obj:
            return None  # reported as missing by fields()
        value = obj[field]
        where = _join(path, field)
        if not isinstance(value, str):
            self.error(where, f"expected a key such as 'user-insight', got {_describe(value)}")
            return None
        if not value:
            self.error(where, "must not be empty")
            return None
        if len(value) > KEY_MAX_LENGTH:
            self.error(where, f"is {len(value)} characters long; a key has at most {KEY_MAX_LENGTH}")
            return None
        if not KEY_PATTERN.match(value):
            self.error(
                where,
                f"'{_clip(value)}' is not a valid key: use lowercase letters, digits and single hyphens, "
                "e.g. user-insight",
            )
            return None
        return value

    def integer(self, obj, path, field, *, default, minimum, maximum, what="a whole number"):
        if field not in obj:
            return default
        value = obj[field]
        where = _join(path, field)
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(where, f"expected {what}, got {_describe(value)}")
            return None
        if value < minimum:
            self.error(where, f"must be {minimum} or more, not {value}")
            return None
        if value > maximum:
            self.error(where, f"must be {maximum} or less, not {value}")
            return None
        return value

    def items(self, obj, path, field, *, required, what):
        """The list at obj[field] ([] when absent and optional), or None when it is not a usable list."""
        where = _join(path, field)
        if field not in obj:
            return None if required else []  # a missing required field is reported by fields()
        value = obj[field]
        if value is None:
            if required:
                self.error(where, f"must not be empty: give at least one {what}")
                return None
            return []
        if not isinstance(value, list):
            self.error(where, f"expected a list of {what}s, got {_describe(value)}")
            return None
        if required and not value:
            self.error(where, f"must not be empty: give at least one {what}")
            return None
        return value

    def unique(self, seen, key, path, what):
        if key is None:
            return
        if key in seen:
            self.error(_join(path, "key"), f"duplicate {what} key '{key}' (also at {seen[key]})")
        else:
            seen[key] = path

    # The framework ---------------------------------------------------------------------------------

    def framework(self, data):
        if not isinstance(data, dict):
            self.error(
                "file", f"expected a mapping of fields (format, key, name, ...) at the top, got {_describe(data)}"
            )
            return None
        self.fields(data, "", TOP_FIELDS, ("key", "name", "scale", "areas", "tracks"), "a mapping")
        if "format" not in data:
            self.error("format", f"missing; a framework file starts with 'format: {FORMAT}'")
        elif data["format"] != FORMAT:
            self.error("format", f"{_describe(data['format'])} is not a format Pathway reads; expected '{FORMAT}'")
        spec = {
            "format": FORMAT,
            "key": self.key(data, ""),
            "name": self.text(data, "", "name", required=True, max_length=_max_length(Framework, "name")),
            "version": self.integer(
                data, "", "version", default=1, minimum=1, maximum=MAX_VERSION, what="a positive whole number"
            ),
            "description": self.text(data, "", "description"),
            "source": self.text(data, "", "source"),
            "readiness": self.readiness(data),
        }
        spec["scale"], scale_keys = self.scale(data)
        spec["areas"], capability_keys = self.areas(data)
        spec["tracks"] = self.tracks(data, scale_keys, capability_keys)
        return spec

    def readiness(self, data):
        readiness = dict(READINESS_DEFAULTS)
        value = data.get("readiness")
        if value is None:
            return readiness
        if self.fields(value, "readiness", READINESS_FIELDS, (), "a mapping of readiness settings") is None:
            return readiness
        readiness["target_share"] = self.integer(
            value, "readiness", "target_share", default=80, minimum=0, maximum=100, what="a percentage from 0 to 100"
        )
        readiness["max_steps_below"] = self.integer(
            value, "readiness", "max_steps_below", default=1, minimum=0, maximum=MAX_SMALL
        )
        met = value.get("current_level_met", True)
        if not isinstance(met, bool):
            self.error("readiness.current_level_met", f"expected true or false, got {_describe(met)}")
        readiness["current_level_met"] = met
        return readiness

    def scale(self, data):
        """The scale steps and the set of their keys (None when references to it cannot be checked)."""
        entries = self.items(data, "", "scale", required=True, what="scale level")
        steps, seen, complete = [], {}, entries is not None
        for index, entry in enumerate(entries or []):
            path = f"scale[{index}]"
            if self.fields(entry, path, SCALE_FIELDS, ("key", "name"), "a mapping with key and name") is None:
                complete = False
                continue
            key = self.key(entry, path)
            complete = complete and key is not None
            self.unique(seen, key, path, "scale level")
            steps.append(
                {
                    "key": key,
                    "name": self.text(entry, path, "name", required=True, max_length=_max_length(ScaleLevel, "name")),
                    "description": self.text(entry, path, "description"),
                }
            )
        return steps, (set(seen) if complete else None)

    def areas(self, data):
        """The areas with their capabilities, and the capability keys in order (None when they cannot be checked)."""
        entries = self.items(data, "", "areas", required=True, what="area")
        areas, area_keys, capability_keys, complete = [], {}, {}, entries is not None
        for index, entry in enumerate(entries or []):
            path = f"areas[{index}]"
            if (
                self.fields(entry, path, AREA_FIELDS, ("key", "name"), "a mapping with key, name and capabilities")
                is None
            ):
                complete = False
                continue
            key = self.key(entry, path)
            self.unique(area_keys, key, path, "area")
            capabilities = []
            capability_entries = self.items(entry, path, "capabilities", required=False, what="capability")
            complete = complete and capability_entries is not None
            for position, item in enumerate(capability_entries or []):
                item_path = f"{path}.capabilities[{position}]"
                if (
                    self.fields(item, item_path, CAPABILITY_FIELDS, ("key", "name"), "a mapping with key and name")
                    is None
                ):
                    complete = False
                    continue
                capability_key = self.key(item, item_path)
                complete = complete and capability_key is not None
                self.unique(capability_keys, capability_key, item_path, "capability")
                capabilities.append(
                    {
                        "key": capability_key,
                        "name": self.text(
                            item, item_path, "name", required=True, max_length=_max_length(Capability, "name")
                        ),
                        "short_name": self.text(
                            item, item_path, "short_name", max_length=_max_length(Capability, "short_name")
                        ),
                        "description": self.text(item, item_path, "description"),
                    }
                )
            areas.append(
                {
                    "key": key,
                    "name": self.text(
                        entry, path, "name", required=True, max_length=_max_length(CapabilityArea, "name")
                    ),
                    "description": self.text(entry, path, "description"),
                    "capabilities": capabilities,
                }
            )
        return areas, (list(capability_keys) if complete else None)

    def tracks(self, data, scale_keys, capability_keys):
        entries = self.items(data, "", "tracks", required=True, what="track")
        tracks, track_keys = [], {}
        for index, entry in enumerate(entries or []):
            path = f"tracks[{index}]"
            if (
                self.fields(entry, path, TRACK_FIELDS, ("key", "name"), "a mapping with key, name, kind and levels")
                is None
            ):
                continue
            key = self.key(entry, path)
            self.unique(track_keys, key, path, "track")
            kind = entry.get("kind", "ic")
            if kind not in KINDS:
                self.error(f"{path}.kind", f"must be 'ic' or 'management', not {_describe(kind)}")
            # Level keys are unique within their track: two tracks may each have a level keyed "lead".
            levels, level_keys, previous_grade = [], {}, None
            for position, item in enumerate(self.items(entry, path, "levels", required=False, what="level") or []):
                level = self.level(item, f"{path}.levels[{position}]", level_keys, scale_keys, capability_keys)
                if level is None:
                    continue
                grade = level["grade"]
                if grade is not None and previous_grade is not None and grade < previous_grade:
                    self.error(
                        f"{path}.levels[{position}].grade",
                        f"{grade} is lower than the grade of the level before it ({previous_grade}); "
                        "grades never decrease along a track",
                    )
                previous_grade = grade if grade is not None else previous_grade
                levels.append(level)
            tracks.append(
                {
                    "key": key,
                    "name": self.text(entry, path, "name", required=True, max_length=_max_length(Track, "name")),
                    "kind": kind,
                    "description": self.text(entry, path, "description"),
                    "levels": levels,
                }
            )
        return tracks

    def level(self, entry, path, level_keys, scale_keys, capability_keys):
        if (
            self.fields(entry, path, LEVEL_FIELDS, ("key", "name", "grade"), "a mapping with key, name and grade")
            is None
        ):
            return None
        key = self.key(entry, path)
        self.unique(level_keys, key, path, "level")
        grade = None
        if "grade" in entry:
            grade = self.integer(
                entry, path, "grade", default=None, minimum=0, maximum=MAX_SMALL, what="a whole number (0 or more)"
            )
        return {
            "key": key,
            "name": self.text(entry, path, "name", required=True, max_length=_max_length(Level, "name")),
            "grade": grade,
            "stage": self.text(entry, path, "stage", max_length=_max_length(Level, "stage")),
            "summary": self.text(entry, path, "summary"),
            "expectations": self.expectations(entry, path, scale_keys, capability_keys),
        }

    def expectations(self, entry, path, scale_keys, capability_keys):
        value = entry.get("expectations")
        if value is None:
            return {}
        where = f"{path}.expectations"
        if not isinstance(value, dict):
            self.error(where, f"expected a mapping of capability key to scale level, got {_describe(value)}")
            return {}
        expectations = {}
        for capability, mastery in value.items():
            item_path = f"{where}.{capability}"
            if not isinstance(capability, str):
                self.error(item_path, f"expected a capability key, got {_describe(capability)}")
                continue
            if capability_keys is not None and capability not in capability_keys:
                self.error(
                    item_path, f"unknown capability '{_clip(capability)}'{_suggest(capability, capability_keys)}"
                )
            scale_path, description = item_path, ""
            if isinstance(mastery, dict):
                long_form = mastery
                self.fields(long_form, item_path, EXPECTATION_FIELDS, ("level",), "a mapping")
                if "level" not in long_form:
                    continue  # reported as missing
                scale_path = f"{item_path}.level"
                description = self.text(long_form, item_path, "description")
                mastery = long_form["level"]
            if not isinstance(mastery, str) or not mastery.strip():
                self.error(
                    scale_path,
                    f"expected a scale level key such as 'working', or a mapping with level and description, "
                    f"got {_describe(mastery)}",
                )
                continue
            mastery = mastery.strip()
            if scale_keys is not None and mastery not in scale_keys:
                self.error(scale_path, f"unknown scale level '{_clip(mastery)}'{_suggest(mastery, scale_keys)}")
            expectations[capability] = {"level": mastery, "description": description}
        if capability_keys is not None:
            order = {key: index for index, key in enumerate(capability_keys)}
            expectations = dict(sorted(expectations.items(), key=lambda item: order.get(item[0], len(order))))
        return expectations


# Importing -----------------------------------------------------------------------------------------


def import_framework(spec: dict, *, publish: bool = False) -> tuple[Framework, str]:
    """Write a checked spec as the version it names; return (framework, "created" | "replaced" | "unchanged").

    A new version becomes a draft (published at once with publish=True); an existing draft is replaced
    whole; a published or archived version is left alone when the file matches it and refused otherwise.
    Nothing is written unless everything is.
    """
    key, version = spec["key"], spec["version"]
    try:
        with transaction.atomic():
            existing = Framework.objects.select_for_update().filter(key=key)
            versions = {framework.version: framework for framework in existing}
            framework = versions.get(version)
            if framework is not None and not framework.is_draft:
                if framework_to_spec(framework) != spec:
                    next_version = max(versions) + 1
                    raise FrameworkFileError(
                        f"version: version {version} of {key} is {framework.status} and cannot be changed; "
                        f"raise `version` to make a new one (the next free version is {next_version})"
                    )
                return framework, "unchanged"
            if framework is None:
                _check_new_version(key, version, versions)
                framework = Framework.objects.create(key=key, version=version, **_framework_fields(spec))
                outcome = "created"
            else:
                for field, value in _framework_fields(spec).items():
                    setattr(framework, field, value)
                framework.save()
                _delete_contents(framework)
                outcome = "replaced"
            _write_contents(framework, spec)
            if publish:
                try:
                    framework.publish()
                except ValidationError as exc:
                    raise FrameworkFileError(
                        [f"file: cannot be published: {message}" for message in exc.messages]
                    ) from None
    except (ProtectedError, RestrictedError):
        raise FrameworkFileError(
            f"version: draft version {version} of {key} is in use (people are placed on its levels), "
            "so it cannot be replaced; import the file as a new version instead"
        ) from None
    return framework, outcome


def _check_new_version(key, version, versions):
    if not versions:
        return
    latest = max(versions)
    if version < latest:
        raise FrameworkFileError(
            f"version: {key} already has version {latest}; a new version must be numbered above it "
            f"(use {latest + 1}), not {version}"
        )
    drafts = [number for number, framework in versions.items() if framework.is_draft]
    if drafts:
        raise FrameworkFileError(
            f"version: {key} already has a draft, version {drafts[0]}; a framework has one draft at a time, "
            f"so set `version: {drafts[0]}` to replace that draft, or publish or delete it first"
        )


def _framework_fields(spec):
    readiness = spec["readiness"]
    return {
        "name": spec["name"],
        "description": spec["description"],
        "source": spec["source"],
        "readiness_target_share": readiness["target_share"],
        "readiness_max_steps_below": readiness["max_steps_below"],
        "readiness_requires_current_level": readiness["current_level_met"],
    }


def _delete_contents(framework):
    Expectation.objects.filter(level__framework=framework).delete()
    Level.objects.filter(framework=framework).delete()
    Track.objects.filter(framework=framework).delete()
    Capability.objects.filter(framework=framework).delete()
    CapabilityArea.objects.filter(framework=framework).delete()
    ScaleLevel.objects.filter(framework=framework).delete()


def _write_contents(framework, spec):
    # bulk_create skips FrameworkPart.save's lock check, which is safe here: `framework` is a draft
    # this transaction has just created or emptied.
    ScaleLevel.objects.bulk_create(
        ScaleLevel(framework=framework, key=step["key"], name=step["name"], description=step["description"], rank=rank)
        for rank, step in enumerate(spec["scale"], start=1)
    )
    CapabilityArea.objects.bulk_create(
        CapabilityArea(
            framework=framework, key=area["key"], name=area["name"], description=area["description"], position=position
        )
        for position, area in enumerate(spec["areas"])
    )
    # Read the new ids back by key rather than rely on bulk_create returning them on every database.
    scale_ids = dict(ScaleLevel.objects.filter(framework=framework).values_list("key", "pk"))
    area_ids = dict(CapabilityArea.objects.filter(framework=framework).values_list("key", "pk"))
    Capability.objects.bulk_create(
        Capability(
            framework=framework,
            area_id=area_ids[area["key"]],
            key=capability["key"],
            name=capability["name"],
            short_name=capability["short_name"],
            description=capability["description"],
            position=position,
        )
        for area in spec["areas"]
        for position, capability in enumerate(area["capabilities"])
    )
    Track.objects.bulk_create(
        Track(
            framework=framework,
            key=track["key"],
            name=track["name"],
            kind=track["kind"],
            description=track["description"],
            position=position,
        )
        for position, track in enumerate(spec["tracks"])
    )
    capability_ids = dict(Capability.objects.filter(framework=framework).values_list("key", "pk"))
    track_ids = dict(Track.objects.filter(framework=framework).values_list("key", "pk"))
    Level.objects.bulk_create(
        Level(
            framework=framework,
            track_id=track_ids[track["key"]],
            key=level["key"],
            name=level["name"],
            grade=level["grade"],
            stage=level["stage"],
            summary=level["summary"],
            position=position,
        )
        for track in spec["tracks"]
        for position, level in enumerate(track["levels"])
    )
    level_ids = {
        (track_key, key): pk
        for track_key, key, pk in Level.objects.filter(framework=framework).values_list("track__key", "key", "pk")
    }
    Expectation.objects.bulk_create(
        Expectation(
            level_id=level_ids[track["key"], level["key"]],
            capability_id=capability_ids[capability],
            scale_level_id=scale_ids[expectation["level"]],
            description=expectation["description"],
        )
        for track in spec["tracks"]
        for level in track["levels"]
        for capability, expectation in level["expectations"].items()
    )


def describe_outcome(framework: Framework, outcome: str) -> str:
    """One sentence on what an import did, e.g. "Created draft version 1 of Product management (product)."."""
    name = f"{framework.name} ({framework.key})"
    if outcome == "unchanged":
        return f"Version {framework.version} of {name} is unchanged ({framework.status})."
    verb = {"created": "Created", "replaced": "Replaced"}[outcome]
    if framework.is_draft:
        return f"{verb} draft version {framework.version} of {name}."
    return f"{verb} and published version {framework.version} of {name}."


# Exporting -----------------------------------------------------------------------------------------


def framework_to_spec(framework: Framework) -> dict:
    """The normalised spec of a stored version: the same shape parse_framework_file returns."""
    areas = list(
        framework.areas.order_by("position", "pk").prefetch_related(
            Prefetch("capabilities", queryset=Capability.objects.order_by("position", "pk"))
        )
    )
    tracks = list(
        framework.tracks.order_by("position", "pk").prefetch_related(
            Prefetch("levels", queryset=Level.objects.order_by("position", "pk"))
        )
    )
    capability_order = {
        capability.pk: index
        for index, capability in enumerate(capability for area in areas for capability in area.capabilities.all())
    }
    by_level = {}
    expectations = Expectation.objects.filter(level__framework=framework).select_related("capability", "scale_level")
    for expectation in sorted(expectations, key=lambda e: capability_order.get(e.capability_id, len(capability_order))):
        by_level.setdefault(expectation.level_id, {})[expectation.capability.key] = {
            "level": expectation.scale_level.key,
            "description": _clean_text(expectation.description),
        }
    return {
        "format": FORMAT,
        "key": framework.key,
        "name": _clean_text(framework.name),
        "version": framework.version,
        "description": _clean_text(framework.description),
        "source": _clean_text(framework.source),
        "readiness": {
            "target_share": framework.readiness_target_share,
            "max_steps_below": framework.readiness_max_steps_below,
            "current_level_met": framework.readiness_requires_current_level,
        },
        "scale": [
            {"key": step.key, "name": _clean_text(step.name), "description": _clean_text(step.description)}
            for step in framework.scale_levels.order_by("rank")
        ],
        "areas": [
            {
                "key": area.key,
                "name": _clean_text(area.name),
                "description": _clean_text(area.description),
                "capabilities": [
                    {
                        "key": capability.key,
                        "name": _clean_text(capability.name),
                        "short_name": _clean_text(capability.short_name),
                        "description": _clean_text(capability.description),
                    }
                    for capability in area.capabilities.all()
                ],
            }
            for area in areas
        ],
        "tracks": [
            {
                "key": track.key,
                "name": _clean_text(track.name),
                "kind": track.kind,
                "description": _clean_text(track.description),
                "levels": [
                    {
                        "key": level.key,
                        "name": _clean_text(level.name),
                        "grade": level.grade,
                        "stage": _clean_text(level.stage),
                        "summary": _clean_text(level.summary),
                        "expectations": by_level.get(level.pk, {}),
                    }
                    for level in track.levels.all()
                ],
            }
            for track in tracks
        ],
    }


def _with_optional(entry, optional):
    """entry (ordered) plus the optional fields that have a value, in the given order."""
    for field, value in optional:
        if value:
            entry[field] = value
    return entry


def spec_to_document(spec: dict) -> dict:
    """The file's content, ordered as the format describes it and without empty optional fields."""
    document = _with_optional(
        {"format": FORMAT, "key": spec["key"], "name": spec["name"], "version": spec["version"]},
        [("description", spec["description"]), ("source", spec["source"])],
    )
    readiness = spec["readiness"]
    if readiness != READINESS_DEFAULTS:
        document["readiness"] = dict(readiness)
    document["scale"] = [
        _with_optional({"key": step["key"], "name": step["name"]}, [("description", step["description"])])
        for step in spec["scale"]
    ]
    document["areas"] = [
        _with_optional(
            {"key": area["key"], "name": area["name"]},
            [
                ("description", area["description"]),
                (
                    "capabilities",
                    [
                        _with_optional(
                            {"key": capability["key"], "name": capability["name"]},
                            [("short_name", capability["short_name"]), ("description", capability["description"])],
                        )
                        for capability in area["capabilities"]
                    ],
                ),
            ],
        )
        for area in spec["areas"]
    ]
    document["tracks"] = [
        _with_optional(
            {"key": track["key"], "name": track["name"], "kind": track["kind"]},
            [
                ("description", track["description"]),
                ("levels", [_level_document(level) for level in track["levels"]]),
            ],
        )
        for track in spec["tracks"]
    ]
    return document


def _level_document(level):
    expectations = {
        capability: (
            {"level": expectation["level"], "description": expectation["description"]}
            if expectation["description"]
            else expectation["level"]
        )
        for capability, expectation in level["expectations"].items()
    }
    return _with_optional(
        {"key": level["key"], "name": level["name"], "grade": level["grade"]},
        [("stage", level["stage"]), ("summary", level["summary"]), ("expectations", expectations)],
    )


class _Dumper(yaml.SafeDumper):
    """SafeDumper that writes text of several lines as a literal block, as a person would."""


def _represent_text(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def dump_spec(spec: dict, fmt: str = "yaml") -> str:
    document = spec_to_document(spec)
    if fmt == "json":
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if fmt == "yaml":
        return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    raise ValueError(f"Unknown export format {fmt!r}; use 'yaml' or 'json'.")


def export_framework(framework: Framework, fmt: str = "yaml") -> str:
    """The version as a `pathway-framework/1` file, "yaml" or "json"; the same version always gives the same text."""
    return dump_spec(framework_to_spec(framework), fmt)
