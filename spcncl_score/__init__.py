"""spcncl-score: criteria as data, self-assessment workbooks in, ranked council reports out."""

from __future__ import annotations

__version__ = "0.1.0"
