//! Hostile input to `/search` and `/api/search`: query syntax, SQL, control characters,
//! broken percent-encoding and sheer size. Every request gets a page (200) or, for a
//! query over 1,000 characters, a 400; never a 500, never a database error's text.

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use communique::registry::Registry;
use communique::web::{router, AppState, Config};
use http_body_util::BodyExt;
use tokio::sync::OnceCell;
use tower::ServiceExt;

async fn state() -> AppState {
    static DB: OnceCell<(tempfile::TempDir, AppState)> = OnceCell::const_new();
    let (_, state) = DB
        .get_or_init(|| async {
            let dir = tempfile::tempdir().unwrap();
            let pool = communique::db::connect(dir.path().join("archive.db"))
                .await
                .unwrap();
            let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
            communique::import::import_paths(
                &pool,
                &[corpus],
                &Registry::builtin(),
                &communique::import::ImportOptions::quiet(),
            )
            .await
            .unwrap();
            let mut config = Config::new("http://localhost");
            config.cache_bytes = 0;
            (dir, AppState::new(pool, config))
        })
        .await;
    state.clone()
}

/// Percent-encodes every byte that is not unreserved.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Text a database error would leak; none of it may reach a client.
const LEAKS: [&str; 6] = [
    "fts5",
    "syntax error",
    "no such column",
    "sqlite",
    "unterminated",
    "malformed match",
];

/// Requests `/search?{query}` and `/api/search?{query}` and checks both answers.
async fn check(query_string: &str, input_for_leaks: &str, too_long: bool) {
    for path in ["/search", "/api/search"] {
        let uri = format!("{path}?{query_string}");
        let response = router(state().await)
            .oneshot(Request::get(uri.as_str()).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let body = String::from_utf8_lossy(&body).to_lowercase();
        let expected = if too_long {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        };
        assert_eq!(status, expected, "{uri}: {}", &body[..body.len().min(300)]);
        let echoed = input_for_leaks.to_lowercase();
        for leak in LEAKS {
            assert!(
                !body.contains(leak) || echoed.contains(leak),
                "{uri} leaks {leak:?}"
            );
        }
        if path == "/api/search" {
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            if too_long {
                assert_eq!(v["error"]["code"], "bad_request");
            } else {
                assert!(v["results"].is_array() && v["pagination"]["total"].is_i64());
            }
        }
    }
}

/// Inputs aimed at the query language, FTS5's syntax and SQL.
fn hostile() -> Vec<String> {
    let fixed = [
        "\"",
        "\"\"",
        "\"\"\"",
        "\"INF",
        "INF\"",
        "\"INF Treaty",
        "INF \"Treaty\" \"",
        "(",
        ")",
        "((INF)",
        "INF)",
        "(INF OR)",
        "()",
        "[INF]",
        "{INF}",
        "{body}: INF",
        "NEAR(",
        "NEAR(INF Treaty",
        "NEAR(INF Treaty, 5)",
        "NEAR(\"INF\" \"Treaty\", -1)",
        "INF NEAR Treaty",
        "INF NEAR/3 Treaty",
        "title:",
        "title:INF",
        "body:",
        "body:Treaty",
        "body : Treaty",
        "-body:INF",
        "segments_fts:INF",
        "rank:",
        "rowid:1",
        "^",
        "^INF",
        "INF ^Treaty",
        "*",
        "**",
        "* *",
        "INF*",
        "*INF",
        "I*",
        "IN*",
        "\"INF*\"",
        "INF* *",
        "AND",
        "OR",
        "NOT",
        "AND OR NOT",
        "INF AND",
        "OR INF",
        "INF OR",
        "INF OR OR Treaty",
        "NOT INF",
        "INF NOT",
        "INF NOT Treaty",
        "INF AND NOT Treaty",
        "-",
        "--",
        "---INF",
        "- INF",
        "-INF",
        "-\"INF Treaty\"",
        "-INF*",
        "-(",
        "+INF",
        "INF +Treaty",
        "~INF",
        "INF~2",
        ":",
        "::",
        "a:b:c",
        "'",
        "''",
        "' OR 1=1 --",
        "'; DROP TABLE statements; --",
        "\"; DROP TABLE segments; --",
        "1; DELETE FROM segments",
        "UNION SELECT * FROM sources",
        "') OR ('1'='1",
        "%",
        "%%",
        "_",
        "\\",
        "\\\"",
        "INF\\",
        "$1",
        "?1",
        "?",
        ":q",
        "@q",
        "<script>alert(1)</script>",
        "<mark>INF</mark>",
        "&amp;",
        "&lt;mark&gt;",
        "\"><img src=x>",
        "{{ q }}",
        "{% if %}",
        "${jndi:x}",
        "\u{0}",
        "INF\u{0}Treaty",
        "\u{0}\u{0}\u{0}",
        "\u{7}\u{8}\u{1b}[31m",
        "\t\n\r",
        "INF\r\nTreaty",
        "\u{7f}",
        "\u{85}",
        "\u{a0}INF\u{a0}",
        "\u{200b}",
        "INF\u{200b}Treaty",
        "\u{feff}INF",
        "\u{202e}INF Treaty",
        "\u{202d}\u{202e}",
        "مرحبا بالعالم",
        "שלום \"עולם",
        "\u{200f}INF\u{200e}",
        "😀",
        "😀*",
        "INF 😀 Treaty",
        "👨‍👩‍👧‍👦",
        "🏳️‍🌈",
        "\u{fffd}",
        "\u{fffd}*",
        "\u{e000}\u{f0000}",
        "\u{f0001}INF\u{f0000}",
        "\u{301}",
        "a\u{301}*",
        "\u{301}INF",
        "é*",
        "Ё*",
        "ОДКБ",
        "санкц*",
        "\"Договор РСМД\"",
        "日本語",
        "日本語*",
        "中文 OR 英文",
        "ﷺ",
        "Ⅻ*",
        "²³*",
        "١٢٣",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "ǅ*",
        "ﬁnance",
        "İstanbul*",
        "ß*",
        "ΑΒΓ*",
        "ꙮ",
        "\u{10ffff}",
        "\u{e0041}",
        "0",
        "00000*",
        "1e10",
        "-1",
        "9223372036854775808",
        "NaN",
        "null",
        "undefined",
        "true",
        "INF Treaty INF Treaty INF Treaty",
        "a b c d e f g h i j k l m n o p q r s t u v w x y z",
    ];
    let mut inputs: Vec<String> = fixed.iter().map(|s| (*s).to_owned()).collect();
    // The same inputs next to ordinary words and a prefix.
    for s in fixed.iter().step_by(2) {
        inputs.push(format!("INF {s} Treaty"));
        inputs.push(format!("{s} negotiat*"));
    }
    inputs.push("(".repeat(500));
    inputs.push("\"".repeat(999));
    inputs.push("NEAR(".repeat(199));
    inputs.push("a*".repeat(499));
    inputs.push("x OR ".repeat(199));
    inputs.push("-a ".repeat(333));
    inputs.push("é".repeat(1000));
    inputs.push("я".repeat(999));
    inputs.push("INF ".repeat(249) + "abc");
    inputs
}

#[tokio::test]
async fn hostile_queries_get_a_page_never_an_error() {
    let inputs = hostile();
    assert!(inputs.len() >= 200, "{}", inputs.len());
    for input in &inputs {
        let too_long = input.trim().chars().count() > 1000;
        check(&format!("q={}", encode(input)), input, too_long).await;
        check(
            &format!("q={}&group=statement&sort=newest", encode(input)),
            input,
            too_long,
        )
        .await;
    }
}

#[tokio::test]
async fn length_limit_is_at_1000_characters() {
    for (input, too_long) in [
        ("x".repeat(999), false),
        ("x".repeat(1000), false),
        ("x".repeat(1001), true),
        ("я".repeat(1000), false),
        ("я".repeat(1001), true),
        ("😀".repeat(1001), true),
        ("INF ".repeat(250), false),
    ] {
        check(&format!("q={}", encode(&input)), &input, too_long).await;
    }
}

#[tokio::test]
async fn broken_percent_encoding_is_read_as_text() {
    // Lone surrogates, overlong forms, stray bytes, NUL, bare and truncated escapes.
    for raw in [
        "q=%ED%A0%80",
        "q=%ED%B0%80INF",
        "q=INF%ED%A0%80%ED%B0%80Treaty",
        "q=%C0%AF",
        "q=%E0%80%AF",
        "q=%FF%FE",
        "q=%80",
        "q=%00",
        "q=INF%00Treaty",
        "q=%00%00%22",
        "q=%",
        "q=%%",
        "q=%2",
        "q=%zz",
        "q=INF%",
        "q=%22%",
        "q=+",
        "q=+++",
        "q=%2B",
        "q=INF&q=%22",
        "q=&q=",
        "q",
        "q=INF&&&",
        "&&q=INF",
        "q=INF%26forum%3Dx",
        "q=%E2%80%AE%E2%80%AD",
        "q=%F0%9F%98",
        "q=%F4%90%80%80",
        "q=%EF%BF%BF",
    ] {
        check(raw, "", false).await;
    }
}

#[tokio::test]
async fn ten_kilobytes_of_junk() {
    // A deterministic generator: the same junk on every run.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let alphabet: Vec<char> =
        "\"()*-^:{}[]'; ORANDNOTNEAR\u{0}\u{1}\u{301}\u{202e}é я😀%+&=#?/\\<>"
            .chars()
            .collect();
    let junk: String = (0..10_240)
        .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
        .collect();
    check(&format!("q={}", encode(&junk)), &junk, true).await;
    // The same junk in every other parameter is a clear 400, never a 500.
    for param in [
        "forum", "speaker", "year", "from", "to", "kind", "turn", "lang", "sort", "page", "limit",
        "group",
    ] {
        let uri = format!("/api/search?q=INF&{param}={}", encode(&junk[..2000]));
        let response = router(state().await)
            .oneshot(Request::get(uri.as_str()).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{param}");
    }
    // Short junk queries, many of them.
    for i in 0..200 {
        let len = (next() % 60) as usize;
        let q: String = (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        check(&format!("q={}&page={}", encode(&q), i % 3 + 1), &q, false).await;
    }
}
