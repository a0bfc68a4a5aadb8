"""The audit trail of assessments and ratings keeps submitted states only: a draft is private to its author.

DESIGN.md's rule 2 holds in the admin too. While an assessment is a draft (or returned for changes, a draft
again), nothing its author types enters the history tables: no row for an autosave, a saved comment, a
discarded draft. When it is submitted, one row per rating records the submitted state (`snapshot`); after
that, every change (the agreed outcome, sharing) is recorded as before. So HR's "who changed which rating
when" reads what was submitted and what changed after, never text the author changed or deleted before.

Each model says what is private (`history_is_private()`); saves, deletes and bulk writes all ask it.
"""

from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords


class SubmittedHistoryManager(HistoryManager):
    def bulk_history_create(self, objs, *args, **kwargs):
        """Bulk writes (`bulk_create_with_history`, `bulk_update_with_history`) leave drafts out too."""
        objs = self.model.instance_type.public_for_history(list(objs))
        if not objs:
            return []
        return super().bulk_history_create(objs, *args, **kwargs)


class SubmittedHistory(HistoricalRecords):
    """HistoricalRecords that record nothing of a draft."""

    def __init__(self, **kwargs):
        super().__init__(history_manager=SubmittedHistoryManager, **kwargs)

    def create_historical_record(self, instance, history_type, using=None):
        if instance.history_is_private():
            return
        super().create_historical_record(instance, history_type, using=using)
