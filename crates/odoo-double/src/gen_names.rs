//! Word lists and the PRNG of the data generator: names with accents, a few
//! hostile ones, addresses per country. Deterministic: no clock, no OS
//! randomness. Data only; it builds no record.

/// splitmix64: tiny, fast, good enough for test data, stable across releases.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1).max(1) as u64) as i64
    }

    /// True with probability `pct` percent.
    pub fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

pub const FIRST: &[&str] = &[
    "Amélie",
    "Benoît",
    "Chloé",
    "Élodie",
    "François",
    "Gaëlle",
    "Hélène",
    "Jérôme",
    "Léa",
    "Noël",
    "Zoë",
    "Anaïs",
    "Maëlys",
    "Émile",
    "Cédric",
    "Sébastien",
    "Joëlle",
    "Jan",
    "Pieter",
    "Sofie",
    "Lotte",
    "Bram",
    "Wouter",
    "Inès",
    "Björn",
    "Siobhán",
    "Oliver",
    "Emily",
    "Grace",
    "John",
];

pub const LAST: &[&str] = &[
    "Dupont",
    "Lefèvre",
    "Müller",
    "Peeters",
    "Janssens",
    "Van den Broeck",
    "De Smet",
    "Côté",
    "Bélanger",
    "Smith",
    "O'Brien",
    "Moreau",
    "Girard",
    "Lemaître",
    "Fontaine",
    "Rousseau",
    "Claes",
    "Maes",
    "Willems",
    "Dubois",
    "Mercier",
    "Brown",
    "Taylor",
    "Nguyễn",
    "Łukasiewicz",
];

pub const TRADES: &[&str] = &[
    "Boulangerie",
    "Atelier",
    "Garage",
    "Brasserie",
    "Menuiserie",
    "Studio",
    "Pharmacie",
    "Imprimerie",
    "Bakkerij",
    "Drukkerij",
    "Transports",
    "Cabinet",
    "Clinique",
    "Hôtel",
    "Café",
];

pub const HOSTILE: &[&str] = &[
    "<script>alert(\"relance\")</script> SARL",
    "Robert'); DROP TABLE partners;-- & Co",
    "\"Quoted\" & <b>Bold</b> Ltd",
    "Ünïcødé ☃ & Søn 'Ltd'",
];

/// Legal form suffixes per country code.
pub fn suffixes(country: &str) -> &'static [&'static str] {
    match country {
        "FR" => &["SARL", "SAS", "SA", "& Fils", "Frères"],
        "BE" => &["BV", "NV", "SRL", "SA", "& Zonen"],
        "GB" => &["Ltd", "LLP", "& Sons"],
        _ => &["Inc.", "LLC", "Corp."],
    }
}

/// (street, zip, city) samples per country code.
pub fn addresses(country: &str) -> &'static [(&'static str, &'static str, &'static str)] {
    match country {
        "FR" => &[
            ("12 rue de la République", "69002", "Lyon"),
            ("3 place du Général-de-Gaulle", "59000", "Lille"),
            ("45 avenue Jean-Jaurès", "31000", "Toulouse"),
            ("8 quai des Chartrons", "33000", "Bordeaux"),
        ],
        "BE" => &[
            ("Grote Markt 7", "2000", "Antwerpen"),
            ("Rue Neuve 123", "1000", "Bruxelles"),
            ("Veldstraat 54", "9000", "Gent"),
            ("Place Saint-Lambert 2", "4000", "Liège"),
        ],
        "GB" => &[
            ("221B Baker Street", "NW1 6XE", "London"),
            ("1 Deansgate", "M3 1AZ", "Manchester"),
        ],
        _ => &[
            ("4557 De Silva St", "94538", "Fremont"),
            ("77 Santa Barbara Rd", "94523", "Pleasant Hill"),
        ],
    }
}

/// The label of an invoicing contact, in the customer's language.
pub fn invoice_contact(lang: &str) -> &'static str {
    match lang {
        "fr_FR" => "Service comptabilité",
        "nl_BE" => "Boekhouding",
        _ => "Accounts payable",
    }
}

/// An ASCII slug for email addresses.
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let c = match c {
            'à' | 'â' | 'ä' | 'á' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'ễ' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' | 'ø' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('.') && !out.is_empty() {
            out.push('.');
        }
    }
    let trimmed = out.trim_end_matches('.');
    if trimmed.is_empty() {
        "client".to_owned()
    } else {
        trimmed.to_owned()
    }
}
