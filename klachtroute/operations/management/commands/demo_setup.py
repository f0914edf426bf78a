"""Load the demo organisation: the LIVP preset, three courses with trainers, a user per role."""

import datetime as dt
import os

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from klachtroute.accounts.models import User
from klachtroute.cases.models import Complaint
from klachtroute.cases.services import complaint_register
from klachtroute.operations.demo_history import demo_history_load
from klachtroute.organisation.models import Course, Organisation
from klachtroute.procedures.presets import PRESET_DIR
from klachtroute.procedures.services import procedure_install_preset

DEMO_PASSWORD = "demo-klacht-2026"  # noqa: S105 - printed on purpose: demo logins only

PEOPLE = [
    # username, first, last, roles
    ("secretariaat", "Sanne", "de Vries", {"is_secretariat": True}),
    ("directeur", "Dirk", "Bakker", {"is_director": True}),
    ("medewerker", "Mila", "Visser", {"is_staff_member": True}),
    ("examencommissie", "Eva", "Smit", {"is_exam_committee": True}),
    (
        "beheerder",
        "Bas",
        "Mulder",
        {"is_administrator": True, "is_staff": True, "is_superuser": True},
    ),
    ("trainer.anna", "Anna", "Jansen", {"is_trainer": True}),
    ("trainer.bram", "Bram", "de Boer", {"is_trainer": True}),
    ("trainer.carla", "Carla", "Peters", {"is_trainer": True}),
    ("trainer.daan", "Daan", "Hendriks", {"is_trainer": True}),
]
COURSES = [
    ("Basisopleiding vertrouwenspersoon", ["trainer.anna", "trainer.bram"]),
    ("Verdiepingstraining integriteit", ["trainer.carla"]),
    ("Workshop gespreksvoering", ["trainer.daan", "trainer.anna"]),
]


class Command(BaseCommand):
    help = "Create the demo organisation with its people and courses (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the logins.")
        parser.add_argument(
            "--procedure",
            choices=sorted(p.stem for p in PRESET_DIR.glob("*.json")),
            default=os.environ.get("DEMO_PROCEDURE") or "livp",
            help="The procedure of the demo organisation (default: $DEMO_PROCEDURE or livp).",
        )
        parser.add_argument(
            "--history",
            type=int,
            default=100,
            help="How many complaints of the past year to load on first run (0: none).",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        livp = procedure_install_preset(code="livp")
        lsr = procedure_install_preset(code="lsr")
        awb9 = procedure_install_preset(code="awb9")
        procedure = {"lsr": lsr, "awb9": awb9}.get(options["procedure"], livp)
        organisation = Organisation.objects.first() or Organisation()
        if not organisation.pk:
            organisation.name = "Instituut Vertrouwenspersonen (demo)"
            organisation.address = "Voorbeeldstraat 1\n1234 AB Voorbeeldstad"
            organisation.email = "klachten@instituut.example"
            organisation.phone = "030-1234567"
            organisation.third_party_name = "Mw. mr. E. van Onafhankelijk"
            organisation.third_party_email = "derde@onafhankelijk.example"
            organisation.third_party_phone = "038-7654321"
            organisation.third_party_address = "Postbus 10\n8000 AA Zwolle"
            organisation.active_procedure = procedure
            organisation.auto_assign = options["procedure"] == "livp"
            organisation.save()

        users = {}
        for username, first, last, roles in PEOPLE:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@instituut.example",
                    **roles,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            users[username] = user
        for name, trainer_names in COURSES:
            course, _ = Course.objects.get_or_create(name=name)
            course.trainers.set([users[t] for t in trainer_names])

        if not Complaint.objects.exists():
            # The story book of the past year follows the LIVP and LSR steps only.
            if options["history"] and options["procedure"] != "awb9":
                demo_history_load(preset=options["procedure"], count=options["history"])
            self._demo_complaints()
        elif organisation.active_procedure_id != procedure.pk:
            self.stdout.write(
                "The demo was loaded for another procedure; `make clean` and run again to "
                "load it for %s." % options["procedure"].upper()
            )

        if not options["quiet"]:
            self.stdout.write(
                self.style.SUCCESS(
                    "Demo organisation ready. Logins (password for all: %s):" % DEMO_PASSWORD
                )
            )
            for username, first, last, roles in PEOPLE:
                role_names = ", ".join(
                    r.removeprefix("is_") for r in roles if r not in ("is_staff", "is_superuser")
                )
                self.stdout.write(f"  {username:<18} {first} {last} ({role_names})")

    def _demo_complaints(self):
        now = timezone.now()
        course = Course.objects.get(name="Basisopleiding vertrouwenspersoon")
        complaint_register(
            actor=None,
            channel="web",
            received_at=now - dt.timedelta(days=2),
            complainant_name="Petra Willems",
            complainant_email="petra.willems@example.org",
            complainant_phone="0612345678",
            complainant_address="Lindelaan 12\n3512 AB Utrecht",
            course=course,
            complaint_date=timezone.localdate() - dt.timedelta(days=3),
            description="De lesdag van dinsdag werd zonder bericht afgelast; ik had er een vrije dag voor opgenomen.",
            remedy_sought="Een inhaaldag en een excuus.",
        )
        complaint_register(
            actor=User.objects.get(username="secretariaat"),
            channel="phone",
            received_at=now - dt.timedelta(hours=3),
            complainant_name="Karim El Amrani",
            complainant_phone="+31 20 123 4567",
            complainant_address="Dorpsstraat 5\n4321 XY Ergens",
            course=Course.objects.get(name="Workshop gespreksvoering"),
            complaint_date=timezone.localdate(),
            description="Het lesmateriaal van de workshop is niet toegestuurd, ondanks twee verzoeken.",
        )
