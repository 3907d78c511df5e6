"""The community becomes required on allocations, projects and expenditures (filled in by
0005) and the courtyard optional: a record without one is the community's own fund (社区本级).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courtyards", "0001_initial"),
        ("funds", "0005_community_level_funds"),
    ]

    operations = [
        migrations.AlterField(
            model_name="allocation",
            name="community",
            field=models.ForeignKey(
                help_text="Filled in from the courtyard when one is named.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="courtyards.community",
                verbose_name="community",
            ),
        ),
        migrations.AlterField(
            model_name="expenditure",
            name="community",
            field=models.ForeignKey(
                help_text="Filled in from the courtyard when one is named.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="courtyards.community",
                verbose_name="community",
            ),
        ),
        migrations.AlterField(
            model_name="project",
            name="community",
            field=models.ForeignKey(
                help_text="Filled in from the courtyard when one is named.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="courtyards.community",
                verbose_name="community",
            ),
        ),
        migrations.AlterField(
            model_name="allocation",
            name="courtyard",
            field=models.ForeignKey(
                blank=True,
                help_text="Leave empty for the community's own fund (社区本级).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="fund_allocations",
                to="courtyards.courtyard",
                verbose_name="courtyard",
            ),
        ),
        migrations.AlterField(
            model_name="expenditure",
            name="courtyard",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="fund_expenditures",
                to="courtyards.courtyard",
                verbose_name="courtyard",
            ),
        ),
        migrations.AlterField(
            model_name="historicalallocation",
            name="courtyard",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="Leave empty for the community's own fund (社区本级).",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="courtyards.courtyard",
                verbose_name="courtyard",
            ),
        ),
        migrations.AlterField(
            model_name="historicalproject",
            name="courtyard",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="Empty for a project of the community's own fund (社区本级).",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="courtyards.courtyard",
                verbose_name="courtyard",
            ),
        ),
        migrations.AlterField(
            model_name="project",
            name="courtyard",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty for a project of the community's own fund (社区本级).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="fund_projects",
                to="courtyards.courtyard",
                verbose_name="courtyard",
            ),
        ),
        migrations.AddIndex(
            model_name="allocation",
            index=models.Index(fields=["community", "year"], name="funds_alloc_communi_af449b_idx"),
        ),
        migrations.AddIndex(
            model_name="expenditure",
            index=models.Index(fields=["community", "year"], name="funds_expen_communi_074898_idx"),
        ),
        migrations.AddConstraint(
            model_name="allocation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("rate__isnull", True), ("courtyard__isnull", False), _connector="OR"
                ),
                name="allocation_computed_only_for_courtyards",
                violation_error_message="Only a courtyard's allocations are computed from the rate.",
            ),
        ),
        migrations.AddConstraint(
            model_name="expenditure",
            constraint=models.UniqueConstraint(
                condition=models.Q(("courtyard__isnull", True)),
                fields=("community", "year", "voucher_number"),
                name="expenditure_voucher_unique_in_community_fund_and_year",
                violation_error_message="This voucher number is already used in the community's own fund this year.",
            ),
        ),
        migrations.AddConstraint(
            model_name="project",
            constraint=models.UniqueConstraint(
                condition=models.Q(("courtyard__isnull", True)),
                fields=("community", "year", "title"),
                name="project_title_unique_in_community_fund_and_year",
                violation_error_message="The community's own fund already has a project of this title in this year.",
            ),
        ),
    ]
