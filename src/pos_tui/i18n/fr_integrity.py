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
    "Give --month or --year, not both.": "Donnez --month ou --year, pas les deux.",
    "{period} is not closed yet: the sum of its Z so far ({n}).":
        "{period} n'est pas encore clôturé : somme de ses Z jusqu'ici ({n}).",
    "{start} → {end} · closed {at}": "{start} → {end} · clôturé le {at}",
    "Z closings: {n} (n° {first} to {last})": "Z : {n} (n° {first} à {last})",
    "Period grand total: {amount}": "Grand total de la période : {amount}",
    "Perpetual grand total: {amount}": "Grand total perpétuel : {amount}",
    "Archive of {period} ({start} → {end}) written to {file}: {n} records.":
        "Archive de {period} ({start} → {end}) écrite dans {file} : {n} enregistrements.",
    "Archive verified: {period} ({start} → {end}), {parts} parts, {n} records.":
        "Archive vérifiée : {period} ({start} → {end}), {parts} parties, {n} enregistrements.",
    "Only the parts were checked against the manifest: without the key (--key FILE) neither the manifest's HMAC "
    "nor the records' signatures could be checked.":
        "Seules les parties ont été comparées au manifeste : sans la clé (--key FICHIER), ni le HMAC du manifeste "
        "ni les signatures des enregistrements n'ont pu être vérifiés.",
    "The copy {path} was written but does not verify:": "La copie {path} a été écrite mais ne se vérifie pas :",
    "Backup written to {path} ({size} bytes) and verified; key: {key}; anchor log: {anchors}.":
        "Sauvegarde écrite dans {path} ({size} octets) et vérifiée ; clé : {key} ; journal d'ancres : {anchors}.",
    "none yet": "pas encore",
    "Keep the copy and both files together, away from this machine, for six years.":
        "Gardez la copie et ses deux fichiers ensemble, hors de cette machine, pendant six ans.",
    "show the monthly closing of this month instead": "afficher plutôt la clôture mensuelle de ce mois",
    "show the closing of the fiscal year starting in this year":
        "afficher la clôture de l'exercice commençant cette année-là",
    "write a signed archive of one period's fiscal records":
        "écrire une archive signée des enregistrements fiscaux d'une période",
    "the month (YYYY-MM) or year (YYYY)": "le mois (AAAA-MM) ou l'année (AAAA)",
    "the archive file (.zip) or a folder to write it in": "le fichier d'archive (.zip) ou un dossier où l'écrire",
    "copy the database while the tills sell, with its key and anchor log":
        "copier la base pendant que les caisses vendent, avec sa clé et son journal d'ancres",
    "the copy's file, or a folder to write it in": "le fichier de la copie, ou un dossier où l'écrire",
    "Cannot read the key {path}: {reason}": "Impossible de lire la clé {path} : {reason}",
    "not a pos-tui key": "ce n'est pas une clé pos-tui",
    "{file}: not a readable archive ({reason})": "{file} : archive illisible ({reason})",
    "{part}: damaged inside the archive ({reason})": "{part} : endommagé dans l'archive ({reason})",
    "{part}: missing from the archive": "{part} : absent de l'archive",
    "{part}: not a pos-tui archive manifest": "{part} : ce n'est pas un manifeste d'archive pos-tui",
    "{part}: altered, or made with another key (its HMAC does not match)":
        "{part} : modifié, ou fait avec une autre clé (son HMAC ne correspond pas)",
    "{part}: altered (its SHA-256 is not the manifest's)": "{part} : modifié (son SHA-256 n'est pas celui du manifeste)",
    "{part}: not listed in the manifest": "{part} : absent du manifeste",
    "{part}: not JSON Lines": "{part} : ce n'est pas du JSON Lines",
    "{table} #{id}: signed (chain entry #{seq}) but missing from the archive":
        "{table} n°{id} : signé (maillon n°{seq}) mais absent de l'archive",
    "{table} #{id}: record or signature altered (chain entry #{seq})":
        "{table} n°{id} : enregistrement ou signature modifié (maillon n°{seq})",
    "chain entry #{seq}: does not follow entry #{prev}": "maillon n°{seq} : ne suit pas le maillon n°{prev}",
    "{table} #{id}: record has no signature in the archive": "{table} n°{id} : enregistrement sans signature dans l'archive",
    "monthly closing {period}: its totals are not the sum of its Z":
        "clôture mensuelle {period} : ses totaux ne sont pas la somme de ses Z",
    "anchors.jsonl, line {n}: not an anchor": "anchors.jsonl, ligne {n} : ce n'est pas une ancre",
    "anchors.jsonl, line {n}: altered (its MAC does not match)":
        "anchors.jsonl, ligne {n} : modifiée (son MAC ne correspond pas)",
    "The folder {folder} does not exist; nothing was written.": "Le dossier {folder} n'existe pas ; rien n'a été écrit.",
    "{path} already exists; nothing was written.": "{path} existe déjà ; rien n'a été écrit.",
    "Cannot write {path}: {reason}; nothing was written.": "Impossible d'écrire {path} : {reason} ; rien n'a été écrit.",
    "Not a year: {year!r} (use YYYY).": "Ce n'est pas une année : {year!r} (utilisez AAAA).",
    "No such closing.": "Clôture introuvable.",
    "Monthly closing n° {number} · {period}": "Clôture mensuelle n° {number} · {period}",
    "Yearly closing n° {number} · {start} → {end}": "Clôture annuelle n° {number} · {start} → {end}",
    "The fiscal year starts in a month from 1 to 12.": "L'exercice commence par un mois de 1 à 12.",
    "Not a month: {period!r} (use YYYY-MM).": "Ce n'est pas un mois : {period!r} (utilisez AAAA-MM).",
    "Period totals": "Totaux de la période",
    "Z closings": "Z",
    "Period grand total": "Grand total de la période",
    "Perpetual grand total": "Grand total perpétuel",
}
