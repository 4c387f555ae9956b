"""French for pos-tui migrate (issue 18), folded into the catalog by scripts/i18n_import_dicts.py."""

MESSAGES = {
    "move this single-shop SQLite store (--db FILE) into an empty PostgreSQL database, verified on arrival":
        "déplacer ce magasin SQLite (--db FICHIER, un seul magasin) dans une base PostgreSQL vide, vérifié à "
        "l'arrivée",
    "the empty PostgreSQL database to move the shop into": "la base PostgreSQL vide où déplacer le magasin",
    "the shop's store code there (default MAIN)": "le code du magasin dans cette base (MAIN par défaut)",
    "migrate moves a SQLite store (--db FILE) into PostgreSQL; {target} is not one.":
        "migrate déplace un magasin SQLite (--db FICHIER) dans PostgreSQL ; {target} n'en est pas un.",
    ("{n} row moved to {url} as the store {code}, and verified there:",
     "{n} rows moved to {url} as the store {code}, and verified there:"):
        ("{n} ligne déplacée vers {url} comme magasin {code}, et vérifiée là-bas :",
         "{n} lignes déplacées vers {url} comme magasin {code}, et vérifiées là-bas :"),
    "Signing key: {path}. Back it up with the server's backups: without it no signature of this store can be "
    "checked.":
        "Clé de signature : {path}. Sauvegardez-la avec les sauvegardes du serveur : sans elle aucune signature "
        "de ce magasin ne peut être vérifiée.",
    "No signing key yet (nothing was signed): the first sale on the server makes one.":
        "Pas encore de clé de signature (rien n'a été signé) : la première vente sur le serveur en crée une.",
    "Anchor log: {path}.": "Journal d'ancres : {path}.",
    "Open the tills with --db {url} --store {code}; keep {path} as the record of the move, do not sell on it "
    "any more.":
        "Ouvrez les caisses avec --db {url} --store {code} ; gardez {path} comme trace du déplacement, ne vendez "
        "plus dessus.",
    "{path} already exists and differs from this shop's copy: another store's file is there. Move it away (keep "
    "it: it may be a signing key in use), then run this again.":
        "{path} existe déjà et diffère de celui de ce magasin : c'est le fichier d'un autre magasin. Déplacez-le "
        "(gardez-le : ce peut être une clé de signature en service), puis relancez.",
    "The store code {code!r} is not valid: letters, digits, - and _ only.":
        "Le code de magasin {code!r} n'est pas valide : lettres, chiffres, - et _ seulement.",
    "--to must be a postgresql://USER@HOST/DATABASE address, not {url!r}.":
        "--to doit être une adresse postgresql://UTILISATEUR@HÔTE/BASE, pas {url!r}.",
    "{path} holds several stores: migrate moves a single-shop store only.":
        "{path} contient plusieurs magasins : migrate ne déplace qu'une base d'un seul magasin.",
    "{path} does not verify ({problem}): run pos-tui verify and repair it first; nothing was moved.":
        "{path} ne se vérifie pas ({problem}) : lancez pos-tui verify et réparez-la d'abord ; rien n'a été "
        "déplacé.",
    "The PostgreSQL schema has no table {tables}: this pos-tui cannot move this store.":
        "Le schéma PostgreSQL n'a pas de table {tables} : ce pos-tui ne peut pas déplacer ce magasin.",
    "{url} is not empty ({tables}). Moving a shop into a company that already has data would give its records "
    "new ids, which breaks their signatures: migrate only into an empty database. To add a shop to this one, "
    "create it there with: pos-tui stores add CODE NAME.":
        "{url} n'est pas vide ({tables}). Déplacer un magasin dans une société qui a déjà des données donnerait "
        "de nouveaux numéros à ses enregistrements, ce qui casse leurs signatures : migrate ne va que dans une "
        "base vide. Pour ajouter un magasin à celle-ci, créez-le avec : pos-tui stores add CODE NOM.",
    "The PostgreSQL table {table} has no column {columns}: this pos-tui cannot move this store.":
        "La table PostgreSQL {table} n'a pas de colonne {columns} : ce pos-tui ne peut pas déplacer ce magasin.",
    "The copy does not verify ({problem}); nothing was written to {url}.":
        "La copie ne se vérifie pas ({problem}) ; rien n'a été écrit dans {url}.",
    "The move failed ({reason}); nothing was written to {url}.":
        "Le déplacement a échoué ({reason}) ; rien n'a été écrit dans {url}.",
}
