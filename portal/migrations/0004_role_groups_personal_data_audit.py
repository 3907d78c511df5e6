from django.db import migrations

from portal.roles import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_personal_data_access")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
