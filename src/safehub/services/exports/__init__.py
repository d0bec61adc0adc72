"""Exports as logged disclosures: a case chronology or a person's records, for one allowlisted
purpose and named recipients, as CSV (formula-escaped) or PDF (marked on every page).

- ``purposes``: the allowlist and the ``ExportRequest`` the form and the API build;
- ``documents``: the exported table and its CSV; ``pdf``: the same table printed by WeasyPrint;
- ``redact``: third parties' names withheld from a subject access request;
- ``disclose``: the use cases, each logged as a disclosure.
"""

from safehub.services.exports.disclose import export_case_chronology, export_person_records
from safehub.services.exports.documents import (
    MARKING,
    ExportFile,
    ExportTable,
    csv_bytes,
    escape_cell,
)
from safehub.services.exports.pdf import PdfUnavailableError
from safehub.services.exports.purposes import (
    FORMATS,
    PURPOSES,
    ExportPurpose,
    ExportRefusedError,
    ExportRequest,
    parse_recipients,
)

__all__ = [
    "FORMATS",
    "MARKING",
    "PURPOSES",
    "ExportFile",
    "ExportPurpose",
    "ExportRefusedError",
    "ExportRequest",
    "ExportTable",
    "PdfUnavailableError",
    "csv_bytes",
    "escape_cell",
    "export_case_chronology",
    "export_person_records",
    "parse_recipients",
]
