"""Reading a framework file: bytes to YAML or JSON data, refusing what cannot be trusted, then checked whole."""

import json

import yaml

from frameworks.fileformat.checking import Checker
from frameworks.fileformat.spec import FrameworkFileError
from pathway.text import unstorable_character

MAX_FILE_BYTES = 1_000_000


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

    def construct_yaml_timestamp(self, node):
        # PyYAML builds a date without checking that it exists: 2026-02-30 raised a bare ValueError.
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value} is not a date that exists (put it in quotes if it is text)", node.start_mark
            ) from None


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _StrictLoader.construct_yaml_timestamp)

_UNREADABLE = object()


def _load_yaml(text):
    try:
        loader = _StrictLoader(text)  # refuses unprintable characters (a NUL byte) at once
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        what = unstorable_character(chr(exc.character)) or f"the character U+{exc.character:04X}"
        return _UNREADABLE, [f"line {line}, column {column}: contains {what}, which YAML does not allow; remove it"]
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        problem = exc.problem or exc.context or "cannot be read"
        return _UNREADABLE, [f"{where}: YAML syntax error: {problem}"]
    except yaml.YAMLError as exc:
        return _UNREADABLE, [f"file: is not valid YAML ({exc})"]
    except ValueError:  # PyYAML's reading of an escape such as "\U00110000" does not check it is a character
        mark = loader.get_mark()
        return _UNREADABLE, [
            f"line {mark.line + 1}, column {mark.column + 1}: YAML syntax error: an escaped character beyond the "
            "last one in Unicode (\\U0010FFFF)"
        ]
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


def _shown(text):
    """Text safe to quote in a message: NUL bytes and lone surrogates written as escapes."""
    return "".join(ascii(c)[1:-1] if unstorable_character(c) else c for c in text)


def _unstorable_text(data, path):
    """Every key or text in the data that no database column can hold, as "path: message"."""
    if isinstance(data, str):
        found = unstorable_character(data)
        if found:
            yield f"{path or 'file'}: contains {found}, which cannot be saved; remove it"
    elif isinstance(data, dict):
        for key, value in data.items():
            key_path = f"{path}.{_shown(str(key))}" if path else _shown(str(key))
            yield from _unstorable_text(key, key_path)
            yield from _unstorable_text(value, key_path)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _unstorable_text(value, f"{path}[{index}]")


def _looks_like_json(text, filename):
    name = filename.lower()
    if name.endswith(".json"):
        return True
    if name.endswith((".yaml", ".yml")):
        return False
    return text.lstrip().startswith("{")


def load_framework_document(content: bytes | str, filename: str = ""):
    """Read a `pathway-framework/1` file's bytes into its data (YAML or JSON), not yet checked.

    Raises FrameworkFileError with every problem found at this stage (size, encoding, syntax, duplicate keys,
    unstorable text). The data is the document the checker reads, as other formats' readers make it too.
    """
    raw = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    text = decode_text(raw)
    data, errors = _load_json(text) if _looks_like_json(text, filename) else _load_yaml(text)
    if data is _UNREADABLE:
        raise FrameworkFileError(errors)
    unstorable = list(_unstorable_text(data, ""))
    if unstorable:  # before the checker, whose messages quote the file's text
        raise FrameworkFileError(unstorable)
    if errors:
        raise FrameworkFileError(errors + check_document(data)[1])
    return data


def decode_text(raw: bytes) -> str:
    """A file's bytes as text: at most MAX_FILE_BYTES, UTF-8 (with or without a byte order mark), not empty."""
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
    return text


def check_document(data) -> tuple[dict | None, list[str]]:
    """Check a document; return its normalised spec and every problem as "path: message"."""
    checker = Checker()
    spec = checker.framework(data)
    return spec, checker.errors


def parse_framework_file(content: bytes | str, filename: str = "") -> dict:
    """Read and check a framework file; return its normalised spec or raise FrameworkFileError with every problem."""
    spec, errors = check_document(load_framework_document(content, filename))
    if errors:
        raise FrameworkFileError(errors)
    return spec
