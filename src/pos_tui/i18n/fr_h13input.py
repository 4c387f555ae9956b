"""French for the strings of branch h13input (issue 13: scanner-proof input, payment, login); the lead
folds them into the .po."""

MESSAGES = {
    "(credit)": "(crédit)",
}
