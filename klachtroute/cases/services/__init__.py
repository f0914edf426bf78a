"""Writes to complaints. Each service runs in one transaction and records an event.

The services are grouped by step of the procedure; import them from here.
"""

from .general import (  # noqa: F401
    complaint_reopen,
    complaint_withdraw,
    progress_update_send,
    respondent_set,
    settlement_extend,
    settlement_resume,
    settlement_suspend,
)
from .inform import delay_inform  # noqa: F401
from .livp import (  # noqa: F401
    binding_advice_record,
    first_contact_record,
    follow_up_complete,
    no_agreement_declare,
    no_agreement_declare_many,
    no_appeal_close,
    solution_decide,
    solution_propose,
    third_party_appeal,
)
from .lsr import (  # noqa: F401
    admissible_declare,
    defence_request,
    defence_submit,
    director_decide,
    director_escalate,
    director_rule,
    exam_ruling_record,
    findings_respond,
    findings_share,
    inadmissible_answer,
    inadmissible_close,
    inadmissible_declare,
    procedure_send,
    ruling_judgements_check,
)
from .portal import complainant_information_add  # noqa: F401
from .registration import (  # noqa: F401
    acknowledgement_context,
    complaint_acknowledge,
    complaint_assign_handler,
    complaint_correct_received_at,
    complaint_register,
    document_add,
    document_record,
)
from .steps import (  # noqa: F401
    complaint_set_aside,
    hearing_offer,
    hearing_record,
    hearing_skip,
    involved_record,
    outcome_decide,
    respondent_copy_send,
)
