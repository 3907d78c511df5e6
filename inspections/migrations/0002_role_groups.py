from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0001_initial"),
        ("portal", "0002_role_groups"),
    ]

    # Role groups used to be granted here; portal.roles.sync_role_groups now keeps them in
    # step after every migrate (post_migrate), so this migration is kept only as a node.
    operations = []
