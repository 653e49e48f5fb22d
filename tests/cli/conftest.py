import pytest


@pytest.fixture(autouse=True)
def _a_development_set_up(settings):
    """The demo refuses a production set-up (debug off and a database other than SQLite). These tests run
    the demo on a development set-up, whichever database the suite runs on; the test of the refusal itself
    turns debug off again."""
    settings.DEBUG = True
