"""`safehub networks FILE... --out DIR`: groups and key people from agency extracts (docs/contracts.md).

stdout stays empty (the contract is the files); progress and warnings go to stderr.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console

from safehub.extracts import ExtractBatch, Mention, PartialDate, read_extracts

if TYPE_CHECKING:  # the engine loads networkit and pandas: imported where the command runs
    from safehub.network import NetworkAnalysis

_err = Console(stderr=True)


def networks(
    files: Annotated[list[Path], typer.Argument(help="Agency extracts in format v1 (CSV).")],
    out: Annotated[Path, typer.Option("--out", help="Folder for people, groups and key people.")],
    person_ids: Annotated[
        Path | None,
        typer.Option(
            "--person-ids",
            help="A resolution already made (`safehub resolve` output); skips person linkage.",
        ),
    ] = None,
    engine: Annotated[str, typer.Option(help="Linkage engine: duckdb or spark.")] = "duckdb",
    model: Annotated[
        Path | None, typer.Option(help="A saved linkage model (skips training).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of community detection.")] = 20_251_126,
    possible: Annotated[
        Path | None,
        typer.Option(
            "--possible-matches",
            help="With --person-ids: pairs that are possibly the same person "
            "(`safehub resolve --review-out` columns agency_code_l,person_ref_l,"
            "agency_code_r,person_ref_r); every row is taken as a probable match.",
        ),
    ] = None,
) -> None:
    """Find candidate exploitation groups and rank adults of concern, with reasons."""
    from safehub.network import build_graph, write_outputs
    from safehub.network.possible import PossiblySame, analyse_possibly_same, born_apart, joinable

    batch = _read(files)
    if person_ids:
        mapping = _load_person_ids(person_ids)
        pairs = _load_possible(possible, mapping) if possible else []
    else:
        mapping, pairs = _resolve(batch, engine, model)
    missing = sorted({m.person_key for m in batch.mentions} - set(mapping))
    if missing:
        _fail(
            f"{person_ids}: no person_id for {missing[0][0]}/{missing[0][1]} "
            f"({len(missing)} missing); resolve the same files again"
        )
    used = {m.person_key: mapping[m.person_key] for m in batch.mentions}
    born: dict[str, set[PartialDate]] = {}
    for m in batch.mentions:
        if m.date_of_birth is not None:
            born.setdefault(used[m.person_key], set()).add(m.date_of_birth)
    # No pair that would count people born apart as one (a father and son), in queue order.
    pairs = [p for p, ok in zip(pairs, joinable(pairs, born_apart(born)), strict=True) if ok]
    possibly = PossiblySame.of(pairs)
    sizes: list[tuple[int, int]] = []

    def analyse_with(ids: Mapping[tuple[str, str], str]) -> NetworkAnalysis:
        from safehub.network import analyse

        graph = build_graph(batch.mentions, ids)
        sizes.append((graph.node_count(), graph.edge_count()))
        return analyse(graph, seed=seed)

    with _err.status("Finding groups and key people…"):
        analysis = analyse_possibly_same(used, possibly, analyse_with)
    write_outputs(out, used, analysis, possibly)
    nodes, edges = sizes[0]
    _err.print(
        f"{nodes} nodes, {edges} edges; {len(analysis.groups)} groups; "
        f"{len(analysis.key_people)} adults of concern ranked; "
        f"{len(pairs)} possibly-same pair(s) → {out}"
    )


def _read(files: list[Path]) -> ExtractBatch:
    batch = read_extracts(files)
    for problem in batch.warnings:
        typer.echo(str(problem), err=True)
    if not batch.ok:
        for problem in batch.errors:
            typer.echo(str(problem), err=True)
        _fail(f"{len(batch.errors)} error(s) in the input; fix them and run again")
    return batch


def _resolve(
    batch: ExtractBatch, engine: str, model: Path | None
) -> tuple[dict[tuple[str, str], str], list[tuple[str, str]]]:
    """The resolution's person ids and its possible matches as pairs of person ids."""
    if engine not in ("duckdb", "spark"):
        _fail(f"unknown engine '{engine}'; use duckdb or spark")
    try:
        # Imported here: linkage pulls in Splink, which the --person-ids path does not need.
        from safehub.linkage import resolve_people  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        _fail(
            "person linkage (safehub.linkage.resolve_people) is not available; "
            "pass --person-ids RESOLVED.csv from `safehub resolve`"
        )
    mentions: list[Mention] = batch.mentions
    with _err.status("Resolving people…"):
        loaded = None
        if model is not None:
            from safehub.linkage import LinkageModel  # type: ignore[attr-defined,unused-ignore]

            loaded = LinkageModel.load(model)
        try:
            resolution = resolve_people(mentions, engine=engine, model=loaded)
        except Exception as error:  # the analysis must still run: never a traceback
            typer.echo(
                f"warning: person linkage failed ({type(error).__name__}: {error}); each agency "
                "person is analysed as a person of their own. Run `safehub resolve` and pass "
                "--person-ids to link them.",
                err=True,
            )
            return {m.person_key: f"{m.person_key[0]}/{m.person_key[1]}" for m in mentions}, []
    ids = dict(resolution.person_ids)
    pairs = [(ids[p.left], ids[p.right]) for p in resolution.possible_matches]
    return ids, [(a, b) for a, b in pairs if a != b]


def _load_possible(path: Path, mapping: Mapping[tuple[str, str], str]) -> list[tuple[str, str]]:
    columns = {"agency_code_l", "person_ref_l", "agency_code_r", "person_ref_r"}
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None or not columns <= set(reader.fieldnames):
                _fail(f"{path}: expected the columns {','.join(sorted(columns))}")
            pairs = []
            for line, r in enumerate(reader, start=2):
                left = (r["agency_code_l"], r["person_ref_l"])
                right = (r["agency_code_r"], r["person_ref_r"])
                for side in (left, right):
                    if side not in mapping:
                        _fail(
                            f"{path}: row {line}: {side[0]}/{side[1]} has no person_id in "
                            "--person-ids; give the review file of the same resolution"
                        )
                if mapping[left] != mapping[right]:
                    pairs.append((mapping[left], mapping[right]))
            return pairs
    except FileNotFoundError:
        _fail(f"{path}: file not found; give the --review-out file of `safehub resolve`")


def _load_person_ids(path: Path) -> dict[tuple[str, str], str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None or not {"agency_code", "person_ref", "person_id"} <= set(
                reader.fieldnames
            ):
                _fail(f"{path}: expected the header agency_code,person_ref,person_id")
            return {(r["agency_code"], r["person_ref"]): r["person_id"] for r in reader}
    except FileNotFoundError:
        _fail(f"{path}: file not found; give the output of `safehub resolve`")


def _fail(message: str) -> NoReturn:
    # Plain echo, not rich: a problem line must not be wrapped or restyled (docs/contracts.md format).
    typer.echo(message, err=True)
    raise typer.Exit(2)
