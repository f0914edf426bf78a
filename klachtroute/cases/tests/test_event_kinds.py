"""Event kinds are one enum beside the states: code names them, the history keeps its values."""

import ast
from pathlib import Path

import pytest

from klachtroute.cases.events import event_record
from klachtroute.cases.models import Event
from klachtroute.cases.phrases import Phrase as Note
from klachtroute.cases.workflow import EventKind

PACKAGE = Path(__file__).resolve().parents[2]
RECORDERS = {"event_record", "record", "state_move", "_complaint_event"}

# What installations have stored since the first release: each must still be a kind, with
# the same value, or old histories would name kinds the code no longer knows.
STORED_BEFORE = """
    registered settled_on_the_spot acknowledged handler_assigned document_added
    received_at_corrected extended withdrawn reopened reopens respondent_set
    measure_proposed measure_updated first_contact solution_proposed
    solution_approved_by_party solution_approved solution_rejected no_agreement
    appeal_to_third_party closed_without_appeal binding_advice follow_up_done
    advice_carried_out admissible inadmissible inadmissible_answered closed_inadmissible
    findings_shared findings_accepted findings_rejected procedure_sent escalated_to_director
    defence_requested defence_submitted ruling exam_ruling director_decision
    information_added status_link_resent link_revoked satisfaction_invited
    satisfaction_answered message_sent message_failed message_retried letter_posted
    deadline_missed legal_hold_set legal_hold_lifted anonymised_summary_set purged
""".split()


def _literal_kinds(path: Path) -> list[str]:
    """`file:line value` for each event kind written as a string where an event is recorded
    or the history is queried."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
        queries_events = name in ("filter", "exclude") and "Event.objects" in ast.unparse(node.func)
        if name not in RECORDERS and not queries_events:
            continue
        for keyword in node.keywords:
            if keyword.arg in ("kind", "kind__in"):
                for value in ast.walk(keyword.value):
                    if isinstance(value, ast.Constant) and isinstance(value.value, str):
                        found.append(
                            f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {value.value!r}"
                        )
    return found


def test_services_and_reports_name_event_kinds_by_the_enum():
    written = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if not {"tests", "migrations"}.intersection(path.parts):
            written += _literal_kinds(path)
    assert not written, "Name the event kind with EventKind.<NAME>:\n" + "\n".join(written)


@pytest.mark.parametrize("value", STORED_BEFORE)
def test_every_stored_event_kind_is_still_a_kind_with_its_value(value):
    assert EventKind(value).value == value


def test_an_event_recorded_by_kind_name_keeps_its_value_and_its_hash(posted_complaint):
    event = event_record(
        complaint=posted_complaint,
        actor=None,
        kind=EventKind.DOCUMENT_ADDED,
        summary=Note("Document toegevoegd: %(name)s", name="brief.pdf"),
    )
    stored = Event.objects.get(pk=event.pk)
    assert stored.kind == "document_added"
    assert stored.content_hash == stored.content_hash_compute()
    assert Event.objects.filter(kind=EventKind.DOCUMENT_ADDED).get() == stored
