"""The roll-up the annual report reads: one row of facts per complaint.

`ComplaintFacts` holds, per complaint, what the annual report and its indicators count:
the properties it is counted by, the dates of its stages and whether it was extended,
escalated or answered the survey. The report aggregates these rows (a few GROUP BY queries
over one year) instead of the complaints and their histories.

`FactsPending` is the queue of complaints whose facts must be computed again: the cases app
says when a complaint's history grew (every change records an event), and a closing day
added or removed changes the working days of the stages around it. The periodic job works
the queue off in batches, and the report first refreshes the pending complaints of its
period, so it is never stale. `klachtroute/reports/facts.py` computes and writes the rows.
"""

from django.db import models
from django.db.models import Q

from klachtroute.cases.models import Complaint


class ComplaintFacts(models.Model):
    complaint = models.OneToOneField(
        Complaint, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    received_on = models.DateField()  # local date of receipt
    procedure_version_id = models.IntegerField(null=True)
    category = models.CharField(max_length=60, blank=True)
    channel = models.CharField(max_length=20, blank=True)
    course_id = models.IntegerField(null=True)
    course_other = models.CharField(max_length=200, blank=True)
    respondent_type = models.CharField(max_length=20, blank=True)
    state = models.CharField(max_length=40)
    outcome = models.CharField(max_length=40, blank=True)
    # What the indicators count it as: a reasoned outcome (Awb) by the judgement of its
    # ruling (founded, partly, unfounded); any other outcome as itself.
    judged_outcome = models.CharField(max_length=40, blank=True)
    admissible = models.BooleanField(null=True)
    # Timeliness (the report: calendar days; "on time" against the dates below).
    acknowledge_due = models.DateField(null=True)  # left empty when settled on the spot
    acknowledged_on = models.DateField(null=True)
    acknowledge_days = models.IntegerField(null=True)
    settled_on = models.DateField(null=True)
    settle_days = models.IntegerField(null=True)
    original_settle_due = models.DateField(null=True)  # before any extension
    settle_due = models.DateField(null=True)  # as now, an extension included
    extended = models.BooleanField(default=False)
    # Escalations and the stages of the indicators (working days).
    to_director = models.BooleanField(default=False)
    to_third_party = models.BooleanField(default=False)
    escalated_on = models.DateField(null=True)  # the first escalation
    closed = models.BooleanField(default=False)  # closed with a date of settlement
    first_end = models.DateField(null=True)  # escalation, else closing
    first_days = models.IntegerField(null=True)
    escalation_days = models.IntegerField(null=True)
    # The satisfaction survey, once answered.
    survey_answered = models.BooleanField(default=False)
    handling_score = models.SmallIntegerField(null=True)
    taken_seriously_score = models.SmallIntegerField(null=True)
    informed_on_time = models.CharField(max_length=10, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["received_on"], name="facts_received_on")]

    def __str__(self) -> str:
        return f"facts of complaint {self.complaint_id}"


class FactsPending(models.Model):
    """A complaint whose facts must be computed again. `queued_at` moves on every new
    change, so that a refresh that read the complaint before that change leaves it queued."""

    complaint = models.OneToOneField(
        Complaint, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    queued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"facts pending for complaint {self.complaint_id}"


class ComplianceVerdict(models.Model):
    """Whether one complaint kept one rule of its procedure version (the compliance
    overview, compliance.py): `verdict` as judged when the complaint last changed, and,
    for a rule that time alone decides (a deadline still running, a measure not yet due),
    the day it turns (`changes_on`) and what it turns into (`verdict_then`). The overview
    counts the verdict that holds on the day it is read, in one GROUP BY. A complaint
    whose rule does not apply, now or later, has no row for it."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=40)
    procedure_version_id = models.IntegerField()
    received_on = models.DateField()
    verdict = models.BooleanField(null=True)
    changes_on = models.DateField(null=True)
    verdict_then = models.BooleanField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["complaint", "rule"], name="verdict_once_per_rule")
        ]
        indexes = [
            models.Index(fields=["received_on"], name="verdict_received_on"),
            # The rows that fail now or once time turns them, by rule and day of receipt:
            # the overview names the first failing complaints of a rule from these.
            models.Index(
                fields=["procedure_version_id", "rule", "received_on"],
                condition=Q(verdict=False) | Q(verdict_then=False),
                name="verdict_failing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} of complaint {self.complaint_id}: {self.verdict}"
