//! Reading an article from a file, stdin or the bundled sample, with errors a person can act on.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use encoding_rs::Encoding;

use crate::document::Document;
use crate::formats::{self, FormatError, InputFormat};
use crate::io_error::brief;
use crate::text::{self, DecodeError};

/// The sample article shown when pizhu is run without a file.
pub const SAMPLE: &[u8] = include_bytes!("../assets/xiaohongshu.txt");
/// The sample's file name, shown in the status line and in listings.
pub const SAMPLE_NAME: &str = "xiaohongshu.txt";
/// The largest article read unless told otherwise (`--max-size`): far beyond any article,
/// well below what would exhaust memory.
pub const DEFAULT_MAX_SIZE: u64 = 512 * 1024 * 1024;

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
    /// A book that cannot be opened (broken, encrypted): says what is wrong.
    #[error("{name}: {reason}")]
    Book { name: String, reason: String },
    #[error(
        "{name}: is a {kind}, not a text file (give the path of a text file; to read a pipe, \
         redirect it to standard input and pass -)"
    )]
    NotAFile { name: String, kind: &'static str },
    #[error(
        "{name}: {} (pass --max-size BYTES or set PIZHU_MAX_FILE_SIZE to raise it)",
        over(*size, *limit)
    )]
    TooLarge {
        name: String,
        /// `None` for stdin, read only up to the limit.
        size: Option<u64>,
        limit: u64,
    },
}

impl LoadError {
    /// Whether this is the user's input at fault (exit code 2) rather than the system (1):
    /// everything but a failure to read standard input.
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, Self::Unreadable { name, .. } if name == "(stdin)")
    }
}

/// A decoded article: its text, where it came from and the encoding it was read in.
#[derive(Clone, Debug)]
pub struct ArticleText {
    pub source: Source,
    pub text: String,
    pub encoding: &'static Encoding,
}

/// An article read into a document.
#[derive(Debug)]
pub struct Opened {
    pub source: Source,
    pub doc: Document,
    pub encoding: &'static Encoding,
    pub format: InputFormat,
}

/// Reads `source` (up to `max_size` bytes) and turns it into a document with the reader for
/// its format: `format` if given, else what [`formats::detect`] finds in the name and bytes.
/// `encoding` is a label such as `gbk` that overrides detection.
pub fn open(
    source: &Source,
    encoding: Option<&str>,
    max_size: u64,
    format: Option<InputFormat>,
) -> Result<Opened, LoadError> {
    fetch(source, encoding, max_size, format)?.read()
}

/// The bytes of a source and the reader chosen for them, not yet read into a document.
pub struct Fetched {
    source: Source,
    name: String,
    bytes: Vec<u8>,
    forced: Option<&'static Encoding>,
    pub format: InputFormat,
}

/// The first part of [`open`]: reads the bytes and chooses the format.
pub fn fetch(
    source: &Source,
    encoding: Option<&str>,
    max_size: u64,
    format: Option<InputFormat>,
) -> Result<Fetched, LoadError> {
    let name = source.name();
    let forced = forced_encoding(encoding, &name)?;
    let bytes = read_source(source, &name, max_size)?;
    let path = match source {
        Source::File(p) => Some(p.as_path()),
        Source::Sample => Some(Path::new(SAMPLE_NAME)),
        Source::Stdin => None,
    };
    let format = format.unwrap_or_else(|| formats::detect(path, &bytes));
    Ok(Fetched {
        source: source.clone(),
        name,
        bytes,
        forced,
        format,
    })
}

/// A long book's first chapters (see [`Fetched::opening`]).
pub enum Opening {
    /// A prefix of the document: show it while the rest is read.
    Part(Document),
    /// The whole document: nothing more to read.
    Whole(Opened),
}

impl Fetched {
    /// Reads the document.
    pub fn read(self) -> Result<Opened, LoadError> {
        let Self {
            source,
            name,
            bytes,
            forced,
            format,
        } = self;
        let read = formats::read_owned(bytes, format, forced).map_err(|e| error(&name, e))?;
        Ok(Opened {
            source,
            doc: read.doc,
            encoding: read.encoding,
            format,
        })
    }

    /// The decoded text as it is, for a caller that wants the file's own text rather than a
    /// document (`pizhu entities` reports offsets into a plain-text file).
    pub fn into_text(self) -> Result<String, LoadError> {
        text::decode_owned(self.bytes, self.forced)
            .map(|decoded| decoded.text)
            .map_err(|source| LoadError::Decode {
                name: self.name,
                source,
            })
    }

    /// For a book too long to read before the first frame (an EPUB of more than
    /// [`OPENING_FROM`] bytes), its first chapters up to `text` bytes of text, if they come
    /// within a few megabytes of markup. `None` when there is no such part to show first (any
    /// other format, a short book, or text too far in); errors are left to [`Fetched::read`].
    pub fn opening(&self, text: usize) -> Option<Opening> {
        if !self.has_opening() {
            return None;
        }
        match formats::epub::read_opening(&self.bytes, text, OPENING_MARKUP).ok()? {
            formats::epub::Opening::Part(doc) => Some(Opening::Part(doc)),
            formats::epub::Opening::Whole(doc) => Some(Opening::Whole(Opened {
                source: self.source.clone(),
                doc,
                encoding: encoding_rs::UTF_8,
                format: self.format,
            })),
            formats::epub::Opening::TooFar => None,
        }
    }

    /// Whether [`Fetched::opening`] may find a part to show first.
    pub fn has_opening(&self) -> bool {
        self.format == InputFormat::Epub && self.bytes.len() >= OPENING_FROM
    }
}

fn error(name: &str, e: FormatError) -> LoadError {
    let name = name.to_string();
    match e {
        FormatError::Decode(source) => LoadError::Decode { name, source },
        FormatError::Book(reason) => LoadError::Book { name, reason },
    }
}

/// Text enough for the first screen of a book (a 200-column screen holds about 36 KB of
/// Chinese), past where the reader left it.
pub const FIRST_SCREEN_TEXT: usize = 64 * 1024;
/// Books smaller than this are read whole before the first frame (in less time than a frame
/// takes to notice).
pub const OPENING_FROM: usize = 1024 * 1024;
/// The most markup unpacked to show the opening of a book first: a few milliseconds of work.
const OPENING_MARKUP: u64 = 2 * 1024 * 1024;

fn forced_encoding(
    encoding: Option<&str>,
    name: &str,
) -> Result<Option<&'static Encoding>, LoadError> {
    encoding
        .map(text::encoding_for_label)
        .transpose()
        .map_err(|source| LoadError::Encoding {
            name: name.to_string(),
            source,
        })
}

fn read_source(source: &Source, name: &str, max_size: u64) -> Result<Vec<u8>, LoadError> {
    Ok(match source {
        Source::Sample => SAMPLE.to_vec(),
        Source::Stdin => {
            read_capped(io::stdin().lock(), name, max_size, 0).map_err(|e| match e {
                LoadError::TooLarge { name, limit, .. } => LoadError::TooLarge {
                    name,
                    size: None,
                    limit,
                },
                e => e,
            })?
        }
        Source::File(path) => read_file(path, name, max_size)?,
    })
}

/// Reads and decodes `source`, up to [`DEFAULT_MAX_SIZE`]. `encoding` is a label such as `gbk`
/// that overrides detection.
pub fn load(source: &Source, encoding: Option<&str>) -> Result<ArticleText, LoadError> {
    load_limited(source, encoding, DEFAULT_MAX_SIZE)
}

/// [`load`], refusing more than `max_size` bytes before reading them into memory. A file
/// that is not a regular file (a device such as `/dev/zero`, a named pipe, a socket) is
/// refused without being read, so it can neither fill memory nor wait forever.
pub fn load_limited(
    source: &Source,
    encoding: Option<&str>,
    max_size: u64,
) -> Result<ArticleText, LoadError> {
    let name = source.name();
    let forced = forced_encoding(encoding, &name)?;
    let bytes = read_source(source, &name, max_size)?;
    let decoded = text::decode_owned(bytes, forced).map_err(|source| LoadError::Decode {
        name: name.clone(),
        source,
    })?;
    Ok(ArticleText {
        source: source.clone(),
        text: decoded.text,
        encoding: decoded.encoding,
    })
}

/// Reads a regular file of at most `max_size` bytes (an article, or an annotation file to
/// import). The checks come before the file is
/// opened (`metadata` never blocks; opening a named pipe waits for a writer), and again on the
/// open file in case the path was replaced in between.
pub fn read_file(path: &Path, name: &str, max_size: u64) -> Result<Vec<u8>, LoadError> {
    let unreadable = |e: io::Error| LoadError::Unreadable {
        name: name.to_string(),
        reason: match e.kind() {
            io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => brief(&e),
        },
    };
    let meta = match fs::metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(LoadError::NotFound(name.to_string()));
        }
        Err(e) => return Err(unreadable(e)),
        Ok(meta) => meta,
    };
    check_file(&meta, name, max_size)?;
    let file = open_nonblocking(path).map_err(unreadable)?;
    let meta = file.metadata().map_err(unreadable)?;
    check_file(&meta, name, max_size)?;
    read_capped(file, name, max_size, meta.len())
}

/// Refuses what is not a regular file of at most `max_size` bytes.
fn check_file(meta: &fs::Metadata, name: &str, max_size: u64) -> Result<(), LoadError> {
    if meta.is_dir() {
        return Err(LoadError::Directory(name.to_string()));
    }
    if !meta.is_file() {
        return Err(LoadError::NotAFile {
            name: name.to_string(),
            kind: kind(&meta.file_type()),
        });
    }
    if meta.len() > max_size {
        return Err(LoadError::TooLarge {
            name: name.to_string(),
            size: Some(meta.len()),
            limit: max_size,
        });
    }
    Ok(())
}

/// All of `input` if it is at most `max_size` bytes, reading no more than one byte past it:
/// a file can grow after it was measured, and stdin has no size. `expected`: the size it
/// had, room made for at once (a long book read in growing steps is copied each time and
/// held twice while it is).
fn read_capped(
    input: impl Read,
    name: &str,
    max_size: u64,
    expected: u64,
) -> Result<Vec<u8>, LoadError> {
    let mut bytes = Vec::with_capacity(usize::try_from(expected.min(max_size)).unwrap_or(0));
    input
        .take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| LoadError::Unreadable {
            name: name.to_string(),
            reason: brief(&e),
        })?;
    if bytes.len() as u64 > max_size {
        return Err(LoadError::TooLarge {
            name: name.to_string(),
            size: None,
            limit: max_size,
        });
    }
    Ok(bytes)
}

/// What kind of file something that is neither a regular file nor a dir is, for messages.
fn kind(t: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "named pipe (FIFO)";
        }
        if t.is_char_device() {
            return "character device";
        }
        if t.is_block_device() {
            return "block device";
        }
        if t.is_socket() {
            return "socket";
        }
    }
    let _ = t;
    "special file"
}

/// Opens `path` for reading without waiting: a named pipe that took the place of a checked
/// file opens at once instead of blocking until something writes to it. (Non-blocking mode
/// changes nothing for regular files.)
pub(crate) fn open_nonblocking(path: &Path) -> io::Result<File> {
    let mut options = File::options();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, o_nonblock());
    options.open(path)
}

/// `O_NONBLOCK`, which std does not name (and libc is not a dependency); 0 where unknown, which
/// leaves only the type check before opening.
#[cfg(unix)]
fn o_nonblock() -> i32 {
    let linux = cfg!(any(target_os = "linux", target_os = "android"));
    let generic_arch = cfg!(any(
        target_arch = "x86",
        target_arch = "x86_64",
        target_arch = "arm",
        target_arch = "aarch64",
        target_arch = "riscv32",
        target_arch = "riscv64",
        target_arch = "loongarch64",
        target_arch = "powerpc",
        target_arch = "powerpc64",
        target_arch = "s390x"
    ));
    let bsd = cfg!(any(
        target_vendor = "apple",
        target_os = "freebsd",
        target_os = "netbsd",
        target_os = "openbsd",
        target_os = "dragonfly"
    ));
    match () {
        () if linux && generic_arch => 0o4000,
        () if bsd => 4,
        () => 0,
    }
}

/// `--max-size`: a number of bytes, or with a binary suffix (`K`, `M`, `G`, also written
/// `KiB`, `MB`…), as in `512M`.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("{s:?}: expected bytes, as in 1000000 or 512M")),
    };
    number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .ok_or_else(|| format!("{s:?}: expected bytes, as in 1000000 or 512M"))
}

/// "is 3 GiB, over the 512 MiB limit", in bytes where rounding would hide the difference.
fn over(size: Option<u64>, limit: u64) -> String {
    let Some(size) = size else {
        return format!("is larger than the {} limit", human(limit));
    };
    let (size_text, limit_text) = (human(size), human(limit));
    if size_text == limit_text {
        format!("is {size} bytes, over the {limit} bytes limit")
    } else {
        format!("is {size_text}, over the {limit_text} limit")
    }
}

/// `n` bytes for a person: `512 MiB`, `1.5 GiB`, `300 bytes`.
fn human(n: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if n >= size {
            let value = format!("{:.1}", n as f64 / size as f64);
            return format!("{} {unit}", value.trim_end_matches(".0"));
        }
    }
    format!("{n} bytes")
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

    #[test]
    fn sizes_parse_and_print_for_people() {
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("64K"), Ok(64 << 10));
        assert_eq!(parse_size("512M"), Ok(DEFAULT_MAX_SIZE));
        assert_eq!(parse_size("2 GiB"), Ok(2 << 30));
        for bad in ["", "M", "-1", "1.5G", "12T", "99999999999999999999G"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
        assert_eq!(human(300), "300 bytes");
        assert_eq!(human(1536), "1.5 KiB");
        assert_eq!(human(DEFAULT_MAX_SIZE), "512 MiB");
        assert_eq!(
            over(Some(3 << 30), DEFAULT_MAX_SIZE),
            "is 3 GiB, over the 512 MiB limit"
        );
        assert_eq!(
            over(Some(1025), 1024),
            "is 1025 bytes, over the 1024 bytes limit"
        );
    }
}
