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
    # e-mail queue
    "E-mails": "E-mails",
    "E-mail queue: waiting, failed, sent; resend": "File d'envoi des e-mails : en attente, en échec, envoyés ; renvoyer",
    "E-mail queue": "File d'envoi des e-mails",
    "Receipts, statements and reminders waiting, failed or sent; resend (Ctrl+F)":
        "Tickets, relevés et relances en attente, en échec ou envoyés ; renvoyer (Ctrl+F)",
    "Resend": "Renvoyer",
    "Send now": "Envoyer maintenant",
    "waiting": "en attente",
    "sending": "en cours",
    "sent": "envoyé",
    "failed": "en échec",
    "Receipt": "Ticket",
    "Reminder": "Relance",
    "To": "À",
    "Tries": "Essais",
    "Waiting: {queued} · failed: {failed} · sent: {sent}": "En attente : {queued} · en échec : {failed} · envoyés : {sent}",
    "no SMTP server set: pos-tui email setup": "aucun serveur SMTP : pos-tui email setup",
    "Last error: {error}": "Dernière erreur : {error}",
    "Only a waiting or failed e-mail can be sent again.": "Seul un e-mail en attente ou en échec peut être renvoyé.",
    "Sending…": "Envoi…",
    "Sent: {sent} · failed: {failed}.": "Envoyés : {sent} · en échec : {failed}.",
    "Debt reminders": "Relances de dettes",
    "E-mail a polite reminder to customers in debt past the threshold (you confirm the list)":
        "Envoyer une relance courtoise aux clients en dette depuis plus que le seuil (vous confirmez la liste)",
    "No debt past the threshold with an e-mail address: no reminder to send.":
        "Aucune dette au-delà du seuil avec une adresse e-mail : aucune relance à envoyer.",
    "… and {n} more": "… et {n} de plus",
    "Send a polite reminder to these customers?": "Envoyer une relance courtoise à ces clients ?",
    "Reminders queued: {n}.": "Relances mises en file d'envoi : {n}.",
    # receipts
    "Receipt? (p)aper, (e)-mail, Enter = none": "Ticket ? (p)apier, (e)-mail, Entrée = aucun",
    "Customer's e-mail address": "Adresse e-mail du client",
    "Paper": "Papier",
    "E-mail": "E-mail",
    "None": "Aucun",
    "No e-mail server is set up (pos-tui email setup).": "Aucun serveur d'e-mail n'est configuré (pos-tui email setup).",
    "Receipt queued for {email}.": "Ticket mis en file d'envoi pour {email}.",
    "The amount from which receipts always print must be 0 or more.":
        "Le montant à partir duquel le ticket s'imprime toujours doit être 0 ou plus.",
    "Cash tendered": "Espèces reçues",
    # gift voucher dialog
    "Sell a gift voucher": "Vendre un bon cadeau",
    "Multi-purpose: 0 % VAT now, taxed when used": "Polyvalent : TVA 0 % à la vente, taxé à l'utilisation",
    "Single-purpose: {rate} VAT now": "Unique : TVA {rate} à la vente",
    "Export the summary (CSV)": "Exporter la synthèse (CSV)",
    "Always from (amount)": "Toujours dès (montant)",
    # pos-tui settings
    "save the printer profile (TM-T88V, TM-T20II, default...): the default of --printer-profile":
        "enregistrer le profil d'imprimante (TM-T88V, TM-T20II, default…) : la valeur par défaut de --printer-profile",
    "save the printer's code page (CP858, CP1252, ISO_8859-15, CP850, CP437)":
        "enregistrer la table de caractères de l'imprimante (CP858, CP1252, ISO_8859-15, CP850, CP437)",
    "sales from this total print a receipt without asking (0: never)":
        "les ventes à partir de ce total impriment le ticket sans demander (0 : jamais)",
    "Printer profile": "Profil d'imprimante",
    "Printer code page": "Table de caractères de l'imprimante",
    "Receipts always printed from": "Ticket toujours imprimé dès",
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
