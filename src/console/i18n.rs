//! The console's words in its three languages (English, French, Dutch), chosen from the
//! user's Odoo `lang` (`fr_BE` → French, `nl_BE` → Dutch, anything else → English).
//! Templates read them as `t.key`; a test checks that every key a template uses exists.

use std::collections::BTreeMap;

/// `(key, en, fr, nl)`.
const WORDS: &[(&str, &str, &str, &str)] = &[
    (
        "app_name",
        "relanced · credit control",
        "relanced · recouvrement",
        "relanced · kredietbeheer",
    ),
    (
        "skip",
        "Skip to content",
        "Aller au contenu",
        "Naar de inhoud",
    ),
    ("nav", "Main menu", "Menu principal", "Hoofdmenu"),
    ("nav_today", "Today", "Aujourd'hui", "Vandaag"),
    ("nav_launch", "Launch", "Lancer", "Starten"),
    (
        "nav_approvals",
        "Approvals",
        "Approbations",
        "Goedkeuringen",
    ),
    ("nav_runs", "Runs", "Exécutions", "Uitvoeringen"),
    (
        "nav_uncertain",
        "Uncertain emails",
        "Emails incertains",
        "Onzekere e-mails",
    ),
    ("logout", "Log out", "Se déconnecter", "Afmelden"),
    (
        "login_title",
        "Sign in with your Odoo account",
        "Connexion avec votre compte Odoo",
        "Aanmelden met uw Odoo-account",
    ),
    ("login", "Login", "Identifiant", "Gebruikersnaam"),
    (
        "password",
        "Password or API key",
        "Mot de passe ou clé API",
        "Wachtwoord of API-sleutel",
    ),
    ("sign_in", "Sign in", "Se connecter", "Aanmelden"),
    (
        "login_failed",
        "Wrong login or password.",
        "Identifiant ou mot de passe incorrect.",
        "Onjuiste gebruikersnaam of wachtwoord.",
    ),
    (
        "login_denied",
        "Your Odoo account may not use this console: it lacks the required group.",
        "Votre compte Odoo n'a pas accès à cette console : il lui manque le groupe requis.",
        "Uw Odoo-account heeft geen toegang tot deze console: de vereiste groep ontbreekt.",
    ),
    (
        "login_wait",
        "Too many failed attempts. Try again in (seconds):",
        "Trop d'échecs. Réessayez dans (secondes) :",
        "Te veel mislukte pogingen. Probeer opnieuw over (seconden):",
    ),
    (
        "odoo_down",
        "Odoo cannot be reached; try again later.",
        "Odoo est injoignable ; réessayez plus tard.",
        "Odoo is onbereikbaar; probeer later opnieuw.",
    ),
    (
        "today_title",
        "What the next run will send",
        "Ce que la prochaine exécution enverra",
        "Wat de volgende uitvoering zal verzenden",
    ),
    ("as_of", "As of", "À la date du", "Op datum van"),
    (
        "next_run",
        "Next run",
        "Prochaine exécution",
        "Volgende uitvoering",
    ),
    (
        "not_scheduled",
        "not scheduled by this process",
        "non planifiée par ce processus",
        "niet gepland door dit proces",
    ),
    (
        "last_run",
        "Last run",
        "Dernière exécution",
        "Laatste uitvoering",
    ),
    ("none", "none", "aucune", "geen"),
    (
        "in_progress",
        "Run in progress",
        "Exécution en cours",
        "Uitvoering bezig",
    ),
    (
        "customers_done",
        "customers done",
        "clients traités",
        "klanten verwerkt",
    ),
    (
        "refreshing",
        "This page refreshes by itself.",
        "Cette page se met à jour d'elle-même.",
        "Deze pagina ververst vanzelf.",
    ),
    ("level", "Level", "Niveau", "Niveau"),
    ("customer", "Customer", "Client", "Klant"),
    ("customers", "customers", "clients", "klanten"),
    ("reason", "Reason", "Raison", "Reden"),
    ("channel", "Channel", "Canal", "Kanaal"),
    (
        "no_email_title",
        "Without email (a letter instead)",
        "Sans email (un courrier à la place)",
        "Zonder e-mail (een brief in de plaats)",
    ),
    (
        "awaiting_title",
        "Awaiting approval",
        "En attente d'approbation",
        "Wacht op goedkeuring",
    ),
    ("nothing", "Nothing.", "Rien.", "Niets."),
    (
        "open_items",
        "Open items",
        "Pièces ouvertes",
        "Openstaande posten",
    ),
    ("invoice", "Invoice", "Facture", "Factuur"),
    ("due_date", "Due date", "Échéance", "Vervaldatum"),
    (
        "days_overdue",
        "Days overdue",
        "Jours de retard",
        "Dagen achterstallig",
    ),
    ("amount", "Amount due", "Montant dû", "Verschuldigd bedrag"),
    (
        "history",
        "Reminders already sent",
        "Relances déjà envoyées",
        "Reeds verzonden herinneringen",
    ),
    ("date", "Date", "Date", "Datum"),
    ("recipients", "Recipients", "Destinataires", "Ontvangers"),
    ("documents", "Documents", "Documents", "Documenten"),
    ("state", "State", "État", "Status"),
    (
        "next_level",
        "Next level",
        "Prochain niveau",
        "Volgend niveau",
    ),
    ("decision", "Decision", "Décision", "Beslissing"),
    (
        "email_preview",
        "Email preview",
        "Aperçu de l'email",
        "Voorbeeld van de e-mail",
    ),
    (
        "letter_preview",
        "Letter preview (PDF)",
        "Aperçu du courrier (PDF)",
        "Voorbeeld van de brief (PDF)",
    ),
    (
        "open_letter",
        "Open the letter",
        "Ouvrir le courrier",
        "Brief openen",
    ),
    (
        "no_preview",
        "Nothing is due for this customer today.",
        "Rien n'est dû par ce client aujourd'hui.",
        "Deze klant is vandaag niets verschuldigd.",
    ),
    ("strategy", "Strategy", "Stratégie", "Strategie"),
    (
        "launch_title",
        "Launch a level by hand",
        "Lancer un niveau à la main",
        "Een niveau handmatig starten",
    ),
    (
        "show_due",
        "Show the customers due",
        "Afficher les clients concernés",
        "Betrokken klanten tonen",
    ),
    ("with_email", "With email", "Avec email", "Met e-mail"),
    (
        "without_email",
        "Without email",
        "Sans email",
        "Zonder e-mail",
    ),
    ("include", "Include", "Inclure", "Opnemen"),
    (
        "add_customers",
        "Add customers (ids, due for another level)",
        "Ajouter des clients (ids, dus pour un autre niveau)",
        "Klanten toevoegen (ids, verschuldigd voor een ander niveau)",
    ),
    ("launch", "Launch", "Lancer", "Starten"),
    (
        "launched",
        "The run has started.",
        "L'exécution a commencé.",
        "De uitvoering is gestart.",
    ),
    (
        "approve_selected",
        "Approve the selected",
        "Approuver la sélection",
        "Selectie goedkeuren",
    ),
    ("approve", "Approve", "Approuver", "Goedkeuren"),
    ("run", "Run", "Exécution", "Uitvoering"),
    ("kind", "Kind", "Type", "Soort"),
    ("status", "Status", "Statut", "Status"),
    ("started", "Started", "Début", "Begin"),
    ("finished", "Finished", "Fin", "Einde"),
    ("failures", "Failures", "Échecs", "Mislukkingen"),
    ("download", "Download", "Télécharger", "Downloaden"),
    (
        "confirm_sent",
        "It was sent",
        "Il a bien été envoyé",
        "Het is verzonden",
    ),
    ("send_again", "Send again", "Renvoyer", "Opnieuw verzenden"),
    ("action", "Action", "Action", "Actie"),
    (
        "error",
        "Something went wrong",
        "Une erreur est survenue",
        "Er ging iets mis",
    ),
    (
        "read_only",
        "You may look but not act (Odoo group).",
        "Vous pouvez consulter mais pas agir (groupe Odoo).",
        "U mag kijken maar niet handelen (Odoo-groep).",
    ),
    ("back", "Back", "Retour", "Terug"),
    ("letter", "letter", "courrier", "brief"),
    ("email", "email", "email", "e-mail"),
    ("select", "Select", "Choisir", "Kiezen"),
    ("summary", "Summary", "Résumé", "Samenvatting"),
    ("not_found", "Not found.", "Introuvable.", "Niet gevonden."),
    ("run_done", "finished", "terminée", "voltooid"),
    ("actions", "Actions", "Actions", "Acties"),
    ("postpone", "Postpone", "Reporter", "Uitstellen"),
    (
        "postponements",
        "Postponed",
        "Reports en cours",
        "Uitgesteld",
    ),
    ("until", "Until", "Jusqu'au", "Tot"),
    (
        "the_customer",
        "The whole customer",
        "Tout le client",
        "De hele klant",
    ),
    (
        "paragraph",
        "Personal paragraph for the next reminder",
        "Paragraphe personnel pour la prochaine relance",
        "Persoonlijke alinea voor de volgende herinnering",
    ),
    (
        "paragraph_text",
        "Text (added to the next email and letter only)",
        "Texte (ajouté à la prochaine relance seulement, email et courrier)",
        "Tekst (alleen toegevoegd aan de volgende e-mail en brief)",
    ),
    ("set_by", "Written by", "Écrit par", "Geschreven door"),
    ("save", "Save", "Enregistrer", "Opslaan"),
    ("clear", "Remove", "Retirer", "Verwijderen"),
    ("exclusion", "Follow-up", "Relances", "Opvolging"),
    (
        "excluded",
        "Excluded from follow-up",
        "Exclu des relances",
        "Uitgesloten van opvolging",
    ),
    (
        "exclude",
        "Exclude from follow-up",
        "Exclure des relances",
        "Uitsluiten van opvolging",
    ),
    (
        "include_again",
        "Follow up again",
        "Relancer à nouveau",
        "Opnieuw opvolgen",
    ),
    (
        "print_letters",
        "Print all letters (one PDF)",
        "Imprimer tous les courriers (un PDF)",
        "Alle brieven afdrukken (één pdf)",
    ),
    (
        "sheets",
        "Sheets (recto-verso)",
        "Feuilles (recto-verso)",
        "Vellen (recto-verso)",
    ),
    ("letters", "Letters", "Courriers", "Brieven"),
    ("act_planned", "planned", "prévu", "gepland"),
    ("act_started", "started", "commencé", "begonnen"),
    ("act_done", "done", "fait", "gedaan"),
    ("act_failed", "failed", "échec", "mislukt"),
    ("act_uncertain", "uncertain", "incertain", "onzeker"),
    ("kind_scheduled", "scheduled", "planifiée", "gepland"),
    (
        "kind_once",
        "by hand (once)",
        "à la main (once)",
        "handmatig (once)",
    ),
    ("kind_launch", "launch", "lancement", "lancering"),
    ("kind_approve", "approval", "approbation", "goedkeuring"),
    ("status_running", "running", "en cours", "bezig"),
    ("status_done", "done", "terminée", "voltooid"),
    ("status_failed", "failed", "échouée", "mislukt"),
    (
        "status_interrupted",
        "interrupted",
        "interrompue",
        "onderbroken",
    ),
];

/// The interface language for an Odoo `lang` code.
pub fn ui_lang(odoo_lang: Option<&str>) -> &'static str {
    match odoo_lang.unwrap_or("").get(..2) {
        Some("fr") => "fr",
        Some("nl") => "nl",
        _ => "en",
    }
}

/// Every word in `lang` (`fr`, `nl`, anything else: English), by key.
pub fn words(lang: &str) -> BTreeMap<&'static str, &'static str> {
    WORDS
        .iter()
        .map(|&(key, en, fr, nl)| {
            let text = match lang {
                "fr" => fr,
                "nl" => nl,
                _ => en,
            };
            (key, text)
        })
        .collect()
}

/// Whether `key` is a word of the table.
pub fn has(key: &str) -> bool {
    WORDS.iter().any(|w| w.0 == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odoo_languages_map_to_the_three_interface_languages() {
        assert_eq!(ui_lang(Some("fr_BE")), "fr");
        assert_eq!(ui_lang(Some("nl_BE")), "nl");
        assert_eq!(ui_lang(Some("en_US")), "en");
        assert_eq!(ui_lang(Some("de_DE")), "en");
        assert_eq!(ui_lang(None), "en");
    }

    #[test]
    fn every_word_is_said_in_three_languages_once() {
        let mut keys = std::collections::BTreeSet::new();
        for (key, en, fr, nl) in WORDS {
            assert!(keys.insert(key), "{key} twice");
            assert!(!en.is_empty() && !fr.is_empty() && !nl.is_empty(), "{key}");
        }
    }

    #[test]
    fn every_run_kind_and_status_has_its_word() {
        use crate::ledger::{RunKind, RunStatus};
        for kind in [
            RunKind::Scheduled,
            RunKind::Once,
            RunKind::Launch,
            RunKind::Approve,
        ] {
            assert!(has(&format!("kind_{}", kind.as_str())), "{kind}");
        }
        for status in [
            RunStatus::Running,
            RunStatus::Done,
            RunStatus::Failed,
            RunStatus::Interrupted,
        ] {
            assert!(has(&format!("status_{}", status.as_str())), "{status}");
        }
        use crate::ledger::ActionState as A;
        for state in [A::Planned, A::Started, A::Done, A::Failed, A::Uncertain] {
            assert!(has(&format!("act_{}", state.as_str())), "{state:?}");
        }
    }

    #[test]
    fn every_word_a_template_uses_exists() {
        for (name, source) in super::super::templates::SOURCES {
            let mut rest = *source;
            while let Some(at) = rest.find("t.") {
                let before = rest[..at].chars().last();
                rest = &rest[at + 2..];
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                    continue;
                }
                let key: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                assert!(has(&key), "{name} uses t.{key}, which is not in WORDS");
            }
        }
    }
}
