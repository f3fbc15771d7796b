"""CPython's xmlrpc.client as the reference for relanced's XML-RPC codec tests.

Reads one JSON document on stdin and writes one on stdout, so a whole batch of
cases costs a single python3 process. Modes (argv[1]):

  describe   [doc, ...]            -> [description, ...] of xmlrpc.client.loads(doc)
  redump     [doc, ...]            -> [doc, ...]: loads each methodCall, dumps it again
  generate   {"seed", "count"}     -> [[doc, description], ...] of random values
  loads_time {"path", "repeat"}    -> {"seconds": [...]} timing loads() on a file
  bench_doc  {"path", "records"}   -> writes a search_read-shaped response, {"bytes": n}

A description is a tagged tree: ["int", n], ["bool", b], ["str", s],
["double", repr], ["dt", text], ["b64", hex], ["nil"], ["arr", [...]],
["struct", [[name, description], ...]], and at the top {"value": d},
{"fault": [code, string]}, {"call": [method, [d, ...]]} or {"error": text}.

Integers beyond 32 bits are written as <int> (CPython refuses them; relanced
writes them as Odoo reads them), so the marshaller is patched for that only.
"""

import json
import random
import struct
import sys
import time
import xmlrpc.client as xc


def _dump_int(self, value, write):
    write("<value><int>")
    write(str(int(value)))
    write("</int></value>\n")


xc.Marshaller.dispatch[int] = _dump_int


def describe(v):
    if v is None:
        return ["nil"]
    if isinstance(v, bool):
        return ["bool", v]
    if isinstance(v, int):
        return ["int", v]
    if isinstance(v, float):
        return ["double", repr(v)]
    if isinstance(v, str):
        return ["str", v]
    if isinstance(v, xc.Binary):
        return ["b64", v.data.hex()]
    if isinstance(v, xc.DateTime):
        return ["dt", v.value]
    if isinstance(v, (list, tuple)):
        return ["arr", [describe(i) for i in v]]
    if isinstance(v, dict):
        return ["struct", [[k, describe(i)] for k, i in v.items()]]
    raise TypeError(type(v))


def describe_doc(doc):
    try:
        params, method = xc.loads(doc.encode("utf-8"))
    except xc.Fault as f:
        return {"fault": [f.faultCode, f.faultString]}
    except Exception as e:  # noqa: BLE001 - the test compares error-ness only
        return {"error": type(e).__name__}
    if method is None:
        return {"value": describe(params[0])}
    return {"call": [method, [describe(p) for p in params]]}


def redump(doc):
    params, method = xc.loads(doc.encode("utf-8"))
    return xc.dumps(params, method, allow_none=True)


CHARS = (
    "abcxyzABCXYZ0123456789 _-./:"
    "&<>\"'&amp;]]>"
    "\t\n\r"
    "éèçàÅßñœ€"
    "漢字한글"
    "\u0080\u009f\u00a0\u2028\ufeff\ufffd"
    "😀𝄞\U0010fffd"
)


def gen_str(rng, n=12):
    return "".join(rng.choice(CHARS) for _ in range(rng.randint(0, n)))


def gen_double(rng):
    kind = rng.randint(0, 9)
    if kind == 0:
        return round(rng.uniform(-1e6, 1e6), 2)
    if kind == 1:
        return rng.choice([1e-05, 1e16, 1.5e16, 0.1 + 0.2, -0.0, 0.0, 5e-324,
                           1.7976931348623157e308, 2.0 ** 31, 9007199254740993.0, 750.0])
    if kind == 2:
        return rng.uniform(-1, 1) * 10.0 ** rng.randint(-320, 300)
    while True:
        d = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]
        if d == d and abs(d) != float("inf"):
            return d


def gen_int(rng):
    return rng.choice([
        0, 1, -1, 2**31 - 1, -(2**31), 2**31, 2**63 - 1, -(2**63),
        rng.randint(-1000, 1000), rng.randint(-(2**63), 2**63 - 1),
    ])


def gen_value(rng, depth=0):
    kind = rng.randint(0, 11 if depth < 4 else 8)
    if kind == 0:
        return gen_int(rng)
    if kind == 1:
        return rng.random() < 0.5
    if kind in (2, 3):
        return gen_str(rng)
    if kind == 4:
        return gen_double(rng)
    if kind == 5:
        return None
    if kind == 6:
        return xc.DateTime(rng.choice(["20261122T10:00:00", "2026-11-22T10:00:00Z",
                                       "20261122T100000", "2026-11-22T10:00:00+01:00"]))
    if kind == 7:
        return xc.Binary(bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 120))))
    if kind == 8:
        return gen_str(rng, 3)
    if kind in (9, 10):
        return [gen_value(rng, depth + 1) for _ in range(rng.randint(0, 5))]
    return {gen_str(rng, 6): gen_value(rng, depth + 1) for _ in range(rng.randint(0, 5))}


def generate(seed, count):
    rng = random.Random(seed)
    out = []
    for i in range(count):
        if i % 10 == 9:
            doc = xc.dumps(xc.Fault(rng.randint(1, 4), gen_str(rng, 40)), methodresponse=True)
        elif i % 2 == 0:
            doc = xc.dumps((gen_value(rng),), methodresponse=True, allow_none=True)
        else:
            params = tuple(gen_value(rng) for _ in range(rng.randint(0, 7)))
            doc = xc.dumps(params, "m_" + str(i), allow_none=True)
        out.append([doc, describe_doc(doc)])
    return out


def bench_doc(path, records):
    rng = random.Random(7)
    partners = [(i, "Partner %d & Co" % i) for i in range(1, 400)]
    rows = []
    for i in range(records):
        pid, pname = rng.choice(partners)
        residual = round(rng.uniform(10, 50000), 2)
        rows.append({
            "id": 100000 + i,
            "move_id": [50000 + i // 3, "INV/2026/%05d" % (i // 3)],
            "partner_id": [pid, pname],
            "date_maturity": "2026-%02d-%02d" % (rng.randint(1, 12), rng.randint(1, 28)),
            "amount_residual": residual,
            "amount_residual_currency": residual,
            "currency_id": [1, "EUR"],
            "company_id": [1, "Relance SA"],
            "date": "2026-%02d-%02d" % (rng.randint(1, 12), rng.randint(1, 28)),
            "move_name": "INV/2026/%05d" % (i // 3),
            "balance": residual,
            "reconciled": False,
            "account_id": [6, "121000 Account Receivable"],
            "name": False,
            "parent_state": "posted",
        })
    doc = xc.dumps((rows,), methodresponse=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(doc)
    return {"bytes": len(doc.encode("utf-8"))}


def loads_time(path, repeat):
    with open(path, "rb") as f:
        data = f.read()
    seconds = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        xc.loads(data)
        seconds.append(time.perf_counter() - t0)
    return {"seconds": seconds}


def main():
    mode = sys.argv[1]
    arg = json.load(sys.stdin)
    if mode == "describe":
        out = [describe_doc(d) for d in arg]
    elif mode == "redump":
        out = [redump(d) for d in arg]
    elif mode == "generate":
        out = generate(arg["seed"], arg["count"])
    elif mode == "loads_time":
        out = loads_time(arg["path"], arg["repeat"])
    elif mode == "bench_doc":
        out = bench_doc(arg["path"], arg["records"])
    else:
        raise SystemExit("unknown mode " + mode)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
