from django.db import migrations


def create_hr_admins_group(apps, schema_editor):
    # Permissions are attached after every migrate (accounts.roles.sync_hr_admin_permissions),
    # because on a fresh database they do not exist yet while migrations run.
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name="HR admins")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_hr_admins_group, migrations.RunPython.noop)]
