//! The files mail transport and the document outbox: names, 0600/0700 permissions,
//! atomic replacement, and content that parses back to what was meant.

use crate::common::deliver as fixtures;
use crate::common::smtp as smtp_support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

use pretty_assertions::assert_eq;
use relanced::deliver::{FilesTransport, MailTransport, Outbox};
use sha2::{Digest, Sha256};

use fixtures::reminder;
use smtp_support::parse_eml_file;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn files_transport_writes_a_private_eml_and_html_named_after_the_message_id() {
    let root = tempfile::tempdir().expect("tempdir");
    let outbox = root.path().join("mail");
    let transport = MailTransport::Files(FilesTransport::new(&outbox));
    let mut email = reminder("run-3/customer-9/level-1");
    // 2026-03-15T10:00:00Z
    email.date = Some(UNIX_EPOCH + Duration::from_secs(1_773_568_800));

    let sent = transport.send(&email).await.expect("written");

    let day = outbox.join("2026-03-15");
    let stem = email.message_id.trim_matches(['<', '>']).to_owned();
    assert_eq!(
        files_in(&day),
        [format!("{stem}.eml"), format!("{stem}.html")]
    );
    let eml = day.join(format!("{stem}.eml"));
    assert_eq!(sent.path.as_deref(), Some(eml.as_path()));
    assert_eq!(mode(&eml), 0o600);
    assert_eq!(mode(&day.join(format!("{stem}.html"))), 0o600);
    assert_eq!(mode(&day), 0o700);
    assert_eq!(mode(&outbox), 0o700);

    assert_eq!(std::fs::read(&eml).expect("eml"), sent.eml);
    let parsed = parse_eml_file(&eml);
    assert_eq!(parsed["headers"]["message-id"], email.message_id.as_str());
    assert_eq!(parsed["headers"]["subject"], email.subject.as_str());
    assert_eq!(
        parsed["headers"]["to"],
        "Müller & Söhne <buchhaltung@mueller-soehne.example>"
    );
    assert_eq!(
        parsed["parts"][4]["filename"],
        "Relance F2024-0042 Müller.pdf"
    );
    assert_eq!(
        std::fs::read_to_string(day.join(format!("{stem}.html"))).expect("html"),
        email.html
    );
}

#[tokio::test]
async fn files_transport_sending_twice_replaces_the_same_file() {
    let root = tempfile::tempdir().expect("tempdir");
    let transport = FilesTransport::new(root.path());
    let mut email = reminder("k-twice");
    email.date = Some(UNIX_EPOCH + Duration::from_secs(1_773_568_800));
    let first = transport.send(&email).expect("first");
    let second = transport.send(&email).expect("second");
    assert_eq!(first.path, second.path);
    assert_eq!(
        files_in(&root.path().join("2026-03-15")).len(),
        2,
        ".eml and .html only"
    );
}

#[test]
fn outbox_stores_private_files_and_returns_their_sha256() {
    let root = tempfile::tempdir().expect("tempdir");
    let outbox = Outbox::new(root.path().join("outbox"));
    let bytes = b"%PDF-1.7 letter for M\xc3\xbcller".to_vec();
    let (path, sha) = outbox
        .store("run-12", "Müller & Söhne", "relance-2.pdf", &bytes)
        .expect("stored");

    assert_eq!(
        path,
        root.path()
            .join("outbox/run-12/Müller & Söhne/relance-2.pdf")
    );
    assert_eq!(std::fs::read(&path).expect("read"), bytes);
    assert_eq!(sha, hex::encode(Sha256::digest(&bytes)));
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().expect("customer dir")), 0o700);
    assert_eq!(mode(&root.path().join("outbox/run-12")), 0o700);
    assert_eq!(mode(&root.path().join("outbox")), 0o700);

    // Replacing is atomic and leaves no temporary file behind.
    let (again, sha2) = outbox
        .store("run-12", "Müller & Söhne", "relance-2.pdf", b"v2")
        .expect("replaced");
    assert_eq!(again, path);
    assert_ne!(sha2, sha);
    assert_eq!(std::fs::read(&path).expect("read"), b"v2");
    assert_eq!(files_in(path.parent().expect("dir")), ["relance-2.pdf"]);
}

#[test]
fn outbox_never_writes_outside_its_root() {
    let root = tempfile::tempdir().expect("tempdir");
    let outbox = Outbox::new(root.path().join("outbox"));
    let (path, _) = outbox
        .store("..", "../../etc", "../passwd", b"x")
        .expect("stored");
    assert!(
        path.starts_with(root.path().join("outbox")),
        "{}",
        path.display()
    );
    assert!(
        !path.components().any(|c| c.as_os_str() == ".."),
        "{}",
        path.display()
    );
}

#[test]
fn outbox_reports_the_path_it_cannot_write() {
    let root = tempfile::tempdir().expect("tempdir");
    let blocker = root.path().join("not-a-dir");
    std::fs::write(&blocker, b"file").expect("write");
    let err = Outbox::new(&blocker)
        .store("r", "c", "n.pdf", b"x")
        .expect_err("must fail");
    assert!(err.to_string().contains("not-a-dir"), "{err}");
}
