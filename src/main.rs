//! Command line: parse arguments, load config and article, dispatch. Errors are one line on
//! stderr naming the file and what to do; exit 2 for bad input, 1 for runtime failures.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use pizhu::annotations::AnnotationSet;
use pizhu::app::App;
use pizhu::config::{Config, default_config};
use pizhu::document::Document;
use pizhu::entities::correction::Correction;
use pizhu::entities::{Extractor, Gazetteer, report};
use pizhu::export::Format;
use pizhu::formats::InputFormat;
use pizhu::layout::AmbiguousWidth;
use pizhu::load::{self, LoadError, Source};
use pizhu::session::Session;
use pizhu::store::{Record, Store, StoreError};
use pizhu::ui::Theme;

#[derive(Parser)]
#[command(
    name = "pizhu",
    version,
    about = "批注 pizhu: read and annotate Chinese articles in the terminal",
    long_about = "批注 pizhu: read and annotate Chinese articles in the terminal.\n\n\
        Run without a FILE to open the bundled sample article, or pipe an article in \
        (cat article.txt | pizhu) to read it. Press ? in the reader for keys."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// Article to open (UTF-8, UTF-16, GB18030/GBK or Big5); `-` or a pipe reads stdin.
    file: Option<PathBuf>,

    /// Where annotations are kept [default: the platform data directory].
    #[arg(long, global = true, env = "PIZHU_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,

    /// Config file [default: config.ron in the platform config directory].
    #[arg(long, global = true, env = "PIZHU_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,

    /// Read the file in this encoding instead of detecting it (gbk, gb18030, big5, utf-16le…).
    #[arg(long, global = true, value_name = "NAME")]
    encoding: Option<String>,

    /// Refuse articles larger than this (bytes, or with K, M or G: 64M).
    #[arg(
        long,
        global = true,
        env = "PIZHU_MAX_FILE_SIZE",
        value_name = "BYTES",
        value_parser = load::parse_size,
        default_value = "512M"
    )]
    max_size: u64,

    /// Read the article as this format instead of detecting it from its name and content.
    #[arg(long, global = true, value_name = "FORMAT", value_parser = parse_input_format)]
    input_format: Option<InputFormat>,

    /// Count East Asian Ambiguous characters (“ ” … — ·) as two columns.
    #[arg(long, global = true)]
    ambiguous_wide: bool,

    /// Print the default configuration, with comments, and exit.
    #[arg(long)]
    print_config: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Print the article as plain text, laid out as the reader shows it.
    Cat {
        /// Article to print; `-` reads stdin; none prints the sample.
        file: Option<PathBuf>,
        /// Columns per row [default: the terminal's width, or 80].
        #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        width: Option<u16>,
    },
    /// List the companies, people, places and other names in the article.
    ///
    /// By kind, with their mention counts: companies, products, people, media, places,
    /// amounts and dates.
    Entities {
        /// Article to read; `-` reads stdin; none reads the sample.
        file: Option<PathBuf>,
        /// One JSON array with every mention's character offsets.
        #[arg(long)]
        json: bool,
    },
    /// Export an article's saved annotations (Markdown by default).
    ///
    /// Formats: Markdown with YAML front matter (Obsidian), W3C Web Annotation JSON-LD,
    /// Readwise CSV, or pizhu's own JSON.
    Export {
        /// Article whose annotations to export; `-` reads stdin; none: the sample's.
        file: Option<PathBuf>,
        /// Output format.
        #[arg(long, short, value_name = "FORMAT", default_value = "markdown")]
        format: FormatArg,
        /// Write to this file instead of standard output.
        #[arg(long, short, value_name = "PATH")]
        output: Option<PathBuf>,
        /// Leave out the entities (the Markdown section, the JSON list; w3c and csv have none).
        #[arg(long)]
        no_entities: bool,
    },
    /// Add the annotations of a pizhu or W3C export to an article.
    ///
    /// Each is found again in the article's text; those already there are not added twice.
    Import {
        /// Article to add them to; `-` reads stdin; none: the sample.
        file: Option<PathBuf>,
        /// The export to read (`pizhu export --format json` or `--format w3c`, another
        /// tool's W3C Web Annotation JSON, or a record file of the data dir).
        #[arg(long, value_name = "PATH", required_unless_present = "previous")]
        from: Option<PathBuf>,
        /// Bring over the annotations of the text FILE held before it was replaced by a
        /// different one (they stay with that text, found again if it comes back).
        #[arg(long, conflicts_with = "from")]
        previous: bool,
    },
    /// List the documents that have annotations, with their counts.
    List,
    /// Print the title, chapters and headings, indented by level.
    ///
    /// The outline of the document as the reader sees it: a book's chapters, a Markdown
    /// post's or a web page's headings.
    Outline {
        /// Article to read; `-` reads stdin; none reads the sample.
        file: Option<PathBuf>,
    },
    /// Wrap each line of stdin as a paragraph and print the rows.
    ///
    /// A CJK-correct fold: the reader's line breaking, and nothing else.
    Wrap {
        /// Columns per row.
        #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        width: u16,
    },
}

/// `--format` values.
#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    /// Markdown with YAML front matter, for Obsidian (also: md).
    #[value(alias = "md")]
    Markdown,
    /// W3C Web Annotation Data Model in JSON-LD, .jsonld (also: jsonld).
    #[value(aliases = ["jsonld", "json-ld"])]
    W3c,
    /// Readwise CSV import (also: readwise).
    #[value(alias = "readwise")]
    Csv,
    /// pizhu's own complete JSON, for `pizhu import`.
    Json,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Markdown => Format::Markdown,
            FormatArg::W3c => Format::W3c,
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
        }
    }
}

/// A failure with its exit code.
struct Failure {
    message: String,
    code: u8,
}

impl From<LoadError> for Failure {
    fn from(e: LoadError) -> Self {
        let code = if e.is_bad_input() { 2 } else { 1 };
        Self {
            message: e.to_string(),
            code,
        }
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Self {
            message: brief(&e),
            code: 1,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if !f.message.is_empty() {
                // Messages quote file names and file contents: one clean line, always. A
                // closed stderr is no reason to panic.
                let line = format!("pizhu: {}\n", pizhu::text::sanitize_line(&f.message));
                let _ = io::stderr().write_all(line.as_bytes());
            }
            ExitCode::from(f.code)
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    if cli.print_config {
        return quietly(io::stdout().lock().write_all(default_config().as_bytes()));
    }
    let mut config = load_config(cli.config.as_deref())?;
    if cli.ambiguous_wide {
        config.ambiguous_wide = true;
    }
    let ambiguous = if config.ambiguous_wide {
        AmbiguousWidth::Wide
    } else {
        AmbiguousWidth::Narrow
    };
    let input = Input {
        encoding: cli.encoding.clone(),
        max_size: cli.max_size,
        format: cli.input_format,
    };
    match cli.command {
        Some(Command::Wrap { width }) => {
            let loaded = load::load_limited(&Source::Stdin, cli.encoding.as_deref(), cli.max_size)?;
            let text = pizhu::text::sanitize(&loaded.text);
            let mut out = io::BufWriter::new(io::stdout().lock());
            quietly(
                pizhu::plain::wrap(&text, usize::from(width), ambiguous, &mut out)
                    .and_then(|()| out.flush()),
            )
        }
        Some(Command::Outline { file }) => {
            let doc = input.open(&Source::from_arg(file.as_deref()))?.doc;
            let mut out = io::BufWriter::new(io::stdout().lock());
            let mut text = String::new();
            for entry in doc.outline() {
                let indent = "  ".repeat(usize::from(entry.level.saturating_sub(1)));
                let line = pizhu::text::sanitize_line(doc.block_text(entry.block));
                text.push_str(&format!("{indent}{line}\n"));
            }
            quietly(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
        }
        Some(Command::Entities { file, json }) => {
            entities(cli.data_dir.as_deref(), &input, file.as_deref(), json)
        }
        Some(Command::List) => list(cli.data_dir.as_deref()),
        Some(Command::Export {
            file,
            format,
            output,
            no_entities,
        }) => export(
            cli.data_dir.as_deref(),
            file.as_deref(),
            &input,
            format.into(),
            output.as_deref(),
            pizhu::export::Options {
                entities: !no_entities,
            },
        ),
        Some(Command::Import {
            file,
            from,
            previous: _,
        }) => import(
            cli.data_dir.as_deref(),
            file.as_deref(),
            &input,
            from.as_deref(),
        ),
        Some(Command::Cat { file, width }) => {
            let doc = input.open(&Source::from_arg(file.as_deref()))?.doc;
            let width = width.map_or_else(default_cat_width, usize::from);
            let params = config.layout_params(width);
            let mut out = io::BufWriter::new(io::stdout().lock());
            quietly(pizhu::plain::cat(&doc, params, &mut out).and_then(|()| out.flush()))
        }
        None => {
            // Like less: with no FILE, a pipe or redirect on stdin is the article; only a
            // terminal there opens the bundled sample.
            let source = match cli.file.as_deref() {
                None if !io::stdin().is_terminal() => Source::Stdin,
                file => Source::from_arg(file),
            };
            let fetched = input.fetch(&source)?;
            if !io::stdout().is_terminal() {
                // Like less: when not on a terminal, print the article instead.
                let doc = fetched.read()?.doc;
                let params = config.layout_params(80);
                let mut out = io::BufWriter::new(io::stdout().lock());
                return quietly(
                    pizhu::plain::cat(&doc, params, &mut out).and_then(|()| out.flush()),
                );
            }
            let name = match &source {
                Source::File(p) => p
                    .file_name()
                    .map_or_else(|| source.name(), |n| n.to_string_lossy().into_owned()),
                _ => source.name(),
            };
            if !io::stdin().is_terminal() {
                // The article came through stdin (or stdin is not the terminal anyway): keys
                // are read from the terminal itself, as crossterm does, and so are raw mode
                // and the size.
                keys_from_terminal()?;
            }
            let var = |name: &str| std::env::var(name).ok();
            let palette =
                pizhu::ui::Palette::detect(var("COLORTERM").as_deref(), var("TERM").as_deref());
            let theme = Theme::from_config(&config, std::env::var_os("NO_COLOR").as_deref())
                .for_palette(palette);
            let size = crossterm::terminal::size().unwrap_or((80, 24));
            let path = match &source {
                Source::File(p) => Some(p.as_path()),
                _ => None,
            };
            // A long book: its first chapters (to where the reader left it) are drawn while
            // the whole book is read.
            let mut first = None;
            let doc = match first_chapters(&fetched, cli.data_dir.as_deref(), path) {
                Some((load::Opening::Whole(opened), _)) => opened.doc,
                Some((load::Opening::Part(part), position)) => {
                    let mut app = App::new(part, name.clone(), config.clone(), size);
                    app.restore_position(position);
                    app.set_message("Reading the rest of the book…");
                    first = Some(pizhu::term::show_first(&mut app, &theme)?);
                    drop(app);
                    fetched.read()?.doc
                }
                None => fetched.read()?.doc,
            };
            let opened = Session::open(cli.data_dir.as_deref(), &doc, path);
            let note = doc.info().note.clone();
            let mut app = App::new(doc, name, config, size);
            app.set_source_path(source_path(&source));
            app.set_data_dir(cli.data_dir.clone().or_else(Store::default_dir));
            app.set_time_zone(jiff::tz::TimeZone::system());
            app.set_annotations(opened.annotations);
            app.restore_position(opened.position);
            app.set_marks(opened.marks);
            let welcome = opened.first_start.then(|| app.welcome());
            if let Some(message) = opened.message.or(note).or(welcome) {
                app.set_message(message);
            }
            let ended = pizhu::term::run(app, theme, opened.session, first)?;
            if let Some(e) = ended.save_error {
                return Err(Failure {
                    message: format!("the annotations could not be saved: {e}"),
                    code: 1,
                });
            }
            match ended.signal {
                // Ended by a signal: exit as a shell expects (128 + signal number).
                Some(signal) => Err(Failure {
                    message: String::new(),
                    code: u8::try_from(128 + signal).unwrap_or(1),
                }),
                None => Ok(()),
            }
        }
    }
}

/// `pizhu entities`: the article's entities, as a list or as JSON.
fn entities(
    data_dir: Option<&Path>,
    input: &Input,
    file: Option<&Path>,
    json: bool,
) -> Result<(), Failure> {
    // The segmenter's dictionary takes a tenth of a second to build: on a thread of its own,
    // while the article is read.
    let building = std::thread::spawn(|| Extractor::new(Gazetteer::builtin()));
    let source = Source::from_arg(file);
    let fetched = input.fetch(&source)?;
    // Plain text reports offsets in the file as decoded; other formats in the document's
    // text (the file holds markup). Plain text needs no document besides: it has no code
    // blocks or inline code, and one copy of a long text is enough. The reader's corrections,
    // as `export` applies them, are looked up first: finding their record takes a document
    // of the text, gone before the extraction starts.
    let (doc, plain, corrections) = match fetched.format {
        InputFormat::Text => {
            let (plain, corrections) = plain_corrections(data_dir, &source, fetched.into_text()?)?;
            (None, plain, corrections)
        }
        _ => {
            let doc = fetched.read()?.doc;
            let text = pizhu::text::sanitize(doc.text());
            let corrections = saved_corrections(data_dir, &source, &text)?;
            (Some(doc), String::new(), corrections)
        }
    };
    let original = doc.as_ref().map_or(plain.as_str(), Document::text);
    let (text, map) = pizhu::text::OffsetMap::build(original);
    // URLs, handles and code name nobody; the document knows its code (when its text is the
    // one searched).
    let excluded = pizhu::entities::exclude::excluded(&text, doc.as_ref());
    // The tagger needs no dictionary: it starts while the extractor is still being built.
    let mut entities = std::thread::scope(|s| {
        let tagging = s.spawn(|| pizhu::entities::tag(&text, &excluded));
        let extractor = building
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let tags = Box::new(|| {
            tagging
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        extractor.extract_tagged(&text, &excluded, Some(tags), &mut |_| {})
    });
    let mut rejected = std::collections::HashSet::new();
    pizhu::entities::correction::replay(&corrections, &mut entities, &mut rejected, &text);
    entities.retain(|e| !rejected.contains(&e.name));
    let mut out = io::BufWriter::new(io::stdout().lock());
    let written = if json {
        report::json(&entities, &text, original, &map, &mut out)
    } else {
        report::plain(&entities, &text, &mut out)
    };
    quietly(written.and_then(|()| out.flush()))
}

/// Checks that the controlling terminal can be opened for keys when stdin is not it (crossterm
/// then reads `/dev/tty`), so that its absence is one line saying what to do rather than a
/// bare system error from deep inside the terminal setup.
fn keys_from_terminal() -> Result<(), Failure> {
    #[cfg(unix)]
    if let Err(e) = std::fs::File::options()
        .read(true)
        .write(true)
        .open("/dev/tty")
    {
        return Err(Failure {
            message: format!(
                "cannot open the terminal (/dev/tty) to read keys from: {} (to print the \
                 article instead, send the output to a pipe or file)",
                brief(&e)
            ),
            code: 1,
        });
    }
    Ok(())
}

/// The outcome of writing to standard output, which every command's output goes through: a
/// closed pipe (`pizhu list | head`) is a normal way to stop, not an error; anything else (a
/// full disk, `> /dev/full`) is one line and exit 1.
fn quietly(result: io::Result<()>) -> Result<(), Failure> {
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure {
            message: format!("cannot write to standard output: {}", brief(&e)),
            code: 1,
        }),
        Ok(()) => Ok(()),
    }
}

/// Prints `text` on standard output (see [`quietly`]).
fn print(text: &str) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    quietly(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

fn default_cat_width() -> usize {
    if io::stdout().is_terminal() {
        crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w).max(1))
    } else {
        80
    }
}

/// The config from `--config`/`PIZHU_CONFIG` (which must exist), or the default location
/// (which may not).
fn load_config(explicit: Option<&Path>) -> Result<Config, Failure> {
    let bad = |e: pizhu::config::ConfigError| Failure {
        message: e.to_string(),
        code: 2,
    };
    match explicit {
        Some(path) => Config::load(path).map_err(bad),
        None => {
            let Some(dirs) = directories::ProjectDirs::from("", "", "pizhu") else {
                return Ok(Config::default());
            };
            let path = dirs.config_dir().join("config.ron");
            if path.exists() {
                Config::load(&path).map_err(bad)
            } else {
                Ok(Config::default())
            }
        }
    }
}

/// `pizhu list`: one line per annotated document, newest first.
fn list(data_dir: Option<&Path>) -> Result<(), Failure> {
    let dir = self::data_dir(data_dir)?;
    if !dir.exists() {
        return print(&format!(
            "No annotations yet (data dir {} does not exist)\n",
            pizhu::text::sanitize_line(&dir.display().to_string())
        ));
    }
    let store = open_store(&dir)?;
    let docs = store.list().map_err(|e| Failure {
        message: e.to_string(),
        code: 1,
    })?;
    if docs.is_empty() {
        return print(&format!(
            "No annotations yet in {}\n",
            pizhu::text::sanitize_line(&dir.display().to_string())
        ));
    }
    let mut text = String::new();
    for d in &docs {
        let mut extra = if d.orphans > 0 {
            format!("  {} orphaned", d.orphans)
        } else {
            String::new()
        };
        if d.document_notes > 0 {
            extra.push_str(&format!(
                "  {}",
                pizhu::wording::counted(d.document_notes, "document note")
            ));
        }
        let title = if d.title.is_empty() {
            "(untitled)"
        } else {
            d.title.as_str()
        };
        let source = d.path.as_deref().unwrap_or("(sample or stdin)");
        text.push_str(&format!(
            "{:>5} {:<10} {:>4} {:<5}{extra}  {}  {}  {}\n",
            d.annotations,
            plural(d.annotations, "highlight"),
            d.notes,
            plural(d.notes, "note"),
            pizhu::clock::short(&d.saved),
            pizhu::text::sanitize(title),
            pizhu::text::sanitize(source),
        ));
    }
    print(&text)
}

/// Bad input (exit 2) with this message.
fn bad(message: impl Into<String>) -> Failure {
    Failure {
        message: message.into(),
        code: 2,
    }
}

use pizhu::io_error::brief;
use pizhu::wording::plural;

/// The absolute path the document was read from (`None` for the sample and stdin), as the
/// store keeps it.
fn source_path(source: &Source) -> Option<String> {
    match source {
        Source::File(p) => Some(pizhu::session::stored_path(p)),
        _ => None,
    }
}

/// The entity corrections saved for `text` (already sanitized): none when there is no data
/// dir yet, which is not created for this.
fn saved_corrections(
    data_dir_arg: Option<&Path>,
    source: &Source,
    text: &str,
) -> Result<Vec<Correction>, Failure> {
    match existing_data_dir(data_dir_arg) {
        Some(dir) => corrections_of(&dir, source, &Document::new(text)),
        None => Ok(Vec::new()),
    }
}

/// [`saved_corrections`] of a plain text as decoded, which comes back with them. When it needs
/// no cleaning (nearly always), the document that finds their record is made of the text
/// itself, not of a copy of what may be a whole book.
fn plain_corrections(
    data_dir_arg: Option<&Path>,
    source: &Source,
    plain: String,
) -> Result<(String, Vec<Correction>), Failure> {
    let Some(dir) = existing_data_dir(data_dir_arg) else {
        return Ok((plain, Vec::new()));
    };
    if let Cow::Owned(clean) = pizhu::text::sanitize(&plain) {
        let corrections = corrections_of(&dir, source, &Document::from_string(clean))?;
        return Ok((plain, corrections));
    }
    let doc = Document::from_string(plain);
    let corrections = corrections_of(&dir, source, &doc)?;
    Ok((doc.into_text(), corrections))
}

/// The data dir, if it exists: corrections are not looked for in one that does not (nor is
/// one created for that).
fn existing_data_dir(data_dir_arg: Option<&Path>) -> Option<PathBuf> {
    data_dir_arg
        .map(Path::to_path_buf)
        .or_else(Store::default_dir)
        .filter(|d| d.exists())
}

/// The corrections in the record of `doc` in the store at `dir`.
fn corrections_of(dir: &Path, source: &Source, doc: &Document) -> Result<Vec<Correction>, Failure> {
    let record = saved_record(&open_store(dir)?, doc, source_path(source).as_deref())?;
    Ok(record.corrections)
}

/// The data dir from `--data-dir`/`PIZHU_DATA_DIR` or the platform's.
fn data_dir(explicit: Option<&Path>) -> Result<PathBuf, Failure> {
    explicit
        .map(Path::to_path_buf)
        .or_else(Store::default_dir)
        .ok_or_else(|| bad("no data directory on this system: pass --data-dir DIR"))
}

/// The saved record of `doc` in `store`, its annotations re-anchored when the file changed
/// since they were saved (found by path).
fn saved_record(store: &Store, doc: &Document, path: Option<&str>) -> Result<Record, Failure> {
    let fitted = pizhu::session::load_record(store, doc, path).map_err(|e| Failure {
        message: e.to_string(),
        code: 1,
    })?;
    if let Some(recovery) = fitted.recovered {
        let message = recovery.describe(fitted.moved_aside.as_deref());
        if recovery.kept == 0 {
            // Not an empty result that looks like success.
            let hint = if fitted.moved_aside.is_some() {
                " (run again to start without them)"
            } else {
                ""
            };
            return Err(Failure {
                message: format!("{message}{hint}"),
                code: 1,
            });
        }
        let _ = writeln!(
            io::stderr(),
            "pizhu: {}",
            pizhu::text::sanitize_line(&message)
        );
    }
    Ok(fitted.record)
}

fn open_store(dir: &Path) -> Result<Store, Failure> {
    Store::open(dir).map_err(|e| {
        let code = if matches!(e, StoreError::Unwritable { .. }) {
            2
        } else {
            1
        };
        Failure {
            message: e.to_string(),
            code,
        }
    })
}

/// The time stamped on exports: now, or `SOURCE_DATE_EPOCH` (seconds since 1970) when set,
/// for reproducible output.
fn export_time() -> String {
    match std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
    {
        Some(secs) => pizhu::clock::format_millis(secs.saturating_mul(1000)),
        None => pizhu::clock::now(),
    }
}

/// How to read the article: the global options that say so.
struct Input {
    encoding: Option<String>,
    max_size: u64,
    format: Option<InputFormat>,
}

impl Input {
    fn open(&self, source: &Source) -> Result<load::Opened, LoadError> {
        load::open(source, self.encoding.as_deref(), self.max_size, self.format)
    }

    fn fetch(&self, source: &Source) -> Result<load::Fetched, LoadError> {
        load::fetch(source, self.encoding.as_deref(), self.max_size, self.format)
    }
}

/// The opening of a long book, up to the saved position and a screenful beyond it, and that
/// position.
fn first_chapters(
    fetched: &load::Fetched,
    data_dir: Option<&Path>,
    path: Option<&Path>,
) -> Option<(load::Opening, usize)> {
    if !fetched.has_opening() {
        return None;
    }
    let position = path.and_then(|p| pizhu::session::saved_position(data_dir, p));
    let position = position.unwrap_or(0);
    let opening = fetched.opening(position.saturating_add(load::FIRST_SCREEN_TEXT))?;
    Some((opening, position))
}

/// `--input-format`: `text`, `markdown`, `html` or `epub`.
fn parse_input_format(s: &str) -> Result<InputFormat, String> {
    InputFormat::from_name(s).ok_or_else(|| format!("{s:?}: expected text, markdown, html or epub"))
}

/// `pizhu export`.
fn export(
    data_dir_arg: Option<&Path>,
    file: Option<&Path>,
    input: &Input,
    format: Format,
    output: Option<&Path>,
    options: pizhu::export::Options,
) -> Result<(), Failure> {
    let source = Source::from_arg(file);
    let output = output.filter(|p| *p != Path::new("-"));
    let dir = data_dir(data_dir_arg)?;
    let article = match &source {
        Source::File(p) => Some(p.as_path()),
        _ => None,
    };
    if let Some(out) = output {
        // Before any work; checked again just before writing.
        pizhu::output::check_target(out, article, Some(&dir)).map_err(target_failure)?;
    }
    let doc = input.open(&source)?.doc;
    let path = source_path(&source);
    // Nothing saved yet: export the empty set rather than create the data dir.
    let record = if dir.exists() {
        saved_record(&open_store(&dir)?, &doc, path.as_deref())?
    } else {
        Record::new(doc.hash(), path.clone(), doc.title().unwrap_or_default())
    };
    let text = doc.text();
    // Only the formats that carry entities look for them.
    let wanted = options.entities && matches!(format, Format::Markdown | Format::Json);
    let extracted = if wanted {
        let excluded = pizhu::entities::exclude::excluded(text, Some(&doc));
        Extractor::new(Gazetteer::builtin()).extract_excluding(text, &excluded, &mut |_| {})
    } else {
        Vec::new()
    };
    let set = AnnotationSet::new(
        record.annotations.clone(),
        record.deleted.clone(),
        record.corrections.clone(),
        record.document_notes.clone(),
        Vec::new(),
    );
    let rendered = pizhu::export::prepare(
        &doc,
        path.as_deref(),
        &set,
        &extracted,
        &export_time(),
        &jiff::tz::TimeZone::system(),
        format,
        options,
    );
    match output {
        None => {
            let mut out = io::stdout().lock();
            quietly(
                out.write_all(rendered.as_bytes())
                    .and_then(|()| out.flush()),
            )
        }
        Some(out) => {
            pizhu::output::write_export(out, rendered.as_bytes(), article, Some(&dir))
                .map_err(target_failure)?;
            let n = record.annotations.len();
            print(&format!(
                "exported {n} {} ({format}) to {}\n",
                plural(n, "annotation"),
                pizhu::text::sanitize_line(&out.display().to_string())
            ))
        }
    }
}

fn target_failure(e: pizhu::output::TargetError) -> Failure {
    Failure {
        code: if e.is_bad_input() { 2 } else { 1 },
        message: e.to_string(),
    }
}

/// `pizhu import`.
fn import(
    data_dir_arg: Option<&Path>,
    file: Option<&Path>,
    input: &Input,
    from: Option<&Path>,
) -> Result<(), Failure> {
    let source = Source::from_arg(file);
    let doc = input.open(&source)?.doc;
    let path = source_path(&source);
    let store = open_store(&data_dir(data_dir_arg)?)?;
    // Without --from (--previous): the record of what FILE held before.
    let from = match from {
        Some(from) => from.to_path_buf(),
        None => {
            let found = path
                .as_deref()
                .and_then(|p| store.find_by_path(doc.hash(), p));
            let Some((old_hash, _)) = found else {
                return Err(bad(format!(
                    "{}: no annotations of an earlier text of this file (see pizhu list)",
                    source.name()
                )));
            };
            store.dir().join(format!("{old_hash}.ron"))
        }
    };
    let name = from.display().to_string();
    let bytes = load::read_file(&from, &name, input.max_size)?;
    // Everything is parsed and checked before the store is changed.
    let parsed = pizhu::import::parse(&name, &bytes).map_err(|e| bad(e.to_string()))?;
    let mut record = saved_record(&store, &doc, path.as_deref())?;
    let mut report = pizhu::import::merge(
        doc.text(),
        &mut record.annotations,
        &record.deleted,
        parsed.annotations,
    );
    report.document_notes = pizhu::import::merge_document_notes(
        &mut record.document_notes,
        &record.deleted,
        parsed.document_notes,
        pizhu::clock::now_millis(),
    );
    if report.added + report.merged + report.orphaned + report.document_notes > 0 {
        store.save(&mut record).map_err(|e| Failure {
            message: e.to_string(),
            code: 1,
        })?;
    }
    let skipped = match parsed.skipped.as_slice() {
        [] => String::new(),
        [one] => format!(", 1 skipped ({one})"),
        [first, rest @ ..] => format!(", {} skipped ({first}; …)", rest.len() + 1),
    };
    print(&format!(
        "imported from {}: {report}{}\n",
        pizhu::text::sanitize_line(&name),
        pizhu::text::sanitize_line(&skipped)
    ))
}
