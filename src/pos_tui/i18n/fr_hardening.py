"""French for the hardening work: CLI error boundary, store files, signing key, PINs, text fields."""

MESSAGES = {
    "No terminal to ask on: {hint}": "Aucun terminal pour le demander : {hint}",
    "pass --user and --pin, or set POS_TUI_USER and POS_TUI_PIN.":
        "passez --user et --pin, ou définissez POS_TUI_USER et POS_TUI_PIN.",
    "pass --name and --pin.": "passez --name et --pin.",
    "The database cannot be read ({reason}): run pos-tui verify, and restore your backup if it is damaged.":
        "La base de données est illisible ({reason}) : lancez pos-tui verify, et restaurez votre sauvegarde "
        "si elle est endommagée.",
    "{file}: {reason}": "{file} : {reason}",
    "unexpected error ({kind}: {reason}); nothing more was written. Set POS_TUI_DEBUG=1 to see the details.":
        "erreur inattendue ({kind} : {reason}) ; rien de plus n'a été écrit. Définissez POS_TUI_DEBUG=1 pour "
        "voir le détail.",
    "PIN (6 to 8 digits): ": "Code PIN (6 à 8 chiffres) : ",
    "the manager's PIN (6 to 8 digits)": "le code PIN du gérant (6 à 8 chiffres)",
    "The period ends before it starts ({date_from} → {date_to}).":
        "La période finit avant de commencer ({date_from} → {date_to}).",
    "{field} contains a control character: type it again without it.":
        "{field} contient un caractère de contrôle : saisissez-le à nouveau sans.",
    "A manager's PIN is {n} to 8 digits.": "Le code PIN d'un gérant a de {n} à 8 chiffres.",
    "This override was not authorised here (or was already used): a manager must type their PIN again.":
        "Ce dépassement n'a pas été autorisé ici (ou a déjà servi) : un gérant doit retaper son code PIN.",
    "Cannot write {path}: it is a folder.": "Impossible d'écrire {path} : c'est un dossier.",
    "Cannot open the database {path}: there is no such file. Check the path, or create a store with: pos-tui init":
        "Impossible d'ouvrir la base de données {path} : ce fichier n'existe pas. Vérifiez le chemin, ou créez "
        "une boutique avec : pos-tui init",
    "Cannot open the database {path}: the file is empty, it is not a pos-tui store.":
        "Impossible d'ouvrir la base de données {path} : le fichier est vide, ce n'est pas une boutique pos-tui.",
    "{path} is not a pos-tui store.": "{path} n'est pas une boutique pos-tui.",
    "The store {path} was written by an older pos-tui: open it once with this version to upgrade it, then run "
    "this again.":
        "La boutique {path} a été écrite par une version plus ancienne de pos-tui : ouvrez-la une fois avec "
        "cette version pour la mettre à jour, puis relancez.",
    "The signing key {path} is unusable ({reason}): restore it from your backup; nothing was written.":
        "La clé de signature {path} est inutilisable ({reason}) : restaurez-la depuis votre sauvegarde ; "
        "rien n'a été écrit.",
    "the file is empty": "le fichier est vide",
    "it must hold exactly 64 hexadecimal characters": "elle doit contenir exactement 64 caractères hexadécimaux",
    "Cannot create the signing key {path}: {reason}; nothing was written.":
        "Impossible de créer la clé de signature {path} : {reason} ; rien n'a été écrit.",
    # field names used in the control-character refusal
    "Product name": "Nom du produit",
    "User name": "Nom d'utilisateur",
    "Item name": "Nom de l'article",
    "pos-tui stopped: {reason}. Run pos-tui verify; restore your backup if the database is damaged.":
        "pos-tui s'est arrêté : {reason}. Lancez pos-tui verify ; restaurez votre sauvegarde si la base de "
        "données est endommagée.",
    "{files} can be read by other users of this computer; fix: chmod 600 {files}":
        "{files} peut être lu par d'autres utilisateurs de cet ordinateur ; correction : chmod 600 {files}",
    "Your PIN is shorter than a manager's PIN must now be (6 digits): please change it.":
        "Votre code PIN est plus court que ce qu'exige désormais un gérant (6 chiffres) : changez-le.",
    "… and {n} more.": "… et {n} de plus.",
    "The import of {path} failed ({reason}); nothing of it was kept.":
        "L'import de {path} a échoué ({reason}) ; rien n'en a été gardé.",
    "Cannot read {path}: {reason}": "Impossible de lire {path} : {reason}",
    "Receipt header": "En-tête du ticket",
}
