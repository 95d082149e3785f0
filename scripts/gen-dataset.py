#!/usr/bin/env python3
"""Writes a CSV of synthetic statements in the ministry's dataset shape, for benchmarks.

Usage: gen-dataset.py ROWS OUT.csv [SEED]

Columns `id, url, title, datetime, date, internal_id, text, translations, url_id`; each
text about 8 kB of paragraphs drawn from the sample pages and real transcripts in the
repository (corpus/, tests/fixtures/real/), as labelled question/answer turns, one row
in five Russian. Deterministic for a seed.
"""
import csv
import glob
import os
import random
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
MONTHS_RU = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
             "сентября", "октября", "ноября", "декабря"]
PLACES = ["Moscow", "Minsk", "Astana", "Beijing", "New York", "Geneva", "Almaty"]
FORUMS = ["CSTO", "CIS", "SCO", "BRICS", "OSCE", "CICA"]


def paragraphs():
    en, ru = [], []
    files = glob.glob(os.path.join(ROOT, "corpus", "*.txt"))
    files += glob.glob(os.path.join(ROOT, "tests", "fixtures", "real", "*.txt"))
    for path in sorted(files):
        if path.endswith(".page.txt"):
            continue
        with open(path, encoding="utf-8-sig", errors="replace") as f:
            for p in f.read().replace("\r\n", "\n").split("\n\n"):
                p = " ".join(p.split())
                if len(p) < 120 or ":" in p[:40]:
                    continue
                cyr = sum("а" <= c.lower() <= "я" for c in p)
                (ru if cyr > len(p) / 3 else en).append(p)
    return en, ru


def main():
    rows, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
    en, ru = paragraphs()
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "url", "title", "datetime", "date", "internal_id", "text",
                    "translations", "url_id"])
        for i in range(rows):
            russian = i % 5 == 4
            year, month, day = 2004 + i % 20, rng.randrange(12), rng.randrange(1, 29)
            pool = ru if russian else en
            if russian:
                title = ("Выступление и ответы на вопросы СМИ Министра иностранных дел "
                         f"Российской Федерации С.В.Лаврова ({i}), Москва, "
                         f"{day} {MONTHS_RU[month]} {year} года")
                q, a = "Вопрос", "С.В.Лавров"
            else:
                title = ("Foreign Minister Sergey Lavrov’s remarks and answers to media "
                         f"questions following the {rng.choice(FORUMS)} ministerial meeting "
                         f"({i}), {rng.choice(PLACES)}, {MONTHS[month]} {day}, {year}")
                q, a = "Question", "Sergey Lavrov"
            parts = [rng.choice(pool) for _ in range(2)]
            size = sum(len(p.encode()) for p in parts)
            while size < 7400:
                turn = [f"{q}: {rng.choice(pool)}", f"{a}: {rng.choice(pool)}"]
                if rng.random() < 0.5:
                    turn.append(rng.choice(pool))
                parts += turn
                size += sum(len(p.encode()) for p in turn)
            lang = "ru" if russian else "en"
            w.writerow([i, f"https://www.mid.ru/{lang}/foreign_policy/news/{1000000 + i}/",
                        title, f"{year}-{month + 1:02}-{day:02}T12:00:00",
                        f"{day:02}.{month + 1:02}.{year}",
                        f"{100 + i}-{day:02}-{month + 1:02}-{year}", "\n\n".join(parts),
                        "ru; en; fr; es", 1000000 + i])


if __name__ == "__main__":
    main()
