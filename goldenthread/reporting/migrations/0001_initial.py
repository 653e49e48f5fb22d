"""The reporting app takes over its models from the old ``store`` app, in Django's state only.

The tables keep their names (``db_table = "store_..."``), so an existing database upgrades
with no data copied. See docs/architecture.md, *Migrations*.
"""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('store', '0005_workshop_undo'),
        ('reviews', '0001_initial'),
        ('workshops', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables already exist (made by the store app's 0001-0005); only Django's idea of
            # which app owns the model changes. No table is created, altered or dropped.
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ExportRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('output', models.CharField(help_text='full, easy_read, wall_sheets or data.', max_length=20)),
                        ('file_format', models.CharField(max_length=8)),
                        ('shared', models.BooleanField(default=True, help_text='Small counts hidden, fit to share beyond the team.')),
                        ('threshold', models.PositiveSmallIntegerField(default=5)),
                        ('made_by_name', models.CharField(help_text='Kept even if the account is later removed.', max_length=150)),
                        ('made_at', models.DateTimeField(auto_now_add=True)),
                        ('via', models.CharField(choices=[('web', 'Web app'), ('cli', 'Command line')], default='web', max_length=4)),
                        ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='exports', to='reviews.programmecycle')),
                        ('made_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('workshop', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='workshops.workshop')),
                    ],
                    options={
                        'db_table': 'store_exportrecord',
                        'ordering': ['-made_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='ThemeMatch',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('score', models.FloatField(default=0, help_text='How alike the engine found the two themes, 0 to 1.')),
                        ('status', models.CharField(choices=[('suggested', 'Suggested, not checked yet'), ('confirmed', 'Confirmed'), ('rejected', 'Not the same theme')], default='suggested', max_length=12)),
                        ('confirmed_at', models.DateTimeField(blank=True, null=True)),
                        ('suggested_at', models.DateTimeField(auto_now_add=True)),
                        ('cluster', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='earlier_matches', to='workshops.cluster')),
                        ('confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('previous_cluster', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='later_matches', to='workshops.cluster')),
                    ],
                    options={
                        'db_table': 'store_themematch',
                        'ordering': ['-score', 'id'],
                        'constraints': [models.UniqueConstraint(fields=('previous_cluster', 'cluster'), name='theme_match_once')],
                    },
                ),
            ],
        ),
    ]
