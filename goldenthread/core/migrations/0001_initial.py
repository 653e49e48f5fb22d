"""The core app takes over its models from the old ``store`` app, in Django's state only.

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
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables already exist (made by the store app's 0001-0005); only Django's idea of
            # which app owns the model changes. No table is created, altered or dropped.
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Area',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120, unique=True)),
                    ],
                    options={
                        'db_table': 'store_area',
                        'ordering': ['name'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='Service',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120, unique=True)),
                        ('provider', models.CharField(blank=True, help_text='The organisation that runs it, if known.', max_length=120)),
                    ],
                    options={
                        'db_table': 'store_service',
                        'ordering': ['name'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='UserGroup',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120, unique=True)),
                    ],
                    options={
                        'db_table': 'store_usergroup',
                        'ordering': ['name'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='StaffProfile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('services', models.ManyToManyField(blank=True, related_name='managers', to='core.service')),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='staff_profile', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'store_staffprofile',
                    },
                ),
            ],
        ),
    ]
