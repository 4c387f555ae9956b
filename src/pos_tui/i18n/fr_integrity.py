"""French strings of the fiscal trail: anchors, staff records, period closings, archives, backups (issue 15)."""

MESSAGES = {
    "{n} typed anchor(s) found in the chain.": "{n} ancre(s) saisie(s) retrouvée(s) dans la chaîne.",
    "Chain anchor {anchor}": "Ancre de chaîne {anchor}",
    "Chain anchor": "Ancre de chaîne",
    "an anchor printed on a Z ticket, e.g. 345:3f2a-91bc-0d4e-77aa (may be repeated)":
        "une ancre imprimée sur un ticket Z, p. ex. 345:3f2a-91bc-0d4e-77aa (répétable)",
    "check this archive alone, without the database": "vérifier cette archive seule, sans la base de données",
    "the signing key for --archive (default: the one beside the database)":
        "la clé de signature pour --archive (par défaut : celle à côté de la base)",
    "Not an anchor: {text!r} (use SEQ:FINGERPRINT as printed on the Z, e.g. 345:3f2a-91bc-0d4e-77aa).":
        "Ce n'est pas une ancre : {text!r} (utilisez N:EMPREINTE comme imprimé sur le Z, "
        "p. ex. 345:3f2a-91bc-0d4e-77aa).",
    "the anchor log {path} is missing although the store has Z closings: restore it from your backup "
    "(a store older than the anchors gets its log at its next Z)":
        "le journal d'ancres {path} est absent alors que la base contient des Z : restaurez-le depuis votre "
        "sauvegarde (une base antérieure aux ancres reçoit son journal à son prochain Z)",
    "the chain stops at #{n}; {what} anchored #{m} (records were deleted from the end, or an older copy of the "
    "database was put back)":
        "la chaîne s'arrête au n°{n} ; {what} a ancré le n°{m} (des enregistrements ont été supprimés à la fin, "
        "ou une copie plus ancienne de la base a été remise en place)",
    "chain entry #{m} is not the one {what} anchored ({fp}): the chain was rewritten, or an older copy of the "
    "database was put back":
        "le maillon n°{m} n'est pas celui que {what} a ancré ({fp}) : la chaîne a été réécrite, ou une copie "
        "plus ancienne de la base a été remise en place",
    "Z n°{z} of {day}": "le Z n°{z} du {day}",
    "the anchor typed on the command line": "l'ancre saisie en ligne de commande",
    "anchor log {path}: cannot be read ({reason})": "journal d'ancres {path} : illisible ({reason})",
    "anchor log {path}, line {n}: not an anchor": "journal d'ancres {path}, ligne {n} : ce n'est pas une ancre",
    "anchor log {path}, line {n}: altered (its MAC does not match)":
        "journal d'ancres {path}, ligne {n} : modifiée (son MAC ne correspond pas)",
    "users #{id} ({name}): no signed staff record (added outside pos-tui)":
        "utilisateur n°{id} ({name}) : aucun enregistrement signé (ajouté hors de pos-tui)",
    "users #{id} ({name}): {fields} differ from its signed staff record #{log} (changed outside pos-tui)":
        "utilisateur n°{id} ({name}) : {fields} diffèrent de son enregistrement signé n°{log} "
        "(modifié hors de pos-tui)",
}
