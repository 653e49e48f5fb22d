"""The reviews app takes over its models from the old ``store`` app, in Django's state only.

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
        ('core', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables already exist (made by the store app's 0001-0005); only Django's idea of
            # which app owns the model changes. No table is created, altered or dropped.
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='OnePageProfile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('person_ref', models.CharField(max_length=64, unique=True, verbose_name='person ID')),
                        ('name', models.CharField(help_text='The name the person likes to be called.', max_length=200, verbose_name='name on the profile')),
                        ('appreciate', models.TextField(help_text='Write each thing on its own line.', verbose_name='What people like and admire about me')),
                        ('important', models.TextField(help_text='Write each thing on its own line.', verbose_name='What is important to me')),
                        ('support', models.TextField(help_text='Write each thing on its own line.', verbose_name='How best to support me')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('service', models.ForeignKey(blank=True, help_text='The service that supports the person. Its managers can see this profile.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='profiles', to='core.service')),
                        ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'store_onepageprofile',
                        'ordering': ['person_ref'],
                    },
                ),
                migrations.CreateModel(
                    name='ProgrammeCycle',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(help_text='For example "Older people, Harford, 2026".', max_length=200)),
                        ('slug', models.SlugField(help_text='Short name used in web addresses and commands.', max_length=80, unique=True)),
                        ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)])),
                        ('purpose', models.TextField(blank=True, help_text='Why this cycle is being run and what it should inform.')),
                        ('scope', models.TextField(blank=True, help_text='Which people, services and areas are included.')),
                        ('people_involved', models.TextField(blank=True, help_text='Who takes part: commissioners, providers, self-advocates, family carers.')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('previous', models.ForeignKey(blank=True, help_text="Last year's cycle, to compare with.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='next_cycles', to='reviews.programmecycle')),
                        ('team', models.ManyToManyField(blank=True, related_name='cycles', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'store_programmecycle',
                        'ordering': ['-year', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='ImportBatch',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('filename', models.CharField(max_length=255)),
                        ('file_format', models.CharField(max_length=8)),
                        ('sha256', models.CharField(db_index=True, max_length=64)),
                        ('imported_at', models.DateTimeField(auto_now_add=True)),
                        ('reviews_created', models.PositiveIntegerField(default=0)),
                        ('reviews_unchanged', models.PositiveIntegerField(default=0)),
                        ('statements_created', models.PositiveIntegerField(default=0)),
                        ('imported_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='imports', to='reviews.programmecycle')),
                    ],
                    options={
                        'db_table': 'store_importbatch',
                        'ordering': ['-imported_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Review',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reference', models.CharField(help_text="The review's ID in your own records, for example ASH-2026-014.", max_length=64, verbose_name='review ID')),
                        ('person_ref', models.CharField(db_index=True, help_text='A pseudonymous ID for the person, the same every year. Not their name or NHS number.', max_length=64, verbose_name='person ID')),
                        ('person_name', models.CharField(blank=True, help_text='Used only to hide the name in statements. Never shown on cards.', max_length=200)),
                        ('review_date', models.DateField()),
                        ('facilitator', models.CharField(blank=True, help_text='Who facilitated the review.', max_length=200)),
                        ('location', models.CharField(blank=True, help_text='Where the review took place.', max_length=200)),
                        ('consent_given', models.BooleanField(default=False, help_text='The person agreed that their anonymised statements can be used in this cycle.', verbose_name='consent to use in this cycle')),
                        ('source', models.CharField(choices=[('web', 'Entered on the web form'), ('import', 'Imported from a file')], default='web', max_length=8)),
                        ('fingerprint', models.CharField(blank=True, help_text='Hash of the imported content, so an identical re-import is a no-op.', max_length=64)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('status', models.CharField(choices=[('in_progress', 'In progress'), ('complete', 'Finished')], default='complete', help_text='A review on the guided form stays in progress until it is finished.', max_length=16)),
                        ('steps_done', models.JSONField(blank=True, default=list, help_text='Steps of the guided form already saved.')),
                        ('completed_at', models.DateTimeField(blank=True, null=True)),
                        ('area', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reviews', to='core.area')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reviews', to='reviews.programmecycle')),
                        ('facilitated_by', models.ForeignKey(blank=True, help_text='The Golden Thread user who facilitated the review. They can see it with names.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='facilitated_reviews', to=settings.AUTH_USER_MODEL)),
                        ('import_batch', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='reviews', to='reviews.importbatch')),
                        ('service', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reviews', to='core.service')),
                        ('user_group', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reviews', to='core.usergroup')),
                    ],
                    options={
                        'db_table': 'store_review',
                        'ordering': ['-review_date', 'reference'],
                        'permissions': [('view_identifiable', 'Can see identifiable review details')],
                    },
                ),
                migrations.CreateModel(
                    name='ProfileVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200)),
                        ('appreciate', models.TextField()),
                        ('important', models.TextField()),
                        ('support', models.TextField()),
                        ('saved_at', models.DateTimeField(auto_now_add=True)),
                        ('profile', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='reviews.onepageprofile')),
                        ('saved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('review', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='reviews.review')),
                    ],
                    options={
                        'db_table': 'store_profileversion',
                        'ordering': ['-saved_at', '-id'],
                    },
                ),
                migrations.AddField(
                    model_name='onepageprofile',
                    name='source_review',
                    field=models.ForeignKey(blank=True, help_text='The review this profile was last brought up to date from.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='reviews.review'),
                ),
                migrations.CreateModel(
                    name='IndividualAction',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField(verbose_name='what will happen')),
                        ('owner', models.CharField(max_length=200, verbose_name='who will do it')),
                        ('due_date', models.DateField(verbose_name='when by')),
                        ('status', models.CharField(choices=[('not_started', 'Not started'), ('in_progress', 'In progress'), ('done', 'Done'), ('stopped', 'Stopped')], default='not_started', max_length=16)),
                        ('position', models.PositiveSmallIntegerField(default=0)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('review', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='reviews.review')),
                    ],
                    options={
                        'db_table': 'store_individualaction',
                        'ordering': ['review', 'position'],
                    },
                ),
                migrations.CreateModel(
                    name='Attendee',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200)),
                        ('relationship', models.CharField(blank=True, help_text='For example "sister" or "support worker".', max_length=120)),
                        ('position', models.PositiveSmallIntegerField(default=0)),
                        ('review', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendees', to='reviews.review')),
                    ],
                    options={
                        'db_table': 'store_attendee',
                        'ordering': ['review', 'position'],
                    },
                ),
                migrations.CreateModel(
                    name='Statement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('working', 'Working'), ('not_working', 'Not working'), ('future', 'Important for the future'), ('important_now', 'Important now')], max_length=16)),
                        ('perspective', models.CharField(choices=[('person', 'The person'), ('family', 'Family or carer'), ('staff', 'Staff'), ('professional', 'Other professional')], default='person', max_length=16)),
                        ('priority', models.PositiveSmallIntegerField(blank=True, help_text="The person's 1st, 2nd or 3rd choice for this kind, if they picked it.", null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(3)])),
                        ('text', models.TextField()),
                        ('card_text', models.TextField(help_text='The anonymised wording shown on the card.')),
                        ('card_number', models.PositiveIntegerField(help_text='Card number within the cycle and kind.')),
                        ('position', models.PositiveSmallIntegerField(default=0)),
                        ('cycle', models.ForeignKey(editable=False, help_text='Copied from the review, so card numbers can be unique within a cycle.', on_delete=django.db.models.deletion.CASCADE, related_name='statements', to='reviews.programmecycle')),
                        ('review', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='statements', to='reviews.review')),
                    ],
                    options={
                        'db_table': 'store_statement',
                        'ordering': ['review', 'position'],
                    },
                ),
                migrations.CreateModel(
                    name='ReviewItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('section', models.CharField(choices=[('appreciate', 'What people like and admire about the person'), ('important_now', 'What is important to the person now'), ('future', 'What is important to the person for the future'), ('support', 'How best to support the person'), ('question', 'Questions to answer'), ('working', 'What is working'), ('not_working', 'What is not working')], max_length=16)),
                        ('perspective', models.CharField(choices=[('person', 'The person'), ('family', 'Family or carer'), ('staff', 'Staff'), ('professional', 'Other professional')], default='person', max_length=16)),
                        ('text', models.TextField()),
                        ('priority', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(3)])),
                        ('position', models.PositiveSmallIntegerField(default=0)),
                        ('review', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='reviews.review')),
                        ('statement', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='review_item', to='reviews.statement')),
                    ],
                    options={
                        'db_table': 'store_reviewitem',
                        'ordering': ['review', 'section', 'perspective', 'position'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='review',
                    constraint=models.UniqueConstraint(fields=('cycle', 'reference'), name='review_reference_unique_in_cycle'),
                ),
                migrations.AddIndex(
                    model_name='statement',
                    index=models.Index(fields=['cycle', 'kind'], name='store_state_cycle_i_c9616b_idx'),
                ),
                migrations.AddConstraint(
                    model_name='statement',
                    constraint=models.UniqueConstraint(fields=('cycle', 'kind', 'card_number'), name='card_number_unique'),
                ),
                migrations.AddConstraint(
                    model_name='statement',
                    constraint=models.CheckConstraint(condition=models.Q(('priority__isnull', True), models.Q(('priority__gte', 1), ('priority__lte', 3)), _connector='OR'), name='priority_in_range'),
                ),
                migrations.AddConstraint(
                    model_name='reviewitem',
                    constraint=models.CheckConstraint(condition=models.Q(('priority__isnull', True), models.Q(('priority__gte', 1), ('priority__lte', 3)), _connector='OR'), name='item_priority_in_range'),
                ),
            ],
        ),
    ]
