#!/usr/bin/env python3
"""Decodes an .eml file with Python's email package and prints it as JSON.

Used by relanced's tests as an independent MIME decoder: headers are decoded
(RFC 2047 encoded words), parts are listed with their content type, file name and
decoded content (text for text/*, base64 for the rest).
"""
import base64
import json
import sys
from email import policy
from email.parser import BytesParser


def main():
    with open(sys.argv[1], "rb") as f:
        msg = BytesParser(policy=policy.default).parse(f)
    headers = {k.lower(): str(v) for k, v in msg.items()}
    parts = []
    for part in msg.walk():
        if part.is_multipart():
            parts.append({"content_type": part.get_content_type(), "multipart": True})
            continue
        payload = part.get_payload(decode=True) or b""
        entry = {
            "content_type": part.get_content_type(),
            "filename": part.get_filename(),
            "disposition": part.get_content_disposition(),
        }
        if part.get_content_maintype() == "text":
            entry["text"] = payload.decode(part.get_content_charset() or "utf-8")
        else:
            entry["base64"] = base64.b64encode(payload).decode()
        parts.append(entry)
    print(json.dumps({"headers": headers, "parts": parts}, ensure_ascii=False))


if __name__ == "__main__":
    main()
