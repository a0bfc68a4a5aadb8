"""Markdown ladders: a progression framework written as Markdown with YAML front matter.

The shape many open engineering ladders share: front matter between two `---` lines with the ladder's
`title`, its number of `levels` (or their names) and its `topics`, each topic a capability whose `content`
gives, per level, the `criteria` a person meets there and `examples` of what that looks like. The body
below the front matter is the ladder's description. docs/framework-format.md describes it.

Such a ladder has no mastery scale of its own: it becomes a criteria framework (`scale: criteria`), one
track whose levels ask, in each topic, for that level's criteria. `read_markdown_ladder` turns a file into
the `pathway-framework/1` document, which `parse_markdown_ladder` checks into the spec every import writes.
Every problem is reported with its line and column in the file, and a file with any problem imports nothing.
"""

import difflib
import re
from pathlib import PurePath

import yaml

from frameworks.fileformat.checking import KEY_MAX_LENGTH, KEY_PATTERN
from frameworks.fileformat.formats import Format, Reading, register
from frameworks.fileformat.reading import MAX_FILE_BYTES, _StrictLoader, _unstorable_text, check_document
from frameworks.fileformat.spec import CRITERIA, FORMAT, FrameworkFileError, clean_text

FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")
TOP_FIELDS = ("title", "key", "version", "description", "source", "levels", "topics")
# Fields the ladders' own websites read (page address, menu, date); accepted and left out of the framework.
SITE_FIELDS = ("path", "date", "sidebarTitle", "sidebarGroup", "yaml", "homepage", "layout", "permalink")
TOPIC_FIELDS = ("name", "title", "description", "content")
CONTENT_FIELDS = ("level", "criteria", "examples")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _describe(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return f"the text '{value[:40]}'"
    return {type(None): "nothing", list: "a list", dict: "a mapping"}.get(type(value), f"the number {value}")


class _Ladder:
    """Reads one ladder's front matter into a document, noting each problem at its line and column."""

    def __init__(self, marks, offset):
        self.marks = marks  # path tuple -> (line, column) in the front matter
        self.offset = offset  # lines before the front matter's first line
        self.errors = []
        self.origin = {}  # document path -> front matter path, to place the checker's reports

    def where(self, path) -> str:
        while path and path not in self.marks:
            path = path[:-1]
        line, column = self.marks.get(path, (0, 0))
        return f"line {line + self.offset}, column {column}"

    def error(self, path, message):
        label = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".")
        self.errors.append(f"{self.where(path)} ({label or 'front matter'}): {message}")

    def fields(self, value, path, allowed, required, what, ignored=()):
        if not isinstance(value, dict):
            self.error(path, f"expected {what}, got {_describe(value)}")
            return False
        for field in value:
            if field not in allowed and field not in ignored:
                match = difflib.get_close_matches(str(field), allowed, n=1, cutoff=0.6)
                hint = f"; did you mean '{match[0]}'?" if match else f" (the fields here are: {', '.join(allowed)})"
                self.error((*path, field), f"unknown field{hint}")
        for field in required:
            if field not in value:
                self.error((*path, field) if path else (field,), "missing")
        return True

    def texts(self, value, path, what) -> list[str]:
        """A text, or a list of texts, as a list of texts (criteria and examples come either way)."""
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list):
            self.error(path, f"expected {what} as a list of texts, got {_describe(value)}")
            return []
        texts = []
        for index, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                self.error((*path, index) if items is value else path, f"expected a text, got {_describe(item)}")
            else:
                texts.append(clean_text(item))
        return texts

    def levels(self, value):
        """[(key, name)] from `levels: 4` (Level 1 to Level 4) or a list of level names."""
        path = ("levels",)
        if isinstance(value, int) and not isinstance(value, bool):
            if not 1 <= value <= 50:
                self.error(path, f"must be a number of levels from 1 to 50, not {value}")
                return []
            return [(f"level-{number}", f"Level {number}") for number in range(1, value + 1)]
        if not isinstance(value, list) or not value:
            self.error(path, f"expected the number of levels, or a list of their names, got {_describe(value)}")
            return []
        levels, seen = [], {}
        for index, name in enumerate(value):
            key = _slug(name) if isinstance(name, str) else ""
            if not key:
                self.error((*path, index), f"expected a level name, got {_describe(name)}")
            elif key in seen:
                self.error((*path, index), f"'{name}' is given twice (also level {seen[key]})")
            else:
                seen[key] = index + 1
            levels.append((key[:KEY_MAX_LENGTH].strip("-"), name.strip() if isinstance(name, str) else ""))
        return levels

    def topic(self, entry, index, seen, levels):
        """(capability, {level number: expectation}) for one topic, or None when it cannot be read."""
        path = ("topics", index)
        if not self.fields(
            entry, path, TOPIC_FIELDS, ("name", "title", "content"), "a mapping with name, title and content"
        ):
            return None
        name = entry.get("name")
        key = _slug(name).replace("_", "-") if isinstance(name, str) else ""
        if not isinstance(name, str) or not KEY_PATTERN.fullmatch(key) or len(key) > KEY_MAX_LENGTH:
            if "name" in entry:
                self.error((*path, "name"), f"expected a short name such as 'technical_skills', got {_describe(name)}")
            key = None
        elif key in seen:
            self.error((*path, "name"), f"duplicate topic '{name}' (also topic {seen[key] + 1})")
        else:
            seen[key] = index
        title = entry.get("title")
        if "title" in entry and (not isinstance(title, str) or not title.strip()):
            self.error((*path, "title"), f"expected the topic's title as text, got {_describe(title)}")
        description = entry.get("description", "")
        if not isinstance(description, str):
            self.error((*path, "description"), f"expected text, got {_describe(description)}")
        capability = {"key": key, "name": clean_text(title) if isinstance(title, str) else ""}
        if isinstance(description, str) and description.strip():
            capability["description"] = clean_text(description)
        if "content" not in entry:
            return capability, {}  # reported as missing
        return capability, self.content(entry["content"], path, len(levels))

    def content(self, value, path, level_count):
        """{level number: expectation} from a topic's content list."""
        path = (*path, "content")
        if not isinstance(value, list) or not value:
            self.error(path, f"expected a list of levels with their criteria, got {_describe(value)}")
            return {}
        expectations = {}
        for index, item in enumerate(value):
            at = (*path, index)
            if not self.fields(item, at, CONTENT_FIELDS, ("level", "criteria"), "a mapping with level and criteria"):
                continue
            number = item.get("level")
            if "level" not in item:
                continue
            # With no usable `levels` (reported there), only the number's form is checked.
            top = level_count or number if isinstance(number, int) else level_count
            if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= max(top, 1):
                self.error((*at, "level"), f"expected a level number from 1 to {level_count}, got {_describe(number)}")
                continue
            if number in expectations:
                self.error((*at, "level"), f"level {number} is given twice in this topic")
                continue
            criteria = self.texts(item.get("criteria"), (*at, "criteria"), "criteria") if "criteria" in item else []
            if not criteria:
                if item.get("criteria") == []:
                    self.error((*at, "criteria"), "must not be empty: give at least one criterion")
                continue
            examples = self.texts(item["examples"], (*at, "examples"), "examples") if "examples" in item else []
            expectations[number] = ({"description": "\n".join(criteria), "examples": examples}, at)
        return expectations

    def document(self, data, key):
        """The `pathway-framework/1` document this ladder describes."""
        # A missing title is reported by the checker, at `title`.
        self.fields(data, (), TOP_FIELDS, ("levels", "topics"), "front matter fields", ignored=SITE_FIELDS)
        levels = self.levels(data["levels"]) if "levels" in data else []
        topics = data.get("topics")
        if "topics" in data and (not isinstance(topics, list) or not topics):
            self.error(("topics",), f"expected a list of topics, got {_describe(topics)}")
            topics = []
        capabilities, by_level, seen = [], {}, {}
        for index, entry in enumerate(topics or []):
            read = self.topic(entry, index, seen, levels)
            if read is None:
                continue
            capability, content = read
            if capability["key"] is None:
                continue
            self.origin[f"areas[0].capabilities[{len(capabilities)}]"] = ("topics", index)
            capabilities.append(capability)
            for number, (expectation, at) in content.items():
                by_level.setdefault(number, {})[capability["key"]] = expectation
                self.origin[f"tracks[0].levels[{number - 1}].expectations.{capability['key']}"] = at
        title = data.get("title")
        document = {"format": FORMAT, "key": data.get("key", key), "scale": CRITERIA}
        for field in ("title", "version", "description", "source"):
            if field in data:
                document["name" if field == "title" else field] = data[field]
        document["areas"] = [{"key": "topics", "name": "Topics", "capabilities": capabilities}]
        document["tracks"] = [
            {
                "key": "ladder",
                "name": title if isinstance(title, str) and title.strip() else "Ladder",
                "levels": [
                    {"key": level_key, "name": name, "grade": grade, "expectations": by_level.get(grade, {})}
                    for grade, (level_key, name) in enumerate(levels, start=1)
                ],
            }
        ]
        for field in ("key", "name", "version", "description", "source"):
            self.origin[field] = ("title",) if field == "name" else (field,)
        for index in range(len(levels)):
            self.origin[f"tracks[0].levels[{index}]"] = ("levels", index)
        return document

    def locations(self) -> dict[str, str]:
        """{document path: "line L, column C (front matter field)"}, for the format registry's reports."""
        located = {}
        for path, origin in self.origin.items():
            label = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in origin).lstrip(".")
            located[path] = f"{self.where(origin)} ({label})"
        return located

    def placed(self, checker_error: str) -> str:
        """A checker report ("tracks[0].levels[1].expectations.x: ...") at the front matter's line instead."""
        path, _, message = checker_error.partition(": ")
        for prefix in sorted(self.origin, key=len, reverse=True):
            if path == prefix or path.startswith((f"{prefix}.", f"{prefix}[")):
                rest = path[len(prefix) :].lstrip(".")
                origin = self.origin[prefix]
                label = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in origin).lstrip(".")
                return f"{self.where(origin)} ({label}{'.' + rest if rest else ''}): {message}"
        return checker_error


def _front_matter(text: str) -> tuple[str, str, int]:
    """(front matter, body, number of lines before the front matter) or FrameworkFileError."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise FrameworkFileError(
            "line 1, column 1: a Markdown ladder starts with front matter: a line '---', the YAML fields, another '---'"
        )
    for number, line in enumerate(lines[1:], start=1):
        if FENCE.match(line):
            return "\n".join(lines[1:number]), "\n".join(lines[number + 1 :]), 1
    raise FrameworkFileError(
        f"line {len(lines)}, column 1: the front matter that starts on line 1 has no closing '---' line"
    )


def _marks(node, path=()):
    """{path tuple: (line, column)} of every value in a composed YAML node (lines from 1 within the front matter)."""
    marks = {path: (node.start_mark.line + 1, node.start_mark.column + 1)}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            marks.update(_marks(value_node, (*path, key)))
            marks[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            marks.update(_marks(item, (*path, index)))
    return marks


def _load(front: str, offset: int):
    loader = _StrictLoader(front)
    try:
        node = loader.get_single_node()
        if node is None:
            raise FrameworkFileError(f"line {offset + 1}, column 1: the front matter is empty")
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1 + offset}, column {mark.column + 1}" if mark else "front matter"
        raise FrameworkFileError(f"{where}: YAML syntax error: {exc.problem or exc.context}") from None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        raise FrameworkFileError(f"front matter: is not valid YAML ({exc})") from None
    finally:
        loader.dispose()
    duplicates = [re.sub(r"line (\d+)", lambda m: f"line {int(m[1]) + offset}", d) for d in loader.duplicates]
    return data, _marks(node), duplicates


def read_markdown_ladder(content: bytes | str, filename: str = "") -> tuple[dict, "_Ladder"]:
    """The `pathway-framework/1` document a Markdown ladder describes, not yet checked, and its reader."""
    raw = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    if len(raw) > MAX_FILE_BYTES:
        raise FrameworkFileError(f"file: is {len(raw):,} bytes; the largest accepted is {MAX_FILE_BYTES:,} bytes")
    try:
        text = raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        raise FrameworkFileError(f"file: is not UTF-8 text (the byte at position {exc.start} is not)") from None
    front, body, offset = _front_matter(text)
    data, marks, errors = _load(front, offset)
    unstorable = list(_unstorable_text([data, body], "file"))
    if unstorable:
        raise FrameworkFileError(unstorable)
    ladder = _Ladder(marks, offset)
    if not isinstance(data, dict):
        raise FrameworkFileError(f"line {offset + 1}, column 1: expected front matter fields, got {_describe(data)}")
    stem = _slug(PurePath(filename).stem) if filename else ""
    document = ladder.document(data, stem or None)
    if "description" not in data and body.strip():
        document["description"] = body
    ladder.errors = errors + ladder.errors
    return document, ladder


def _problems(document: dict, ladder: _Ladder) -> tuple[dict | None, list[str]]:
    """The checked spec and every problem: the ladder's own, then the checker's at their front matter lines."""
    if document["key"] is None:
        ladder.errors.append("key: missing; give the front matter a `key`, or name the file after the ladder")
        document["key"] = "ladder"
    spec, errors = check_document(document)
    return spec, ladder.errors + [ladder.placed(error) for error in errors]


def parse_markdown_ladder(content: bytes | str, filename: str = "") -> dict:
    """Read and check a Markdown ladder; return the spec an import writes, or raise FrameworkFileError."""
    spec, errors = _problems(*read_markdown_ladder(content, filename))
    if errors:
        raise FrameworkFileError(errors)
    return spec


def _read(content: bytes, filename: str, options: dict) -> Reading:
    document, ladder = read_markdown_ladder(content, filename)
    if document["key"] is None and options.get("key"):
        document["key"] = options["key"]
    if ladder.errors or document["key"] is None:
        # Report the checker's problems with the reader's, all at once; otherwise the registry checks it.
        raise FrameworkFileError(_problems(document, ladder)[1])
    return Reading([document], locations=[ladder.locations()])


def _looks_like_ladder(content: bytes, filename: str) -> bool:
    if filename.lower().endswith((".md", ".markdown")):
        return True
    head = content[:4000].lstrip(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")
    return head.startswith(b"---\n") and b"\ntopics:" in head and b"pathway-framework/1" not in head


register(
    Format(
        name="markdown-ladder",
        label="Markdown ladder (YAML front matter with levels and topics)",
        extensions=(".md", ".markdown"),
        detect=_looks_like_ladder,
        read=_read,
    )
)
