"""French strings of the speed work (issue 17): verify's progress and checks."""

MESSAGES = {
    "outstanding credit/debt totals {kept} differ from the balances {summed}":
        "totaux de crédit/dette en cours {kept} différents des soldes {summed}",
    "customer {id}: debt start {kept} but the ledger says {ledger}":
        "client {id} : début de dette {kept} mais le grand livre indique {ledger}",
    "skip SQLite's page-level integrity check (seconds on a large file)":
        "sauter la vérification page à page de SQLite (plusieurs secondes sur un gros fichier)",
    "Signatures": "Signatures",
    "Store verified (quick: page-level check skipped): signature chain ok, every balance equals its ledger.":
        "Base vérifiée (rapide : vérification page à page sautée) : chaîne de signatures intacte, "
        "chaque solde égale son grand livre.",
}
