#!/usr/bin/env python3
"""Tamper with a shinsa database as an intruder who can write it but cannot
read the audit key would: through SQLite itself, around shinsa.

    tamper.py DB edit SEQ            change a field of entry SEQ
    tamper.py DB delete SEQ          remove entry SEQ
    tamper.py DB swap A B            swap the sequence numbers of two entries
    tamper.py DB insert SEQ          put a new entry at SEQ, renumbering the later ones,
                                     with a correct SHA-256 chain (the HMAC cannot be made)
    tamper.py DB rebuild SEQ         change entry SEQ and recompute every hash from it on
                                     (SHA-256 and prev, not the HMAC: no key)
"""
import hashlib, os, sqlite3, sys

TAG = b"shinsa.audit.v1\n"
FIELDS = ["seq", "at", "actor", "channel", "action", "object_type", "object_id",
          "before", "after", "comment", "prev"]


def encode(row):
    """The canonical encoding of docs/audit.md: NAME LEN:BYTES\\n for each field."""
    out = [TAG]
    for f in FIELDS:
        v = row[f]
        if f == "seq":
            v = str(v).encode()
        elif f == "prev":
            v = v.hex().encode()
        else:
            v = v.encode()
        out.append(f.encode() + b" " + str(len(v)).encode() + b":" + v + b"\n")
    return b"".join(out)


def rows(db):
    db.row_factory = sqlite3.Row
    return [dict(r) for r in db.execute("SELECT * FROM audit_log ORDER BY seq")]


def main():
    path, op, *args = sys.argv[1:]
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    # the intruder removes shinsa's guard first
    db.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    if op == "edit":
        db.execute("UPDATE audit_log SET comment = 'changed' WHERE seq = ?", (int(args[0]),))
    elif op == "delete":
        db.execute("DELETE FROM audit_log WHERE seq = ?", (int(args[0]),))
    elif op == "swap":
        a, b = int(args[0]), int(args[1])
        db.execute("UPDATE audit_log SET seq = 1000000 WHERE seq = ?", (a,))
        db.execute("UPDATE audit_log SET seq = ? WHERE seq = ?", (a, b))
        db.execute("UPDATE audit_log SET seq = ? WHERE seq = 1000000", (b,))
    elif op == "insert":
        at = int(args[0])
        all_rows = rows(db)
        db.execute("UPDATE audit_log SET seq = seq + 1000000 WHERE seq >= ?", (at,))
        db.execute("UPDATE audit_log SET seq = seq - 999999 WHERE seq >= 1000000")
        prev = [r for r in all_rows if r["seq"] == at - 1][0]["hash"]
        new = dict(all_rows[0], seq=at, action="meta.set", object_type="meta", object_id="body_name",
                   before="", after='{"body_name":"偽"}', comment="", prev=prev)
        new["hash"] = hashlib.sha256(encode(new)).digest()
        new["mac"] = os.urandom(32)   # without the key, the best there is
        cols = list(new)
        db.execute("INSERT INTO audit_log (%s) VALUES (%s)" % (",".join(cols), ",".join("?" * len(cols))),
                   [new[c] for c in cols])
    elif op == "rebuild":
        at = int(args[0])
        prev = None
        for r in rows(db):
            if r["seq"] < at:
                prev = r["hash"]
                continue
            if r["seq"] == at:
                r["after"] = '{"body_name":"書き換え"}'
            r["prev"] = prev if prev is not None else bytes(32)
            r["hash"] = hashlib.sha256(encode(r)).digest()
            db.execute("UPDATE audit_log SET after = ?, prev = ?, hash = ? WHERE seq = ?",
                       (r["after"], r["prev"], r["hash"], r["seq"]))
            prev = r["hash"]
    else:
        sys.exit("unknown operation " + op)
    db.execute("COMMIT")


if __name__ == "__main__":
    main()
