"""The trained linkage model: Splink's settings plus what the in-process scorer needs.

Saved as one JSON file. m and u probabilities are stored per (comparison, level label) so the
same model can be rebuilt in any backend's SQL dialect (``settings_for``); the name frequencies
used for the term-frequency adjustment travel with it, so the real-time scorer needs no database.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from splink import SettingsCreator

from safehub.linkage.blocking import prediction_blocking_rules
from safehub.linkage.comparisons import COMPARISON_BY_NAME, COMPARISONS

MODEL_FORMAT = "safehub-linkage-model/1"
# A level never seen among random pairs still happens by chance; 1e-7 caps one agreement at
# about 23 bits, far above any threshold.
_U_FLOOR = 1e-7
TF_COLUMNS = ("given_name", "family_name")


# The highest prior a population can be given (``LinkageModel.for_population``).
MAX_PRIOR = 0.5


@dataclass(frozen=True, slots=True)
class LevelParameters:
    m: float
    u: float

    @property
    def match_weight(self) -> float:
        """log2 of the Bayes factor m/u."""
        return math.log2(self.m / self.u)


@dataclass(slots=True)
class LinkageModel:
    """A trained model: probabilities per comparison level, prior, thresholds, name frequencies.

    >>> model = LinkageModel.untrained()
    >>> round(model.prior_weight, 2)
    -13.29
    """

    probability_two_random_records_match: float
    parameters: dict[str, dict[str, LevelParameters]] = field(default_factory=dict)
    term_frequencies: dict[str, dict[str, float]] = field(default_factory=dict)
    accept_threshold: float = 0.99
    review_threshold: float = 0.5
    max_names_per_identifier: int = 3
    training_notes: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def untrained(cls, probability: float = 1e-4) -> LinkageModel:
        return cls(probability_two_random_records_match=probability)

    def for_population(self, people: int) -> LinkageModel:
        """The model with its prior set for ``people`` agency people instead of those it was
        trained on (``training_notes["records"]``).

        The prior is the chance that two records picked at random are one person. Each person
        has about as many records anywhere, so the matching pairs grow with the number of
        people and all pairs with its square: a model trained on 100,000 people and applied to
        500,000 would otherwise expect five times too many matches, and merge namesakes.

        >>> model = LinkageModel.untrained(1e-4)
        >>> model.training_notes["records"] = 1001
        >>> model.for_population(2001).probability_two_random_records_match
        5e-05
        >>> model.training_notes["records"] = 100_001
        >>> model.for_population(2).probability_two_random_records_match  # capped
        0.5
        """
        trained = self.training_notes.get("records")
        if not trained or people < 2 or people == trained:
            return self
        scaled = self.probability_two_random_records_match * (trained - 1) / (people - 1)
        # A handful of people held (a first import) would scale past a probability; no more
        # likely than not keeps the prior a prior and leaves the decision to the evidence.
        scaled = min(scaled, MAX_PRIOR)
        notes = {**self.training_notes, "records": people, "trained_on_records": trained}
        return replace(self, probability_two_random_records_match=scaled, training_notes=notes)

    @property
    def prior_weight(self) -> float:
        p = self.probability_two_random_records_match
        return math.log2(p / (1.0 - p))

    def level(self, comparison: str, label: str) -> LevelParameters:
        try:
            return self.parameters[comparison][label]
        except KeyError:
            raise ValueError(
                f"the model has no parameters for {comparison!r} level {label!r}; it was "
                "trained with another version of the comparisons: train it again"
            ) from None

    def settings_for(self, dialect: str, *, link_type: str = "dedupe_only") -> dict[str, Any]:
        """Splink settings in ``dialect`` with this model's probabilities filled in."""
        creator = SettingsCreator(
            link_type=link_type,  # type: ignore[arg-type]
            comparisons=[c.splink() for c in COMPARISONS],
            blocking_rules_to_generate_predictions=prediction_blocking_rules(),
            probability_two_random_records_match=self.probability_two_random_records_match,
            retain_matching_columns=False,
            retain_intermediate_calculation_columns=True,
        )
        settings: dict[str, Any] = creator.create_settings_dict(dialect)
        if not self.parameters:
            return settings
        for comparison in settings["comparisons"]:
            name = comparison["output_column_name"]
            for level in comparison["comparison_levels"]:
                if level.get("is_null_level"):
                    continue
                params = self.level(name, level["label_for_charts"])
                level["m_probability"] = params.m
                level["u_probability"] = params.u
        return settings

    def save(self, path: str | Path) -> None:
        """Write the model as JSON (stable key order, so the same model gives the same bytes)."""
        Path(path).write_text(json.dumps(self.to_dict(), indent=1, sort_keys=True) + "\n", "utf-8")

    @classmethod
    def load(cls, path: str | Path) -> LinkageModel:
        """Read a model written by ``save``; ``ValueError`` if it is not one."""
        try:
            data = json.loads(Path(path).read_text("utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ValueError(f"cannot read linkage model {path}: {exc}") from exc
        if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
            raise ValueError(f"{path} is not a Safehub linkage model ({MODEL_FORMAT})")
        model = cls.from_dict(data)
        missing = model.missing_levels()
        if missing:
            raise ValueError(
                f"{path} was trained with another version of the comparisons (no parameters "
                f"for {', '.join(missing[:3])}): train it again"
            )
        return model

    def missing_levels(self) -> list[str]:
        """``comparison: level`` of every level this model has no parameters for."""
        if not self.parameters:
            return []
        return [
            f"{spec.name}: {level.label}"
            for spec in COMPARISONS
            for level in spec.levels
            if not level.is_null and level.label not in self.parameters.get(spec.name, {})
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": MODEL_FORMAT,
            "probability_two_random_records_match": self.probability_two_random_records_match,
            "parameters": {
                c: {label: {"m": p.m, "u": p.u} for label, p in levels.items()}
                for c, levels in self.parameters.items()
            },
            "term_frequencies": self.term_frequencies,
            "accept_threshold": self.accept_threshold,
            "review_threshold": self.review_threshold,
            "max_names_per_identifier": self.max_names_per_identifier,
            "training_notes": self.training_notes,
            "splink_settings": self.settings_for("duckdb"),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LinkageModel:
        return cls(
            probability_two_random_records_match=float(
                data["probability_two_random_records_match"]
            ),
            parameters={
                c: {
                    label: LevelParameters(float(p["m"]), float(p["u"]))
                    for label, p in levels.items()
                }
                for c, levels in data["parameters"].items()
            },
            term_frequencies={c: dict(v) for c, v in data.get("term_frequencies", {}).items()},
            accept_threshold=float(data.get("accept_threshold", 0.99)),
            review_threshold=float(data.get("review_threshold", 0.5)),
            max_names_per_identifier=int(data.get("max_names_per_identifier", 3)),
            training_notes=dict(data.get("training_notes", {})),
        )


def parameters_from_linker(linker: Any, *, trained_only: bool = False) -> dict[str, dict[str, Any]]:
    """Effective m and u of every non-null level (Splink's defaults where EM saw no data).

    With ``trained_only``, an m or u that no training step estimated is NaN (the caller fills
    in stated defaults); one estimated but never observed keeps its floor.
    """
    # Read from the settings object: the saved JSON leaves untrained levels out, and the scorer
    # must use the very values Splink predicted with.
    found: dict[str, dict[str, LevelParameters]] = {}
    for comparison in linker._settings_obj.comparisons:
        spec = COMPARISON_BY_NAME[comparison.output_column_name]
        floors = {level.label: level.m_floor for level in spec.levels}
        levels = found.setdefault(comparison.output_column_name, {})
        for level in comparison.comparison_levels:
            if level.is_null_level:
                continue
            label = level.label_for_charts
            m = max(float(level.m_probability), floors[label])
            u = max(float(level.u_probability), _U_FLOOR)
            # A step that saw no pair at a level still records it ("not observed"): floored.
            if trained_only and not (level._trained_m_probabilities or level._fix_m_probability):
                m = math.nan
            if trained_only and not level._trained_u_probabilities:
                u = math.nan
            levels[label] = LevelParameters(m, u)
    return found


def with_personal_u(
    parameters: dict[str, dict[str, LevelParameters]], probability: float
) -> dict[str, dict[str, LevelParameters]]:
    """Set u of every level whose different-people odds are known (an agreeing NHS number).

    Bayes: odds(different people | agree) = (1 - p) u / (p m), so u = odds p m / (1 - p), with p
    the probability that two random records match: the number on its own then makes a match at
    1 / (1 + odds), whatever the size of the population.
    """
    for spec in COMPARISONS:
        for level in spec.levels:
            odds = level.different_people_odds
            if odds is None or level.label not in parameters.get(spec.name, {}):
                continue
            m = parameters[spec.name][level.label].m
            parameters[spec.name][level.label] = LevelParameters(
                m, odds * probability * m / (1.0 - probability)
            )
    return parameters
