"""The framework file format `pathway-framework/1`: read and check a file, import it, export a version.

docs/framework-format.md describes the format and the import rules for the people who write the files.
A file is checked whole before anything is written: every problem is reported with the path of the
field at fault ("tracks[0].levels[2].grade: ..."), and an import either writes the whole framework
or nothing.

The package: `reading` turns bytes into data and `checking` checks it into a spec; `importing` writes a
spec (through `frameworks.tree`, the one writer of a framework tree); `exporting` turns a version back
into a file. Import the names below from `frameworks.fileformat`.
"""

from frameworks.fileformat.exporting import dump_spec, export_framework, framework_to_spec, spec_to_document
from frameworks.fileformat.importing import OUTCOMES, describe_outcome, import_framework
from frameworks.fileformat.reading import MAX_FILE_BYTES, parse_framework_file
from frameworks.fileformat.spec import FORMAT, READINESS_DEFAULTS, FrameworkFileError

__all__ = [
    "FORMAT",
    "MAX_FILE_BYTES",
    "OUTCOMES",
    "READINESS_DEFAULTS",
    "FrameworkFileError",
    "describe_outcome",
    "dump_spec",
    "export_framework",
    "framework_to_spec",
    "import_framework",
    "parse_framework_file",
    "spec_to_document",
]
