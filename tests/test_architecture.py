"""The layout holds: imports run one way between the rooms, and no module or function outgrows a reader.

The rooms, lowest first (docs/architecture.md draws the picture):
accounts ← frameworks ← assessments.people ← assessments.growth ← assessments.reviews ← assessments.reports ← the top
(assessments.home, the demo organisation, and the app's own models/admin/apps/management modules).
A module may import from its own room and the rooms below it, never from a room above.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("accounts", "frameworks", "assessments", "pathway")

ROOMS = [
    "accounts",
    "frameworks",
    "assessments.people",
    "assessments.growth",
    "assessments.reviews",
    "assessments.reports",
    "assessments",  # the top: home, demo, and the app modules that gather the rooms for Django
]
# pathway holds the project's settings, URLs and small shared helpers (env, admin rules, mail): it sits
# outside the ladder, and only its leaf helpers may be imported from the rooms.
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60

PATHWAY_HELPERS = {
    "pathway.env",
    "pathway.admin_history",
    "pathway.admin_readonly",
    "pathway.mail",
    "pathway.sql",
    "pathway.text",
}


def source_files():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def room_of(module: str) -> str | None:
    """The room a module belongs to: the longest room name it starts with."""
    matches = [room for room in ROOMS if module == room or module.startswith(room + ".")]
    return max(matches, key=len) if matches else None


def imported_modules(path: Path):
    """Every module `path` imports, at any depth (imports inside functions count too)."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            for alias in node.names:  # `from assessments.reviews import views` imports a module too
                yield node.lineno, f"{node.module}.{alias.name}"


def wrong_way_imports():
    found = []
    for path in source_files():
        module = module_name(path)
        if module.startswith("pathway"):
            continue
        own = ROOMS.index(room_of(module))
        reported_lines = set()
        for line, target in imported_modules(path):
            if line in reported_lines:
                continue
            if target.startswith("pathway"):
                if target not in PATHWAY_HELPERS and target.rsplit(".", 1)[0] not in PATHWAY_HELPERS:
                    found.append(f"{path.relative_to(ROOT)}:{line} imports {target} (project wiring, not a helper)")
                    reported_lines.add(line)
                continue
            room = room_of(target)
            if room is not None and ROOMS.index(room) > own:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {target} ({room} is above {ROOMS[own]})")
                reported_lines.add(line)
    return found


def test_imports_run_one_way_between_rooms():
    assert wrong_way_imports() == []


def test_the_rule_catches_an_import_the_wrong_way(tmp_path, monkeypatch):
    # The check itself can fail: a people module importing a report is reported.
    people = tmp_path / "assessments" / "people"
    people.mkdir(parents=True)
    (people / "bad.py").write_text("from assessments.reports.comparison import build_comparison\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    monkeypatch.setattr(f"{__name__}.PACKAGES", ("assessments",))
    assert wrong_way_imports() == [
        "assessments/people/bad.py:1 imports assessments.reports.comparison "
        "(assessments.reports is above assessments.people)"
    ]


@pytest.mark.parametrize(
    ("module", "room"),
    [
        ("accounts.models", "accounts"),
        ("frameworks.fileformat", "frameworks"),
        ("assessments.people.access", "assessments.people"),
        ("assessments.reviews", "assessments.reviews"),
        ("assessments.reports.views", "assessments.reports"),
        ("assessments.home.views", "assessments"),
        ("assessments.models", "assessments"),
        ("assessments.peoplex", "assessments"),
        ("django.db", None),
    ],
)
def test_room_of(module, room):
    assert room_of(module) == room


def test_no_module_is_longer_than_600_lines():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in source_files()
        if (lines := path.read_text().count("\n")) > MAX_MODULE_LINES
    }
    assert long == {}


def test_no_function_is_longer_than_60_lines():
    long = []
    for path in source_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)")
    assert long == []
