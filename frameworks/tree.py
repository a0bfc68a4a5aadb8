"""A framework version's tree (scale, areas and capabilities, tracks and levels, expectations) as plain data.

The one place that reads a whole tree out of the database and writes one into a draft: the file import
writes the spec it parsed, and "New version" reads the version it copies and writes that into the new
draft. The data is the spec `frameworks.fileformat.parse_framework_file` returns (docs/framework-format.md):
the framework's own fields, then `scale`, `areas` (each with its `capabilities`) and `tracks` (each with
its `levels`, each level with its `expectations`, a mapping of capability key to
{"level": scale key, "description": ..., "examples": [...]}), and `scale_kind` ("mastery", or "criteria" for a
framework rated on each level's criteria). Lists are in order. Scale keys, area keys, track keys and
capability keys are unique in the version; a level key is unique on its track, so a level is found by
its track's key and its own.

An entry may also carry its stored order number (`rank` on a scale step, `position` elsewhere); without
one, the order of the list numbers the rows (ranks from 1, positions from 0). `read_tree(numbered=True)`
adds them, so that a copy keeps exactly the numbers the version had.
"""

from django.db.models import Prefetch

from frameworks.models import Capability, CapabilityArea, Expectation, Framework, Level, ScaleLevel, Track


def framework_fields(spec: dict) -> dict:
    """The Framework model fields the spec sets (everything but key and version)."""
    readiness = spec["readiness"]
    return {
        "name": spec["name"],
        "description": spec["description"],
        "source": spec["source"],
        "licence": spec["licence"],
        "scale_kind": spec["scale_kind"],
        "readiness_target_share": readiness["target_share"],
        "readiness_max_steps_below": readiness["max_steps_below"],
        "readiness_requires_current_level": readiness["current_level_met"],
    }


# Reading -------------------------------------------------------------------------------------------


def read_tree(framework: Framework, *, text=str, numbered: bool = False) -> dict:
    """The spec of a stored version, in six queries whatever its size.

    `text` is applied to every text field (the exporter passes its cleaner; by default the text is kept
    as stored); with `numbered`, each entry also carries its stored rank or position.
    """
    areas = list(
        framework.areas.order_by("position", "pk").prefetch_related(
            Prefetch("capabilities", queryset=Capability.objects.order_by("position", "pk"))
        )
    )
    tracks = list(
        framework.tracks.order_by("position", "pk").prefetch_related(
            Prefetch("levels", queryset=Level.objects.order_by("position", "pk"))
        )
    )
    reader = _Reader(text, numbered)
    capabilities = [capability for area in areas for capability in area.capabilities.all()]
    expectations = reader.expectations(framework, capabilities)
    return {
        "key": framework.key,
        "name": text(framework.name),
        "version": framework.version,
        "description": text(framework.description),
        "source": text(framework.source),
        "licence": text(framework.licence),
        "scale_kind": framework.scale_kind,
        "readiness": {
            "target_share": framework.readiness_target_share,
            "max_steps_below": framework.readiness_max_steps_below,
            "current_level_met": framework.readiness_requires_current_level,
        },
        "scale": [reader.step(step) for step in framework.scale_levels.order_by("rank")],
        "areas": [reader.area(area) for area in areas],
        "tracks": [reader.track(track, expectations) for track in tracks],
    }


class _Reader:
    """Turns loaded rows into spec entries."""

    def __init__(self, text, numbered):
        self.text = text
        self.numbered = numbered

    def entry(self, row, *, number_field="position", **fields):
        entry = {"key": row.key, **fields}
        if self.numbered:
            entry[number_field] = getattr(row, number_field)
        return entry

    def step(self, step):
        text = self.text
        return self.entry(step, number_field="rank", name=text(step.name), description=text(step.description))

    def area(self, area):
        text = self.text
        capabilities = [
            self.entry(
                capability,
                name=text(capability.name),
                short_name=text(capability.short_name),
                description=text(capability.description),
            )
            for capability in area.capabilities.all()
        ]
        return self.entry(area, name=text(area.name), description=text(area.description), capabilities=capabilities)

    def track(self, track, expectations):
        text = self.text
        levels = [
            self.entry(
                level,
                name=text(level.name),
                grade=level.grade,
                stage=text(level.stage),
                summary=text(level.summary),
                expectations=expectations.get(level.pk, {}),
            )
            for level in track.levels.all()
        ]
        return self.entry(
            track, name=text(track.name), kind=track.kind, description=text(track.description), levels=levels
        )

    def expectations(self, framework, capabilities):
        """{level pk: {capability key: {"level": scale key, "description": ...}}}, capabilities in framework order."""
        order = {capability.pk: index for index, capability in enumerate(capabilities)}
        rows = Expectation.objects.filter(level__framework=framework).select_related("capability", "scale_level")
        by_level = {}
        for expectation in sorted(rows, key=lambda row: order.get(row.capability_id, len(order))):
            by_level.setdefault(expectation.level_id, {})[expectation.capability.key] = {
                "level": expectation.scale_level.key,
                "description": self.text(expectation.description),
                "examples": [self.text(example) for example in expectation.examples],
            }
        return by_level


# Writing -------------------------------------------------------------------------------------------


def write_tree(framework: Framework, spec: dict) -> None:
    """Write the spec's scale, areas, tracks and expectations into `framework`, a draft with none yet.

    One bulk insert per kind of row (Django splits one only when the database limits a statement's size),
    plus at most five reads of the new ids, whatever the size. Run it in the transaction that created or
    emptied the draft: bulk_create skips FrameworkPart.save's lock check, and writes no history rows.
    """
    scale_ids = _insert(
        ScaleLevel,
        [
            ScaleLevel(
                framework=framework,
                key=step["key"],
                name=step["name"],
                description=step["description"],
                rank=step.get("rank", rank),
            )
            for rank, step in enumerate(spec["scale"], start=1)
        ],
        framework,
    )
    capability_ids = _write_capabilities(framework, spec["areas"])
    level_ids = _write_levels(framework, spec["tracks"])
    Expectation.objects.bulk_create(
        Expectation(
            level_id=level_ids[track["key"], level["key"]],
            capability_id=capability_ids[capability],
            scale_level_id=scale_ids[expectation["level"]],
            description=expectation["description"],
            examples=list(expectation["examples"]),
        )
        for track in spec["tracks"]
        for level in track["levels"]
        for capability, expectation in level["expectations"].items()
    )


def _write_capabilities(framework, areas):
    """Write the areas and their capabilities; return {capability key: pk}."""
    area_ids = _insert(
        CapabilityArea,
        [
            CapabilityArea(
                framework=framework,
                key=area["key"],
                name=area["name"],
                description=area["description"],
                position=area.get("position", position),
            )
            for position, area in enumerate(areas)
        ],
        framework,
    )
    return _insert(
        Capability,
        [
            Capability(
                framework=framework,
                area_id=area_ids[area["key"]],
                key=capability["key"],
                name=capability["name"],
                short_name=capability["short_name"],
                description=capability["description"],
                position=capability.get("position", position),
            )
            for area in areas
            for position, capability in enumerate(area["capabilities"])
        ],
        framework,
    )


def _write_levels(framework, tracks):
    """Write the tracks and their levels; return {(track key, level key): level pk}."""
    track_ids = _insert(
        Track,
        [
            Track(
                framework=framework,
                key=track["key"],
                name=track["name"],
                kind=track["kind"],
                description=track["description"],
                position=track.get("position", position),
            )
            for position, track in enumerate(tracks)
        ],
        framework,
    )
    track_keys = {pk: key for key, pk in track_ids.items()}
    levels = _insert(
        Level,
        [
            Level(
                framework=framework,
                track_id=track_ids[track["key"]],
                key=level["key"],
                name=level["name"],
                grade=level["grade"],
                stage=level["stage"],
                summary=level["summary"],
                position=level.get("position", position),
            )
            for track in tracks
            for position, level in enumerate(track["levels"])
        ],
        framework,
        key=lambda level: (level.track_id, level.key),
    )
    return {(track_keys[track_id], key): pk for (track_id, key), pk in levels.items()}


def _insert(model, rows, framework, key=lambda row: row.key):
    """bulk_create the rows; return {key(row): pk}, read back when the database does not return new ids."""
    created = model.objects.bulk_create(rows)
    if any(row.pk is None for row in created):
        created = model.objects.filter(framework=framework)
    return {key(row): row.pk for row in created}


def clear_tree(framework: Framework) -> None:
    """Delete every row of a draft's tree, leaving the Framework row (its history is recorded row by row)."""
    Expectation.objects.filter(level__framework=framework).delete()
    Level.objects.filter(framework=framework).delete()
    Track.objects.filter(framework=framework).delete()
    Capability.objects.filter(framework=framework).delete()
    CapabilityArea.objects.filter(framework=framework).delete()
    ScaleLevel.objects.filter(framework=framework).delete()
