#!/usr/bin/env python3
"""Build pizhu-ner.jsonl from the hand-written sources in source/*.txt.

Each non-blank source line that does not start with '#' is one sentence. A name is
written as [surface|TYPE], TYPE one of PER ORG LOC WORK; a literal [ ] | or \\ is
written with a backslash in front. Example:

    [王一生|PER]把棋盘放在[北京|LOC]的桌上。

Usage:
    python3 build_set.py            validate, write pizhu-ner.jsonl, print the counts
    python3 build_set.py --check    validate and fail if pizhu-ner.jsonl is out of date
    python3 build_set.py --review   also print things a human should look at
                                    (same string annotated in one place and not in
                                    another, one string with two types, bare 《titles》)

The counts block in README.md between the "counts" markers is rewritten on build.
"""

import json
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "source"
OUT = HERE / "pizhu-ner.jsonl"
README = HERE / "README.md"

# file stem -> (id prefix, script, target count)
DOMAINS = {
    "tech": ("tech", "simp", 250),
    "finance": ("fin", "simp", 200),
    "politics": ("gov", "simp", 200),
    "sports": ("spt", "simp", 200),
    "games": ("game", "simp", 150),
    "entertainment": ("ent", "simp", 200),
    "literature": ("lit", "simp", 150),
    "fiction": ("fic", "simp", 300),
    "traditional": ("trad", "trad", 300),
    "mixed": ("mix", "simp", 150),
    "everyday": ("neg", "simp", 100),
}
TYPES = ("PER", "ORG", "LOC", "WORK")
MIN_LEN, MAX_LEN = 15, 80
TEST_EVERY = 5  # every 5th sentence of a domain is test

# Characters that exist only in one of the two scripts (a small, common sample):
# a simplified-only one in a Traditional line, or the reverse, is a typo.
SIMP_ONLY = set("们这说时会来发对经学长问开为关华电业东车门马湾国际亿万与产认实员应"
                "该现还进过将让给记较区县总统选举计设术网线读书场价钱银项证险乐图变")
TRAD_ONLY = set("們這說時會來發對經學後長問開為關華電業東車門馬灣國際億萬與產認實員應"
                "該現還進過將讓給記較區縣總統選舉計設術網線讀書場價錢銀項證險樂圖變")

COUNTS_START = "<!-- counts:start -->"
COUNTS_END = "<!-- counts:end -->"


class SourceError(Exception):
    pass


def parse_line(line):
    """Return (text, [(start, end, type)]) for one marked-up line."""
    text = []
    spans = []
    i = 0
    n = len(line)
    while i < n:
        c = line[i]
        if c == "\\":
            if i + 1 >= n or line[i + 1] not in "[]|\\":
                raise SourceError(f"bad escape at column {i + 1}")
            text.append(line[i + 1])
            i += 2
            continue
        if c == "]" or c == "|":
            raise SourceError(f"stray {c!r} at column {i + 1} (escape it as \\{c})")
        if c != "[":
            text.append(c)
            i += 1
            continue
        # [surface|TYPE]
        start = len(text)
        i += 1
        surface = []
        while True:
            if i >= n:
                raise SourceError("unclosed [")
            c = line[i]
            if c == "\\":
                if i + 1 >= n or line[i + 1] not in "[]|\\":
                    raise SourceError(f"bad escape at column {i + 1}")
                surface.append(line[i + 1])
                i += 2
                continue
            if c == "[":
                raise SourceError(f"nested [ at column {i + 1}")
            if c == "]":
                raise SourceError(f"span without |TYPE at column {i + 1}")
            if c == "|":
                break
            surface.append(c)
            i += 1
        i += 1
        close = line.find("]", i)
        if close < 0:
            raise SourceError("unclosed [")
        etype = line[i:close]
        i = close + 1
        if etype not in TYPES:
            raise SourceError(f"unknown type {etype!r}")
        if not surface:
            raise SourceError("empty span")
        s = "".join(surface)
        if s != s.strip():
            raise SourceError(f"span {s!r} starts or ends with whitespace")
        text.extend(surface)
        spans.append((start, len(text), etype))
    return "".join(text), spans


def check_sentence(text, spans, script):
    problems = []
    if text != text.strip():
        problems.append("leading or trailing whitespace")
    if not MIN_LEN <= len(text) <= MAX_LEN:
        problems.append(f"length {len(text)} outside {MIN_LEN}-{MAX_LEN}")
    for start, end, etype in spans:
        s = text[start:end]
        if any(b in s for b in "《》〈〉"):
            problems.append(f"title brackets inside span {s!r}")
        if etype == "WORK":
            before = text[start - 1] if start > 0 else ""
            after = text[end] if end < len(text) else ""
            if (before == "《") != (after == "》"):
                problems.append(f"WORK {s!r} only half inside 《》")
        closing_ok = s[-1] in "）)" and ("（" in s or "(" in s)  # 刚果（金）
        if s[0] in "，。、；：！？「」“”‘’（）,.;:!? " or (
            s[-1] in "，。、；：！？「」“”‘’（）,.;:!? " and not closing_ok
        ):
            problems.append(f"span {s!r} starts or ends with punctuation")
    for (s1, e1, t1), (s2, _e2, t2) in zip(spans, spans[1:]):
        if e1 == s2 and t1 == t2:
            problems.append(
                f"two {t1} spans touch ({text[s1:e1]!r}, {text[s2:_e2]!r}): one name, one span"
            )
    wrong = SIMP_ONLY if script == "trad" else TRAD_ONLY
    bad = sorted({c for c in text if c in wrong})
    if bad:
        label = "simplified" if script == "trad" else "traditional"
        problems.append(f"{label}-only characters in a {script} line: {''.join(bad)}")
    return problems


def load():
    records = []
    errors = []
    seen = {}
    for stem, (prefix, script, _target) in DOMAINS.items():
        path = SOURCE / f"{stem}.txt"
        if not path.exists():
            continue
        number = 0
        for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            where = f"{path.name}:{lineno}"
            try:
                text, spans = parse_line(line)
            except SourceError as e:
                errors.append(f"{where}: {e}")
                continue
            for p in check_sentence(text, spans, script):
                errors.append(f"{where}: {p}: {text}")
            if text in seen:
                errors.append(f"{where}: duplicate of {seen[text]}: {text}")
            seen[text] = where
            number += 1
            records.append(
                {
                    "id": f"{prefix}-{number:04d}",
                    "domain": stem,
                    "script": script,
                    "split": "test" if number % TEST_EVERY == 0 else "train",
                    "text": text,
                    "entities": [
                        {"start": s, "end": e, "type": t, "text": text[s:e]}
                        for s, e, t in spans
                    ],
                    "_where": where,
                }
            )
    return records, errors


def verify_record(r):
    """Re-check a record the way a consumer would read it."""
    t = r["text"]
    last_end = 0
    for ent in r["entities"]:
        assert 0 <= ent["start"] < ent["end"] <= len(t), r["id"]
        assert t[ent["start"] : ent["end"]] == ent["text"], r["id"]
        assert ent["start"] >= last_end, r["id"]  # sorted, no overlap
        assert ent["type"] in TYPES, r["id"]
        last_end = ent["end"]


def counts_table(records):
    by_domain = defaultdict(Counter)
    sents = Counter()
    split = Counter()
    for r in records:
        sents[r["domain"]] += 1
        split[r["split"]] += 1
        for ent in r["entities"]:
            by_domain[r["domain"]][ent["type"]] += 1
    no_ent = Counter(r["domain"] for r in records if not r["entities"])
    lines = [
        "| domain | id prefix | sentences | test | no entity | PER | ORG | LOC | WORK |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    total = Counter()
    for stem, (prefix, _s, _t) in DOMAINS.items():
        c = by_domain[stem]
        test = sum(1 for r in records if r["domain"] == stem and r["split"] == "test")
        lines.append(
            f"| {stem} | {prefix} | {sents[stem]} | {test} | {no_ent[stem]} | "
            + " | ".join(str(c[t]) for t in TYPES)
            + " |"
        )
        total.update(c)
    lines.append(
        f"| **total** | | {len(records)} | {split['test']} | {sum(no_ent.values())} | "
        + " | ".join(str(total[t]) for t in TYPES)
        + " |"
    )
    chars = sum(len(r["text"]) for r in records)
    lines.append("")
    lines.append(
        f"{sum(total.values())} entities in {len(records)} sentences "
        f"({chars} characters); {split['train']} train, {split['test']} test."
    )
    return "\n".join(lines)


def review(records):
    # strings annotated somewhere, and where they occur unannotated
    annotated = defaultdict(Counter)
    bare_named = set()  # annotated at least once without 《》 around it
    for r in records:
        t = r["text"]
        for ent in r["entities"]:
            annotated[ent["text"]][ent["type"]] += 1
            if not (ent["start"] > 0 and t[ent["start"] - 1] == "《"):
                bare_named.add(ent["text"])
    print("\n== one string, several types ==")
    for s, c in sorted(annotated.items()):
        if len(c) > 1:
            print(f"  {s}: {dict(c)}")
    print("\n== annotated elsewhere, bare here ==")
    # a title seen only inside 《》 is expected to occur bare as an ordinary word
    names = sorted((s for s in bare_named if len(s) >= 2), key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(s) for s in names)) if names else None
    for r in records:
        t = r["text"]
        covered = [False] * len(t)
        for ent in r["entities"]:
            for k in range(ent["start"], ent["end"]):
                covered[k] = True
        pos = 0
        while pattern and pos < len(t):
            m = pattern.search(t, pos)
            if not m:
                break
            if not any(covered[m.start() : m.end()]):
                print(f"  {r['id']} {m.group()!r} ({'/'.join(annotated[m.group()])}): {t}")
            pos = m.start() + 1
    print("\n== 《》 titles that are not annotated ==")
    for r in records:
        t = r["text"]
        spans = {(e["start"], e["end"]) for e in r["entities"]}
        for m in re.finditer(r"《([^》]*)》", t):
            if (m.start(1), m.end(1)) not in spans:
                print(f"  {r['id']} 《{m.group(1)}》: {t}")


def main(argv):
    check = "--check" in argv
    records, errors = load()
    for r in records:
        verify_record(r)
    if errors:
        for e in errors:
            print("error:", e, file=sys.stderr)
        print(f"{len(errors)} error(s)", file=sys.stderr)
        return 1
    for r in records:
        del r["_where"]
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    table = counts_table(records)
    if check:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != body:
            print(f"{OUT.name} is out of date: run build_set.py", file=sys.stderr)
            return 1
        if README.exists() and f"{COUNTS_START}\n{table}\n{COUNTS_END}" not in README.read_text(
            encoding="utf-8"
        ):
            print(f"the counts in {README.name} are out of date: run build_set.py", file=sys.stderr)
            return 1
    else:
        OUT.write_text(body, encoding="utf-8")
        if README.exists():
            readme = README.read_text(encoding="utf-8")
            if COUNTS_START in readme and COUNTS_END in readme:
                head, rest = readme.split(COUNTS_START, 1)
                _old, tail = rest.split(COUNTS_END, 1)
                README.write_text(
                    f"{head}{COUNTS_START}\n{table}\n{COUNTS_END}{tail}", encoding="utf-8"
                )
    print(table)
    for stem, (_p, _s, target) in DOMAINS.items():
        got = sum(1 for r in records if r["domain"] == stem)
        if got < target:
            print(f"note: {stem} has {got} of the {target} sentences planned")
    if "--review" in argv:
        review(records)
    if "--sample" in argv:
        k = int(argv[argv.index("--sample") + 1])
        seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 0
        for r in random.Random(seed).sample(records, k):
            marks = " ".join(f"[{e['text']}|{e['type']}]" for e in r["entities"])
            print(f"{r['id']}: {r['text']}\n    {marks}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
