"""Judgements per criterion (LSR-6b) for tests that take a ruling."""


def criteria_judged(complaint, *, not_in_order: int = 0, as_form: bool = True) -> dict:
    """Every criterion of the complaint's category judged "in order", except the first
    `not_in_order` ones. `as_form`: the fields of the form and the API
    (`criterion_<code>`); otherwise the service's `judgements` (code -> (judgement, note))."""
    criteria = complaint.procedure_version.spec.criteria_for(complaint.category)
    values = {
        c.code: "not_in_order" if i < not_in_order else "in_order" for i, c in enumerate(criteria)
    }
    if as_form:
        return {f"criterion_{code}": value for code, value in values.items()}
    return {code: (value, "") for code, value in values.items()}
