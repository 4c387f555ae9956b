"""French catalog: domain, store and services messages."""

MESSAGES = {
    "Not an amount: {text!r} (examples: 12,50 or 12.50)": "Montant invalide : {text!r} (exemples : 12,50 ou 12.50)",
    "Unknown VAT rate {text!r} (allowed: 20, 10, 5,5, 2,1, 0)": "Taux de TVA inconnu {text!r} (autorisés : 20, 10, 5,5, 2,1, 0)",
}
