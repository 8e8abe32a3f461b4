"""Catalogue at scale: nearest centres, typed questions and browse pages beside naive baselines.

    .venv/bin/python bench/catalog.py [--programmes 100000] [--centres 10000] [--quick]

Generates the demo catalogue scaled up (services.catalog.demo), imports it with the real
importer into a fresh SQLite file and times the services beside naive baselines in the same
run: one SELECT of everything, the rest in Python. Nearest centres and browse pages must equal
the baseline's (else exit 1); timings are never asserted. --quick: 10,000 at 1,000 centres;
--only nearest|text|browse (repeatable) measures only those.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
import asyncio
import heapq
import math
import random
import re
import resource
import sqlite3
import tempfile
import time
from collections import Counter

import aiogram
import sqlalchemy
from sqlalchemy import select, text

from db import migrate
from db.engine import create_engine, create_session_factory
from db.models import Organisation, Programme
from services.catalog import demo as demo_catalog
from services.catalog.browse import CatalogService, Filters
from services.catalog.imports import import_catalog
from services.catalog.localities import LocalityService, distance_km
from services.catalog.terms import DIRECTIONS
from services.demo_data import load_localities_if_empty
from services.search import SearchService

P, ORG = Programme.__table__.c, Organisation.__table__.c
BROWSE_ALL = text(
    "SELECT p.id, p.name, p.age_from, p.age_to, p.cost, p.hidden, o.hidden AS org_hidden,"
    " o.locality_id, o.name AS org FROM programmes p JOIN organisations o"
    " ON o.id = p.organisation_id WHERE p.direction = :d"
)
PER_PAGE = 6
SECTIONS = ("nearest", "text", "browse")
REMOTE = ((59.6, 79.0), (58.0, 87.6), (60.3, 83.2), (57.3, 80.4), (59.2, 85.8))
# Parents' questions (tests/search/test_search_questions.py), the last line with typos.
QUESTIONS = [
    q.strip()
    for q in """робототехника для 10 лет; шахматы в Томске; бесплатное рисование; 3D-моделирование
    программирование python; бесплатные кружки по рисованию; футбол в Северске; квадрокоптеры
    танцы для девочки 6 лет; плавание в Колпашево; лего для ребёнка 5 лет; кружок астрономии
    программирование для 12 лет в Томске; химия для 14 лет; английский язык; бесплатно для 5 лет
    баскетбол в Молчаново; научиться играть на гитаре; технические кружки в Стрежевом для 8 лет
    спортивные секции в Томском районе; кружки для детей с ОВЗ в Томске; что такое точка роста
    Кванториум робототехника; где в Томске бесплатный футбол для мальчика 10 лет
    моему сыну 12, интересуется химией; роботехника; шахмты для 8 лет
    програмирование на питоне; хареография в Асино; валейбол""".replace("\n", ";").split(";")
]


def percentiles(seconds: list[float]) -> tuple[float, float]:
    ordered = sorted(seconds)
    return tuple(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 for q in (0.5, 0.95))


async def timed(call, inputs: list, warmup: int) -> tuple[list[float], list]:  # type: ignore[no-untyped-def]
    """Each input once, after `warmup` untimed calls; the latencies and the results."""
    for args in inputs[:warmup]:
        await call(*args)
    times, results = [], []
    for args in inputs:
        start = time.perf_counter()
        results.append(await call(*args))
        times.append(time.perf_counter() - start)
    return times, results


def scaled_counts(programmes: int) -> dict[str, int]:
    total = sum(demo_catalog.REPORT_COUNTS.values())
    counts = {d: round(n * programmes / total) for d, n in demo_catalog.REPORT_COUNTS.items()}
    counts["technical"] += programmes - sum(counts.values())
    return counts


async def load(sessions, folder: str, programmes: int, centres: int, seed: int) -> bool:  # type: ignore[no-untyped-def]
    scale = max(1, round(centres / 116))  # the plan has ~116 organisations per scale unit
    path = Path(folder) / "catalog.csv"
    start = time.perf_counter()
    rows = demo_catalog.write_csv(
        demo_catalog.generate(scaled_counts(programmes), seed=seed, org_scale=scale), path
    )
    generated = time.perf_counter() - start
    start = time.perf_counter()
    report = await import_catalog(sessions, path)
    imported = time.perf_counter() - start
    print(
        f"generated {rows} rows (org_scale {scale}, {path.stat().st_size / 2**20:.1f} MiB CSV)"
        f" in {generated:.1f} s; imported in {imported:.1f} s: {report.organisations.added}"
        f" centres, {report.programmes.added} programmes, {report.problem_count} problems"
    )
    for problem in report.problems[:5]:
        print(f"  row {problem.row} {problem.column}: {problem.reason} {dict(problem.args)}")
    return report.ok and report.programmes.added == programmes


async def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--programmes", type=int, default=100_000)
    parser.add_argument("--centres", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="10,000 programmes, 1,000 centres")
    parser.add_argument("--runs", type=int, default=300, help="timed runs of each query")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--only",
        choices=SECTIONS,
        action="append",
        help="measure only these (repeatable; each still beside its baseline): the naive text"
        " baseline alone takes minutes at 100k",
    )
    args = parser.parse_args()
    if args.quick:
        args.programmes, args.centres = 10_000, 1_000
    print(
        f"bench/catalog.py  Python {sys.version.split()[0]}, aiogram {aiogram.__version__},"
        f" SQLAlchemy {sqlalchemy.__version__}, SQLite {sqlite3.sqlite_version},"
        f" {os.cpu_count()} cores; {args.programmes} programmes at ~{args.centres} centres"
    )
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite:///{folder}/catalog.sqlite3")
        try:
            sessions = create_session_factory(engine)
            await migrate.upgrade(engine)
            await load_localities_if_empty(sessions)
            if not await load(sessions, folder, args.programmes, args.centres, args.seed):
                print("import FAILED")
                return 1
            return await measure(sessions, rng, args)
        finally:
            await engine.dispose()


async def measure(sessions, rng: random.Random, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    localities = LocalityService(sessions)
    places = await localities.all()
    catalog, search = CatalogService(sessions), SearchService(sessions, localities)
    runs, warmup = args.runs, max(10, args.runs // 10)
    table: list[tuple[str, list[float], list[float]]] = []

    async def compare(name: str, ours_call, base_call, inputs: list) -> tuple[list, int]:  # type: ignore[no-untyped-def]
        """Both timed over the same inputs; our results and how many differ from the base's."""
        ours, got = await timed(ours_call, inputs, warmup)
        base, expected = await timed(base_call, inputs, warmup)
        table.append((name, ours, base))
        return got, sum(a != b for a, b in zip(got, expected, strict=True))

    only = set(args.only or SECTIONS)
    wrong = 0
    notes: list[str] = []

    # a. The 10 nearest centres.
    def point() -> tuple[float, float]:  # within 5 km of a locality, or a remote one
        if rng.random() < 0.05:
            return rng.choice(REMOTE)
        place = rng.choice(places)
        dlon = 5 / (111.0 * math.cos(math.radians(place.latitude)))
        return place.latitude + rng.uniform(-5, 5) / 111, place.longitude + rng.uniform(-dlon, dlon)

    points = [point() for _ in range(runs)]

    async def nearby(lat: float, lon: float) -> list[float]:
        return [round(n.km, 6) for n in await catalog.nearby(lat, lon, count=10)]

    async def naive_nearby(lat: float, lon: float) -> list[float]:
        statement = select(ORG.latitude, ORG.longitude).where(ORG.hidden.is_(False))
        async with sessions() as session:
            rows = (await session.execute(statement)).all()
        return sorted(round(distance_km(lat, lon, a, b), 6) for a, b in rows)[:10]

    if "nearest" in only:
        _, wrong = await compare("nearest-10 centres", nearby, naive_nearby, points)
        notes.append(f"nearest-10: {wrong} of {runs} points differ from the baseline")

    # b. Typed questions.
    questions = [(rng.choice(QUESTIONS),) for _ in range(runs)]

    async def ask(question: str) -> str:
        # As many as the question handler lists (handlers/search/results.py: LISTED).
        answer = await search.ask(question, limit=32)
        return f"{answer.kind}/{search.last_plan[0]}" if answer.programme_ids else answer.kind

    async def naive_ask(question: str) -> list[int]:
        words = [w for w in re.findall(r"\w+", question.lower()) if len(w) >= 3]
        async with sessions() as session:
            rows = (await session.execute(select(P.id, P.name, P.description))).all()
        scored = ((sum(w in f"{n} {d}".lower() for w in words), pid) for pid, n, d in rows)
        return [pid for score, pid in heapq.nlargest(10, scored) if score]

    if "text" in only:
        kinds, _ = await compare("text question", ask, naive_ask, questions)  # not comparable
        shown = ", ".join(f"{kind} {n}" for kind, n in sorted(Counter(kinds).items()))
        notes.append(f"text questions ({len(QUESTIONS)} distinct), answers by kind/plan: {shown}")

    # c. Filtered browse pages.
    browse_inputs = [
        (
            rng.choice(list(DIRECTIONS)),
            Filters(
                age=rng.choice([None, None, *range(5, 18)]),
                locality_id=rng.choice([None, None, None, *(p.id for p in places)]),
                free_only=rng.random() < 0.3,
            ),
            rng.choice([0, 0, 0, 1, 2, 5, 20]),
        )
        for _ in range(runs)
    ]

    async def browse(direction: str, filters: Filters, page: int) -> tuple[list[int], int]:
        result = await catalog.browse(direction, filters, page)
        return [line.id for line in result.items], result.total

    async def naive_browse(direction: str, f: Filters, page: int) -> tuple[list[int], int]:
        async with sessions() as session:
            rows = (await session.execute(BROWSE_ALL, {"d": direction})).all()
        keep = [
            r
            for r in rows
            if not r.hidden
            and not r.org_hidden
            and (f.age is None or r.age_from <= f.age <= r.age_to)
            and (f.locality_id is None or r.locality_id == f.locality_id)
            and (not f.free_only or r.cost == "free")
        ]
        keep.sort(key=lambda r: (r.name, r.id))
        page = min(max(page, 0), max(1, math.ceil(len(keep) / PER_PAGE)) - 1)
        return [r.id for r in keep[page * PER_PAGE : (page + 1) * PER_PAGE]], len(keep)

    if "browse" in only:
        _, mismatched = await compare("browse page", browse, naive_browse, browse_inputs)
        wrong += mismatched
        notes.append(f"browse: {mismatched} of {runs} pages differ from the baseline")

    print(f"\n{runs} timed runs each after {warmup} warm-up; ms; ratio = baseline / ours")
    header = ("", "p50", "p95", "naive p50", "naive p95", "×p50", "×p95")
    print(f"{header[0]:<20}" + "".join(f"{h:>11}" for h in header[1:]))
    results = {}
    for name, ours, base in table:
        (p50, p95), (b50, b95) = percentiles(ours), percentiles(base)
        results[name] = p95
        cells = (p50, p95, b50, b95, b50 / p50, b95 / p95)
        print(f"{name:<20}" + "".join(f"{c:>11.2f}" for c in cells))
    for note in notes:
        print(note)
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    scale = "" if args.programmes >= 100_000 else f" (set for 100k; this run: {args.programmes})"
    for name, limit in (("nearest-10 centres", 2), ("text question", 20)):
        if name not in results:
            continue
        verdict = "PASS" if results[name] <= limit else "MISS"
        print(f"target {name} p95 <= {limit} ms{scale}: {verdict}")
    print("answers: OK" if not wrong else f"answers: {wrong} WRONG")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
