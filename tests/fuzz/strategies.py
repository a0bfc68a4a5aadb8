"""Hypothesis strategies shared by the fuzz tests: framework specs, and hostile text for forms and files."""

import csv
import io
import json

import yaml
from hypothesis import strategies as st

from frameworks.fileformat import FORMAT, spec_to_document
from frameworks.fileformat.checking import KEY_MAX_LENGTH, MAX_SMALL, MAX_VERSION
from frameworks.fileformat.spec import clean_text
from frameworks.models import Capability, CapabilityArea, Framework, Level, ScaleLevel, Track

# Valid text ---------------------------------------------------------------------------------------------
# What a framework file may hold, as stored (no surrounding blank space, Unix line endings): a name is one
# line of plain text (no control or format characters, no line or paragraph separators, but the zero-width
# joiners some scripts spell with); a longer text is any Unicode a database can hold (no NUL, no surrogate).

_LINE = st.characters(exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp"), include_characters="\u200c\u200d")
_LINES = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")


def names(model, field="name"):
    """A required one-line text that fits the model's field."""
    return st.text(_LINE, min_size=1, max_size=model._meta.get_field(field).max_length).map(clean_text).filter(bool)


def short_texts(model, field):
    """An optional one-line text that fits the model's field."""
    return st.text(_LINE, max_size=model._meta.get_field(field).max_length).map(clean_text)


descriptions = st.text(_LINES, max_size=300).map(clean_text)

_WORD = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)
keys = st.lists(_WORD, min_size=1, max_size=6).map("-".join).filter(lambda key: len(key) <= KEY_MAX_LENGTH)


def unique_keys(min_size=0, max_size=4):
    return st.lists(keys, min_size=min_size, max_size=max_size, unique=True)


# A framework spec, as parse_framework_file returns it ---------------------------------------------------


@st.composite
def framework_specs(draw):
    scale = [
        {"key": key, "name": draw(names(ScaleLevel)), "description": draw(descriptions)}
        for key in draw(unique_keys(1, 5))
    ]
    capability_keys = draw(unique_keys(0, 6))
    area_keys = draw(unique_keys(1, 3))
    # Each capability goes to an area; the file lists them area by area, which is their order in the version.
    owner = [draw(st.sampled_from(area_keys)) for _ in capability_keys]
    areas = [
        {
            "key": area,
            "name": draw(names(CapabilityArea)),
            "description": draw(descriptions),
            "capabilities": [
                {
                    "key": key,
                    "name": draw(names(Capability)),
                    "short_name": draw(short_texts(Capability, "short_name")),
                    "description": draw(descriptions),
                }
                for key, area_of in zip(capability_keys, owner, strict=True)
                if area_of == area
            ],
        }
        for area in area_keys
    ]
    ordered = [capability["key"] for area in areas for capability in area["capabilities"]]
    tracks = [
        {
            "key": key,
            "name": draw(names(Track)),
            "kind": draw(st.sampled_from(["ic", "management"])),
            "description": draw(descriptions),
            "levels": draw(levels(ordered, [step["key"] for step in scale])),
        }
        for key in draw(unique_keys(1, 3))
    ]
    return {
        "format": FORMAT,
        "key": draw(keys),
        "name": draw(names(Framework)),
        "version": draw(st.integers(1, MAX_VERSION)),
        "description": draw(descriptions),
        "source": draw(descriptions),
        "licence": draw(short_texts(Framework, "licence")),
        "scale_kind": "mastery",
        "readiness": {
            "target_share": draw(st.integers(0, 100)),
            "max_steps_below": draw(st.integers(0, MAX_SMALL)),
            "current_level_met": draw(st.booleans()),
        },
        "scale": scale,
        "areas": areas,
        "tracks": tracks,
    }


@st.composite
def levels(draw, capability_keys, scale_keys):
    """A track's levels, grades never decreasing, each expecting a step of the scale in some capabilities."""
    level_keys = draw(unique_keys(0, 4))
    grades = sorted(draw(st.lists(st.integers(0, MAX_SMALL), min_size=len(level_keys), max_size=len(level_keys))))
    result = []
    for key, grade in zip(level_keys, grades, strict=True):
        asked = set(draw(st.lists(st.sampled_from(capability_keys), unique=True))) if capability_keys else set()
        result.append(
            {
                "key": key,
                "name": draw(names(Level)),
                "grade": grade,
                "stage": draw(short_texts(Level, "stage")),
                "summary": draw(descriptions),
                "expectations": {
                    capability: {
                        "level": draw(st.sampled_from(scale_keys)),
                        "description": draw(descriptions),
                        "examples": draw(st.lists(descriptions.filter(bool), max_size=2)),
                    }
                    for capability in capability_keys
                    if capability in asked
                },
            }
        )
    return result


# Hostile input ------------------------------------------------------------------------------------------
# Text no form or file should be trusted with: NUL bytes, lone surrogates, control characters, byte order
# marks, huge and negative numbers, dates that do not exist, markup, and very long strings.

NASTY = (
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "\r\n",
    "line\nbreak",
    "ok\n",
    "\u2028",
    "\x85",
    "\t",
    "\x1b[31m",
    "\x7f",
    "\ufeff",
    "\u202e",
    "\ufffe",
    "0",
    "-1",
    "1e309",
    "99999999999999999999",
    "-2147483649",
    "2147483648",
    "32768",
    "9223372036854775808",
    "NaN",
    "inf",
    "null",
    "[]",
    "%00",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    '"',
    "\U0001f600",
    "\U0010ffff",
    "2026-02-30",
    "0000-00-00",
    "x" * 10_000,
)

_ANY_CHARACTER = st.characters(exclude_categories=()) | st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
hostile_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(_ANY_CHARACTER, max_size=40),
    st.builds("".join, st.lists(st.sampled_from(NASTY), min_size=1, max_size=4)),
)
hostile_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | hostile_text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(hostile_text, children, max_size=3),
    max_leaves=8,
)


def _encoded(text, encoding="utf-8"):
    """Text as bytes, lone surrogates included (as a careless program would write them)."""
    return text.encode(encoding, "surrogatepass" if encoding.startswith("utf") else "replace")


_nasty_bytes = st.sampled_from(NASTY).map(_encoded)

# Files --------------------------------------------------------------------------------------------------


def _places(document, into=None):
    """Every (container, key) of a parsed file, so that one value can be swapped for another."""
    into = [] if into is None else into
    items = document.items() if isinstance(document, dict) else enumerate(document)
    for key, value in items:
        into.append((document, key))
        if isinstance(value, dict | list):
            _places(value, into)
    return into


def _dump(draw, document):
    if draw(st.booleans()):
        return json.dumps(document, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
    try:
        return yaml.safe_dump(document, allow_unicode=draw(st.booleans()), sort_keys=False).encode(
            "utf-8", "surrogatepass"
        )
    except yaml.YAMLError:  # text PyYAML will not write (some control characters): the JSON form, then
        return json.dumps(document).encode()


@st.composite
def framework_files(draw, existing_key=None):
    """(content, filename): random bytes, or a good file with one value made hostile or its bytes mangled."""
    filename = draw(st.sampled_from(["framework.yaml", "framework.json", "framework.yml", "framework", "f.txt"]))
    shape = draw(st.sampled_from(["bytes", "value", "mangled"]))
    if shape == "bytes":
        return draw(st.binary(max_size=400)), filename
    document = spec_to_document(draw(framework_specs()))
    if existing_key and draw(st.booleans()):  # a version of a framework that exists: replaced, unchanged or refused
        document.update(key=existing_key, version=draw(st.integers(1, 3)))
    if shape == "value":
        container, key = draw(st.sampled_from(_places(document)))
        container[key] = draw(hostile_values)
        return _dump(draw, document), filename
    content = bytearray(_dump(draw, document))
    start = draw(st.integers(0, len(content)))
    end = draw(st.integers(start, min(len(content), start + 20)))
    content[start:end] = draw(st.binary(max_size=20) | _nasty_bytes)
    return bytes(content), filename


PEOPLE_HEADER = ["email", "name", "job title", "level", "manager email"]
PEOPLE_COLUMNS = (*PEOPLE_HEADER, "Manager", "full_name", "TITLE", "team", "")
# A good row's cells, by column of PEOPLE_HEADER: row i may create new{i}@example.com or update someone the
# tests' cast has (Priya, reporting to Maya; Hana, HR).
_EXISTING = ("priya@example.com", "hana@example.com")
_GOOD_CELLS = (
    lambda i: st.sampled_from(
        [f"new{i}@example.com", f"New{i}@Example.com", ("priya@example.com", "hana@example.com")[i % 2]]
    ),
    lambda i: st.sampled_from(["New Person", "Priya Product", "Zoë Ng-Åberg"]),
    lambda i: st.sampled_from(["Product manager", ""]),
    lambda i: st.sampled_from(["product/ic-2", "product/ic/ic-3", "product/management/mgr-1", ""]),
    lambda i: st.sampled_from(["maya@example.com", "", "hana@example.com"]),
)
_BAD_CELLS = st.sampled_from(["not-an-email", "x@y", "product/nope", "nope/x", "/", "product//", "new0@example.com"])


@st.composite
def _people_row(draw, index):
    """A good row, with one of its cells, or none, made hostile or wrong, perhaps cut short."""
    row = [draw(cell(index)) for cell in _GOOD_CELLS]
    spoilt = draw(st.integers(0, len(row)))
    if spoilt < len(row):
        row[spoilt] = draw(hostile_text | _BAD_CELLS)
    return row[: draw(st.sampled_from([2, 5, 5, 5, 6]))]


@st.composite
def people_files(draw):
    """A people CSV as bytes: random bytes, or a header and rows of good and hostile cells, written well or
    badly (stray quotes, odd line endings), in UTF-8 or in an encoding the importer should refuse."""
    shape = draw(st.sampled_from(["bytes", "header", "rows", "rows", "rows"]))
    if shape == "bytes":
        return draw(st.binary(max_size=300))
    header = PEOPLE_HEADER if shape == "rows" else draw(st.lists(st.sampled_from(PEOPLE_COLUMNS), max_size=6))
    rows = [draw(_people_row(index)) for index in range(draw(st.integers(0, 3)))]
    if draw(st.booleans()):
        out = io.StringIO()
        csv.writer(out, quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))).writerows([header, *rows])
        text = out.getvalue()
    else:
        separator = draw(st.sampled_from([",", ",", ";", '","', '"']))
        text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(separator.join(row) for row in [header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    return _encoded(text, encoding)
