"""GDaD CSV: the UK Government Digital and Data capability framework's CSV download, one row per (role, role
level, skill).

Each role family becomes one framework, each role a track, each role level a level (grades 1, 2, … in the
order the levels first appear), each skill a capability (in one area, "Skills"), and the four skill levels
(awareness, working, practitioner, expert) the scale. A role level marked "not in use" (in its name or its
description) is left out and reported in the preview, never dropped in silence. Text is kept as given.
"""

import re
from dataclasses import dataclass, field

from frameworks.fileformat.formats import Format, Reading, register
from frameworks.fileformat.spec import FORMAT, FrameworkFileError
from frameworks.fileformat.tabular import (
    Keys,
    cell,
    first_line_headers,
    is_blank,
    normalise_header,
    read_csv_rows,
)

REQUIRED = ("role family", "role", "role level", "skill name", "skill level")
OPTIONAL = ("role description", "role level description", "skill description", "skill level description", "role type")
SCALE = ("awareness", "working", "practitioner", "expert")
SOURCE = "UK Government Digital and Data Profession Capability Framework (GDaD), from the CSV file {filename}"
LICENCE = "Open Government Licence v3.0"
NOT_IN_USE = re.compile(r"\bnot\s+(?:currently\s+|yet\s+|now\s+)?(?:in\s+use|used)\b|\bno\s+longer\s+used\b", re.I)


@dataclass
class _Level:
    name: str
    row: int
    description: tuple[str, int] = ("", 0)
    expectations: dict = field(default_factory=dict)  # skill name → (word, description, row)


@dataclass
class _Role:
    name: str
    row: int
    description: tuple[str, int] = ("", 0)
    role_type: tuple[str, int] = ("", 0)
    levels: dict = field(default_factory=dict)  # level name → _Level


@dataclass
class _Family:
    name: str
    row: int
    roles: dict = field(default_factory=dict)  # role name → _Role
    skills: dict = field(default_factory=dict)  # skill name → [description, row of the name, row of the description]


class _Reader:
    def __init__(self, rows, filename):
        self.header, self.rows, self.filename = rows[0], rows[1:], filename
        self.errors, self.notes = [], []
        self.columns = {}
        self.families: dict[str, _Family] = {}
        self.skipped: dict[tuple, list[int]] = {}

    def error(self, row, column_name, message):
        where = cell(row, self.columns[column_name], self.header) if column_name else f"row {row}"
        self.errors.append(f"{where}: {message}")

    def read_header(self):
        seen = {}
        for index, name in enumerate(self.header):
            normal = normalise_header(name)
            if normal in seen and normal in REQUIRED + OPTIONAL:
                self.errors.append(f"{cell(1, index, self.header)}: the column '{normal}' is given twice")
            seen.setdefault(normal, index)
        missing = [name for name in REQUIRED if name not in seen]
        if missing:
            names = ", ".join(f"'{name}'" for name in missing)
            self.errors.append(
                f"row 1: the header has no {names} column; a GDaD CSV has the columns {', '.join(REQUIRED + OPTIONAL)}"
            )
        self.columns = {name: seen[name] for name in REQUIRED + OPTIONAL if name in seen}
        unread = [name for name in self.header if normalise_header(name) not in REQUIRED + OPTIONAL and name]
        if unread:
            self.notes.append(f"Columns not read: {', '.join(unread)}.")

    def value(self, row, name):
        index = self.columns.get(name)
        return row[index] if index is not None and index < len(row) else ""

    def read_rows(self):
        for number, row in enumerate(self.rows, start=2):
            if is_blank(row):
                continue
            if len(row) != len(self.header):
                self.errors.append(f"row {number}: has {len(row)} cells; the header has {len(self.header)}")
                continue
            values = {name: self.value(row, name) for name in self.columns}
            empty = [name for name in REQUIRED if not values[name]]
            for name in empty:
                self.error(number, name, "must not be empty")
            if empty:
                continue
            if NOT_IN_USE.search(values["role level"]) or NOT_IN_USE.search(values.get("role level description", "")):
                key = (values["role family"], values["role"], values["role level"])
                self.skipped.setdefault(key, []).append(number)
                continue
            self.add(number, values)

    def add(self, number, values):
        family = self.families.setdefault(values["role family"], _Family(values["role family"], number))
        role = family.roles.setdefault(values["role"], _Role(values["role"], number))
        level = role.levels.setdefault(values["role level"], _Level(values["role level"], number))
        self.same(number, "role description", values, role, "description", f"the role {role.name}")
        self.same(number, "role type", values, role, "role_type", f"the role {role.name}")
        self.same(number, "role level description", values, level, "description", f"{role.name}, {level.name}")
        skill = values["skill name"]
        described = family.skills.setdefault(skill, ["", number, 0])
        text = values.get("skill description", "")
        if text and described[0] and text != described[0]:
            self.error(number, "skill description", f"differs from the description of {skill} on row {described[2]}")
        elif text and not described[0]:
            described[0], described[2] = text, number
        word = values["skill level"].lower()
        if word not in SCALE:
            self.error(number, "skill level", f"'{values['skill level']}' is not a skill level; use {', '.join(SCALE)}")
        if skill in level.expectations:
            first = level.expectations[skill][2]
            self.errors.append(
                f"row {number}: {skill} is given twice for {role.name}, {level.name} (also on row {first})"
            )
            return
        level.expectations[skill] = (word, values.get("skill level description", ""), number)

    def same(self, number, column, values, target, attribute, what):
        """One text per role (or role level), however many rows repeat it: a different one is a problem."""
        text = values.get(column, "")
        kept, row = getattr(target, attribute)
        if text and kept and text != kept:
            self.error(number, column, f"differs from the {column} of {what} on row {row}")
        elif text and not kept:
            setattr(target, attribute, (text, number))

    def report_skipped(self):
        for (family, role, level), rows in self.skipped.items():
            count = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
            self.notes.append(
                f"{family}: {role}, {level} is marked not in use, so its {count} (from row {rows[0]}) were left out."
            )
        for family in list(self.families.values()):
            if not family.roles:
                del self.families[family.name]
        dropped = {(family, role) for family, role, _ in self.skipped}
        for family, role in sorted(dropped):
            if family not in self.families or role not in self.families[family].roles:
                self.notes.append(f"{family}: {role} has no level in use, so the role was left out.")


def _document(family: _Family, reader: _Reader):
    columns, header = reader.columns, reader.header
    locations = {"name": cell(family.row, columns["role family"], header)}
    skill_keys = Keys("skill")
    capabilities, keys = [], {}
    for index, (skill, (description, row, described_on)) in enumerate(family.skills.items()):
        keys[skill] = skill_keys.make(skill)
        capabilities.append({"key": keys[skill], "name": skill, "description": description})
        path = f"areas[0].capabilities[{index}]"
        locations[path] = cell(row, columns["skill name"], header)
        if described_on:
            locations[f"{path}.description"] = cell(described_on, columns["skill description"], header)
    track_keys, tracks = Keys("role"), []
    for index, role in enumerate(family.roles.values()):
        tracks.append(_track(role, track_keys, keys, f"tracks[{index}]", locations, reader))
    document = {
        "format": FORMAT,
        "key": Keys("framework").make(family.name),
        "name": family.name,
        "source": SOURCE.format(filename=reader.filename or "uploaded"),
        "licence": LICENCE,
        "scale": [{"key": word, "name": word.capitalize()} for word in SCALE],
        "areas": [{"key": "skills", "name": "Skills", "capabilities": capabilities}],
        "tracks": tracks,
    }
    return document, locations


def _track(role, track_keys, skill_keys, path, locations, reader):
    columns, header = reader.columns, reader.header
    role_type, _ = role.role_type
    description = role.description[0]
    kind = "management" if "manag" in role_type.lower() else "ic"
    if role_type and kind == "ic" and normalise_header(role_type) not in ("ic", "individual contributor"):
        description = f"{description}\n\nRole type: {role_type}".strip()
    locations[path] = cell(role.row, columns["role"], header)
    if role.description[1]:
        locations[f"{path}.description"] = cell(role.description[1], columns["role description"], header)
    level_keys, levels = Keys("level"), []
    for index, level in enumerate(role.levels.values()):
        level_path = f"{path}.levels[{index}]"
        locations[level_path] = cell(level.row, columns["role level"], header)
        if level.description[1]:
            locations[f"{level_path}.summary"] = cell(level.description[1], columns["role level description"], header)
        expectations = {}
        for skill, (word, text, row) in level.expectations.items():
            expectations[skill_keys[skill]] = {"level": word, "description": text}
            where = f"{level_path}.expectations.{skill_keys[skill]}"
            locations[where] = cell(row, columns["skill level"], header)
            if text:
                locations[f"{where}.description"] = cell(row, columns["skill level description"], header)
        levels.append(
            {
                "key": level_keys.make(level.name),
                "name": level.name,
                "grade": index + 1,
                "summary": level.description[0],
                "expectations": expectations,
            }
        )
    return {
        "key": track_keys.make(role.name),
        "name": role.name,
        "kind": kind,
        "description": description,
        "levels": levels,
    }


def read_gdad(content: bytes, filename: str, options: dict) -> Reading:
    rows = read_csv_rows(content)
    if not rows or is_blank(rows[0]):
        raise FrameworkFileError("row 1: the file has no header row")
    reader = _Reader(rows, filename)
    reader.read_header()
    if reader.errors:
        raise FrameworkFileError(reader.errors)
    reader.read_rows()
    if reader.errors:
        raise FrameworkFileError(reader.errors)
    reader.report_skipped()
    if not reader.families:
        raise FrameworkFileError("file: has no rows to import (every role level is marked not in use, or none given)")
    documents, locations = zip(*(_document(family, reader) for family in reader.families.values()), strict=True)
    keys = [document["key"] for document in documents]
    for index, key in enumerate(keys):
        if key in keys[:index]:
            family = list(reader.families.values())[index]
            reader.errors.append(
                f"{cell(family.row, reader.columns['role family'], reader.header)}: the role family '{family.name}' "
                f"makes the same framework key '{key}' as another family; rename one"
            )
    if reader.errors:
        raise FrameworkFileError(reader.errors)
    return Reading(list(documents), reader.notes, list(locations))


def looks_like_gdad(content: bytes, filename: str) -> bool:
    headers = first_line_headers(content)
    return "role family" in headers


GDAD_CSV = register(
    Format(
        name="gdad-csv",
        label="GDaD CSV (government Digital and Data capability framework)",
        extensions=(".csv",),
        detect=looks_like_gdad,
        read=read_gdad,
    )
)
