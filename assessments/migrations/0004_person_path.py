"""Person.path: the materialised reporting line, filled in for everyone already there."""

from django.db import migrations, models


def fill_paths(apps, schema_editor):
    Person = apps.get_model("assessments", "Person")
    manager_of = dict(Person.objects.order_by().values_list("pk", "manager_id"))

    def path_of(pk):
        chain, seen, current = [], set(), pk
        while current is not None and current not in seen:  # never loop forever on a bad row
            chain.append(current)
            seen.add(current)
            current = manager_of.get(current)
        return "/" + "".join(f"{step}/" for step in reversed(chain))

    people = list(Person.objects.order_by().only("pk"))
    for person in people:
        person.path = path_of(person.pk)
    Person.objects.bulk_update(people, ["path"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_agreed_ratings"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="path",
            field=models.CharField(db_index=True, default="", editable=False, max_length=2000),
        ),
        migrations.RunPython(fill_paths, migrations.RunPython.noop),
    ]
