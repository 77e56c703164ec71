"""Find likely label errors, duplicates, train/test leakage and unhealthy labels and
texts before training (``textclass audit``; needs ``pip install 'textclass[audit]'``).

``audit(dataset, test=None, settings=AuditSettings(...))`` runs every check;
:func:`to_json` is ``audit.json``, :func:`summary` one line per finding kind,
:func:`write_clean` a copy of the data without the flagged rows.
"""

from textclass.audit.clean import write_clean
from textclass.audit.core import AuditResult, AuditSettings, audit
from textclass.audit.html import top_rows, write_html
from textclass.audit.report import removals, summary, to_json

__all__ = [
    "AuditResult",
    "AuditSettings",
    "audit",
    "removals",
    "summary",
    "to_json",
    "top_rows",
    "write_clean",
    "write_html",
]
