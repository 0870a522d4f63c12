"""Character features of the name tagger: the specification that src/entities/tagger.rs
reproduces exactly. Change anything here and FEATURE_SET must change, and the Rust side with it.

For position i of a chunk of n code points c[0..n]:

* Each character is first normalised: full-width ASCII U+FF01..U+FF5E becomes ASCII, U+3000
  (ideographic space) becomes a space. Positions before the chunk read U+0002, after it U+0003.
* Each character has a class letter (`char_class`) and a surname flag (`1` when the character
  is in the model's surname list, else `0`).
* The 13 features are byte strings: one template byte, then a payload of UTF-8 characters or
  ASCII letters:

    tid  payload
    0    (none)                bias
    1    c[i]
    2    c[i-1]
    3    c[i+1]
    4    c[i-2]
    5    c[i+2]
    6    c[i-1] c[i]
    7    c[i] c[i+1]
    8    c[i-2] c[i-1]
    9    c[i+1] c[i+2]
    10   c[i-1] c[i+1]
    11   class[i-1] class[i] class[i+1]
    12   sur[i-1] sur[i] class[i]

* The hash is FNV-1a 64 over the feature's bytes (offset basis 0xcbf29ce484222325, prime
  0x100000001b3), and the bucket is ((h >> 32) * n_buckets) >> 32 (Lemire's multiply-shift
  range reduction, so any bucket count works).
"""

FEATURE_SET = 1
N_FEATURES = 13

FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
MASK64 = 0xFFFFFFFFFFFFFFFF

BOS = "\x02"
EOS = "\x03"

MIDDLE_DOTS = {0x00B7, 0x30FB, 0x2027, 0x2022, 0xFF65, 0x2219, 0x16EB}


def norm(c):
    o = ord(c)
    if 0xFF01 <= o <= 0xFF5E:
        return chr(o - 0xFEE0)
    if o == 0x3000:
        return " "
    return c


def char_class(c):
    """One ASCII letter for a normalised character (or the padding characters)."""
    o = ord(c)
    if c == BOS or c == EOS:
        return "B"
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF \
            or 0x20000 <= o <= 0x3134F or o == 0x3007:
        return "H"
    if 0x41 <= o <= 0x5A:
        return "U"
    if 0x61 <= o <= 0x7A or (0xC0 <= o <= 0x24F and o != 0xD7 and o != 0xF7):
        return "L"
    if 0x30 <= o <= 0x39:
        return "D"
    if o in MIDDLE_DOTS:
        return "M"
    if o == 0x20 or o == 0x09 or o == 0xA0:
        return "S"
    if 0x21 <= o <= 0x7E or 0x2000 <= o <= 0x206F or 0x3000 <= o <= 0x303F \
            or 0xFF00 <= o <= 0xFFEF or 0xFE10 <= o <= 0xFE1F or 0xFE30 <= o <= 0xFE4F:
        return "P"
    if 0x3040 <= o <= 0x30FF or 0xAC00 <= o <= 0xD7AF:
        return "K"
    return "O"


def fnv1a(data):
    h = FNV_OFFSET
    for b in data:
        h ^= b
        h = (h * FNV_PRIME) & MASK64
    return h


def bucket(h, n_buckets):
    return ((h >> 32) * n_buckets) >> 32


def feature_strings(chars, surnames):
    """The feature byte strings of every position of `chars` (a list of code points)."""
    n = len(chars)
    c = [BOS, BOS] + [norm(x) for x in chars] + [EOS, EOS]
    cls = [char_class(x) for x in c]
    sur = ["1" if x in surnames else "0" for x in c]
    enc = [x.encode("utf-8") for x in c]
    out = []
    for i in range(n):
        k = i + 2
        out.append([
            b"\x00",
            b"\x01" + enc[k],
            b"\x02" + enc[k - 1],
            b"\x03" + enc[k + 1],
            b"\x04" + enc[k - 2],
            b"\x05" + enc[k + 2],
            b"\x06" + enc[k - 1] + enc[k],
            b"\x07" + enc[k] + enc[k + 1],
            b"\x08" + enc[k - 2] + enc[k - 1],
            b"\x09" + enc[k + 1] + enc[k + 2],
            b"\x0a" + enc[k - 1] + enc[k + 1],
            b"\x0b" + (cls[k - 1] + cls[k] + cls[k + 1]).encode("ascii"),
            b"\x0c" + (sur[k - 1] + sur[k] + cls[k]).encode("ascii"),
        ])
    return out


def feature_buckets(chars, surnames, n_buckets):
    return [[bucket(fnv1a(f), n_buckets) for f in fs] for fs in feature_strings(chars, surnames)]
