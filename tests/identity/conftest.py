"""Identity tests: a model trained once per run on generated people, and small imports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.linkage import LinkageModel, train_model
from safehub.services.identity import ResolutionSummary, resolve_all_people, resolve_new_people
from safehub.synthetic.small_population import small_population
from tests.web.helpers import import_rows

SYSTEM = Actor(label="system:test")


@pytest.fixture(scope="session")
def trained_model(tmp_path_factory: pytest.TempPathFactory) -> LinkageModel:
    data = small_population(seed=5, people=120, out_dir=tmp_path_factory.mktemp("population"))
    return train_model(data.mentions)


@pytest.fixture
def importer(app_db: Database, tmp_path: Path) -> Callable[[list[dict[str, str]]], None]:
    counter = iter(range(1000))

    def run(rows: list[dict[str, str]]) -> None:
        folder = tmp_path / f"batch{next(counter)}"
        folder.mkdir()
        import_rows(app_db, folder, rows)

    return run


@pytest.fixture
def resolve(app_db: Database, trained_model: LinkageModel) -> Callable[..., ResolutionSummary]:
    """Run resolution as the system would: bulk with the test model, or incremental."""

    def run(mode: str = "incremental") -> ResolutionSummary:
        with unit_of_work(app_db, actor=SYSTEM) as uow:
            if mode == "bulk":
                summary = resolve_all_people(uow, model=trained_model, purpose="test")
            else:
                summary = resolve_new_people(uow, purpose="test")
            uow.commit()
        return summary

    return run


# The web client and browser fixtures, for this folder's page and browser tests.
from tests.web.conftest import client, signed_in  # noqa: E402,F401
