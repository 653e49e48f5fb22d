"""The workshops app takes over its models from the old ``store`` app, in Django's state only.

The tables keep their names (``db_table = "store_..."``), so an existing database upgrades
with no data copied. See docs/architecture.md, *Migrations*.
"""
import django.db.models.deletion
import goldenthread.workshops.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('store', '0005_workshop_undo'),
        ('reviews', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables already exist (made by the store app's 0001-0005); only Django's idea of
            # which app owns the model changes. No table is created, altered or dropped.
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Board',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('working', 'Working'), ('not_working', 'Not working'), ('future', 'Important for the future'), ('important_now', 'Important now')], max_length=16)),
                        ('name', models.CharField(max_length=80)),
                        ('is_main', models.BooleanField(default=False)),
                    ],
                    options={
                        'db_table': 'store_board',
                        'ordering': ['-is_main', 'kind', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='Cluster',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(blank=True, max_length=200)),
                        ('position', models.PositiveIntegerField(default=0)),
                        ('what_works', models.TextField(blank=True, help_text='What makes this work, and how could it spread?')),
                        ('stories', models.TextField(blank=True, help_text='Success stories.')),
                        ('board', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='clusters', to='workshops.board')),
                    ],
                    options={
                        'db_table': 'store_cluster',
                        'ordering': ['position', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='RootCause',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.CharField(max_length=300)),
                        ('depth', models.PositiveSmallIntegerField(default=1)),
                        ('cluster', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='root_causes', to='workshops.cluster')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='children', to='workshops.rootcause')),
                    ],
                    options={
                        'db_table': 'store_rootcause',
                        'ordering': ['id'],
                    },
                ),
                migrations.CreateModel(
                    name='SuccessStatement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('perspective', models.CharField(choices=[('people', 'People who use services and families'), ('staff', 'Staff and managers'), ('commissioners', 'Commissioners')], max_length=16)),
                        ('text', models.CharField(max_length=300)),
                        ('cluster', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='success', to='workshops.cluster')),
                    ],
                    options={
                        'db_table': 'store_successstatement',
                        'ordering': ['perspective', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='Workshop',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200)),
                        ('code', models.CharField(default=goldenthread.workshops.models.new_code, editable=False, max_length=8, unique=True)),
                        ('cards_used', models.CharField(choices=[('all', 'All statements'), ('top1', "Each review's 1st choice for each kind"), ('top2', "Each review's 1st and 2nd choices for each kind")], default='all', max_length=8)),
                        ('stage', models.CharField(choices=[('join', 'Joining'), ('card_call', 'Card call'), ('boards', 'Clustering on boards'), ('naming', 'Naming themes'), ('analysis', 'Analysis and voting'), ('actions', 'Action plans'), ('sharing', 'Sharing plan')], default='join', max_length=16)),
                        ('timer_ends_at', models.DateTimeField(blank=True, null=True)),
                        ('vote_budget', models.PositiveSmallIntegerField(default=5, help_text='How many dots each person has.')),
                        ('vote_cap', models.PositiveSmallIntegerField(default=2, help_text='The most dots one person can put on one theme.')),
                        ('votes_revealed', models.BooleanField(default=False)),
                        ('version', models.PositiveIntegerField(default=0, help_text='Goes up by one with every change.')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='workshops', to='reviews.programmecycle')),
                    ],
                    options={
                        'db_table': 'store_workshop',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='ShareItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('audience', models.CharField(max_length=200, verbose_name='who needs to know')),
                        ('what', models.CharField(max_length=300, verbose_name='what they need to know')),
                        ('how', models.CharField(max_length=200, verbose_name='how we will tell them')),
                        ('due', models.DateField(verbose_name='by when')),
                        ('easy_read', models.BooleanField(default=False, verbose_name='easy-read version')),
                        ('status', models.CharField(choices=[('not_started', 'Not started'), ('underway', 'Under way'), ('done', 'Done')], default='not_started', max_length=16)),
                        ('workshop', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sharing', to='workshops.workshop')),
                    ],
                    options={
                        'db_table': 'store_shareitem',
                        'ordering': ['due', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='Delegate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(help_text='A first name or nickname. Everyone in the room will see it.', max_length=60)),
                        ('group', models.CharField(choices=[('person', 'Person who uses services'), ('family', 'Family or carer'), ('provider', 'Provider'), ('commissioner', 'Commissioner'), ('other', 'Other')], max_length=16)),
                        ('has_device', models.BooleanField(default=True)),
                        ('joined_at', models.DateTimeField(auto_now_add=True)),
                        ('workshop', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='delegates', to='workshops.workshop')),
                    ],
                    options={
                        'db_table': 'store_delegate',
                        'ordering': ['joined_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='Change',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('op', models.CharField(max_length=32)),
                        ('summary', models.CharField(max_length=400)),
                        ('by', models.CharField(max_length=150)),
                        ('made_at', models.DateTimeField(auto_now_add=True)),
                        ('before', models.JSONField(blank=True, default=dict)),
                        ('after', models.JSONField(blank=True, default=dict)),
                        ('undone', models.BooleanField(default=False)),
                        ('board', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='workshops.board')),
                        ('workshop', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='changes', to='workshops.workshop')),
                    ],
                    options={
                        'db_table': 'store_change',
                        'ordering': ['-id'],
                    },
                ),
                migrations.AddField(
                    model_name='board',
                    name='workshop',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='boards', to='workshops.workshop'),
                ),
                migrations.CreateModel(
                    name='Action',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('stakeholder', models.CharField(choices=[('providers', 'Providers'), ('community', 'People who use services and community groups'), ('commissioners', 'Commissioners')], max_length=16)),
                        ('text', models.CharField(max_length=300, verbose_name='what will be done')),
                        ('owner', models.CharField(max_length=120, verbose_name='who will do it')),
                        ('measure', models.CharField(max_length=300, verbose_name='how we will know it worked')),
                        ('due', models.DateField(verbose_name='by when')),
                        ('status', models.CharField(choices=[('not_started', 'Not started'), ('underway', 'Under way'), ('done', 'Done')], default='not_started', max_length=16)),
                        ('themes', models.ManyToManyField(related_name='actions', to='workshops.cluster')),
                        ('root_causes', models.ManyToManyField(blank=True, related_name='actions', to='workshops.rootcause')),
                        ('workshop', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='workshops.workshop')),
                    ],
                    options={
                        'db_table': 'store_action',
                        'ordering': ['stakeholder', 'due', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='WorkshopCard',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('working', 'Working'), ('not_working', 'Not working'), ('future', 'Important for the future'), ('important_now', 'Important now')], max_length=16)),
                        ('order', models.PositiveIntegerField()),
                        ('statement', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reviews.statement')),
                        ('workshop', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='cards', to='workshops.workshop')),
                    ],
                    options={
                        'db_table': 'store_workshopcard',
                        'ordering': ['order'],
                    },
                ),
                migrations.CreateModel(
                    name='Placement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveIntegerField(default=0)),
                        ('disputed', models.BooleanField(default=False, help_text='Pre-cluster boards put this card in different places.')),
                        ('board', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='placements', to='workshops.board')),
                        ('cluster', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='placements', to='workshops.cluster')),
                        ('card', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='placements', to='workshops.workshopcard')),
                    ],
                    options={
                        'db_table': 'store_placement',
                        'ordering': ['position', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='Decision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(choices=[('join', 'Joined a cluster'), ('new', 'Started a new cluster')], max_length=8)),
                        ('by', models.CharField(max_length=150)),
                        ('made_at', models.DateTimeField(auto_now_add=True)),
                        ('undone', models.BooleanField(default=False)),
                        ('cluster', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='workshops.cluster')),
                        ('workshop', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='decisions', to='workshops.workshop')),
                        ('card', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='workshops.workshopcard')),
                    ],
                    options={
                        'db_table': 'store_decision',
                        'ordering': ['-id'],
                    },
                ),
                migrations.CreateModel(
                    name='Vote',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('dots', models.PositiveSmallIntegerField()),
                        ('cluster', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='votes', to='workshops.cluster')),
                        ('delegate', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='votes', to='workshops.delegate')),
                    ],
                    options={
                        'db_table': 'store_vote',
                        'constraints': [models.UniqueConstraint(fields=('cluster', 'delegate'), name='one_vote_row_per_theme')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='board',
                    constraint=models.UniqueConstraint(condition=models.Q(('is_main', True)), fields=('workshop', 'kind'), name='one_main_board_per_kind'),
                ),
                migrations.AddConstraint(
                    model_name='workshopcard',
                    constraint=models.UniqueConstraint(fields=('workshop', 'statement'), name='card_once_per_workshop'),
                ),
                migrations.AddConstraint(
                    model_name='placement',
                    constraint=models.UniqueConstraint(fields=('board', 'card'), name='card_once_per_board'),
                ),
            ],
        ),
    ]
