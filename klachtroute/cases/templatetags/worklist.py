"""The worklist's rows written in one pass: through the template engine every cell of every
row was a lookup, a filter and an escape of its own, and a page of rows cost several times
its SQL. Here the texts are translated once a page, the record's address is built once, and
each value is escaped once."""

import html
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from klachtroute.cases.workflow import State

from .dates import short_date
from .deadlines import days_left_on, is_soon_on

register = template.Library()

# Stands in for a complaint's number while its address is built once for the whole page.
_NUMBER = "~number~"
# As Django's reverse() quotes a path.
_PATH_SAFE = "!$&'()*+,;=/~:@"


def _escaped(value) -> str:
    # As conditional_escape, without its check for lazy text on every call.
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


@register.simple_tag
def worklist_rows(complaints, calendar, today) -> SafeString:
    """`{% worklist_rows page.object_list calendar today %}`: a `<tr>` for each complaint:
    its number linked to its record, received, complainant, course, handler, state (and
    whether it waits for the reader, `waits_for_user`), and its nearest deadline with the
    days left (late, soon) and whether a progress update is due."""
    esc = _escaped
    before, after = reverse("cases:detail", args=[_NUMBER]).split(_NUMBER)
    states = {value: str(label) for value, label in State.choices}
    weekdays = [esc(WEEKDAYS_ABBR[day]) for day in range(7)]
    received, complainant, course, handler, state, due = (
        esc(_("Ontvangen")),
        esc(_("Klager")),
        esc(_("Opleiding")),
        esc(_("Behandelaar")),
        esc(_("Status")),
        esc(_("Eerstvolgende termijn")),
    )
    no_handler = f'<span class="muted">{esc(_("nog niet aangewezen"))}</span>'
    late = f'<span class="badge overdue">{esc(_("Te laat"))}</span>'
    soon = f'<span class="badge soon">{esc(_("Bijna"))}</span>'
    waiting = f' <span class="badge waiting">{esc(_("Wacht op u"))}</span>'
    update = f'<span class="badge update-due">{esc(_("Voortgangsbericht nodig"))}</span>'
    deadlines: dict = {}  # a page shows the same few due dates on many rows: each once

    def deadline_of(due) -> tuple[bool, str]:
        if due not in deadlines:
            overdue = bool(due) and due < today
            text = '<span class="muted">—</span>'
            if due:
                badge = late if overdue else soon if is_soon_on(due, calendar, today) else ""
                left = esc(days_left_on(due, calendar, today))
                text = (
                    f'<span class="due-date">{weekdays[due.weekday()]} {esc(short_date(due))}'
                    f"</span>\n          {badge}\n"
                    f'          <span class="days-left">{left}</span>'
                )
            deadlines[due] = overdue, text
        return deadlines[due]

    rows = []
    for c in complaints:
        overdue, deadline = deadline_of(c.next_due)
        url = esc(before + quote(str(c.number), safe=_PATH_SAFE) + after)
        progress = c.progress_update_due
        rows.append(
            f'<tr class="{"overdue" if overdue else ""}">\n'
            f'      <th scope="row"><a href="{url}">{esc(c.number)}</a></th>\n'
            f'      <td data-label="{received}">{esc(short_date(c.received_at))}</td>\n'
            f'      <td data-label="{complainant}">{esc(c.complainant_name)}</td>\n'
            f'      <td data-label="{course}">{esc(c.course_label or "—")}</td>\n'
            f'      <td data-label="{handler}">'
            f"{esc(c.handler.display_name) if c.handler else no_handler}</td>\n"
            f'      <td data-label="{state}"><span class="state state-{esc(c.state)}">'
            f"{esc(states.get(c.state, c.state))}</span>"
            f"{waiting if getattr(c, 'waits_for_user', False) else ''}</td>\n"
            f'      <td class="due" data-label="{due}">\n'
            f"        {deadline}\n"
            f"        {update if c.is_open and progress and progress <= today else ''}\n"
            "      </td>\n"
            "    </tr>"
        )
    return mark_safe("\n    ".join(rows))  # noqa: S308 (every value escaped above)
