"""Spreadsheet grids (CSV or XLSX): capabilities down, levels across, as HR keeps a ladder in a spreadsheet.

The header row is `area, capability, description`, then one column per level, named `track/level` (or just
`level` when the framework has one track). Each cell is a scale word, optionally followed by a colon and what
the mastery looks like there ("working: Runs a usability test on their own"); an empty cell is "not asked".
An empty area cell means the area of the row above.

A grid names no framework, scale or grades, so it is read against the framework it belongs to (the `key`
option, or the file's name as an export writes it: `product-tracks.csv`, `product-tracks-v2.xlsx`): the
latest version gives the scale, the framework's fields, and the tracks, levels, areas and capabilities the
grid's names match (by key or by name, whatever the case), keeping their keys, grades and texts the grid does
not hold. A grid for a framework Pathway does not have yet uses the four-step scale (awareness, working,
practitioner, expert) and numbers the levels of each track 1, 2, 3… in column order.

`export_grid` writes a version as the same grid, so a framework can go out to a spreadsheet and back.
"""

import csv
import io
import re
import zipfile

from frameworks.fileformat.checking import _suggest
from frameworks.fileformat.exporting import framework_to_spec, spec_to_document
from frameworks.fileformat.formats import Format, Reading, register
from frameworks.fileformat.reading import MAX_FILE_BYTES
from frameworks.fileformat.spec import CRITERIA, FORMAT, FrameworkFileError, clean_text
from frameworks.fileformat.tabular import Keys, cell, first_line_headers, is_blank, normalise_header, read_csv_rows
from frameworks.models import Framework

FIRST_COLUMNS = ("area", "capability", "description")
NEW_SCALE = ("awareness", "working", "practitioner", "expert")
XLSX_SHEET = "Expectations"


def _rows_of_xlsx(raw: bytes) -> list[list[str]]:
    from openpyxl import load_workbook  # only when a workbook is read: it is slow to import

    if len(raw) > MAX_FILE_BYTES:
        raise FrameworkFileError(
            f"file: is {len(raw):,} bytes; the largest framework file accepted is {MAX_FILE_BYTES:,} bytes"
        )
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FrameworkFileError(f"file: is not an XLSX workbook that can be read ({exc})") from None
    sheet = book[XLSX_SHEET] if XLSX_SHEET in book.sheetnames else book.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append(["" if value is None else clean_text(str(value)) for value in values])
        if len(rows) > 10_000:
            raise FrameworkFileError("file: has more than 10,000 rows; a grid holds one row per capability")
    book.close()
    while rows and is_blank(rows[-1]):
        rows.pop()
    return rows


def is_xlsx(content: bytes, filename: str) -> bool:
    return content[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx")


def framework_key_of(filename: str, options: dict) -> str:
    """The framework a grid belongs to: the key given, or the file's name without "-v2" and its extension."""
    if options.get("key"):
        return options["key"]
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", filename.rsplit("/", 1)[-1])
    stem = re.sub(r"[-_ ]v\d+$", "", stem)
    return Keys("").make(stem)


class _Grid:
    """Reads the rows against the base framework's spec (or None), collecting every problem at its cell."""

    def __init__(self, rows, key, base):
        self.header, self.rows, self.key, self.base = rows[0], rows[1:], key, base
        self.errors, self.locations = [], {}
        scale = base["scale"] if base else [{"key": word, "name": word.capitalize()} for word in NEW_SCALE]
        self.words = {}
        for step in scale:
            self.words[step["key"].lower()] = step["key"]
            self.words.setdefault(step["name"].lower(), step["key"])

    def at(self, row, column):
        return cell(row, column, self.header)

    def columns(self):
        """[(column index, track name or None, level name)], and the problems with the header."""
        names = [normalise_header(name) for name in self.header[:3]]
        if tuple(names) != FIRST_COLUMNS:
            self.errors.append(
                "row 1: the first three columns must be area, capability, description, "
                f"not {', '.join(self.header[:3])}"
            )
            return []
        columns, seen = [], {}
        for index, name in enumerate(self.header[3:], start=3):
            parts = [part.strip() for part in name.split("/")]
            if not name or any(not part for part in parts) or len(parts) > 2:
                self.errors.append(f"{self.at(1, index)}: name the level, as track/level or just level")
                continue
            track, level = (parts[0], parts[1]) if len(parts) == 2 else (None, parts[0])
            ident = ((track or "").lower(), level.lower())
            if ident in seen:
                self.errors.append(f"{self.at(1, index)}: the level '{name}' has a column already ({seen[ident]})")
                continue
            seen[ident] = f"column {self.at(1, index).split('column ')[1]}"
            columns.append((index, track, level))
        if len({track is None for _, track, _ in columns}) > 1:
            self.errors.append("row 1: name every level column as track/level, or none of them")
        if not columns and not self.errors:
            self.errors.append("row 1: the grid has no level columns after area, capability and description")
        return columns

    def read_cell(self, value, row, column):
        """(scale key, description) or None when the cell is empty (not asked)."""
        if not value:
            return None
        word, colon, text = value.partition(":")
        word = word.strip()
        if not word:
            self.errors.append(f"{self.at(row, column)}: give a scale word before the colon")
            return None
        key = self.words.get(word.lower())
        if key is None:
            choices = sorted(set(self.words.values()))
            hint = _suggest(word.lower(), choices) or f"; use one of {', '.join(choices)}"
            self.errors.append(f"{self.at(row, column)}: '{word}' is not a step of the scale{hint}")
            return None
        return key, clean_text(text) if colon else ""

    def read(self):
        columns = self.columns()
        if self.errors:
            return None
        width = len(self.header)
        capabilities, area = {}, None
        for number, row in enumerate(self.rows, start=2):
            if is_blank(row):
                continue
            if len(row) > width and any(row[width:]):
                self.errors.append(f"row {number}: has a value beyond the last column of the header")
                continue
            row = row[:width] + [""] * (width - len(row))
            area = (row[0], number) if row[0] else area
            if area is None:
                self.errors.append(f"{self.at(number, 0)}: name the area of the first capability")
            if not row[1]:
                self.errors.append(f"{self.at(number, 1)}: must not be empty")
                continue
            if row[1].lower() in capabilities:
                first = capabilities[row[1].lower()]["row"]
                self.errors.append(f"{self.at(number, 1)}: '{row[1]}' is in the grid already (row {first})")
                continue
            cells = {}
            for index, track, level in columns:
                found = self.read_cell(row[index], number, index)
                if found:
                    cells[(track, level)] = (*found, number, index)
            capabilities[row[1].lower()] = {
                "area": area[0] if area else "",
                "name": row[1],
                "description": row[2],
                "row": number,
                "cells": cells,
            }
        if not capabilities and not self.errors:
            self.errors.append("file: the grid has no capabilities under its header")
        return None if self.errors else self.document(columns, list(capabilities.values()))

    def document(self, columns, capabilities):
        base = self.base
        if base:
            document = spec_to_document(base)
            document.pop("version")
        else:
            document = {
                "format": FORMAT,
                "key": self.key,
                "name": self.key.replace("-", " ").capitalize(),
                "scale": [{"key": word, "name": word.capitalize()} for word in NEW_SCALE],
            }
        keys = self.capability_keys(capabilities)
        document["areas"] = self.areas(capabilities, keys)
        document["tracks"] = self.tracks(columns, capabilities, keys)
        return document

    def capability_keys(self, capabilities):
        known = {}
        for area in self.base["areas"] if self.base else []:
            for capability in area["capabilities"]:
                known[capability["key"]] = capability
                known.setdefault(capability["name"].lower(), capability)
        maker = Keys("capability")
        maker.used.update(key for key in known if key == known[key]["key"])
        keys = {}
        for capability in capabilities:
            match = known.get(capability["name"].lower())
            keys[capability["name"]] = (match["key"], match) if match else (maker.make(capability["name"]), None)
        return keys

    def areas(self, capabilities, keys):
        base_areas = {}
        for area in self.base["areas"] if self.base else []:
            base_areas[area["key"]] = area
            base_areas.setdefault(area["name"].lower(), area)
        maker, areas = Keys("area"), {}
        maker.used.update(area["key"] for area in (self.base["areas"] if self.base else []))
        for capability in capabilities:
            name = capability["area"]
            if name.lower() not in areas:
                match = base_areas.get(name.lower())
                entry = {"key": match["key"] if match else maker.make(name), "name": name}
                if match and match["description"]:
                    entry["description"] = match["description"]
                entry["capabilities"] = []
                areas[name.lower()] = entry
            key, match = keys[capability["name"]]
            item = {"key": key, "name": capability["name"], "description": capability["description"]}
            if match and match["short_name"]:
                item["short_name"] = match["short_name"]
            path = f"areas[{list(areas).index(name.lower())}].capabilities[{len(areas[name.lower()]['capabilities'])}]"
            self.locations[path] = self.at(capability["row"], 1)
            self.locations[f"{path}.description"] = self.at(capability["row"], 2)
            areas[name.lower()]["capabilities"].append(item)
        return list(areas.values())

    def base_track(self, name):
        tracks = self.base["tracks"] if self.base else []
        if name is None:
            return tracks[0] if len(tracks) == 1 else None
        return next((t for t in tracks if name.lower() in (t["key"], t["name"].lower())), None)

    def tracks(self, columns, capabilities, keys):
        by_track = {}
        for index, track, level in columns:
            by_track.setdefault(track, []).append((index, level))
        if None in by_track and self.base and len(self.base["tracks"]) > 1:
            names = ", ".join(track["key"] for track in self.base["tracks"])
            self.errors.append(f"row 1: {self.key} has several tracks ({names}); name each column track/level")
        maker, tracks = Keys("track"), []
        maker.used.update(track["key"] for track in (self.base["tracks"] if self.base else []))
        for position, (name, levels) in enumerate(by_track.items()):
            match = self.base_track(name)
            if match:
                entry = {key: match[key] for key in ("key", "name", "kind") if match.get(key)}
                if match["description"]:
                    entry["description"] = match["description"]
            else:
                label = name or "Individual contributor"
                kind = "management" if "manag" in label.lower() else "ic"
                entry = {"key": maker.make(name) if name else "ic", "name": label, "kind": kind}
            self.locations[f"tracks[{position}]"] = self.at(1, levels[0][0])
            entry["levels"] = self.levels(levels, match, capabilities, keys, f"tracks[{position}]")
            tracks.append(entry)
        return tracks

    def levels(self, levels, track, capabilities, keys, path):
        known = {}
        for level in track["levels"] if track else []:
            known[level["key"]] = level
            known.setdefault(level["name"].lower(), level)
        maker, entries, grade = Keys("level"), [], 0
        maker.used.update(level["key"] for level in (track["levels"] if track else []))
        for position, (index, name) in enumerate(levels):
            match = known.get(name) or known.get(name.lower())
            if match:
                entry = {"key": match["key"], "name": match["name"], "grade": match["grade"]}
                entry.update({field: match[field] for field in ("stage", "summary") if match.get(field)})
            else:
                entry = {"key": maker.make(name), "name": name, "grade": grade + 1}
            grade = entry["grade"]
            level_path = f"{path}.levels[{position}]"
            self.locations[level_path] = self.at(1, index)
            entry["expectations"] = self.expectations(index, match, capabilities, keys, level_path)
            entries.append(entry)
        return entries

    def expectations(self, column, level, capabilities, keys, path):
        before = level["expectations"] if level else {}
        expectations = {}
        for capability in capabilities:
            found = next((v for (_, _), v in capability["cells"].items() if v[3] == column), None)
            if found is None:
                continue
            scale_key, description, row, _ = found
            key = keys[capability["name"]][0]
            entry = {"level": scale_key}
            if description:
                entry["description"] = description
            examples = before.get(key, {}).get("examples")
            if examples:
                entry["examples"] = list(examples)
            expectations[key] = entry
            self.locations[f"{path}.expectations.{key}"] = self.at(row, column)
        return expectations


def read_grid(content: bytes, filename: str, options: dict) -> Reading:
    rows = _rows_of_xlsx(content) if is_xlsx(content, filename) else read_csv_rows(content)
    if not rows or is_blank(rows[0]):
        raise FrameworkFileError("row 1: the file has no header row")
    while rows[0] and not rows[0][-1]:
        rows[0] = rows[0][:-1]
    key = framework_key_of(filename, options)
    if not key:
        raise FrameworkFileError("file: say which framework the grid belongs to (its key)")
    latest = Framework.objects.filter(key=key).order_by("-version").first()
    base = framework_to_spec(latest) if latest else None
    if base and base.get("scale_kind") == CRITERIA:
        raise FrameworkFileError(
            f"file: {key} is rated against written criteria, which a grid of scale words cannot hold; "
            "import its Markdown or YAML file instead"
        )
    grid = _Grid(rows, key, base)
    document = grid.read()
    if grid.errors:
        raise FrameworkFileError(grid.errors)
    return Reading([document], [], [grid.locations])


def grid_rows(framework: Framework) -> list[list[str]]:
    """A version as the grid's rows: the header, then one row per capability in order."""
    spec = framework_to_spec(framework)
    if spec.get("scale_kind") == CRITERIA:
        raise FrameworkFileError(f"{framework.key} is rated against written criteria; export it as YAML instead")
    several = len(spec["tracks"]) > 1
    levels = [(track, level) for track in spec["tracks"] for level in track["levels"]]
    header = [*FIRST_COLUMNS] + [f"{t['key']}/{lv['key']}" if several else lv["key"] for t, lv in levels]
    rows = [header]
    for area in spec["areas"]:
        for capability in area["capabilities"]:
            cells = []
            for _, level in levels:
                expectation = level["expectations"].get(capability["key"])
                if expectation is None:
                    cells.append("")
                elif expectation["description"]:
                    cells.append(f"{expectation['level']}: {expectation['description']}")
                else:
                    cells.append(expectation["level"])
            rows.append([area["name"], capability["name"], capability["description"], *cells])
    return rows


def export_grid(framework: Framework, fmt: str = "csv") -> bytes:
    """The version as a grid, "csv" (UTF-8 text) or "xlsx" (a workbook with one sheet); the same version, the same
    content."""
    rows = grid_rows(framework)
    if fmt == "csv":
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        return out.getvalue().encode("utf-8")
    if fmt != "xlsx":
        raise ValueError(f"Unknown grid format {fmt!r}; use 'csv' or 'xlsx'.")
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = XLSX_SHEET
    for row in rows:
        sheet.append(row)
    for header_cell in sheet[1]:
        header_cell.font = Font(bold=True)
    for column, width in zip("ABC", (24, 32, 48), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for value_cell in row:
            value_cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "D2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def looks_like_grid_csv(content: bytes, filename: str) -> bool:
    if is_xlsx(content, filename):
        return False
    return filename.lower().endswith(".csv") or first_line_headers(content)[:3] == list(FIRST_COLUMNS)


register(
    Format(
        name="grid-csv",
        label="Spreadsheet grid, CSV (capabilities down, levels across)",
        extensions=(".csv",),
        detect=looks_like_grid_csv,
        read=read_grid,
    )
)
register(
    Format(
        name="grid-xlsx",
        label="Spreadsheet grid, Excel workbook (.xlsx)",
        extensions=(".xlsx",),
        detect=is_xlsx,
        read=read_grid,
    )
)
