"""factory_boy factories shared by the test suites."""

import datetime as dt

import factory
from django.utils import timezone

from klachtroute.accounts.models import User
from klachtroute.organisation.models import Course, Organisation
from klachtroute.procedures.services import procedure_install_preset


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("geheim-wachtwoord-1")


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Opleiding {n}")

    @factory.post_generation
    def trainers(self, create, extracted, **kwargs):
        if create and extracted:
            self.trainers.set(extracted)


def organisation_create(*, preset: str = "livp", auto_assign: bool = True) -> Organisation:
    procedure = procedure_install_preset(code=preset)
    organisation = Organisation.objects.first() or Organisation(name="Testinstituut")
    organisation.name = "Testinstituut"
    organisation.email = "info@testinstituut.example"
    organisation.third_party_name = "Mr. A. Derde"
    organisation.third_party_email = "derde@example.org"
    organisation.third_party_phone = "06-12345678"
    organisation.active_procedure = procedure
    organisation.auto_assign = auto_assign
    organisation.save()
    return organisation


def complaint_data(**overrides) -> dict:
    """Keyword arguments for complaint_register with sensible defaults."""
    data = {
        "actor": None,
        "channel": "web",
        "received_at": timezone.now(),
        "complainant_name": "Jan Jansen",
        "complainant_email": "jan@example.org",
        "complainant_phone": "0612345678",
        "complaint_date": timezone.localdate() - dt.timedelta(days=1),
        "description": "De trainer kwam drie keer te laat en gaf geen uitleg.",
    }
    data.update(overrides)
    return data


def letter_parts(letter: str, **given) -> dict:
    """What a complete outcome letter needs that a test does not state itself: the reasons,
    what will be done and by when (two weeks from the test's today). `given` names the
    arguments the call already passes; those are left out."""
    soon = timezone.localdate() + dt.timedelta(days=14)
    parts = {
        "solution": {"reasons": "Zo wordt het gemis hersteld.", "remedy_due": soon},
        "findings": {"remedy_due": soon},
        "ruling": {"remedy": "Een gesprek met de klager.", "remedy_due": soon},
        "binding_advice": {"remedy_due": soon},
        "outcome": {
            "conclusions": "Het rooster wordt voortaan vooraf gedeeld.",
            "remedy_due": soon,
        },
    }[letter]
    return {k: v for k, v in parts.items() if k not in given}
