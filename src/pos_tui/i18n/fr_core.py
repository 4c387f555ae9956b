"""French catalog: domain, store and services messages."""

MESSAGES = {
    "Not an amount: {text!r} (examples: 12,50 or 12.50)": "Montant invalide : {text!r} (exemples : 12,50 ou 12.50)",
    "Unknown VAT rate {text!r} (allowed: 20, 10, 5,5, 2,1, 0)": "Taux de TVA inconnu {text!r} (autorisés : 20, 10, 5,5, 2,1, 0)",
    "Invalid barcode {code!r}: not an EAN-13, EAN-8 or UPC-A with a correct check digit.":
        "Code-barres invalide {code!r} : ce n'est pas un EAN-13, EAN-8 ou UPC-A avec une clé de contrôle correcte.",
    "A product name is 1 to 120 characters.": "Un nom de produit fait de 1 à 120 caractères.",
    "A product price cannot be negative.": "Le prix d'un produit ne peut pas être négatif.",
    "A PIN is 4 to 8 digits.": "Un code PIN fait de 4 à 8 chiffres.",
    "A user name is 1 to 40 characters.": "Un nom d'utilisateur fait de 1 à 40 caractères.",
    "Unknown user {name!r}.": "Utilisateur inconnu {name!r}.",
    "{name} is locked after too many wrong PINs: a manager must unlock it.":
        "{name} est verrouillé après trop de codes PIN erronés : un gérant doit le déverrouiller.",
    "Wrong PIN. {name} is now locked: a manager must unlock it.":
        "Code PIN erroné. {name} est maintenant verrouillé : un gérant doit le déverrouiller.",
    "Wrong PIN ({left} tries left).": "Code PIN erroné ({left} essais restants).",
    "This store already has users; log in as a manager to add more.":
        "Ce magasin a déjà des utilisateurs ; connectez-vous comme gérant pour en ajouter.",
    "Unknown role {role!r} (cashier or manager).": "Rôle inconnu {role!r} (caissier ou gérant).",
    "A user named {name!r} already exists.": "Un utilisateur nommé {name!r} existe déjà.",
    "Unknown user.": "Utilisateur inconnu.",
    "{path} is not a demo store; refusing to add demo data to it.":
        "{path} n'est pas un magasin de démonstration ; refus d'y ajouter des données de démo.",
    "Demo data is broken: {errors}": "Les données de démo sont invalides : {errors}",
    "barcode {code} repeats line {line}": "le code-barres {code} répète la ligne {line}",
    "Bad CSV header in {path}: missing {missing}; unknown {unknown}. Expected columns: {expected}.":
        "En-tête CSV invalide dans {path} : manquantes {missing} ; inconnues {unknown}. Colonnes attendues : {expected}.",
    "File not found: {path}": "Fichier introuvable : {path}",
    "{path} is not UTF-8 text.": "{path} n'est pas du texte UTF-8.",
    "Malformed CSV in {path}: {reason}": "CSV mal formé dans {path} : {reason}",
    "too many fields": "trop de champs",
    "card code {code} repeats line {line}": "le code carte {code} répète la ligne {line}",
    "The card code {code} is already used by another customer.": "Le code carte {code} est déjà utilisé par un autre client.",
    "Unknown VAT rate.": "Taux de TVA inconnu.",
    "The barcode {code} is already used by another product.": "Le code-barres {code} est déjà utilisé par un autre produit.",
    "The database is busy (another terminal is writing). Try again.":
        "La base de données est occupée (une autre caisse écrit). Réessayez.",
    "The database cannot be written: {reason}": "La base de données ne peut pas être écrite : {reason}",
    "Database error: {reason}": "Erreur de base de données : {reason}",
    "Cannot open the database {path}: {reason}": "Impossible d'ouvrir la base de données {path} : {reason}",
    "This database was written by a newer version of pos-tui (schema {names}). Upgrade pos-tui to open it.":
        "Cette base a été écrite par une version plus récente de pos-tui (schéma {names}). Mettez pos-tui à jour pour l'ouvrir.",
}
