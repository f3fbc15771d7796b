//! The document outbox: rendered letters and emails kept on disk, private to relanced.
//!
//! Files are written atomically (temporary file in the same directory, fsync, rename)
//! with mode 0600 in directories of mode 0700, so a crash never leaves a half-written
//! document and other local users cannot read customers' data. Path components coming
//! from data (run id, customer, file name) are sanitised; nothing outside the outbox
//! root is ever written. This module does not decide what to store nor delete anything.

use std::fs::{self, DirBuilder, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::error::MailError;

/// A directory tree holding the documents relanced produced.
#[derive(Debug, Clone)]
pub struct Outbox {
    root: PathBuf,
}

impl Outbox {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Outbox { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Stores `bytes` as `<root>/<run_id>/<customer>/<name>` and returns the path and
    /// the lowercase hex SHA-256 of the content. Storing again replaces the file.
    pub fn store(
        &self,
        run_id: &str,
        customer: &str,
        name: &str,
        bytes: &[u8],
    ) -> Result<(PathBuf, String), MailError> {
        let dir = self
            .root
            .join(safe_component(run_id))
            .join(safe_component(customer));
        let path = dir.join(safe_component(name));
        write_private(&path, bytes)?;
        Ok((path, hex::encode(Sha256::digest(bytes))))
    }
}

/// Turns data into one safe path component: no separators, no `..`, no leading dot,
/// no control characters; empty input becomes `_`.
pub fn safe_component(raw: &str) -> String {
    let mut out: String = raw
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let dots = out.len() - out.trim_start_matches('.').len();
    out.replace_range(..dots, &"_".repeat(dots));
    if out.is_empty() {
        out.push('_');
    }
    out
}

/// Creates `dir` and its missing parents with mode 0700.
pub(crate) fn create_private_dir(dir: &Path) -> Result<(), MailError> {
    DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| MailError::io(dir, e))
}

/// Writes `bytes` to `path` atomically with mode 0600, creating parent directories
/// with mode 0700.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<(), MailError> {
    let dir = path.parent().ok_or_else(|| {
        MailError::io(
            path,
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "path has no parent"),
        )
    })?;
    create_private_dir(dir)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?;
        // The mode given to open() is filtered by the umask; force it.
        file.set_permissions(fs::Permissions::from_mode(0o600))?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(MailError::io(path, e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_cannot_escape_the_root() {
        assert_eq!(safe_component("../etc/passwd"), "___etc_passwd");
        assert_eq!(safe_component(".hidden"), "_hidden");
        assert_eq!(safe_component(""), "_");
        assert_eq!(safe_component("Müller & Söhne"), "Müller & Söhne");
    }
}
