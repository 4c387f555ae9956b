"""French catalog: vouchers, credit notes, returns (domain and services)."""

MESSAGES = {
    "Not a date: {text!r} (for example 30/06/2027).": "Date invalide : {text!r} (par exemple 30/06/2027).",
    "The expiry date is in the past.": "La date d'expiration est passée.",
    "This voucher was already used on {date} in sale n° {number}.":
        "Ce bon a déjà été utilisé le {date} dans la vente n° {number}.",
    "This voucher expired on {date}.": "Ce bon a expiré le {date}.",
    "Unknown voucher code {code}.": "Code de bon inconnu {code}.",
    "Bad check character in {code}: type it again.": "Caractère de contrôle faux dans {code} : retapez-le.",
    "This voucher is already in the sale.": "Ce bon est déjà dans la vente.",
    "A gift voucher needs an amount above zero.": "Un bon cadeau doit avoir un montant supérieur à zéro.",
    "Only an article line can be repeated.": "Seule une ligne d'article peut être répétée.",
    "Only an article line has a quantity.": "Seule une ligne d'article a une quantité.",
    "No cash back for a voucher: put the rest on the customer's credit (CRED).":
        "Pas de rendu de monnaie sur un bon : mettez le reste sur le crédit du client (CRED).",
    "This voucher was just used at another till.": "Ce bon vient d'être utilisé à une autre caisse.",
    "Cannot return more than was sold (sold {sold}, already returned {returned}).":
        "Impossible de retourner plus que vendu (vendu {sold}, déjà retourné {returned}).",
    "Type a sale number or scan the receipt barcode.": "Tapez un numéro de vente ou scannez le code-barres du ticket.",
    "No sale n° {number}.": "Aucune vente n° {number}.",
    "That line is not part of sale n° {number}.": "Cette ligne ne fait pas partie de la vente n° {number}.",
    "Choose at least one item to return.": "Choisissez au moins un article à retourner.",
    "A return to credit needs a customer.": "Un retour sur crédit nécessite un client.",
    "Unknown way to settle a return.": "Mode de règlement du retour inconnu.",
}
