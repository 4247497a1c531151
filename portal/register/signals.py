"""Register signals, sent after the change has committed. ``sok`` listens (to refresh the
figures its documents show); the register never imports its listeners."""

from django.dispatch import Signal

# A statistics import changed values; sent with ``report`` (the import's StatisticsReport).
statistics_changed = Signal()
