//! Preparing a customer's actions: renders the documents, writes every action's payload,
//! and returns the actions in the order they are performed: letter, email, state,
//! attachment, note, activities, marker. The ledger state is recorded right after the
//! communication leaves (email or letter), before the Odoo writes, so that a failing
//! Odoo write can never make the same reminder be planned and sent again.

use crate::deliver::{Mailbox, Outbox, message_id_for};
use crate::execute::ExecuteError;
use crate::execute::activities::activities;
use crate::execute::compose::{ComposeContext, compose};
use crate::execute::note::{Channels, note_html};
use crate::execute::payload::{self, Payload, StoredFile};
use crate::followup::{Communication as Planned, CustomerId, Decision, PlannedAction, Strategy};
use crate::ledger::{
    ActionKey, ActionKind, LastCommunication, NewAction, Occasion, StoredItemLevel,
};
use crate::render::Templates;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Resolved ids the actions need.
pub struct Ids<'a> {
    /// Marker tag ids by name.
    pub tags: &'a BTreeMap<String, i64>,
    /// Activity type id of phone calls.
    pub call_type: Option<i64>,
    /// Activity type ids by the name or xmlid written in configuration.
    pub activity_types: &'a BTreeMap<String, i64>,
}

/// One action, ready to record and perform.
pub struct Prepared {
    pub planned: NewAction,
    pub payload: Payload,
}

pub struct Preparation {
    pub actions: Vec<Prepared>,
    /// The customer has no email address: a letter replaces the email.
    pub no_email: bool,
}

fn key(
    company: i64,
    customer: CustomerId,
    level_key: &str,
    as_of: NaiveDate,
    kind: ActionKind,
    part: Option<&str>,
) -> ActionKey {
    ActionKey {
        company_id: company.into(),
        customer_id: customer,
        level_key: level_key.to_owned(),
        occasion: Occasion::AsOf(as_of),
        kind,
        part: part.map(str::to_owned),
    }
}

fn push(
    out: &mut Vec<Prepared>,
    outbox: &Outbox,
    k: ActionKey,
    level: u32,
    recipients: Vec<String>,
    p: Payload,
) -> Result<(), ExecuteError> {
    payload::store(outbox, &k.to_string(), &p)?;
    out.push(Prepared {
        planned: NewAction {
            key: k,
            level_index: level,
            recipients,
        },
        payload: p,
    });
    Ok(())
}

/// The marker change a decision asks for, if the customer's tags differ from it.
pub fn marker_change(
    decision: &Decision,
    current_tags: &[i64],
    ids: &Ids<'_>,
) -> Option<(Option<i64>, Vec<i64>)> {
    let add = decision
        .marker
        .as_ref()
        .and_then(|m| ids.tags.get(&m.tag).copied());
    let remove: Vec<i64> = decision
        .markers_to_remove
        .iter()
        .map(|t| t.id)
        .filter(|id| Some(*id) != add)
        .collect();
    let needs_add = add.is_some_and(|id| !current_tags.contains(&id));
    (needs_add || !remove.is_empty()).then_some((add, remove))
}

/// Only the marker action (customers with nothing to send, whose marker changes).
pub fn prepare_marker(
    outbox: &Outbox,
    company: i64,
    as_of: NaiveDate,
    decision: &Decision,
    change: (Option<i64>, Vec<i64>),
) -> Result<Prepared, ExecuteError> {
    let level_key = decision
        .marker
        .as_ref()
        .map(|m| format!("marker{}", m.level))
        .unwrap_or_else(|| "none".into());
    let k = key(
        company,
        decision.customer_id,
        &level_key,
        as_of,
        ActionKind::Marker,
        None,
    );
    let p = Payload::Marker {
        partner_id: decision.customer_id.get(),
        add: change.0,
        remove: change.1,
    };
    payload::store(outbox, &k.to_string(), &p)?;
    Ok(Prepared {
        planned: NewAction {
            key: k,
            level_index: 0,
            recipients: vec![],
        },
        payload: p,
    })
}

/// Everything a communication does, in order.
#[allow(clippy::too_many_arguments)]
pub fn prepare_communication(
    templates: &Templates,
    outbox: &Outbox,
    from: &Mailbox,
    reply_to: Option<&Mailbox>,
    ctx: &ComposeContext<'_>,
    strategy: &Strategy,
    decision: &Decision,
    planned: &Planned,
    ids: &Ids<'_>,
    current_tags: &[i64],
) -> Result<Preparation, ExecuteError> {
    let company = ctx.snapshot.company.id;
    let customer = decision.customer_id;
    let as_of = ctx.as_of;
    let level = planned.level;
    let k = |kind, part: Option<&str>| key(company, customer, &planned.key, as_of, kind, part);
    let reference = format!(
        "c{company}/p{customer}/l{}/{}",
        planned.key,
        as_of.format("%Y-%m-%d")
    );
    let view = compose(decision, planned, strategy, ctx, &reference);
    let mut out = Vec::new();

    let wants_email = planned
        .actions
        .iter()
        .any(|a| matches!(a, PlannedAction::Email));
    let letter_instead = planned.actions.iter().any(|a| {
        matches!(
            a,
            PlannedAction::Letter {
                instead_of_email: true
            }
        )
    });
    let wants_letter = planned
        .actions
        .iter()
        .any(|a| matches!(a, PlannedAction::Letter { .. }));
    let recipients: Vec<String> = decision
        .recipients
        .iter()
        .map(|r| {
            Mailbox::new(
                Some(r.name.clone()),
                r.email.parse().unwrap_or_else(|_| from.email.clone()),
            )
            .to_string()
        })
        .collect();
    let valid_recipients: Vec<String> = decision
        .recipients
        .iter()
        .filter(|r| r.email.parse::<lettre::Address>().is_ok())
        .map(|r| r.email.clone())
        .collect();
    let no_email = decision.no_email || (wants_email && valid_recipients.is_empty());
    let letter = wants_letter || (wants_email && valid_recipients.is_empty());
    let dir = as_of.format("%Y-%m-%d").to_string();
    let customer_dir = format!("customer-{customer}");
    let filename = format!(
        "relance-{}-{}-{}.pdf",
        level,
        planned.key,
        as_of.format("%Y-%m-%d")
    );

    let mut pdf_file = None;
    if letter {
        let rendered = templates.render_letter(&view)?;
        let (html_path, _) = outbox
            .store(
                &dir,
                &customer_dir,
                &filename.replace(".pdf", ".html"),
                rendered.html.as_bytes(),
            )
            .map_err(ExecuteError::Mail)?;
        let pdf = StoredFile {
            filename: filename.clone(),
            mime: "application/pdf".into(),
            path: outbox.root().join(&dir).join(&customer_dir).join(&filename),
        };
        pdf_file = Some(pdf.clone());
        push(
            &mut out,
            outbox,
            k(ActionKind::Letter, None),
            level,
            vec![],
            Payload::Letter {
                html: html_path,
                pdf,
            },
        )?;
    }
    if wants_email && !valid_recipients.is_empty() {
        let rendered = templates.render_email(&view)?;
        let email_key = k(ActionKind::Email, None);
        let message_id = message_id_for(&email_key.to_string(), from);
        let to: Vec<String> = recipients
            .iter()
            .zip(&decision.recipients)
            .filter(|(_, r)| valid_recipients.contains(&r.email))
            .map(|(m, _)| m.clone())
            .collect();
        let p = Payload::Email(payload::EmailPayload {
            from: from.to_string(),
            to: to.clone(),
            reply_to: reply_to.map(ToString::to_string),
            subject: rendered.subject,
            html: rendered.html,
            text: rendered.text,
            attachments: pdf_file.clone().into_iter().collect(),
            message_id,
            recipient_partner_ids: decision.recipients.iter().map(|r| r.partner_id).collect(),
        });
        push(
            &mut out,
            outbox,
            email_key,
            level,
            valid_recipients.clone(),
            p,
        )?;
    }
    let items: Vec<(i64, StoredItemLevel)> = planned
        .record
        .iter()
        .map(|r| {
            let key = strategy
                .level(r.level)
                .map(|l| l.key.clone())
                .unwrap_or_default();
            (
                r.item_id,
                StoredItemLevel {
                    level_index: r.level,
                    level_key: key,
                    date: as_of,
                },
            )
        })
        .collect();
    let last = LastCommunication {
        level_index: level,
        level_key: planned.key.clone(),
        date: as_of,
    };
    push(
        &mut out,
        outbox,
        k(ActionKind::State, None),
        level,
        vec![],
        Payload::State {
            company_id: company.into(),
            customer_id: customer,
            last,
            items,
            paragraph: ctx.paragraphs.get(&customer).map(|p| p.id),
        },
    )?;

    let mut attachment_keys = Vec::new();
    if let Some(pdf) = &pdf_file {
        let ak = k(ActionKind::Attachment, None);
        attachment_keys.push(ak.to_string());
        push(
            &mut out,
            outbox,
            ak,
            level,
            vec![],
            Payload::Attachment {
                partner_id: customer.get(),
                file: pdf.clone(),
            },
        )?;
    }

    let (activity_lines, activities) = activities(decision, planned, ids, ctx.odoo_lang, |part| {
        k(ActionKind::Activity, Some(part))
    })?;

    let nk = k(ActionKind::Note, None);
    let token = nk.to_string();
    let channels = Channels {
        email_to: if wants_email && !valid_recipients.is_empty() {
            &valid_recipients
        } else {
            &[]
        },
        letter,
        letter_instead_of_email: letter_instead || (wants_email && valid_recipients.is_empty()),
        activities: &activity_lines,
    };
    let body = note_html(
        decision,
        &planned.label,
        level,
        &channels,
        &planned.explanation_odoo,
        ctx.odoo_lang,
        &token,
        ctx.approved_by,
    );
    push(
        &mut out,
        outbox,
        nk,
        level,
        vec![],
        Payload::Note {
            partner_id: customer.get(),
            body_html: body,
            attachment_keys,
            token,
        },
    )?;
    for (ak, p) in activities {
        push(&mut out, outbox, ak, level, vec![], p)?;
    }
    if let Some((add, remove)) = marker_change(decision, current_tags, ids) {
        push(
            &mut out,
            outbox,
            k(ActionKind::Marker, None),
            level,
            vec![],
            Payload::Marker {
                partner_id: customer.get(),
                add,
                remove,
            },
        )?;
    }
    Ok(Preparation {
        actions: out,
        no_email,
    })
}
