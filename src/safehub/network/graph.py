"""The network graph, kept up to date as records arrive.

Nodes are people (resolved), records, places, home addresses and identifiers (phones, vehicles,
emails, online handles, licences). Edges: a person appears in a record (with role, date and agency,
kept as evidence: the mention), a person carries an identifier or lives at an address, a record
names a place. People who share an identifier or a record are two steps apart.

The graph keeps the facts, not conclusions: whether someone is a child or an adult of concern is
decided at analysis time, because a date of birth may arrive in a later record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from safehub.extracts.model import Mention
from safehub.network import keys
from safehub.network.model import Edge, MentionFact, MentionKey, RecordFact, RecordKey

EdgeKey = tuple[str, str]

# Identifiers a person carries become nodes. NHS numbers and postcodes do not: an NHS number names
# one person (identity resolution's job), a postcode alone covers a street, not a household.
_ID_KINDS = {"phone": "phone", "vehicle": "vehicle", "email": "email", "handle": "handle"}
_RECORD_COLUMNS = (
    "agency_type",
    "record_type",
    "area_code",
    "location_name",
    "location_postcode",
    "offence_code",
)


@dataclass(frozen=True, slots=True)
class _RecordRow:
    """The record-level cells of one row, merged with the record's other rows."""

    values: tuple[tuple[str, str], ...]
    group_based: bool
    indicators: tuple[str, ...]


@dataclass
class NetworkGraph:
    """People, records, places and identifiers, updated incrementally by :meth:`add_mentions`.

    >>> graph = NetworkGraph()
    >>> graph.add_mentions([], {})
    >>> graph.node_count(), graph.edge_count()
    (0, 0)
    """

    mentions: dict[MentionKey, MentionFact] = field(default_factory=dict)
    records: dict[RecordKey, RecordFact] = field(default_factory=dict)
    edges: dict[EdgeKey, Edge] = field(default_factory=dict)
    adjacency: dict[str, set[str]] = field(default_factory=dict)
    _rows: dict[MentionKey, _RecordRow] = field(default_factory=dict, repr=False)
    _record_mentions: dict[RecordKey, set[MentionKey]] = field(default_factory=dict, repr=False)
    # Change counter and, per person, the change that last touched their rows or the records
    # they are in: what an analysis kept beside the graph must redo (``concern_index.py``).
    version: int = field(default=0, compare=False)
    person_versions: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def add_mentions(
        self, mentions: Iterable[Mention], person_ids: Mapping[tuple[str, str], str]
    ) -> None:
        """Add new records' rows (a repeated row key replaces the older version of that row).

        Raises ``KeyError`` naming the first (agency_code, person_ref) that has no person id.
        """
        touched: set[RecordKey] = set()
        self.version += 1
        for mention in mentions:
            fact = _mention_fact(mention, person_ids)
            self._remove_mention(fact.key)
            self._add_mention(fact, _record_row(mention))
            touched.add(fact.record_key)
        for record_key in sorted(touched):
            self._refresh_record(record_key)

    def repoint(
        self, person_ids: Mapping[tuple[str, str], str], among: Iterable[str] | None = None
    ) -> None:
        """Count the rows of some (agency_code, person_ref) as another person's, in place: what
        an analysis of "possibly the same person" needs (``possible.py``) without rebuilding the
        graph. Only the rows of ``among`` (person ids; default every row) are looked at; rows
        whose key is not in ``person_ids``, or already that person's, are left as they are."""
        facts = (
            self.mentions.values()
            if among is None
            else [f for p in sorted(set(among)) for f in self.person_mentions(p)]
        )
        moves = [
            (f, person_ids[(f.key[0], f.key[2])])
            for f in facts
            if person_ids.get((f.key[0], f.key[2]), f.person_id) != f.person_id
        ]
        if not moves:
            return  # unchanged: an analysis kept beside the graph has nothing to redo
        self.version += 1
        for fact, wanted in moves:
            row = self._rows[fact.key]
            self._remove_mention(fact.key)
            self._add_mention(replace(fact, person_id=wanted), row)
        for record_key in sorted({f.record_key for f, _ in moves}):
            self._refresh_record(record_key)

    def node_count(self) -> int:
        return len(self.adjacency)

    def edge_count(self) -> int:
        return len(self.edges)

    def nodes(self) -> list[str]:
        """Every node key, sorted."""
        return sorted(self.adjacency)

    def neighbours(self, node: str) -> set[str]:
        return self.adjacency.get(node, set())

    def record_mentions(self, record_key: RecordKey) -> list[MentionFact]:
        """The rows of one record, sorted by row key."""
        return [self.mentions[k] for k in sorted(self._record_mentions.get(record_key, ()))]

    def shown_mentions(self, viewer: str = "") -> list[MentionFact]:
        """Every mention ``viewer`` (an agency code) may see, sorted by row key: all but rows
        another agency restricted (docs/extract-format.md: never shown, matched on or revealed outside the
        owning agency). With no viewer, what may leave every agency.

        Only the restricted rows are left out, not the person: what other agencies recorded of
        the same person is theirs to see (a suspect whose health record is restricted is still
        the police's suspect), and the restricted row is what must not be revealed.
        """
        return [
            self.mentions[k] for k in sorted(self.mentions) if shown_to(self.mentions[k], viewer)
        ]

    def hidden_refs(self, viewer: str = "") -> set[tuple[str, str]]:
        """(agency_code, person_ref) of the people with a row restricted from ``viewer``."""
        return {(f.key[0], f.key[2]) for f in self.mentions.values() if not shown_to(f, viewer)}

    def person_mentions(self, person_id: str) -> list[MentionFact]:
        """Every mention of one person, sorted by row key."""
        node = keys.person_node(person_id)
        found: list[MentionFact] = []
        for record in sorted(self.neighbours(node)):
            if keys.node_kind(record) == keys.RECORD_KIND:
                edge = self.edges[_edge_key(node, record)]
                found.extend(self.mentions[k] for k in sorted(edge.evidence))
        return found

    def changed_since(self, version: int) -> set[str]:
        """People whose rows, or the records they are in, changed after ``version``."""
        return {p for p, v in self.person_versions.items() if v > version}

    # -- internal upkeep ----------------------------------------------------------------------

    def _add_mention(self, fact: MentionFact, row: _RecordRow) -> None:
        self.mentions[fact.key] = fact
        self.person_versions[fact.person_id] = self.version
        self._rows[fact.key] = row
        self._record_mentions.setdefault(fact.record_key, set()).add(fact.key)
        for edge_key, kind in _mention_edges(fact):
            self._link(edge_key, kind, fact.key)

    def _remove_mention(self, key: MentionKey) -> None:
        old = self.mentions.pop(key, None)
        if old is None:
            return
        del self._rows[key]
        self.person_versions[old.person_id] = self.version
        self._record_mentions[old.record_key].discard(key)
        for edge_key, _ in _mention_edges(old):
            self._unlink(edge_key, key)
        self._drop_place_edge(old.record_key)

    def _refresh_record(self, record_key: RecordKey) -> None:
        self._drop_place_edge(record_key)
        row_keys = sorted(self._record_mentions.get(record_key, ()))
        if not row_keys:
            self.records.pop(record_key, None)
            self._record_mentions.pop(record_key, None)
            return
        fact = _merge_record(
            record_key, [self._rows[k] for k in row_keys], self.mentions[row_keys[0]]
        )
        if self.records.get(record_key) != fact:
            # A record's type, flags or place decide how everyone in it counts.
            for key in row_keys:
                self.person_versions[self.mentions[key].person_id] = self.version
        self.records[record_key] = fact
        if fact.place:
            record = keys.record_node(*record_key)
            for key in row_keys:
                self._link(_edge_key(record, fact.place), "at_place", key)

    def _drop_place_edge(self, record_key: RecordKey) -> None:
        fact = self.records.get(record_key)
        if fact is None or not fact.place:
            return
        edge_key = _edge_key(keys.record_node(*record_key), fact.place)
        edge = self.edges.get(edge_key)
        if edge is not None:
            for key in list(edge.evidence):
                self._unlink(edge_key, key)

    def _link(self, edge_key: EdgeKey, kind: str, evidence: MentionKey) -> None:
        edge = self.edges.get(edge_key)
        if edge is None:
            edge = self.edges[edge_key] = Edge(kind)
            a, b = edge_key
            self.adjacency.setdefault(a, set()).add(b)
            self.adjacency.setdefault(b, set()).add(a)
        edge.evidence.add(evidence)

    def _unlink(self, edge_key: EdgeKey, evidence: MentionKey) -> None:
        edge = self.edges.get(edge_key)
        if edge is None:
            return
        edge.evidence.discard(evidence)
        if edge.evidence:
            return
        del self.edges[edge_key]
        for node, other in (edge_key, edge_key[::-1]):
            neighbours = self.adjacency[node]
            neighbours.discard(other)
            if not neighbours:
                del self.adjacency[node]


def shown_to(fact: MentionFact, viewer: str) -> bool:
    """Whether ``viewer``'s agency may see a row: any row but another agency's restricted one."""
    return not fact.restricted or fact.agency_code == viewer


def build_graph(
    mentions: Iterable[Mention], person_ids: Mapping[tuple[str, str], str]
) -> NetworkGraph:
    """Build the graph from format-v1 mentions and a person resolution.

    ``person_ids`` maps (agency_code, person_ref) to a person id, as
    ``safehub.linkage.resolve_people(...).person_ids`` gives it.
    """
    graph = NetworkGraph()
    graph.add_mentions(mentions, person_ids)
    return graph


def _edge_key(a: str, b: str) -> EdgeKey:
    return (a, b) if a <= b else (b, a)


def _mention_edges(fact: MentionFact) -> list[tuple[EdgeKey, str]]:
    person = keys.person_node(fact.person_id)
    found = [(_edge_key(person, keys.record_node(*fact.record_key)), "in_record")]
    found.extend((_edge_key(person, node), "carries") for node in fact.identifiers)
    if fact.address:
        found.append((_edge_key(person, fact.address), "lives_at"))
    return found


def _mention_fact(mention: Mention, person_ids: Mapping[tuple[str, str], str]) -> MentionFact:
    try:
        person_id = person_ids[mention.person_key]
    except KeyError:
        raise KeyError(f"no person id for {mention.person_key}: resolve people first") from None
    identifiers = sorted(
        {
            f"{_ID_KINDS[i.kind]}:{i.normalised}"
            for i in mention.identifiers
            if i.kind in _ID_KINDS and i.normalised
        }
        | {f"licence:{v}" for v in mention.valid_identifiers("licence")}
    )
    postcode = mention.get("postcode")
    return MentionFact(
        key=mention.key,
        person_id=person_id,
        role=mention.person_role,
        record_date=mention.record_date,
        date_of_birth=mention.date_of_birth,
        identifiers=tuple(identifiers),
        address=keys.address_node(mention.get("address"), postcode),
        indicators=tuple(sorted(set(mention.indicators))),
        licence_holder=mention.person_role == "licence_holder"
        or bool(mention.valid_identifiers("licence")),
        restricted=mention.get("restricted") == "Y",
        named=bool(mention.get("given_names").strip() or mention.get("family_name").strip()),
    )


def _record_row(mention: Mention) -> _RecordRow:
    values = tuple((c, mention.get(c)) for c in _RECORD_COLUMNS if mention.get(c))
    return _RecordRow(values, mention.get("group_based") == "Y", tuple(mention.indicators))


def _merge_record(key: RecordKey, rows: list[_RecordRow], first: MentionFact) -> RecordFact:
    """Record-level cells agree across rows (the reader checks); an empty cell is unknown."""
    merged: dict[str, str] = {}
    for row in rows:
        for column, value in row.values:
            merged.setdefault(column, value)
    place = keys.place_node(merged.get("location_name", ""), merged.get("location_postcode", ""))
    return RecordFact(
        key=key,
        agency_type=merged.get("agency_type", ""),
        record_type=merged.get("record_type", ""),
        record_date=first.record_date,
        area_code=merged.get("area_code", ""),
        place=place,
        place_label=merged.get("location_name", "") or merged.get("location_postcode", ""),
        group_based=any(r.group_based for r in rows),
        indicators=tuple(sorted({i for r in rows for i in r.indicators})),
        offence_code=merged.get("offence_code", ""),
    )
