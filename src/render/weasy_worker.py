# relanced PDF worker: imports WeasyPrint once, then renders HTML letters read from stdin.
# Protocol (binary, big-endian): request = u32 length + UTF-8 HTML; reply = one status
# byte (b"R" ready, b"O" PDF follows, b"E" error message follows) + u32 length + payload.
# Only file: and data: URLs are fetched (no network access from a letter).
import struct
import sys

out = sys.stdout.buffer
inp = sys.stdin.buffer


def reply(status, payload=b""):
    out.write(status + struct.pack(">I", len(payload)) + payload)
    out.flush()


try:
    import weasyprint
except Exception as exc:  # ImportError, or a broken installation
    reply(b"E", ("cannot import weasyprint: %s" % exc).encode("utf-8", "replace"))
    sys.exit(3)


def fetcher(url, *args, **kwargs):
    if url.startswith("file:") or url.startswith("data:"):
        return weasyprint.default_url_fetcher(url, *args, **kwargs)
    raise ValueError("refusing to fetch %s: letters may only use local files" % url[:80])


base_url = sys.argv[1] if len(sys.argv) > 1 else "/"
reply(b"R")
while True:
    header = inp.read(4)
    if len(header) < 4:
        break
    (length,) = struct.unpack(">I", header)
    html = inp.read(length).decode("utf-8", "replace")
    try:
        pdf = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()
        reply(b"O", pdf)
    except Exception as exc:
        reply(b"E", ("%s: %s" % (type(exc).__name__, exc)).encode("utf-8", "replace")[:2000])
