"""Alias matching in SQL (dataset imports, over a whole file in DuckDB) against the Python matching
the vocabulary uses (vocab.Vocabulary.actor_for), on the same inputs: every actor's name and alias."""

from analytics.importers.common import build_lookups, drop_temp, norm_sql
from analytics.store import sync_vocabulary
from analytics.vocab import is_case_sensitive, load_vocabulary


def test_the_import_lookup_finds_every_actor_alias_as_the_vocabulary_does(db):
    vocabulary = load_vocabulary()
    sync_vocabulary(db)
    build_lookups(db, {})
    try:
        cases = []
        for actor in vocabulary.actors:
            for alias in (actor.name, *actor.aliases):
                # The vocabulary's own reading of the alias: the SQL must agree with it.
                assert vocabulary.actor_for(alias).name == actor.name, alias
                cases.append((alias, actor.name))
                cases.append((f"  {alias.replace(' ', '  ')} ", actor.name))  # a dataset's stray spaces
                cases.append((alias + " (2000-)", actor.name))  # ACLED's period in brackets
                if not is_case_sensitive(alias):  # a case-insensitive alias matches in any case, both ways
                    cases.append((alias.upper(), actor.name))
                    assert vocabulary.actor_for(alias.upper()).name == actor.name, alias
        assert len(cases) > 100
        found = db.execute(
            f"""SELECT c.surface, c.actor, l.actor FROM (SELECT unnest(?) AS surface, unnest(?) AS actor) c
                LEFT JOIN _imp_actor_lookup l ON l.key = {norm_sql("c.surface")}""",  # noqa: S608 - fixed text
            [[s for s, _ in cases], [a for _, a in cases]],
        ).fetchall()
        wrong = [(surface, want, got) for surface, want, got in found if got != want]
        assert wrong == []
    finally:
        drop_temp(db)
