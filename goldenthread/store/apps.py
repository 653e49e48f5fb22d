from django.apps import AppConfig


class StoreConfig(AppConfig):
    """The old app that once held every model. It now owns only its migration history.

    Its migrations 0001-0005 built the tables every app still uses (``store_*``);
    0006 removes the models from its *state* once the apps below have taken them
    over, without touching a table. Keep it installed, before the apps, so old
    databases upgrade.
    """

    name = "goldenthread.store"
    label = "store"
    verbose_name = "Migration history (tables moved to the apps)"
