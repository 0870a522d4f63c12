//! Reading an article from a file, stdin or the bundled sample, with errors a person can act on.

use std::io::Read;
use std::path::{Path, PathBuf};

use encoding_rs::Encoding;

use crate::text::{self, DecodeError};

/// The sample article shown when pizhu is run without a file.
pub const SAMPLE: &[u8] = include_bytes!("../assets/xiaohongshu.txt");
/// The sample's file name, shown in the status line and in listings.
pub const SAMPLE_NAME: &str = "xiaohongshu.txt";

/// Where an article comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Sample,
    Stdin,
    File(PathBuf),
}

impl Source {
    /// `None` is the sample, `-` is stdin.
    pub fn from_arg(arg: Option<&Path>) -> Self {
        match arg {
            None => Self::Sample,
            Some(p) if p == Path::new("-") => Self::Stdin,
            Some(p) => Self::File(p.to_path_buf()),
        }
    }

    /// A short name for messages and the status line.
    pub fn name(&self) -> String {
        match self {
            Self::Sample => SAMPLE_NAME.to_string(),
            Self::Stdin => "(stdin)".to_string(),
            Self::File(p) => p.display().to_string(),
        }
    }
}

/// Why an article could not be opened. Each message names the file and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0}: no such file (check the path)")]
    NotFound(String),
    #[error("{0}: is a directory (give the path of a text file)")]
    Directory(String),
    #[error("{name}: cannot read: {reason} (check that it is readable)")]
    Unreadable { name: String, reason: String },
    #[error("{name}: {source} (if it is text, name its encoding with --encoding)")]
    Decode { name: String, source: DecodeError },
    #[error("{name}: {source}")]
    Encoding { name: String, source: DecodeError },
}

impl LoadError {
    /// Whether this is the user's input at fault (exit code 2) rather than the system (1):
    /// everything but a failure to read standard input.
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, Self::Unreadable { name, .. } if name == "(stdin)")
    }
}

/// A decoded article.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub source: Source,
    pub text: String,
    pub encoding: &'static Encoding,
}

/// Reads and decodes `source`. `encoding` is a label such as `gbk` that overrides detection.
pub fn load(source: &Source, encoding: Option<&str>) -> Result<Loaded, LoadError> {
    let name = source.name();
    let forced = encoding
        .map(text::encoding_for_label)
        .transpose()
        .map_err(|source| LoadError::Encoding {
            name: name.clone(),
            source,
        })?;
    let bytes = match source {
        Source::Sample => SAMPLE.to_vec(),
        Source::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|e| LoadError::Unreadable {
                    name: name.clone(),
                    reason: e.to_string(),
                })?;
            bytes
        }
        Source::File(path) => read_file(path, &name)?,
    };
    let decoded = text::decode(&bytes, forced).map_err(|source| LoadError::Decode {
        name: name.clone(),
        source,
    })?;
    Ok(Loaded {
        source: source.clone(),
        text: decoded.text,
        encoding: decoded.encoding,
    })
}

fn read_file(path: &Path, name: &str) -> Result<Vec<u8>, LoadError> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(LoadError::NotFound(name.to_string()));
        }
        Ok(meta) if meta.is_dir() => return Err(LoadError::Directory(name.to_string())),
        _ => {}
    }
    std::fs::read(path).map_err(|e| LoadError::Unreadable {
        name: name.to_string(),
        reason: match e.kind() {
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_loads_as_utf8() {
        let loaded = load(&Source::Sample, None).unwrap();
        assert!(loaded.text.starts_with("电商业务依旧未跻身一线阵营"));
    }

    #[test]
    fn errors_name_the_file() {
        let missing = load(&Source::File("/no/such/文章.txt".into()), None).unwrap_err();
        assert_eq!(
            missing.to_string(),
            "/no/such/文章.txt: no such file (check the path)"
        );
        let dir = load(&Source::File(std::env::temp_dir()), None).unwrap_err();
        assert!(dir.to_string().contains("is a directory"));
        let bad = load(&Source::Sample, Some("klingon")).unwrap_err();
        assert!(bad.to_string().contains("klingon"));
    }
}
