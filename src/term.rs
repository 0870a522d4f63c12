//! The only place that touches the terminal: setup and restore, the event loop, signals.

use std::io::{self, Stdout};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    KeyEventKind, KeyModifiers, MouseEventKind,
};
use crossterm::terminal::{
    BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
    disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute, queue};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use signal_hook::iterator::Signals;

use crate::annotations::Merged;
use crate::annotations::Snapshot;
use crate::app::{App, EntitiesUpdate, Event, Key, KeyCode, Mouse, MouseKind, SharedSegmenter};
use crate::app::{Effect, WriteError};
use crate::document::Document;
use crate::entities::{Extractor, Gazetteer};
use crate::session::{Place, Session};
use crate::ui::{self, Theme};

/// Puts the terminal back however we leave: normal return, `?`, panic or signal.
struct TermGuard {
    mouse: bool,
}

impl TermGuard {
    fn enter(mouse: bool) -> io::Result<Self> {
        enable_raw_mode()?;
        let guard = Self { mouse };
        execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableBracketedPaste,
            cursor::Hide
        )?;
        if mouse {
            execute!(io::stdout(), EnableMouseCapture)?;
        }
        Ok(guard)
    }
}

impl Drop for TermGuard {
    fn drop(&mut self) {
        restore(self.mouse);
    }
}

/// Best-effort restore; errors are ignored because there is nothing better to do with them.
fn restore(mouse: bool) {
    if mouse {
        let _ = execute!(io::stdout(), DisableMouseCapture);
    }
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
}

/// Chains a panic hook that restores the terminal before the panic message is printed.
fn install_panic_hook(mouse: bool) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // A worker thread's panic must not take the terminal from the running reader.
        if std::thread::current().name() == Some("main") {
            restore(mouse);
        }
        previous(info);
    }));
}

/// What is saved, shared between the event loop and the signal thread: whichever gets there
/// first saves the latest changes.
struct Saving {
    session: Session,
    /// Changes not saved yet.
    pending: Option<Snapshot>,
    /// The reader's cursor and marks.
    place: Place,
}

type SharedSaving = Arc<Mutex<Saving>>;

fn lock(shared: &SharedSaving) -> std::sync::MutexGuard<'_, Saving> {
    shared
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Saving {
    /// Takes the reader's cursor and marks, to be saved with the next save.
    fn take_place(&mut self, app: &App) {
        self.place.position = app.cursor();
        if self.place.marks != *app.marks() {
            self.place.marks.clone_from(app.marks());
        }
    }

    /// Saves what is pending; on failure it stays pending for the next try.
    fn save(&mut self) -> Result<Option<Merged>, crate::store::StoreError> {
        let snapshot = self.pending.take();
        match self.session.save(snapshot.as_ref(), &self.place) {
            Ok(merged) => Ok(merged),
            Err(e) => {
                self.pending = snapshot;
                Err(e)
            }
        }
    }
}

/// On SIGTERM, SIGHUP or SIGINT, asks the event loop to stop (it saves on the way out). When
/// the terminal is gone (SIGHUP from a closed window), crossterm can spin inside its reader and
/// never return to the loop, so after a grace period this thread saves, restores the terminal
/// and exits.
fn watch_signals(
    mouse: bool,
    saving: SharedSaving,
    signals: Option<Signals>,
) -> io::Result<Arc<AtomicI32>> {
    let stop = Arc::new(AtomicI32::new(0));
    let mut signals = match signals {
        Some(signals) => signals,
        None => stopping_signals()?,
    };
    let flag = Arc::clone(&stop);
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                flag.store(signal, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(400));
                // Nothing to report to (the terminal may be gone): a failed save here is
                // still on disk as the last good version.
                let _ = lock(&saving).save();
                restore(mouse);
                std::process::exit(128 + signal);
            }
        })?;
    Ok(stop)
}

/// Finds the entities of `doc` on a thread of its own, so the reader answers keys at once;
/// progress and the result come back over the channel. Public so the benchmarks measure the
/// reader's own way of doing it.
pub fn spawn_extraction(doc: &Document) -> std::sync::mpsc::Receiver<EntitiesUpdate> {
    // The byte ranges that name nobody (URLs, code), from the document.
    let excluded = crate::entities::exclude::excluded(doc.text(), Some(doc));
    let text = doc.shared_text();
    let (tx, rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("entities".into())
        .spawn(move || {
            in_background();
            let _ = tx.send(EntitiesUpdate::Progress(0));
            let extractor = Extractor::new(Gazetteer::builtin());
            let _ = tx.send(EntitiesUpdate::Segmenter(SharedSegmenter(
                extractor.shared_segmenter(),
            )));
            let mut last = 0;
            let entities = extractor.extract_excluding(&text, &excluded, &mut |f| {
                let permille = (f * 1000.0) as u16;
                if permille >= last + 20 {
                    last = permille;
                    let _ = tx.send(EntitiesUpdate::Progress(permille));
                }
            });
            let _ = tx.send(EntitiesUpdate::Done(entities));
        });
    // Without a thread the sender is gone and the loop sees a disconnected channel.
    drop(spawned);
    rx
}

/// Lowers the priority of this thread and of the threads it starts (on Linux a thread's nice
/// value is its own, and inherited): the extraction keeps every core busy for a while, and
/// the reader's keys must not wait for it. Elsewhere nice is per process, so nothing is done.
fn in_background() {
    #[cfg(target_os = "linux")]
    {
        // Lowering one's own priority is always allowed; if it fails, the work still runs.
        let _ = rustix::process::setpriority_process(None, 10);
    }
}

/// Changes are saved this long after the first unsaved one (and always on the way out).
const SAVE_DELAY: Duration = Duration::from_millis(500);

/// How a reader session ended.
pub struct Ended {
    /// The signal that ended it, if one did.
    pub signal: Option<i32>,
    /// The last save failed: the user must hear about it after the screen is restored.
    pub save_error: Option<String>,
}

/// The signals that end the reader. Once registered they no longer end the process by
/// themselves: they wait for the thread that [`watch_signals`] starts.
fn stopping_signals() -> io::Result<Signals> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    Signals::new([SIGTERM, SIGHUP, SIGINT])
}

/// The terminal taken over to show a first frame before the reader runs (see [`show_first`]).
pub struct FirstFrame {
    guard: TermGuard,
    /// Signals that arrive meanwhile wait here for the reader to handle them.
    signals: Signals,
}

/// Takes over the terminal and draws `app` once, for the time it takes to read the whole of
/// a long book: the reader ([`run`]) then goes on from this screen. Dropping the result (the
/// book could not be read) restores the terminal.
pub fn show_first(app: &mut App, theme: &Theme) -> io::Result<FirstFrame> {
    let mouse = app.config().mouse;
    let signals = stopping_signals()?;
    install_panic_hook(mouse);
    let guard = TermGuard::enter(mouse)?;
    let out = io::BufWriter::with_capacity(1 << 16, io::stdout());
    let mut terminal = Terminal::new(CrosstermBackend::new(out))?;
    let size = terminal.size()?;
    app.handle(Event::Tick {
        now_ms: crate::clock::now_millis(),
    });
    app.handle(Event::Resize(size.width, size.height));
    queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal.draw(|frame| ui::draw(frame, app, theme))?;
    execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    Ok(FirstFrame { guard, signals })
}

/// Runs the reader until the user quits or a SIGTERM/SIGHUP/SIGINT arrives, saving the
/// annotations through `session` as they change and once more at the end. `first`: the
/// terminal as [`show_first`] left it, if it was called.
pub fn run(
    mut app: App,
    theme: Theme,
    session: Session,
    first: Option<FirstFrame>,
) -> io::Result<Ended> {
    let mouse = app.config().mouse;
    let saving: SharedSaving = Arc::new(Mutex::new(Saving {
        session,
        pending: None,
        place: Place {
            position: app.cursor(),
            marks: app.marks().clone(),
        },
    }));
    let (guard, signals) = match first {
        Some(FirstFrame { guard, signals }) => (Some(guard), Some(signals)),
        None => (None, None),
    };
    let stop = watch_signals(mouse, Arc::clone(&saving), signals)?;
    if guard.is_none() {
        install_panic_hook(mouse);
    }
    let result = {
        let _guard = match guard {
            Some(guard) => guard,
            None => TermGuard::enter(mouse)?,
        };
        event_loop(&mut app, &theme, &stop, &saving)
    };
    // Unless the quit saved everything, however the loop ended (quit anyway, signal, or a
    // terminal error), save what is left.
    let save_error = match result {
        Ok(true) => None,
        _ => save_at_exit(&app, app.snapshot_at_exit(), &saving).err(),
    };
    result?;
    Ok(Ended {
        signal: match stop.load(Ordering::SeqCst) {
            0 => None,
            signal => Some(signal),
        },
        save_error,
    })
}

/// Saves the pending changes, the note being edited and the position on the way out.
fn save_at_exit(app: &App, snapshot: Snapshot, saving: &SharedSaving) -> Result<(), String> {
    let mut s = lock(saving);
    s.take_place(app);
    s.pending = Some(snapshot);
    s.save().map(drop).map_err(|e| e.to_string())
}

/// Runs the reader until it quits or a signal stops it. Returns whether everything was saved
/// on the way out: a quit saves while the screen is still up, so a failure can be shown and
/// the user asked (retry, or quit anyway) instead of the changes being dropped.
fn event_loop(
    app: &mut App,
    theme: &Theme,
    stop: &AtomicI32,
    saving: &SharedSaving,
) -> io::Result<bool> {
    // One write per frame: a line-buffered stdout would flush every kilobyte and let the
    // terminal show half-drawn frames.
    let out = io::BufWriter::with_capacity(1 << 16, io::stdout());
    let mut terminal: Terminal<CrosstermBackend<io::BufWriter<Stdout>>> =
        Terminal::new(CrosstermBackend::new(out))?;
    let size = terminal.size()?;
    app.handle(Event::Tick {
        now_ms: crate::clock::now_millis(),
    });
    app.handle(Event::Resize(size.width, size.height));
    let updates = spawn_extraction(app.doc());
    let mut extracting = true;
    let mut dirty_since: Option<Instant> = None;
    let mut clicks = ClickCounter::default();
    // What the last `Effect::Quit` asked to save, if one came.
    let mut quitting: Option<Option<Snapshot>> = None;
    let feed = |app: &mut App,
                event: Event,
                dirty_since: &mut Option<Instant>,
                quitting: &mut Option<Option<Snapshot>>| {
        if let Some(quit) = carry_out(app, event, saving, dirty_since) {
            *quitting = Some(quit);
        }
    };

    while stop.load(Ordering::SeqCst) == 0 {
        match quitting.take() {
            Some(None) => return Ok(false),
            Some(Some(snapshot)) => match save_at_exit(app, snapshot, saving) {
                Ok(()) => return Ok(true),
                Err(e) => feed(
                    app,
                    Event::NotSavedAtQuit(e),
                    &mut dirty_since,
                    &mut quitting,
                ),
            },
            None => {}
        }
        {
            let mut s = lock(saving);
            s.take_place(app);
            if dirty_since.is_some_and(|t| t.elapsed() >= SAVE_DELAY) {
                dirty_since = None;
                let generation = s
                    .pending
                    .as_ref()
                    .map_or(app.annotations().generation, |p| p.generation);
                let (error, merged) = match s.save() {
                    Ok(merged @ Some(_)) => (None, merged),
                    Ok(None) if !s.session.saves() => (
                        Some("no writable data directory, see the message at start".into()),
                        None,
                    ),
                    Ok(None) => (None, None),
                    Err(e) => (Some(e.to_string()), None),
                };
                drop(s);
                let saved = Event::Saved {
                    generation,
                    error,
                    merged,
                };
                feed(app, saved, &mut dirty_since, &mut quitting);
                continue;
            }
        }
        queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
        terminal.draw(|frame| ui::draw(frame, app, theme))?;
        execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
        while extracting {
            match updates.try_recv() {
                Ok(update) => {
                    extracting = !matches!(update, EntitiesUpdate::Done(_));
                    feed(
                        app,
                        Event::Entities(update),
                        &mut dirty_since,
                        &mut quitting,
                    );
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => break,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    // The worker died: no panel, but reading goes on.
                    extracting = false;
                    let none = Event::Entities(EntitiesUpdate::Done(Vec::new()));
                    feed(app, none, &mut dirty_since, &mut quitting);
                }
            }
        }
        let mut wait = Duration::from_millis(if extracting { 40 } else { 200 });
        if let Some(since) = dirty_since {
            wait = wait.min(SAVE_DELAY.saturating_sub(since.elapsed()));
        }
        if !event::poll(wait)? {
            continue;
        }
        // Handle everything that is queued before drawing again, so held keys don't lag.
        loop {
            if let Some(e) = convert(event::read()?, &mut clicks) {
                feed(app, e, &mut dirty_since, &mut quitting);
            }
            if quitting.is_some() || !event::poll(Duration::ZERO)? {
                break;
            }
        }
    }
    Ok(false)
}

/// Hands `event` to the app with the time it happened, and carries out the effects it asks
/// for, feeding their results back as events. A quit is left to the loop: what it asks to
/// save, if it came.
fn carry_out(
    app: &mut App,
    event: Event,
    saving: &SharedSaving,
    dirty_since: &mut Option<Instant>,
) -> Option<Option<Snapshot>> {
    let mut quit = None;
    let mut events = std::collections::VecDeque::from([
        Event::Tick {
            now_ms: crate::clock::now_millis(),
        },
        event,
    ]);
    while let Some(event) = events.pop_front() {
        for effect in app.handle(event) {
            match effect {
                Effect::Save(snapshot) => {
                    // Handed over before the change is drawn: a signal saves it even if this
                    // thread is stuck.
                    lock(saving).pending = Some(snapshot);
                    dirty_since.get_or_insert_with(Instant::now);
                }
                Effect::WriteExport {
                    path,
                    bytes,
                    overwrite,
                } => events.push_back(Event::Written(write_export(app, &path, &bytes, overwrite))),
                Effect::Quit(save) => quit = Some(save),
            }
        }
    }
    quit
}

/// Writes an export where the dialog asked: `~/` is the home directory; never over the
/// article or into the data dir; an existing file only when `overwrite`. The path as the user
/// will find it, or why not.
pub fn write_export(
    app: &App,
    path: &str,
    bytes: &[u8],
    overwrite: bool,
) -> Result<String, WriteError> {
    let path = expand_home(path);
    let article = app.source_path().map(std::path::Path::new);
    let failed = |e: crate::output::TargetError| WriteError::Failed(e.to_string());
    crate::output::check_target(&path, article, app.data_dir()).map_err(failed)?;
    if path.exists() && !overwrite {
        return Err(WriteError::Exists);
    }
    crate::output::write_export(&path, bytes, article, app.data_dir()).map_err(failed)?;
    let shown = std::fs::canonicalize(&path).unwrap_or(path);
    Ok(shown.display().to_string())
}

/// `~/x` is the home directory's `x`, as in a shell.
fn expand_home(path: &str) -> std::path::PathBuf {
    match path.strip_prefix("~/") {
        Some(rest) => std::env::var_os("HOME")
            .map(|h| std::path::Path::new(&h).join(rest))
            .unwrap_or_else(|| std::path::PathBuf::from(path)),
        None => std::path::PathBuf::from(path),
    }
}

/// Presses this close in time, on the same row and at most a column apart, are one double or
/// triple click.
const MULTI_CLICK: Duration = Duration::from_millis(400);

/// Counts quick presses of the left button in one place (1, 2, 3, then 1 again). Kept here,
/// where the clock is, so that the app only sees the count.
#[derive(Clone, Copy, Debug, Default)]
struct ClickCounter {
    /// The last press: where, when and its count.
    last: Option<(u16, u16, Instant, u8)>,
}

impl ClickCounter {
    fn count(&mut self, x: u16, y: u16, at: Instant) -> u8 {
        let n = match self.last {
            Some((lx, ly, then, n))
                if ly == y
                    && lx.abs_diff(x) <= 1
                    && at
                        .checked_duration_since(then)
                        .is_some_and(|d| d <= MULTI_CLICK) =>
            {
                n % 3 + 1
            }
            _ => 1,
        };
        self.last = Some((x, y, at, n));
        n
    }
}

fn convert(event: event::Event, clicks: &mut ClickCounter) -> Option<Event> {
    match event {
        event::Event::Key(k) if k.kind != KeyEventKind::Release => {
            let code = match k.code {
                event::KeyCode::Char(c) => KeyCode::Char(c),
                event::KeyCode::Enter => KeyCode::Enter,
                event::KeyCode::Esc => KeyCode::Esc,
                event::KeyCode::Backspace => KeyCode::Backspace,
                event::KeyCode::Tab => KeyCode::Tab,
                event::KeyCode::BackTab => KeyCode::BackTab,
                event::KeyCode::Up => KeyCode::Up,
                event::KeyCode::Down => KeyCode::Down,
                event::KeyCode::Left => KeyCode::Left,
                event::KeyCode::Right => KeyCode::Right,
                event::KeyCode::Home => KeyCode::Home,
                event::KeyCode::End => KeyCode::End,
                event::KeyCode::PageUp => KeyCode::PageUp,
                event::KeyCode::PageDown => KeyCode::PageDown,
                event::KeyCode::Delete => KeyCode::Delete,
                event::KeyCode::F(n) => KeyCode::F(n),
                _ => return None,
            };
            Some(Event::Key(Key {
                code,
                ctrl: k.modifiers.contains(KeyModifiers::CONTROL),
                alt: k.modifiers.contains(KeyModifiers::ALT),
            }))
        }
        event::Event::Resize(w, h) => Some(Event::Resize(w, h)),
        event::Event::Mouse(m) => match m.kind {
            MouseEventKind::ScrollDown => Some(Event::Wheel(1, m.column, m.row)),
            MouseEventKind::ScrollUp => Some(Event::Wheel(-1, m.column, m.row)),
            MouseEventKind::Down(event::MouseButton::Left) => {
                let clicks = clicks.count(m.column, m.row, Instant::now());
                Some(mouse(MouseKind::Down { clicks }, m.column, m.row))
            }
            MouseEventKind::Drag(event::MouseButton::Left) => {
                Some(mouse(MouseKind::Drag, m.column, m.row))
            }
            MouseEventKind::Up(event::MouseButton::Left) => {
                Some(mouse(MouseKind::Up, m.column, m.row))
            }
            _ => None,
        },
        event::Event::Paste(text) => Some(Event::Paste(text)),
        _ => None,
    }
}

fn mouse(kind: MouseKind, x: u16, y: u16) -> Event {
    Event::Mouse(Mouse { kind, x, y })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn quick_presses_in_one_place_count_up_to_three_then_start_again() {
        let t = Instant::now();
        let mut c = ClickCounter::default();
        assert_eq!(c.count(10, 5, t), 1);
        assert_eq!(c.count(10, 5, t + ms(200)), 2);
        // A column off still counts (a wide character is two cells).
        assert_eq!(c.count(11, 5, t + ms(400)), 3);
        assert_eq!(c.count(11, 5, t + ms(500)), 1);
        assert_eq!(
            c.count(10, 5, t + ms(900)),
            2,
            "400 ms since the last press"
        );
    }

    #[test]
    fn a_slow_press_or_one_elsewhere_is_a_first_click() {
        let t = Instant::now();
        let mut c = ClickCounter::default();
        assert_eq!(c.count(10, 5, t), 1);
        assert_eq!(c.count(10, 5, t + ms(401)), 1, "too slow");
        assert_eq!(c.count(12, 5, t + ms(500)), 1, "two columns away");
        assert_eq!(c.count(12, 6, t + ms(600)), 1, "another row");
        assert_eq!(c.count(12, 6, t + ms(700)), 2);
        // A clock that went backwards (events out of order) starts again.
        assert_eq!(c.count(12, 6, t), 1);
    }

    #[test]
    fn left_button_events_become_mouse_events_with_their_click_count() {
        use crossterm::event::{KeyModifiers, MouseButton, MouseEvent};
        let ev = |kind| {
            event::Event::Mouse(MouseEvent {
                kind,
                column: 7,
                row: 3,
                modifiers: KeyModifiers::NONE,
            })
        };
        let mut c = ClickCounter::default();
        let down = ev(MouseEventKind::Down(MouseButton::Left));
        let at = |kind| Some(mouse(kind, 7, 3));
        assert_eq!(
            convert(down.clone(), &mut c),
            at(MouseKind::Down { clicks: 1 })
        );
        assert_eq!(convert(down, &mut c), at(MouseKind::Down { clicks: 2 }));
        let drag = ev(MouseEventKind::Drag(MouseButton::Left));
        assert_eq!(convert(drag, &mut c), at(MouseKind::Drag));
        let up = ev(MouseEventKind::Up(MouseButton::Left));
        assert_eq!(convert(up, &mut c), at(MouseKind::Up));
        let right = ev(MouseEventKind::Down(MouseButton::Right));
        assert_eq!(convert(right, &mut c), None);
        let moved = ev(MouseEventKind::Moved);
        assert_eq!(convert(moved, &mut c), None);
        let wheel = ev(MouseEventKind::ScrollDown);
        assert_eq!(convert(wheel, &mut c), Some(Event::Wheel(1, 7, 3)));
    }
}
