"""French catalog: gift voucher sale, vouchers and credit notes screen, returns, payment methods."""

MESSAGES = {
    # checkout
    "attach a customer (F2 or card)": "attachez un client (F2 ou carte)",
    "The voucher exceeds the sale: the rest ({amount}) will go on the customer's credit (CRED)":
        "Le bon dépasse la vente : le reste ({amount}) ira sur le crédit du client (CRED)",
    "The voucher exceeds the sale: the rest ({amount}) goes on the customer's credit (CRED) or is given back":
        "Le bon dépasse la vente : le reste ({amount}) ira sur le crédit du client (CRED) ou sera rendu",
    # gift voucher dialog
    "{name} until {date}": "{name} jusqu'au {date}",
    "Gift": "Cadeau",
    "Sell a gift voucher (0 % VAT)": "Vendre un bon cadeau (TVA 0 %)",
    "Expiry date (optional), e.g. 30/06/2027": "Date d'expiration (facultative), ex. 30/06/2027",
    "Enter: next / add · Esc: cancel · the code is made when the sale closes":
        "Entrée : suivant / ajouter · Échap : annuler · le code est créé à la clôture de la vente",
    # vouchers screen
    "Vouchers and credit notes": "Bons et avoirs",
    "Look-up": "Recherche",
    "Valid": "Valides",
    "Used": "Utilisés",
    "Expired": "Expirés",
    "All": "Tous",
    "Code": "Code",
    "Kind": "Type",
    "Expires": "Expire le",
    "Used on": "Utilisé le",
    "Redeemed": "Utilisé",
    "Look a code up: type or scan it, Enter": "Chercher un code : tapez-le ou scannez-le, Entrée",
    "Outstanding: {n} valid vouchers and credit notes · {amount} owed to their holders":
        "En circulation : {n} bons et avoirs valides · {amount} dus à leurs porteurs",
    "Issued {when}": "Émis le {when}",
    "No expiry date": "Sans date d'expiration",
    "VAT: {parts}": "TVA : {parts}",
    "Used on {date} in sale n° {number}": "Utilisé le {date} dans la vente n° {number}",
    "Expired on {date}": "Expiré le {date}",
    "Valid: can be used in a sale": "Valide : utilisable dans une vente",
    # payment methods
    "Payment methods": "Moyens de paiement",
    "Payment method": "Moyen de paiement",
    "New payment method": "Nouveau moyen de paiement",
    "Add": "Ajouter",
    "Enable/disable": "Activer/désactiver",
    "Enabled": "Actif",
    "Drawer": "Tiroir",
    "As cash": "Espèces",
    "{code} enabled.": "{code} activé.",
    "{code} disabled.": "{code} désactivé.",
    "A method that was used stays in the records: disable it, it is never deleted.":
        "Un moyen de paiement utilisé reste dans les enregistrements : désactivez-le, il n'est jamais supprimé.",
    "Code (2-8 letters or digits), e.g. BA": "Code (2 à 8 lettres ou chiffres), ex. BA",
    "Label, e.g. Partner vouchers": "Libellé, ex. Bons d'achat partenaires",
    "Opens the cash drawer": "Ouvre le tiroir-caisse",
    "Counts as cash (change, cash expected)": "Compte comme espèces (rendu, espèces attendues)",
    "Enter: next / save · Tab then Space: tick a box · Esc: cancel":
        "Entrée : suivant / enregistrer · Tab puis Espace : cocher une case · Échap : annuler",
    "Tick": "Cocher",
    "Payment method {code} added.": "Moyen de paiement {code} ajouté.",
    # command palette
    "Valid, used and expired vouchers; look a code up; outstanding total":
        "Bons valides, utilisés et expirés ; chercher un code ; total en circulation",
    "Bring back items of a closed sale: credit note, CRED or refund":
        "Reprendre des articles d'une vente close : avoir, crédit client ou remboursement",
    "Add a method (e.g. BA partner vouchers), enable or disable one":
        "Ajouter un moyen (ex. BA bons d'achat partenaires), en activer ou désactiver un",
    "Cash back on vouchers: allow": "Rendu monnaie sur bons : autoriser",
    "Cash back on vouchers: forbid": "Rendu monnaie sur bons : interdire",
    "now allowed": "autorisé actuellement",
    "now forbidden": "interdit actuellement",
    "A voucher worth more than the sale may be paid out ({now})":
        "Un bon supérieur à la vente peut être rendu en monnaie ({now})",
    "The rest of a voucher goes on the customer's credit only ({now})":
        "Le reste d'un bon va uniquement sur le crédit du client ({now})",
    "Cash back on vouchers allowed.": "Rendu monnaie sur bons autorisé.",
    "Cash back on vouchers forbidden: the rest goes on the customer's credit (CRED).":
        "Rendu monnaie sur bons interdit : le reste va sur le crédit du client (CRED).",
    # returns
    "Customer credit (CRED)": "Crédit client (CRED)",
    "Refund by": "Rembourser par",
    "Refund by (F7)": "Rembourser par (F7)",
    "Return recorded": "Retour enregistré",
    "Sold": "Vendu",
    "Returned": "Retourné",
    "To return": "À retourner",
    "Sale n° or receipt barcode, Enter": "N° de vente ou code-barres du ticket, Entrée",
    "Sale n° {number} · {when} · {total}": "Vente n° {number} · {when} · {total}",
    "Nothing left to return in this sale.": "Plus rien à retourner dans cette vente.",
    "Type the sale number (or scan the receipt), then + / − on each line.":
        "Tapez le numéro de vente (ou scannez le ticket), puis + / − sur chaque ligne.",
    "To return: {n} item(s) · {amount}": "À retourner : {n} article(s) · {amount}",
    "No customer (F2 picks one for CRED)": "Pas de client (F2 pour en choisir un, pour CRED)",
    "Customer: {name}": "Client : {name}",
    "(+ on a line)": "(+ sur une ligne)",
    "A return to credit needs a customer: press F2.": "Un retour sur crédit nécessite un client : appuyez sur F2.",
    "Choose the refund method.": "Choisissez le moyen de remboursement.",
    "Return {n} item(s) for {amount} as a credit note?": "Retourner {n} article(s) pour {amount} en avoir ?",
    "Return {n} item(s) for {amount} on the credit of {name}?":
        "Retourner {n} article(s) pour {amount} sur le crédit de {name} ?",
    "Return {n} item(s) and refund {amount} by {method}?":
        "Retourner {n} article(s) et rembourser {amount} en {method} ?",
    "Sale n° {number} · return of {amount}": "Vente n° {number} · retour de {amount}",
    "Credit note {amount}: ": "Avoir {amount} : ",
    "Refund {amount} by {method}": "Remboursé {amount} en {method}",
}
