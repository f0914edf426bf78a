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


# The libraries' models whose labels Klachtroute gives in Dutch (operations.library_apps).
LIBRARY_APPS = ("axes", "otp_totp", "django_tasks_database")
# Words that are the same in both languages.
SAME_IN_BOTH = {"Backend"}


def _labels(html: str) -> list[str]:
    """The column headings, filter titles and the sidebar's model names of an admin page."""
    columns = re.findall(
        r'<th scope="col"[^>]*>.*?<(?:a|span)[^>]*>([^<]+)</(?:a|span)>', html, re.S
    )
    filters = re.findall(r"<summary>\s*([^<]+?)\s*</summary>", html)
    sidebar = re.findall(r'<th scope="row"[^>]*>\s*<a [^>]*>([^<]+)</a>', html)
    return [label.strip() for label in columns + filters + sidebar]


def test_beheer_labels_the_libraries_models_columns_and_filters_in_dutch(client, administrator):
    from django.contrib import admin

    models = [m for m in admin.site._registry if m._meta.app_label in LIBRARY_APPS]
    # Every label of the libraries' models as an English reader sees it.
    english = set()
    with translation.override("en"):
        for model in models:
            english |= {str(model._meta.verbose_name), str(model._meta.verbose_name_plural)}
            english |= {str(field.verbose_name) for field in model._meta.concrete_fields}
    english = {label.lower() for label in english} - {w.lower() for w in SAME_IN_BOTH}
    assert len(models) >= 5 and len(english) > 30

    client.force_login(administrator)
    untranslated = []
    for model in models:
        address = f"/beheer/{model._meta.app_label}/{model._meta.model_name}/"
        labels = _labels(client.get(address).content.decode())
        assert len(labels) > 3, address
        untranslated += [f"{address} {label}" for label in labels if label.lower() in english]
    assert not untranslated, untranslated
