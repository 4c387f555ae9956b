MESSAGES = {
    "debts begun on {day}: count/total kept {kept} differ from the customers {summed}":
        "dettes commencées le {day} : nombre/total retenus {kept} différents des clients {summed}",
}
