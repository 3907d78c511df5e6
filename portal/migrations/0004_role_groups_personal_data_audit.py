from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_personal_data_access")]

    # Role groups used to be granted here; portal.roles.sync_role_groups now keeps them in
    # step after every migrate (post_migrate), so this migration is kept only as a node.
    operations = []
