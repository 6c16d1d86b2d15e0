"""Domain events sent by assessments.services.

They let later layers (scoring) react without this app knowing them.

- ``assessments_changed(assessment_ids=[...])`` is sent once per committed transaction,
  after answers, evidence, reviews or the status of those assessments changed, so a
  receiver sees committed data and may enqueue work directly.
- ``communities_relocated(community_ids=[...])`` is sent inside the transaction that moved
  communities to other cities or districts (their own move, or their region's), or changed
  what decides whom they are compared with (urban or rural, households), so derived rows
  that carry a community's city, district or peer group change in the same transaction.
- ``round_scoring_changed(round_id=...)`` is sent once the change of a round's scoring basis
  (its grade bands) committed: every assessment of the round needs scoring again.
- ``round_deleting(round_id=...)`` is sent inside the transaction that deletes a round,
  before its assessments go, so rows of other apps that refer to them go first.
"""

from django.dispatch import Signal

assessments_changed = Signal()
communities_relocated = Signal()
round_scoring_changed = Signal()
round_deleting = Signal()
