//! The personal paragraph of a customer's NEXT reminder: written by a person, kept in the
//! ledger (`customer_paragraphs`), shown in that reminder's email and letter (escaped, its
//! newlines as line breaks), and consumed when that reminder is actually sent — in the
//! transaction that records the communication — not when it is planned or previewed; a
//! crash before sending keeps it for the next run. One pending paragraph per customer: a
//! new one replaces it.

use super::{Actor, DeskError, InputProblem, followed_company};
use crate::app::App;
use crate::followup::{CompanyId, CustomerId};
use crate::ledger::Paragraph;

/// Longest paragraph accepted, in characters.
pub const MAX_PARAGRAPH_CHARS: usize = 2000;

/// Sets the paragraph of `customer`'s next reminder (replacing the pending one).
pub async fn set_paragraph(
    app: &App,
    company: CompanyId,
    customer: CustomerId,
    text: &str,
    by: &Actor,
) -> Result<Paragraph, DeskError> {
    let text = clean_text(text, MAX_PARAGRAPH_CHARS).map_err(|problem| DeskError::Input {
        what: "personal paragraph",
        customer,
        problem,
    })?;
    followed_company(app, company).await?;
    super::existing_customer(app, customer).await?;
    let ledger = app.ledger().await?;
    Ok(ledger
        .set_paragraph(company, customer, &text, &by.login, &by.name)
        .await?)
}

/// Removes the pending paragraph of `customer`; returns it (`None`: there was none).
pub async fn clear_paragraph(
    app: &App,
    company: CompanyId,
    customer: CustomerId,
    by: &Actor,
) -> Result<Option<Paragraph>, DeskError> {
    let ledger = app.ledger().await?;
    Ok(ledger.clear_paragraph(company, customer, &by.login).await?)
}

/// The paragraph waiting for `customer`'s next reminder, if any.
pub async fn pending_paragraph(
    app: &App,
    company: CompanyId,
    customer: CustomerId,
) -> Result<Option<Paragraph>, DeskError> {
    let ledger = app.ledger().await?;
    Ok(ledger.pending_paragraph(company, customer).await?)
}

/// Text a person typed, as kept: line ends normalised to `\n`, control characters and
/// bidi overrides removed (tabs become spaces), trailing spaces of each line and blank
/// lines around the text dropped; not empty, at most `max` characters. Markup is kept as
/// typed: it is escaped where it is shown.
pub fn clean_text(text: &str, max: usize) -> Result<String, InputProblem> {
    let unified = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\t', " ");
    let lines: Vec<String> = unified
        .split('\n')
        .map(|line| {
            crate::render::format::strip_control(line)
                .trim_end()
                .to_owned()
        })
        .collect();
    let kept = lines.join("\n");
    let kept = kept.trim_matches('\n').to_owned();
    if kept.trim().is_empty() {
        return Err(InputProblem::Empty);
    }
    let chars = kept.chars().count();
    if chars > max {
        return Err(InputProblem::TooLong { chars, max });
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_kept_as_typed_and_control_characters_go() {
        let text = clean_text("  <b>Merci</b> \u{7}\r\nLigne\u{202E} 2\t!\n\n", 2000).unwrap();
        assert_eq!(text, "  <b>Merci</b>\nLigne 2 !");
    }

    #[test]
    fn empty_and_too_long_texts_are_refused() {
        assert_eq!(clean_text(" \n \u{1}\n", 2000), Err(InputProblem::Empty));
        let long = "é".repeat(2001);
        assert_eq!(
            clean_text(&long, 2000),
            Err(InputProblem::TooLong {
                chars: 2001,
                max: 2000
            })
        );
        assert_eq!(
            clean_text(&"é".repeat(2000), 2000).map(|t| t.len()),
            Ok(4000)
        );
    }
}
