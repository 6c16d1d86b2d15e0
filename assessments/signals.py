"""Domain events sent by assessments.services.

They let later layers (scoring) react without this app knowing them. The services send
them from ``transaction.on_commit``, so a receiver sees committed data and may enqueue a
task directly.
"""

from django.dispatch import Signal

# Sent with assessment_id=<int> after answers, evidence, reviews or the status of an
# assessment changed and the change committed.
assessment_changed = Signal()
