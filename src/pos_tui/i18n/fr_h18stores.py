"""French for the stores of issue 18 (folded into pos_tui.po by scripts/i18n_import_dicts.py)."""

MESSAGES = {
    "There is no store {code}. A manager creates it with: pos-tui stores add {code} NAME":
        "Il n'y a pas de magasin {code}. Un gérant le crée avec : pos-tui stores add {code} NOM",
    "There is no store {code}.": "Il n'y a pas de magasin {code}.",
    "store {code}: {problem}": "magasin {code} : {problem}",
    "Store {code}": "Magasin {code}",
    "Store {code} added ({name}).": "Magasin {code} ajouté ({name}).",
    "There is already a store {code}.": "Il y a déjà un magasin {code}.",
    "A store code is 1 to 12 letters A-Z, digits or '-': {code!r} is not one.":
        "Un code de magasin compte 1 à 12 lettres A-Z, chiffres ou « - » : {code!r} n'en est pas un.",
    "Give the store a name.": "Donnez un nom au magasin.",
    "Sale n° {number} was made in store {code}: return it there.":
        "La vente n° {number} a été faite au magasin {code} : le retour se fait là-bas.",
    "the store this till belongs to (default: POS_TUI_STORE, else MAIN); for verify: check that store's chain only":
        "le magasin de cette caisse (par défaut : POS_TUI_STORE, sinon MAIN) ; pour verify : ne vérifier que "
        "la chaîne de ce magasin",
    "the company's stores: list them, add one": "les magasins de l'entreprise : les lister, en ajouter un",
    "every store with its code and name": "chaque magasin avec son code et son nom",
    "add a store (a manager)": "ajouter un magasin (un gérant)",
    "its code: 1 to 12 letters, digits or '-' (upper-cased)":
        "son code : 1 à 12 lettres, chiffres ou « - » (mis en majuscules)",
    "its name": "son nom",
    "the store this till belongs to (see pos-tui --help)": "le magasin de cette caisse (voir pos-tui --help)",
}
