//! Writing an export to a file the user named, from the CLI (`export -o`) and the reader's
//! export dialog alike: refuse targets that would destroy something the user owns, then
//! replace the file atomically, so a full disk or a crash never leaves half a file where a
//! good one was.

use std::io;
use std::path::{Path, PathBuf};

/// Why an export cannot go to a path. Each message names the path and what to do.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error("{}: is a directory (give a file name for the export)", .0.display())]
    Directory(PathBuf),
    #[error("{}: is not a regular file (a pipe, device or socket); choose another output path", .0.display())]
    NotAFile(PathBuf),
    #[error("{}: is the article itself (choose another output file)", .0.display())]
    Article(PathBuf),
    #[error("{}: is inside pizhu's data dir {} (choose another output path)", .0.display(), .1.display())]
    DataDir(PathBuf, PathBuf),
    #[error("{}: directory {} does not exist (create it first)", .0.display(), .1.display())]
    NoParent(PathBuf, PathBuf),
    #[error("{}: {} is not a directory (choose another output path)", .0.display(), .1.display())]
    ParentNotDir(PathBuf, PathBuf),
    #[error("{}: cannot write: {} (choose another output path)", .0.display(), crate::io_error::brief(.1))]
    Io(PathBuf, io::Error),
}

impl TargetError {
    /// The user's choice of path is at fault (exit 2), rather than the system (1).
    pub fn is_bad_input(&self) -> bool {
        match self {
            Self::Io(_, e) => matches!(
                e.kind(),
                io::ErrorKind::PermissionDenied
                    | io::ErrorKind::ReadOnlyFilesystem
                    | io::ErrorKind::NotFound
                    | io::ErrorKind::NotADirectory
                    | io::ErrorKind::IsADirectory
            ),
            _ => true,
        }
    }
}

/// Checks that an export may be written to `target`: not a directory, pipe or device; not
/// the article (`article`, by device and inode, so a hard link or another spelling of the
/// path counts too); not inside the data dir `data_dir`; in a directory that exists. A
/// symbolic link is replaced by the file, never written through, unless it points at the
/// article, which is refused.
pub fn check_target(
    target: &Path,
    article: Option<&Path>,
    data_dir: Option<&Path>,
) -> Result<(), TargetError> {
    let owned = || target.to_path_buf();
    match std::fs::metadata(target) {
        Ok(m) if m.is_dir() => return Err(TargetError::Directory(owned())),
        Ok(m) if !m.is_file() => return Err(TargetError::NotAFile(owned())),
        Ok(m) => {
            if let Some(article) = article
                && let Ok(a) = std::fs::metadata(article)
                && same_file(&a, &m)
            {
                return Err(TargetError::Article(owned()));
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(TargetError::Io(owned(), e)),
    }
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match std::fs::metadata(parent) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(TargetError::ParentNotDir(owned(), parent.to_path_buf())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(TargetError::NoParent(owned(), parent.to_path_buf()));
        }
        Err(e) if e.kind() == io::ErrorKind::NotADirectory => {
            return Err(TargetError::ParentNotDir(owned(), parent.to_path_buf()));
        }
        Err(e) => return Err(TargetError::Io(owned(), e)),
    }
    if let Some(data) = data_dir
        && let (Ok(data), Ok(parent)) = (std::fs::canonicalize(data), std::fs::canonicalize(parent))
        && parent.starts_with(&data)
    {
        return Err(TargetError::DataDir(owned(), data));
    }
    Ok(())
}

/// [`check_target`], then writes `bytes` to `target` atomically: a temp file in the same
/// directory, fsync, rename over the target (replacing a symbolic link itself), fsync of the
/// directory.
pub fn write_export(
    target: &Path,
    bytes: &[u8],
    article: Option<&Path>,
    data_dir: Option<&Path>,
) -> Result<(), TargetError> {
    check_target(target, article, data_dir)?;
    crate::store::write_atomic_file(target, bytes)
        .map_err(|e| TargetError::Io(target.to_path_buf(), e))
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}
