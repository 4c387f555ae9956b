MESSAGES = {
    "database file, or postgresql://USER@HOST/DATABASE for several stores sharing customers (default: POS_TUI_DB or the per-user data directory)":
        "fichier de base de données, ou postgresql://UTILISATEUR@HÔTE/BASE pour plusieurs magasins partageant leurs clients (par défaut : POS_TUI_DB ou le dossier de données de l'utilisateur)",
    "The database server cannot be reached ({reason}). The open sale is kept; sales, credit and vouchers wait until the server is back.":
        "Le serveur de base de données est injoignable ({reason}). La vente en cours est conservée ; ventes, crédit et bons attendent le retour du serveur.",
    "Cannot reach the database server {url}: {reason}":
        "Impossible de joindre le serveur de base de données {url} : {reason}",
    "There is no store {code}. A manager creates it with: pos-tui stores add {code} NAME":
        "Il n'existe pas de magasin {code}. Un responsable le crée avec : pos-tui stores add {code} NOM",
}
