"""Signals the cases app sends, so that apps above it can follow complaints without the cases
app knowing them (the reports app keeps its roll-up of per-complaint facts this way).

- `history_appended(sender=Event, complaint_ids=[...])`: events were added to these
  complaints' histories, inside the transaction of the change they record. Every change to
  a complaint records an event, so a receiver learns of every change here.
"""

from django.dispatch import Signal

history_appended = Signal()
