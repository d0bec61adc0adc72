"""People search that stays fast under row-level security: a trigram index of current mentions'
names, and a function that finds the ids of the mentions whose name contains every word typed.

Why: ``LIKE '%word%'`` is not leakproof, so under the policy on ``person_mention`` PostgreSQL
must run ``safehub_can_read_mention`` on every current mention before the name filter, and
cannot use an index for it: over 37 s a search at 1,000,000 mentions (bench/load_results.md).

- ``pg_trgm`` (trusted, shipped with PostgreSQL 15 and the embedded server).
- ``safehub_mention_name(given, family, aliases)``: the lowered name text the search has always
  matched (given names, family name and aliases, space-separated), IMMUTABLE so it can be
  indexed; only built-in functions, so any caller's ``search_path`` finds the same ones.
- ``ix_person_mention_name_trgm``: a GIN trigram index of it over current mentions.
- ``safehub_mention_ids_named(words, dob_pattern)``: SECURITY DEFINER, owned by the NOLOGIN
  read-only ``safehub_access`` (like the policy helpers of 0004), ``search_path`` pinned to
  ``pg_catalog``, EXECUTE revoked from PUBLIC and granted to ``safehub_app`` alone. It returns
  the ids (and nothing else: no name, no agency, no person) of current mentions whose name
  contains every word literally (``%``, ``_`` and ``\\`` are escaped) and, given a pattern, whose
  date of birth is LIKE it; the first 20,000 by person, then by id. It answers only in a context
  that may read mentions at all (an identifiable role with an agency, or the system). The app
  then reads those mentions by ``id = ANY(ids)`` (a leakproof condition, so the primary key is
  used) under its ordinary session: the policy still decides, row by row, which the user sees.

Why exposing the ids of matching mentions to the application role is acceptable:
- it is ids only: a number says nothing of a person, an agency or a record, and every row
  behind an id is still read through row-level security, which hides any the user may not see
  (a test holds it: a mention of another agency's restricted person is never found);
- only ``safehub_app`` may call it (not the public app's role, not oversight), in a context
  that could read mentions anyway;
- the application role can already set the system context and read every row (row-level
  security guards against a query that forgets a filter, not against the role itself), so
  learning which ids have a name containing a word gives that role nothing it has not; what it
  shows a user is still only what the policy lets the user's session read.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OWNER = "safehub_access"
CAP = 20_000
_NAME_SIGNATURE = "safehub_mention_name(given text, family text, aliases text[])"
_IDS_SIGNATURE = "safehub_mention_ids_named(words text[], dob_pattern text)"

# The expression the search has always matched (queries/people.py), as one indexable function.
_NAME = f"""
CREATE FUNCTION {_NAME_SIGNATURE} RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lower(coalesce(given, '') || ' ' || coalesce(family, '') || ' ' ||
               coalesce(array_to_string(aliases, ' '), ''))
$$
"""

# One LIKE per word (each indexable, so the trigram index ANDs them) built with EXECUTE: only
# the words' positions are written into the text; the words themselves are parameters.
_IDS = rf"""
CREATE FUNCTION {_IDS_SIGNATURE} RETURNS SETOF bigint
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
  patterns text[];
  clauses text := '';
BEGIN
  IF coalesce(cardinality(words), 0) = 0
     OR NOT (public.safehub_ctx_system() OR public.safehub_ctx_identifiable()) THEN
    RETURN;
  END IF;
  SELECT array_agg('%' || replace(replace(replace(w, '\', '\\'), '%', '\%'), '_', '\_') || '%'
                   ORDER BY n)
    INTO patterns FROM unnest(words) WITH ORDINALITY AS t(w, n);
  FOR i IN 1 .. cardinality(patterns) LOOP
    clauses := clauses || format(
      ' AND public.safehub_mention_name(m.given_names, m.family_name, m.aliases) LIKE $1[%s]', i);
  END LOOP;
  IF dob_pattern IS NOT NULL THEN
    clauses := clauses || ' AND m.date_of_birth LIKE $2';
  END IF;
  RETURN QUERY EXECUTE
    'SELECT m.id FROM public.person_mention m '
    || 'JOIN public.agency_person ap ON ap.id = m.agency_person_id WHERE m.current' || clauses
    || ' ORDER BY ap.person_id, m.id LIMIT {CAP}'
    USING patterns, dob_pattern;
END
$$
"""


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(_NAME)
    op.execute(
        "CREATE INDEX ix_person_mention_name_trgm ON person_mention USING gin "
        "(safehub_mention_name(given_names, family_name, aliases) gin_trgm_ops) WHERE current"
    )
    op.execute(_IDS)
    op.execute(f"ALTER FUNCTION {_IDS_SIGNATURE} OWNER TO {OWNER}")
    op.execute(f"REVOKE ALL ON FUNCTION {_IDS_SIGNATURE} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {_IDS_SIGNATURE} TO safehub_app")


def downgrade() -> None:
    # pg_trgm stays: dropping an extension another object may have come to use is not ours to do.
    op.execute("DROP FUNCTION IF EXISTS safehub_mention_ids_named(text[], text)")
    op.execute("DROP INDEX IF EXISTS ix_person_mention_name_trgm")
    op.execute("DROP FUNCTION IF EXISTS safehub_mention_name(text, text, text[])")
