"""Counter-path benchmark on years of data (project rule: "the counter path stays instant").

Builds (once, then reuses) a store with 100k customers and 1M credit-ledger entries
through ``pos_tui.store.db.Store`` -- the real schema, migrations, FTS and ledger
triggers -- then a sales history on top of it: 5,000 products (valid EAN-13, the shop's
VAT rates), 1M closed sales over ~3 years of business days (~900 a day, 1-4 lines,
CB / ESP / CHQ / CRED / split payments) and one Z row per past day, so the current
business day is today. It times the counter-path services (search, scan, credit panel,
top-up, close_sale, business_day, the live X) and prints figures, ratios, query plans
and a budget table. A report, not a test: it always exits 0.

    .venv/bin/python benchmarks/bench_counter.py [--customers 100000] [--entries 1000000]
        [--sales 1000000] [--products 5000] [--db PATH]

Bulk data is inserted with executemany, one transaction per chunk, and is not signed
(the chain only matters for verify, which is not run here); CRED sales in the bulk
history carry a customer and a CRED payment but no ledger row (the generated ledger's
``sale_id`` values are synthetic and do not point at these sales). The sales history
is built in a working copy renamed over the file when complete: the sales tables are
append-only, so a half-built history could not be taken back.

Every run appends to the cached file (everything is append-only): ~200 top-ups, ~300
real sales closed through the service today, a Z row for every day since the last one,
and bulk sales for today up to 600 when the day has fewer. The X is therefore measured
on ~900 sales on the first run of a day, more on later runs. The cache checks only look
at the generated rows.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import sys
import time
import unicodedata
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from pos_tui.domain.cart import Cart
from pos_tui.domain.errors import NotFound
from pos_tui.domain.payment import Tender
from pos_tui.domain.products import gtin_check_digit
from pos_tui.services import auth, checkout, closing, credit, customers
from pos_tui.services.context import Context
from pos_tui.store.db import Store

SEED = 20240517
MARKER = "bench_counter_dataset"  # settings key describing the generated data
MANAGER_NAME, MANAGER_PIN = "Gérante Bench", "123456"  # a manager PIN has 6 to 8 digits

SEARCH_PREFIXES = ["m", "ma", "mar", "mart", "hél", "hel", "dub", "0612", "CL0123", "jean mar"]

# Budgets (milliseconds, compared with the p95).
BUDGET_SEARCH = 50.0
BUDGET_SCAN = 5.0
BUDGET_TOP_UP = 50.0
BUDGET_HISTORY = 20.0
BUDGET_OPEN = 200.0
BUDGET_CLOSE = 50.0  # close_sale: one write transaction with fsync
BUDGET_X = 500.0  # the live X summary of the day
BUDGET_BUSINESS_DAY = 5.0
COUNTER_BUDGET = 100.0  # "instant" at the counter: one keystroke / one scan / one payment

# --------------------------------------------------------------------------------------
# Names (French, with accents)
# --------------------------------------------------------------------------------------
FIRST_NAMES = """
Adèle Adrien Agathe Agnès Aimé Alain Albane Albert Alexandre Alexis Alice Aline Amandine Amélie
Anaïs André Andrée Angèle Anne Annick Anthony Antoine Arlette Armand Arnaud Arthur Aurélie Aurélien
Axelle Baptiste Béatrice Benoît Bernadette Bernard Bertrand Blanche Brigitte Bruno Camille Capucine
Carole Caroline Catherine Cécile Céline Chantal Charles Charlotte Chloé Christelle Christian
Christiane Christine Christophe Claire Clarisse Claude Clémence Clément Colette Coralie Corinne
Cyril Damien Daniel Danièle David Delphine Denis Denise Didier Dominique Dorothée Édith Édouard
Éléonore Élise Élodie Éloïse Émile Émilie Emma Emmanuel Éric Estelle Étienne Eugène Éve Évelyne
Fabien Fabrice Fanny Félix Florence Florian France Francis Franck François Françoise Frédéric
Frédérique Gabriel Gaëlle Gaëtan Geneviève Georges Gérald Gérard Germaine Ghislaine Gilbert Gilles
Ginette Gisèle Guillaume Gustave Guy Hélène Henri Henriette Hervé Honoré Hugo Hugues Inès Irène
Isabelle Jacqueline Jacques Jean Jean-Luc Jean-Marc Jean-Marie Jean-Paul Jean-Pierre Jeanne
Jérémie Jérôme Joël Joëlle Josette Josiane Josèphe Julie Julien Juliette Justine Karine Laëtitia
Laure Laurence Laurent Léa Léo Léon Léonie Liliane Lionel Lise Louis Louise Luc Lucie Lucien Lucile
Madeleine Maël Maëlle Manon Marc Marcel Marcelle Margaux Marguerite Marianne Marie Marie-Claude
Marie-France Marie-Hélène Marine Marius Marthe Martin Martine Mathéo Mathieu Mathilde Maurice Maxime
Mélanie Mélissa Michel Michèle Mireille Monique Morgane Muriel Mylène Nadège Nadine Nathalie Nicolas
Nicole Noël Noémie Océane Odette Odile Olivier Pascal Pascale Patrice Patricia Patrick Paul Paulette
Pauline Perrine Philippe Pierre Quentin Raphaël Raymond Régine Régis Rémi Renée René Richard Robert
Roger Romain Rose Sabine Sandrine Sébastien Serge Simone Solange Solène Sophie Stéphane Stéphanie
Suzanne Sylvain Sylvie Thérèse Thibault Thierry Thomas Timothée Valérie Véronique Victor Vincent
Virginie Xavier Yann Yolande Yves Yvette Yvonne Zoé
""".split()

LAST_NAMES = """
Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèbvre Michel
Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefèvre Mercier Dupont Lambert Bonnet
François Martinez Legrand Garnier Faure Rousseau Blanc Guérin Muller Henry Roussel Nicolas Perrin
Morin Mathieu Clément Gauthier Dumont Lopez Fontaine Chevalier Robin Masson Sanchez Gérard Nguyen
Boyer Denis Lemaire Duval Joly Gautier Roger Roche Roy Noël Meyer Lucas Meunier Jean Perez Marchand
Dufour Blanchard Marie Barbier Brun Dumas Brunet Schmitt Leroux Colin Fernandez Pierre Renard
Arnaud Rolland Caron Aubert Giraud Leclerc Vidal Bourgeois Renaud Lemoine Picard Gaillard Philippe
Leclercq Lacroix Fabre Dupuis Olivier Rodriguez Da Silva Hubert Louis Charles Guillot Rivière
Le Gall Guillaume Adam Rey Moulin Gonzalez Berger Lecomte Ménard Fleury Deschamps Carpentier Julien
Benoît Paris Maillard Marchal Aubry Vasseur Le Roux Renault Jacquet Collet Prévost Poirier Charpentier
Royer Huet Baron Dupuy Pons Paul Laine Carré Breton Rémy Schneider Pérez Perrot Langlois Barré Le Goff
Boucher Hamon Gilbert Tessier Chauvin Besnard Mallet Lebrun Étienne Hoarau Lefort Laporte Sauvage
Lemaître Bouvier Guyot Bailly Hervé Marty Besson Maréchal Germain Cousin Lebon Barthélemy Lévêque
Boulanger Jacob Léger Kieffer Cordier Pelletier Antoine Bouchet Humbert Gillet Bouvet Lemoine
Delmas Bréchet Chevallier Thibault Lejeune Pasquier Brunel Daniel Millet Leblanc Devaux Courtois
Joubert Camus Marty Langlais Faivre Bérard Baudry Hébert Lacombe Chrétien Hoareau Buisson Weber
Bègue Rocher Bigot Grégoire Delaunay Navarro Bonnin Poulain Thiébaut Guichard Hoffmann Tanguy Lévy
Barbe Masse Rossignol Després Chevrier Gosselin Fortin Ferrand Bouchard Benard Valentin Laurens
Dumoulin Lagarde Clerc Bérenger Texier Vallée Ollivier Marin Pineau Béranger Thévenin Lucas Wéber
Jourdan Auger Mathé Charrier Régnier Cuvelier Levêque Lefranc Pottier Crépin Géraud Sénéchal
""".split()
# "Da Silva", "Le Gall"... were split into words above: glue the particles back on.
_PARTICLES = {"Da", "Le"}


def _last_names() -> list[str]:
    names, i = [], 0
    while i < len(LAST_NAMES):
        w = LAST_NAMES[i]
        if w in _PARTICLES and i + 1 < len(LAST_NAMES):
            names.append(f"{w} {LAST_NAMES[i + 1]}")
            i += 2
        else:
            names.append(w)
            i += 1
    return sorted(set(names))


COMPANY_PATTERNS = ["SARL {l}", "{l} & Fils", "Boulangerie {l}", "Garage {l}", "EURL {l}", "Maison {l}",
                    "Épicerie {l}", "Café {l}", "Cabinet {l}", "Association Les Amis de {l}"]
EMAIL_DOMAINS = ["gmail.com", "orange.fr", "free.fr", "laposte.net", "wanadoo.fr", "hotmail.fr", "sfr.fr",
                 "yahoo.fr", "outlook.fr", "bbox.fr"]


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower().replace(" ", "").replace("'", "")


# --------------------------------------------------------------------------------------
# Data set
# --------------------------------------------------------------------------------------
def _remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        p = Path(str(path) + suffix)
        if p.exists():
            p.unlink()


def _dataset_ok(path: Path, n_customers: int, n_entries: int) -> tuple[bool, str]:
    if not path.exists():
        return False, "no file"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            marker = conn.execute("SELECT value FROM settings WHERE key = ?", (MARKER,)).fetchone()
            n_c = conn.execute("SELECT count(*) FROM customers").fetchone()[0]
            n_e = conn.execute("SELECT count(*) FROM credit_ledger WHERE id <= ?", (n_entries,)).fetchone()[0]
            n_u = conn.execute("SELECT count(*) FROM users").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return False, f"unreadable ({exc})"
    want = f'{{"customers": {n_customers}, "entries": {n_entries}, "seed": {SEED}}}'
    if marker is None or marker[0] != want:
        return False, f"marker {marker[0] if marker else None!r} != {want!r}"
    if (n_c, n_e) != (n_customers, n_entries) or n_u < 1:
        return False, f"counts customers={n_c} entries={n_e} users={n_u}"
    return True, "ok"


def _customer_rows(rng: random.Random, n: int, tz: timezone):
    firsts, lasts = FIRST_NAMES, _last_names()
    cards = rng.sample(range(1, 1_000_000), n)
    start = datetime(2019, 1, 7, 9, 0, tzinfo=tz)
    span = (datetime(2024, 12, 20, tzinfo=tz) - start).total_seconds()
    debt_limits = []
    rows = []
    for i in range(n):
        first, last = rng.choice(firsts), rng.choice(lasts)
        company = ""
        if rng.random() < 0.08:
            company = rng.choice(COMPANY_PATTERNS).format(l=rng.choice(lasts))
            if rng.random() < 0.3:
                first = last = ""
        r = rng.random()
        if r < 0.78:
            phone = rng.choice(("06", "07")) + f"{rng.randrange(10**8):08d}"
        elif r < 0.95:
            phone = f"0{rng.randint(1, 5)}" + f"{rng.randrange(10**8):08d}"
        else:
            phone = ""
        email = ""
        if rng.random() < 0.7:
            local = ".".join(p for p in (_ascii(first), _ascii(last)) if p) or _ascii(company)
            if rng.random() < 0.4:
                local += str(rng.randint(1, 99))
            email = f"{local}@{rng.choice(EMAIL_DOMAINS)}"
        card = f"CL{cards[i]:06d}" if rng.random() < 0.97 else None
        note = rng.choice(("Préfère être appelé le matin", "Facture mensuelle", "Livraison le jeudi")) \
            if rng.random() < 0.03 else ""
        debt_limit = rng.choice((0, 0, 0, 0, 2000, 5000, 20000))
        debt_limits.append(debt_limit)
        at = (start + timedelta(seconds=span * i / n)).isoformat(timespec="seconds")
        rows.append((first, last, company, phone, email, card, note, debt_limit, at, at))
    return rows, debt_limits


def _ledger_rows(rng: random.Random, n_entries: int, customer_ids: list[int], debt_limits: dict[int, int],
                 user_id: int, tz: timezone):
    """Entries in time order, interleaved across customers, each stating its running balance.

    Activity per customer is heavy-tailed (Pareto weights); one "cantine" account gets
    about 2% of all entries so the deepest history is long.
    """
    weights = [rng.paretovariate(1.2) for _ in customer_ids]
    cum, acc = [], 0.0
    for w in weights:
        acc += min(w, 200.0)
        cum.append(acc)
    picks = rng.choices(customer_ids, cum_weights=cum, k=n_entries)
    heavy = customer_ids[len(customer_ids) // 3]
    balances = dict.fromkeys(customer_ids, 0)
    start = datetime(2019, 1, 7, 9, 0, tzinfo=tz).timestamp()
    end = datetime(2024, 12, 31, 19, 0, tzinfo=tz).timestamp()
    step = (end - start) / max(n_entries, 1)
    sale_id = 0
    rand, randint, choice = rng.random, rng.randint, rng.choice
    for i in range(n_entries):
        cid = heavy if rand() < 0.02 else picks[i]
        bal, floor = balances[cid], -debt_limits[cid]
        r = rand()
        kind = "top_up"
        if r < 0.50:
            amount = -randint(100, 6000)
            if bal + amount >= floor:
                kind = "sale_payment"
        elif r < 0.55:
            amount = randint(100, 3000)
            kind = "sale_credit"
        elif r < 0.58:
            amount = -randint(100, 2000)
            if bal + amount >= floor:
                kind = "refund"
        if kind == "top_up":
            amount = choice((1000, 2000, 2000, 5000, 5000, 10000, randint(500, 15000)))
            method, sid, label, key = choice(("ESP", "ESP", "CB", "CB", "CB", "CHQ")), None, \
                choice(("", "", "Recharge", "Avance")), f"gen-{i:07d}"
        elif kind == "refund":
            method, sid, label, key = choice(("ESP", "CB")), None, "Remboursement", f"gen-{i:07d}"
        else:
            sale_id += 1
            method, sid, label, key = "CRED", sale_id, "", None
        bal += amount
        balances[cid] = bal
        at = datetime.fromtimestamp(start + i * step + rand() * step, tz).isoformat(timespec="seconds")
        yield (cid, kind, amount, method, sid, label, user_id, randint(1, 3), at, bal, key)


def build_dataset(path: Path, n_customers: int, n_entries: int) -> float:
    t0 = time.perf_counter()
    _remove_db(path)
    rng = random.Random(SEED)
    tz = timezone(timedelta(hours=1))
    store = Store(path)  # real schema: migrations, FTS5 + its triggers, ledger triggers
    try:
        manager = auth.create_first_manager(store, MANAGER_NAME, MANAGER_PIN)
        store.conn.execute("PRAGMA cache_size = -1000000")  # 1 GB page cache for the bulk load only
        rows, debt_limits = _customer_rows(rng, n_customers, tz)
        with store.write():
            store.conn.executemany(
                "INSERT INTO customers(first_name, last_name, company, phone, email, card_code, note,"
                " debt_limit, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        ids = [r[0] for r in store.conn.execute("SELECT id FROM customers ORDER BY id")]
        limits = dict(zip(ids, debt_limits))
        print(f"  customers inserted: {len(ids):,} in {time.perf_counter() - t0:.1f} s", flush=True)
        t1 = time.perf_counter()
        with store.write():
            # The BEFORE INSERT trigger checks balance_after = balance + amount and the AFTER
            # INSERT trigger moves customers.balance: rows carry the running balance.
            store.conn.executemany(
                "INSERT INTO credit_ledger(customer_id, kind, amount, method, sale_id, label, user_id, terminal,"
                " created_at, balance_after, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                _ledger_rows(rng, n_entries, ids, limits, manager.id, tz),
            )
            store.put_setting(MARKER, {"customers": n_customers, "entries": n_entries, "seed": SEED})
        print(f"  ledger entries inserted: {n_entries:,} in {time.perf_counter() - t1:.1f} s", flush=True)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    return time.perf_counter() - t0


# --------------------------------------------------------------------------------------
# Sales history (products, closed sales, lines, payments, one Z per past day)
# --------------------------------------------------------------------------------------
SALES_MARKER = "bench_counter_sales"  # settings key describing the generated sales history
SALES_PER_DAY = 900
TODAY_BULK = 600  # today's bulk sales; the benchmark then closes ~300 real ones through the service
SALES_CHUNK = 50_000  # sales per bulk transaction
CASHIERS = (("Caissier Bench 1", "2345"), ("Caissière Bench 2", "3456"))

PRODUCT_FAMILIES: dict[int, tuple[float, tuple[int, int], list[str]]] = {
    # VAT rate: (share of the catalogue, price range in cents, base names)
    550: (0.60, (30, 1500), """Baguette tradition|Pain de campagne|Croissant|Pain au chocolat|Lait demi-écrémé|
        Yaourt nature|Beurre doux|Camembert|Comté 18 mois|Pâtes penne|Riz basmati|Café moulu|Thé vert|
        Chocolat noir 70 %|Confiture fraise|Miel de lavande|Huile d'olive|Farine T55|Sucre en poudre|
        Œufs plein air|Jus d'orange|Eau minérale|Compote pomme|Biscuits sablés|Sardines à l'huile|Thon au naturel|
        Lentilles vertes|Pommes Golden|Bananes|Tomates grappe|Carottes|Pommes de terre|Salade batavia|
        Jambon blanc|Poulet fermier|Saucisson sec|Crème fraîche|Emmental râpé|Soupe de légumes|Céréales|
        Chips nature|Petits pois|Haricots verts|Madeleines|Galettes bretonnes|Moutarde de Dijon""".split("|")),
    2000: (0.28, (100, 4000), """Lessive liquide|Liquide vaisselle|Shampooing|Gel douche|Dentifrice|
        Papier toilette|Essuie-tout|Piles AA|Ampoule LED|Sacs poubelle|Bière blonde|Vin rouge AOP|Cidre brut|
        Crème solaire|Briquet|Éponges|Cahier grands carreaux|Stylo bille|Carte d'anniversaire|
        Bougie parfumée|Déodorant|Rasoirs jetables|Mouchoirs|Coton-tiges""".split("|")),
    1000: (0.06, (250, 1200), """Sandwich jambon-beurre|Café à emporter|Quiche lorraine|Salade composée|
        Part de pizza|Croque-monsieur|Wrap poulet|Soupe chaude|Panini|Plat du jour""".split("|")),
    210: (0.04, (100, 900), """Le Monde|Le Figaro|Ouest-France|L'Équipe|Le Parisien|Paris Match|Télé 7 Jours|
        Sud Ouest|La Croix|Libération""".split("|")),
    0: (0.02, (100, 2000), """Timbre lettre verte|Carnet 12 timbres|Timbre international|
        Enveloppe prête-à-poster|Colissimo""".split("|")),
}
PRODUCT_VARIANTS = ["", "bio", "250 g", "500 g", "1 kg", "1 L", "6 x 1,5 L", "4 x 125 g", "familial", "x2",
                    "sans sucre", "édition locale", "grand format", "premier prix", "du terroir", "AOP"]


def ean13(body12: str) -> str:
    return body12 + str(gtin_check_digit(body12))


def _catalogue_rows(rng: random.Random, n: int) -> list[tuple]:
    """Products with valid EAN-13 codes (French 30-37 prefixes), in popularity order."""
    rows, seen = [], set()
    rates = list(PRODUCT_FAMILIES)
    shares = [PRODUCT_FAMILIES[r][0] for r in rates]
    while len(rows) < n:
        rate = rng.choices(rates, weights=shares)[0]
        _share, (lo, hi), names = PRODUCT_FAMILIES[rate]
        code = ean13(f"3{rng.randint(0, 7)}{rng.randrange(10**10):010d}")
        if code in seen:
            continue
        seen.add(code)
        name = " ".join(p for p in (rng.choice(names).strip(), rng.choice(PRODUCT_VARIANTS)) if p)
        price = max(5, rng.randint(lo, hi) // 5 * 5)
        rows.append((code, name[:120], price, rate))
    return rows


class Catalogue:
    def __init__(self, rows: list[tuple]) -> None:  # (id, barcode, name, price, vat_rate), popularity order
        self.rows = rows
        self.cum: list[float] = []
        acc = 0.0
        for rank in range(1, len(rows) + 1):
            acc += 1.0 / rank**0.8  # Zipf-like: the bread sells every minute, the AOP cider twice a year
            self.cum.append(acc)

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> "Catalogue":
        return cls(conn.execute("SELECT id, barcode, name, price, vat_rate FROM products ORDER BY id").fetchall())


def _offset(day) -> str:
    """The local UTC offset on that day, as isoformat writes it (follows DST like Store.now())."""
    return datetime.combine(day, datetime.min.time()).replace(hour=12).astimezone().isoformat()[-6:]


def _sales_chunks(rng: random.Random, plan: list[tuple], start_id: int, start_number: int, cat: Catalogue,
                  customer_ids: list[int], user_ids: list[int], day_totals: dict[str, list[int]]):
    """Yield (sales, lines, payments) row lists of at most SALES_CHUNK sales.

    ``plan``: (day, n_sales, first second, last second). Payments mostly CB/ESP, some
    CHQ, CRED (a customer, no ledger row: see the report) and CB+ESP splits; ~12% of
    other sales carry a loyalty customer. ``day_totals[day] = [turnover, cash]`` is filled.
    """
    rand, randint, choice, choices = rng.random, rng.randint, rng.choice, rng.choices
    rows, cum, idx = cat.rows, cat.cum, range(len(cat.rows))
    sales, lines, pays = [], [], []
    sale_id, number = start_id, start_number
    for day, n_sales, lo, hi in plan:
        d, off = day.isoformat(), _offset(day)
        tot = day_totals.setdefault(d, [0, 0])
        for sec in sorted(randint(lo, hi) for _ in range(n_sales)):
            k = choices((1, 2, 3, 4), cum_weights=(40, 70, 90, 100))[0]
            total = 0
            for line_no, p in enumerate(choices(idx, cum_weights=cum, k=k), 1):
                pid, barcode, name, price, rate = rows[p]
                r = rand()
                qty = 1 if r < 0.85 else (2 if r < 0.95 else 3)
                lines.append((sale_id, line_no, "product", pid, barcode, name, qty, price, rate, qty * price,
                              None, None))
                total += qty * price
            r = rand()
            customer = choice(customer_ids) if rand() < 0.12 else None
            change = 0
            if r < 0.55:
                pays.append((sale_id, "CB", total))
            elif r < 0.88:
                given = -(-total // 500) * 500 if rand() < 0.6 else total  # rounded up to 5 € or exact
                change = given - total
                pays.append((sale_id, "ESP", total))
                tot[1] += total
            elif r < 0.90:
                pays.append((sale_id, "CHQ", total))
            elif r < 0.95:
                customer = choice(customer_ids)
                pays.append((sale_id, "CRED", total))
            elif total >= 2:
                pays.append((sale_id, "CB", total // 2))
                pays.append((sale_id, "ESP", total - total // 2))
                tot[1] += total - total // 2
            else:
                pays.append((sale_id, "CB", total))
            tot[0] += total
            created = f"{d}T{sec // 3600:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}{off}"
            sales.append((sale_id, number, customer, choice(user_ids), 1 if rand() < 0.7 else 2, created, d, total,
                          change, None))
            sale_id += 1
            number += 1
            if len(sales) >= SALES_CHUNK:
                yield sales, lines, pays
                sales, lines, pays = [], [], []
    if sales:
        yield sales, lines, pays


def _insert_sales(store: Store, chunk: tuple[list, list, list]) -> None:
    sales, lines, pays = chunk
    with store.write():  # one transaction (one fsync) per chunk; the append-only triggers allow INSERT
        c = store.conn
        c.executemany("INSERT INTO sales(id, number, customer_id, user_id, terminal, created_at, business_day, total,"
                      " change_given, voids_sale_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", sales)
        c.executemany("INSERT INTO sale_lines(sale_id, line_no, kind, product_id, barcode, name, quantity, unit_price,"
                      " vat_rate, total, voucher_id, returned_line_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      lines)
        c.executemany("INSERT INTO sale_payments(sale_id, method, amount) VALUES (?, ?, ?)", pays)


def _insert_z_rows(store: Store, days: list[str], day_totals: dict[str, list[int]], user_id: int) -> int:
    """One Z per day (figures '{}', unsigned), numbered on, with the real period and perpetual totals."""
    last = store.conn.execute("SELECT number, perpetual_total FROM z_closings ORDER BY number DESC LIMIT 1").fetchone()
    number, perpetual = last if last else (0, 0)
    rows = []
    for d in days:
        period, cash = day_totals.get(d, (0, 0))
        number += 1
        perpetual += period
        rows.append((number, d, f"{d}T20:00:00{_offset(date.fromisoformat(d))}", user_id, 1, "{}", None, None, cash,
                     None, period, perpetual, None))
    store.conn.executemany(
        "INSERT INTO z_closings(number, business_day, closed_at, user_id, terminal, figures, counted, count_detail,"
        " expected_cash, cash_difference, period_total, perpetual_total, last_sig)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def _sales_want(n_sales: int, n_products: int) -> str:
    return json.dumps({"sales": n_sales, "products": n_products, "per_day": SALES_PER_DAY, "seed": SEED})


def _sales_ok(path: Path, n_sales: int, n_products: int) -> tuple[bool, str, int]:
    """(ok, why, sales already in the file)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        marker = conn.execute("SELECT value FROM settings WHERE key = ?", (SALES_MARKER,)).fetchone()
        n_p = conn.execute("SELECT count(*) FROM products").fetchone()[0]
        last = conn.execute("SELECT max(id) FROM sales").fetchone()[0] or 0
        has_n = conn.execute("SELECT 1 FROM sales WHERE id = ?", (n_sales,)).fetchone() is not None
    finally:
        conn.close()
    want = _sales_want(n_sales, n_products)
    if marker is None or marker[0] != want:
        return False, f"sales marker {marker[0] if marker else None!r} != {want!r}", last
    if n_p != n_products or not has_n:
        return False, f"counts products={n_p}, sale #{n_sales} present={has_n}", last
    return True, "ok", last


def _users(store: Store) -> tuple[int, list[int]]:
    manager_id = store.scalar("SELECT id FROM users WHERE role = 'manager' ORDER BY id LIMIT 1")
    return manager_id, [r[0] for r in store.conn.execute("SELECT id FROM users WHERE active = 1 ORDER BY id")]


def build_sales(path: Path, n_sales: int, n_products: int) -> float:
    """Add the sales history to the customers/ledger file, in a working copy renamed over it when complete
    (the sales tables are append-only: a half-built history could not be taken back)."""
    t0 = time.perf_counter()
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    work = path.with_name(path.name + ".building")
    _remove_db(work)
    shutil.copyfile(path, work)
    key = Path(str(path) + ".key")  # the working copy signs with the store's own key, found beside it
    if key.exists():
        shutil.copyfile(key, str(work) + ".key")
        os.chmod(str(work) + ".key", 0o600)
    rng = random.Random(SEED + 7)
    store = Store(work)
    try:
        store.conn.execute("PRAGMA cache_size = -1000000")
        manager_id, _ = _users(store)
        manager = next(u for u in auth.list_users(store) if u.id == manager_id)
        for name, pin in CASHIERS:  # a few cashiers, so the X per cashier has rows to group
            if not any(u.name == name for u in auth.list_users(store)):
                auth.create_user(Context(store, manager), name, pin, "cashier")
        _, user_ids = _users(store)
        with store.write():
            store.conn.executemany("INSERT INTO products(barcode, name, price, vat_rate) VALUES (?, ?, ?, ?)",
                                   _catalogue_rows(rng, n_products))
        cat = Catalogue.load(store.conn)
        customer_ids = [r[0] for r in store.conn.execute("SELECT id FROM customers WHERE erased = 0")]
        # ~900 sales a day over the n_sales / 900 days before today; Saturdays and Decembers are busier.
        today = store.clock().date()
        n_days = max(1, round(n_sales / SALES_PER_DAY))
        days = [today - timedelta(days=n_days - i) for i in range(n_days)]
        weights = [(1.35 if d.weekday() == 5 else 0.85 if d.weekday() == 6 else 1.0)
                   * (1.2 if d.month == 12 else 1.0) * rng.uniform(0.85, 1.15) for d in days]
        scale = n_sales / sum(weights)
        counts = [int(w * scale) for w in weights]
        for i in range(n_sales - sum(counts)):
            counts[i % n_days] += 1
        plan = [(d, c, 8 * 3600, 19 * 3600 + 1800) for d, c in zip(days, counts)]
        day_totals: dict[str, list[int]] = {}
        done = 0
        for chunk in _sales_chunks(rng, plan, 1, 1, cat, customer_ids, user_ids, day_totals):
            _insert_sales(store, chunk)
            done += len(chunk[0])
            if done % 200_000 == 0 or done == n_sales:
                print(f"  sales inserted: {done:,} in {time.perf_counter() - t0:.1f} s", flush=True)
        with store.write():
            # After the sales: the *_day_open triggers refuse a sale on a day that has a Z.
            n_z = _insert_z_rows(store, [d.isoformat() for d in days], day_totals, manager_id)
            store.put_setting(SALES_MARKER, json.loads(_sales_want(n_sales, n_products)))
            store.put_setting(SALES_MARKER + "_built", {"seconds": round(time.perf_counter() - t0, 1),
                                                         "on": today.isoformat()})
        print(f"  Z rows inserted: {n_z:,} ({days[0]} .. {days[-1]})", flush=True)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    if Path(str(work) + ".key").exists() and not key.exists():
        os.replace(str(work) + ".key", key)  # a key made while building belongs to the final file
    Path(str(work) + ".key").unlink(missing_ok=True)
    os.replace(work, path)
    _remove_db(work)
    return time.perf_counter() - t0


def refresh_days(path: Path) -> str:
    """Keep "today" the current business day on a cached file: a Z for every past day since the last one,
    and today's bulk sales up to TODAY_BULK (the benchmark then closes ~300 real ones)."""
    t0 = time.perf_counter()
    store = Store(path)
    try:
        today = store.clock().date()
        last = store.scalar("SELECT max(business_day) FROM z_closings")
        missing: list[str] = []
        d = date.fromisoformat(last) + timedelta(days=1) if last else today - timedelta(days=1)
        while d < today:
            missing.append(d.isoformat())
            d += timedelta(days=1)
        manager_id, user_ids = _users(store)
        n_today = store.scalar("SELECT count(*) FROM sales WHERE business_day = ?", (today.isoformat(),))
        added = 0
        with store.write():
            totals = {m: [store.scalar("SELECT coalesce(sum(total), 0) FROM sales WHERE business_day = ?", (m,)),
                          store.scalar("SELECT coalesce(sum(p.amount), 0) FROM sales s JOIN sale_payments p"
                                       " ON p.sale_id = s.id WHERE s.business_day = ? AND p.method = 'ESP'", (m,))]
                      for m in missing}
            _insert_z_rows(store, missing, totals, manager_id)
        if n_today < TODAY_BULK and (not last or date.fromisoformat(last) < today):
            now_s = int((store.clock() - store.clock().replace(hour=0, minute=0, second=0)).total_seconds())
            lo = 7 * 3600 if now_s > 7 * 3600 + 600 else 0
            first_id = (store.scalar("SELECT max(id) FROM sales") or 0) + 1
            first_no = (store.scalar("SELECT max(number) FROM sales") or 0) + 1
            cat = Catalogue.load(store.conn)
            lo_c, hi_c = store.conn.execute("SELECT min(id), max(id) FROM customers").fetchone()
            rng = random.Random(f"{SEED}-{today}-{n_today}")
            plan = [(today, TODAY_BULK - n_today, lo, max(lo, now_s - 1))]
            for chunk in _sales_chunks(rng, plan, first_id, first_no, cat, list(range(lo_c, hi_c + 1)), user_ids, {}):
                _insert_sales(store, chunk)
                added += len(chunk[0])
    finally:
        store.close()
    return (f"{len(missing)} Z row(s) added for past days{f' ({missing[0]} .. {missing[-1]})' if missing else ''}, "
            f"{added} bulk sale(s) added for today {today} (had {n_today}), in {time.perf_counter() - t0:.2f} s")


# --------------------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------------------
class Stat:
    def __init__(self, name: str, samples: list[float]) -> None:
        self.name = name
        self.samples = sorted(samples)
        self.n = len(samples)
        self.median = statistics.median(self.samples)
        self.p95 = self.samples[max(0, math.ceil(0.95 * self.n) - 1)]
        self.min = self.samples[0]
        self.max = self.samples[-1]

    def line(self, extra: str = "") -> str:
        return (f"  {self.name:<42} median {self.median:8.3f} ms   p95 {self.p95:8.3f} ms   "
                f"min {self.min:7.3f}   max {self.max:8.3f}   n={self.n}{extra}")


def measure(name: str, fn: Callable[[int], object], reps: int, *, warmup: int = 3,
            time_cap_s: float = 8.0, min_reps: int = 20) -> Stat:
    """Call ``fn(i)`` ``reps`` times (fewer if it exceeds ``time_cap_s``, never below ``min_reps``)."""
    for i in range(warmup):
        fn(i)
    samples: list[float] = []
    started = time.perf_counter()
    for i in range(reps):
        t = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - t) * 1000.0)
        if len(samples) >= min_reps and time.perf_counter() - started > time_cap_s:
            break
    return Stat(name, samples)


# --------------------------------------------------------------------------------------
# Query plans
# --------------------------------------------------------------------------------------
# Tables that grow with the years: a read on the counter path must reach them through an index.
# ``signatures`` holds one row per fiscal record in a real shop (the bulk rows here are unsigned).
BIG_TABLES = {"customers", "credit_ledger", "sales", "sale_lines", "sale_payments", "products", "signatures"}


def capture_sql(store: Store, fn: Callable[[], object]) -> list[str]:
    """The SELECT statements ``fn`` runs (parameters inlined by SQLite's expanded SQL)."""
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    try:
        fn()
    finally:
        store.conn.set_trace_callback(None)
    out: list[str] = []
    for sql in seen:
        s = sql.strip()
        if re.match(r"(SELECT|WITH)\b", s, re.I) and s not in out:
            out.append(s)
    return out


def _aliases(sql: str) -> dict[str, str]:
    names = {}
    for table, alias in re.findall(r"\b(?:FROM|JOIN)\s+([\w\"]+)(?:\s+(?:AS\s+)?(?!ON\b|WHERE\b|JOIN\b|LEFT\b|"
                                   r"ORDER\b|GROUP\b|LIMIT\b|INNER\b)(\w+))?", sql, re.I):
        table = table.strip('"')
        names[table] = table
        if alias:
            names[alias] = table
    return names


def check_plan(sql: str, conn: sqlite3.Connection,
               expected_scans: dict[str, str] | None = None) -> tuple[bool, list[str], list[str]]:
    """(passed, plan lines, notes). Fails on a full SCAN of a big table (or a walk of its whole index)
    unless a LIMIT stops it; ``expected_scans`` names the tables whose full read is expected (and timed)."""
    rows = conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
    depth: dict[int, int] = {0: 0}
    lines, notes, ok = [], [], True
    aliases = _aliases(sql)
    limited = re.search(r"\bLIMIT\s+\d", sql, re.I) is not None
    by_rowid = re.search(r"ORDER BY\s+(?:\w+\.)?(?:id|rowid)(?:\s+DESC)?\s+LIMIT\b", sql, re.I) is not None
    for node_id, parent, _unused, detail in rows:
        d = depth.get(parent, 0) + 1
        depth[node_id] = d
        lines.append("    " + "  " * d + detail)
        m = re.match(r"SCAN (\S+)(.*)", detail)
        if m:
            obj, rest = m.group(1), m.group(2)
            table = aliases.get(obj, obj)
            if "VIRTUAL TABLE" in rest:
                notes.append(f"{obj}: FTS5 virtual-table index ({rest.strip()})")
            elif table in BIG_TABLES and expected_scans and table in expected_scans:
                notes.append(f"EXPECTED full scan of {table}: {expected_scans[table]} (timed separately)")
            elif table in BIG_TABLES and "USING" not in rest:
                if by_rowid:
                    notes.append(f"{obj}: walks the rowid b-tree in order, stops at LIMIT")
                else:
                    ok = False
                    notes.append(f"FULL TABLE SCAN of {table} ({obj}) without an index")
            elif table in BIG_TABLES:
                if limited:
                    notes.append(f"{obj}: walks index{rest} (ordered; stops at LIMIT)")
                else:
                    ok = False
                    notes.append(f"{obj}: walks the WHOLE index{rest} (no LIMIT stops it)")
        m = re.match(r"SEARCH (\S+) USING .*\((\w+)<\?\)", detail)
        if m and aliases.get(m.group(1), m.group(1)) in BIG_TABLES:
            notes.append(f"{m.group(1)}: open range {m.group(2)} < ? reads every row below the bound "
                         "(grows with the years)")
        if "TEMP B-TREE" in detail:
            notes.append(f"sort step: {detail}")
    return ok, lines, notes


# Subqueries the triggers run inside close_sale (migrations m0002/m0004/m0005): EXPLAIN does not show them
# through the INSERT, so they are checked on their own. (trigger, fragment of its SQL, query to explain)
TRIGGER_QUERIES = [
    ("sales_day_open", "FROM z_closings WHERE business_day >=",
     "SELECT 1 FROM z_closings WHERE business_day >= '2030-01-01'"),
    ("credit_ledger_day_open", "FROM z_closings WHERE business_day >=",
     "SELECT 1 FROM z_closings WHERE business_day >= '2030-01-01'"),
    ("credit_ledger_balance_check", "SELECT balance FROM customers WHERE id = NEW.customer_id",
     "SELECT balance FROM customers WHERE id = 1"),
    ("credit_ledger_balance_update", "UPDATE customers SET balance = NEW.balance_after WHERE id = NEW.customer_id",
     "UPDATE customers SET balance = 0 WHERE id = 1"),
    ("customers_balance_from_ledger", "FROM credit_ledger WHERE customer_id = NEW.id ORDER BY id DESC LIMIT 1",
     "SELECT balance_after FROM credit_ledger WHERE customer_id = 1 ORDER BY id DESC LIMIT 1"),
]


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--sales", type=int, default=1_000_000)
    ap.add_argument("--products", type=int, default=5_000)
    ap.add_argument("--db", type=Path, default=Path("/tmp/pos_bench.db"))
    args = ap.parse_args(argv)
    wall0 = time.perf_counter()
    random.seed(SEED)

    print("=" * 100)
    print("pos-tui counter-path benchmark")
    print(f"python {platform.python_version()}  sqlite {sqlite3.sqlite_version}  cpus {os.cpu_count()}  "
          f"{platform.platform()}")
    print(f"load average at start: {_load()}  (other processes share the CPUs: compare min with median)")
    print(f"db {args.db}   target: {args.customers:,} customers, {args.entries:,} ledger entries, "
          f"{args.sales:,} sales, {args.products:,} products, seed {SEED}")
    print("=" * 100)

    gen: dict[str, float] = {}
    ok, why = _dataset_ok(args.db, args.customers, args.entries)
    if ok:
        print("dataset: reusing cached customers + ledger")
    else:
        print(f"dataset: generating customers + ledger ({why})", flush=True)
        gen["customers+ledger"] = build_dataset(args.db, args.customers, args.entries)
        print(f"dataset: customers + ledger generated in {gen['customers+ledger']:.1f} s")
    ok, why, n_there = _sales_ok(args.db, args.sales, args.products)
    if ok:
        print("sales: reusing cached history")
    else:
        if n_there:
            print(f"sales: {why}, but {n_there:,} sales are in the file (append-only): rebuilding all", flush=True)
            gen["customers+ledger"] = build_dataset(args.db, args.customers, args.entries)
        print(f"sales: generating ({why})", flush=True)
        gen["sales"] = build_sales(args.db, args.sales, args.products)
        print(f"sales: {args.sales:,} sales generated in {gen['sales']:.1f} s")
    if gen:
        print(f"dataset generation this run: {sum(gen.values()):.1f} s "
              f"({', '.join(f'{k} {v:.1f} s' for k, v in gen.items())})")
    print(f"days: {refresh_days(args.db)}", flush=True)

    store = Store(args.db)
    n_c = store.scalar("SELECT count(*) FROM customers")
    n_e = store.scalar("SELECT count(*) FROM credit_ledger")
    heavy_id, heavy_n = store.conn.execute(
        "SELECT customer_id, count(*) FROM credit_ledger GROUP BY customer_id ORDER BY 2 DESC LIMIT 1"
    ).fetchone()
    size_mb = sum(Path(str(args.db) + s).stat().st_size for s in ("", "-wal") if Path(str(args.db) + s).exists())
    print(f"dataset: {n_c:,} customers, {n_e:,} ledger entries, file {size_mb / 1e6:.0f} MB; "
          f"heaviest customer #{heavy_id} with {heavy_n:,} entries")
    fts_rows, fts_bytes = store.conn.execute("SELECT count(*), sum(length(block)) FROM customers_fts_data").fetchone()
    fts_segs = store.scalar("SELECT count(DISTINCT segid) FROM customers_fts_idx")
    print(f"customers_fts index: {fts_bytes / 1e6:.1f} MB in {fts_rows:,} blocks, {fts_segs} segment(s)")
    n_s = store.scalar("SELECT max(number) FROM sales")  # gapless numbers: the count
    n_l = store.scalar("SELECT max(id) FROM sale_lines")
    n_pay = store.scalar("SELECT max(id) FROM sale_payments")
    n_z, z_first, z_last = store.conn.execute(
        "SELECT count(*), min(business_day), max(business_day) FROM z_closings").fetchone()
    n_sig = store.scalar("SELECT count(*) FROM signatures")
    today = closing.business_day(store)
    print(f"sales: {n_s:,} sales, {n_l:,} lines, {n_pay:,} payments, {store.scalar('SELECT count(*) FROM products'):,}"
          f" products; {n_z:,} Z rows ({z_first} .. {z_last}); current business day {today} with "
          f"{store.scalar('SELECT count(*) FROM sales WHERE business_day = ?', (today,)):,} sales so far; "
          f"{n_sig:,} signature rows (bulk rows unsigned)")
    manager = next(u for u in auth.list_users(store) if u.role == "manager")
    ctx = Context(store, manager, terminal=1)
    rng = random.Random(SEED + 1)
    stats: dict[str, Stat] = {}

    # 1. Store open --------------------------------------------------------------------
    print("\n[1] Store open (Store(path) on the big file: connect, pragmas, migration check)")

    def open_close(_i: int) -> None:
        Store(args.db).close()

    stats["open"] = measure("Store(path) + close", open_close, 40)
    print(stats["open"].line())

    def open_search(_i: int) -> None:
        s = Store(args.db)
        customers.search(s, "mar", limit=50)
        s.close()

    stats["open+search"] = measure("Store(path) + first search 'mar' + close", open_search, 20)
    print(stats["open+search"].line())

    # 2. Search --------------------------------------------------------------------------
    print("\n[2] customers.search, as-you-type prefixes, limit=50")
    search_counts = {}
    for text in SEARCH_PREFIXES + [""]:
        search_counts[text] = len(customers.search(store, text, limit=50))
        label = f"search {text!r}" if text else "search '' (empty box: list by name)"
        stats[f"search:{text}"] = measure(label, lambda _i, t=text: customers.search(store, t, limit=50), 200)
        print(stats[f"search:{text}"].line(f"   hits={search_counts[text]}"))
    for text in SEARCH_PREFIXES:
        total = store.scalar(
            "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH ?",
            (customers_store_fts_query(text),),
        )
        search_counts[f"total:{text}"] = total
    print("  FTS matches before LIMIT (rows ranked by bm25 per keystroke): "
          + ", ".join(f"{t!r}={search_counts[f'total:{t}']:,}" for t in SEARCH_PREFIXES))

    # 3. Scan: by_card -------------------------------------------------------------------
    print("\n[3] customers.by_card (the scan path)")
    codes = [r[0] for r in store.conn.execute(
        "SELECT card_code FROM customers WHERE card_code IS NOT NULL AND id % 97 = 0 LIMIT 1000")]
    rng.shuffle(codes)
    stats["by_card"] = measure("by_card(existing code)", lambda i: customers.by_card(store, codes[i % len(codes)]),
                               1000)
    print(stats["by_card"].line(f"   ({len(codes)} distinct codes)"))
    assert customers.by_card(store, codes[0]) is not None
    stats["by_card_miss"] = measure("by_card(unknown code)", lambda i: customers.by_card(store, f"ZZ{i:06d}"), 500)
    print(stats["by_card_miss"].line())

    # 4. Credit panel --------------------------------------------------------------------
    print(f"\n[4] credit panel for customer #{heavy_id} ({heavy_n:,} entries, the most)")
    stats["status"] = measure("credit.status", lambda _i: credit.status(ctx, heavy_id), 500)
    print(stats["status"].line())
    first_page = credit.history(ctx, heavy_id, limit=50)
    stats["hist1"] = measure("credit.history first page (50)", lambda _i: credit.history(ctx, heavy_id, limit=50),
                             300)
    print(stats["hist1"].line(f"   rows={len(first_page)}"))
    deep_before = store.scalar(
        "SELECT id FROM credit_ledger WHERE customer_id = ? ORDER BY id LIMIT 1 OFFSET 100", (heavy_id,))
    deep_page = credit.history(ctx, heavy_id, before_id=deep_before, limit=50)
    stats["hist_deep"] = measure(f"credit.history deep page (before_id={deep_before})",
                                 lambda _i: credit.history(ctx, heavy_id, before_id=deep_before, limit=50), 300)
    print(stats["hist_deep"].line(f"   rows={len(deep_page)}, {heavy_n - 100:,} newer entries skipped"))
    typical = rng.choice(codes)
    typical_c = customers.by_card(store, typical)
    stats["hist_typ"] = measure(f"credit.history first page, typical #{typical_c.id}",
                                lambda _i: credit.history(ctx, typical_c.id, limit=50), 300)
    print(stats["hist_typ"].line())

    # 5. Top-up --------------------------------------------------------------------------
    print("\n[5] credit.top_up (BEGIN IMMEDIATE ... COMMIT, WAL, synchronous=FULL: one fsync per write)")
    targets = [customers.by_card(store, c).id for c in codes[:200]]

    def do_top_up(i: int) -> None:
        credit.top_up(ctx, targets[i % len(targets)], 1000, "ESP", "bench", idempotency_key=uuid.uuid4().hex)

    stats["top_up"] = measure("credit.top_up(10,00 ESP, idempotency key)", do_top_up, 200, warmup=2,
                              time_cap_s=60.0)
    print(stats["top_up"].line())

    # 6. Scan a product -----------------------------------------------------------------
    print("\n[6] checkout.scan (the scan field: product barcode, then voucher, then customer card)")
    cat = Catalogue.load(store.conn)
    barcodes = {r[1] for r in cat.rows}
    hit_codes = [cat.rows[i][1] for i in rng.choices(range(len(cat.rows)), cum_weights=cat.cum, k=1000)]
    miss_codes: list[str] = []
    while len(miss_codes) < 500:  # valid check digit, not in the catalogue: product miss, then card miss
        code = ean13(f"4{rng.randrange(10**11):011d}")
        if code not in barcodes:
            miss_codes.append(code)
    assert checkout.scan(store, hit_codes[0]).product is not None

    def scan_miss(i: int) -> None:
        try:
            checkout.scan(store, miss_codes[i % len(miss_codes)])
        except NotFound:
            return
        raise AssertionError("unknown EAN found")

    stats["scan_hit"] = measure("scan(product EAN-13, popular mix)",
                                lambda i: checkout.scan(store, hit_codes[i % len(hit_codes)]), 1000)
    print(stats["scan_hit"].line(f"   ({len(set(hit_codes))} distinct codes)"))
    stats["scan_miss"] = measure("scan(unknown valid EAN-13) -> NotFound", scan_miss, 500)
    print(stats["scan_miss"].line())

    # 7. Close a sale -----------------------------------------------------------------
    print("\n[7] checkout.close_sale, 3 scanned lines (BEGIN IMMEDIATE, gapless number, lines, payments, "
          "signatures, journal, COMMIT with fsync)")

    def make_cart(customer_id: int | None = None, max_total: int | None = None) -> Cart:
        while True:
            picks = rng.choices(range(len(cat.rows)), cum_weights=cat.cum, k=3)
            if len(set(picks)) < 3:
                continue
            cart = Cart(customer_id=customer_id)
            for p in picks:
                cart.add_product(checkout.scan(store, cat.rows[p][1]).product)
            if max_total is None or cart.total <= max_total:
                return cart

    n_cb, n_cred, warm = 200, 100, 3
    carts_cb = iter([make_cart() for _ in range(n_cb + warm + 1)])

    def close_cb(_i: int) -> None:
        cart = next(carts_cb)
        checkout.close_sale(ctx, cart, [Tender("CB", cart.total)])

    stats["close_cb"] = measure("close_sale(3 lines, CB)", close_cb, n_cb, warmup=warm, time_cap_s=40.0)
    print(stats["close_cb"].line())
    # Customers with room for a CRED sale (setup read, not timed): balance + debt limit >= 200 EUR, carts <= 150 EUR.
    room = [r[0] for r in store.conn.execute(
        "SELECT id FROM customers WHERE erased = 0 AND balance + debt_limit >= 20000")]
    cred_customers = rng.sample(room, n_cred + warm + 1)
    carts_cred = iter([make_cart(cid, 15000) for cid in cred_customers])
    last_cred: list = []

    def close_cred(_i: int) -> None:
        cart = next(carts_cred)
        before = store.scalar("SELECT balance FROM customers WHERE id = ?", (cart.customer_id,))
        t = time.perf_counter()
        result = checkout.close_sale(ctx, cart, [Tender("CRED", cart.total)])
        last_cred[:] = [time.perf_counter() - t, before, result]

    # The balance read before the sale is setup: time close_sale alone.
    samples_cred: list[float] = []
    for i in range(warm):
        close_cred(i)
    started = time.perf_counter()
    for i in range(n_cred):
        close_cred(i)
        samples_cred.append(last_cred[0] * 1000.0)
        if len(samples_cred) >= 20 and time.perf_counter() - started > 40.0:
            break
    stats["close_cred"] = Stat("close_sale(3 lines, CRED, customer)", samples_cred)
    _t, before, result = last_cred
    assert result.new_balance == before - result.total, (before, result)
    print(stats["close_cred"].line(f"   ({len(room):,} customers with room; last: balance "
                                   f"{before} -> {result.new_balance})"))

    # 8. Business day -----------------------------------------------------------------
    print("\n[8] closing.business_day (read on every sale, ledger entry and screen refresh)")
    stats["business_day"] = measure("closing.business_day(store)", lambda _i: closing.business_day(store), 1000)
    print(stats["business_day"].line(f"   -> {closing.business_day(store)}"))

    # 9. X summary --------------------------------------------------------------------
    today = closing.business_day(store)
    n_today = store.scalar("SELECT count(*) FROM sales WHERE business_day = ?", (today,))
    print(f"\n[9] closing.summary(store, {today}): the live X on a day with {n_today:,} sales, "
          f"{store.scalar('SELECT max(number) FROM sales'):,} sales in the file")
    x = closing.summary(store, today)
    stats["x"] = measure(f"summary(store, {today})", lambda _i: closing.summary(store, today), 30, warmup=2,
                         time_cap_s=15.0, min_reps=10)
    print(stats["x"].line(f"   sales_count={x['sales_count']}, ttc={x['turnover']['ttc']}, "
                          f"perpetual={x['perpetual_total']:,}"))
    print("  per statement (expanded SQL re-run alone; median of up to 15):")
    x_parts: list[tuple[Stat, str]] = []
    for k, sql in enumerate(capture_sql(store, lambda: closing.summary(store, today)), 1):
        st = measure(f"stmt {k}", lambda _i, s=sql: store.conn.execute(s).fetchall(), 15, warmup=1,
                     time_cap_s=4.0, min_reps=5)
        x_parts.append((st, sql))
        if "sum(CASE WHEN balance > 0" in sql:
            stats["x_customers"] = Stat("customers aggregate (outstanding)", st.samples)
        elif re.match(r"SELECT coalesce\(sum\(total\), 0\) FROM sales WHERE business_day <=", sql):
            stats["x_perpetual"] = Stat("perpetual total (all sales <= day)", st.samples)
    for st, sql in sorted(x_parts, key=lambda p: -p[0].median):
        short = re.sub(r"\s+", " ", sql)
        short = short if len(short) <= 120 else short[:117] + "..."
        print(f"    {st.median:9.3f} ms  {short}")
    for key in ("x_customers", "x_perpetual"):
        if key in stats:
            print(stats[key].line(f"   ({stats[key].median / stats['x'].median:.0%} of the X median)"))
    yesterday = (date.fromisoformat(today) - timedelta(days=1)).isoformat()
    stats["x_past"] = measure(f"summary(store, {yesterday}) (as-of balances)",
                              lambda _i: closing.summary(store, yesterday), 8, warmup=1, time_cap_s=10.0,
                              min_reps=3)
    print(stats["x_past"].line("   (info: a past day when ledger rows followed it)"))

    # 10. Query plans ---------------------------------------------------------------------
    print("\n[10] EXPLAIN QUERY PLAN of the SQL the services actually run (captured with a trace callback)")
    cases: list[tuple[str, Callable[[], object]] | tuple[str, Callable[[], object], dict[str, str]]] = [
        ("search 'mar'", lambda: customers.search(store, "mar", limit=50)),
        ("search 'jean mar'", lambda: customers.search(store, "jean mar", limit=50)),
        ("search '' (empty box)", lambda: customers.search(store, "", limit=50)),
        ("by_card", lambda: customers.by_card(store, codes[0])),
        ("credit.status", lambda: credit.status(ctx, heavy_id)),
        ("history first page", lambda: credit.history(ctx, heavy_id, limit=50)),
        ("history deep page", lambda: credit.history(ctx, heavy_id, before_id=deep_before, limit=50)),
        ("top_up (reads inside the write)", lambda: do_top_up(10_000)),
        ("scan product EAN (hit)", lambda: checkout.scan(store, hit_codes[0])),
        ("scan unknown EAN (miss)", lambda: scan_miss(0)),
        ("close_sale CB (reads inside the write)", lambda: close_cb(0)),
        ("close_sale CRED (reads inside the write)", lambda: close_cred(0)),
        ("business_day", lambda: closing.business_day(store)),
        ("X summary(today)", lambda: closing.summary(store, today),
         {"customers": "customers aggregate (outstanding credit / debt from the cached balances)"}),
    ]
    plan_results: list[tuple[str, bool]] = []
    plan_flags: list[str] = []  # expected full scans and open ranges, listed again in the SUMMARY
    for label, fn, *expected in cases:
        statements = capture_sql(store, fn)
        for k, sql in enumerate(statements, 1):
            passed, lines, notes = check_plan(sql, store.conn, expected[0] if expected else None)
            short = sql if len(sql) <= 230 else sql[:227] + "..."
            print(f"  -- {label} [{k}/{len(statements)}]: {short}")
            print("\n".join(lines))
            for note in notes:
                print(f"       note: {note}")
                if note.startswith("EXPECTED") or "open range" in note:
                    plan_flags.append(f"{label} [{k}]: {note}")
            verdict = "PASS" if passed else "FAIL"
            print(f"  {verdict}: {label} [{k}] {'uses indexes / FTS' if passed else 'full scan of a big table'}")
            plan_results.append((f"{label} [{k}]", passed))
    print("  -- subqueries run by the triggers close_sale fires (not visible through the INSERT's plan):")
    trigger_sql = dict(store.conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall())
    for trigger, fragment, sql in TRIGGER_QUERIES:
        body = re.sub(r"\s+", " ", trigger_sql.get(trigger) or "")
        if fragment not in body:
            print(f"  FAIL: trigger {trigger} changed or is gone: update TRIGGER_QUERIES")
            plan_results.append((f"trigger {trigger}", False))
            continue
        passed, lines, notes = check_plan(sql, store.conn)
        print(f"  -- trigger {trigger}: {sql}")
        print("\n".join(lines))
        for note in notes:
            print(f"       note: {note}")
        print(f"  {'PASS' if passed else 'FAIL'}: trigger {trigger}")
        plan_results.append((f"trigger {trigger}", passed))
    print("  (foreign keys checked on insert: sales.customer_id/user_id, sale_lines.sale_id/product_id,"
          " sale_payments.sale_id/method all point at primary keys)")

    # Ratios -----------------------------------------------------------------------------
    print("\n[ratios]")

    def ratio(label: str, value: float, detail: str = "") -> None:
        print(f"  {label:<46} {value:10.4f}x   {detail}".rstrip())

    m, mart = stats["search:m"], stats["search:mart"]
    ratio("search 'm' / search 'mart' (median)", m.median / mart.median,
          f"({m.median:.2f} vs {mart.median:.2f} ms; FTS matches {search_counts['total:m']:,} vs "
          f"{search_counts['total:mart']:,})")
    worst = max(SEARCH_PREFIXES, key=lambda t: stats[f"search:{t}"].p95)
    ratio(f"slowest search ({worst!r}) p95 / {COUNTER_BUDGET:.0f} ms counter", stats[f"search:{worst}"].p95 /
          COUNTER_BUDGET, f"({stats[f'search:{worst}'].p95:.2f} ms; search budget {BUDGET_SEARCH:g} ms)")
    tu = stats["top_up"]
    ratio(f"top_up median / {COUNTER_BUDGET:.0f} ms counter budget", tu.median / COUNTER_BUDGET,
          f"(p95 {tu.p95 / COUNTER_BUDGET:.3f}x)")
    ratio("history deep page / first page (median)", stats["hist_deep"].median / stats["hist1"].median,
          "(keyset paging: ~1x expected)")
    ratio("history heaviest / typical customer (median)", stats["hist1"].median / stats["hist_typ"].median)
    ratio(f"by_card p95 / {COUNTER_BUDGET:.0f} ms counter budget", stats["by_card"].p95 / COUNTER_BUDGET)
    ratio(f"store open p95 / {BUDGET_OPEN:.0f} ms budget", stats["open"].p95 / BUDGET_OPEN)
    ratio("scan product hit p95 / 5 ms budget", stats["scan_hit"].p95 / BUDGET_SCAN)
    ratio("close_sale CB median / top_up median", stats["close_cb"].median / stats["top_up"].median,
          "(3 lines + payment + 6 signatures vs 1 entry + 1 signature)")
    ratio("close_sale CRED p95 / close_sale CB p95", stats["close_cred"].p95 / stats["close_cb"].p95)
    ratio(f"X summary p95 / {BUDGET_X:.0f} ms budget", stats["x"].p95 / BUDGET_X)
    for key, label in (("x_customers", "customers aggregate"), ("x_perpetual", "perpetual total")):
        if key in stats:
            ratio(f"X: {label} / whole X (median)", stats[key].median / stats["x"].median)

    # Summary ----------------------------------------------------------------------------
    rows: list[tuple[str, Stat, float | None]] = [("store open", stats["open"], BUDGET_OPEN)]
    rows += [("scan: product EAN (hit)", stats["scan_hit"], BUDGET_SCAN),
             ("scan: unknown EAN (miss)", stats["scan_miss"], BUDGET_SCAN),
             ("close_sale 3 lines CB", stats["close_cb"], BUDGET_CLOSE),
             ("close_sale 3 lines CRED", stats["close_cred"], BUDGET_CLOSE),
             ("X summary(today)", stats["x"], BUDGET_X)]
    rows += [(f"  X: {label}", stats[key], None) for key, label in
             (("x_customers", "customers aggregate"), ("x_perpetual", "perpetual total")) if key in stats]
    rows += [("X summary(yesterday) (info)", stats["x_past"], None),
             ("business_day", stats["business_day"], BUDGET_BUSINESS_DAY)]
    rows += [(f"search {t!r}", stats[f"search:{t}"], BUDGET_SEARCH) for t in SEARCH_PREFIXES]
    rows += [("search '' (empty box)", stats["search:"], BUDGET_SEARCH),
             ("scan: by_card (hit)", stats["by_card"], BUDGET_SCAN),
             ("scan: by_card (miss)", stats["by_card_miss"], BUDGET_SCAN),
             ("credit.status", stats["status"], None),
             ("history first page (heaviest)", stats["hist1"], BUDGET_HISTORY),
             ("history deep page (heaviest)", stats["hist_deep"], BUDGET_HISTORY),
             ("history first page (typical)", stats["hist_typ"], BUDGET_HISTORY),
             ("top_up (write + fsync)", stats["top_up"], BUDGET_TOP_UP),
             ("open + first search (info)", stats["open+search"], None)]
    print("\n" + "=" * 100)
    print(f"SUMMARY  ({n_c:,} customers, {n_e:,} ledger entries, {n_s:,} sales / {n_l:,} lines / {n_pay:,} "
          f"payments / {n_z:,} Z before this run, X day {today} with {n_today:,} sales; budgets compared with p95)")
    built = store.get_setting(SALES_MARKER + "_built")
    if gen:
        print(f"  dataset: generated this run in {sum(gen.values()):.1f} s "
              f"({', '.join(f'{k} {v:.1f} s' for k, v in gen.items())})")
    else:
        print("  dataset: cached" + (f" (sales history generated in {built['seconds']} s on {built['on']})"
                                     if built else ""))
    print(f"  {'operation':<32} {'n':>5} {'median ms':>10} {'p95 ms':>10} {'budget':>10}  verdict")
    over = []
    for name, st, budget in rows:
        verdict = "info" if budget is None else ("OK" if st.p95 <= budget else "OVER")
        if verdict == "OVER":
            over.append(name)
        b = "—" if budget is None else f"≤ {budget:g} ms"
        print(f"  {name:<32} {st.n:>5} {st.median:>10.3f} {st.p95:>10.3f} {b:>10}  {verdict}")
    n_fail = sum(1 for _, p in plan_results if not p)
    print(f"  query plans: {len(plan_results) - n_fail} PASS, {n_fail} FAIL"
          + (f" ({', '.join(n for n, p in plan_results if not p)})" if n_fail else ""))
    for flag in plan_flags:
        print(f"    {flag}")
    print(f"  OVER budget: {', '.join(over) if over else 'none'}")
    print(f"  load average at end: {_load()}")
    print(f"  total wall time: {time.perf_counter() - wall0:.1f} s")
    print("=" * 100)
    store.close()
    return 0


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def customers_store_fts_query(text: str) -> str | None:
    from pos_tui.store.customers import fts_query

    return fts_query(text)


if __name__ == "__main__":
    sys.exit(main())
