//! `relanced setup-odoo` through the binary, as an administrator: it creates the marker
//! tags with their colours, the exclusion tag, the strategy tags and the postponement
//! activity type, keeps what exists, and a second run creates nothing.

use crate::book::Book;
use crate::support::{Mail, Relanced, Target};
use serde_json::json;

const CONFIG: &str = r#"
[followup]
postponement_activity_type = "Relance : suspendue"

[[strategy]]
name = "standard"
default = true

[[strategy.level]]
key = "amical"
label = "Rappel amical"
offset_days = 3
actions = ["email"]
marker = { tag = "Relance 1", color = 10 }

[[strategy.level]]
key = "standard"
label = "Rappel standard"
offset_days = 15
actions = ["email"]
marker = { tag = "Relance 2 · Rappel standard", color = 3 }

[[strategy]]
name = "grands-comptes"
tag = "Relance : Grands comptes"

[[strategy.level]]
key = "urgent"
label = "Rappel urgent"
offset_days = 10
actions = ["email"]
marker = { tag = "Relance GC", color = 5 }
"#;

async fn setup_odoo_creates_what_runs_rely_on_once(target: Target) {
    let book = Book::copy(target);
    let db = &book.db;
    let (admin, key) = book.login_key("admin");
    let (bot, _) = book.login_key("bot");
    // The configuration names the bot; the administrator is given on the command line.
    let relanced = Relanced::new(db, target, &bot, "unused", Mail::Files, CONFIG);
    let key_file = relanced.dir.path().join("admin-key");
    std::fs::write(&key_file, format!("{key}\n")).unwrap();
    let key_file = key_file.display().to_string();
    let args = ["setup-odoo", "--login", &admin, "--key-file", &key_file];
    let tags_before = db
        .search_read("res.partner.category", json!([]), &["name"])
        .await;

    let (code, stdout, stderr) = relanced.run(&args).await;
    assert_eq!(code, Some(0), "setup-odoo: {stdout}\n{stderr}");
    for created in [
        "created  tag \"Relance 2 · Rappel standard\"",
        "created  tag \"Relance GC\"",
        "created  tag \"Relance : exclu\"",
        "created  tag \"Relance : Grands comptes\"",
        "created  activity type for postponements",
    ] {
        assert!(stdout.contains(created), "{created:?} in:\n{stdout}");
    }
    assert!(stdout.contains("existing tag \"Relance 1\""), "{stdout}");
    assert!(
        stdout.contains("Invoicing / Invoicing (Odoo 19: Accounting / Invoicing)"),
        "{stdout}"
    );

    let tags = db
        .search_read("res.partner.category", json!([]), &["name", "color"])
        .await;
    assert_eq!(tags.len(), tags_before.len() + 4, "{tags:?}");
    let colour = |name: &str| {
        tags.iter()
            .find(|t| t["name"] == json!(name))
            .map(|t| t["color"].clone())
    };
    assert_eq!(colour("Relance 2 · Rappel standard"), Some(json!(3)));
    assert_eq!(colour("Relance GC"), Some(json!(5)));
    assert_eq!(colour("Relance : exclu"), Some(json!(0)));
    assert_eq!(colour("Relance : Grands comptes"), Some(json!(0)));
    assert_eq!(colour("Relance 1"), Some(json!(10)), "kept as it was");
    let types = db
        .search_read(
            "mail.activity.type",
            json!([["name", "=", "Relance : suspendue"]]),
            &["name", "category", "res_model"],
        )
        .await;
    assert_eq!(types.len(), 1, "{types:?}");

    // A second run: everything exists, nothing is created.
    let (code, stdout, stderr) = relanced.run(&args).await;
    assert_eq!(code, Some(0), "setup-odoo again: {stdout}\n{stderr}");
    assert!(!stdout.contains("created"), "{stdout}");
    assert_eq!(stdout.matches("existing tag").count(), 5, "{stdout}");
    assert!(
        stdout.contains("existing activity type for postponements"),
        "{stdout}"
    );
    let again = db
        .search_read("res.partner.category", json!([]), &["name"])
        .await;
    assert_eq!(again.len(), tags.len());
    let types = db
        .search_read(
            "mail.activity.type",
            json!([["name", "=", "Relance : suspendue"]]),
            &["name"],
        )
        .await;
    assert_eq!(types.len(), 1);

    // The bot user may not create activity types: setup needs an administrator.
    let (bot_login, bot_key) = book.login_key("bot");
    let relanced = Relanced::new(db, target, &bot_login, &bot_key, Mail::Files, CONFIG);
    let key_file = relanced.dir.path().join("bot-key");
    std::fs::write(&key_file, &bot_key).unwrap();
    let other = CONFIG.replace("Relance : suspendue", "Relance : autre");
    std::fs::write(
        &relanced.config,
        std::fs::read_to_string(&relanced.config)
            .unwrap()
            .replace(CONFIG, &other),
    )
    .unwrap();
    let (code, stdout, stderr) = relanced
        .run(&["setup-odoo", "--key-file", &key_file.display().to_string()])
        .await;
    assert_ne!(code, Some(0), "setup-odoo as the bot: {stdout}\n{stderr}");
    assert!(stderr.contains("mail.activity.type"), "{stderr}");
}
on_each_target!(setup_odoo_creates_what_runs_rely_on_once);
