"""Agency extracts in format v1: reading, validation and identifier normalisation.

Used by the database import and by the engines that read files directly (`resolve`, `networks`).
"""

from safehub.extracts.identifiers import PartialDate
from safehub.extracts.model import ExtractBatch, Identifier, Mention, Problem
from safehub.extracts.reader import read_extracts

__all__ = ["ExtractBatch", "Identifier", "Mention", "PartialDate", "Problem", "read_extracts"]
