//! The one test harness: a real `govscript sandbox` process on a free loopback port
//! ([`Sandbox`]), plain HTTP to it ([`http`]), a builder that runs the real binary on a
//! script ([`Run`]), the Python client oracle ([`python`]), a recording server
//! ([`recorder`]), waits with a deadline and process clean-up ([`process`]) and the REPL
//! on a pseudo-terminal ([`repl`]).
//!
//! ```ignore
//! let sandbox = Sandbox::start();
//! sandbox.script(r#"let e = expect_error(|| govern().get_artifact("x").get_definition());
//!                   assert_eq(e.status, 404);"#).ok();
//! assert_eq!(sandbox.ok("GET", "/dip/publicapi/artifact/ar.1", None)["artifact"]["id"], "ar.1");
//! ```
// Each test binary compiles this module and uses a part of it.
#![allow(dead_code, unused_imports)]

pub mod audit;
pub mod bulk;
pub mod canned;
pub mod designer;
pub mod docs;
pub mod faults;
pub mod http;
pub mod plan;
pub mod process;
pub mod python;
pub mod recorder;
pub mod repl;
pub mod rights;
pub mod sandbox;
pub mod script;
pub mod stdlib;
pub mod watch;

pub use http::{Resp, assert_error};
pub use python::{python, python_client_available};
pub use sandbox::{Sandbox, SandboxBuilder, temp_db};
pub use script::{Ran, Run, Running};

use std::path::{Path, PathBuf};

/// The admin key tests give the sandbox.
pub const ADMIN_KEY: &str = "test-admin-key-0123456789";

/// The public API prefix of Govern.
pub const API: &str = "/dip/publicapi";

/// `govscript run` exit codes, as README.md documents them.
pub const EXIT_OK: i32 = 0;
/// The script started and failed: a runtime error (also when stopped by Ctrl-C).
pub const EXIT_SCRIPT_ERROR: i32 = 1;
/// The script could not be started (unreadable file, bad flags, syntax error).
pub const EXIT_USAGE: i32 = 2;

/// Path of the govscript binary under test; `GOVSCRIPT_BIN` overrides it, so that
/// benchmarks can measure a binary built from another commit.
pub fn bin() -> PathBuf {
    std::env::var_os("GOVSCRIPT_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_govscript")),
        PathBuf::from,
    )
}

/// The project root (where `Cargo.toml` and `.venv/` are).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A URL on which nothing listens: a loopback port bound, then released (nothing is
/// assumed about fixed ports such as 9).
pub fn unused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let port = listener.local_addr().expect("local address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}
