"""French catalog: customer lookup, customer card and form, customer validation messages."""

MESSAGES = {
    # lookup
    "New customer": "Nouveau client",
    "Clear": "Effacer",
    "Results": "Résultats",
    "Search: name, company, phone, email or card code":
        "Recherche : nom, société, téléphone, e-mail ou code carte",
    "Name": "Nom",
    "Company": "Société",
    "Phone": "Téléphone",
    "Card": "Carte",
    "Balance": "Solde",
    "No customer matches “{text}”.": "Aucun client ne correspond à « {text} ».",
    "No customer yet: Ctrl+N creates one.": "Aucun client pour l'instant : Ctrl+N en crée un.",
    "First {n} customers: type more to narrow the search.":
        "Les {n} premiers clients : tapez la suite pour affiner la recherche.",
    "1 customer": "1 client",
    "Enter: open · ↓: list · Esc: clear": "Entrée : ouvrir · ↓ : liste · Échap : effacer",
    "Enter: pick · ↓: list · Esc: back": "Entrée : choisir · ↓ : liste · Échap : retour",
    "Pick the sale's customer": "Choisissez le client de la vente",
    "{n} customers": "{n} clients",
    # card
    "First name": "Prénom",
    "Last name": "Nom de famille",
    "Email": "E-mail",
    "Card code": "Code carte",
    "Note": "Note",
    "Edit": "Modifier",
    "Credit panel": "Panneau crédit",
    "Debt limit": "Plafond de dette",
    "(erased)": "(effacé)",
    "debt": "dette",
    "credit": "crédit",
    "(the shop allows no debt)": "(le magasin n'autorise aucune dette)",
    # form
    "Save": "Enregistrer",
    "Cancel": "Annuler",
    "Edit customer": "Modifier le client",
    "Edit customer: {name}": "Modifier le client : {name}",
    # domain/customers.py and services/customers.py
    "A customer needs a first name, a last name or a company.":
        "Un client doit avoir un prénom, un nom ou une société.",
    "{field} is too long (80 characters at most).": "{field} est trop long (80 caractères au plus).",
    "Invalid email address {email!r}.": "Adresse e-mail invalide {email!r}.",
    "Invalid phone number {phone!r}: 6 to 15 digits, spaces allowed.":
        "Numéro de téléphone invalide {phone!r} : 6 à 15 chiffres, espaces autorisés.",
    "Invalid card code {code!r}: 4 to 20 letters or digits.":
        "Code carte invalide {code!r} : 4 à 20 lettres ou chiffres.",
    "The note is too long (500 characters at most).": "La note est trop longue (500 caractères au plus).",
    "Unknown customer.": "Client inconnu.",
}
