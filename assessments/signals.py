"""Domain events sent by assessments.services after a change.

They let later layers (scoring) react without this app knowing them: receivers are
connected in those apps' AppConfig.ready and must defer work with transaction.on_commit.
"""

from django.dispatch import Signal

# Sent with assessment_id=<int> whenever answers, reviews or the status of an assessment change.
assessment_changed = Signal()
