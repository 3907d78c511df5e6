from django.db import migrations

from portal.roles import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0001_initial"),
        ("portal", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
