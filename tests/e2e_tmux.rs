//! End-to-end: the real binary in a real terminal (tmux), driven with keys and read back with
//! `capture-pane`. Each test runs its own tmux server on its own socket, in a temp dir, and
//! kills it when done.

// A failed unwrap or expect here, in a helper too, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tempfile::TempDir;
use unicode_width::UnicodeWidthStr;

mod common;

const BIN: &str = env!("CARGO_BIN_EXE_pizhu");
const SAMPLE_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/xiaohongshu.txt");
const TITLE: &str = "电商业务依旧未跻身一线阵营";
/// The byline under the title: only on screen at the top of the article.
const BYLINE: &str = "2026-01-30 00:37:22";
/// In the last related-links line: only on screen at the end of the article.
const LAST_LINE: &str = "杰我睿黄金兑付危机追踪";
const WAIT: Duration = Duration::from_secs(5);

static SERVERS: AtomicUsize = AtomicUsize::new(0);

/// One tmux server with one session running the reader in a shell; killed on drop.
struct Tmux {
    socket: String,
    dir: TempDir,
    width: u16,
    height: u16,
}

/// Quotes for `sh`.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn tmux_available() {
    let ok = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "these tests need tmux on PATH (`tmux -V` failed): install it, e.g. `apt-get install tmux`"
    );
}

impl Tmux {
    /// Starts `pizhu --config <empty> --data-dir <temp> <article>` in a `w`×`h` pane. After
    /// pizhu exits, the shell prints `icanon`/`echo` if the terminal is back in cooked mode,
    /// then `EXITED:<code>`, and the pane stays so it can be read.
    fn start(width: u16, height: u16, article: Option<&Path>) -> Self {
        Self::start_with_data(width, height, article, None)
    }

    /// Like [`Tmux::start`], with the data dir given (to reopen what an earlier run saved).
    fn start_with_data(
        width: u16,
        height: u16,
        article: Option<&Path>,
        data: Option<&Path>,
    ) -> Self {
        Self::start_reader(width, height, article, data, false, "")
    }

    /// Like [`Tmux::start`], with `config` as the config file's text.
    fn start_with_config(width: u16, height: u16, article: Option<&Path>, config: &str) -> Self {
        Self::start_reader(width, height, article, None, false, config)
    }

    /// `cat <article> | pizhu --config <empty> --data-dir <temp>`: the article on stdin, no
    /// FILE, as in [`Tmux::start`] otherwise.
    fn start_piped(width: u16, height: u16, article: &Path) -> Self {
        Self::start_reader(width, height, Some(article), None, true, "")
    }

    fn start_reader(
        width: u16,
        height: u16,
        article: Option<&Path>,
        data: Option<&Path>,
        piped: bool,
        config_text: &str,
    ) -> Self {
        tmux_available();
        let dir = tempfile::tempdir().expect("temp dir");
        let n = SERVERS.fetch_add(1, Ordering::Relaxed);
        let socket = format!("pizhu-test-{}-{n}", std::process::id());
        let conf = dir.path().join("tmux.conf");
        std::fs::write(
            &conf,
            "set -g status off\nset -g remain-on-exit on\nset -g escape-time 0\n\
             set -g history-limit 100\n",
        )
        .expect("write tmux.conf");
        let config = dir.path().join("config.ron");
        std::fs::write(&config, config_text).expect("write the config");
        let data = match data {
            Some(d) => d.to_path_buf(),
            None => {
                let d = dir.path().join("data");
                std::fs::create_dir(&d).expect("create data dir");
                d
            }
        };

        let mut reader = format!(
            "{} --config {} --data-dir {}",
            sh_quote(BIN),
            sh_quote(config.to_str().unwrap()),
            sh_quote(data.to_str().unwrap())
        );
        match article {
            Some(article) if piped => {
                reader = format!("cat {} | {reader}", sh_quote(article.to_str().unwrap()));
            }
            Some(article) => {
                reader.push(' ');
                reader.push_str(&sh_quote(article.to_str().unwrap()));
            }
            None => {}
        }
        let script = format!(
            "unset PIZHU_CONFIG PIZHU_DATA_DIR NO_COLOR; {reader}; rc=$?; \
             stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo; echo EXITED:$rc"
        );
        let tmux = Self {
            socket,
            dir,
            width,
            height,
        };
        let (w, h) = (width.to_string(), height.to_string());
        let out = tmux.run(&[
            "-f",
            conf.to_str().unwrap(),
            "new-session",
            "-d",
            // Files the reader writes (exports) land in the test's temp dir.
            "-c",
            tmux.dir.path().to_str().unwrap(),
            "-s",
            "pizhu",
            "-x",
            &w,
            "-y",
            &h,
            "--",
            "sh",
            "-c",
            &script,
        ]);
        assert!(
            out.status.success(),
            "tmux new-session failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        tmux
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new("tmux");
        cmd.arg("-u")
            .arg("-L")
            .arg(&self.socket)
            // Keeps the socket inside the test's temp dir.
            .env("TMUX_TMPDIR", self.dir.path())
            .env_remove("TMUX")
            .env_remove("PIZHU_CONFIG")
            .env_remove("PIZHU_DATA_DIR")
            .env_remove("NO_COLOR")
            .env("LANG", "C.UTF-8")
            .env("LC_ALL", "C.UTF-8")
            .env("TERM", "xterm-256color");
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run tmux")
    }

    #[track_caller]
    fn tmux(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("tmux output is UTF-8")
    }

    /// Named keys (`Enter`, `Escape`, `G`).
    #[track_caller]
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "pizhu"];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    /// `/pattern` Enter, then waits for the status line to show the accepted search.
    #[track_caller]
    fn search(&self, pattern: &str) {
        self.keys(&["/"]);
        self.text(pattern);
        self.keys(&["Enter"]);
        self.wait_until("the search hit", |s| {
            status_line(s).contains(&format!("/{pattern}"))
        });
    }

    /// Literal text, e.g. Chinese.
    #[track_caller]
    fn text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "pizhu", "-l", text]);
    }

    fn capture(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "pizhu"])
    }

    /// Polls the screen until `ready` holds; fails with the last screen after [`WAIT`].
    #[track_caller]
    /// Polls until `ready` holds on a settled screen: two captures 30 ms apart that agree, so a
    /// frame caught half-drawn never passes or fails a test.
    fn wait_until(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let screen = self.capture();
            if ready(&screen) {
                std::thread::sleep(Duration::from_millis(30));
                let again = self.capture();
                if again == screen {
                    return screen;
                }
                continue;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; the screen was:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    #[track_caller]
    fn wait_for(&self, needle: &str) -> String {
        self.wait_until(&format!("{needle:?}"), |s| s.contains(needle))
    }

    /// Waits for the reader's first screen: title, byline and the status line.
    #[track_caller]
    fn wait_for_reader(&self) -> String {
        self.wait_until("the reader's first screen", |s| {
            s.contains(TITLE) && s.contains(BYLINE) && status_line(s).contains('%')
        })
    }

    /// The primary screen with its scrollback: tmux may scroll the pane's first line into
    /// history while it settles the new window's size.
    fn capture_with_history(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-S", "-", "-t", "pizhu"])
    }

    /// Waits for pizhu to have exited and the shell to report it; returns everything the
    /// shell printed (with scrollback).
    #[track_caller]
    fn wait_for_exit(&self) -> String {
        self.wait_until("pizhu to exit", |s| s.contains("EXITED:"));
        self.capture_with_history()
    }

    /// The pid of the pizhu process reading `article`.
    fn reader_pid(&self, article: &Path) -> u32 {
        let deadline = Instant::now() + WAIT;
        let article = article.to_str().unwrap();
        loop {
            if let Some(pid) = find_process(BIN, article) {
                return pid;
            }
            assert!(
                Instant::now() < deadline,
                "no pizhu process reading {article}"
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // pizhu does not notice its terminal going away (see
        // `closing_the_terminal_ends_the_reader`), so end what still runs in the pane first,
        // or every test that does not quit would leave a process spinning on a dead tty.
        if let Ok(out) = self
            .command()
            .args(["list-panes", "-a", "-F", "#{pane_pid}"])
            .output()
        {
            for pane in String::from_utf8_lossy(&out.stdout).lines() {
                if let Ok(pane) = pane.trim().parse() {
                    for child in children(pane) {
                        kill(child, "KILL");
                    }
                }
            }
        }
        let _ = self.run(&["kill-server"]);
    }
}

/// Pids whose parent is `parent`.
fn children(parent: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| process_state(pid).is_some_and(|(_, ppid)| ppid == parent))
        .collect()
}

/// A process's state letter and parent pid, from `/proc/<pid>/stat`.
fn process_state(pid: u32) -> Option<(char, u32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `pid (comm) state ppid …`; comm may hold spaces and parentheses.
    let mut rest = stat[stat.rfind(')')? + 1..].split_whitespace();
    let state = rest.next()?.chars().next()?;
    let ppid = rest.next()?.parse().ok()?;
    Some((state, ppid))
}

/// Whether `pid` has ended (gone, or a zombie nobody reaped: containers often lack an init
/// that reaps orphans).
fn has_ended(pid: u32) -> bool {
    process_state(pid).is_none_or(|(state, _)| matches!(state, 'Z' | 'X'))
}

fn kill(pid: u32, signal: &str) {
    let _ = Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status();
}

/// A process whose argv[0] is `program` and that has `arg` among its arguments (the `sh -c`
/// wrapper has the path inside one long argument, so it does not match).
fn find_process(program: &str, arg: &str) -> Option<u32> {
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse().ok()) else {
            continue;
        };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let argv: Vec<&[u8]> = cmdline.split(|&b| b == 0).collect();
        if argv.first() == Some(&program.as_bytes()) && argv.contains(&arg.as_bytes()) {
            return Some(pid);
        }
    }
    None
}

fn status_line(screen: &str) -> &str {
    screen.lines().last().unwrap_or("")
}

fn without_whitespace(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A copy of the sample under a unique name, to find its reader process by.
fn unique_copy(dir: &Path, tag: &str) -> PathBuf {
    let path = dir.join(format!(
        "pizhu-e2e-{tag}-{}-{}.txt",
        std::process::id(),
        SERVERS.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::copy(SAMPLE_PATH, &path).expect("copy the sample");
    path
}

#[track_caller]
fn assert_terminal_restored(screen: &str) {
    let lines: Vec<&str> = screen.lines().map(str::trim).collect();
    assert!(
        lines.contains(&"icanon"),
        "terminal left in raw mode (no icanon):\n{screen}"
    );
    assert!(
        lines.contains(&"echo"),
        "terminal left without echo:\n{screen}"
    );
    // The alternate screen was left: what the reader drew is gone.
    assert!(
        !screen.contains("? help"),
        "reader still on screen:\n{screen}"
    );
    assert!(!screen.contains(TITLE), "reader still on screen:\n{screen}");
}

/// Every captured row fits the pane, and the text area (all rows but the status line) is
/// the article from its start with nothing dropped: a contiguous prefix of its text.
#[track_caller]
fn assert_screen_fits(screen: &str, width: u16, height: u16) {
    let lines: Vec<&str> = screen.lines().collect();
    assert!(
        lines.len() <= usize::from(height),
        "{} rows in a {height}-row pane",
        lines.len()
    );
    for line in &lines {
        assert!(
            line.width() <= usize::from(width),
            "row wider than {width} columns: {line:?}"
        );
    }
    let article = without_whitespace(&std::fs::read_to_string(SAMPLE_PATH).unwrap());
    // The reading column ends at the scrollbar; the entity panel lies beyond it.
    let text_area: String = lines[..lines.len() - 1]
        .iter()
        .map(|l| l.split(['┃', '│', '▪']).next().unwrap_or(""))
        .collect();
    let text_area = without_whitespace(&text_area);
    assert!(
        text_area.chars().count() > 50,
        "too little text shown:\n{screen}"
    );
    assert!(
        article.starts_with(&text_area),
        "the screen is not the article's start, unbroken:\n{screen}"
    );
    assert!(
        status_line(screen).trim_end().ends_with("help"),
        "status line not drawn for {width} columns:\n{screen}"
    );
}

#[test]
fn read_jump_search_and_quit() {
    let t = Tmux::start(80, 24, Some(Path::new(SAMPLE_PATH)));
    let first = t.wait_for_reader();
    assert!(first.trim_start().starts_with(TITLE), "{first}");
    assert!(!first.contains(LAST_LINE));

    t.keys(&["G"]);
    let end = t.wait_for(LAST_LINE);
    assert!(!end.contains(BYLINE), "{end}");
    assert!(status_line(&end).contains("100%"), "{end}");

    t.keys(&["g"]);
    let top = t.wait_until("the start again", |s| {
        s.contains(BYLINE) && !s.contains(LAST_LINE)
    });
    assert!(top.trim_start().starts_with(TITLE), "{top}");

    t.keys(&["/"]);
    t.wait_until("the search prompt", |s| status_line(s).starts_with('/'));
    t.text("核心用户心智");
    t.wait_until("incremental hits", |s| status_line(s).contains(" hit"));
    t.keys(&["Enter"]);
    let found = t.wait_until("the hit summary", |s| status_line(s).contains("[1/"));
    assert!(
        status_line(&found).contains("/核心用户心智"),
        "{}",
        status_line(&found)
    );
    // The paragraph with the hit is on screen.
    assert!(found.contains("小红书的核心用户心智是"), "{found}");

    t.keys(&["q"]);
    let after = t.wait_for_exit();
    assert!(after.contains("EXITED:0"), "{after}");
    assert_terminal_restored(&after);
}

#[test]
fn help_overlay_opens_and_closes() {
    let t = Tmux::start(80, 24, Some(Path::new(SAMPLE_PATH)));
    t.wait_for_reader();
    t.keys(&["?"]);
    let help = t.wait_until("the help overlay", |s| {
        s.contains("next row") && s.contains("next word")
    });
    assert!(help.contains("pizhu keys"), "{help}");
    assert_screen_width(&help, 80);
    // Longer than the screen: Space pages down.
    t.keys(&["Space"]);
    let scrolled = t.wait_until("help scrolled to the scroll keys", |s| {
        s.contains("page down") && s.contains("Ctrl-f")
    });
    assert_screen_width(&scrolled, 80);

    t.keys(&["Escape"]);
    let closed = t.wait_until("the help to close", |s| {
        !s.contains("next row") && s.contains(BYLINE)
    });
    assert!(!closed.contains("Ctrl-f"), "{closed}");
    // Escape only closed the help; the reader is still running.
    assert!(!closed.contains("EXITED"), "{closed}");
    t.keys(&["q"]);
    assert_terminal_restored(&t.wait_for_exit());
}

/// The first start (no data directory yet) shows where to begin, once.
#[test]
fn the_first_start_shows_the_first_keys_once() {
    let home = tempfile::tempdir().expect("temp dir");
    let data = home.path().join("not-yet");
    let t = Tmux::start_with_data(80, 24, Some(Path::new(SAMPLE_PATH)), Some(&data));
    let first = t.wait_until("the first keys", |s| {
        status_line(s).contains("? help · p entities · T outline")
    });
    assert_screen_fits(&first, 80, 24);
    t.keys(&["q"]);
    assert!(t.wait_for_exit().contains("EXITED:0"));
    let again = Tmux::start_with_data(80, 24, Some(Path::new(SAMPLE_PATH)), Some(&data));
    let screen = again.wait_for_reader();
    assert!(!status_line(&screen).contains("T outline"), "{screen}");
    again.keys(&["q"]);
    assert!(again.wait_for_exit().contains("EXITED:0"));
}

/// A config that rebinds keys and picks the light theme: the rebound keys work, the old ones
/// do not, the colours are the light theme's, and help lists the new keys.
#[test]
fn a_config_rebinds_keys_and_sets_the_light_theme() {
    let config = r#"(
        theme: "light",
        keys: (
            reader: { "J": "PageDown", "s": "Select", "v": "none" },
        ),
    )"#;
    let t = Tmux::start_with_config(80, 24, Some(Path::new(SAMPLE_PATH)), config);
    let first = t.wait_for_reader();
    // The light theme's title colour (blue), not the dark theme's (cyan).
    let coloured = t.tmux(&["capture-pane", "-p", "-e", "-t", "pizhu"]);
    // The title is the first row.
    let title_line = coloured.lines().next().unwrap_or_default();
    let blue = title_line.contains("[34m") || title_line.contains(";5;4m");
    let cyan = title_line.contains("[36m") || title_line.contains(";5;6m");
    assert!(blue && !cyan, "{title_line:?}");
    let percent = |s: &str| status_line(s).to_string();
    // J pages down.
    t.keys(&["J"]);
    let paged = t.wait_until("J to page down", |s| percent(s) != percent(&first));
    assert!(!paged.contains(BYLINE), "{paged}");
    // v is unbound now; s selects, in the light theme's selection colour.
    t.keys(&["v"]);
    t.wait_until("v to do nothing", |s| {
        status_line(s).contains("v does nothing")
    });
    t.keys(&["s", "l", "l"]);
    t.wait_until("the selection", |s| {
        status_line(s).contains("-- SELECT 3 字 --")
    });
    let selected = t.tmux(&["capture-pane", "-p", "-e", "-t", "pizhu"]);
    assert!(selected.contains("48;5;153"), "{selected}");
    t.keys(&["Escape"]);
    t.wait_until("the selection to end", |s| {
        !status_line(s).contains("SELECT")
    });
    t.keys(&["?"]);
    t.wait_for("pizhu keys");
    // Help's own search finds each entry; the line shows the keys bound now.
    let line_of = |what: &str| {
        t.keys(&["/"]);
        t.text(what);
        t.keys(&["Enter"]);
        let help = t.wait_until(what, |s| {
            s.contains(what) && !s.contains(&format!("/{what}█"))
        });
        // Keys too long for their column stand on the row above.
        let lines: Vec<&str> = help.lines().collect();
        let i = lines
            .iter()
            .position(|l| l.contains(what) && !l.contains(&format!("/{what}")))
            .unwrap_or_default();
        format!("{} {}", lines[i.saturating_sub(1)], lines[i])
    };
    let page = line_of("page down");
    assert!(page.contains(" J "), "{page}");
    let select = line_of("start a selection");
    assert!(
        select.contains(" s ") && !select.contains(" v "),
        "{select}"
    );
    t.keys(&["q", "q"]);
    assert_terminal_restored(&t.wait_for_exit());
}

#[track_caller]
fn assert_screen_width(screen: &str, width: u16) {
    for line in screen.lines() {
        assert!(
            line.width() <= usize::from(width),
            "row wider than {width}: {line:?}"
        );
    }
}

#[test]
fn small_and_large_terminals() {
    for (w, h) in [(40, 15), (200, 60)] {
        let t = Tmux::start(w, h, Some(Path::new(SAMPLE_PATH)));
        let screen = t.wait_for_reader();
        assert!(screen.trim_start().starts_with(TITLE), "{w}x{h}:\n{screen}");
        assert_eq!(screen.lines().count(), usize::from(h), "{w}x{h}:\n{screen}");
        assert_screen_fits(&screen, t.width, t.height);
    }
}

#[test]
fn no_file_opens_the_sample() {
    let t = Tmux::start(80, 24, None);
    let screen = t.wait_for_reader();
    assert_screen_fits(&screen, 80, 24);
    t.keys(&["q"]);
    assert!(t.wait_for_exit().contains("EXITED:0"));
}

#[test]
fn an_article_piped_to_stdin_is_read_with_keys_from_the_terminal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let piped_title = "管道里读到的另一篇文章";
    let sample = std::fs::read_to_string(SAMPLE_PATH).unwrap();
    let article = dir.path().join("piped.txt");
    std::fs::write(&article, sample.replacen(TITLE, piped_title, 1)).unwrap();
    let t = Tmux::start_piped(80, 24, &article);
    let screen = t.wait_until("the piped article", |s| {
        s.contains(piped_title) && status_line(s).contains('%')
    });
    // The article from the pipe, not the bundled sample.
    assert!(!screen.contains(TITLE), "{screen}");
    assert!(status_line(&screen).contains(piped_title), "{screen}");
    // Keys come from the terminal: G goes to the end.
    t.keys(&["G"]);
    let end = t.wait_for(LAST_LINE);
    assert!(status_line(&end).contains("100%"), "{end}");
    t.keys(&["q"]);
    let after = t.wait_for_exit();
    assert!(after.contains("EXITED:0"), "{after}");
    assert!(
        !after.contains(piped_title),
        "reader still on screen:\n{after}"
    );
    assert_terminal_restored(&after);
}

#[test]
fn resize_relays_out_the_text() {
    let t = Tmux::start(80, 24, Some(Path::new(SAMPLE_PATH)));
    let before = t.wait_for_reader();
    assert_screen_fits(&before, 80, 24);
    t.tmux(&["resize-window", "-t", "pizhu", "-x", "50", "-y", "20"]);
    let size = t.tmux(&[
        "display-message",
        "-p",
        "-t",
        "pizhu",
        "#{pane_width}x#{pane_height}",
    ]);
    assert_eq!(size.trim(), "50x20", "tmux did not resize the pane");
    // tmux itself cuts rows at 50 columns; the check that the text is still whole (a prefix
    // of the article) is what shows the reader re-wrapped it.
    let after = t.wait_until("the reader redrawn at 50x20", |s| {
        s.lines().count() == 20 && status_line(s).trim_end().ends_with("help")
    });
    assert_screen_fits(&after, 50, 20);
    assert!(after.trim_start().starts_with(TITLE), "{after}");
    assert!(!after.contains("EXITED"), "{after}");
}

fn signal_restores_terminal(signal: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let article = unique_copy(dir.path(), signal);
    let t = Tmux::start(80, 24, Some(&article));
    t.wait_for_reader();
    let pid = t.reader_pid(&article);
    let status = Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -{signal} {pid} failed");
    let after = t.wait_for_exit();
    assert_terminal_restored(&after);
    assert!(has_ended(pid), "pizhu still running after SIG{signal}");
}

#[test]
fn sigterm_restores_the_terminal() {
    signal_restores_terminal("TERM");
}

#[test]
fn sighup_restores_the_terminal() {
    signal_restores_terminal("HUP");
}

/// Ends a process when dropped, whatever the test's outcome.
struct KillOnDrop(u32);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if !has_ended(self.0) {
            kill(self.0, "KILL");
        }
    }
}

/// The terminal going away (window closed, ssh dropped; here: the tmux server killed) sends
/// SIGHUP and leaves a tty that reads EOF forever. pizhu must exit, not spin.
#[test]
fn closing_the_terminal_ends_the_reader() {
    let dir = tempfile::tempdir().expect("temp dir");
    let article = unique_copy(dir.path(), "hangup");
    let t = Tmux::start(80, 24, Some(&article));
    t.wait_for_reader();
    let pid = t.reader_pid(&article);
    let _guard = KillOnDrop(pid);
    t.tmux(&["kill-server"]);
    let deadline = Instant::now() + WAIT;
    while !has_ended(pid) {
        assert!(
            Instant::now() < deadline,
            "pizhu (pid {pid}) still running {WAIT:?} after its terminal went away"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// The entity panel: focus it, activate 字节跳动, walk its mentions with n.
#[test]
fn entity_panel_activates_and_walks_mentions() {
    let t = Tmux::start(120, 30, Some(Path::new(SAMPLE_PATH)));
    t.wait_for_reader();
    // The panel's own group header: 字节跳动 and 小红书 are in the article text too.
    let panel = t.wait_until("the entity list", |s| s.contains("公司 Companies"));
    assert!(panel.contains("[实体 Entities]"), "{panel}");
    assert_screen_width(&panel, 120);

    // Companies by count: 小红书 52, 阿里巴巴 8, 字节跳动 7.
    t.keys(&["Tab"]);
    t.wait_until("the panel to take focus", |s| {
        s.contains("> [实体 Entities]")
    });
    t.keys(&["j", "j", "j"]);
    t.wait_until("字节跳动 selected", |s| s.contains("> 字节跳动"));
    t.keys(&["Enter"]);
    let first = t.wait_until("the first mention", |s| {
        status_line(s).contains("字节跳动  1/7")
    });
    assert!(first.contains("●"), "{first}");

    t.keys(&["n"]);
    t.wait_until("the second mention", |s| {
        status_line(s).contains("字节跳动  2/7")
    });
    t.keys(&["Tab"]);
    t.keys(&["n"]);
    t.wait_until("the third mention", |s| {
        status_line(s).contains("字节跳动  3/7")
    });
    t.keys(&["N"]);
    t.wait_until("back to the second", |s| {
        status_line(s).contains("字节跳动  2/7")
    });
    t.keys(&["q"]);
    assert_terminal_restored(&t.wait_for_exit());
}

/// At 40x15 the side panel is never beside the text: `o` opens the Notes tab full width in
/// place of the text, Enter on the highlight goes back to the text there.
#[test]
fn narrow_terminal_opens_the_notes_tab_full_width() {
    let data = tempfile::tempdir().expect("data dir");
    let t = Tmux::start_with_data(40, 15, Some(Path::new(SAMPLE_PATH)), Some(data.path()));
    t.wait_for_reader();
    t.search("核心用户心智");
    t.keys(&["V", "Enter"]);
    t.wait_until("the highlight", |s| status_line(s).contains("Highlighted"));
    t.keys(&["g", "o"]);
    let list = t.wait_until("the notes list full width", |s| {
        s.contains("[批注 Notes 1]") && status_line(s).contains("Esc back")
    });
    assert!(!list.contains(TITLE), "text drawn beside the list:\n{list}");
    assert!(list.contains("小红书的核心"), "{list}");
    assert_screen_width(&list, 40);
    t.keys(&["Enter"]);
    let back = t.wait_until("the text at the highlight", |s| {
        status_line(s).contains("highlight 1/1")
    });
    assert!(!back.contains("[批注 Notes"), "{back}");
    assert!(without_whitespace(&back).contains("核心用户心智"), "{back}");
    t.keys(&["q"]);
    assert!(t.wait_for_exit().contains("EXITED:0"));
}

/// The saved store files (`*.ron`) in a data dir.
fn store_files(data: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(data)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.extension().is_some_and(|x| x == "ron")
                        && p.file_name().is_some_and(|n| n != "index.ron")
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The issue's flow: search, select the sentence, tag it, annotate it, save, quit; reopen and
/// find the highlight, its tag and its note, at the same place.
#[test]
fn highlight_tag_and_note_survive_a_restart() {
    let data = tempfile::tempdir().expect("data dir");
    let t = Tmux::start_with_data(100, 30, Some(Path::new(SAMPLE_PATH)), Some(data.path()));
    t.wait_for_reader();
    t.search("核心用户心智");
    t.keys(&["V"]);
    t.wait_until("the sentence selected", |s| {
        status_line(s).contains("SELECT")
    });
    t.keys(&["t"]);
    t.wait_until("the tag prompt", |s| status_line(s).contains("tags:"));
    t.text("电商");
    t.keys(&["Enter"]);
    t.wait_until("the tag saved", |s| status_line(s).contains("#电商"));
    t.keys(&["a"]);
    t.wait_until("the note editor", |s| s.contains("Ctrl-s saves"));
    t.text("种草≠交易");
    t.wait_until("the note typed", |s| s.contains("种草≠交易"));
    t.keys(&["C-s"]);
    let saved = t.wait_until("the editor closed", |s| !s.contains("Ctrl-s saves"));
    assert!(saved.contains('✎'), "{saved}");
    assert_screen_width(&saved, 100);
    t.keys(&["q"]);
    let after = t.wait_for_exit();
    assert!(after.contains("EXITED:0"), "{after}");
    let files = store_files(data.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let stored = std::fs::read_to_string(&files[0]).expect("store file");
    assert!(
        stored.contains("种草≠交易") && stored.contains("电商"),
        "{stored}"
    );
    drop(t);

    // Reopen: the reading position, the highlight, its tag and note are back.
    let t = Tmux::start_with_data(100, 30, Some(Path::new(SAMPLE_PATH)), Some(data.path()));
    let screen = t.wait_until("the restored place", |s| {
        s.contains("小红书的核心用户心智是") && status_line(s).contains('%')
    });
    assert!(screen.contains('✎'), "{screen}");
    assert!(
        status_line(&screen).contains("#电商") && status_line(&screen).contains("种草≠交易"),
        "{screen}"
    );
    // The highlight is drawn in its colour (256-colour 229 background).
    let coloured = t.tmux(&["capture-pane", "-p", "-e", "-t", "pizhu"]);
    assert!(coloured.contains("48;5;229"), "{coloured}");
    // And it is in the Notes tab.
    t.keys(&["o"]);
    t.wait_until("the notes list", |s| {
        s.contains("[批注 Notes 1]") && s.contains("#电商")
    });
    t.keys(&["q"]);
    assert!(t.wait_for_exit().contains("EXITED:0"));
}

/// Closing the terminal (SIGHUP) right after a change still saves it.
#[test]
fn a_highlight_survives_the_terminal_being_killed() {
    let data = tempfile::tempdir().expect("data dir");
    let t = Tmux::start_with_data(100, 30, Some(Path::new(SAMPLE_PATH)), Some(data.path()));
    t.wait_for_reader();
    t.keys(&["j", "j", "j", "V", "3"]);
    t.wait_until("the highlight", |s| status_line(s).contains("Highlighted"));
    let pid = t.reader_pid(Path::new(SAMPLE_PATH));
    let _guard = KillOnDrop(pid);
    t.tmux(&["kill-server"]);
    let deadline = Instant::now() + WAIT;
    while !has_ended(pid) {
        assert!(Instant::now() < deadline, "pizhu still running");
        std::thread::sleep(Duration::from_millis(25));
    }
    let files = store_files(data.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let stored = std::fs::read_to_string(&files[0]).expect("store file");
    assert!(stored.contains("blue"), "{stored}");
}

/// Quitting when the changes cannot be saved does not drop them: the reader stays and asks,
/// and `r` saves and quits once saving works again.
#[test]
fn a_failed_save_at_quit_asks_and_r_retries() {
    let root = tempfile::tempdir().expect("temp dir");
    let data = root.path().join("data");
    let aside = root.path().join("data.bak");
    std::fs::create_dir(&data).expect("data dir");
    let article = unique_copy(root.path(), "unsaved");
    let t = Tmux::start_with_data(80, 24, Some(&article), Some(&data));
    t.wait_for_reader();
    t.keys(&["j", "j", "j", "V", "3"]);
    t.wait_until("the highlight", |s| status_line(s).contains("Highlighted"));
    let deadline = Instant::now() + WAIT;
    while store_files(&data).is_empty() {
        assert!(
            Instant::now() < deadline,
            "the first highlight was not saved"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
    // Saving fails from now on: the data dir is a plain file (permissions would not stop root).
    std::fs::rename(&data, &aside).expect("move the data dir aside");
    std::fs::write(&data, "").expect("a file where the data dir was");
    t.keys(&["j", "j", "j", "j", "V", "2"]);
    t.wait_until("the failed save", |s| {
        status_line(s).contains("Could not save")
    });
    t.keys(&["q"]);
    let asking = t.wait_until("the unsaved prompt", |s| {
        status_line(s).contains("Not saved") && status_line(s).contains("r retry")
    });
    assert!(status_line(&asking).contains("q quit anyway"), "{asking}");
    let pid = t.reader_pid(&article);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !has_ended(pid),
        "pizhu quit without saving:\n{}",
        t.capture()
    );
    std::fs::remove_file(&data).expect("remove the file");
    std::fs::rename(&aside, &data).expect("put the data dir back");
    t.keys(&["r"]);
    let after = t.wait_for_exit();
    assert!(after.contains("EXITED:0"), "{after}");
    let files = store_files(&data);
    assert_eq!(files.len(), 1, "{files:?}");
    let stored = std::fs::read_to_string(&files[0]).expect("store file");
    assert!(
        stored.contains("colour: blue") && stored.contains("colour: green"),
        "both highlights saved: {stored}"
    );
}

/// Two readers on the same article at once: each saves its own highlight; neither loses the
/// other's, and the second sees the first's after its save merges them.
#[test]
fn two_instances_keep_each_others_highlights() {
    let data = tempfile::tempdir().expect("data dir");
    let article = Some(Path::new(SAMPLE_PATH));
    let a = Tmux::start_with_data(100, 30, article, Some(data.path()));
    let b = Tmux::start_with_data(100, 30, article, Some(data.path()));
    a.wait_for_reader();
    b.wait_for_reader();
    a.keys(&["j", "j", "j", "V", "2"]);
    a.wait_until("a's highlight", |s| status_line(s).contains("Highlighted"));
    b.keys(&["j", "j", "j", "j", "j", "j", "V", "4"]);
    b.wait_until("b's highlight", |s| status_line(s).contains("Highlighted"));
    a.keys(&["q"]);
    assert!(a.wait_for_exit().contains("EXITED:0"));
    // b saves after a: the merge brings a's highlight into b's list.
    b.keys(&["c"]);
    b.keys(&["o"]);
    b.wait_until("both highlights in b's list", |s| {
        s.contains("[批注 Notes 2]")
    });
    b.keys(&["q"]);
    assert!(b.wait_for_exit().contains("EXITED:0"));
    let files = store_files(data.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let stored = std::fs::read_to_string(&files[0]).expect("store file");
    assert!(stored.contains("colour: green"), "{stored}");
    assert!(
        stored.contains("colour: purple"),
        "b's highlight, recoloured: {stored}"
    );
}

/// `E`: the export dialog writes the default file in the current directory, asks before
/// overwriting, and the status line says where it went.
#[test]
fn export_dialog_writes_markdown_and_asks_before_overwriting() {
    let t = Tmux::start(100, 30, Some(Path::new(SAMPLE_PATH)));
    t.wait_for_reader();
    t.search("核心用户心智");
    t.keys(&["V", "t"]);
    t.text("电商");
    t.keys(&["Enter"]);
    t.wait_until("the tag", |s| status_line(s).contains("#电商"));
    t.keys(&["E"]);
    let dialog = t.wait_until("the export dialog", |s| s.contains("[markdown]"));
    assert!(dialog.contains("-批注.md"), "{dialog}");
    assert_screen_width(&dialog, 100);
    t.keys(&["Enter"]);
    t.wait_until("the export message", |s| {
        status_line(s).contains("Exported 1 highlight")
    });
    let file = t
        .dir
        .path()
        .join(format!("{TITLE},小红书还有机会成为大厂吗-批注.md"));
    let markdown = std::fs::read_to_string(&file).expect("the exported file");
    assert!(markdown.starts_with("---"), "{markdown}");
    assert!(markdown.contains("小红书的核心用户心智是"), "{markdown}");
    assert!(markdown.contains("#电商"), "{markdown}");
    // Again: the file exists, so it asks; Escape keeps the old file.
    t.keys(&["E", "Tab", "Tab"]);
    t.wait_until("csv chosen", |s| s.contains("[csv]"));
    t.keys(&["Enter"]);
    t.wait_until("the csv export", |s| status_line(s).contains("as csv"));
    t.keys(&["E"]);
    t.wait_until("the dialog again", |s| s.contains("[markdown]"));
    t.keys(&["Enter"]);
    t.wait_until("the overwrite question", |s| s.contains("File exists"));
    t.keys(&["Escape"]);
    t.wait_until("back in the dialog", |s| s.contains("Enter exports"));
    t.keys(&["Escape"]);
    t.wait_until("the dialog closed", |s| !s.contains("导出 Export"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), markdown);
    t.keys(&["q"]);
    assert!(t.wait_for_exit().contains("EXITED:0"));
}

/// `pizhu cat` of a fixture at `width` columns: what the reader draws, as text.
fn rendered(path: &Path, width: u16) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config.ron");
    std::fs::write(&config, "").expect("write empty config");
    let out = Command::new(BIN)
        .args(["--config", config.to_str().unwrap()])
        .args(["--data-dir", dir.path().join("data").to_str().unwrap()])
        .args(["cat", "-w", &width.to_string(), path.to_str().unwrap()])
        .output()
        .expect("run pizhu cat");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// A fixture of an input format in a real terminal: its title first on the screen and no
/// markup, `G` reaches its last row, a search finds a phrase of it, `q` quits cleanly.
fn read_a_format(fixture: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(fixture);
    // Without the panel (under 119 columns it starts hidden) the column is 78 wide.
    let printed = rendered(&path, 78);
    let title = printed.lines().next().expect("a title").trim().to_string();
    let last = printed
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.chars().count() >= 4)
        .expect("a last row")
        .to_string();
    let phrase: String = last.chars().take(4).collect();

    let t = Tmux::start(80, 24, Some(&path));
    let first = t.wait_until("the first screen", |s| {
        s.contains(&title) && status_line(s).contains('%')
    });
    assert!(first.trim_start().starts_with(&title), "{first}");
    for markup in [
        "---", "title:", "**", "](", "<p", "</", "```", "&nbsp;", "&#",
    ] {
        assert!(!first.contains(markup), "{markup:?} on screen:\n{first}");
    }
    assert_screen_width(&first, 80);

    t.keys(&["G"]);
    let end = t.wait_for(&last);
    assert!(status_line(&end).contains("100%"), "{end}");

    t.keys(&["g"]);
    t.wait_until("the start again", |s| s.trim_start().starts_with(&title));
    t.keys(&["/"]);
    t.wait_until("the search prompt", |s| status_line(s).starts_with('/'));
    t.text(&phrase);
    t.keys(&["Enter"]);
    let found = t.wait_until("the hit summary", |s| status_line(s).contains("[1/"));
    assert!(found.contains(&phrase), "{found}");

    t.keys(&["q"]);
    let after = t.wait_for_exit();
    assert!(after.contains("EXITED:0"), "{after}");
}

#[test]
fn a_markdown_post_reads_as_a_document() {
    read_a_format("markdown/blog.md");
}

#[test]
fn a_saved_web_page_reads_as_a_document() {
    read_a_format("html/news.html");
}

#[test]
fn an_epub_book_reads_as_a_document() {
    read_a_format("epub/sample.epub");
}

/// A book of 60 chapters whose text deflates poorly, so the archive is over a megabyte: long
/// enough to be shown from its first chapters while the rest is read. The last chapter ends
/// with 全书终了.
fn long_book() -> Vec<u8> {
    use common::epub::{Book, Chapter, xhtml};
    let mut state = 0x2026_u32;
    let mut word = || {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        char::from_u32(0x4E00 + (state >> 16) % 0x5000).unwrap_or('字')
    };
    let mut book = Book::new("长夜", "林半溪");
    for i in 1..=60 {
        let title = format!("第{i}章");
        let mut body = String::new();
        for _ in 0..40 {
            let p: String = (0..200).map(|_| word()).collect();
            body.push_str(&format!("<p>{p}。</p>"));
        }
        if i == 60 {
            body.push_str("<p>全书终了，长夜将尽。</p>");
        }
        let path = format!("ch{i:02}.xhtml");
        book.chapters
            .push(Chapter::new(&path, Some(&title), xhtml(&title, &body)));
    }
    let bytes = book.bytes();
    assert!(bytes.len() > 1024 * 1024, "{} bytes", bytes.len());
    bytes
}

/// A long book: it reads, `G` reaches the last chapter, and reopened it starts where it was
/// left.
#[test]
fn a_long_book_opens_at_once_and_where_it_was_left() {
    let data = tempfile::tempdir().expect("data dir");
    let path = data.path().join("long.epub");
    std::fs::write(&path, long_book()).expect("write the book");

    let t = Tmux::start_with_data(80, 24, Some(&path), Some(data.path()));
    let first = t.wait_until("the first screen", |s| {
        s.contains("长夜") && status_line(s).contains('%')
    });
    assert_screen_width(&first, 80);
    t.keys(&["G"]);
    t.wait_until("the end", |s| {
        s.contains("全书终了") && status_line(s).contains("100%")
    });
    t.keys(&["q"]);
    assert!(t.wait_for_exit().contains("EXITED:0"));
    drop(t);

    let t = Tmux::start_with_data(80, 24, Some(&path), Some(data.path()));
    let again = t.wait_until("the place left", |s| {
        s.contains("全书终了") && status_line(s).contains('%')
    });
    assert!(!again.contains("Reading the rest"), "{again}");
    t.keys(&["[", "["]);
    t.wait_until("the chapter before", |s| s.contains("第59章"));
    t.keys(&["q"]);
    let after = t.wait_for_exit();
    assert!(after.contains("EXITED:0"), "{after}");
    assert_terminal_restored(&after);
}

/// A Traditional Chinese article: the panel lists TSMC as the article writes it, 台積電, and
/// picking it lights up its mentions and walks them with `n`.
#[test]
fn a_traditional_article_lists_tsmc_and_lights_up_its_mentions() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/traditional.txt");
    let t = Tmux::start(120, 30, Some(&path));
    let panel = t.wait_until("the entity list", |s| s.contains("公司 Companies"));
    assert!(panel.contains("台積電 (臺積電)"), "{panel}");
    assert_screen_width(&panel, 120);
    t.keys(&["Tab"]);
    t.wait_until("the panel to take focus", |s| {
        s.contains("> [实体 Entities]")
    });
    // Companies by count: 台積電 ×10 first.
    t.keys(&["j"]);
    t.wait_until("台積電 selected", |s| s.contains("> 台積電"));
    t.keys(&["Enter"]);
    let first = t.wait_until("the first mention", |s| {
        status_line(s).contains("台積電  1/10")
    });
    assert!(first.contains('●'), "{first}");
    // The mentions are drawn in the mention colours.
    let coloured = t.tmux(&["capture-pane", "-p", "-e", "-t", "pizhu"]);
    let marked = coloured
        .lines()
        .filter(|l| l.contains("台積電") && l.contains("\u{1b}[") && !l.contains('●'))
        .count();
    assert!(marked >= 1, "{coloured}");
    t.keys(&["Tab", "n"]);
    t.wait_until("the second mention", |s| {
        status_line(s).contains("台積電  2/10")
    });
    t.keys(&["q"]);
    assert_terminal_restored(&t.wait_for_exit());
}

/// A long book whose last chapter is damaged: its first chapters are drawn, then the reader
/// gives the terminal back and says in one line what is wrong (exit 2).
#[test]
fn a_long_book_damaged_at_the_end_gives_the_terminal_back_with_one_line() {
    let data = tempfile::tempdir().expect("data dir");
    let path = data.path().join("broken.epub");
    let mut bytes = long_book();
    // It says it unpacks to less than it does: the archive reader stops there.
    common::epub::declare_size(&mut bytes, "OEBPS/ch60.xhtml", 100);
    std::fs::write(&path, bytes).expect("write the book");
    let t = Tmux::start_with_data(80, 24, Some(&path), Some(data.path()));
    let after = t.wait_for_exit();
    assert!(after.contains("EXITED:2"), "{after}");
    assert!(
        after.contains("broken.epub") && after.contains("ch60.xhtml"),
        "{after}"
    );
    assert_terminal_restored(&after);
}

/// A left click (as the terminal reports it, SGR mouse mode) puts the cursor on the character
/// under the pointer: `v l 1` there highlights exactly the two characters clicked on.
#[test]
fn mouse_click_puts_the_cursor_where_the_pointer_is() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/markdown/guxiang.md");
    let t = Tmux::start(100, 20, Some(&path));
    let screen = t.wait_until("the story", |s| {
        s.contains("宏儿") && status_line(s).contains('%')
    });
    // The first 宏儿 on screen, in screen cells.
    let (y, line) = screen
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("宏儿"))
        .expect("宏儿 on screen");
    let x = UnicodeWidthStr::width(&line[..line.find("宏儿").unwrap()]);
    // SGR mouse reports count from 1: press and release of the left button.
    let (col, row) = (x + 1, y + 1);
    t.tmux(&[
        "send-keys",
        "-t",
        "pizhu",
        "-l",
        &format!("\u{1b}[<0;{col};{row}M"),
    ]);
    t.tmux(&[
        "send-keys",
        "-t",
        "pizhu",
        "-l",
        &format!("\u{1b}[<0;{col};{row}m"),
    ]);
    t.keys(&["v", "l"]);
    t.wait_until("two characters selected", |s| {
        status_line(s).contains("SELECT 2")
    });
    t.keys(&["1"]);
    t.wait_until("the highlight", |s| status_line(s).contains("Highlighted"));
    t.keys(&["o"]);
    let notes = t.wait_until("the notes list", |s| s.contains("[批注 Notes 1]"));
    assert!(notes.contains("宏儿"), "{notes}");
    t.keys(&["q"]);
    assert_terminal_restored(&t.wait_for_exit());
}

/// A drag with the left button (SGR mouse reports, as the terminal sends them) selects from
/// the character pressed on to the one under the pointer; the selection stays after the
/// release, and `1` highlights exactly those characters.
#[test]
fn mouse_drag_selects_and_a_key_highlights_the_selection() {
    let data = tempfile::tempdir().expect("data dir");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/markdown/guxiang.md");
    let t = Tmux::start_with_data(100, 20, Some(&path), Some(data.path()));
    let screen = t.wait_until("the story", |s| {
        s.contains("侄儿宏儿") && status_line(s).contains('%')
    });
    let (y, line) = screen
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("侄儿宏儿"))
        .expect("侄儿宏儿 on one row");
    let x = UnicodeWidthStr::width(&line[..line.find("侄儿宏儿").unwrap()]);
    // SGR reports count from 1; 0 is the left button, 32 added means it moved while held.
    let (col, row) = (x + 1, y + 1);
    let mouse = |code: u8, col: usize, end: char| {
        t.tmux(&[
            "send-keys",
            "-t",
            "pizhu",
            "-l",
            &format!("\u{1b}[<{code};{col};{row}{end}"),
        ]);
    };
    mouse(0, col, 'M');
    // Across the four characters, two columns each, to the right half of the last.
    for dx in [1, 3, 5, 7] {
        mouse(32, col + dx, 'M');
    }
    mouse(0, col + 7, 'm');
    t.wait_until("four characters selected", |s| {
        status_line(s).contains("SELECT 4")
    });
    t.keys(&["1"]);
    t.wait_until("the highlight", |s| status_line(s).contains("Highlighted"));
    t.keys(&["q"]);
    assert!(t.wait_for_exit().contains("EXITED:0"));
    let files = store_files(data.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let stored = std::fs::read_to_string(&files[0]).expect("store file");
    assert!(stored.contains("exact: \"侄儿宏儿\""), "{stored}");
    assert!(stored.contains("colour: yellow"), "{stored}");
}

/// A Markdown travel diary: a title, two long sections, the second with a subsection.
fn travel_diary() -> String {
    let section = |name: &str, n: usize| -> String {
        (0..n)
            .map(|i| format!("{name}第{i}段：这是一段用来占位的正文。\n\n"))
            .collect()
    };
    format!(
        "# 旅行笔记\n\n{}## 第一站：北京\n\n{}## 第二站：上海\n\n{}### 外滩\n\n{}全文完。\n",
        section("序", 20),
        section("北京", 30),
        section("上海", 30),
        section("外滩", 10),
    )
}

/// `T` shows the outline and Enter goes to a heading; `ma` marks it, `'a` comes back to it
/// from the end, and still does after the reader is closed and opened again.
#[test]
fn outline_jumps_to_a_heading_and_marks_last_across_a_restart() {
    let data = tempfile::tempdir().expect("data dir");
    let path = data.path().join("travel.md");
    std::fs::write(&path, travel_diary()).expect("write the diary");
    let heading = "第一站：北京";
    // The heading near the top of the text (scroll_off rows under it), the title and the end
    // off screen (the status line shows the title).
    let at_heading = |s: &str| {
        let lines: Vec<&str> = s.lines().collect();
        let text = &lines[..lines.len().saturating_sub(1)];
        text.iter().take(6).any(|l| l.contains(heading))
            && !text
                .iter()
                .any(|l| l.contains("旅行笔记") || l.contains("全文完"))
    };

    let t = Tmux::start_with_data(80, 24, Some(&path), Some(data.path()));
    t.wait_until("the first screen", |s| {
        s.contains("旅行笔记") && status_line(s).contains('%')
    });
    t.keys(&["T"]);
    let outline = t.wait_for("目录 Outline");
    for h in ["旅行笔记", heading, "第二站：上海", "外滩"] {
        assert!(outline.contains(h), "{h} not listed:\n{outline}");
    }
    assert!(outline.contains("▸ 旅行笔记"), "{outline}");
    t.keys(&["j", "Enter"]);
    t.wait_until("the heading at the top", |s| {
        !s.contains("目录 Outline") && at_heading(s)
    });

    t.keys(&["m", "a"]);
    t.wait_until("the mark set", |s| status_line(s).contains("Mark a set"));
    t.keys(&["G"]);
    t.wait_for("全文完");
    t.text("'a");
    t.wait_until("back at the mark", at_heading);
    t.keys(&["G"]);
    t.wait_for("全文完");
    t.keys(&["q"]);
    assert!(t.wait_for_exit().contains("EXITED:0"));
    drop(t);
    let files = store_files(data.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let stored = std::fs::read_to_string(&files[0]).expect("store file");
    assert!(stored.contains("marks:"), "{stored}");

    // Reopened at the end, where it was left: 'a still goes to the heading.
    let t = Tmux::start_with_data(80, 24, Some(&path), Some(data.path()));
    t.wait_until("the place left", |s| {
        s.contains("全文完") && status_line(s).contains('%')
    });
    t.text("'a");
    t.wait_until("the mark after a restart", at_heading);
    t.keys(&["q"]);
    let after = t.wait_for_exit();
    assert!(after.contains("EXITED:0"), "{after}");
    assert_terminal_restored(&after);
}
