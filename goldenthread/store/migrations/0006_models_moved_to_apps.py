"""The models leave the ``store`` app's state; the apps' 0001 migrations have taken them over.

First the content types are re-pointed (``django_content_type.app_label``), so auditlog history
and permissions stay attached to the same rows. Then the models are removed from this app's
state only: no table is dropped.
"""
from django.db import migrations

#: Which app owns each model that the store app used to hold.
NEW_APP = {
    "core": ["area", "usergroup", "service", "staffprofile"],
    "reviews": ["programmecycle", "importbatch", "review", "attendee", "statement", "reviewitem",
                "individualaction", "onepageprofile", "profileversion"],
    "planning": ["teamplan", "teamplanitem"],
    "workshops": ["workshop", "delegate", "workshopcard", "board", "cluster", "placement", "decision", "change",
                  "vote", "rootcause", "successstatement", "action", "shareitem"],
    "reporting": ["themematch", "exportrecord"],
}


def _move(apps, schema_editor, source, target_of):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for app, models in NEW_APP.items():
        to, frm = target_of(app), source(app)
        for model in models:
            if ContentType.objects.using(db).filter(app_label=to, model=model).exists():
                continue  # already there (a fresh database gets its content types after migrating)
            ContentType.objects.using(db).filter(app_label=frm, model=model).update(app_label=to)


def repoint_content_types(apps, schema_editor):
    _move(apps, schema_editor, source=lambda app: "store", target_of=lambda app: app)


def restore_content_types(apps, schema_editor):
    _move(apps, schema_editor, source=lambda app: app, target_of=lambda app: "store")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0001_initial'),
        ('reviews', '0001_initial'),
        ('planning', '0001_initial'),
        ('workshops', '0001_initial'),
        ('reporting', '0001_initial'),
        ('store', '0005_workshop_undo'),
    ]

    operations = [
        migrations.RunPython(repoint_content_types, restore_content_types),
        migrations.SeparateDatabaseAndState(
            # The tables already exist (made by the store app's 0001-0005); only Django's idea of
            # which app owns the model changes. No table is created, altered or dropped.
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='review',
                    name='area',
                ),
                migrations.RemoveField(
                    model_name='attendee',
                    name='review',
                ),
                migrations.RemoveField(
                    model_name='board',
                    name='workshop',
                ),
                migrations.RemoveField(
                    model_name='change',
                    name='board',
                ),
                migrations.RemoveField(
                    model_name='placement',
                    name='board',
                ),
                migrations.RemoveField(
                    model_name='cluster',
                    name='board',
                ),
                migrations.RemoveField(
                    model_name='change',
                    name='workshop',
                ),
                migrations.RemoveField(
                    model_name='vote',
                    name='cluster',
                ),
                migrations.RemoveField(
                    model_name='rootcause',
                    name='cluster',
                ),
                migrations.RemoveField(
                    model_name='themematch',
                    name='previous_cluster',
                ),
                migrations.RemoveField(
                    model_name='decision',
                    name='cluster',
                ),
                migrations.RemoveField(
                    model_name='successstatement',
                    name='cluster',
                ),
                migrations.RemoveField(
                    model_name='themematch',
                    name='cluster',
                ),
                migrations.RemoveField(
                    model_name='placement',
                    name='cluster',
                ),
                migrations.RemoveField(
                    model_name='decision',
                    name='card',
                ),
                migrations.RemoveField(
                    model_name='decision',
                    name='workshop',
                ),
                migrations.RemoveField(
                    model_name='delegate',
                    name='workshop',
                ),
                migrations.RemoveField(
                    model_name='vote',
                    name='delegate',
                ),
                migrations.RemoveField(
                    model_name='exportrecord',
                    name='cycle',
                ),
                migrations.RemoveField(
                    model_name='exportrecord',
                    name='made_by',
                ),
                migrations.RemoveField(
                    model_name='exportrecord',
                    name='workshop',
                ),
                migrations.RemoveField(
                    model_name='importbatch',
                    name='cycle',
                ),
                migrations.RemoveField(
                    model_name='importbatch',
                    name='imported_by',
                ),
                migrations.RemoveField(
                    model_name='review',
                    name='import_batch',
                ),
                migrations.RemoveField(
                    model_name='individualaction',
                    name='review',
                ),
                migrations.RemoveField(
                    model_name='onepageprofile',
                    name='service',
                ),
                migrations.RemoveField(
                    model_name='onepageprofile',
                    name='source_review',
                ),
                migrations.RemoveField(
                    model_name='onepageprofile',
                    name='updated_by',
                ),
                migrations.RemoveField(
                    model_name='profileversion',
                    name='profile',
                ),
                migrations.RemoveField(
                    model_name='placement',
                    name='card',
                ),
                migrations.RemoveField(
                    model_name='profileversion',
                    name='review',
                ),
                migrations.RemoveField(
                    model_name='profileversion',
                    name='saved_by',
                ),
                migrations.RemoveField(
                    model_name='programmecycle',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='programmecycle',
                    name='previous',
                ),
                migrations.RemoveField(
                    model_name='programmecycle',
                    name='team',
                ),
                migrations.RemoveField(
                    model_name='statement',
                    name='cycle',
                ),
                migrations.RemoveField(
                    model_name='review',
                    name='cycle',
                ),
                migrations.RemoveField(
                    model_name='workshop',
                    name='cycle',
                ),
                migrations.RemoveField(
                    model_name='review',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='review',
                    name='facilitated_by',
                ),
                migrations.RemoveField(
                    model_name='review',
                    name='service',
                ),
                migrations.RemoveField(
                    model_name='review',
                    name='user_group',
                ),
                migrations.RemoveField(
                    model_name='reviewitem',
                    name='review',
                ),
                migrations.RemoveField(
                    model_name='statement',
                    name='review',
                ),
                migrations.RemoveField(
                    model_name='reviewitem',
                    name='statement',
                ),
                migrations.RemoveField(
                    model_name='rootcause',
                    name='parent',
                ),
                migrations.RemoveField(
                    model_name='staffprofile',
                    name='services',
                ),
                migrations.RemoveField(
                    model_name='shareitem',
                    name='workshop',
                ),
                migrations.RemoveField(
                    model_name='staffprofile',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='workshopcard',
                    name='statement',
                ),
                migrations.RemoveField(
                    model_name='teamplan',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='teamplanitem',
                    name='plan',
                ),
                migrations.RemoveField(
                    model_name='themematch',
                    name='confirmed_by',
                ),
                migrations.RemoveField(
                    model_name='workshop',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='workshopcard',
                    name='workshop',
                ),
                migrations.DeleteModel(
                    name='Action',
                ),
                migrations.DeleteModel(
                    name='Area',
                ),
                migrations.DeleteModel(
                    name='Attendee',
                ),
                migrations.DeleteModel(
                    name='Board',
                ),
                migrations.DeleteModel(
                    name='Change',
                ),
                migrations.DeleteModel(
                    name='SuccessStatement',
                ),
                migrations.DeleteModel(
                    name='Cluster',
                ),
                migrations.DeleteModel(
                    name='Decision',
                ),
                migrations.DeleteModel(
                    name='Delegate',
                ),
                migrations.DeleteModel(
                    name='Vote',
                ),
                migrations.DeleteModel(
                    name='ExportRecord',
                ),
                migrations.DeleteModel(
                    name='ImportBatch',
                ),
                migrations.DeleteModel(
                    name='IndividualAction',
                ),
                migrations.DeleteModel(
                    name='OnePageProfile',
                ),
                migrations.DeleteModel(
                    name='Placement',
                ),
                migrations.DeleteModel(
                    name='ProfileVersion',
                ),
                migrations.DeleteModel(
                    name='ProgrammeCycle',
                ),
                migrations.DeleteModel(
                    name='UserGroup',
                ),
                migrations.DeleteModel(
                    name='Review',
                ),
                migrations.DeleteModel(
                    name='ReviewItem',
                ),
                migrations.DeleteModel(
                    name='RootCause',
                ),
                migrations.DeleteModel(
                    name='Service',
                ),
                migrations.DeleteModel(
                    name='ShareItem',
                ),
                migrations.DeleteModel(
                    name='StaffProfile',
                ),
                migrations.DeleteModel(
                    name='Statement',
                ),
                migrations.DeleteModel(
                    name='TeamPlan',
                ),
                migrations.DeleteModel(
                    name='TeamPlanItem',
                ),
                migrations.DeleteModel(
                    name='ThemeMatch',
                ),
                migrations.DeleteModel(
                    name='Workshop',
                ),
                migrations.DeleteModel(
                    name='WorkshopCard',
                ),
            ],
        ),
    ]
