//! What Odoo's HTML sanitizer makes of a `message_post` body, for the bodies relanced
//! posts (checked against real 18 and 19): named character references become
//! characters except the markup ones, `&quot;` and `&#39;` in text become quotes, a
//! no-break space is written `&nbsp;`, style attributes are re-joined with `"; "`; a
//! plain-text body is escaped into one paragraph. It is not a general HTML parser.

/// What `message_post` stores of a plain-text body: escaped, in a paragraph, line
/// breaks kept as they are (no `<br>`), as the real 18 and 19 store it.
pub fn plaintext_to_html(text: &str) -> String {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!("<p>{escaped}</p>")
}

/// An HTML body as the sanitizer stores it.
pub fn sanitize_html(html: &str) -> String {
    let decoded = decode_entities(html);
    let mut out = String::with_capacity(decoded.len());
    let mut rest = decoded.as_str();
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open].replace("&quot;", "\""));
        let Some(close) = rest[open..].find('>') else {
            rest = &rest[open..];
            break;
        };
        out.push_str(&normalize_style(&rest[open..open + close + 1]));
        rest = &rest[open + close + 1..];
    }
    out.push_str(&rest.replace("&quot;", "\""));
    out
}

/// `style="a:1;b:2"` → `style="a:1; b:2"` inside one tag.
fn normalize_style(tag: &str) -> String {
    let Some(start) = tag.find("style=\"").map(|s| s + 7) else {
        return tag.to_owned();
    };
    let Some(len) = tag[start..].find('"') else {
        return tag.to_owned();
    };
    let joined: Vec<&str> = tag[start..start + len]
        .split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .collect();
    format!(
        "{}{}{}",
        &tag[..start],
        joined.join("; "),
        &tag[start + len..]
    )
}

/// Named character references become characters (except the markup ones, `&lt;`,
/// `&gt;`, `&amp;`, `&quot;`); a no-break space is written `&nbsp;`.
fn decode_entities(html: &str) -> String {
    const NAMED: &[(&str, &str)] = &[
        ("&eacute;", "é"),
        ("&egrave;", "è"),
        ("&ecirc;", "ê"),
        ("&euml;", "ë"),
        ("&agrave;", "à"),
        ("&acirc;", "â"),
        ("&ccedil;", "ç"),
        ("&ocirc;", "ô"),
        ("&ucirc;", "û"),
        ("&ugrave;", "ù"),
        ("&icirc;", "î"),
        ("&iuml;", "ï"),
        ("&Eacute;", "É"),
        ("&middot;", "·"),
        ("&euro;", "€"),
        ("&rsquo;", "’"),
        ("&#39;", "'"),
    ];
    let mut out = html.replace('\u{a0}', "&nbsp;");
    for (entity, ch) in NAMED {
        if out.contains(entity) {
            out = out.replace(entity, ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_stored_as_real_odoo_stores_them() {
        assert_eq!(
            sanitize_html(
                "<p style=\"color:#999999;font-size:9px\">O&#39;Brien &quot;x&quot; &lt;b&gt; 1&nbsp;&euro;</p>"
            ),
            "<p style=\"color:#999999; font-size:9px\">O'Brien \"x\" &lt;b&gt; 1&nbsp;€</p>"
        );
        assert_eq!(plaintext_to_html("a <b>\nc"), "<p>a &lt;b&gt;\nc</p>");
    }
}
