"""French for the strings of branch h13input (issue 13: scanner-proof input, payment, login); the lead
folds them into the .po."""

MESSAGES = {
    "(credit)": "(crédit)",
    "Previous user": "Utilisateur précédent",
    "Next user": "Utilisateur suivant",
    "Method key, or scan a card or a voucher": "Touche du moyen, ou scannez une carte ou un bon",
    "A scanned card or voucher is used at once.": "Une carte ou un bon scanné est pris aussitôt.",
    "Pick a method first: key 1-{n}.": "Choisissez d'abord un moyen : touche 1-{n}.",
    "{name}: items are added in the sale (Esc), not here.": "{name} : les articles s'ajoutent dans la vente (Échap), pas ici.",
}
