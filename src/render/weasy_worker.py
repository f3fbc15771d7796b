# relanced PDF worker: imports WeasyPrint once, then renders HTML letters read from stdin.
# Protocol (binary, big-endian): request = u32 length + UTF-8 HTML; reply = one status
# byte (b"R" ready, b"O" PDF follows, b"E" error message follows) + u32 length + payload.
# Only file: and data: URLs are fetched (no network access from a letter).
# Speed: at start-up the DejaVu fonts are cut down once to Latin, Latin-1, Latin
# Extended-A/B and punctuation and offered as "Relanced Sans" / "Relanced Mono" (the
# letter CSS names them first); WeasyPrint then subsets these small fonts per letter
# instead of the full DejaVu files, which halves the time per letter. Characters outside
# these ranges fall back to the system fonts as usual.
import os
import struct
import sys
import tempfile

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


FONTS = [
    ("Relanced Sans", "normal", "DejaVuSans.ttf"),
    ("Relanced Sans", "bold", "DejaVuSans-Bold.ttf"),
    ("Relanced Mono", "normal", "DejaVuSansMono.ttf"),
]
FONT_DIRS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/TTF", "/usr/share/fonts/dejavu"]
RANGES = (list(range(0x20, 0x7F)) + list(range(0xA0, 0x250)) + list(range(0x2000, 0x2070))
          + [0x20AC, 0x2116, 0x2122, 0x2212])


def presubset_fonts(directory):
    """@font-face rules for the cut-down fonts; empty when fontTools or DejaVu is missing."""
    try:
        from fontTools import subset
    except Exception:
        return ""
    rules = []
    for family, weight, name in FONTS:
        path = next((os.path.join(d, name) for d in FONT_DIRS if os.path.exists(os.path.join(d, name))), None)
        if path is None:
            continue
        try:
            opts = subset.Options()
            opts.layout_features = ["*"]
            opts.name_IDs = ["*"]
            opts.hinting = False
            opts.notdef_outline = True
            font = subset.load_font(path, opts)
            subsetter = subset.Subsetter(opts)
            subsetter.populate(unicodes=RANGES)
            subsetter.subset(font)
            out = os.path.join(directory, name)
            subset.save_font(font, out, opts)
            rules.append('@font-face { font-family: "%s"; font-weight: %s; src: url("file://%s"); }'
                         % (family, weight, out))
        except Exception:
            continue
    return "\n".join(rules)


from weasyprint.text.fonts import FontConfiguration

font_dir = tempfile.TemporaryDirectory(prefix="relanced-fonts-")
font_config = FontConfiguration()
stylesheets = [weasyprint.CSS(string=presubset_fonts(font_dir.name) or "/* no fonts */", font_config=font_config)]
base_url = sys.argv[1] if len(sys.argv) > 1 else "/"
# Warm up (loads fonts and caches) so that the first letter is not slower than the others.
weasyprint.HTML(string="<p>relanced</p>", base_url=base_url).write_pdf(
    stylesheets=stylesheets, font_config=font_config)
reply(b"R")
while True:
    header = inp.read(4)
    if len(header) < 4:
        break
    (length,) = struct.unpack(">I", header)
    html = inp.read(length).decode("utf-8", "replace")
    try:
        document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
        pdf = document.write_pdf(stylesheets=stylesheets, font_config=font_config)
        reply(b"O", pdf)
    except Exception as exc:
        reply(b"E", ("%s: %s" % (type(exc).__name__, exc)).encode("utf-8", "replace")[:2000])
font_dir.cleanup()
