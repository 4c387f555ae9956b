"""French for the PostgreSQL schema (issue 18), folded into the catalog by scripts/i18n_import_dicts.py."""

MESSAGES = {
    "This database holds part of a pos-tui schema only (missing {names}): restore it from a backup.":
        "Cette base ne contient qu'une partie d'un schéma pos-tui (il manque {names}) : restaurez-la depuis une "
        "sauvegarde.",
}
