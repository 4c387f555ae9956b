"""French for the strings added by the h17speed branch (folded into the .po by the lead)."""

MESSAGES = {
    "show a progress bar on stderr even when it is not a terminal":
        "afficher une barre de progression sur stderr même hors d'un terminal",
}
