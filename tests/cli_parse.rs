//! `communique parse FILE...` (Contract 1), run as the built binary.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Every key Contract 1 promises on a statement and on a segment.
const STATEMENT_KEYS: &[&str] = &[
    "id",
    "title",
    "date",
    "time",
    "place",
    "kind",
    "language",
    "languages",
    "source_number",
    "source_url",
    "forums",
    "speakers",
    "tags",
    "segments",
];
const SEGMENT_KEYS: &[&str] = &[
    "n",
    "kind",
    "speaker",
    "label",
    "note",
    "exchange",
    "anchor",
    "title",
    "paragraphs",
];

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

fn parse(files: &[PathBuf]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_communique"))
        .arg("parse")
        .args(files)
        .env_remove("COMMUNIQUE_REGISTRY")
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    Run {
        status: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

#[track_caller]
fn assert_contract_keys(line: &str) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    let obj = v.as_object().unwrap();
    for key in STATEMENT_KEYS {
        assert!(obj.contains_key(*key), "missing {key} in {line}");
    }
    for seg in obj["segments"].as_array().unwrap() {
        for key in SEGMENT_KEYS {
            assert!(
                seg.as_object().unwrap().contains_key(*key),
                "segment misses {key}"
            );
        }
    }
    v
}

#[test]
fn bad_files_are_reported_and_the_rest_parsed() {
    let files = [
        fixture("cli/empty.txt"),
        fixture("seeds/003_e563b7151c10cdad.txt"),
        fixture("cli/binary.txt"),
        fixture("cli/latin1.txt"),
        fixture("cli/blank.txt"),
        fixture("cli/no-such-file.txt"),
    ];
    let run = parse(&files);
    assert_eq!(run.status, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    let v = assert_contract_keys(lines[0]);
    assert_eq!(v["date"], "2018-06-11");
    let err: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(err.len(), 5, "{}", run.stderr);
    assert_eq!(err[0], format!("{}: empty", files[0].display()));
    assert_eq!(err[1], format!("{}: binary", files[2].display()));
    assert_eq!(
        err[2],
        format!("{}: not UTF-8 or Windows-1251 text", files[3].display())
    );
    assert_eq!(err[3], format!("{}: empty", files[4].display()));
    assert!(
        err[4].starts_with(&format!("{}: ", files[5].display())),
        "{}",
        err[4]
    );
}

#[test]
fn good_files_print_one_line_each_and_exit_zero() {
    let files: Vec<PathBuf> = [
        "seeds/000_25f760081960ba59.txt",
        "seeds/001_1ddf46fd7ad83b62.txt",
        "seeds/002_50d26956223dd4d0.txt",
        "seeds/003_e563b7151c10cdad.txt",
        "seeds/004_8de327bb625e098c.txt",
        "real/bikovoy_06_ru_midru_1799937.page.txt",
    ]
    .iter()
    .map(|f| fixture(f))
    .collect();
    let run = parse(&files);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), files.len());
    let dates: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| assert_contract_keys(l)["date"].clone())
        .collect();
    // One object per file, in the order given.
    assert_eq!(
        dates,
        [
            "2012-09-12",
            "2016-04-28",
            "2024-04-12",
            "2018-06-11",
            "2013-09-12",
            "2022-02-22"
        ]
    );
    for line in &lines {
        assert!(!line.contains('\n') && line.starts_with('{') && line.ends_with('}'));
    }
}

#[test]
fn windows_1251_file_parses_like_its_utf8_twin() {
    let run = parse(&[
        fixture("real/bikovoy_06_ru_midru_1799937.page.txt"),
        fixture("cli/cp1251.txt"),
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0], lines[1]);
    let v = assert_contract_keys(lines[1]);
    assert_eq!(v["language"], "ru");
    assert_eq!(v["speakers"][0]["slug"], "sergey-lavrov");
}

#[test]
fn registry_flag_and_environment_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.toml");
    std::fs::write(&bad, "[[speaker]]\nslug = \"no name\"\n").unwrap();
    let good = fixture("seeds/003_e563b7151c10cdad.txt");
    for via_env in [false, true] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_communique"));
        if via_env {
            cmd.env("COMMUNIQUE_REGISTRY", &bad).arg("parse");
        } else {
            cmd.env_remove("COMMUNIQUE_REGISTRY")
                .args(["parse", "--registry"])
                .arg(&bad);
        }
        let out = cmd.arg(&good).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stdout.is_empty());
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains("broken.toml"), "{stderr}");
    }
}

#[test]
fn parse_without_files_is_a_usage_error() {
    let run = parse(&[]);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("FILE"), "{}", run.stderr);
}
