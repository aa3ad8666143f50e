#!/usr/bin/python3
"""Checks that an extension install or update script references types,
functions and operators only schema-qualified, with @extschema@. or
pg_catalog., where a name is resolved: the names of created objects,
argument lists (CREATE FUNCTION, CREATE AGGREGATE, COMMENT ON ...), RETURNS,
the options of CREATE AGGREGATE (SFUNC, STYPE, FINALFUNC, ...), CREATE
OPERATOR (LEFTARG, RIGHTARG, FUNCTION, COMMUTATOR, ...), CREATE TYPE (INPUT,
OUTPUT, ..., and the fields of a composite type) and CREATE CAST. A function
with a body in SQL or PL/pgSQL is reported too: its body resolves names at
run time, so it needs SET search_path or a review.

    check_script.py FILE    prints a summary and exits 0, or lists every
                            unqualified reference and exits 1
"""

import re
import sys

QUALIFIED = re.compile(r'^(@extschema@|pg_catalog)\.("[^"]+"|[A-Za-z_][A-Za-z_0-9$]*|[-+*/<>=~!@#%^&|`?]+)(\[\])?$')
TYPE_OPTS = {"INPUT", "OUTPUT", "RECEIVE", "SEND", "TYPMOD_IN", "TYPMOD_OUT", "ANALYZE",
             "SUBSCRIPT", "ELEMENT", "LIKE", "SUBTYPE", "SUBTYPE_OPCLASS", "CANONICAL",
             "SUBTYPE_DIFF", "MULTIRANGE_TYPE_NAME"}
AGG_OPTS = {"SFUNC", "STYPE", "FINALFUNC", "COMBINEFUNC", "SERIALFUNC", "DESERIALFUNC",
            "MSFUNC", "MINVFUNC", "MSTYPE", "MFINALFUNC", "SORTOP", "BASETYPE"}
OP_OPTS = {"LEFTARG", "RIGHTARG", "FUNCTION", "PROCEDURE", "COMMUTATOR", "NEGATOR",
           "RESTRICT", "JOIN"}


def strip(text):
    """Comments removed; string literals replaced by '' (their content is data)."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text.startswith("--", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        elif text[i] == "'":
            j = i + 1
            while j < n:
                if text[j] == "'" and text.startswith("''", j):
                    j += 2
                elif text[j] == "'":
                    break
                else:
                    j += 1
            out.append("''")
            i = j + 1
        elif text[i] == "$":
            m = re.match(r"\$([A-Za-z_]*)\$", text[i:])
            if m:
                tag = m.group(0)
                j = text.find(tag, i + len(tag))
                out.append("$BODY$")
                i = n if j < 0 else j + len(tag)
            else:
                out.append("$")
                i += 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def split_top(s, sep=","):
    parts, depth, cur = [], 0, []
    for ch in s:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    if "".join(cur).strip():
        parts.append("".join(cur))
    return [p.strip() for p in parts]


def paren(s, start):
    """The text inside the parenthesis opening at s[start], and the index after it."""
    depth = 0
    for i in range(start, len(s)):
        if s[i] == "(":
            depth += 1
        elif s[i] == ")":
            depth -= 1
            if depth == 0:
                return s[start + 1:i], i + 1
    raise ValueError("unbalanced parentheses")


def arg_type(arg):
    """The type of one argument: modes, names and defaults removed."""
    arg = re.split(r"\s+DEFAULT\s+|\s*=\s*", arg, flags=re.I)[0].strip()
    words = arg.split()
    if words and words[0].upper() in ("IN", "OUT", "INOUT", "VARIADIC"):
        words = words[1:]
    if len(words) == 2:      # name type
        words = words[1:]
    return " ".join(words)


def main():
    path = sys.argv[1]
    text = strip(open(path, encoding="utf-8").read())
    problems, checked = [], 0

    def need(what, ref, stmt):
        nonlocal checked
        checked += 1
        ref = ref.strip()
        m = re.match(r"^OPERATOR\((.*)\)$", ref, flags=re.I)
        if m:
            ref = m.group(1).strip()
        if not QUALIFIED.match(ref):
            problems.append("%s %r in: %s" % (what, ref, " ".join(stmt.split())[:160]))

    def args(stmt, start, what):
        inner, end = paren(stmt, start)
        if inner.strip() and inner.strip() != "*":
            inner = re.sub(r"\bORDER\s+BY\b", ",", inner, flags=re.I)
            for a in split_top(inner):
                need(what + " argument type", arg_type(a), stmt)
        return end

    for stmt in text.split(";"):
        s = stmt.strip()
        if not s or s.startswith("\\"):
            continue
        u = " ".join(s.split()).upper()
        if re.search(r"CREATE\s+OR\s+REPLACE", u):
            problems.append("CREATE OR REPLACE in: " + " ".join(s.split())[:160])
        if "SECURITY DEFINER" in u:
            problems.append("SECURITY DEFINER in: " + " ".join(s.split())[:160])

        m = re.match(r"(CREATE\s+(?:FUNCTION|PROCEDURE|AGGREGATE)|COMMENT\s+ON\s+(?:FUNCTION|PROCEDURE|AGGREGATE))\s+(\S+?)\s*\(", s, flags=re.I | re.S)
        if m:
            need("object name", m.group(2), s)
            end = args(s, m.end() - 1, m.group(1).split()[-1].lower())
            rest = s[end:]
            r = re.match(r"\s*RETURNS\s+(SETOF\s+)?(TABLE\s*\()?", rest, flags=re.I)
            if r and r.group(2):
                inner, _ = paren(rest, r.end() - 1)
                for a in split_top(inner):
                    need("RETURNS TABLE column type", arg_type(a), s)
            elif r:
                t = re.match(r"\S+(\s*\[\])?", rest[r.end():]).group(0)
                need("RETURNS type", t, s)
            if m.group(1).upper().startswith("CREATE AGGREGATE"):
                inner, _ = paren(rest, rest.index("("))
                for opt in split_top(inner):
                    k, _, v = opt.partition("=")
                    if k.strip().upper() in AGG_OPTS:
                        need("aggregate " + k.strip().upper(), v, s)
            if re.search(r"\bLANGUAGE\s+(SQL|PLPGSQL)\b", rest, flags=re.I) and \
                    not re.search(r"\bSET\s+search_path\b", rest, flags=re.I):
                problems.append("function body in SQL or PL/pgSQL without SET search_path: "
                                + " ".join(s.split())[:160])
            continue

        m = re.match(r"(CREATE|COMMENT\s+ON)\s+OPERATOR\s+(\S+?)\s*\(", s, flags=re.I)
        if m:
            need("operator name", m.group(2), s)
            inner, _ = paren(s, m.end() - 1)
            if m.group(1).upper() == "CREATE":
                for opt in split_top(inner):
                    k, _, v = opt.partition("=")
                    if k.strip().upper() in OP_OPTS:
                        need("operator " + k.strip().upper(), v, s)
            else:
                for a in split_top(inner):
                    if a.upper() != "NONE":
                        need("operator argument type", a, s)
            continue

        m = re.match(r"CREATE\s+TYPE\s+(\S+?)(\s+AS\s*(ENUM|RANGE)?\s*\(|\s*\(|\s*$)", s, flags=re.I)
        if m:
            need("type name", m.group(1), s)
            if "(" in m.group(2):
                inner, _ = paren(s, m.end() - 1)
                if m.group(3) and m.group(3).upper() == "ENUM":
                    continue
                for opt in split_top(inner):
                    if " AS " in m.group(2).upper() + " " and not m.group(3):
                        need("composite field type", arg_type(opt), s)
                    else:
                        k, _, v = opt.partition("=")
                        if k.strip().upper() in TYPE_OPTS:
                            need("type " + k.strip().upper(), v, s)
            continue

        m = re.match(r"CREATE\s+OPERATOR\s+CLASS\s+(\S+)\s+(?:DEFAULT\s+)?FOR\s+TYPE\s+(\S+)\s+USING\s+\S+\s+(?:FAMILY\s+(\S+)\s+)?AS\s+(.*)$",
                     s, flags=re.I | re.S)
        if m:
            need("operator class name", m.group(1), s)
            need("operator class type", m.group(2), s)
            if m.group(3):
                need("operator family", m.group(3), s)
            for item in split_top(m.group(4)):
                o = re.match(r"OPERATOR\s+\d+\s+(\S+)\s*(\(.*\))?\s*(FOR\s+.*)?$", item, flags=re.I | re.S)
                f = re.match(r"FUNCTION\s+\d+\s+(?:\([^)]*\)\s*)?(\S+?)\s*\(", item, flags=re.I | re.S)
                if o:
                    need("operator class operator", o.group(1), s)
                    if o.group(2):
                        args(item, o.start(2), "operator class operator")
                elif f:
                    need("operator class function", f.group(1), s)
                    args(item, f.end() - 1, "operator class function")
                else:
                    problems.append("operator class item not checked, review it: " + " ".join(item.split())[:160])
            continue

        m = re.match(r"COMMENT\s+ON\s+(TYPE|OPERATOR\s+CLASS|OPERATOR\s+FAMILY|CAST)\s+(\S+)", s, flags=re.I)
        if m and m.group(1).upper() == "TYPE":
            need("type name", m.group(2), s)
            continue

        m = re.match(r"CREATE\s+CAST\s*\(", s, flags=re.I)
        if m:
            inner, end = paren(s, m.end() - 1)
            a, _, b = re.split(r"\s+AS\s+", inner, flags=re.I)[0], None, re.split(r"\s+AS\s+", inner, flags=re.I)[1]
            need("cast source type", a, s)
            need("cast target type", b, s)
            f = re.search(r"WITH\s+FUNCTION\s+(\S+?)\s*\(", s[end:], flags=re.I)
            if f:
                need("cast function", f.group(1), s)
                args(s[end:], f.end() - 1, "cast function")
            continue

        if re.match(r"(DO|SELECT|INSERT|UPDATE|DELETE|ALTER|GRANT|REVOKE|CREATE\s+(TABLE|VIEW|INDEX|SCHEMA|DOMAIN|OPERATOR\s+CLASS|OPERATOR\s+FAMILY|TRIGGER|RULE|POLICY|EVENT))\b", s, flags=re.I):
            problems.append("statement kind not checked, review it: " + " ".join(s.split())[:160])

    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print("%d references checked" % checked)


if __name__ == "__main__":
    main()
