"""French catalog: receipt preview, receipts history, printer settings, the printing worker (ui/screens/receipts.py,
ui/app.py, services/printing.py)."""

MESSAGES = {
    # app shell
    "Print receipt": "Imprimer le ticket",
    "Receipts": "Tickets",
    "No receipt to print yet.": "Aucun ticket à imprimer pour l'instant.",
    "Printer": "Imprimante",
    "Printing failed ({reason}): reprint from history.":
        "Échec de l'impression ({reason}) : réimprimez depuis l'historique.",
    "Receipt sent to the printer.": "Ticket envoyé à l'imprimante.",
    "DUPLICATA {n} sent to the printer.": "DUPLICATA {n} envoyé à l'imprimante.",
    "Receipt and {n} voucher slips sent to the printer.": "Ticket et {n} bon(s) envoyés à l'imprimante.",
    # preview
    "none (preview only)": "aucune (aperçu seulement)",
    "Print": "Imprimer",
    "Not printed yet.": "Pas encore imprimé.",
    "Copies printed: {n}; the next one says DUPLICATA {n}.":
        "Exemplaires imprimés : {n} ; le prochain portera DUPLICATA {n}.",
    "Printer: {printer}": "Imprimante : {printer}",
    "p: print · Enter or Esc: close": "p : imprimer · Entrée ou Échap : fermer",
    # history
    "Reprint": "Réimprimer",
    "Preview": "Aperçu",
    "Type": "Type",
    "Document": "Document",
    "Copies": "Exemplaires",
    "Voucher": "Bon",
    "{n} failed": "{n} en échec",
    "Enter or p: preview · r: reprint · Esc: back": "Entrée ou p : aperçu · r : réimprimer · Échap : retour",
    "Nothing to print yet.": "Rien à imprimer pour l'instant.",
    # command palette
    "Receipts history": "Historique des tickets",
    "Preview and reprint past receipts (DUPLICATA)": "Aperçu et réimpression des tickets passés (DUPLICATA)",
    "Print the last receipt": "Imprimer le dernier ticket",
    "Send the last sale or credit receipt again": "Renvoyer le dernier ticket de vente ou de crédit",
    "Printer settings": "Réglages de l'imprimante",
    "Printer address, paper width, automatic printing, header and footer":
        "Adresse de l'imprimante, largeur du papier, impression automatique, en-tête et pied de ticket",
    "Printer settings saved.": "Réglages de l'imprimante enregistrés.",
    # settings
    "Receipt printer": "Imprimante de tickets",
    "Address: tcp://HOST:9100, usb://VID:PID, serial:///dev/ttyUSB0?baud=9600, file:///dev/usb/lp0 or none":
        "Adresse : tcp://HÔTE:9100, usb://VID:PID, serial:///dev/ttyUSB0?baud=9600, file:///dev/usb/lp0 ou none",
    "Paper width": "Largeur du papier",
    "48 columns (80 mm paper)": "48 colonnes (papier 80 mm)",
    "42 columns (80 mm, small font)": "42 colonnes (80 mm, petite police)",
    "32 columns (58 mm paper)": "32 colonnes (papier 58 mm)",
    "Print each receipt automatically (sales, credit)": "Imprimer chaque ticket automatiquement (ventes, crédit)",
    "Receipt header (address, phone, SIRET…)": "En-tête du ticket (adresse, téléphone, SIRET…)",
    "Receipt footer": "Pied du ticket",
    "This terminal prints to {printer}.": "Cette caisse imprime sur {printer}.",
    "The paper width must be one of {widths} columns.": "La largeur du papier doit être de {widths} colonnes.",
}
