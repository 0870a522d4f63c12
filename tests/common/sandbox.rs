//! A temporary home for one test of the real binary: an empty config file (all defaults), a
//! data dir and room for input files, so no test touches the user's own files.

use std::path::PathBuf;

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

    /// Runs the real binary with `args`, this sandbox's config and data dir, and none of the
    /// user's environment settings; asserts that it succeeds and returns its stdout.
    pub fn pizhu(&self, args: &[&std::ffi::OsStr]) -> String {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_pizhu"))
            .args(args)
            .arg("--config")
            .arg(&self.config)
            .arg("--data-dir")
            .arg(&self.data)
            .env_remove("PIZHU_CONFIG")
            .env_remove("PIZHU_DATA_DIR")
            .output()
            .expect("run pizhu");
        assert!(
            out.status.success(),
            "pizhu {args:?}: {}",
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
