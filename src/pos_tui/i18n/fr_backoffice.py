"""French for the back office (issue 11): staff, products, labels, shop identity, packaging."""

MESSAGES = {
    # pos-tui users
    "pass --new-pin or set POS_TUI_NEW_PIN.": "passez --new-pin ou définissez POS_TUI_NEW_PIN.",
    "New PIN: ": "Nouveau code PIN : ",
    "New PIN again: ": "Nouveau code PIN, encore : ",
    "The two PINs differ; nothing was changed.": "Les deux codes PIN diffèrent ; rien n'a été modifié.",
    "inactive": "désactivé",
    "never": "jamais",
    "last login": "dernière connexion",
    "Unknown right in {rights!r}; rights are: {known}.": "Droit inconnu dans {rights!r} ; les droits sont : {known}.",
    "User {name} added ({role}).": "Utilisateur {name} ajouté ({role}).",
    "{name} is unlocked.": "{name} est déverrouillé.",
    "{name} has a new PIN (and is unlocked).": "{name} a un nouveau code PIN (et est déverrouillé).",
    "{name} is deactivated.": "{name} est désactivé.",
    "{name} is active again.": "{name} est de nouveau actif.",
    "list, add, unlock, reset the PIN of or disable users":
        "lister, ajouter, déverrouiller, réinitialiser le PIN ou désactiver des utilisateurs",
    "every user with role, rights, last login and state":
        "chaque utilisateur avec son rôle, ses droits, sa dernière connexion et son état",
    "add a user": "ajouter un utilisateur",
    "comma-separated rights instead of the role's preset": "droits séparés par des virgules au lieu du préréglage du rôle",
    "the new user's PIN (or POS_TUI_NEW_PIN; asked twice if missing)":
        "le code PIN du nouvel utilisateur (ou POS_TUI_NEW_PIN ; demandé deux fois s'il manque)",
    "unlock a user locked by wrong PINs": "déverrouiller un utilisateur bloqué par des codes PIN erronés",
    "give a user a new PIN (also unlocks it)": "donner un nouveau code PIN à un utilisateur (le déverrouille aussi)",
    "(without --user: proved by reading the shop's signing key file, for when every manager is locked)":
        "(sans --user : prouvé par la lecture du fichier de clé de signature de la boutique, quand tous les "
        "gérants sont bloqués)",
    "the new PIN (or POS_TUI_NEW_PIN; asked twice if missing)":
        "le nouveau code PIN (ou POS_TUI_NEW_PIN ; demandé deux fois s'il manque)",
    "deactivate a user (never deleted)": "désactiver un utilisateur (jamais supprimé)",
    "reactivate a deactivated user": "réactiver un utilisateur désactivé",
    "{name} is the last active user who can manage users.":
        "{name} est le dernier utilisateur actif qui peut gérer les utilisateurs.",
    "You cannot take away your own right to manage users: another manager must do it.":
        "Vous ne pouvez pas retirer votre propre droit de gérer les utilisateurs : un autre gérant doit le faire.",
    "{name} is the last active manager and cannot be deactivated.":
        "{name} est le dernier gérant actif et ne peut pas être désactivé.",
    "You cannot deactivate yourself: another manager must do it.":
        "Vous ne pouvez pas vous désactiver vous-même : un autre gérant doit le faire.",
    "Recovery needs the shop's signing key: {reason}": "La récupération exige la clé de signature de la boutique : {reason}",
    "--update and --dry-run apply to products only.": "--update et --dry-run ne s'appliquent qu'aux produits.",
    "Dry run: nothing was written.": "Essai à blanc : rien n'a été écrit.",
    "{created} products created, {changed} updated.": "{created} produits créés, {changed} mis à jour.",
    "{created} new, {changed} changed, {same} unchanged:": "{created} nouveaux, {changed} modifiés, {same} inchangés :",
    "new": "nouveau",
    "and {n} more new products": "et {n} autres nouveaux produits",
    "products: update the name, price and VAT rate of barcodes already in the store": "produits : mettre à jour le nom, le prix et le taux de TVA des codes-barres déjà en magasin",
    "check the file and show what would change; write nothing": "vérifier le fichier et montrer ce qui changerait ; ne rien écrire",
    "No in-store barcode left.": "Plus aucun code-barres magasin disponible.",
    "{name} ({code}) is no longer sold: the product was deactivated. Nothing added.": "{name} ({code}) n'est plus vendu : le produit a été désactivé. Rien n'a été ajouté.",
    "Unknown product.": "Produit inconnu.",
    "No label to print.": "Aucune étiquette à imprimer.",
    "At most {n} labels fit on one sheet.": "Une planche contient au plus {n} étiquettes.",
    "The barcode is too wide for the label.": "Le code-barres est trop large pour l'étiquette.",
    "Invalid barcode {code!r}: not an EAN-13 with a correct check digit.": "Code-barres invalide {code!r} : ce n'est pas un EAN-13 avec une clé de contrôle correcte.",
    "A Code128 code is printable ASCII: {code!r}.": "Un code Code128 est en ASCII imprimable : {code!r}.",
    "Unknown voucher {code}.": "Bon inconnu {code}.",
    "valid until {date}": "valable jusqu'au {date}",
    "no expiry date": "sans date d'expiration",
    "Unknown product {code}.": "Produit inconnu {code}.",
    "{name}: shelf labels carry EAN-13 codes; {code} is not one.": "{name} : les étiquettes de rayon portent des codes EAN-13 ; {code} n'en est pas un.",
    "VAT {rate}": "TVA {rate}",
    "Copies: 1 to 24.": "Exemplaires : 1 à 24.",
    "The printer did not take the label ({reason}); check it and try again.": "L'imprimante n'a pas pris l'étiquette ({reason}) ; vérifiez-la et réessayez.",
    "{name} has no card code.": "{name} n'a pas de code de carte.",
}
