"""Identity resolution: which agency records are the same person (Splink, DuckDB or Spark).

The public API::

    resolution = resolve_people(mentions)                  # trains on the input, then links
    resolution.person_ids[("POL-WY", "P123")]              # 'P000042'
    model = train_model(mentions); model.save("model.json")
    resolve_people(more, model=LinkageModel.load("model.json"))
    resolve_incremental(resolution, new_mentions, model)   # held ids never change
    score_candidate(model, query_person, candidate_person) # in process, explained by field

Protected characteristics never reach the model: they are dropped before any input is built
(``people.py``; the guard test is in tests/unit/linkage).
"""

from safehub.extracts.codes import PROTECTED_COLUMNS
from safehub.linkage.collapse import collapse_mentions
from safehub.linkage.explain import FieldExplanation, MatchExplanation
from safehub.linkage.incremental import resolve_incremental
from safehub.linkage.model import LinkageModel
from safehub.linkage.people import AgencyPerson
from safehub.linkage.resolve import Resolution, ScoredPair, resolve_people
from safehub.linkage.scoring import score_candidate
from safehub.linkage.training import train_model

__all__ = [
    "PROTECTED_COLUMNS",
    "AgencyPerson",
    "FieldExplanation",
    "LinkageModel",
    "MatchExplanation",
    "Resolution",
    "ScoredPair",
    "collapse_mentions",
    "resolve_incremental",
    "resolve_people",
    "score_candidate",
    "train_model",
]
