"""Key people: every adult of concern ranked by measures an analyst knows, each with its reasons.

Measures: children linked (and through how many agencies' records), of those the children the
adult is recorded in contact with (named in a crime report, or found with them in a missing
episode: direct evidence, where intelligence is graded hearsay), whether the agencies recorded the
adult as a suspect or only as an associate, adults of concern sharing a vehicle, phone, licence,
handle or email, co-accused in the same records, betweenness within the candidate group,
brokerage between communities, and weighted degree. A hub that merely touches
many people gains nothing: reporters, parents and busy places never make links (``links.py``).
Children are never ranked; a child at the centre of many adults is a risk to the child
(``childview.py``), not a key person.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import networkit as nk
import numpy as np
import pandas as pd

from safehub.network import keys, nkutil
from safehub.network.concern import KIND_CODE, ConcernTable
from safehub.network.groups import Structure
from safehub.network.links import IDENTIFIER_KINDS, Links
from safehub.network.model import KeyPerson
from safehub.network.people import CHILD_VICTIM, CONCERN
from safehub.network.weights import HUB_CUTOFF_DEGREE

EXACT_BETWEENNESS_LIMIT = 5000  # nodes of one candidate group; larger ones are estimated
CHUNK_NODES = 4000  # small groups are measured together, a batch at a time
# Weights of the measures in the score: children first, then the structure that binds adults.
SCORE = {
    # Children linked, counted on a log scale: the first children an adult is linked to say most;
    # the driver who collects every child is not for that the one who runs the group.
    "children": 2.0,
    # Children linked only by being at the same flat or hotel, or through a shared car, not named
    # with the adult in any record: worth following up, half the weight.
    "children_elsewhere": 1.0,
    # Children the adult is recorded in contact with (a crime report against them, or found with
    # them while missing): direct evidence, above a co-mention in intelligence.
    "contact_children": 1.0,
    # Recorded as a suspect rather than only as an associate: the agency's own judgement.
    "suspect": 0.25,
    # ... and linked to child victims: the agencies suspect them of offences against children.
    "suspect_with_children": 3.0,
    # Present across agencies and areas: an organiser shows up where his men and his cars go.
    "extra_agencies": 0.75,
    "extra_areas": 1.0,
    # Holds the means a group shares: each phone, car, licence, handle or email shared with
    # another adult of concern, and a home (or premises he holds the licence for) that is the
    # place children were found.
    "shared_means": 1.0,
    "holds_place": 3.0,  # on a log scale of the children found there
    "shared_identifier_adults": 0.5,
    # Connects the other suspects: adults of his own group he is tied to directly.
    "group_adults": 1.0,
    "co_accused": 0.5,  # on a log scale
    "betweenness": 3.0,
    "groups_bridged": 1.0,
    "weighted_degree": 0.05,
    # A member of a group that meets the exploitation rule comes before adults who are not.
    "in_group": 4.0,
    # The member each group's organiser measures point to (``ORGANISER``) comes before every
    # other member of a group: a group is one line of enquiry and starts with the man who runs it.
    # 20 is more than the children and contact a driver can add on top of an organiser's score
    # (8 children in 3 agencies' records, all in crime reports: about 13), so the chosen organiser
    # of every group ranks above the drivers of every group, while the order between groups and
    # between the other members stays that of the measures.
    "organiser": 20.0,
}
# Who runs a group, among its adults: who holds the place, phone and car it shares, connects
# the other men and turns up across agencies and areas. Being named with children in records
# counts slightly against: the men with most direct contact are the drivers and the
# "boyfriends"; the man who runs them is seldom named with a child (case reviews). Slightly,
# so that where one man is in every record and holds the means too, he still runs the group
# (a weight of -0.5 or lower picks, on the dev worlds, 3 more organisers right, but makes the
# man named with one child the organiser of the hand-made group where another is named with
# three and tied to every man: test_most_connected_adult_is_the_organiser).
# Agencies and areas count here only where the records name the adult with no child victim
# (intelligence, licensing, a referral about the flat): a driver is recorded by the school, the
# council and the hospital because he is recorded *with the children*, which is contact, not
# reach (bench/hardgen/groups_analysis.md). The same holds for the means: the phone and car a
# group shares count for the man recorded with them where no child is (the intelligence on
# him), not for the driver seen in that car or the "boyfriend" with that phone in the
# children's missing episodes and referrals: that is use, not holding (``means_apart``; on 38
# dev worlds, planted organisers in the top 2xG went from 172 to 186 of 201, none fewer in any).
# Betweenness is left out here: it ties two men through a child both were seen with, so the
# men in its middle are the drivers who collect every child (on the dev worlds it picked a
# driver in 5 groups where the place, the means and the distance from the children picked the
# organiser; a betweenness over direct ties between the men only did no better).
ORGANISER = {
    "holds_place": 3.0,
    "means_apart": 1.0,  # shared identifiers recorded with the adult where no child is
    "group_adults": 1.0,
    "extra_agencies": 0.75,  # of the records naming no child victim
    "extra_areas": 1.0,  # of the records naming no child victim
    "co_accused": 0.5,
    "children": -0.25,  # on a log scale of the children named with the adult in records
}
SHARED_MEANS_CAP = 5
SHARED_ADULTS_CAP = 8
WEIGHTED_DEGREE_CAP = 20.0


@dataclass(frozen=True)
class Measures:
    """Per-person measure arrays, indexed like ``ConcernTable.person_ids``."""

    children: nkutil.IntArray
    record_children: nkutil.IntArray  # of ``children``, those named with the adult in a record
    contact_children: nkutil.IntArray
    suspect: nkutil.BoolArray
    intelligence_subject: nkutil.BoolArray  # of concern only as the subject of intelligence
    agencies: nkutil.IntArray
    shared_identifier_adults: nkutil.IntArray
    shared_kinds: dict[int, tuple[str, ...]]
    co_accused: nkutil.IntArray
    agencies_all: nkutil.IntArray  # agencies whose records name the adult as of concern
    areas: nkutil.IntArray  # areas of those records
    # Of those, the agencies and areas whose records name the adult with no child victim.
    agencies_apart: nkutil.IntArray
    areas_apart: nkutil.IntArray
    shared_means: nkutil.IntArray  # identifiers shared with another adult of concern
    # Of those, the ones recorded with the adult in records that name no child victim.
    means_apart: nkutil.IntArray
    holds_place: nkutil.IntArray  # children found at a place that is the adult's home
    group_adults: nkutil.IntArray  # adults of the same group tied to the adult directly
    organises: dict[int, str]  # person -> the group they organise (one per group)
    betweenness: nkutil.FloatArray
    groups_bridged: nkutil.IntArray
    weighted_degree: nkutil.FloatArray
    group_of: dict[int, str]


def measure_people(
    table: ConcernTable,
    links: Links,
    structure: Structure,
    group_ids: dict[int, str],
    seed: int,
) -> Measures:
    n = len(table.person_ids)
    measures = _measures(n, table, links, structure, group_ids, seed)
    return replace(measures, organises=organisers(table, measures))


def _measures(
    n: int,
    table: ConcernTable,
    links: Links,
    structure: Structure,
    group_ids: dict[int, str],
    seed: int,
) -> Measures:
    pairs, strong = links.pairs, links.strong
    ac_strong = strong[strong["combo"] == "AC"]
    ident = pairs[(pairs["combo"] == "AA") & pairs["kind"].isin(IDENTIFIER_KINDS)]
    records = pairs[(pairs["combo"] == "AA") & (pairs["kind"] == "record") & (pairs["weight"] > 0)]
    return Measures(
        children=_count_distinct(n, ac_strong["a"], ac_strong["b"]),
        record_children=_record_children(n, ac_strong, pairs),
        contact_children=_contact_children(n, table, pairs),
        suspect=table.suspect,
        intelligence_subject=table.intelligence_subject,
        agencies=_agencies(n, table, pairs),
        shared_identifier_adults=_count_partners(n, ident),
        shared_kinds=_shared_kinds(ident),
        co_accused=_count_partners(n, records),
        agencies_all=_presence(n, table, table.context_agency),
        areas=_presence(n, table, table.context_area),
        agencies_apart=_presence(n, table, table.context_agency, apart=True),
        areas_apart=_presence(n, table, table.context_area, apart=True),
        shared_means=_shared_means(n, ident),
        means_apart=_means_apart(n, table, ident),
        holds_place=_holds_place(n, table),
        group_adults=_group_adults(n, pairs, group_ids),
        organises={},
        betweenness=group_betweenness(n, structure, seed),
        groups_bridged=_groups_bridged(n, structure),
        weighted_degree=_weighted_degree(n, structure.edges),
        group_of=group_ids,
    )


def _count_distinct(n: int, keys: pd.Series, values: pd.Series) -> nkutil.IntArray:
    frame = pd.DataFrame({"k": keys.to_numpy(), "v": values.to_numpy()}).drop_duplicates()
    return np.bincount(frame["k"].to_numpy(), minlength=n).astype(np.int64)


def _record_children(n: int, ac_strong: pd.DataFrame, pairs: pd.DataFrame) -> nkutil.IntArray:
    """Of each adult's linked children, those named with the adult in at least one record."""
    named = pairs[(pairs["combo"] == "AC") & (pairs["kind"] == "record") & (pairs["weight"] > 0)]
    both = ac_strong[["a", "b"]].merge(named[["a", "b"]].drop_duplicates(), on=["a", "b"])
    return _count_distinct(n, both["a"], both["b"])


def _contact_children(n: int, table: ConcernTable, pairs: pd.DataFrame) -> nkutil.IntArray:
    """Distinct children each adult shares a contact record with (``context_contact``)."""
    ac = pairs[(pairs["combo"] == "AC") & (pairs["kind"] == "record") & (pairs["weight"] > 0)]
    ac = ac[table.context_contact[ac["context"].to_numpy()]]
    return _count_distinct(n, ac["a"], ac["b"])


def _count_partners(n: int, pairs: pd.DataFrame) -> nkutil.IntArray:
    both = pd.concat(
        [pairs[["a", "b"]], pairs[["b", "a"]].set_axis(["a", "b"], axis=1)], ignore_index=True
    )
    return _count_distinct(n, both["a"], both["b"])


def _shared_kinds(ident: pd.DataFrame) -> dict[int, tuple[str, ...]]:
    both = pd.concat(
        [ident[["a", "kind"]], ident[["b", "kind"]].set_axis(["a", "kind"], axis=1)],
        ignore_index=True,
    ).drop_duplicates()
    found: dict[int, list[str]] = {}
    for person, kind in zip(both["a"].to_numpy(), both["kind"].astype(str), strict=True):
        found.setdefault(int(person), []).append(kind)
    return {p: tuple(sorted(k)) for p, k in found.items()}


def _agencies(n: int, table: ConcernTable, pairs: pd.DataFrame) -> nkutil.IntArray:
    """Distinct agencies whose records link the adult to a child victim."""
    ac = pairs[(pairs["combo"] == "AC") & (pairs["kind"] == "record")]
    agency = np.array(table.context_agency, dtype=object)[ac["context"].to_numpy()]
    return _count_distinct(n, ac["a"], pd.Series(agency))


def organiser_scores(m: Measures) -> nkutil.FloatArray:
    score = (
        ORGANISER["holds_place"] * np.log2(1 + m.holds_place)
        + ORGANISER["means_apart"] * np.minimum(m.means_apart, SHARED_MEANS_CAP)
        + ORGANISER["group_adults"] * np.log2(1 + m.group_adults)
        + ORGANISER["extra_agencies"] * np.maximum(m.agencies_apart - 1, 0)
        + ORGANISER["extra_areas"] * np.maximum(m.areas_apart - 1, 0)
        + ORGANISER["co_accused"] * np.log2(1 + m.co_accused)
        + ORGANISER["children"] * np.log2(1 + m.record_children)
    )
    rounded: nkutil.FloatArray = np.round(score, 3)
    return rounded


def organisers(table: ConcernTable, m: Measures) -> dict[int, str]:
    """Each group's organiser: its adult of concern with the highest organiser score (ties:
    the smallest person id)."""
    score = organiser_scores(m)
    members: dict[str, list[int]] = {}
    for p, group in m.group_of.items():
        if table.concern[p]:
            members.setdefault(group, []).append(p)
    return {
        min(people, key=lambda p: (-score[p], table.person_ids[p])): group
        for group, people in sorted(members.items())
    }


def _presence(
    n: int, table: ConcernTable, labels: list[str], apart: bool = False
) -> nkutil.IntArray:
    """Distinct agencies (or areas) of the records that name each person as of concern; with
    ``apart``, only of the records that name no child victim."""
    concern = table.row_class == CONCERN
    if apart:
        with_child = np.zeros(len(table.contexts), dtype=np.bool_)
        with_child[table.row_context[table.row_class == CHILD_VICTIM]] = True
        concern &= ~with_child[table.row_context]
    people, contexts = table.row_person[concern], table.row_context[concern]
    label = np.array(labels, dtype=object)[contexts] if len(labels) else np.zeros(0, dtype=object)
    known = label != ""
    return _count_distinct(n, pd.Series(people[known]), pd.Series(label[known]))


def _shared_means(n: int, ident: pd.DataFrame) -> nkutil.IntArray:
    """Distinct phones, cars, licences, handles or emails each adult shares with another."""
    used = ident[ident["weight"] > 0]
    both = pd.concat(
        [
            used[["a", "context"]],
            used[["b", "context"]].set_axis(["a", "context"], axis=1),
        ],
        ignore_index=True,
    )
    return _count_distinct(n, both["a"], both["context"])


def _means_apart(n: int, table: ConcernTable, ident: pd.DataFrame) -> nkutil.IntArray:
    """Of each adult's shared identifiers (``_shared_means``), those recorded with the adult in
    records that name no child victim: the phone and car on the intelligence about him, not the
    car he was seen in with a missing child.

    The table keeps no record beside an identifier row, only its day (the record's date): an
    identifier counts when every record naming the adult as of concern on that day names no
    child victim, so a day with a child's record never counts, nor a day with no record naming
    him as of concern (it can undercount, never count a car seen with a child).
    """
    used = ident[ident["weight"] > 0]
    shared = pd.concat(
        [used[["a", "context"]], used[["b", "context"]].set_axis(["a", "context"], axis=1)],
        ignore_index=True,
    ).drop_duplicates()
    if not len(shared):
        return np.zeros(n, dtype=np.int64)
    with_child = np.zeros(len(table.contexts), dtype=np.bool_)
    with_child[table.row_context[table.row_class == CHILD_VICTIM]] = True
    kind = table.context_kind[table.row_context]
    concern = table.row_class == CONCERN
    record = concern & (kind == KIND_CODE["record"])
    days = pd.DataFrame(
        {
            "a": table.row_person[record],
            "day": table.row_day[record],
            "child": with_child[table.row_context[record]],
        }
    )
    # A day counts as apart only when none of the adult's records that day names a child.
    days = days.groupby(["a", "day"], as_index=False).agg(child=("child", "max"))
    apart = days.loc[~days["child"], ["a", "day"]]
    held = concern & np.isin(kind, [KIND_CODE[k] for k in IDENTIFIER_KINDS])
    rows = pd.DataFrame(
        {
            "a": table.row_person[held],
            "day": table.row_day[held],
            "context": table.row_context[held],
        }
    )
    found = rows.merge(apart, on=["a", "day"])[["a", "context"]].drop_duplicates()
    found = found.merge(shared, on=["a", "context"])
    return np.bincount(found["a"].to_numpy(), minlength=n).astype(np.int64)


def _holds_place(n: int, table: ConcernTable) -> nkutil.IntArray:
    """Children found at a place that is an adult of concern's home address (the flat above the
    takeaway) or the premises a licence of his is for (the takeaway: ``concern.licensed_premises``,
    as he holds them as he holds his home): a place and an address are the same premises when
    their words and postcode agree. A man whose home is a flat above, a floor of or the rear of
    named premises is at those premises too (``keys.premises``: "Flat 1, above Best Kebab" is at
    Best Kebab); the licence of the takeaway does not make its holder hold the flat above it,
    nor does one flat above it hold another.

    A place so busy that it makes no links (``weights.HUB_CUTOFF_DEGREE`` people: the busiest
    takeaway in town, a hotel housing families) says nothing of whoever holds it: the children
    found there are the town's, and holding its licence would rank a man by its trade.
    """
    kind = table.context_kind[table.row_context]
    names = np.array(table.contexts, dtype=object)
    homes = (table.row_class == CONCERN) & (kind == KIND_CODE["address"])
    quiet = table.context_degree[table.row_context] <= HUB_CUTOFF_DEGREE
    seen = (table.row_class == CHILD_VICTIM) & (kind == KIND_CODE["place"]) & quiet
    if not homes.any() or not seen.any():
        return np.zeros(n, dtype=np.int64)
    home_values = [keys.node_value(v) for v in names[table.row_context[homes]]]
    home = pd.DataFrame(
        {
            "a": np.tile(table.row_person[homes], 2),
            "premises": home_values + [keys.premises(v) for v in home_values],
        }
    )
    at = pd.DataFrame(
        {
            "b": table.row_person[seen],
            "premises": [keys.node_value(v) for v in names[table.row_context[seen]]],
        }
    )
    home, at = home.drop_duplicates(), at.drop_duplicates()
    both = pd.concat([home.merge(at, on="premises"), _town_after(home, at)], ignore_index=True)
    return _count_distinct(n, both["a"], both["b"])


def _town_after(home: pd.DataFrame, at: pd.DataFrame) -> pd.DataFrame:
    """(adult, child) where the adult's home is written as the place with its town after it:
    "Flat 1, above Star Pizza, Sheffield" is the "Flat 1, above Star Pizza" children were found
    at, in the same postcode (SEALED14 roaming: the organiser's address on the intelligence
    carried the town, the missing episodes did not, and he held no place). Only with a postcode,
    and only words after the whole of the place's name, none of them a number."""
    split_home = home["premises"].str.partition("|")
    split_at = at["premises"].str.partition("|")
    left = pd.DataFrame({"a": home["a"], "words": split_home[0], "code": split_home[2]})
    right = pd.DataFrame({"b": at["b"], "name": split_at[0], "code": split_at[2]})
    left, right = left[left["code"] != ""], right[(right["code"] != "") & (right["name"] != "")]
    pairs = left.merge(right, on="code")
    if not len(pairs):
        return pd.DataFrame({"a": [], "b": []}, dtype=np.int64)
    keep = [
        keys.town_after(words, name)
        for words, name in zip(pairs["words"], pairs["name"], strict=True)
    ]
    return pairs.loc[keep, ["a", "b"]]


def _group_adults(n: int, pairs: pd.DataFrame, group_ids: dict[int, str]) -> nkutil.IntArray:
    """Adults of the same group each adult is tied to directly (a record or an identifier)."""
    aa = pairs[(pairs["combo"] == "AA") & (pairs["weight"] > 0)][["a", "b"]].drop_duplicates()
    group = np.array([group_ids.get(p, "") for p in range(n)], dtype=object)
    if not len(aa):
        return np.zeros(n, dtype=np.int64)
    ga, gb = group[aa["a"].to_numpy()], group[aa["b"].to_numpy()]
    same = aa[(ga == gb) & (ga != "")]
    return _count_partners(n, same)


def _weighted_degree(n: int, edges: pd.DataFrame) -> nkutil.FloatArray:
    a, b, w = edges["a"].to_numpy(), edges["b"].to_numpy(), edges["weight"].to_numpy()
    total: nkutil.FloatArray = np.bincount(a, weights=w, minlength=n).astype(np.float64)
    return total + np.bincount(b, weights=w, minlength=n)


def _groups_bridged(n: int, structure: Structure) -> nkutil.IntArray:
    """How many communities other than their own a person's strong links reach."""
    a, b = structure.edges["a"].to_numpy(), structure.edges["b"].to_numpy()
    community = structure.community
    frame = pd.DataFrame(
        {"p": np.concatenate([a, b]), "c": community[np.concatenate([b, a])]}
    ).drop_duplicates()
    frame = frame[frame["c"].to_numpy() != community[frame["p"].to_numpy()]]
    return np.bincount(frame["p"].to_numpy(), minlength=n).astype(np.int64)


def group_betweenness(n: int, structure: Structure, seed: int) -> nkutil.FloatArray:
    """Betweenness of each person within their candidate group (unit), normalised to 0..1.

    Whole-graph betweenness is the expensive part (docs/architecture.md): groups are measured on their
    own, small ones in batches, so the cost follows the sum over groups, not the whole graph.
    """
    unit = structure.unit
    edges = structure.adult_edges
    inside = edges[unit[edges["a"].to_numpy()] == unit[edges["b"].to_numpy()]]
    sizes = np.bincount(unit[unit >= 0]) if (unit >= 0).any() else np.zeros(0, dtype=np.int64)
    result = np.zeros(n)
    for members in _batches(unit, sizes):
        result[members] = _batch_betweenness(members, inside, unit, sizes, seed)
    return result


def _batches(unit: nkutil.IntArray, sizes: nkutil.IntArray) -> list[nkutil.IntArray]:
    if len(sizes) == 0:
        return []
    people = np.flatnonzero((unit >= 0) & (sizes[np.maximum(unit, 0)] >= 3))
    people = people[np.argsort(unit[people], kind="stable")]
    batches: list[nkutil.IntArray] = []
    start = 0
    while start < len(people):
        end, count = start, 0
        while end < len(people) and (count == 0 or count + sizes[unit[people[end]]] <= CHUNK_NODES):
            first_unit = unit[people[end]]
            step = int(sizes[first_unit])
            count += step
            end += step
        batches.append(people[start:end])
        start = end
    return batches


def _batch_betweenness(
    members: nkutil.IntArray,
    inside: pd.DataFrame,
    unit: nkutil.IntArray,
    sizes: nkutil.IntArray,
    seed: int,
) -> nkutil.FloatArray:
    local = np.full(len(unit), -1, dtype=np.int64)
    local[members] = np.arange(len(members))
    a, b = local[inside["a"].to_numpy()], local[inside["b"].to_numpy()]
    keep = (a >= 0) & (b >= 0)
    graph = nk.graph.GraphFromCoo((a[keep], b[keep]), n=len(members), weighted=False)
    raw = nkutil.betweenness(graph, EXACT_BETWEENNESS_LIMIT, seed)
    size = sizes[unit[members]].astype(np.float64)
    # networkit counts each undirected pair in both directions: ordered pairs of the others.
    possible = (size - 1) * (size - 2)
    return np.where(possible > 0, raw / np.maximum(possible, 1), 0.0)


def score_people(table: ConcernTable, measures: Measures) -> nkutil.FloatArray:
    m = measures
    in_group = np.zeros(len(table.person_ids))
    in_group[list(m.group_of)] = 1.0
    elsewhere = m.children - m.record_children
    score = (
        SCORE["children"] * np.log2(1 + m.record_children)
        + SCORE["children_elsewhere"] * np.log2(1 + elsewhere)
        + SCORE["contact_children"] * np.log2(1 + m.contact_children)
        + SCORE["suspect"] * m.suspect
        + SCORE["suspect_with_children"] * (m.suspect & (m.children > 0))
        + SCORE["extra_agencies"] * np.maximum(m.agencies_all - 1, 0)
        + SCORE["extra_areas"] * np.maximum(m.areas - 1, 0)
        + SCORE["shared_means"] * np.minimum(m.shared_means, SHARED_MEANS_CAP)
        + SCORE["holds_place"] * np.log2(1 + m.holds_place)
        + SCORE["shared_identifier_adults"]
        * np.minimum(m.shared_identifier_adults, SHARED_ADULTS_CAP)
        + SCORE["group_adults"] * np.log2(1 + m.group_adults)
        + SCORE["co_accused"] * np.log2(1 + m.co_accused)
        + SCORE["betweenness"] * m.betweenness
        + SCORE["groups_bridged"] * m.groups_bridged
        + SCORE["weighted_degree"] * np.minimum(m.weighted_degree, WEIGHTED_DEGREE_CAP)
        + SCORE["in_group"] * in_group
        + SCORE["organiser"] * np.isin(np.arange(len(in_group)), list(m.organises))
    )
    # Rounded so that the order (and the file) does not hang on the last bit of a float.
    rounded: nkutil.FloatArray = np.round(score, 3)
    return rounded


def rank_key_people(table: ConcernTable, measures: Measures) -> list[KeyPerson]:
    """Every adult of concern, best first; ties broken by person id."""
    score = score_people(table, measures)
    adults = np.flatnonzero(table.concern)
    ids = np.array(table.person_ids, dtype=object)[adults]
    order = np.lexsort((ids, -score[adults]))
    return [
        _key_person(rank, int(adults[i]), table, measures, float(score[adults[i]]))
        for rank, i in enumerate(order, start=1)
    ]


def _key_person(rank: int, p: int, table: ConcernTable, m: Measures, score: float) -> KeyPerson:
    return KeyPerson(
        rank=rank,
        person_id=table.person_ids[p],
        score=score,
        reasons=reasons_sentence(m, p),
        children=int(m.children[p]),
        agencies=int(m.agencies[p]),
        shared_identifier_adults=int(m.shared_identifier_adults[p]),
        co_accused=int(m.co_accused[p]),
        betweenness=round(float(m.betweenness[p]), 3),
        groups_bridged=int(m.groups_bridged[p]),
        group_id=m.group_of.get(p, ""),
    )


def _children_sentence(m: Measures, p: int) -> str:
    """ "linked to 3 children in 2 agencies' records", saying how many only through a place,
    a car or a phone (never named with the adult in a record)."""
    linked = f"linked to {_n(m.children[p], 'child', 'children')}"
    agencies = "1 agency's" if m.agencies[p] == 1 else f"{int(m.agencies[p])} agencies'"
    elsewhere = int(m.children[p] - m.record_children[p])
    if not elsewhere:
        return f"{linked} in {agencies} records"
    through = "through a shared place, vehicle or phone only"
    if not m.record_children[p]:
        return f"{linked} {through}"
    return f"{linked}, {int(m.record_children[p])} of them in {agencies} records, {elsewhere} {through}"


def reasons_sentence(m: Measures, p: int) -> str:
    """A short human sentence of the measures that count for one person.

    For example: "linked to 5 children in 3 agencies' records; with 4 of them in crime reports or
    missing episodes; recorded as a suspect; shares a vehicle with 2 adults of concern; broker
    between 2 groups".
    """
    parts: list[str] = []
    if m.children[p]:
        parts.append(_children_sentence(m, p))
    if m.contact_children[p]:
        parts.append(
            f"with {int(m.contact_children[p])} of them in crime reports or missing episodes"
        )
    if m.shared_identifier_adults[p]:
        kinds = " or ".join(m.shared_kinds.get(p, ("identifier",)))
        parts.append(
            f"shares a {kinds} with "
            f"{_n(m.shared_identifier_adults[p], 'adult', 'adults')} of concern"
        )
    if m.holds_place[p]:
        found = _n(m.holds_place[p], "child was", "children were")
        parts.append(f"lives at or holds the licence for premises where {found} found")
    if m.shared_means[p]:
        parts.append(
            f"holds {_n(m.shared_means[p], 'phone, car or other identifier', 'phones, cars or other identifiers')}"
            " shared with other adults of concern"
        )
    if m.agencies_all[p] > 1 or m.areas[p] > 1:
        parts.append(
            f"recorded as of concern by {_n(m.agencies_all[p], 'agency', 'agencies')} "
            f"in {_n(m.areas[p], 'area', 'areas')}"
        )
    if m.co_accused[p]:
        parts.append(
            f"named with {_n(m.co_accused[p], 'adult', 'adults')} of concern in the same records"
        )
    if m.groups_bridged[p]:
        parts.append(f"broker between {int(m.groups_bridged[p]) + 1} groups")
    if m.betweenness[p] >= 0.1:
        parts.append(f"central in their group (betweenness {m.betweenness[p]:.2f})")
    if p in m.organises:
        parts.append(_organiser_sentence(m, p))
    elif p in m.group_of:
        parts.append(f"member of group {m.group_of[p]}")
    role = (
        "recorded as a suspect"
        if m.suspect[p]
        else "the subject of police intelligence"
        if m.intelligence_subject[p]
        else "recorded as an associate"
    )
    if not parts:
        return f"{role}; no links to children found"
    # Said after the children (what matters most), as it weighs in the score too.
    at = 2 if m.contact_children[p] else 1 if m.children[p] else 0
    return "; ".join([*parts[:at], role, *parts[at:]])


def _organiser_sentence(m: Measures, p: int) -> str:
    """Why this member and not the others runs the group, in the words of ``ORGANISER``: e.g.
    "the organiser by these measures (holds the place the children were found at and the phone,
    car or other identifier its men share in records naming no child, tied to 5 of its adults,
    named with no child in any record), member of group G0001"."""
    why: list[str] = []
    held = []
    if m.holds_place[p]:
        held.append("the place the children were found at")
    if m.means_apart[p]:
        held.append("the phone, car or other identifier its men share in records naming no child")
    if held:
        why.append(f"holds {' and '.join(held)}")
    if m.group_adults[p]:
        why.append(f"tied to {_n(m.group_adults[p], 'of its adults', 'of its adults')}")
    if m.agencies_apart[p] > 1 or m.areas_apart[p] > 1:
        why.append(
            f"present in {_n(m.areas_apart[p], 'area', 'areas')} and "
            f"{_n(m.agencies_apart[p], 'agency', 'agencies')} in records naming no child"
        )
    if not m.record_children[p]:
        why.append("named with no child in any record")
    # "member of group ..." stays last: where a group's code is read from the reasons.
    because = f" ({', '.join(why)})" if why else ""
    return f"the organiser by these measures{because}, member of group {m.group_of[p]}"


def _n(count: int | np.integer, one: str, many: str) -> str:
    return f"{int(count)} {one if count == 1 else many}"
