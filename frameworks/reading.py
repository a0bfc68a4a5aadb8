"""Levels' expectations read for a page, with each capability, its area and its scale level built once.

A join through the ORM (`select_related`) builds the capability, its area and the scale level again for every
expectation that names them, and the levels a page reads share their framework's capabilities: My pathway's next
steps (three levels) built 204 objects for 51 expectations, which took Django longer than PostgreSQL took to
answer (the query 4.6 ms, its bare values 2 ms, at 20,000 people). Here one statement's rows become each object
once, shared by the expectations that name it, set as `select_related` would have set them.
"""

from django.db import connection

from frameworks.models import Capability, CapabilityArea, Expectation, ScaleLevel

_AREA = Capability._meta.get_field("area")
_CAPABILITY = Expectation._meta.get_field("capability")
_SCALE_LEVEL = Expectation._meta.get_field("scale_level")

# (model, its alias in the statement); the scale level last, as it is optional.
_PARTS = ((Expectation, "expectation"), (Capability, "capability"), (CapabilityArea, "area"), (ScaleLevel, "scale"))


def _statement(parts, count: int) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"{alias}.{quote(field.column)}" for model, alias in parts for field in model._meta.concrete_fields
    )
    scale_join = f"INNER JOIN {quote(ScaleLevel._meta.db_table)} scale ON scale.id = expectation.scale_level_id"
    return f"""
        SELECT {columns}
        FROM {quote(Expectation._meta.db_table)} expectation
        INNER JOIN {quote(Capability._meta.db_table)} capability ON capability.id = expectation.capability_id
        INNER JOIN {quote(CapabilityArea._meta.db_table)} area ON area.id = capability.area_id
        {scale_join if len(parts) == len(_PARTS) else ""}
        WHERE expectation.level_id IN ({", ".join(["%s"] * count)})
        ORDER BY expectation.level_id, area.position, capability.position, expectation.capability_id
    """  # noqa: S608 -- built from table and column names and fixed fragments; every value is a parameter


def _shape(model) -> tuple[list[str], list[tuple]]:
    """(the model's column attributes in order, (position, converter) for those the database hands back raw)."""
    fields = model._meta.concrete_fields
    converters = [(index, field.from_db_value) for index, field in enumerate(fields) if hasattr(field, "from_db_value")]
    return [field.attname for field in fields], converters


_SHAPES = {model: _shape(model) for model, _ in _PARTS}


def _build(model, values, known: dict | None):
    """The model's object for these column values; a related one only once per primary key (in `known`)."""
    if known is not None and values[0] in known:
        return known[values[0]]
    attnames, converters = _SHAPES[model]
    if converters:
        values = list(values)
        for index, convert in converters:
            values[index] = convert(values[index], None, connection)
    built = model.from_db(connection.alias, attnames, values)
    if known is not None:
        known[values[0]] = built
    return built


def read_expectations(level_ids, *, with_scale_levels: bool = True) -> list[Expectation]:
    """The expectations of these levels, level by level in the framework's order (`in_framework_order`), each with
    its capability and the capability's area, and its scale level unless `with_scale_levels` is False (the caller
    attaches it). One query; none for no levels."""
    level_ids = list(level_ids)
    if not level_ids:
        return []
    parts = _PARTS if with_scale_levels else _PARTS[:3]
    widths = [len(model._meta.concrete_fields) for model, _ in parts]
    related: list[dict] = [{} for _ in parts[1:]]  # per related model: pk → the one object
    with connection.cursor() as cursor:
        cursor.execute(_statement(parts, len(level_ids)), level_ids)
        rows = cursor.fetchall()
    expectations = []
    for row in rows:
        objects, start = [], 0
        for index, ((model, _), width) in enumerate(zip(parts, widths, strict=True)):
            objects.append(_build(model, row[start : start + width], related[index - 1] if index else None))
            start += width
        expectation, capability, area, *scale_level = objects
        # Into the relations' caches, as select_related does: the foreign keys hold these objects' keys already, and
        # assigning through the descriptors (checks, then the same keys again) cost more than building the objects.
        _AREA.set_cached_value(capability, area)
        _CAPABILITY.set_cached_value(expectation, capability)
        if scale_level:
            _SCALE_LEVEL.set_cached_value(expectation, scale_level[0])
        expectations.append(expectation)
    return expectations
