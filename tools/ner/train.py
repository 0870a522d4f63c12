#!/usr/bin/env python3
"""Train the character-level name tagger: an averaged structured perceptron with hashed
features (tools/ner/features.py), decoded by Viterbi under BIO constraints.

Reads the BIO files of tools/ner/convert.py, writes assets/ner-model.bin (format below),
prints P/R/F1 per type (exact span match) on the UNER test split (Simplified, and its
Traditional copy) and, when converted, on the pizhu set's test split, and writes the parity
fixture tests/fixtures/ner/parity.jsonl that tests/ner_parity.rs checks the Rust tagger against.

    python3 tools/ner/train.py --work tools/ner/work

Deterministic: fixed seed, fixed epoch count, sentences shuffled by a seeded random.Random.

Model file, little-endian:

    offset  size  field
    0       8     magic b"PZNERMDL"
    8       4     u32 format version (1)
    12      4     u32 feature set (features.FEATURE_SET)
    16      4     u32 bucket count N
    20      4     u32 tag count T (9)
    24      4     f32 scale: a weight's value is its stored integer times scale
    28      4     f32 confidence slope a
    32      4     f32 confidence intercept b
    36      4     u32 byte length L1 of the tag names
    40      L1    tag names, UTF-8, separated by "\\n" (O, B-PER, I-PER, B-ORG, ...)
    .       4     u32 byte length L2 of the surname list
    .       L2    surname characters, UTF-8, no separator
    .       4(T+1)T  i32 transitions, row-major [from][to]; row T is the start row
    .       N*T   i8 emission weights, [bucket][tag]
    .       8     u64 FNV-1a 64 of every byte before it

Confidence of a span = 1 / (1 + exp(-(a * m + b))) where m = (best path score - best score of a
path that does not contain exactly this span) * scale, fitted by logistic regression on the UNER
dev split (is a predicted span exactly right?).
"""

import argparse
import json
import math
import os
import random
import struct
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import features as F  # noqa: E402
from convert import chunks, read_bio  # noqa: E402

TAGS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-WORK", "I-WORK"]
TYPES = ["PER", "ORG", "LOC", "WORK"]
T = len(TAGS)
TAG_INDEX = {t: i for i, t in enumerate(TAGS)}
MAGIC = b"PZNERMDL"
VERSION = 1
NEG = -(1 << 40)


def allowed_matrix():
    """allowed[p][t]: may tag t follow tag p? Row T: may t start a chunk?"""
    a = np.ones((T + 1, T), dtype=bool)
    for t, name in enumerate(TAGS):
        if name.startswith("I-"):
            kind = name[2:]
            for p in range(T + 1):
                a[p, t] = p < T and TAGS[p][2:] == kind
    return a


ALLOWED = allowed_matrix()


def viterbi(emit, trans):
    """Best tag sequence. emit: (n, T); trans: (T+1, T) with disallowed moves already at NEG.
    Ties go to the lowest tag index (np.argmax), as in the Rust decoder."""
    n = emit.shape[0]
    back = np.zeros((n, T), dtype=np.int64)
    score = trans[T] + emit[0]
    alphas = [score]
    for i in range(1, n):
        cand = score[:, None] + trans[:T]
        back[i] = np.argmax(cand, axis=0)
        score = cand[back[i], np.arange(T)] + emit[i]
        alphas.append(score)
    best = int(np.argmax(score))
    path = [best]
    for i in range(n - 1, 0, -1):
        best = int(back[i, best])
        path.append(best)
    path.reverse()
    return path, alphas


def spans_of(tags):
    """(start, end, type) spans of a valid BIO index sequence, end exclusive."""
    out = []
    i = 0
    n = len(tags)
    while i < n:
        name = TAGS[tags[i]]
        if name.startswith("B-"):
            kind = name[2:]
            j = i + 1
            while j < n and TAGS[tags[j]] == "I-" + kind:
                j += 1
            out.append((i, j, kind))
            i = j
        else:
            i += 1
    return out


class Model:
    def __init__(self, n_buckets, surnames):
        self.n = n_buckets
        self.surnames = surnames

    def hashes(self, chars):
        return [[F.fnv1a(f) for f in fs] for fs in F.feature_strings(chars, self.surnames)]

    def feats(self, chars, keep=None):
        """Bucket ids (n, 13). With `keep`, a feature hash not in it maps to bucket n, a row
        that stays zero (training only: rare features do not add noise to shared buckets)."""
        n = self.n
        return np.array([[F.bucket(h, n) if keep is None or h in keep else n for h in hs]
                         for hs in self.hashes(chars)], dtype=np.int64)


# ----------------------------------------------------------------------------------------------
# Training


def train(sents, model, epochs, seed, dev=None):
    n = model.n
    W = np.zeros((n + 1, T), dtype=np.float64)  # row n: features left out, always zero
    U = np.zeros((n + 1, T), dtype=np.float64)  # sum of c * update, for averaging
    Tr = np.zeros((T + 1, T), dtype=np.float64)
    TrU = np.zeros((T + 1, T), dtype=np.float64)
    c = 1
    order = list(range(len(sents)))
    rng = random.Random(seed)
    mask = np.where(ALLOWED, 0.0, float(NEG))
    for ep in range(epochs):
        t0 = time.time()
        rng.shuffle(order)
        errors = 0
        for idx in order:
            fe, gold = sents[idx]
            emit = W[fe].sum(axis=1)
            pred, _ = viterbi(emit, Tr + mask)
            if pred != gold:
                errors += 1
                g = np.asarray(gold)
                p = np.asarray(pred)
                diff = np.nonzero(g != p)[0]
                for i in diff:
                    np.add.at(W[:, g[i]], fe[i], 1.0)
                    np.add.at(U[:, g[i]], fe[i], c)
                    np.add.at(W[:, p[i]], fe[i], -1.0)
                    np.add.at(U[:, p[i]], fe[i], -c)
                W[n] = 0.0
                U[n] = 0.0
                prev_g, prev_p = T, T
                for i in range(len(gold)):
                    if (prev_g, g[i]) != (prev_p, p[i]):
                        Tr[prev_g, g[i]] += 1
                        TrU[prev_g, g[i]] += c
                        Tr[prev_p, p[i]] -= 1
                        TrU[prev_p, p[i]] -= c
                    prev_g, prev_p = g[i], p[i]
            c += 1
        Wa = W - U / c
        Tra = Tr - TrU / c
        msg = "epoch %d: %d/%d sentences wrong, %.1fs" % (ep + 1, errors, len(sents),
                                                           time.time() - t0)
        if dev is not None:
            prf = evaluate(dev, lambda fe: viterbi(Wa[fe].sum(axis=1), Tra + mask)[0])
            msg += ", dev F1 %.2f" % (100 * prf["ALL"][2])
        print(msg, flush=True)
    W[n] = 0.0
    U[n] = 0.0
    return (W - U / c)[:n], Tr - TrU / c


# ----------------------------------------------------------------------------------------------
# Quantised model: exactly what the Rust tagger computes


class Quantised:
    def __init__(self, Wa, Tra, model, scale=None):
        self.model = model
        if scale is None:
            scale = float(np.max(np.abs(Wa))) / 127.0
        self.scale = float(np.float32(scale))
        self.W = np.clip(np.rint(Wa / self.scale), -127, 127).astype(np.int8)
        tr = np.clip(np.rint(Tra / self.scale), -(1 << 20), 1 << 20).astype(np.int64)
        self.trans_raw = tr.astype(np.int32)
        self.trans = np.where(ALLOWED, tr, NEG)
        self.conf_a = 1.0
        self.conf_b = 0.0

    def emissions(self, fe):
        return self.W[fe].astype(np.int64).sum(axis=1)

    def decode(self, fe):
        return viterbi(self.emissions(fe), self.trans)[0]

    def decode_with_margins(self, fe):
        """The path and, per span, its margin (in weight units, an integer)."""
        emit = self.emissions(fe)
        path, alphas = viterbi(emit, self.trans)
        n = len(path)
        best = int(alphas[-1].max())
        # beta[i][t]: best score of positions i..n-1 given tag t at i (emission at i included).
        beta = [None] * n
        beta[n - 1] = emit[n - 1].copy()
        for i in range(n - 2, -1, -1):
            beta[i] = emit[i] + np.max(self.trans[:T] + beta[i + 1][None, :], axis=1)
        out = []
        for s, e, kind in spans_of(path):
            b, i = TAG_INDEX["B-" + kind], TAG_INDEX["I-" + kind]
            # The best path without exactly this span: s is not B-X, or some later character
            # of it is not I-X, or the character after it is I-X. Max-marginals give each.
            other = NEG
            for k in range(s, min(e + 1, n)):
                mm = alphas[k] + beta[k] - emit[k]
                for t in range(T):
                    if (k == s and t != b) or (s < k < e and t != i) or (k == e and t == i):
                        other = max(other, int(mm[t]))
            out.append((s, e, kind, best - other))
        return path, out

    def confidence(self, margin):
        z = float(np.float32(self.conf_a)) * (margin * self.scale) + float(np.float32(self.conf_b))
        return 1.0 / (1.0 + math.exp(-z))

    def tag_text(self, text):
        """Spans (start, end, type, confidence) in code points, chunked as in Rust."""
        out = []
        tags = ["O"] * len(text)
        for s, e in chunks(text):
            chars = [" " if ch == "\t" else ch for ch in text[s:e]]
            fe = self.model.feats(chars)
            path, spans = self.decode_with_margins(fe)
            for k, t in enumerate(path):
                tags[s + k] = TAGS[t]
            for a, b, kind, m in spans:
                out.append((s + a, s + b, kind, self.confidence(m)))
        return out, tags

    def write(self, path):
        body = bytearray()
        body += MAGIC
        body += struct.pack("<IIII", VERSION, F.FEATURE_SET, self.model.n, T)
        body += struct.pack("<fff", self.scale, self.conf_a, self.conf_b)
        names = "\n".join(TAGS).encode("utf-8")
        body += struct.pack("<I", len(names)) + names
        sur = "".join(sorted(self.model.surnames)).encode("utf-8")
        body += struct.pack("<I", len(sur)) + sur
        body += self.trans_raw.astype("<i4").tobytes()
        body += self.W.astype(np.int8).tobytes()
        body += struct.pack("<Q", F.fnv1a(bytes(body)))
        with open(path, "wb") as f:
            f.write(body)
        return len(body)


def fit_confidence(q, dev):
    """Logistic regression of 'predicted span is exactly right' on the span margin."""
    xs, ys = [], []
    for fe, gold in dev:
        gold_spans = set(spans_of(gold))
        _, spans = q.decode_with_margins(fe)
        for s, e, kind, m in spans:
            xs.append(m * q.scale)
            ys.append(1.0 if (s, e, kind) in gold_spans else 0.0)
    x = np.array(xs)
    y = np.array(ys)
    a, b = 0.0, 0.0
    for _ in range(100):  # Newton's method, a little L2 for stability
        p = 1 / (1 + np.exp(-(a * x + b)))
        g = np.array([np.sum((p - y) * x) + 1e-3 * a, np.sum(p - y)])
        w = p * (1 - p)
        H = np.array([[np.sum(w * x * x) + 1e-3, np.sum(w * x)], [np.sum(w * x), np.sum(w)]])
        step = np.linalg.solve(H, g)
        a, b = a - step[0], b - step[1]
        if np.max(np.abs(step)) < 1e-10:
            break
    q.conf_a, q.conf_b = float(np.float32(a)), float(np.float32(b))
    acc = float(np.mean(y)) if len(y) else 0.0
    print("confidence: a=%.4f b=%.4f over %d dev spans (%.1f%% exactly right)"
          % (a, b, len(y), 100 * acc))


def confidence_report(name, q, data):
    """Share of predicted spans kept, and their precision, at a few confidence floors."""
    rows = []
    for fe, gold in data:
        gs = set(spans_of(gold))
        for s, e, kind, m in q.decode_with_margins(fe)[1]:
            rows.append((q.confidence(m), (s, e, kind) in gs))
    print("%s: precision of spans at confidence >= floor" % name)
    for floor in (0.0, 0.3, 0.5, 0.7, 0.9):
        kept = [ok for c, ok in rows if c >= floor]
        prec = 100.0 * sum(kept) / len(kept) if kept else 0.0
        print("  >= %.1f: %5.1f%% of spans kept, precision %5.1f"
              % (floor, 100.0 * len(kept) / max(1, len(rows)), prec))


# ----------------------------------------------------------------------------------------------
# Evaluation


def evaluate(data, decode):
    counts = {k: [0, 0, 0] for k in TYPES}  # true positives, predicted, gold
    for fe, gold in data:
        pred = decode(fe)
        gs = set(spans_of(gold))
        ps = set(spans_of(pred))
        for s in ps:
            counts[s[2]][1] += 1
            if s in gs:
                counts[s[2]][0] += 1
        for s in gs:
            counts[s[2]][2] += 1
    out = {}
    tot = [0, 0, 0]
    for k in TYPES + ["ALL"]:
        tp, np_, ng = tot if k == "ALL" else counts[k]
        if k != "ALL":
            tot = [tot[0] + tp, tot[1] + np_, tot[2] + ng]
        p = tp / np_ if np_ else 0.0
        r = tp / ng if ng else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[k] = (p, r, f, ng)
    return out


def report(name, prf):
    print("%s" % name)
    print("  %-5s %6s %6s %6s %6s" % ("type", "P", "R", "F1", "gold"))
    for k, (p, r, f, n) in prf.items():
        if n == 0 and k != "ALL":
            continue
        print("  %-5s %6.2f %6.2f %6.2f %6d" % (k, 100 * p, 100 * r, 100 * f, n))


# ----------------------------------------------------------------------------------------------


def load(path, model):
    out = []
    for chars, tags in read_bio(path):
        out.append((model.feats(chars), [TAG_INDEX[t] for t in tags]))
    return out


def load_train(paths, model, min_count):
    """Training sentences; features seen fewer than min_count times are left out."""
    raw = []
    for p in paths:
        for chars, tags in read_bio(p):
            raw.append((model.hashes(chars), [TAG_INDEX[t] for t in tags]))
    counts = {}
    for hs, _ in raw:
        for row in hs:
            for h in row:
                counts[h] = counts.get(h, 0) + 1
    keep = {h for h, c in counts.items() if c >= min_count}
    print("features: %d distinct, %d seen at least %d times" % (len(counts), len(keep), min_count))
    n = model.n
    return [(np.array([[F.bucket(h, n) if h in keep else n for h in row] for row in hs],
                      dtype=np.int64), tags) for hs, tags in raw]


def build_surnames(paths, min_count):
    counts = {}
    for p in paths:
        for chars, tags in read_bio(p):
            for c, t in zip(chars, tags):
                if t == "B-PER" and F.char_class(c) == "H":
                    counts[c] = counts.get(c, 0) + 1
    return {c for c, n in counts.items() if n >= min_count}


def parity_sentences(work):
    """The parity fixture's texts: the project's own sample, its Traditional copy, and
    hand-written sentences. No corpus text (fetched corpora stay out of the repository)."""
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    with open(os.path.join(root, "assets", "xiaohongshu.txt"), encoding="utf-8") as f:
        sample = f.read()
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "parity-sentences.txt"),
              encoding="utf-8") as f:
        own = [l.rstrip("\n").replace("\\n", "\n") for l in f if l.strip() and not l.startswith("#")]
    table = {}
    with open(os.path.join(work, "st-characters.tsv"), encoding="utf-8") as f:
        for line in f:
            k, v = line.rstrip("\n").split("\t")
            table[k] = v
    # The sample's sentences (as the tagger cuts them), each in its Simplified form and in the
    # Traditional copy; every tenth is replaced by its whole paragraph, for multi-chunk texts.
    paras = [p.strip() for p in sample.split("\n") if len(p.strip()) >= 8]
    sents = [(k, p[s:e]) for k, p in enumerate(paras) for s, e in chunks(p) if e - s >= 6]
    out = list(own)
    for i, (k, s) in enumerate(sents):
        if i % 10 == 0:
            s = paras[k]
        out.append(s)
        out.append("".join(table.get(c, c) for c in s))
    return out[:200]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", default="tools/ner/work")
    ap.add_argument("--buckets", type=int, default=196608)
    ap.add_argument("--epochs", type=int, default=16)
    ap.add_argument("--seed", type=int, default=20260130)
    ap.add_argument("--feature-min", type=int, default=1,
                    help="train only features seen at least this often")
    ap.add_argument("--surname-min", type=int, default=3)
    ap.add_argument("--out", default="assets/ner-model.bin")
    ap.add_argument("--parity", default="tests/fixtures/ner/parity.jsonl")
    ap.add_argument("--no-pizhu", action="store_true", help="ignore the pizhu set")
    ap.add_argument("--pizhu-copies", type=int, default=2,
                    help="how many times the pizhu set's training split is seen per epoch")
    ap.add_argument("--no-hant", action="store_true", help="no Traditional copies in training")
    ap.add_argument("--dev-each-epoch", action="store_true")
    args = ap.parse_args()
    w = lambda name: os.path.join(args.work, name)  # noqa: E731

    train_files = [w("uner.train.bio")]
    if not args.no_hant:
        train_files.append(w("uner.train.hant.bio"))
    have_pizhu = not args.no_pizhu and os.path.isfile(w("pizhu.train.bio"))
    if have_pizhu:
        for _ in range(args.pizhu_copies):
            train_files.append(w("pizhu.train.bio"))
            if not args.no_hant:
                train_files.append(w("pizhu.train.hant.bio"))
    print("training on: %s" % ", ".join(os.path.basename(p) for p in train_files))

    # Each file counted once, so --pizhu-copies does not change the list.
    surnames = build_surnames(list(dict.fromkeys(train_files)), args.surname_min)
    print("surname list: %d characters" % len(surnames))
    model = Model(args.buckets, surnames)
    t0 = time.time()
    train_set = load_train(train_files, model, args.feature_min)
    dev = load(w("uner.dev.bio"), model)
    tests = [("UNER test (Simplified)", load(w("uner.test.bio"), model)),
             ("UNER test (Traditional copy)", load(w("uner.test.hant.bio"), model))]
    if have_pizhu and os.path.isfile(w("pizhu.test.bio")):
        tests.append(("pizhu test", load(w("pizhu.test.bio"), model)))
    print("features: %d training sentences, %d characters, %.1fs"
          % (len(train_set), sum(len(g) for _, g in train_set), time.time() - t0))

    Wa, Tra = train(train_set, model, args.epochs, args.seed,
                    dev if args.dev_each_epoch else None)
    mask = np.where(ALLOWED, 0.0, float(NEG))
    report("UNER dev, float weights", evaluate(dev, lambda fe: viterbi(Wa[fe].sum(axis=1),
                                                                      Tra + mask)[0]))
    q = Quantised(Wa, Tra, model)
    report("UNER dev, quantised", evaluate(dev, q.decode))
    fit_confidence(q, dev)
    for name, data in tests:
        report(name, evaluate(data, q.decode))
    for name, data in tests:
        if not name.startswith("UNER test (Trad"):
            confidence_report(name, q, data)
    size = q.write(args.out)
    print("wrote %s: %d bytes (%d buckets x %d tags)" % (args.out, size, model.n, T))

    os.makedirs(os.path.dirname(args.parity), exist_ok=True)
    with open(args.parity, "w", encoding="utf-8") as f:
        for text in parity_sentences(args.work):
            spans, tags = q.tag_text(text)
            f.write(json.dumps({
                "text": text,
                "spans": [[s, e, k, round(c, 6)] for s, e, k, c in spans],
                "tags": " ".join(tags),
            }, ensure_ascii=False) + "\n")
    print("wrote %s" % args.parity)


if __name__ == "__main__":
    main()
