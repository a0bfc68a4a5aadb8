"""Checking a framework file's data: every problem as "path: message", and the normalised spec.

The spec is the shape `frameworks.tree` reads and writes; docs/framework-format.md gives the rules.
"""

import difflib
import re

from frameworks.fileformat.spec import (
    CRITERIA,
    FORMAT,
    MAX_EXAMPLE_LENGTH,
    MAX_EXAMPLES,
    clean_text,
    readiness_defaults,
)
from frameworks.models import (
    CRITERIA_MEETS,
    CRITERIA_SCALE,
    Capability,
    CapabilityArea,
    Framework,
    Level,
    ScaleLevel,
    Track,
)
from pathway.text import refused_name_character

KEY_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # the whole key: fullmatch ($ would let a final "\n" in)
KEY_MAX_LENGTH = 60
KINDS = ("ic", "management")
MAX_VERSION = 2_147_483_647  # PositiveIntegerField
MAX_SMALL = 32_767  # PositiveSmallIntegerField

TOP_FIELDS = (
    "format",
    "key",
    "name",
    "version",
    "description",
    "source",
    "licence",
    "readiness",
    "scale",
    "areas",
    "tracks",
)
READINESS_FIELDS = ("target_share", "max_steps_below", "current_level_met")
SCALE_FIELDS = ("key", "name", "description")
AREA_FIELDS = ("key", "name", "description", "capabilities")
CAPABILITY_FIELDS = ("key", "name", "short_name", "description")
TRACK_FIELDS = ("key", "name", "kind", "description", "levels")
LEVEL_FIELDS = ("key", "name", "grade", "stage", "summary", "expectations")
EXPECTATION_FIELDS = ("level", "description", "examples")
CRITERIA_FIELDS = ("description", "examples")
NAME_FIELDS = ("name", "short_name", "stage", "licence")  # one line each, as the models' validate_name asks


def _max_length(model, field):
    return model._meta.get_field(field).max_length


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


def _suggest(word, choices):
    match = difflib.get_close_matches(str(word), [str(choice) for choice in choices], n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""


class Checker:
    """Walks a parsed file, collecting every problem as "path: message" and building the normalised spec."""

    def __init__(self):
        self.errors = []
        self.criteria = False

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
        value = clean_text(value)
        if required and not value:
            self.error(where, "must not be empty")
        if max_length is not None and len(value) > max_length:
            self.error(where, f"is {len(value)} characters long; the most allowed is {max_length}")
        found = refused_name_character(value) if field in NAME_FIELDS else None
        if found:
            self.error(where, f"must be one line of plain text, but contains {found}")
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
        if not KEY_PATTERN.fullmatch(value):
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
            "licence": self.text(data, "", "licence", max_length=_max_length(Framework, "licence")),
        }
        self.criteria = data.get("scale") == CRITERIA
        spec["scale_kind"] = CRITERIA if self.criteria else "mastery"
        spec["readiness"] = self.readiness(data)
        spec["scale"], scale_keys = self.scale(data)
        spec["areas"], capability_keys = self.areas(data)
        spec["tracks"] = self.tracks(data, scale_keys, capability_keys)
        return spec

    def readiness(self, data):
        readiness = readiness_defaults(CRITERIA if self.criteria else "mastery")
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
        met = value.get("current_level_met", readiness["current_level_met"])
        if not isinstance(met, bool):
            self.error("readiness.current_level_met", f"expected true or false, got {_describe(met)}")
        elif met and self.criteria:
            self.error(
                "readiness.current_level_met",
                "must be false with `scale: criteria`: ratings are against the target level's criteria only",
            )
        readiness["current_level_met"] = met
        return readiness

    def scale(self, data):
        """The scale steps and the set of their keys (None when references to it cannot be checked)."""
        if self.criteria:
            return [dict(step) for step in CRITERIA_SCALE], {CRITERIA_MEETS}
        if isinstance(data.get("scale"), str):
            self.error(
                "scale", f"expected a list of scale levels or the word '{CRITERIA}', got {_describe(data['scale'])}"
            )
            return [], None
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
            what = "criteria" if self.criteria else "scale level"
            self.error(where, f"expected a mapping of capability key to {what}, got {_describe(value)}")
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
            if self.criteria:
                expectation = self.criteria_expectation(mastery, item_path)
            else:
                expectation = self.mastery_expectation(mastery, item_path, scale_keys)
            if expectation is not None:
                expectations[capability] = expectation
        if capability_keys is not None:
            order = {key: index for index, key in enumerate(capability_keys)}
            expectations = dict(sorted(expectations.items(), key=lambda item: order.get(item[0], len(order))))
        return expectations

    def mastery_expectation(self, mastery, item_path, scale_keys):
        scale_path, description, examples = item_path, "", []
        if isinstance(mastery, dict):
            long_form = mastery
            self.fields(long_form, item_path, EXPECTATION_FIELDS, ("level",), "a mapping")
            if "level" not in long_form:
                return None  # reported as missing
            scale_path = f"{item_path}.level"
            description = self.text(long_form, item_path, "description")
            examples = self.examples(long_form, item_path)
            mastery = long_form["level"]
        if not isinstance(mastery, str) or not mastery.strip():
            self.error(
                scale_path,
                f"expected a scale level key such as 'working', or a mapping with level and description, "
                f"got {_describe(mastery)}",
            )
            return None
        mastery = mastery.strip()
        if scale_keys is not None and mastery not in scale_keys:
            self.error(scale_path, f"unknown scale level '{_clip(mastery)}'{_suggest(mastery, scale_keys)}")
        return {"level": mastery, "description": description, "examples": examples}

    def criteria_expectation(self, value, item_path):
        """With `scale: criteria`: the criteria text, or a mapping with description (the criteria) and examples."""
        if isinstance(value, str):
            value = {"description": value}
        if self.fields(value, item_path, CRITERIA_FIELDS, ("description",), "the criteria as text") is None:
            return None
        description = self.text(value, item_path, "description", required=True)
        return {"level": CRITERIA_MEETS, "description": description, "examples": self.examples(value, item_path)}

    def examples(self, obj, path):
        """A list of short texts (what the expectation looks like), each one to a few lines."""
        where = _join(path, "examples")
        entries = self.items(obj, path, "examples", required=False, what="example")
        if entries is None:
            return []
        if len(entries) > MAX_EXAMPLES:
            self.error(where, f"has {len(entries)} examples; the most allowed is {MAX_EXAMPLES}")
        examples = []
        for index, entry in enumerate(entries):
            at = f"{where}[{index}]"
            if not isinstance(entry, str) or not entry.strip():
                self.error(at, f"expected a short text, got {_describe(entry)}")
                continue
            text = clean_text(entry)
            if len(text) > MAX_EXAMPLE_LENGTH:
                self.error(at, f"is {len(text)} characters long; the most allowed is {MAX_EXAMPLE_LENGTH}")
            examples.append(text)
        return examples
