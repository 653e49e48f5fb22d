"""The planning app takes over its models from the old ``store`` app, in Django's state only.

The tables keep their names (``db_table = "store_..."``), so an existing database upgrades
with no data copied. See docs/architecture.md, *Migrations*.
"""
import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('store', '0005_workshop_undo'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables already exist (made by the store app's 0001-0005); only Django's idea of
            # which app owns the model changes. No table is created, altered or dropped.
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='TeamPlan',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('provider', models.CharField(help_text='The organisation whose strategic plan this is for, for example "Acorn Support".', max_length=120)),
                        ('team', models.CharField(help_text='For example "Finance" or "Maple House".', max_length=120, verbose_name='team or group name')),
                        ('group_type', models.CharField(choices=[('team', 'A team in the organisation'), ('family', 'A family group'), ('self_advocacy', 'A self-advocacy group')], default='team', max_length=16, verbose_name='type of group')),
                        ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)])),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'store_teamplan',
                        'ordering': ['provider', '-year', 'team'],
                    },
                ),
                migrations.CreateModel(
                    name='TeamPlanItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('proud', 'Proud of'), ('change', 'Want to change'), ('question', 'Question for the strategic plan'), ('pleased', 'Pleased about'), ('want_changed', 'Want changed')], max_length=16)),
                        ('text', models.TextField()),
                        ('how', models.TextField(blank=True, help_text='How the team will make the change.')),
                        ('position', models.PositiveSmallIntegerField(default=0)),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='planning.teamplan')),
                    ],
                    options={
                        'db_table': 'store_teamplanitem',
                        'ordering': ['plan', 'kind', 'position'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='teamplan',
                    constraint=models.UniqueConstraint(fields=('provider', 'team', 'year'), name='one_plan_per_team_a_year'),
                ),
            ],
        ),
    ]
