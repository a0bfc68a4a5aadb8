"""The file formats Pathway imports, and the one way every file is read: detect, read, check.

Each format is a reader that turns a file into `pathway-framework/1` documents (the data a YAML file of that
format holds, one per framework), so that checking, the preview and the all-or-nothing write stay in one
place (`check_document`, `frameworks.fileformat.importing.import_specs`). A reader reports every problem it
finds at its row and column; what the checker finds afterwards is put back at the row and column the reader
says the field came from (`Reading.locations`).

A format registers itself with `register(Format(...))` when its module is imported; `frameworks.fileformat`
imports them all. docs/framework-format.md describes each format for the people who write the files.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from frameworks.fileformat.reading import check_document, load_framework_document
from frameworks.fileformat.spec import FrameworkFileError


@dataclass
class Reading:
    """What a reader made of a file: documents to check, notes on what it left out, where each field came from.

    `locations` has one mapping per document: a path in the document ("areas[0].capabilities[2].name") to where
    its value is in the file ("row 4, column B (capability)"); a problem the checker finds at a path, or below
    it, is reported there. A document without a `version` gets one chosen at import (`importing.auto_version`).
    """

    documents: list[dict]
    notes: list[str] = field(default_factory=list)
    locations: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Format:
    """A file format: `detect` says whether a file looks like it, `read` turns it into a Reading.

    `read(content, filename, options)` raises FrameworkFileError listing every problem; `options` holds what
    the person importing said beside the file (`key`: the framework a spreadsheet grid belongs to).
    `fallback` formats are tried last when detecting.
    """

    name: str
    label: str
    extensions: tuple[str, ...]
    detect: Callable[[bytes, str], bool]
    read: Callable[[bytes, str, dict], Reading]
    fallback: bool = False


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    FORMATS[fmt.name] = fmt
    return fmt


def format_choices() -> list[tuple[str, str]]:
    return [(fmt.name, fmt.label) for fmt in FORMATS.values()]


def detect_format(content: bytes, filename: str = "") -> Format:
    """The format a file is in, from its content and name; FrameworkFileError when none fits."""
    ordered = sorted(FORMATS.values(), key=lambda fmt: fmt.fallback)
    for fmt in ordered:
        if fmt.detect(content, filename):
            return fmt
    names = ", ".join(FORMATS)
    raise FrameworkFileError(f"file: is not in a format Pathway reads (the formats are: {names})")


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise FrameworkFileError(
            f"format: '{name}' is not a format Pathway reads; choose one of {', '.join(FORMATS)}"
        ) from None


@dataclass
class CheckedFile:
    """A file read and checked: the format it was read as, one spec per framework, and the reader's notes."""

    format: Format
    specs: list[dict]
    notes: list[str]
    auto_versions: list[bool]


def read_file(
    content: bytes | str, filename: str = "", format_name: str | None = None, options: dict | None = None
) -> CheckedFile:
    """Read and check a file in any format (detected unless `format_name` forces one); every problem at once."""
    raw = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    fmt = get_format(format_name) if format_name else detect_format(raw, filename)
    reading = fmt.read(raw, filename, options or {})
    specs, errors = [], []
    for index, document in enumerate(reading.documents):
        spec, problems = check_document(document)
        locations = reading.locations[index] if index < len(reading.locations) else {}
        for problem in problems:
            located = locate(problem, locations)
            several = len(reading.documents) > 1 and located == problem
            errors.append(f"{document.get('key')}: {located}" if several else located)
        specs.append(spec)
    if errors:
        raise FrameworkFileError(errors)
    auto = [isinstance(document, dict) and "version" not in document for document in reading.documents]
    return CheckedFile(fmt, specs, reading.notes, auto)


def locate(problem: str, locations: dict[str, str]) -> str:
    """A checker's "path: message" told at the row and column the path's value came from, when known."""
    if not locations:
        return problem
    path, _, message = problem.partition(": ")
    candidate = path
    while candidate:
        if candidate in locations:
            return f"{locations[candidate]}: {message}"
        cut = max(candidate.rfind("."), candidate.rfind("["))
        candidate = candidate[:cut] if cut > 0 else ""
    return problem


def _looks_like_pathway_framework(content: bytes, filename: str) -> bool:
    # The fallback: anything no other format claims is read as YAML or JSON, which says what is wrong with it.
    return True


register(
    Format(
        name="pathway-framework",
        label="Pathway framework file (pathway-framework/1, YAML or JSON)",
        extensions=(".yaml", ".yml", ".json"),
        detect=_looks_like_pathway_framework,
        read=lambda content, filename, options: Reading([load_framework_document(content, filename)]),
        fallback=True,
    )
)
