"""French for the h16office branch (credit panel keys, statement and e-mail screens, receipt prompt);
folded into the .po by scripts/i18n_import_dicts.py."""

MESSAGES = {
    # credit panel
    "Statement": "Relevé",
    "Balance slip": "Ticket de solde",
    "Balance slip sent to the printer.": "Ticket de solde envoyé à l'imprimante.",
    "Not confirmed by a manager; nothing was written.": "Non confirmé par un responsable ; rien n'a été enregistré.",
    "Statement queued for {email}.": "Relevé mis en file d'envoi pour {email}.",
    "Statement sent to the printer.": "Relevé envoyé à l'imprimante.",
    "n° {number}": "n° {number}",
    "The amount must not be zero.": "Le montant ne doit pas être nul.",
    # receipts
    "Cash tendered": "Espèces reçues",
    # dialogs
    "Write to (Enter: this file, Esc: cancel)": "Écrire dans (Entrée : ce fichier, Échap : annuler)",
    "Type a file name.": "Saisissez un nom de fichier.",
    "From (YYYY-MM-DD)": "Du (AAAA-MM-JJ)",
    "To (YYYY-MM-DD)": "Au (AAAA-MM-JJ)",
    "Enter, then p: print · c: CSV · d: PDF · m: e-mail · Esc: cancel":
        "Entrée, puis p : imprimer · c : CSV · d : PDF · m : e-mail · Échap : annuler",
    "Print (p)": "Imprimer (p)",
    "CSV (c)": "CSV (c)",
    "PDF (d)": "PDF (d)",
    "E-mail (m)": "E-mail (m)",
    "Manager confirmation": "Confirmation d'un responsable",
    "{amount} in cash is above {limit}: a manager must confirm it.":
        "{amount} en espèces dépasse {limit} : un responsable doit confirmer.",
}
