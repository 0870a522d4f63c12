#!/usr/bin/env python3
"""Convert the name-tagger corpora to character-level BIO.

Output format (one file per source and split): one `char<TAB>tag` line per code point, a blank
line between sentences. The character may be a space (names such as "Barack Obama" keep their
inner space); a parser must split on the *last* tab. Tags: O, B-/I- PER, ORG, LOC, WORK.

Sources (see tools/ner/README.md for the decisions):

* Universal NER Chinese GSDSIMP (CC BY-SA 4.0), word-level IOB2 with PER/ORG/LOC. Its
  train/dev/test splits are kept. A word tagged B-X gives B-X on its first character and I-X on
  the rest; I-X words give I-X throughout. The sentence's `# text =` line is the source of the
  characters, so spaces between words survive; a space inside an entity gets I-X, other spaces O.
  The corpus has no OTH/MISC label (checked: only PER/ORG/LOC occur), so nothing maps to WORK.
* The pizhu set, `tools/ner/data/pizhu-ner.jsonl` (CC BY 4.0): JSON lines with code-point
  offsets. Its texts are cut into chunks with the same rule the Rust tagger uses (after 。！？!?；;
  and at line breaks, at most 256 characters), so training, evaluation and inference see the
  same units.
* Traditional Chinese copies of Simplified sentences, made character by character with the first
  candidate of OpenCC's STCharacters.txt (Apache-2.0). One-to-one, so the tags carry over.

Usage (the corpora are bare git repositories or plain directories):

    python3 tools/ner/convert.py --uner PATH --opencc PATH [--pizhu tools/ner/data/pizhu-ner.jsonl] \\
        --out tools/ner/work
"""

import argparse
import json
import os
import subprocess
import sys

TYPES = ("PER", "ORG", "LOC", "WORK")
MAX_CHUNK = 256
# A chunk ends after one of these (the character stays in the chunk).
TERMINATORS = set("。！？!?；;")
# A chunk also ends at a line break (the break itself belongs to no chunk).
BREAKS = set("\n\r\u2028\u2029\x0b\x0c\x85")


def read_source(root, path):
    """The text of `path` in `root`, a plain directory or a (bare) git repository's HEAD."""
    plain = os.path.join(root, path)
    if os.path.isfile(plain):
        with open(plain, encoding="utf-8") as f:
            return f.read()
    out = subprocess.run(
        ["git", "--git-dir", root, "show", "HEAD:" + path],
        check=True,
        capture_output=True,
    )
    return out.stdout.decode("utf-8")


def chunks(text):
    """(start, end) code-point ranges of `text`, cut exactly as the Rust tagger cuts."""
    out = []
    start = 0
    n = len(text)
    i = 0
    while i < n:
        c = text[i]
        if c in BREAKS:
            if i > start:
                out.append((start, i))
            start = i + 1
        elif c in TERMINATORS or i + 1 - start >= MAX_CHUNK:
            out.append((start, i + 1))
            start = i + 1
        i += 1
    if start < n:
        out.append((start, n))
    return out


# ----------------------------------------------------------------------------------------------
# Universal NER


def uner_sentences(text):
    """Yield (chars, tags) per sentence of a UNER .iob2 file."""
    sent_text = None
    rows = []
    for line in text.split("\n") + [""]:
        if line.startswith("# text = "):
            sent_text = line[len("# text = "):]
        elif line.startswith("#"):
            continue
        elif line.strip() == "":
            if rows:
                yield align_uner(sent_text, rows)
            sent_text, rows = None, []
        else:
            cols = line.split("\t")
            rows.append((cols[1], cols[2]))


def align_uner(sent_text, rows):
    words = [w for w, _ in rows]
    if sent_text is None:
        sent_text = "".join(words)
    chars = list(sent_text)
    tags = ["O"] * len(chars)
    pos = 0
    prev_entity = None  # the type of the entity the previous word was in
    for word, tag in rows:
        gap_start = pos
        while pos < len(chars) and chars[pos].isspace() and not word[0].isspace():
            pos += 1
        if sent_text[pos:pos + len(word)] != word:
            raise ValueError("word %r not at %d of %r" % (word, pos, sent_text))
        kind = tag[2:] if tag != "O" else None
        if kind is not None and kind not in TYPES:
            raise ValueError("unexpected tag %r" % tag)
        # Spaces between two words of one entity belong to it.
        if tag.startswith("I-") and prev_entity == kind:
            for k in range(gap_start, pos):
                tags[k] = "I-" + kind
        for k in range(len(word)):
            if kind is None:
                tags[pos + k] = "O"
            elif k == 0 and tag.startswith("B-"):
                tags[pos + k] = "B-" + kind
            else:
                tags[pos + k] = "I-" + kind
        pos += len(word)
        prev_entity = kind
    return chars, repair(tags)


def repair(tags):
    """Make the sequence valid IOB2: an I-X that follows nothing of X becomes B-X."""
    out = list(tags)
    for i, t in enumerate(out):
        if t.startswith("I-"):
            prev = out[i - 1] if i > 0 else "O"
            if prev[2:] != t[2:]:
                out[i] = "B-" + t[2:]
    return out


# ----------------------------------------------------------------------------------------------
# The pizhu set


def pizhu_records(path):
    """Yield (record, [(chars, tags), ...]) per JSON line: the record's text cut into chunks."""
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            rec = json.loads(line)
            yield rec, pizhu_chunks(rec, "%s:%d" % (path, lineno))


def pizhu_chunks(rec, where="record"):
    text = rec["text"]
    tags = ["O"] * len(text)
    taken = [False] * len(text)
    ents = sorted(rec.get("entities", []), key=lambda e: (e["start"], -(e["end"] - e["start"])))
    for e in ents:
        s, t, kind = e["start"], e["end"], e["type"]
        if kind not in TYPES:
            print("%s: skipping entity of type %r" % (where, kind), file=sys.stderr)
            continue
        if not (0 <= s < t <= len(text)):
            print("%s: skipping entity with bad offsets %d..%d" % (where, s, t), file=sys.stderr)
            continue
        if "text" in e and text[s:t] != e["text"]:
            print("%s: entity text %r != %r; skipped" % (where, e["text"], text[s:t]),
                  file=sys.stderr)
            continue
        if any(taken[s:t]):
            print("%s: overlapping entity %r skipped" % (where, text[s:t]), file=sys.stderr)
            continue
        for k in range(s, t):
            taken[k] = True
            tags[k] = ("B-" if k == s else "I-") + kind
    out = []
    for s, t in chunks(text):
        c = [" " if ch == "\t" else ch for ch in text[s:t]]
        out.append((c, repair(tags[s:t])))
    return out


# ----------------------------------------------------------------------------------------------
# Simplified → Traditional


def load_st_table(opencc_root):
    table = {}
    text = read_source(opencc_root, "data/dictionary/STCharacters.txt")
    for line in text.split("\n"):
        if not line or line.startswith("#"):
            continue
        key, values = line.split("\t")
        first = values.split(" ")[0]
        if len(key) == 1 and len(first) == 1 and key != first:
            table[key] = first
    return table


def to_traditional(chars, table):
    return [table.get(c, c) for c in chars]


# ----------------------------------------------------------------------------------------------


def write_bio(path, sentences):
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        for chars, tags in sentences:
            if not chars:
                continue
            for c, t in zip(chars, tags):
                if c in BREAKS:
                    raise ValueError("line break inside a sentence")
                f.write("%s\t%s\n" % (c, t))
            f.write("\n")
            n += 1
    print("wrote %s: %d sentences" % (path, n))


def read_bio(path):
    """The inverse of write_bio: a list of (chars, tags)."""
    out = []
    chars, tags = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line == "":
                if chars:
                    out.append((chars, tags))
                chars, tags = [], []
                continue
            c, t = line.rsplit("\t", 1)
            chars.append(c)
            tags.append(t)
    if chars:
        out.append((chars, tags))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--uner", required=True, help="UNER_Chinese-GSDSIMP: git dir or directory")
    ap.add_argument("--opencc", required=True, help="OpenCC: git dir or directory")
    ap.add_argument("--pizhu", default="tools/ner/data/pizhu-ner.jsonl",
                    help="the pizhu set (skipped when missing)")
    ap.add_argument("--out", default="tools/ner/work")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    table = load_st_table(args.opencc)
    with open(os.path.join(args.out, "st-characters.tsv"), "w", encoding="utf-8") as f:
        for k in sorted(table):
            f.write("%s\t%s\n" % (k, table[k]))
    print("Simplified→Traditional table: %d characters" % len(table))

    for split in ("train", "dev", "test"):
        sents = list(uner_sentences(read_source(args.uner, "zh_gsdsimp-ud-%s.iob2" % split)))
        write_bio(os.path.join(args.out, "uner.%s.bio" % split), sents)
        trad = [(to_traditional(c, table), t) for c, t in sents]
        write_bio(os.path.join(args.out, "uner.%s.hant.bio" % split), trad)

    if os.path.isfile(args.pizhu):
        by_split = {"train": [], "test": []}
        hant = []
        for rec, sents in pizhu_records(args.pizhu):
            split = rec.get("split", "train")
            if split not in by_split:
                print("record %s: unknown split %r, skipped" % (rec.get("id"), split),
                      file=sys.stderr)
                continue
            by_split[split].extend(sents)
            script = str(rec.get("script", "")).lower()
            if split == "train" and not script.startswith(("trad", "hant", "zh-hant")):
                hant.extend((to_traditional(c, table), t) for c, t in sents)
        write_bio(os.path.join(args.out, "pizhu.train.bio"), by_split["train"])
        write_bio(os.path.join(args.out, "pizhu.test.bio"), by_split["test"])
        write_bio(os.path.join(args.out, "pizhu.train.hant.bio"), hant)
    else:
        print("no pizhu set at %s: UNER only" % args.pizhu)
        for name in ("pizhu.train.bio", "pizhu.test.bio", "pizhu.train.hant.bio"):
            p = os.path.join(args.out, name)
            if os.path.exists(p):
                os.remove(p)


if __name__ == "__main__":
    main()
