//! Links the `govscript` binary as a position-dependent executable on Linux (GNU or
//! musl): without PIE the dynamic loader has no relative relocations to apply to the
//! binary's own image (about 35,000, with 512 KB of `.data.rel.ro` written) at every
//! start, which is most of what a one-line `govscript run` waits for after its own
//! code (BENCHMARKS.md, "start-up"). The trade-off: the executable's own code and data
//! load at a fixed address (no ASLR for them; libraries, stack and heap keep theirs).
//! `GOVSCRIPT_PIE=1` at build time keeps the default PIE link. Tests and benches are
//! linked as before (`-bins` only).
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=GOVSCRIPT_PIE");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    if linux && std::env::var_os("GOVSCRIPT_PIE").is_none() {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
