"""frameworks/reading.py: levels' expectations read in one statement, each capability, area and scale level built
once, the same as the ORM's own join would give them."""

from frameworks.models import Expectation
from frameworks.reading import read_expectations
from tests.factories import make_framework


def _described(expectation):
    capability = expectation.capability
    return (
        expectation.pk,
        expectation.level_id,
        expectation.description,
        expectation.examples,
        (capability.pk, capability.key, capability.name, capability.position, capability.framework_id),
        (capability.area.pk, capability.area.name, capability.area.position),
        (expectation.scale_level.pk, expectation.scale_level.name, expectation.scale_level.rank),
    )


def test_the_same_expectations_as_the_orm_in_the_framework_order_with_each_capability_built_once(
    db, django_assert_num_queries
):
    framework = make_framework(key="reading", areas=2, capabilities_per_area=3)
    levels = list(framework.levels.order_by("pk")[:3])
    first = Expectation.objects.filter(level=levels[0]).order_by("pk").first()
    Expectation.objects.filter(pk=first.pk).update(examples=["Ran a pricing test", "Wrote the brief"])
    orm = list(
        Expectation.objects.filter(level__in=levels)
        .select_related("capability__area", "scale_level")
        .in_framework_order()
    )

    with django_assert_num_queries(1):
        read = read_expectations([level.pk for level in levels])

    assert [_described(expectation) for expectation in read] == [_described(expectation) for expectation in orm]
    assert ["Ran a pricing test", "Wrote the brief"] in [expectation.examples for expectation in read]
    by_capability = {}
    for expectation in read:
        assert by_capability.setdefault(expectation.capability_id, expectation.capability) is expectation.capability
    assert len({id(expectation.capability.area) for expectation in read}) == 2


def test_without_scale_levels_and_without_levels(db, django_assert_num_queries):
    framework = make_framework(key="reading-2")
    level = framework.levels.first()
    read = read_expectations([level.pk], with_scale_levels=False)
    assert read and all("scale_level" not in expectation._state.fields_cache for expectation in read)
    assert [expectation.scale_level_id for expectation in read] == list(
        Expectation.objects.filter(level=level).in_framework_order().values_list("scale_level_id", flat=True)
    )
    with django_assert_num_queries(0):
        assert read_expectations([]) == []
