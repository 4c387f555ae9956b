"""Counter-path benchmark on years of data (project rule: "the counter path stays instant").

Builds (once, then reuses) a store with 100k customers and 1M credit-ledger entries
through ``pos_tui.store.db.Store`` -- the real schema, migrations, FTS and ledger
triggers -- then times the counter-path services and prints figures, ratios, query
plans and a budget table. A report, not a test: it always exits 0.

    .venv/bin/python benchmarks/bench_counter.py [--customers 100000] [--entries 1000000] [--db PATH]

Every run adds a couple of hundred top-up entries to the cached file (the ledger is
append-only); the cache check only looks at the generated rows (ids 1..N).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import re
import sqlite3
import statistics
import sys
import time
import unicodedata
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from pos_tui.services import auth, credit, customers
from pos_tui.services.context import Context
from pos_tui.store.db import Store

SEED = 20240517
MARKER = "bench_counter_dataset"  # settings key describing the generated data
MANAGER_NAME, MANAGER_PIN = "Gérante Bench", "1234"

SEARCH_PREFIXES = ["m", "ma", "mar", "mart", "hél", "hel", "dub", "0612", "CL0123", "jean mar"]

# Budgets (milliseconds, compared with the p95).
BUDGET_SEARCH = 50.0
BUDGET_SCAN = 5.0
BUDGET_TOP_UP = 50.0
BUDGET_HISTORY = 20.0
BUDGET_OPEN = 200.0
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
BIG_TABLES = {"customers", "credit_ledger"}


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


def check_plan(sql: str, conn: sqlite3.Connection) -> tuple[bool, list[str], list[str]]:
    """(passed, plan lines, notes). Fails on a SCAN of customers / credit_ledger without an index."""
    rows = conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
    depth: dict[int, int] = {0: 0}
    lines, notes, ok = [], [], True
    aliases = _aliases(sql)
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
            elif table in BIG_TABLES and "USING" not in rest:
                ok = False
                notes.append(f"FULL TABLE SCAN of {table} ({obj}) without an index")
            elif table in BIG_TABLES:
                notes.append(f"{obj}: walks index{rest} (ordered; stops at LIMIT)")
        if "TEMP B-TREE" in detail:
            notes.append(f"sort step: {detail}")
    return ok, lines, notes


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--db", type=Path, default=Path("/tmp/pos_bench.db"))
    args = ap.parse_args(argv)
    wall0 = time.perf_counter()
    random.seed(SEED)

    print("=" * 100)
    print("pos-tui counter-path benchmark")
    print(f"python {platform.python_version()}  sqlite {sqlite3.sqlite_version}  cpus {os.cpu_count()}  "
          f"{platform.platform()}")
    print(f"load average at start: {_load()}  (other processes share the CPUs: compare min with median)")
    print(f"db {args.db}   target: {args.customers:,} customers, {args.entries:,} ledger entries, seed {SEED}")
    print("=" * 100)

    ok, why = _dataset_ok(args.db, args.customers, args.entries)
    if ok:
        print("dataset: reusing cached file")
    else:
        print(f"dataset: generating ({why})", flush=True)
        gen_s = build_dataset(args.db, args.customers, args.entries)
        print(f"dataset: generated in {gen_s:.1f} s")

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

    # 6. Query plans ---------------------------------------------------------------------
    print("\n[6] EXPLAIN QUERY PLAN of the SQL the services actually run (captured with a trace callback)")
    cases: list[tuple[str, Callable[[], object]]] = [
        ("search 'mar'", lambda: customers.search(store, "mar", limit=50)),
        ("search 'jean mar'", lambda: customers.search(store, "jean mar", limit=50)),
        ("search '' (empty box)", lambda: customers.search(store, "", limit=50)),
        ("by_card", lambda: customers.by_card(store, codes[0])),
        ("credit.status", lambda: credit.status(ctx, heavy_id)),
        ("history first page", lambda: credit.history(ctx, heavy_id, limit=50)),
        ("history deep page", lambda: credit.history(ctx, heavy_id, before_id=deep_before, limit=50)),
        ("top_up (reads inside the write)", lambda: do_top_up(10_000)),
    ]
    plan_results: list[tuple[str, bool]] = []
    for label, fn in cases:
        statements = capture_sql(store, fn)
        for k, sql in enumerate(statements, 1):
            passed, lines, notes = check_plan(sql, store.conn)
            short = sql if len(sql) <= 230 else sql[:227] + "..."
            print(f"  -- {label} [{k}/{len(statements)}]: {short}")
            print("\n".join(lines))
            for note in notes:
                print(f"       note: {note}")
            verdict = "PASS" if passed else "FAIL"
            print(f"  {verdict}: {label} [{k}] {'uses indexes / FTS' if passed else 'full scan of a big table'}")
            plan_results.append((f"{label} [{k}]", passed))

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

    # Summary ----------------------------------------------------------------------------
    rows: list[tuple[str, Stat, float | None]] = [("store open", stats["open"], BUDGET_OPEN)]
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
    print(f"SUMMARY  ({n_c:,} customers, {n_e:,} ledger entries; budgets compared with p95)")
    print(f"  {'operation':<32} {'n':>5} {'median ms':>10} {'p95 ms':>10} {'budget':>10}  verdict")
    over = []
    for name, st, budget in rows:
        verdict = "info" if budget is None else ("OK" if st.p95 <= budget else "OVER")
        if verdict == "OVER":
            over.append(name)
        b = "—" if budget is None else f"≤ {budget:g} ms"
        print(f"  {name:<32} {st.n:>5} {st.median:>10.3f} {st.p95:>10.3f} {b:>10}  {verdict}")
    n_fail = sum(1 for _, p in plan_results if not p)
    print(f"  query plans: {len(plan_results) - n_fail} PASS, {n_fail} FAIL")
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
