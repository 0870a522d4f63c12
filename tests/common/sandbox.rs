//! A temporary home for one test of the real binary: an empty config file (all defaults), a
//! data dir and room for input files, so no test touches the user's own files.

use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::{Command, Output};

use tempfile::TempDir;

pub struct Sandbox {
    pub dir: TempDir,
    pub config: PathBuf,
    pub data: PathBuf,
}

impl Sandbox {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("create temp dir");
        let config = dir.path().join("config.ron");
        std::fs::write(&config, "").expect("write empty config");
        let data = dir.path().join("data");
        std::fs::create_dir(&data).expect("create data dir");
        Self { dir, config, data }
    }

    /// The real binary with `args`, then `--config C --data-dir D` of this sandbox, and none
    /// of the user's pizhu settings. The global options go last: that is the one place that
    /// works for every form of the command line.
    pub fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut command = Command::new(env!("CARGO_BIN_EXE_pizhu"));
        command
            .args(args)
            .arg("--config")
            .arg(&self.config)
            .arg("--data-dir")
            .arg(&self.data)
            .env_remove("PIZHU_CONFIG")
            .env_remove("PIZHU_DATA_DIR")
            .env_remove("PIZHU_MAX_FILE_SIZE")
            .env_remove("NO_COLOR")
            .env("RUST_BACKTRACE", "1");
        command
    }

    /// [`Sandbox::command`] run to its end.
    pub fn output<I, S>(&self, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.command(args).output().expect("run pizhu")
    }

    /// [`Sandbox::command`] run to its end, which must succeed: its stdout.
    pub fn pizhu<I, S>(&self, args: I) -> String
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let args: Vec<S> = args.into_iter().collect();
        let shown: Vec<&OsStr> = args.iter().map(AsRef::as_ref).collect();
        let out = self.output(&args);
        assert!(
            out.status.success(),
            "pizhu {shown:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8 output")
    }

    /// Writes `bytes` to `name` in the sandbox.
    pub fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).expect("write fixture");
        path
    }
}
