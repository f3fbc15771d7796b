//! The words of what relanced writes into Odoo besides the engine's explanation:
//! chatter notes (what was sent, to whom, the items, the totals), activity summaries and
//! the note asking a person to check an interrupted email. One table per language of
//! the company (`followup::Lang`); amounts and dates use the engine's `Words` of the
//! same language, so a note never mixes conventions. Text only.

use crate::followup::{Lang, Words};

/// The phrases of one language; `{…}` parameters are filled by `followup::words::fill`.
#[derive(Debug)]
pub struct NoteWords {
    /// `{level}`, `{label}`.
    pub heading: &'static str,
    /// `{to}`.
    pub email_to: &'static str,
    pub letter: &'static str,
    pub letter_instead: &'static str,
    /// Item, due date, days overdue, residual, level reached.
    pub columns: [&'static str; 5],
    /// Before the total of a currency.
    pub total_due: &'static str,
    /// `{overdue}`, `{fees}`, `{interest}`, `{indemnity}`.
    pub breakdown: &'static str,
    pub why: &'static str,
    /// Who approved a manual level: `{name}`.
    pub approved_by: &'static str,
    /// Default summary of a call activity: `{level}`, `{label}`.
    pub call_summary: &'static str,
    /// An activity in the note: `{summary}`, `{who}`, `{deadline}`.
    pub activity: &'static str,
    pub check_heading: &'static str,
    /// `{to}`, `{why}`, `{id}`, `{action}`; HTML, parameters escaped before filling.
    pub check_body: &'static str,
}

impl NoteWords {
    const EN: NoteWords = NoteWords {
        heading: "Reminder {level} · {label}",
        email_to: "Email to {to}",
        letter: "Letter (PDF attached)",
        letter_instead: " — no usable email address, letter instead",
        columns: ["Item", "Due", "Days", "Residual", "Level"],
        total_due: "Total due:",
        breakdown: "overdue {overdue}, fees {fees}, interest {interest}, indemnity {indemnity}",
        why: "Why:",
        approved_by: "Approved by {name}",
        call_summary: "Call the customer (reminder {level} · {label})",
        activity: "{summary} — {who} (due {deadline})",
        check_heading: "Reminder: please check",
        check_body: "relanced could not tell whether a reminder email to {to} was delivered ({why}). \
            It will not be sent again automatically. Check the sent mail, then run \
            <code>relanced resolve {id} --sent</code> or <code>relanced resolve {id} --resend</code> \
            (action {action}).",
    };

    const FR: NoteWords = NoteWords {
        heading: "Relance {level} · {label}",
        email_to: "E-mail envoyé à {to}",
        letter: "Lettre (PDF jointe)",
        letter_instead: " — pas d'adresse e-mail utilisable, lettre à la place",
        columns: ["Pièce", "Échéance", "Jours", "Solde", "Niveau"],
        total_due: "Total dû :",
        breakdown: "échu {overdue}, frais {fees}, intérêts {interest}, indemnité {indemnity}",
        why: "Pourquoi :",
        approved_by: "Approuvé par {name}",
        call_summary: "Appeler le client (relance {level} · {label})",
        activity: "{summary} — {who} (échéance {deadline})",
        check_heading: "Relance : à vérifier",
        check_body: "relanced ne sait pas si l'e-mail de relance à {to} a été remis ({why}). \
            Il ne sera pas renvoyé automatiquement. Vérifiez les e-mails envoyés, puis lancez \
            <code>relanced resolve {id} --sent</code> ou <code>relanced resolve {id} --resend</code> \
            (action {action}).",
    };

    const NL: NoteWords = NoteWords {
        heading: "Aanmaning {level} · {label}",
        email_to: "E-mail verzonden naar {to}",
        letter: "Brief (PDF bijgevoegd)",
        letter_instead: " — geen bruikbaar e-mailadres, brief in de plaats",
        columns: ["Stuk", "Vervaldatum", "Dagen", "Openstaand", "Niveau"],
        total_due: "Totaal verschuldigd:",
        breakdown: "vervallen {overdue}, kosten {fees}, interesten {interest}, vergoeding {indemnity}",
        why: "Waarom:",
        approved_by: "Goedgekeurd door {name}",
        call_summary: "Klant opbellen (aanmaning {level} · {label})",
        activity: "{summary} — {who} (uiterlijk {deadline})",
        check_heading: "Aanmaning: te controleren",
        check_body: "relanced weet niet of de aanmaning per e-mail aan {to} werd afgeleverd ({why}). \
            Ze wordt niet automatisch opnieuw verstuurd. Controleer de verzonden e-mails en voer dan \
            <code>relanced resolve {id} --sent</code> of <code>relanced resolve {id} --resend</code> uit \
            (actie {action}).",
    };

    /// The table of a language.
    pub fn of(lang: Lang) -> &'static NoteWords {
        match lang {
            Lang::Fr => &Self::FR,
            Lang::Nl => &Self::NL,
            Lang::En => &Self::EN,
        }
    }
}

/// The note's words and the amounts and dates of the same language.
pub fn for_lang(lang: Lang) -> (&'static NoteWords, &'static Words) {
    (NoteWords::of(lang), lang.words())
}
