"""The admin (/beheer/) speaks Dutch: every app appears under a Dutch name (with an English
translation), none under the English name a library or Django gave it."""

import re

import pytest
from django.apps import apps
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_beheer_shows_every_app_under_a_dutch_name(client, administrator):
    client.force_login(administrator)
    html = client.get("/beheer/").content.decode()
    assert '<html lang="nl"' in html
    shown = set(re.findall(r'<caption>\s*<a [^>]*class="section"[^>]*>([^<]+)</a>', html))
    configs = [c for c in apps.get_app_configs() if str(c.verbose_name) in shown]
    assert len(configs) == len(shown) >= 5
    problems = []
    for config in configs:
        dutch = str(config.verbose_name)
        with translation.override("en"):
            english = str(config.verbose_name)
        if dutch == english or dutch == config.label.title():
            problems.append(f"{config.label}: {dutch}")
    assert not problems, "apps without a Dutch name: " + ", ".join(problems)
