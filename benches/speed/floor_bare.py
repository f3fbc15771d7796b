#!/usr/bin/env python3
"""The speed bench's floor (benches/speed/floor.rs) sent twice: as the bench sends it
(Odoo's default `read`, many2one values with their display names) and with `load` false
(bare ids, as relanced asks since 400b15a). Same requests otherwise: pages of 2000 lines
by `id > last`, `read` of moves and customers by 2000 ids, one at a time on one
connection, answers read to their last byte and never decoded; best of two passes.
The field lists below mirror OPEN_ITEM_FIELDS, INVOICE_FIELDS and PARTNER_FIELDS of
src/odoo/records/ (keep them in step). Not run by `cargo bench`; see BENCHMARKS.md.
Usage: floor_bare.py URL DB LOGIN KEY xmlrpc|json2"""
import sys, time, json, urllib.request, xmlrpc.client, http.client, urllib.parse

url, db, login, key, proto = sys.argv[1:6]
LINE = ["move_id", "move_name", "partner_id", "company_id", "date", "date_maturity",
        "amount_residual", "amount_residual_currency", "currency_id", "company_currency_id"]
MOVE = ["name", "move_type", "payment_state", "invoice_user_id", "currency_id", "invoice_date",
        "invoice_date_due", "payment_reference", "amount_total"]
PARTNER = ["name", "commercial_partner_id", "parent_id", "type", "is_company", "lang", "email",
           "phone", "vat", "country_code", "ref", "category_id", "trust", "user_id", "street",
           "street2", "zip", "city"]
CTX = {"allowed_company_ids": [1]}
DOMAIN = [["account_type", "=", "asset_receivable"], ["parent_state", "=", "posted"],
          ["reconciled", "=", False], ["company_id", "=", 1]]
uid = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common").authenticate(db, login, key, {})
obj = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object", allow_none=True)
fg = obj.execute_kw(db, uid, key, "account.move.line", "fields_get", [], {"attributes": ["type"]})
LINE += [f for f in ("no_followup", "blocked") if f in fg][:1]
lines = obj.execute_kw(db, uid, key, "account.move.line", "search_read", [DOMAIN],
                       {"fields": ["move_id", "partner_id"], "order": "id asc", "load": False})
moves = sorted({l["move_id"] for l in lines})
partners = sorted({l["partner_id"] for l in lines if l["partner_id"]})
ids = [l["id"] for l in lines]

def calls(load):
    extra = {} if load else {"load": False}
    out, last, page = [], 0, 0
    while True:
        out.append(("account.move.line", "search_read", None,
                    dict(domain=DOMAIN + [["id", ">", last]], fields=LINE, context=CTX,
                         limit=2000, order="id asc", **extra)))
        end = (page + 1) * 2000
        if end > len(ids):
            break
        last, page = ids[end - 1], page + 1
    for model, rec, fields, ctx in (("account.move", moves, MOVE, CTX),
                                    ("res.partner", partners, PARTNER, None)):
        for i in range(0, len(rec), 2000):
            kw = dict(fields=fields, **extra)
            if ctx:
                kw["context"] = ctx
            out.append((model, "read", rec[i:i + 2000], kw))
    return out

def body(call):
    model, method, rids, kw = call
    if proto == "json2":
        b = dict(kw)
        if rids is not None:
            b["ids"] = rids
        return "/json/2/%s/%s" % (model, method), json.dumps(b).encode(), \
            {"Content-Type": "application/json", "Authorization": "bearer " + key,
             "X-Odoo-Database": db}
    args = [rids] if rids is not None else []
    if method == "search_read":
        args, kw = [kw["domain"]], {k: v for k, v in kw.items() if k != "domain"}
    return "/xmlrpc/2/object", xmlrpc.client.dumps(
        (db, uid, key, model, method, args, kw), "execute_kw", allow_none=True).encode(), \
        {"Content-Type": "text/xml"}

def measure(load):
    bodies = [body(c) for c in calls(load)]
    u = urllib.parse.urlparse(url)
    best = None
    for _ in range(2):
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=600)
        t, n = time.time(), 0
        for path, data, headers in bodies:
            conn.request("POST", path, data, headers)
            r = conn.getresponse()
            n += len(r.read())
            assert r.status == 200, r.status
        took = time.time() - t
        conn.close()
        best = took if best is None or took < best else best
    return best, len(bodies), n

for load, name in ((True, "with names (the bench's floor)"), (False, "bare ids (load false)")):
    t, c, n = measure(load)
    print("floor %-32s %.2f s, %d calls, %.1f MB" % (name, t, c, n / 1e6), flush=True)
