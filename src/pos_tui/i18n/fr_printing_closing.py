"""French catalog: receipts, printers, day closing (domain, printing and services)."""

MESSAGES = {
    "Bad printer address {url!r}: {reason}": "Adresse d'imprimante invalide {url!r} : {reason}",
    "Bad printer address {url!r}: use tcp://HOST:9100, usb://VID:PID, serial:///dev/ttyUSB0?baud=9600,"
    " file:///dev/usb/lp0 or none.":
        "Adresse d'imprimante invalide {url!r} : utilisez tcp://HÔTE:9100, usb://VID:PID,"
        " serial:///dev/ttyUSB0?baud=9600, file:///dev/usb/lp0 ou none.",
    "Printer offline ({reason}): reprint from history.":
        "Imprimante hors ligne ({reason}) : réimprimez depuis l'historique.",
    "GIFT VOUCHER": "BON CADEAU",
    "CREDIT NOTE": "AVOIR",
    "of which VAT {rate}": "dont TVA {rate}",
    "Issued": "Émis le",
    "Sale n°": "Vente n°",
    "Valid until": "Valable jusqu'au",
    "no expiry": "sans limite",
    "Single use. Any remainder goes to your customer credit.":
        "Usage unique. Le reste éventuel va sur votre crédit client.",
    "DUPLICATA {n}": "DUPLICATA {n}",
    "Sale n° {number}": "Vente n° {number}",
    "Return n° {number}": "Retour n° {number}",
    "Cashier {name}": "Caissier {name}",
    "TOTAL": "TOTAL",
    "Change": "Rendu",
    "VAT breakdown": "Détail de la TVA",
    "excl. {ht}": "HT {ht}",
    "VAT {tva}": "TVA {tva}",
    "Credit balance after this sale": "Solde du crédit après cette vente",
    "Gift voucher": "Bon cadeau",
    "Credit note": "Avoir",
    "Valid until {date}": "Valable jusqu'au {date}",
    "Unknown cash movement.": "Mouvement de caisse inconnu.",
    "A cash movement must be more than zero.": "Un mouvement de caisse doit être supérieur à zéro.",
    "Give a reason for the cash movement.": "Indiquez le motif du mouvement de caisse.",
    "Bad cash count.": "Comptage de caisse invalide.",
    "A counted amount cannot be negative.": "Un montant compté ne peut pas être négatif.",
    "The day {day} is already closed (Z).": "La journée du {day} est déjà clôturée (Z).",
    "No such credit operation.": "Opération de crédit introuvable.",
    "No such voucher.": "Bon introuvable.",
    "Unknown document.": "Document inconnu.",
    "No printer is set up (preview only).": "Aucune imprimante configurée (aperçu seulement).",
    "No such sale.": "Vente introuvable.",
    "The signing key {path} is missing: restore it from your backup; nothing was written.":
        "La clé de signature {path} est introuvable : restaurez-la depuis votre sauvegarde ; rien n'a été écrit.",
    "No such Z.": "Z introuvable.",
    "Z n° {number} · {day}": "Z n° {number} · {day}",
    "X (live) · {day} · printed {at}": "X (en direct) · {day} · imprimé à {at}",
    "none": "aucun",
    "Counted": "Compté",
    "Difference": "Écart",
    "not counted": "non compté",
}
