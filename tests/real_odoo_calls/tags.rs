//! Tags: `ensure_tags` finds existing tags and creates the missing ones with their colour,
//! once; `set_marker` adds and removes markers in one write, other tags untouched.

use crate::book::Book;
use crate::support::Target;
use relanced::odoo::writeback::{ensure_tags, set_marker};
use serde_json::json;

async fn tags_are_created_once_and_markers_leave_other_tags_alone(target: Target) {
    let book = Book::copy(target);
    let bot = book.bot("bot", 80);
    let db = &book.db;
    let existing = db
        .search_read("res.partner.category", json!([]), &["name"])
        .await;
    let wanted = vec![
        ("Relance 1".to_owned(), 10),
        ("Relance 2 · Rappel standard".to_owned(), 3),
        ("Relance 3 · Urgent".to_owned(), 2),
    ];
    let ids = ensure_tags(&bot.client, &wanted)
        .await
        .expect("ensure_tags");
    assert_eq!(ids.len(), 3, "{ids:?}");
    let all = db
        .search_read("res.partner.category", json!([]), &["name", "color"])
        .await;
    assert_eq!(all.len(), existing.len() + 2, "two created: {all:?}");
    for (name, color) in &wanted {
        let tag = all
            .iter()
            .find(|t| t["name"] == json!(name))
            .unwrap_or_else(|| panic!("{name} in {all:?}"));
        assert_eq!(tag["id"].as_i64(), Some(ids[name]), "{name}");
        assert_eq!(tag["color"], json!(color), "{name}'s colour");
    }
    // Again: the same ids, nothing created.
    let again = ensure_tags(&bot.client, &wanted)
        .await
        .expect("ensure_tags again");
    assert_eq!(again, ids);
    let count = db
        .search_read("res.partner.category", json!([]), &["name"])
        .await
        .len();
    assert_eq!(count, all.len(), "nothing created the second time");

    // A customer with VIP and Relance 1 moves to Relance 2: VIP stays.
    let tagged = book.customer("tagged");
    let (r1, r2, r3) = (
        ids["Relance 1"],
        ids["Relance 2 · Rappel standard"],
        ids["Relance 3 · Urgent"],
    );
    set_marker(&bot.client, tagged, Some(r2), &[r1, r2, r3])
        .await
        .expect("set_marker 2");
    assert_eq!(
        db.tags_of(tagged).await,
        ["Relance 2 · Rappel standard", "VIP"]
    );
    // Setting the marker it has changes nothing.
    set_marker(&bot.client, tagged, Some(r2), &[r1, r2, r3])
        .await
        .expect("set_marker 2 again");
    assert_eq!(
        db.tags_of(tagged).await,
        ["Relance 2 · Rappel standard", "VIP"]
    );
    // Removing every marker keeps VIP only.
    set_marker(&bot.client, tagged, None, &[r1, r2, r3])
        .await
        .expect("set_marker none");
    assert_eq!(db.tags_of(tagged).await, ["VIP"]);
    // A customer without tags gets its first marker.
    let plain = book.customer("plain");
    set_marker(&bot.client, plain, Some(r3), &[r1, r2])
        .await
        .expect("set_marker on an untagged customer");
    assert_eq!(db.tags_of(plain).await, ["Relance 3 · Urgent"]);
}
on_each_target!(tags_are_created_once_and_markers_leave_other_tags_alone);
