//! Every file the engine writes goes through here: written to a temporary
//! file in the same folder, synced, then renamed, so a crash never leaves a
//! half-written file. Files are created 0600 because some of them hold secrets.

use crate::error::{EngineError, Result};
use std::io::Write;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Refuse when the file exists: for exports the user names.
    Refuse,
    /// Replace silently: for the app's own state files.
    Replace,
}

/// A path the user chose for an export: absolute, so a relative path sent
/// over IPC can never land in an unexpected folder.
pub(crate) fn check_export_path(path: &Path) -> Result<()> {
    if path.is_absolute() && !path.as_os_str().is_empty() {
        Ok(())
    } else {
        Err(crate::validation::Invalid::ExportPath.into())
    }
}

pub(crate) fn write_atomic(path: &Path, contents: &[u8], overwrite: Overwrite) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| EngineError::file(dir, &e))?;
    if overwrite == Overwrite::Refuse && path.exists() {
        return Err(EngineError::file(path, &std::io::Error::from(std::io::ErrorKind::AlreadyExists)));
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".aws-setup-")
        .tempfile_in(dir)
        .map_err(|e| EngineError::file(dir, &e))?;
    restrict_to_owner(tmp.as_file()).map_err(|e| EngineError::file(path, &e))?;
    tmp.write_all(contents).map_err(|e| EngineError::file(path, &e))?;
    tmp.as_file().sync_all().map_err(|e| EngineError::file(path, &e))?;
    match overwrite {
        // persist_noclobber fails if another writer created the file meanwhile.
        Overwrite::Refuse => tmp.persist_noclobber(path).map_err(|e| EngineError::file(path, &e.error))?,
        Overwrite::Replace => tmp.persist(path).map_err(|e| EngineError::file(path, &e.error))?,
    };
    Ok(())
}

#[cfg(unix)]
fn restrict_to_owner(file: &std::fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn restrict_to_owner(_file: &std::fs::File) -> std::io::Result<()> {
    // On Windows a file in the user's profile is already private to them.
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_are_owner_only_and_refuse_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("out.csv");
        write_atomic(&path, b"one", Overwrite::Refuse).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let err = write_atomic(&path, b"two", Overwrite::Refuse).unwrap_err();
        assert_eq!(err.code(), "file.exists");
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        write_atomic(&path, b"three", Overwrite::Replace).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"three");
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary files are left behind");
    }
}
