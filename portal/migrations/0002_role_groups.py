from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("courtyards", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # Role groups used to be granted here; portal.roles.sync_role_groups now keeps them in
    # step after every migrate (post_migrate), so this migration is kept only as a node.
    operations = []
