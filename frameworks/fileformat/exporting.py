"""Exporting a version as a `pathway-framework/1` file, YAML or JSON, the same text for the same version."""

import json

import yaml

from frameworks.fileformat.spec import CRITERIA, FORMAT, clean_text, readiness_defaults
from frameworks.models import Framework
from frameworks.tree import read_tree


def framework_to_spec(framework: Framework) -> dict:
    """The normalised spec of a stored version: the same shape parse_framework_file returns."""
    return {"format": FORMAT, **read_tree(framework, text=clean_text)}


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
        [("description", spec["description"]), ("source", spec["source"]), ("licence", spec["licence"])],
    )
    criteria = spec["scale_kind"] == CRITERIA
    readiness = spec["readiness"]
    if readiness != readiness_defaults(spec["scale_kind"]):
        document["readiness"] = dict(readiness)
    document["scale"] = (
        CRITERIA
        if criteria
        else [
            _with_optional({"key": step["key"], "name": step["name"]}, [("description", step["description"])])
            for step in spec["scale"]
        ]
    )
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
                ("levels", [_level_document(level, criteria) for level in track["levels"]]),
            ],
        )
        for track in spec["tracks"]
    ]
    return document


def _expectation_document(expectation, criteria):
    """Short form (the scale key; with `scale: criteria`, the criteria text) unless there is more to say."""
    if criteria:
        if not expectation["examples"]:
            return expectation["description"]
        return {"description": expectation["description"], "examples": list(expectation["examples"])}
    if not expectation["description"] and not expectation["examples"]:
        return expectation["level"]
    return _with_optional(
        {"level": expectation["level"]},
        [("description", expectation["description"]), ("examples", list(expectation["examples"]))],
    )


def _level_document(level, criteria):
    expectations = {
        capability: _expectation_document(expectation, criteria)
        for capability, expectation in level["expectations"].items()
    }
    return _with_optional(
        {"key": level["key"], "name": level["name"], "grade": level["grade"]},
        [("stage", level["stage"]), ("summary", level["summary"]), ("expectations", expectations)],
    )


class _Dumper(yaml.SafeDumper):
    """SafeDumper that writes text of several lines as a literal block, as a person would."""


def _represent_text(dumper, value):
    # A YAML reader takes a next-line character (U+0085) in a plain, quoted or block scalar for a line break;
    # only a double-quoted scalar, which writes it as an escape, keeps it.
    style = '"' if "\x85" in value else ("|" if "\n" in value else None)
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
