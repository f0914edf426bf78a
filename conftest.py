"""Fixtures for every test: an organisation on a preset, people in each role, courses, and
the session's one browser."""

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from klachtroute.testing.factories import CourseFactory, UserFactory, organisation_create


@pytest.fixture(scope="session")
def browser():
    """The one headless Chromium of the session (see klachtroute/testing/browser.py)."""
    from klachtroute.testing.browser import CHROMIUM, browser_start

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    chromium, stop = browser_start()
    yield chromium
    stop()


@pytest.fixture
def organisation(db):
    return organisation_create(preset="livp", auto_assign=True)


@pytest.fixture
def lsr_organisation(db):
    return organisation_create(preset="lsr", auto_assign=False)


@pytest.fixture
def awb_organisation(db):
    return organisation_create(preset="awb9", auto_assign=False)


@pytest.fixture
def secretariat(db):
    return UserFactory(
        username="secretariaat", first_name="Sanne", last_name="Secretaris", is_secretariat=True
    )


@pytest.fixture
def director(db):
    return UserFactory(
        username="directeur", first_name="Dirk", last_name="Directeur", is_director=True
    )


@pytest.fixture
def administrator(db):
    return UserFactory(
        username="beheerder",
        first_name="Bea",
        last_name="Beheer",
        is_administrator=True,
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def trainers(db):
    """Three trainers: the first two teach `course`, the third does not."""
    return [
        UserFactory(username=f"trainer{i}", first_name=name, last_name="Trainer", is_trainer=True)
        for i, name in enumerate(["Tom", "Tessa", "Theo"], start=1)
    ]


@pytest.fixture
def course(db, trainers):
    return CourseFactory(name="Basisopleiding vertrouwenspersoon", trainers=trainers[:2])


@pytest.fixture(autouse=True)
def history_checkpoint_file(settings, tmp_path):
    """Each test anchors the history in a checkpoint file of its own."""
    settings.HISTORY_CHECKPOINT_FILE = tmp_path / "history-checkpoint.json"
    return settings.HISTORY_CHECKPOINT_FILE


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in Dutch: a request under /en/ leaves English active in the thread
    (LocaleMiddleware activates a language and nothing deactivates it)."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
