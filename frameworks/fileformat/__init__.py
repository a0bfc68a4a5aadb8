"""Framework files: read and check a file in any format Pathway reads, import it, export a version.

docs/framework-format.md describes the formats and the import rules for the people who write the files.
A file is checked whole before anything is written: every problem is reported where it is (the path of
the field at fault, "tracks[0].levels[2].grade: ...", or its row and column in a spreadsheet), and an
import either writes every framework in the file or nothing.

The package: `formats` is the registry of formats (each a reader that turns a file into
`pathway-framework/1` documents) and reads a file in any of them; `reading` reads `pathway-framework/1`
YAML or JSON and `checking` checks a document into a spec; `importing` writes specs (through
`frameworks.tree`, the one writer of a framework tree); `exporting` turns a version back into a file.
Import the names below from `frameworks.fileformat`.
"""

from frameworks.fileformat import gdad, grid, markdown  # noqa: F401  (each registers its format)
from frameworks.fileformat.exporting import dump_spec, export_framework, framework_to_spec, spec_to_document
from frameworks.fileformat.formats import (
    FORMATS,
    CheckedFile,
    Format,
    Reading,
    detect_format,
    format_choices,
    read_file,
    register,
)
from frameworks.fileformat.importing import OUTCOMES, ImportResult, describe_outcome, import_framework, import_specs
from frameworks.fileformat.reading import MAX_FILE_BYTES, parse_framework_file
from frameworks.fileformat.spec import FORMAT, READINESS_DEFAULTS, FrameworkFileError

__all__ = [
    "FORMAT",
    "FORMATS",
    "MAX_FILE_BYTES",
    "OUTCOMES",
    "READINESS_DEFAULTS",
    "CheckedFile",
    "Format",
    "FrameworkFileError",
    "ImportResult",
    "Reading",
    "describe_outcome",
    "detect_format",
    "dump_spec",
    "export_framework",
    "format_choices",
    "framework_to_spec",
    "import_framework",
    "import_specs",
    "parse_framework_file",
    "read_file",
    "register",
    "spec_to_document",
]
