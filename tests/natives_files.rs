//! The file and environment helpers every script gets (`csv_read`, `csv_records`,
//! `csv_write`, `csv_string`, `json_read`, `json_write`, `env`), through the real binary.
mod common;
use common::{Run, Sandbox};

#[test]
fn artifacts_exported_to_csv_read_back_as_the_server_holds_them() {
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("artifacts.csv");
    let out = sandbox
        .script(
            r#"
            let rows = [];
            for hit in govern().search(#{ page_size: 7 }) {
                let raw = hit.get_raw().artifact;
                rows.push(#{ id: raw.id, name: raw.name });
            }
            csv_write(ARGS[0], rows, ["id", "name"]);
            let back = csv_read(ARGS[0]);
            assert_eq(back, rows);
            print(back.len());
            "#,
        )
        .script_arg(path.to_str().expect("utf-8 path"))
        .ok();
    let written = std::fs::read_to_string(&path).expect("the CSV was written");
    let lines: Vec<&str> = written.lines().collect();
    assert_eq!(lines[0], "id,name");
    let served = sandbox.all_artifacts();
    assert!(served.len() > 7, "the seed has more than a page");
    let first = &served[0];
    assert_eq!(
        lines[1],
        format!(
            "{},{}",
            first["id"].as_str().unwrap(),
            first["name"].as_str().unwrap()
        )
    );
    let served = served.len();
    assert_eq!(out.trim(), served.to_string());
    assert_eq!(lines.len(), served + 1, "{written}");
}

#[test]
fn a_malformed_csv_row_is_named_by_csv_read_and_reported_by_csv_records() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("owners.csv");
    std::fs::write(&path, "id,owner\nar.1,alice\nar.2\nar.3,carol\n").expect("write");
    let path = path.to_str().expect("utf-8 path");
    let out = Run::new(
        r#"
        let e = expect_error(|| csv_read(ARGS[0]));
        print(e.message);
        for r in csv_records(ARGS[0]) {
            if "error" in r { print(`bad ${r.line}: ${r.error}`) } else { print(`ok ${r.line}: ${r.row.owner}`) }
        }
        "#,
    )
    .script_arg(path)
    .ok();
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].ends_with("owners.csv line 3: 1 fields where the header has 2"),
        "{out}"
    );
    assert_eq!(
        lines[1..],
        [
            "ok 2: alice",
            "bad 3: 1 fields where the header has 2",
            "ok 4: carol"
        ]
    );
}

#[test]
fn json_files_round_trip_and_a_bad_one_names_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("state.json");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{ nope").expect("write");
    let out = Run::new(
        r#"
        let value = #{ ids: ["ar.1", "ar.2"], n: 2, nested: #{ ok: true } };
        json_write(ARGS[0], value);
        assert_eq(json_read(ARGS[0]), value);
        print(expect_error(|| json_read(ARGS[1])).message);
        "#,
    )
    .script_arg(good.to_str().expect("utf-8"))
    .script_arg(bad.to_str().expect("utf-8"))
    .ok();
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&good).expect("written")).expect("JSON");
    assert_eq!(written["ids"][1], "ar.2");
    assert!(out.contains("bad.json is not valid JSON"), "{out}");
}

#[test]
fn a_write_into_a_missing_folder_fails_clearly_and_leaves_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("no/such/dir/out.csv");
    let ran = Run::new(r#"csv_write(ARGS[0], [#{ a: 1 }]);"#)
        .script_arg(target.to_str().expect("utf-8"))
        .exits(1);
    assert!(ran.stderr.contains("cannot write"), "{}", ran.stderr);
    assert!(!target.exists());
}

#[test]
fn env_reads_a_variable_or_gives_the_default() {
    let out = Run::new(
        r#"
        print(env("GOVSCRIPT_TEST_OWNER"));
        print(env("GOVSCRIPT_TEST_UNSET") == ());
        print(env("GOVSCRIPT_TEST_UNSET", "fallback"));
        "#,
    )
    .env("GOVSCRIPT_TEST_OWNER", "alice")
    .ok();
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["alice", "true", "fallback"]
    );
}
