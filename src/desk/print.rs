//! A run's letters as ONE PDF to print recto-verso: the PDFs of the run's letter actions
//! that were done (in the outbox, paths in the ledger), in the order they were recorded,
//! each starting on a recto — a blank page follows a letter with an odd page count (not
//! the last one) — and pages never scaled nor moved, so the address stays in the envelope
//! window. Merged with `lopdf`: each letter's objects renumbered into one document under a
//! new page tree; attributes a page inherited from its own tree (media box, resources)
//! are copied onto it first.

use super::DeskError;
use crate::app::App;
use crate::ledger::{ActionKind, ActionState, RunId};
use lopdf::{Dictionary, Document, Object, ObjectId};

/// The letters of a run, ready to print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrintBundle {
    pub pdf: Vec<u8>,
    pub letters: usize,
    /// Sheets of paper printed recto-verso: `pages / 2`, rounded up.
    pub sheets: usize,
    /// Pages in `pdf`, blank ones included.
    pub pages: usize,
    /// Blank pages inserted so that each letter starts on a recto.
    pub blanks: usize,
}

/// All of `run`'s letters as one PDF. A run without letters gives an empty bundle
/// (`letters == 0`, no PDF bytes).
pub async fn run_letters_for_print(app: &App, run: RunId) -> Result<PrintBundle, DeskError> {
    let ledger = app.ledger().await?;
    let (_, actions) = ledger.show_run(run).await?;
    let mut letters = Vec::new();
    for action in actions
        .iter()
        .filter(|a| a.kind == ActionKind::Letter && a.state == ActionState::Done)
    {
        let path = action
            .document_path
            .as_deref()
            .ok_or_else(|| DeskError::Print {
                run,
                detail: format!("{} ({}) has no document path", action.id, action.key),
            })?;
        let bytes = std::fs::read(path).map_err(|e| DeskError::Print {
            run,
            detail: format!("cannot read the letter of {} at {path}: {e}", action.id),
        })?;
        letters.push((path.to_owned(), bytes));
    }
    bundle_letters(&letters).map_err(|detail| DeskError::Print { run, detail })
}

/// Merges `letters` (a name for messages, the PDF bytes) into one PDF, each letter
/// starting on an odd page.
pub fn bundle_letters(letters: &[(String, Vec<u8>)]) -> Result<PrintBundle, String> {
    if letters.is_empty() {
        return Ok(PrintBundle {
            pdf: Vec::new(),
            letters: 0,
            sheets: 0,
            pages: 0,
            blanks: 0,
        });
    }
    let mut merged = Document::with_version("1.7");
    let mut next_id = 1;
    // The page tree's id is taken once every letter's objects are in.
    let mut kids: Vec<Page> = Vec::new();
    let mut blanks = 0;
    for (index, (name, bytes)) in letters.iter().enumerate() {
        let mut doc =
            Document::load_mem(bytes).map_err(|e| format!("{name} is not a readable PDF: {e}"))?;
        doc.renumber_objects_with(next_id);
        next_id = doc.max_id + 1;
        let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
        if pages.is_empty() {
            return Err(format!("{name} has no page"));
        }
        let mut last_box = None;
        for &page in &pages {
            let mut dict = doc
                .get_dictionary(page)
                .map_err(|e| format!("{name}: page {page:?}: {e}"))?
                .clone();
            for key in [&b"MediaBox"[..], b"Resources", b"CropBox", b"Rotate"] {
                if !dict.has(key)
                    && let Some(value) = inherited(&doc, page, key)
                {
                    dict.set(key, value);
                }
            }
            last_box = dict.get(b"MediaBox").ok().cloned();
            kids.push(Page::Letter(page, dict));
        }
        for (id, object) in std::mem::take(&mut doc.objects) {
            if matches!(object.type_name(), Ok(b"Catalog" | b"Pages" | b"Page")) {
                continue;
            }
            merged.objects.insert(id, object);
        }
        if pages.len() % 2 == 1 && index + 1 < letters.len() {
            kids.push(Page::Blank(last_box.unwrap_or_else(a4)));
            blanks += 1;
        }
    }
    merged.max_id = next_id;
    let tree = merged.new_object_id();
    let mut refs = Vec::with_capacity(kids.len());
    for kid in kids {
        let (id, mut dict) = match kid {
            Page::Letter(id, dict) => (id, dict),
            Page::Blank(media_box) => {
                let mut dict = Dictionary::new();
                dict.set("Type", Object::Name(b"Page".to_vec()));
                dict.set("MediaBox", media_box);
                dict.set("Resources", Object::Dictionary(Dictionary::new()));
                (merged.new_object_id(), dict)
            }
        };
        dict.set("Parent", Object::Reference(tree));
        merged.objects.insert(id, Object::Dictionary(dict));
        refs.push(Object::Reference(id));
    }
    let pages = refs.len();
    let mut tree_dict = Dictionary::new();
    tree_dict.set("Type", Object::Name(b"Pages".to_vec()));
    tree_dict.set("Count", Object::Integer(pages as i64));
    tree_dict.set("Kids", Object::Array(refs));
    merged.objects.insert(tree, Object::Dictionary(tree_dict));
    let mut catalog = Dictionary::new();
    catalog.set("Type", Object::Name(b"Catalog".to_vec()));
    catalog.set("Pages", Object::Reference(tree));
    let catalog = merged.add_object(Object::Dictionary(catalog));
    merged.trailer.set("Root", Object::Reference(catalog));
    merged.compress();
    let mut pdf = Vec::new();
    merged
        .save_to(&mut pdf)
        .map_err(|e| format!("cannot write the merged PDF: {e}"))?;
    Ok(PrintBundle {
        pdf,
        letters: letters.len(),
        sheets: pages.div_ceil(2),
        pages,
        blanks,
    })
}

/// A page of the merged document: a letter's (its id and dictionary) or a blank one (its
/// media box).
enum Page {
    Letter(ObjectId, Dictionary),
    Blank(Object),
}

/// An A4 media box, in points.
fn a4() -> Object {
    Object::Array(vec![
        Object::Integer(0),
        Object::Integer(0),
        Object::Real(595.28),
        Object::Real(841.89),
    ])
}

/// An attribute a page inherits from its page tree (PDF 1.7, 7.7.3.4).
fn inherited(doc: &Document, page: ObjectId, key: &[u8]) -> Option<Object> {
    let mut current = doc.get_dictionary(page).ok()?;
    // A page tree is shallow; the bound only guards against a cycle in a broken file.
    for _ in 0..64 {
        if let Ok(value) = current.get(key) {
            return Some(value.clone());
        }
        let parent = current.get(b"Parent").ok()?.as_reference().ok()?;
        current = doc.get_dictionary(parent).ok()?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PDF of `pages` pages whose media box and resources sit on the page tree only
    /// (inherited), as some producers write them.
    fn inheriting_pdf(pages: usize, width: i64) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let tree = doc.new_object_id();
        let kids: Vec<Object> = (0..pages)
            .map(|_| {
                let mut page = Dictionary::new();
                page.set("Type", Object::Name(b"Page".to_vec()));
                page.set("Parent", Object::Reference(tree));
                Object::Reference(doc.add_object(Object::Dictionary(page)))
            })
            .collect();
        let mut node = Dictionary::new();
        node.set("Type", Object::Name(b"Pages".to_vec()));
        node.set("Count", Object::Integer(pages as i64));
        node.set("Kids", Object::Array(kids));
        node.set(
            "MediaBox",
            Object::Array(vec![0.into(), 0.into(), width.into(), 842.into()]),
        );
        node.set("Resources", Object::Dictionary(Dictionary::new()));
        doc.objects.insert(tree, Object::Dictionary(node));
        let mut catalog = Dictionary::new();
        catalog.set("Type", Object::Name(b"Catalog".to_vec()));
        catalog.set("Pages", Object::Reference(tree));
        let root = doc.add_object(Object::Dictionary(catalog));
        doc.trailer.set("Root", Object::Reference(root));
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("save");
        out
    }

    fn widths(pdf: &[u8]) -> Vec<i64> {
        let doc = Document::load_mem(pdf).expect("the bundle loads");
        doc.get_pages()
            .into_values()
            .map(|id| {
                let page = doc.get_dictionary(id).expect("page");
                let media = page.get(b"MediaBox").expect("own media box");
                let media = media.as_array().expect("array");
                media[2]
                    .as_i64()
                    .or_else(|_| media[2].as_float().map(|f| f as i64))
                    .expect("width")
            })
            .collect()
    }

    #[test]
    fn inherited_media_boxes_travel_with_their_pages_and_blanks_take_the_last_one() {
        let letters = vec![
            ("a".to_owned(), inheriting_pdf(1, 595)),
            ("b".to_owned(), inheriting_pdf(3, 600)),
            ("c".to_owned(), inheriting_pdf(2, 610)),
        ];
        let bundle = bundle_letters(&letters).expect("bundles");
        // a (1) + blank, b (3) + blank, c (2): c is last and even.
        assert_eq!((bundle.pages, bundle.blanks, bundle.sheets), (8, 2, 4));
        assert_eq!(
            widths(&bundle.pdf),
            [595, 595, 600, 600, 600, 600, 610, 610]
        );
    }

    #[test]
    fn a_single_odd_letter_gets_no_trailing_blank() {
        let bundle = bundle_letters(&[("a".to_owned(), inheriting_pdf(3, 595))]).expect("ok");
        assert_eq!((bundle.pages, bundle.blanks, bundle.sheets), (3, 0, 2));
    }
}
