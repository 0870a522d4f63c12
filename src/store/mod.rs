//! Persistence of annotations, reading position and entity corrections (DESIGN.md §4).
//!
//! One RON file per document in the data dir, `<hash>.ron`, named by the document's content
//! hash. Other names in the dir:
//!
//! - `<hash>.lock`: an empty file `save` locks (`File::lock`) while it reads, merges and
//!   replaces `<hash>.ron`, so two pizhu instances never lose each other's work. Never removed:
//!   removing a lock file another process may be waiting on would let a third one in.
//! - `.<name>.tmp-<pid>-<n>`: the file being written; renamed over `<name>` once synced. A
//!   killed writer leaves it behind; the next writer of the same name removes it under the
//!   same lock.
//! - `<hash>.ron.corrupt-<UTC stamp>`: a file that failed to parse (or a named pipe, device or
//!   dir in its place), moved aside (never overwritten, never removed) so the document can
//!   open again, with every annotation that could still be read of it (see [`Recovery`]).
//!
//! A data dir that can be read but not written opens [read-only](Store::read_only): nothing
//! in it is then changed.
//! - `index.ron`: a cache of each document's summary and tag counts, keyed by the file's size,
//!   modification time and inode, so `list` and `tags` read one small file and stat each
//!   document instead of parsing them all (0.7 ms instead of 40 ms for 100 documents of 50
//!   annotations). `save` updates its document's entry. It is only a cache: an entry whose
//!   file changed (another instance, a crash between the two writes, a hand edit) is
//!   recomputed from the file, and a missing or unreadable index is rebuilt. (A hand edit
//!   that keeps the size, made within the same file-time tick as the save before it, goes
//!   unnoticed until the file next changes.)

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::annotations::{Annotation, DocumentNote};
use crate::entities::correction::Correction;
use crate::io_error::brief;

mod salvage;
use salvage::{salvage, salvage_field};

/// Version of the record format this build writes. A file with a higher one is refused, not
/// rewritten; fields a newer build of the same version adds are ignored.
pub const VERSION: u32 = 1;

const DOC_EXT: &str = ".ron";
const INDEX: &str = "index.ron";
const INDEX_LOCK: &str = "index.lock";
const INDEX_VERSION: u32 = 2;

/// Everything pizhu keeps about one document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub version: u32,
    /// The document's content hash, as [`Document::hash`](crate::document::Document::hash).
    pub hash: String,
    /// Absolute path the document was last opened from; `None` for stdin and the sample.
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub title: String,
    /// `clock::now()` at the last save.
    #[serde(default)]
    pub saved: String,
    /// Reading position, a byte offset.
    #[serde(default)]
    pub position: usize,
    /// Marks set with `m` in the reader, by letter: byte offsets. Left out when there are
    /// none, so records without marks read as before.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub marks: BTreeMap<char, usize>,
    /// Sorted by (start, end, created) on save.
    #[serde(default)]
    pub annotations: Vec<Annotation>,
    /// Ids deleted here: merging with another instance's save never brings them back.
    #[serde(default)]
    pub deleted: Vec<String>,
    #[serde(default)]
    pub corrections: Vec<Correction>,
    /// Notes about the whole document. Deleted ids are kept in `deleted` as for annotations.
    #[serde(default)]
    pub document_notes: Vec<DocumentNote>,
    /// The hash this record was found under by path ([`RecordMatch::ByPath`]): that file is
    /// removed once this record is saved under its new hash.
    #[serde(skip)]
    replaces: Option<String>,
    /// `modified` of each annotation as last read from or written to the file: the version
    /// this copy started from. A file still holding that version of an annotation never wins
    /// over an edit made here, whatever times the two claim.
    #[serde(skip)]
    base: HashMap<String, String>,
}

impl Record {
    pub fn new(hash: impl Into<String>, path: Option<String>, title: impl Into<String>) -> Self {
        Self {
            version: VERSION,
            hash: hash.into(),
            path,
            title: title.into(),
            saved: String::new(),
            position: 0,
            marks: BTreeMap::new(),
            annotations: Vec::new(),
            deleted: Vec::new(),
            corrections: Vec::new(),
            document_notes: Vec::new(),
            replaces: None,
            base: HashMap::new(),
        }
    }

    /// Takes the current annotations as the version this copy starts from (see `base`).
    fn set_base(&mut self) {
        self.base = self
            .annotations
            .iter()
            .map(|a| (a.id.clone(), a.modified.clone()))
            .collect();
    }

    /// Removes the annotation `id` and remembers the deletion, so that merging with another
    /// instance's copy does not bring it back.
    pub fn delete(&mut self, id: &str) -> Option<Annotation> {
        let i = self.annotations.iter().position(|a| a.id == id)?;
        if !self.deleted.iter().any(|d| d == id) {
            self.deleted.push(id.to_string());
        }
        Some(self.annotations.remove(i))
    }

    /// The hash whose file the next save removes (see [`RecordMatch::ByPath`]).
    pub fn replaces(&self) -> Option<&str> {
        self.replaces.as_deref()
    }
}

/// Why the store could not do what was asked. Each message is one line naming the file or dir
/// and what to do about it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error(
        "cannot write to data dir {}: {}; pass --data-dir DIR or set PIZHU_DATA_DIR",
        dir.display(),
        brief(source)
    )]
    Unwritable { dir: PathBuf, source: io::Error },
    #[error(
        "cannot read {}: {}; check its permissions, or pass --data-dir DIR",
        path.display(),
        brief(source)
    )]
    Read { path: PathBuf, source: io::Error },
    #[error(
        "cannot write {}: {}; check free space and permissions, or pass --data-dir DIR",
        path.display(),
        brief(source)
    )]
    Write { path: PathBuf, source: io::Error },
    #[error(
        "cannot lock {}: {}; check the data dir's file system, or pass --data-dir DIR",
        path.display(),
        brief(source)
    )]
    Lock { path: PathBuf, source: io::Error },
    #[error("{} was written by a newer pizhu (version {version}); upgrade pizhu", path.display())]
    Newer { path: PathBuf, version: u32 },
    #[error("{hash:?} is not a document hash (hex digits expected); this is a bug in pizhu")]
    BadHash { hash: String },
    #[error(
        "data dir {} cannot be written ({reason}): annotations are not saved; pass --data-dir \
         DIR to save them elsewhere",
        dir.display()
    )]
    ReadOnly { dir: PathBuf, reason: String },
}

/// Where [`Store::load`] found the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordMatch {
    /// Nothing saved for this document (or its file could not be read: see
    /// [`Loaded::moved_aside`]).
    New,
    /// `<hash>.ron`.
    ByHash,
    /// A record saved from the same path under another hash: the file changed since. The
    /// record comes back under the new hash with its annotations as they were; the caller
    /// re-anchors them. The first save removes `<old_hash>.ron`.
    ByPath { old_hash: String },
}

#[derive(Debug)]
pub struct Loaded {
    pub record: Record,
    pub found: RecordMatch,
    /// Where a `<hash>.ron` that failed to parse was moved (tell the user).
    pub moved_aside: Option<PathBuf>,
    /// How much of a `<hash>.ron` that failed to parse could still be read (tell the user, see
    /// [`Recovery::describe`]). When some annotations were, the record is what was read of
    /// the file, found [`ByHash`](RecordMatch::ByHash); when none, [`New`](RecordMatch::New).
    pub recovered: Option<Recovery>,
}

/// What [`Store::load`] could read of a record file that did not parse as a whole: every
/// annotation that reads on its own is kept (one in a colour this build does not know, as
/// written by a newer pizhu, gets the default colour), the rest are lost from the record but
/// not from the disk, since the file is moved aside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recovery {
    pub kept: usize,
    /// Annotations that could not be read, including one cut off at the end of the file.
    pub lost: usize,
}

impl Recovery {
    /// One line for the user; `moved_aside` is where the file went (`None`: left in place,
    /// in a read-only data dir).
    pub fn describe(&self, moved_aside: Option<&Path>) -> String {
        let Recovery { kept, lost } = *self;
        let read = if kept == 0 {
            "none of the saved annotations could be read".to_string()
        } else {
            format!("{kept} of {} saved annotations recovered", kept + lost)
        };
        match moved_aside {
            Some(p) => format!("{read}; the original was moved to {}", p.display()),
            None => format!("{read}; the original was left as it is"),
        }
    }
}

#[derive(Debug, Default)]
pub struct SaveOutcome {
    /// Annotations, deletions and corrections that came from another instance's save.
    pub merged_in: usize,
    /// Where a `<hash>.ron` that failed to parse was moved before writing.
    pub moved_aside: Option<PathBuf>,
}

/// One document in [`Store::list`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub hash: String,
    pub title: String,
    pub path: Option<String>,
    pub annotations: usize,
    pub orphans: usize,
    /// Annotations with a note.
    pub notes: usize,
    /// Notes about the whole document.
    #[serde(default)]
    pub document_notes: usize,
    pub saved: String,
}

/// The data dir.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    /// Why the dir cannot be written, when it can still be read (see [`Store::read_only`]).
    read_only: Option<String>,
    /// The last version of each document file this store read or wrote, parsed: when the
    /// file still holds those bytes at the next save, merging uses this instead of parsing
    /// the file again (a third of a save's time with thousands of annotations).
    known: Mutex<HashMap<String, Known>>,
}

#[derive(Debug)]
struct Known {
    len: usize,
    digest: u128,
    record: Record,
}

impl Store {
    /// The platform data dir (`~/.local/share/pizhu` on Linux), if the platform has one.
    pub fn default_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "pizhu").map(|d| d.data_dir().to_path_buf())
    }

    /// Opens `dir`, creating it, and checks that files can be created in it, so an unusable
    /// data dir is reported when pizhu starts rather than when the first annotation is saved.
    /// A dir that exists and can be read but not written (a read-only mount, a backup, another
    /// user's) opens [read-only](Store::read_only): what is saved there can still be read,
    /// listed and exported.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        let unwritable = |source| StoreError::Unwritable {
            dir: dir.to_path_buf(),
            source,
        };
        fs::create_dir_all(dir).map_err(unwritable)?;
        let read_only = match probe(dir) {
            Ok(()) => None,
            Err(e) if fs::read_dir(dir).is_err() => return Err(unwritable(e)),
            Err(e) => Some(brief(&e)),
        };
        Ok(Store {
            dir: dir.to_path_buf(),
            read_only,
            known: Mutex::new(HashMap::new()),
        })
    }

    /// Whether the data dir can only be read: loading, [`list`](Store::list) and
    /// [`tags`](Store::tags) work, [`save`](Store::save) fails with [`StoreError::ReadOnly`],
    /// and nothing in the dir is changed (an unreadable record is not moved aside, the index
    /// is not updated).
    pub fn read_only(&self) -> bool {
        self.read_only.is_some()
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The record for the document `hash`, opened from `path` (`None` for stdin and the
    /// sample) with title `title`; see [`RecordMatch`] for where it can come from. A record
    /// found by hash takes the given path (unless `None`) and title (unless empty).
    pub fn load(&self, hash: &str, path: Option<&str>, title: &str) -> Result<Loaded, StoreError> {
        check_hash(hash)?;
        let file = self.doc_file(hash);
        let mut moved_aside = None;
        let mut unreadable = None;
        let found = match self.read(hash, &file, true)? {
            Some(Ok(record)) => Some(record),
            None => None,
            // Read-only: left where it is, and nothing to lock against.
            Some(Err(Unreadable(bytes))) if self.read_only() => {
                unreadable = Some(bytes);
                None
            }
            Some(Err(_)) => {
                // Look again under the lock: a save that replaced the file in between must not
                // have its work moved aside.
                let _lock = self.lock(&format!("{hash}.lock"))?;
                match self.read(hash, &file, true)? {
                    Some(Ok(record)) => Some(record),
                    None => None,
                    Some(Err(Unreadable(bytes))) => {
                        unreadable = Some(bytes);
                        moved_aside = Some(move_aside(&file)?);
                        None
                    }
                }
            }
        };
        // What can still be read of an unreadable file comes back as found by hash.
        let recovered = unreadable.as_deref().map(salvage);
        let (found, recovered) = match (found, recovered) {
            (None, Some((record, recovery))) if recovery.kept > 0 => (Some(record), Some(recovery)),
            (found, recovered) => (found, recovered.map(|(_, recovery)| recovery)),
        };
        if let Some(mut record) = found {
            record.set_base();
            record.hash = hash.to_string();
            if let Some(path) = path {
                record.path = Some(path.to_string());
            }
            if !title.is_empty() {
                record.title = title.to_string();
            }
            return Ok(Loaded {
                record,
                found: RecordMatch::ByHash,
                moved_aside,
                recovered,
            });
        }
        if unreadable.is_none()
            && let Some(path) = path
            && let Some((old_hash, mut record)) = self.find_by_path(hash, path)
        {
            record.hash = hash.to_string();
            if !title.is_empty() {
                record.title = title.to_string();
            }
            record.replaces = Some(old_hash.clone());
            return Ok(Loaded {
                record,
                found: RecordMatch::ByPath { old_hash },
                moved_aside,
                recovered,
            });
        }
        Ok(Loaded {
            record: Record::new(hash, path.map(str::to_string), title),
            found: RecordMatch::New,
            moved_aside,
            recovered,
        })
    }

    /// Saves `record`, merged with what another instance may have saved meanwhile, and leaves
    /// the merged result in `record`:
    ///
    /// - annotations: the union by id; for the same id the later `modified` wins;
    /// - `deleted`: the union, and no annotation whose id is in it survives;
    /// - corrections: ours, then theirs that ours lacks;
    /// - path, title, position and marks: ours.
    ///
    /// So an edit must [`touch`](Annotation::touch) its annotation, and a removal go through
    /// [`Record::delete`], or the other instance's copy prevails.
    ///
    /// The file is replaced atomically (temp file, fsync, rename, fsync of the dir) under the
    /// document's lock. A file that fails to parse is moved aside first; one from a newer
    /// pizhu is an error and stays as it is.
    pub fn save(&self, record: &mut Record) -> Result<SaveOutcome, StoreError> {
        check_hash(&record.hash)?;
        if let Some(reason) = &self.read_only {
            return Err(StoreError::ReadOnly {
                dir: self.dir.clone(),
                reason: reason.clone(),
            });
        }
        let name = format!("{}{DOC_EXT}", record.hash);
        let file = self.dir.join(&name);
        let lock = self.lock(&format!("{}.lock", record.hash))?;
        self.remove_temps(&name);
        let mut outcome = SaveOutcome::default();
        match self.read(&record.hash, &file, false)? {
            None => {}
            Some(Ok(theirs)) => outcome.merged_in = merge(record, theirs),
            Some(Err(_)) => outcome.moved_aside = Some(move_aside(&file)?),
        }
        record.version = VERSION;
        record.saved = crate::clock::now();
        record.annotations.sort_by(|a, b| {
            (a.start, a.end, &a.created, &a.id).cmp(&(b.start, b.end, &b.created, &b.id))
        });
        let mut text = to_ron(record).map_err(|e| StoreError::Write {
            path: file.clone(),
            source: io::Error::other(e),
        })?;
        text.push('\n');
        self.write_atomic(&name, text.as_bytes(), true)?;
        record.set_base();
        let stamp = fs::metadata(&file).ok().map(|m| Stamp::of(&m));
        drop(lock);
        self.remember(&record.hash, text.as_bytes(), record.clone());

        // The record now lives under its new hash. Best effort: were the old file to stay,
        // it would only be found again for the old version of the document.
        let mut gone = None;
        if let Some(old) = record.replaces.take()
            && old != record.hash
            && let Ok(_old_lock) = self.lock(&format!("{old}.lock"))
            && fs::remove_file(self.doc_file(&old)).is_ok()
        {
            sync_dir(&self.dir);
            gone = Some(old);
        }
        if let Some(stamp) = stamp {
            let entry = Entry::of(record, stamp);
            self.update_index(|index| {
                index.insert(record.hash.clone(), entry);
                if let Some(old) = &gone {
                    index.remove(old);
                }
            });
        }
        Ok(outcome)
    }

    /// Documents with at least one annotation, the most recently saved first. Files that do
    /// not parse are left out.
    pub fn list(&self) -> Result<Vec<Summary>, StoreError> {
        let entries = self.entries()?;
        let mut list: Vec<Summary> = entries
            .into_iter()
            .filter(|(_, e)| e.summary.annotations + e.summary.document_notes > 0)
            .map(|(hash, e)| Summary { hash, ..e.summary })
            .collect();
        list.sort_by(|a, b| b.saved.cmp(&a.saved).then_with(|| a.hash.cmp(&b.hash)));
        Ok(list)
    }

    /// Every tag used in any document with the number of annotations carrying it, the most
    /// used first (then by name). An unreadable dir gives no tags.
    pub fn tags(&self) -> Vec<(String, usize)> {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for entry in self.entries().unwrap_or_default().into_values() {
            for (tag, n) in entry.tags {
                *counts.entry(tag).or_default() += n;
            }
        }
        let mut tags: Vec<(String, usize)> = counts.into_iter().collect();
        tags.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        tags
    }

    /// The record in `file` (`None` when there is no file), from [`Store::known`] when the
    /// file holds the bytes last seen. `keep` keeps it there for the next save; without it
    /// the caller is about to replace the file and remember the new version.
    fn read(
        &self,
        hash: &str,
        file: &Path,
        keep: bool,
    ) -> Result<Option<Result<Record, Unreadable>>, StoreError> {
        let bytes = match read_regular(file) {
            Ok(Some(bytes)) => bytes,
            // A named pipe, a device, a dir: never opened, so never waited on.
            Ok(None) => return Ok(Some(Err(Unreadable(Vec::new())))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(StoreError::Read {
                    path: file.to_path_buf(),
                    source,
                });
            }
        };
        let digest = xxhash_rust::xxh3::xxh3_128(&bytes);
        let mut known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        let hit = known
            .remove(hash)
            .filter(|k| k.len == bytes.len() && k.digest == digest);
        if let Some(k) = hit {
            if keep {
                let record = k.record.clone();
                known.insert(hash.to_string(), k);
                return Ok(Some(Ok(record)));
            }
            return Ok(Some(Ok(k.record)));
        }
        drop(known);
        let parsed = parse(&bytes).map_err(|version| StoreError::Newer {
            path: file.to_path_buf(),
            version,
        })?;
        if keep && let Ok(record) = &parsed {
            self.remember(hash, &bytes, record.clone());
        }
        Ok(Some(parsed.map_err(|Corrupt| Unreadable(bytes))))
    }

    fn remember(&self, hash: &str, bytes: &[u8], record: Record) {
        let known = Known {
            len: bytes.len(),
            digest: xxhash_rust::xxh3::xxh3_128(bytes),
            record,
        };
        let mut map = self.known.lock().unwrap_or_else(|e| e.into_inner());
        map.insert(hash.to_string(), known);
    }

    fn doc_file(&self, hash: &str) -> PathBuf {
        self.dir.join(format!("{hash}{DOC_EXT}"))
    }

    /// Takes the lock `name` in the data dir, blocking; released when the file is dropped
    /// (or its process dies: the OS drops the lock with the descriptor).
    fn lock(&self, name: &str) -> Result<File, StoreError> {
        let path = self.dir.join(name);
        let locked = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .and_then(|f| f.lock().map(|()| f));
        locked.map_err(|source| StoreError::Lock { path, source })
    }

    /// Removes `.<name>.tmp-*` left by killed writers. Only called under the lock every writer
    /// of `name` takes, so none of them is still being written.
    fn remove_temps(&self, name: &str) {
        let prefix = format!(".{name}.tmp-");
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            if entry
                .file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(&prefix))
            {
                let _ = fs::remove_file(entry.path());
            }
        }
    }

    /// Replaces `name` with `bytes` (see [`replace_file`]). The caller holds the lock for
    /// `name`. Without `durable` (the index, a cache), no fsyncs: the rename still makes the
    /// change all or nothing for other processes.
    fn write_atomic(&self, name: &str, bytes: &[u8], durable: bool) -> Result<(), StoreError> {
        let path = self.dir.join(name);
        replace_file(&path, bytes, durable).map_err(|source| StoreError::Write { path, source })
    }

    /// The newest record (by `saved`) of another hash whose path is `path`: what that file
    /// held before, for `pizhu import --previous`.
    pub fn find_by_path(&self, hash: &str, path: &str) -> Option<(String, Record)> {
        let needle = ron::to_string(path).ok()?;
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        let mut best: Option<(String, Record)> = None;
        for entry in fs::read_dir(&self.dir).ok()?.flatten() {
            let Some(other) = doc_hash(&entry.file_name()) else {
                continue;
            };
            if other == hash {
                continue;
            }
            let Ok(Some(bytes)) = read_regular(&entry.path()) else {
                continue;
            };
            if finder.find(&bytes).is_none() {
                continue;
            }
            let Ok(Ok(record)) = parse(&bytes) else {
                continue;
            };
            if record.path.as_deref() == Some(path)
                && best.as_ref().is_none_or(|(_, b)| record.saved > b.saved)
            {
                best = Some((other, record));
            }
        }
        best
    }

    /// Index entries for every document file in the dir: from the index when the file has not
    /// changed since, else from the file itself (and then the index is rewritten).
    fn entries(&self) -> Result<BTreeMap<String, Entry>, StoreError> {
        let cached = self.read_index();
        let mut fresh = BTreeMap::new();
        let mut changed = false;
        let dir_entries = fs::read_dir(&self.dir).map_err(|source| StoreError::Read {
            path: self.dir.clone(),
            source,
        })?;
        for entry in dir_entries.flatten() {
            let Some(hash) = doc_hash(&entry.file_name()) else {
                continue;
            };
            let path = entry.path();
            let hit = fs::metadata(&path)
                .ok()
                .map(|m| Stamp::of(&m))
                .and_then(|stamp| cached.get(&hash).filter(|e| e.stamp == stamp));
            if let Some(e) = hit {
                fresh.insert(hash, e.clone());
                continue;
            }
            // A file that does not parse stays out (and is tried again next time).
            if let Some(e) = entry_from_file(&path) {
                fresh.insert(hash, e);
                changed = true;
            }
        }
        if changed || fresh.len() != cached.len() {
            let fresh = fresh.clone();
            self.update_index(move |index| *index = fresh);
        }
        Ok(fresh)
    }

    fn read_index(&self) -> BTreeMap<String, Entry> {
        read_regular(&self.dir.join(INDEX))
            .ok()
            .flatten()
            .and_then(|bytes| ron::de::from_bytes::<Index>(&bytes).ok())
            .filter(|i| i.version == INDEX_VERSION)
            .map(|i| i.documents)
            .unwrap_or_default()
    }

    /// Read-modify-write of the index under its lock. Best effort: the index is a cache.
    fn update_index(&self, change: impl FnOnce(&mut BTreeMap<String, Entry>)) {
        if self.read_only() {
            return;
        }
        let Ok(_lock) = self.lock(INDEX_LOCK) else {
            return;
        };
        self.remove_temps(INDEX);
        let mut documents = self.read_index();
        change(&mut documents);
        let index = Index {
            version: INDEX_VERSION,
            documents,
        };
        if let Ok(text) = ron::ser::to_string_pretty(&index, pretty()) {
            let _ = self.write_atomic(INDEX, text.as_bytes(), false);
        }
    }
}

/// Replaces the file at `path` with `bytes` so that a reader, or a crash, sees either the old
/// file or the new one, never a part: a temp file in the same dir (named like the store's,
/// `.<name>.tmp-<pid>-<n>`), written, fsynced, renamed over `path`, then the dir fsynced. The
/// temp is removed on failure, leaving the old file as it was. A symlink at `path` is itself
/// replaced, its target left alone. A regular file replaced keeps its permissions.
pub fn write_atomic_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace_file(path, bytes, true)
}

/// [`write_atomic_file`], without the fsyncs unless `durable`.
fn replace_file(path: &Path, bytes: &[u8], durable: bool) -> io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let (tmp, mut file) = create_temp(dir, name)?;
    let written = (|| {
        if let Ok(old) = fs::symlink_metadata(path)
            && old.is_file()
        {
            file.set_permissions(old.permissions())?;
        }
        file.write_all(bytes)?;
        if durable {
            file.sync_all()?;
        }
        drop(file);
        fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    if durable {
        sync_dir(dir);
    }
    Ok(())
}

/// A new temp file for `name` in `dir`. `create_new` never opens an existing file, nor
/// follows a symlink planted under the temp's name.
fn create_temp(dir: &Path, name: &std::ffi::OsStr) -> io::Result<(PathBuf, File)> {
    loop {
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(name);
        tmp_name.push(format!(".tmp-{}-{}", std::process::id(), unique()));
        let tmp = dir.join(tmp_name);
        match File::options().write(true).create_new(true).open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Creates and removes a file in `dir`: whether files can be saved there.
fn probe(dir: &Path) -> io::Result<()> {
    let probe = dir.join(format!(".probe-{}-{}", std::process::id(), unique()));
    let written = File::options()
        .write(true)
        .create_new(true)
        .open(&probe)
        .and_then(|mut f| f.write_all(b"pizhu"));
    let _ = fs::remove_file(&probe);
    written
}

/// A unique number within this process (for probe and temp names).
fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// Hashes become file names: only hex digits, so none can escape the dir or clash with the
/// store's own files.
fn check_hash(hash: &str) -> Result<(), StoreError> {
    if !hash.is_empty() && hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(StoreError::BadHash {
            hash: hash.to_string(),
        })
    }
}

/// The hash of a document file name (`<hex>.ron`).
fn doc_hash(name: &std::ffi::OsStr) -> Option<String> {
    let stem = name.to_str()?.strip_suffix(DOC_EXT)?;
    check_hash(stem).ok()?;
    Some(stem.to_string())
}

/// The bytes of the regular file at `path` (following a symlink); `None` when something else
/// is there (see [`open_regular`]).
fn read_regular(path: &Path) -> io::Result<Option<Vec<u8>>> {
    let Some((mut file, meta)) = open_regular(path)? else {
        return Ok(None);
    };
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.read_to_end(&mut bytes)?;
    Ok(Some(bytes))
}

/// The regular file at `path`, open, with its metadata; `None` when something else is there:
/// a named pipe (reading it would wait for a writer forever), a device (`/dev/zero` never
/// ends), a socket, a dir. Those are never opened (`metadata` does not block), and a file
/// replaced by one in between is opened without blocking and then refused.
fn open_regular(path: &Path) -> io::Result<Option<(File, fs::Metadata)>> {
    if !fs::metadata(path)?.is_file() {
        return Ok(None);
    }
    let file = crate::load::open_nonblocking(path)?;
    let meta = file.metadata()?;
    Ok(meta.is_file().then_some((file, meta)))
}

/// A file that is not a record this build can read (and not a newer one).
#[derive(Debug)]
struct Corrupt;

/// A record file that did not parse, with its bytes (see [`salvage`]).
#[derive(Debug)]
struct Unreadable(Vec<u8>);

/// Parses a record file. `Err` is the newer-version case; `Ok(Err(Corrupt))` anything else
/// that is not a readable record.
fn parse(bytes: &[u8]) -> Result<Result<Record, Corrupt>, u32> {
    /// Just the version, to tell a newer format from a broken file.
    #[derive(Deserialize)]
    struct Head {
        version: u32,
    }
    match ron::de::from_bytes::<Record>(bytes) {
        Ok(record) if record.version > VERSION => Err(record.version),
        Ok(record) => Ok(Ok(record)),
        Err(_) => match ron::de::from_bytes::<Head>(bytes) {
            Ok(head) if head.version > VERSION => Err(head.version),
            Ok(_) => Ok(Err(Corrupt)),
            // Cut off or broken, yet perhaps still saying it is newer.
            Err(_) => match salvage_field::<u32>(bytes, "version") {
                Some(version) if version > VERSION => Err(version),
                _ => Ok(Err(Corrupt)),
            },
        },
    }
}

/// Renames a file that failed to parse to `<name>.corrupt-<UTC stamp>[-n]`, never replacing
/// an earlier one.
fn move_aside(path: &Path) -> Result<PathBuf, StoreError> {
    let stamp: String = crate::clock::now()
        .chars()
        .take(19)
        .filter(|c| !matches!(c, '-' | ':'))
        .chain(std::iter::once('Z'))
        .collect();
    let mut name = path.as_os_str().to_os_string();
    name.push(format!(".corrupt-{stamp}"));
    let failed = |source| StoreError::Write {
        path: path.to_path_buf(),
        source,
    };
    for n in 0u32.. {
        let mut dest = name.clone();
        if n > 0 {
            dest.push(format!("-{n}"));
        }
        let dest = PathBuf::from(dest);
        // A hard link never replaces an existing file; rename would.
        match fs::hard_link(path, &dest) {
            Ok(()) => {
                fs::remove_file(path).map_err(failed)?;
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(_) if fs::symlink_metadata(&dest).is_err() => {
                // No hard links on this file system.
                fs::rename(path, &dest).map_err(failed)?;
            }
            Err(_) => continue,
        }
        if let Some(dir) = path.parent() {
            sync_dir(dir);
        }
        return Ok(dest);
    }
    unreachable!("some name is free")
}

/// Makes a rename in `dir` durable. Best effort: some file systems cannot sync a dir.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Union of `theirs` into `ours` (see [`Store::save`]); returns how many things came in.
fn merge(ours: &mut Record, theirs: Record) -> usize {
    let mut merged_in = 0;
    let mut deleted: HashSet<String> = ours.deleted.iter().cloned().collect();
    let mut newly_deleted = HashSet::new();
    for id in theirs.deleted {
        if deleted.insert(id.clone()) {
            ours.deleted.push(id.clone());
            newly_deleted.insert(id);
        }
    }
    ours.annotations.retain(|a| {
        let keep = !deleted.contains(&a.id);
        merged_in += usize::from(!keep && newly_deleted.contains(&a.id));
        keep
    });
    let mut at: HashMap<String, usize> = ours
        .annotations
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.clone(), i))
        .collect();
    for a in theirs.annotations {
        if deleted.contains(&a.id) {
            continue;
        }
        match at.get(&a.id) {
            None => {
                at.insert(a.id.clone(), ours.annotations.len());
                ours.annotations.push(a);
                merged_in += 1;
            }
            Some(&i) if wins(&a, &ours.annotations[i], ours.base.get(&a.id)) => {
                ours.annotations[i] = a;
                merged_in += 1;
            }
            Some(_) => {}
        }
    }
    ours.document_notes.retain(|n| !deleted.contains(&n.id));
    for n in theirs.document_notes {
        if deleted.contains(&n.id) {
            continue;
        }
        match ours.document_notes.iter_mut().find(|o| o.id == n.id) {
            None => {
                ours.document_notes.push(n);
                merged_in += 1;
            }
            Some(o) if crate::clock::cmp(&n.modified, &o.modified).is_gt() => {
                *o = n;
                merged_in += 1;
            }
            Some(_) => {}
        }
    }
    for c in theirs.corrections {
        if !ours.corrections.contains(&c) {
            ours.corrections.push(c);
            merged_in += 1;
        }
    }
    merged_in
}

/// Whether `theirs` replaces `ours` (same id). When `base` (the version ours started from)
/// is known: theirs still being that version never wins, and theirs wins when only it
/// changed. When both changed, or base is unknown: the later `modified` as an instant; on a
/// tie, a fixed order of the contents, so that two instances settle on the same version.
fn wins<'a>(theirs: &'a Annotation, ours: &'a Annotation, base: Option<&String>) -> bool {
    if let Some(base) = base {
        match (theirs.modified != *base, ours.modified != *base) {
            (false, _) => return false,
            (true, false) => return true,
            (true, true) => {}
        }
    }
    let key = |a: &'a Annotation| {
        (
            &a.modified,
            &a.note,
            &a.tags,
            a.colour.digit(),
            a.orphan,
            a.start,
            a.end,
        )
    };
    match crate::clock::cmp(&theirs.modified, &ours.modified) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => key(theirs) > key(ours),
    }
}

/// Readable RON: one field of the record per line, one annotation or correction per line.
fn pretty() -> ron::ser::PrettyConfig {
    ron::ser::PrettyConfig::new().depth_limit(2)
}

/// The record as [`pretty`] RON, fast. RON's own escaping goes character by character at
/// about 30 MB/s, which for 5,000 annotations is more than the 50 ms a save may take, while
/// strings written raw cost next to nothing. So the annotations are written with raw strings,
/// one per line; the strings that need escaping (line breaks in a note or in the context of a
/// quote that crosses paragraphs, quotes, backslashes) go in as numbered placeholders that
/// [`escape`]d text then replaces. The rest of the record is written the ordinary way, with
/// an empty list the annotations are spliced into. Serde still decides the fields, so none
/// can be forgotten.
fn to_ron(record: &mut Record) -> Result<String, ron::Error> {
    let annotations = std::mem::take(&mut record.annotations);
    let head = ron::ser::to_string_pretty(record, pretty());
    record.annotations = annotations;
    let head = head?;
    const EMPTY: &str = "\n    annotations: [],\n";
    let list = annotation_lines(&record.annotations)?;
    let (Some(at), Some(list)) = (head.find(EMPTY), list) else {
        // Not the layout expected of this RON version: the slow way, still correct.
        return ron::ser::to_string_pretty(record, pretty());
    };
    let mut out = String::with_capacity(head.len() + list.len() + 16);
    out.push_str(&head[..at]);
    out.push_str("\n    annotations: ");
    out.push_str(&list);
    out.push_str(",\n");
    out.push_str(&head[at + EMPTY.len()..]);
    Ok(out)
}

/// Marks where an escaped string goes (see [`to_ron`]).
const PLACEHOLDER: &str = "pizhu:escaped:";

/// The annotations as a RON list, one per line indented for the record's `annotations` field;
/// `None` if the placeholders did not come out as expected.
fn annotation_lines(annotations: &[Annotation]) -> Result<Option<String>, ron::Error> {
    use std::borrow::Cow;
    // Written raw, these read back the same: no control characters, and no quotes, so a
    // quote in the output is always a string's delimiter.
    let raw = |s: &String| {
        !(s.starts_with(PLACEHOLDER) || s.chars().any(|c| c.is_control() || c == '"' || c == '\\'))
    };
    let mut literals = Vec::new();
    let items: Vec<Cow<Annotation>> = annotations
        .iter()
        .map(|a| {
            if annotation_strings(a).into_iter().all(raw) {
                return Cow::Borrowed(a);
            }
            let mut a = a.clone();
            for s in annotation_strings_mut(&mut a) {
                if !raw(s) {
                    let literal = escape(s);
                    *s = format!("{PLACEHOLDER}{}", literals.len());
                    literals.push(literal);
                }
            }
            Cow::Owned(a)
        })
        .collect();
    let config = ron::ser::PrettyConfig::new()
        .depth_limit(1)
        .indentor("        ")
        .escape_strings(false);
    let text = ron::ser::to_string_pretty(&items, config)?;
    // The list's closing bracket lines up with the field name.
    let text = match text.strip_suffix("\n]") {
        Some(open) => format!("{open}\n    ]"),
        None => text,
    };
    if literals.is_empty() {
        return Ok(Some(text));
    }
    let mut out = String::with_capacity(text.len() + literals.len() * 8);
    let needle = format!("\"{PLACEHOLDER}");
    let mut rest = text.as_str();
    for (i, literal) in literals.iter().enumerate() {
        let Some(at) = memchr::memmem::find(rest.as_bytes(), needle.as_bytes()) else {
            return Ok(None);
        };
        out.push_str(&rest[..at]);
        let after = &rest[at + needle.len()..];
        let number = i.to_string();
        match after
            .strip_prefix(number.as_str())
            .and_then(|r| r.strip_prefix('"'))
        {
            Some(r) => rest = r,
            None => return Ok(None),
        }
        out.push_str(literal);
    }
    if rest.contains(needle.as_str()) {
        return Ok(None);
    }
    out.push_str(rest);
    Ok(Some(out))
}

/// The annotation's strings (see [`annotation_strings_mut`]).
fn annotation_strings(a: &Annotation) -> Vec<&String> {
    let q = &a.quote;
    let fixed = [
        &a.id,
        &q.exact,
        &q.prefix,
        &q.suffix,
        &a.note,
        &a.created,
        &a.modified,
    ];
    fixed.into_iter().chain(&a.tags).collect()
}

/// The annotation's strings. A string field missing here is written raw: still correct RON
/// that reads back the same, only less readable when it holds a line break.
fn annotation_strings_mut(a: &mut Annotation) -> Vec<&mut String> {
    let q = &mut a.quote;
    let fixed = [
        &mut a.id,
        &mut q.exact,
        &mut q.prefix,
        &mut q.suffix,
        &mut a.note,
        &mut a.created,
        &mut a.modified,
    ];
    fixed.into_iter().chain(&mut a.tags).collect()
}

/// `s` as a quoted RON string with its control characters, quotes and backslashes escaped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What identifies one version of a file cheaply: replacing it (a rename) changes the inode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    len: u64,
    secs: u64,
    nanos: u32,
    inode: u64,
}

impl Stamp {
    fn of(meta: &fs::Metadata) -> Self {
        let since = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .unwrap_or_default();
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(meta);
        #[cfg(not(unix))]
        let inode = 0;
        Self {
            len: meta.len(),
            secs: since.as_secs(),
            nanos: since.subsec_nanos(),
            inode,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Index {
    version: u32,
    #[serde(default)]
    documents: BTreeMap<String, Entry>,
}

/// What `list` and `tags` need from one document file.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Entry {
    stamp: Stamp,
    summary: Summary,
    #[serde(default)]
    tags: BTreeMap<String, usize>,
}

impl Entry {
    fn of(record: &Record, stamp: Stamp) -> Self {
        let mut tags = BTreeMap::new();
        for a in &record.annotations {
            for t in &a.tags {
                *tags.entry(t.clone()).or_default() += 1;
            }
        }
        let count = |f: fn(&Annotation) -> bool| record.annotations.iter().filter(|a| f(a)).count();
        Self {
            stamp,
            summary: Summary {
                hash: record.hash.clone(),
                title: record.title.clone(),
                path: record.path.clone(),
                annotations: record.annotations.len(),
                orphans: count(|a| a.orphan),
                notes: count(|a| !a.note.trim().is_empty()),
                document_notes: record.document_notes.len(),
                saved: record.saved.clone(),
            },
            tags,
        }
    }
}

/// The entry for a document file; `None` when it cannot be read or parsed. The stamp comes
/// from the open file, so it always belongs to the bytes read.
fn entry_from_file(path: &Path) -> Option<Entry> {
    let (mut file, meta) = open_regular(path).ok()??;
    let stamp = Stamp::of(&meta);
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).ok()?;
    let mut record = parse(&bytes).ok()?.ok()?;
    record.hash = doc_hash(path.file_name()?)?;
    Some(Entry::of(&record, stamp))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotations::{Colour, Quote};

    fn note(id: &str, start: usize, modified: &str) -> Annotation {
        Annotation {
            id: id.to_string(),
            start,
            end: start + 3,
            quote: Quote {
                exact: "小红书".to_string(),
                prefix: String::new(),
                suffix: String::new(),
            },
            colour: Colour::Yellow,
            tags: vec!["电商".to_string()],
            note: String::new(),
            created: "2026-01-01T00:00:00.000Z".to_string(),
            modified: modified.to_string(),
            orphan: false,
        }
    }

    #[test]
    fn merge_unions_and_respects_deletions_and_later_edits() {
        let t1 = "2026-01-01T00:00:01.000Z";
        let t2 = "2026-01-01T00:00:02.000Z";
        let mut ours = Record::new("ab", None, "t");
        ours.annotations = vec![note("a", 0, t1), note("b", 3, t2), note("c", 6, t1)];
        ours.deleted = vec!["x".into()];
        let mut theirs = Record::new("ab", None, "t");
        let mut newer_a = note("a", 0, t2);
        newer_a.note = "theirs".into();
        let mut older_b = note("b", 3, t1);
        older_b.note = "old".into();
        theirs.annotations = vec![newer_a, older_b, note("d", 9, t1), note("x", 12, t1)];
        theirs.deleted = vec!["c".into()];
        let n = merge(&mut ours, theirs);
        let ids: Vec<&str> = ours.annotations.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "d"]);
        assert_eq!(ours.annotations[0].note, "theirs");
        assert_eq!(ours.annotations[1].note, "");
        assert_eq!(ours.deleted, ["x", "c"]);
        // c deleted, a replaced, d added.
        assert_eq!(n, 3);
    }

    #[test]
    fn ties_settle_the_same_way_on_both_sides() {
        let t = "2026-01-01T00:00:01.000Z";
        let mut a = note("a", 0, t);
        a.note = "一".into();
        let mut b = note("a", 0, t);
        b.note = "二".into();
        assert_ne!(wins(&a, &b, None), wins(&b, &a, None));
        assert!(!wins(&a, &a.clone(), None));
    }

    #[test]
    fn the_version_a_copy_started_from_never_beats_its_edit() {
        // The file holds a version claiming 2099 (an old import); the edit made here is
        // stamped now, and still wins because it was made on top of that version.
        let future = "2099-01-01T00:00:00.000Z";
        let theirs = note("a", 0, future);
        let mut ours = theirs.clone();
        ours.note = "edited here".into();
        ours.modified = "2026-11-29T08:00:00.000Z".into();
        let base = future.to_string();
        assert!(!wins(&theirs, &ours, Some(&base)));
        // Unchanged here and changed there: theirs, even with a clock behind.
        let mut there = note("a", 0, "2020-01-01T00:00:00.000Z");
        there.note = "edited there".into();
        assert!(wins(&there, &theirs, Some(&base)));
        // Offsets are compared as instants: 09:00+08:00 is before 02:00Z.
        let early = note("a", 0, "2026-01-01T09:00:00+08:00");
        let late = note("a", 0, "2026-01-01T02:00:00.000Z");
        assert!(wins(&late, &early, None));
        assert!(!wins(&early, &late, None));
    }

    #[test]
    fn errors_are_one_line_without_os_error_codes() {
        let e = StoreError::Unwritable {
            dir: PathBuf::from("/x"),
            source: io::Error::from_raw_os_error(13),
        };
        assert_eq!(
            e.to_string(),
            "cannot write to data dir /x: permission denied; pass --data-dir DIR or set \
             PIZHU_DATA_DIR"
        );
        let e = StoreError::Newer {
            path: PathBuf::from("/d/ab.ron"),
            version: 3,
        };
        assert_eq!(
            e.to_string(),
            "/d/ab.ron was written by a newer pizhu (version 3); upgrade pizhu"
        );
    }

    #[test]
    fn only_hex_hashes_name_files() {
        assert!(check_hash("0123abcdef").is_ok());
        for bad in ["", "../x", "index", "ab.ron", "a b"] {
            assert!(check_hash(bad).is_err(), "{bad}");
        }
        assert_eq!(doc_hash("ab12.ron".as_ref()).as_deref(), Some("ab12"));
        for name in [
            "index.ron",
            ".ab.ron.tmp-1",
            "ab.lock",
            "ab.ron.corrupt-20260101T000000Z",
        ] {
            assert_eq!(doc_hash(name.as_ref()), None, "{name}");
        }
    }

    #[test]
    fn chinese_is_written_as_is_one_annotation_per_line() {
        let mut r = Record::new("ab", Some("/文章.txt".into()), "标题");
        r.annotations = vec![note("a", 0, "2026-01-01T00:00:01.000Z")];
        r.annotations[0].note = "第一行\n第二行".into();
        let text = to_ron(&mut r).unwrap();
        assert!(text.contains("path: Some(\"/文章.txt\")"), "{text}");
        assert!(text.contains("exact: \"小红书\""), "{text}");
        let line = text.lines().find(|l| l.contains("id: \"a\"")).unwrap();
        assert!(
            line.contains("modified:") && line.contains("第一行\\n第二行"),
            "{line}"
        );
        let back: Record = ron::from_str(&text).unwrap();
        assert_eq!(back, r);
    }

    /// Odd strings in every position, and the one-annotation-per-line layout.
    fn read_back(w: &str) {
        let mut a = note("a", 0, "2026-01-01T00:00:01.000Z");
        a.note = w.to_string();
        a.quote.prefix = format!("前{w}");
        a.quote.exact = format!("{w}后");
        a.tags = vec![w.to_string(), "标签".into()];
        let mut r = Record::new("ab", Some(w.to_string()), w);
        r.annotations = vec![a, note("b", 3, "2026-01-01T00:00:01.000Z")];
        r.deleted = vec![w.to_string()];
        let text = to_ron(&mut r).unwrap();
        let back: Record = ron::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        assert_eq!(back, r, "{text}");
        let lines: Vec<&str> = text.lines().collect();
        let at = lines
            .iter()
            .position(|l| *l == "    annotations: [")
            .unwrap();
        assert!(
            lines[at + 1].starts_with("        (id: \"a\", start: 0"),
            "{text}"
        );
        assert!(
            lines[at + 2].starts_with("        (id: \"b\", start: 3"),
            "{text}"
        );
        assert_eq!(lines[at + 3], "    ],", "{text}");
        // What salvaging reads of a whole file is the file.
        let (salvaged, recovery) = salvage(text.as_bytes());
        assert_eq!(salvaged, r, "{text}");
        assert_eq!(recovery, Recovery { kept: 2, lost: 0 });
    }

    /// Cut anywhere, a file gives back whole annotations only, in order, never more.
    fn cut_anywhere(w: &str) {
        let mut r = Record::new("ab", Some(w.to_string()), w);
        r.annotations = vec![note("a", 0, "t"), note("b", 3, "t")];
        r.annotations[0].note = w.to_string();
        r.annotations[1].tags = vec![w.to_string()];
        let text = to_ron(&mut r).unwrap();
        for (cut, _) in text.char_indices() {
            let (salvaged, recovery) = salvage(&text.as_bytes()[..cut]);
            let n = salvaged.annotations.len();
            assert_eq!(
                salvaged.annotations[..],
                r.annotations[..n],
                "cut at {cut}: {text}"
            );
            assert_eq!(recovery.kept, n);
            assert!(recovery.lost <= 1, "cut at {cut}: {text}");
        }
    }

    #[test]
    fn salvage_survives_any_cut() {
        for w in [
            "",
            "a)b]c",
            "\"),(",
            "r#\"x\"#",
            "// /* '",
            "第一行\n第二行",
        ] {
            cut_anywhere(w);
        }
    }

    #[test]
    fn odd_strings_read_back_the_same() {
        for w in [
            "",
            "a\nb",
            "\r\n",
            "\"",
            "\\",
            "r#\"x\"#",
            "\u{1b}[31m",
            "\u{2028}\u{200b}\u{feff}",
            "tab\there",
            "pizhu:escaped:0",
            "\"pizhu:escaped:0\"",
            "#\"#",
            "\0\u{7f}\u{85}",
            "\u{301}开头的组合符",
        ] {
            read_back(w);
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn write_atomic_file_replaces_and_leaves_no_temp() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("导出.md");
        write_atomic_file(&out, b"first").unwrap();
        assert_eq!(fs::read(&out).unwrap(), b"first");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&out, fs::Permissions::from_mode(0o600)).unwrap();
        }
        write_atomic_file(&out, "第二版".as_bytes()).unwrap();
        assert_eq!(fs::read_to_string(&out).unwrap(), "第二版");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&out).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "keeps the permissions it replaces");
        }
        assert_eq!(names(tmp.path()), ["导出.md"]);
    }

    #[cfg(unix)]
    #[test]
    fn write_atomic_file_replaces_a_symlink_not_its_target() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("target");
        fs::write(&target, b"keep").unwrap();
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write_atomic_file(&link, b"new").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"keep");
        assert!(fs::symlink_metadata(&link).unwrap().is_file());
        assert_eq!(fs::read(&link).unwrap(), b"new");
    }

    #[test]
    fn a_failed_write_atomic_file_leaves_the_old_file_and_no_temp() {
        let tmp = tempfile::tempdir().unwrap();
        // The rename fails: a non-empty directory is where the file should go.
        let target = tmp.path().join("out");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("old"), b"old").unwrap();
        assert!(write_atomic_file(&target, b"new").is_err());
        assert_eq!(fs::read(target.join("old")).unwrap(), b"old");
        assert_eq!(names(tmp.path()), ["out"]);
        // Nowhere to put the temp.
        let missing = tmp.path().join("no such dir").join("out");
        assert!(write_atomic_file(&missing, b"new").is_err());
        assert_eq!(names(tmp.path()), ["out"]);
    }

    proptest::proptest! {
        #[test]
        fn any_string_reads_back_the_same(w in "\\PC*|[\\x00-\\x7f]*|.*") {
            read_back(&w);
        }
    }
}
