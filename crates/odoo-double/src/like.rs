//! SQL `LIKE` as PostgreSQL evaluates Odoo's `like`, `ilike`, `=like` and
//! `=ilike`: `%` matches any run, `_` one character. Text only; no domain
//! knowledge.

/// `insensitive`: `ilike`/`=ilike`. `anchored`: `=like`/`=ilike` use the
/// pattern as given; `like`/`ilike` look for it anywhere (`%pattern%`).
pub fn matches(text: &str, pattern: &str, insensitive: bool, anchored: bool) -> bool {
    let (t, p) = if insensitive {
        (text.to_lowercase(), pattern.to_lowercase())
    } else {
        (text.to_owned(), pattern.to_owned())
    };
    if anchored {
        return sql_like(&t, &p);
    }
    if !p.contains(['%', '_']) {
        return t.contains(&p);
    }
    sql_like(&t, &format!("%{p}%"))
}

fn sql_like(text: &str, pattern: &str) -> bool {
    let t: Vec<char> = text.chars().collect();
    let p: Vec<char> = pattern.chars().collect();
    // Classic two-pointer wildcard matching with backtracking on '%'.
    let (mut ti, mut pi) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '_' || p[pi] == t[ti]) {
            ti += 1;
            pi += 1;
        } else if pi < p.len() && p[pi] == '%' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '%' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn wildcards_behave_like_postgresql() {
        assert!(matches("INV/2026/00001", "inv/2026", true, false));
        assert!(!matches("INV/2026/00001", "inv/2026", false, false));
        assert!(matches("INV/2026/00001", "INV/%/0000_", false, true));
        assert!(!matches("INV/2026/00001", "INV/%/000_", false, true));
        assert!(matches("Relance : exclu", "relance%exclu", true, true));
        assert!(matches("abc", "%", false, true));
        assert!(!matches("", "_", false, true));
    }
}
