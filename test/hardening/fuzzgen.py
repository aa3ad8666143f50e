#!/usr/bin/python3
"""Seeded generator of hostile inputs for the types of peoplefirst.

    fuzzgen.py --seed S --text-count N --binary-count M --outdir DIR

writes, for fuzz.sh to load:

  DIR/text.tsv     COPY text format: id, type, kind, input -- N strings for
                   each of relstrength and survival and N/10 for each
                   composite result type (record input);
  DIR/binary.tsv   COPY text format: id, type, kind, file, payload (hex) --
                   M byte strings for each of relstrength and survival;
  DIR/bin/ID       one binary COPY file per byte string: one row, one column.

kind says how an input was made: "canonical" (a valid value printed as the
type's output prints it: it must be accepted and print back unchanged),
"valid" (a valid value with other spellings, e.g. JSON white space: it must
be accepted), "mutated" (a valid value changed 1 to 4 times: truncation,
digit and sign flips, huge numbers, NaN, Infinity, unbalanced brackets,
duplicated, missing and swapped keys, non-ASCII, ...) and "random".  No
input holds a NUL byte.  Standard library only; the same seed gives the
same files.
"""

import argparse
import os
import random
import struct

USECS_PER_DAY = 86400 * 1000000
MIN_TS = -211813488000000000          # 4714-11-24 00:00:00 BC
END_TS = 9223371331200000000          # 294277-01-01 00:00:00, exclusive
EPOCH_2000_DAYS = 10957               # 2000-01-01 in days since 1970-01-01
INT64_MAX = (1 << 63) - 1
INT64_MIN = -(1 << 63)


# ------------------------------------------------------------------ calendar

def days_from_civil(y, m, d):
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(z):
    z += 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return y + (m <= 2), m, d


def fraction(usecs):
    if usecs == 0:
        return ""
    return ("." + "%06d" % usecs).rstrip("0")


def format_ts(usecs):
    days = usecs // USECS_PER_DAY
    tod = usecs - days * USECS_PER_DAY
    y, m, d = civil_from_days(days + EPOCH_2000_DAYS)
    year = "-%04d" % -y if y < 0 else "%04d" % y
    return "%s-%02d-%02dT%02d:%02d:%02d%sZ" % (
        year, m, d, tod // 3600000000, tod % 3600000000 // 60000000,
        tod % 60000000 // 1000000, fraction(tod % 1000000))


def c_div(a, b):
    """C's truncating division and remainder."""
    q = abs(a) // abs(b)
    if (a < 0) != (b < 0):
        q = -q
    return q, a - q * b


def format_duration(time, day, month):
    out = "P"
    y, mo = c_div(month, 12)
    for v, c in ((y, "Y"), (mo, "M"), (day, "D")):
        if v:
            out += "%d%s" % (v, c)
    if time == 0:
        return "PT0S" if out == "P" else out
    out += "T"
    h, rest = c_div(time, 3600000000)
    mi, rest = c_div(rest, 60000000)
    s, us = c_div(rest, 1000000)
    for v, c in ((h, "H"), (mi, "M")):
        if v:
            out += "%d%s" % (v, c)
    if us:
        out += "%s%d%sS" % ("-" if us < 0 and s == 0 else "", s, fraction(abs(us)))
    elif s:
        out += "%dS" % s
    return out


def format_double(v):
    for p in (15, 16, 17):
        s = "%.*g" % (p, v)
        if float(s) == v:
            return s
    return repr(v)


# ------------------------------------------------------------------ valid values

def rand_int64(r, lo=0, hi=INT64_MAX):
    c = r.random()
    if c < 0.5:
        return r.randint(lo, min(hi, max(lo, 1000)))
    if c < 0.8:
        return r.randint(lo, min(hi, 1 << r.randint(10, 62)))
    return r.choice([lo, hi, hi - 1, max(lo, hi // 2)])


def rand_ts(r):
    c = r.random()
    if c < 0.6:   # 1990 .. 2040
        return r.randint(-10 * 365 * USECS_PER_DAY, 40 * 365 * USECS_PER_DAY)
    if c < 0.8:
        return r.randint(MIN_TS, END_TS - 1)
    return r.choice([MIN_TS, END_TS - 1, 0, -1, MIN_TS + 1, END_TS - USECS_PER_DAY])


def rand_half_life(r):
    c = r.random()
    if c < 0.5:
        return (0, r.randint(1, 400), 0)
    if c < 0.7:
        return (r.randint(1, 10 ** 12), 0, 0)
    if c < 0.8:
        return (0, 0, r.randint(1, 2 ** 31 - 1))
    if c < 0.9:
        return r.choice([(1, 0, 0), (INT64_MAX, 2 ** 31 - 1, 2 ** 31 - 1),
                         (-1, 0, 1), (0, -29, 1), (-86399999999, 1, 0),
                         (INT64_MAX, 0, 0), (0, 2 ** 31 - 1, 0)])
    # mixed signs, positive in total
    t = r.randint(-10 ** 11, 10 ** 12)
    d = r.randint(-20, 400)
    m = r.randint(1, 50)
    return (t, d, m)


def rand_weight(r, hi):
    c = r.random()
    if c < 0.4:
        return r.uniform(0, hi)
    if c < 0.6:
        return hi * r.random() ** 8
    if c < 0.7:
        return 0.0
    if c < 0.8:
        return hi
    return hi * r.choice([0.5, 1e-300, 5e-324 / max(hi, 5e-324), 1.0, 0.1])


def rand_relstrength(r):
    first = rand_ts(r)
    last = rand_ts(r)
    if first > last:
        first, last = last, first
    n = rand_int64(r, 1)
    if n == 1:
        first = last
    w = r.choice([r.uniform(0, 10), r.uniform(0, 1e6), 1.0, 0.0,
                  1.7976931348623157e308, 5e-324, 1e-300])
    inb = min(rand_weight(r, w), w)
    outb = min(rand_weight(r, w - inb), w - inb)
    if outb < 0:
        outb = 0.0
    sw = min(rand_weight(r, w), w)
    ss = r.uniform(-sw, sw) if r.random() < 0.8 else r.choice([sw, -sw, 0.0])
    if abs(ss) > sw:
        ss = sw
    return dict(n=n, first=first, last=last, hl=rand_half_life(r),
                w=w, inb=inb, outb=outb, sw=sw, ss=ss)


def rs_text(v, spaces=None):
    parts = [("version", "1"), ("n", "%d" % v["n"]),
             ("first", '"%s"' % format_ts(v["first"])),
             ("last", '"%s"' % format_ts(v["last"])),
             ("half_life", '"%s"' % format_duration(*v["hl"])),
             ("decayed_weight", format_double(v["w"])),
             ("inbound_weight", format_double(v["inb"])),
             ("outbound_weight", format_double(v["outb"])),
             ("sentiment_weight", format_double(v["sw"])),
             ("sentiment_sum", format_double(v["ss"]))]
    if spaces is None:
        return "{" + ",".join('"%s":%s' % kv for kv in parts) + "}"
    ws = lambda: spaces.choice(["", " ", "\t", "\n", "\r\n", "  "])
    return ("{" + ws() + ("," + ws()).join('"%s"%s:%s%s%s' % (k, ws(), ws(), val, ws())
                                           for k, val in parts) + "}" + ws())


def rs_binary(v):
    return (struct.pack(">B7x", 1) +
            struct.pack(">qqqq", v["n"], v["first"], v["last"], v["hl"][0]) +
            struct.pack(">ii", v["hl"][1], v["hl"][2]) +
            struct.pack(">ddddd", v["w"], v["inb"], v["outb"], v["sw"], v["ss"]))


def rand_survival(r):
    """(version, unit, entries): version 2 mostly, entries (time, events,
    censored, entered) with entered counts that fit the exits; version 1
    (three counts, no plain numbers) now and then."""
    version = 1 if r.random() < 0.2 else 2
    unit = r.choice(["day", "microsecond"] + (["number"] if version == 2 else []))
    k = r.choice([0, 1, 2, 3, 5, 10, 20, r.randint(0, 200)])
    times = set()
    while len(times) < k:
        if unit == "number":
            times.add(r.choice([float(r.randint(-50, 50)), r.uniform(-1e6, 1e6),
                                r.uniform(0, 1), 1e300 * r.random(), 5e-324 * r.randint(1, 9)]) + 0.0)
        else:
            times.add(rand_int64(r, 0))
    times = sorted(times)
    entries = []
    total = 0
    big = r.random() < 0.1
    delayed = version == 2 and not big and r.random() < 0.5
    counts = {t: [0, 0, 0] for t in times}
    for i, t in enumerate(times):
        e = r.randint(0, 5) if not big else r.randint(0, (INT64_MAX - total) // (2 * k))
        c = r.randint(0, 5) if not big else r.randint(0, (INT64_MAX - total - e) // (2 * k))
        if e == 0 and c == 0:
            e = 1
        total += e + c
        counts[t][0] += e
        counts[t][1] += c
        # some of those leaving at t entered at an earlier time
        if delayed and i > 0:
            for _ in range(r.randint(0, e + c)):
                counts[times[r.randrange(i)]][2] += 1
    for t in times:
        ev, ce, en = counts[t]
        entries.append((t, ev, ce, en) if version == 2 else (t, ev, ce))
    return version, unit, entries


def surv_time(unit, t):
    return repr(t) if unit == "number" else "%d" % t


def surv_text(version, unit, entries, spaces=None):
    fmt = lambda e: "[" + ",".join([surv_time(unit, e[0])] + ["%d" % x for x in e[1:]]) + "]"
    if spaces is None:
        return '{"version":%d,"unit":"%s","entries":[%s]}' % (
            version, unit, ",".join(fmt(e) for e in entries))
    ws = lambda: spaces.choice(["", " ", "\t", "\n", "\r"])
    ent = ("," + ws()).join("[%s%s%s,%s%s%s]" % (ws(), surv_time(unit, e[0]), ws(), ws(),
                                                ",".join("%d" % x for x in e[1:]), ws())
                            for e in entries)
    return ws() + '{%s"version"%s:%s%d,"unit":%s"%s"%s,"entries":[%s%s]%s}%s' % (
        ws(), ws(), ws(), version, ws(), unit, ws(), ws(), ent, ws(), ws())


def surv_binary(version, unit, entries, nentries=None):
    out = struct.pack(">BBHq", version, {"day": 1, "microsecond": 2, "number": 3}[unit], 0,
                      len(entries) if nentries is None else nentries)
    for e in entries:
        if unit == "number":
            bits = struct.unpack(">q", struct.pack(">d", e[0]))[0]
            if bits < 0:
                bits ^= 0x7FFFFFFFFFFFFFFF
            out += struct.pack(">q", bits) + struct.pack(">" + "q" * (len(e) - 1), *e[1:])
        else:
            out += struct.pack(">" + "q" * len(e), *e)
    return out


COMPOSITES = {
    # type: field kinds, i int8, f float8, t text
    "spell_stats": "iifiiiiffff",
    "correlation": "tifffff",
    "relative_risk": "iiiiffffff",
    "nps_stats": "iiiiff",
}


def rand_record(r, fields):
    out = []
    for k in fields:
        if r.random() < 0.1:
            out.append("")     # NULL
        elif k == "i":
            out.append(str(rand_int64(r, INT64_MIN, INT64_MAX) if r.random() < 0.3
                           else rand_int64(r)))
        elif k == "f":
            out.append(r.choice([format_double(r.uniform(-1e6, 1e6)), "NaN", "Infinity",
                                 "-Infinity", "0", "-0", "1e308", "5e-324"]))
        else:
            out.append(r.choice(["pearson", "spearman", "kendall", "partial",
                                 '"a,b"', '"x""y"', "''"]))
    return "(" + ",".join(out) + ")"


# ------------------------------------------------------------------ text mutation

HUGE = ["9" * 400, "1" + "0" * 30, "1e309", "-1e309", "1e-400", "9223372036854775808",
        "-9223372036854775809", "9223372036854775807", "-9223372036854775808",
        "18446744073709551616", "NaN", "nan", "Infinity", "-Infinity", "inf",
        "-0", "0x10", "1_0", "+1", "01", "1.", ".5", "1e", "1e+", "2.5e-3",
        "4.9406564584124654e-324", "1.7976931348623157e308", "1.7976931348623159e308",
        "true", "null", '""', "[]", "{}"]
STRINGS = ['"294277-01-01T00:00:00Z"', '"294276-12-31T23:59:59.999999Z"',
           '"-4713-11-24T00:00:00Z"', '"-4713-11-23T23:59:59.999999Z"',
           '"2024-02-30T00:00:00Z"', '"2023-02-29T00:00:00Z"', '"2024-02-29T00:00:00Z"',
           '"2024-01-01T24:00:00Z"', '"2016-12-31T23:59:60Z"',
           '"2024-01-01T00:00:00.1234567Z"', '"2024-01-01T00:00:00."', '"2024-01-01"',
           '"2024-01-01T00:00:00+01:00"', '"2024-01-01 00:00:00Z"', '"1234567-01-01T00:00:00Z"',
           '"infinity"', '"-infinity"', '"P"', '"PT"', '"P0D"', '"PT0S"', '"P-1D"',
           '"PT-0.000001S"', '"PT0.000001S"', '"P1Y-12M"', '"P1M-29D"', '"P2147483648D"',
           '"P-2147483649D"', '"P178956970Y8M"', '"PT9223372036854775807S"',
           '"PT2562047788H"', '"PT2562047789H"', '"P1DT"', '"P1D1D"', '"PT1S1M"',
           '"P1W"', '"P1.5D"', '"PT1.5H"', '"P1YT1H1M1.000001S"', '"day"',
           '"microsecond"', '"Day"', '"second"', '"\\u0064ay"']
CHARS = list('0123456789-+.eE{}[]",: \t\n\r\\TZPYMDHS') + \
    ["\u00e9", "\u20ac", "\U0001F600", "\u0085", "\u2028", "\ufeff", "\u00a0", "\x7f", "\x01", "\x1b"]
KEYS_RS = ["version", "n", "first", "last", "half_life", "decayed_weight",
           "inbound_weight", "outbound_weight", "sentiment_weight", "sentiment_sum"]
KEYS_SURV = ["version", "unit", "entries"]


def number_spans(s):
    spans, i = [], 0
    while i < len(s):
        if s[i] in "-0123456789":
            j = i + 1
            while j < len(s) and s[j] in "0123456789.eE+-":
                j += 1
            spans.append((i, j))
            i = j
        else:
            i += 1
    return spans


def string_spans(s):
    spans, i = [], 0
    while True:
        a = s.find('"', i)
        if a < 0:
            return spans
        b = s.find('"', a + 1)
        if b < 0:
            return spans
        spans.append((a, b + 1))
        i = b + 1


def kv_spans(s):
    """Spans of '"key":value' pairs at the top level of a JSON object."""
    spans, depth, start, i = [], 0, None, 0
    instr = False
    while i < len(s):
        ch = s[i]
        if instr:
            if ch == '"':
                instr = False
        elif ch == '"':
            instr = True
            if depth == 1 and start is None:
                start = i
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            if depth == 1 and start is not None:
                spans.append((start, i))
                start = None
            depth -= 1
        elif ch == "," and depth == 1 and start is not None:
            spans.append((start, i))
            start = None
        i += 1
    return spans


def mutate_text(r, s):
    op = r.randrange(16)
    if op == 0 and s:                                  # truncation
        return s[:r.randrange(len(s))]
    if op == 1 and s:                                  # delete a span
        a = r.randrange(len(s))
        return s[:a] + s[a + r.randint(1, 8):]
    if op == 2:                                        # insert characters
        a = r.randint(0, len(s))
        return s[:a] + "".join(r.choice(CHARS) for _ in range(r.randint(1, 4))) + s[a:]
    if op == 3:                                        # digit flip
        idx = [i for i, ch in enumerate(s) if ch.isdigit()]
        if idx:
            i = r.choice(idx)
            return s[:i] + r.choice("0123456789") + s[i + 1:]
    if op == 4:                                        # sign flip
        spans = number_spans(s)
        if spans:
            a, b = r.choice(spans)
            return s[:a] + (s[a + 1:b] if s[a] == "-" else "-" + s[a:b]) + s[b:]
    if op == 5:                                        # huge numbers, NaN, Infinity
        spans = number_spans(s)
        if spans:
            a, b = r.choice(spans)
            return s[:a] + r.choice(HUGE) + s[b:]
    if op == 6:                                        # other strings
        spans = string_spans(s)
        if spans:
            a, b = r.choice(spans)
            return s[:a] + r.choice(STRINGS + HUGE) + s[b:]
    if op == 7:                                        # unbalanced brackets
        idx = [i for i, ch in enumerate(s) if ch in "{}[]()"]
        if idx and r.random() < 0.5:
            i = r.choice(idx)
            return s[:i] + s[i + 1:]
        a = r.randint(0, len(s))
        return s[:a] + r.choice("{}[]()") * r.randint(1, 3) + s[a:]
    if op in (8, 9, 10):                               # duplicate, drop, swap pairs
        spans = kv_spans(s)
        if len(spans) >= 2:
            i = r.randrange(len(spans))
            a, b = spans[i]
            if op == 8:
                return s[:b] + "," + s[a:b] + s[b:]
            if op == 9:
                a2 = a - 1 if a > 0 and s[a - 1] == "," else a
                return s[:a2] + s[b:] if a2 < a else s[:a] + s[b + 1:]
            j = r.randrange(len(spans))
            if i != j:
                (a, b), (c, d) = sorted([spans[i], spans[j]])
                return s[:a] + s[c:d] + s[b:c] + s[a:b] + s[d:]
    if op == 11:                                       # rename a key
        keys = KEYS_RS + KEYS_SURV + ["Version", "n ", "", "first\u00e9", "n\\u0000"]
        spans = string_spans(s)
        if spans:
            a, b = r.choice(spans)
            return s[:a] + '"%s"' % r.choice(keys) + s[b:]
    if op == 12:                                       # non-ASCII
        a = r.randint(0, len(s))
        return s[:a] + r.choice(["\u00e9", "\u20ac", "\U0001F600", "\uff10", "\u0661",
                                 "\u00a0", "\u2009", "\ufeff", "\u00b2"]) + s[a:]
    if op == 13:                                       # repeat a chunk
        if s:
            a = r.randrange(len(s))
            b = min(len(s), a + r.randint(1, 40))
            return s[:b] + s[a:b] * r.randint(1, 50) + s[b:]
    if op == 14:                                       # case change
        if s:
            a = r.randrange(len(s))
            return s[:a] + s[a:a + 6].swapcase() + s[a + 6:]
    # leading/trailing junk
    junk = r.choice([" ", "\n", ",", "}", "x", "\u00e9", ";", "\\"])
    return junk + s if r.random() < 0.5 else s + junk


def random_text(r):
    n = r.choice([0, 1, 2, 5, 20, 100, r.randint(0, 300)])
    return "".join(r.choice(CHARS + list("abcxyz")) for _ in range(n))


# ------------------------------------------------------------------ binary mutation

SPECIAL_F64 = [float("nan"), float("inf"), float("-inf"), -0.0, 5e-324, -5e-324,
               1.7976931348623157e308, -1.0, 2.0 ** 1023, 1e-310]
SPECIAL_I64 = [0, -1, 1, INT64_MAX, INT64_MIN, MIN_TS, MIN_TS - 1, END_TS, END_TS - 1,
               1 << 61, (1 << 61) + 1, 1 << 62, 0x7FFFFFFF, 0x80000000]


def mutate_bytes(r, b, kind):
    b = bytearray(b)
    op = r.randrange(12)
    if op == 0 and b:                                  # bit flip
        i = r.randrange(len(b))
        b[i] ^= 1 << r.randrange(8)
    elif op == 1 and b:                                # byte set
        i = r.randrange(len(b))
        b[i] = r.choice([0, 0xFF, 0x80, 0x7F, 1, r.randrange(256)])
    elif op == 2 and b:                                # truncation
        del b[r.randrange(len(b)):]
    elif op == 3:                                      # extension
        b += bytes(r.randrange(256) for _ in range(r.choice([1, 7, 8, 24, r.randint(1, 64)])))
    elif op == 4 and len(b) >= 8:                      # special float64 at an 8-byte slot
        i = r.randrange(0, len(b) - 7)
        if kind == "relstrength" and r.random() < 0.8:
            i = r.choice([48, 56, 64, 72, 80])
        b[i:i + 8] = struct.pack(">d", r.choice(SPECIAL_F64))
    elif op == 5 and len(b) >= 8:                      # special int64
        if kind == "relstrength":
            i = r.choice([8, 16, 24, 32])
        else:
            i = r.choice([4] + [12 + 24 * k + 8 * f for k in range(max(0, (len(b) - 12) // 24))
                                for f in range(3)] or [4])
        if i + 8 <= len(b):
            b[i:i + 8] = struct.pack(">q", r.choice(SPECIAL_I64))
    elif op == 6 and len(b) >= 4:                      # special int32
        i = r.choice([40, 44]) if kind == "relstrength" else r.randrange(0, len(b) - 3)
        if i + 4 <= len(b):
            b[i:i + 4] = struct.pack(">i", r.choice([0, -1, 1, 2 ** 31 - 1, -2 ** 31]))
    elif op == 7 and len(b) >= 8:                      # header bytes
        b[r.randrange(0, 4 if kind == "survival" else 8)] = r.choice([0, 1, 2, 3, 0xFF])
    elif op == 8 and kind == "survival" and len(b) >= 12:
        # entry counts whose byte size wraps around 2^64 to the real size
        k = (len(b) - 12) // (24 if b[0] == 1 else 32)
        n = r.choice([k + (1 << 61), k + (2 << 61), k + (3 << 61), k - 1, k + 1, -k - 1,
                      INT64_MAX, INT64_MIN, 44739242, 44739241])
        b[4:12] = struct.pack(">q", ((n + (1 << 63)) % (1 << 64)) - (1 << 63))
    elif op == 9 and kind == "survival" and len(b) >= 76:
        # swap two entries (unsorted) or copy one onto the next (duplicates)
        w = 24 if b[0] == 1 else 32
        k = (len(b) - 12) // w
        i, j = r.randrange(k), r.randrange(k)
        ei, ej = b[12 + w * i:12 + w * (i + 1)], b[12 + w * j:12 + w * (j + 1)]
        if r.random() < 0.5:
            b[12 + w * i:12 + w * (i + 1)], b[12 + w * j:12 + w * (j + 1)] = ej, ei
        else:
            b[12 + w * j:12 + w * (j + 1)] = ei
    elif op == 10 and len(b) >= 16:                    # swap two 8-byte fields
        i, j = r.randrange(0, len(b) - 7), r.randrange(0, len(b) - 7)
        x, y = bytes(b[i:i + 8]), bytes(b[j:j + 8])
        b[i:i + 8] = y
        b[j:j + 8] = x
    else:                                              # random bytes in a run
        if b:
            a = r.randrange(len(b))
            for i in range(a, min(len(b), a + r.randint(1, 16))):
                b[i] = r.randrange(256)
    return bytes(b)


def random_bytes(r, kind):
    n = r.choice([0, 1, 11, 12, 87, 88, 89, 36, r.randint(0, 200)])
    return bytes(r.randrange(256) for _ in range(n))


# ------------------------------------------------------------------ output

COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)


def copy_file(payload):
    return COPY_HEADER + struct.pack(">hi", 1, len(payload)) + payload + struct.pack(">h", -1)


def copy_escape(s):
    return (s.replace("\\", "\\\\").replace("\t", "\\t")
            .replace("\n", "\\n").replace("\r", "\\r"))


def text_inputs(r, typ, count):
    for i in range(count):
        c = r.random()
        if typ == "relstrength":
            v = rand_relstrength(r)
            canonical = rs_text(v)
            spaced = lambda: rs_text(v, r)
        elif typ == "survival":
            version, unit, entries = rand_survival(r)
            canonical = surv_text(version, unit, entries)
            spaced = lambda: surv_text(version, unit, entries, r)
            if version == 1 or unit == "number":
                # read, but printed as version 2 or with the output's own
                # number formatting: valid, not canonical
                spaced = (lambda c=canonical, sp=spaced: c if r.random() < 0.5 else sp())
        else:
            canonical = rand_record(r, COMPOSITES[typ])
            spaced = lambda: " " + canonical if r.random() < 0.5 else canonical + " "
        if c < 0.04:
            if typ == "survival" and (version == 1 or unit == "number"):
                yield "valid", canonical
            else:
                yield "canonical", canonical
        elif c < 0.07:
            yield "valid", spaced()
        elif c < 0.95:
            s = canonical if r.random() < 0.7 else spaced()
            for _ in range(r.choice([1, 1, 1, 2, 3, 4])):
                s = mutate_text(r, s)
            yield "mutated", s
        else:
            yield "random", random_text(r)


def binary_inputs(r, typ, count):
    for i in range(count):
        c = r.random()
        if typ == "relstrength":
            valid = rs_binary(rand_relstrength(r))
        else:
            valid = surv_binary(*rand_survival(r))
        if c < 0.05:
            yield "valid", valid
        elif c < 0.95:
            b = valid
            for _ in range(r.choice([1, 1, 1, 2, 3])):
                b = mutate_bytes(r, b, typ)
            yield "mutated", b
        else:
            yield "random", random_bytes(r, typ)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--text-count", type=int, default=5000)
    ap.add_argument("--binary-count", type=int, default=5000)
    ap.add_argument("--outdir", required=True)
    a = ap.parse_args()
    r = random.Random(a.seed)
    os.makedirs(os.path.join(a.outdir, "bin"), exist_ok=True)
    ident = 0
    with open(os.path.join(a.outdir, "text.tsv"), "w", encoding="utf-8") as f:
        plan = [("relstrength", a.text_count), ("survival", a.text_count)]
        plan += [(t, max(1, a.text_count // 10)) for t in COMPOSITES]
        for typ, count in plan:
            for kind, s in text_inputs(r, typ, count):
                assert "\0" not in s
                ident += 1
                f.write("%d\t%s\t%s\t%s\n" % (ident, typ, kind, copy_escape(s)))
    with open(os.path.join(a.outdir, "binary.tsv"), "w") as f:
        for typ in ("relstrength", "survival"):
            for kind, b in binary_inputs(r, typ, a.binary_count):
                ident += 1
                path = os.path.abspath(os.path.join(a.outdir, "bin", str(ident)))
                with open(path, "wb") as g:
                    g.write(copy_file(b))
                f.write("%d\t%s\t%s\t%s\t%s\n" % (ident, typ, kind, path, b.hex()))


if __name__ == "__main__":
    main()
