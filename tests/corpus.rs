//! The synthetic corpus: repeatable byte for byte, with the documented proportions.

use communique::corpus::{Generator, COMMON_WORDS, MEDIUM_WORDS, RARE_WORDS};
use communique::registry::Registry;
use communique::text::decode;

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let a = Generator::new(42);
    let b = Generator::new(42);
    let c = Generator::new(43);
    for i in [0, 1, 17, 999] {
        assert_eq!(a.document(i).bytes, b.document(i).bytes, "document {i}");
        assert_ne!(a.document(i).bytes, c.document(i).bytes, "document {i}");
    }
    // Order of generation does not matter: each document stands alone.
    let forward: Vec<Vec<u8>> = (0..20).map(|i| a.document(i).bytes).collect();
    let backward: Vec<Vec<u8>> = (0..20).rev().map(|i| b.document(i).bytes).collect();
    assert!(forward.iter().eq(backward.iter().rev()));
}

#[test]
fn gen_corpus_writes_the_same_files_twice() {
    let exe = env!("CARGO_BIN_EXE_gen-corpus");
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    for d in &dirs {
        let status = std::process::Command::new(exe)
            .args(["--seed", "9", "--count", "30", "--out"])
            .arg(d.path())
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
    }
    let mut names: Vec<_> = std::fs::read_dir(dirs[0].path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(names.len(), 31, "30 documents and the manifest");
    for name in names {
        let a = std::fs::read(dirs[0].path().join(&name)).unwrap();
        let b = std::fs::read(dirs[1].path().join(&name)).unwrap();
        assert!(a == b, "{name:?} differs");
    }
}

#[test]
fn proportions_hold_roughly() {
    let g = Generator::new(3);
    let n = 2000;
    let docs: Vec<_> = (0..n).map(|i| g.document(i)).collect();
    let share = |f: &dyn Fn(&communique::corpus::DocMeta) -> bool| {
        docs.iter().filter(|d| f(&d.meta)).count() as f64 / n as f64
    };
    let near = |got: f64, want: f64, tol: f64, what: &str| {
        assert!(
            (got - want).abs() <= tol,
            "{what}: {got:.3}, expected {want} ± {tol}"
        );
    };
    near(share(&|m| m.language == "ru"), 0.25, 0.03, "Russian");
    near(
        share(&|m| m.encoding == "windows-1251"),
        0.25 * 0.08,
        0.01,
        "Windows-1251",
    );
    near(share(&|m| m.crlf), 0.10, 0.02, "CRLF");
    near(share(&|m| m.wrapped), 0.10, 0.02, "hard-wrapped");
    near(share(&|m| m.bom), 0.05 * 0.98, 0.015, "BOM");
    near(share(&|m| m.nbsp), 0.10, 0.02, "NBSP");
    near(
        share(&|m| m.date_line == "glued"),
        0.70,
        0.03,
        "glued date line",
    );
    near(
        share(&|m| m.date_line == "time_only"),
        0.10,
        0.02,
        "time-only line",
    );
    near(
        share(&|m| m.kind == "briefing"),
        0.15 * 0.96,
        0.025,
        "briefings",
    );
    near(share(&|m| m.footer), 0.80, 0.03, "footers");
    near(share(&|m| m.title.is_none()), 0.03, 0.015, "no title");
    let forums = share(&|m| m.forum.is_some());
    assert!((0.15..0.35).contains(&forums), "forums {forums}");

    let sizes: Vec<usize> = docs.iter().map(|d| d.bytes.len()).collect();
    eprintln!("mean size {}", sizes.iter().sum::<usize>() / sizes.len());
    let mean = sizes.iter().sum::<usize>() as f64 / n as f64;
    assert!((7_000.0..9_000.0).contains(&mean), "mean size {mean}");
    assert!(
        sizes.iter().all(|&s| (1_900..=30_500).contains(&s)),
        "sizes {:?}..{:?}",
        sizes.iter().min(),
        sizes.iter().max()
    );
    let years: std::collections::BTreeSet<&str> = docs.iter().map(|d| &d.meta.date[..4]).collect();
    assert_eq!(years.first(), Some(&"2004"));
    assert_eq!(years.last(), Some(&"2025"));
}

#[test]
fn every_document_decodes_and_names_its_forum_and_speaker() {
    let g = Generator::new(5);
    let registry = Registry::builtin();
    for i in 0..400 {
        let doc = g.document(i);
        let text = decode(&doc.bytes).unwrap_or_else(|e| panic!("{}: {e}", doc.meta.file));
        if let Some(title) = &doc.meta.title {
            assert!(
                text.contains(title.as_str()) || doc.meta.nbsp || doc.meta.crlf,
                "{}",
                doc.meta.file
            );
            let forums: Vec<&str> = registry
                .forums_in_title(title)
                .iter()
                .map(|f| f.slug.as_str())
                .collect();
            assert_eq!(forums.first().copied(), doc.meta.forum, "{title}");
            let speakers: Vec<&str> = registry
                .speakers_in_title(title)
                .iter()
                .map(|s| s.slug.as_str())
                .collect();
            assert_eq!(speakers.first().copied(), Some(doc.meta.speaker), "{title}");
        }
    }
}

#[test]
fn marker_words_have_their_documented_frequencies() {
    let g = Generator::new(11);
    let docs: Vec<String> = (0..1500)
        .map(|i| decode(&g.document(i).bytes).unwrap())
        .collect();
    // Turns: paragraphs are a fair stand-in here (a turn is one or more paragraphs).
    let paragraphs: Vec<String> = docs
        .iter()
        .flat_map(|d| {
            d.replace("\r\n", "\n")
                .split("\n\n")
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
        })
        .filter(|p| p.len() > 40)
        .collect();
    let has = |text: &str, w: &str| text.split(|c: char| !c.is_alphanumeric()).any(|t| t == w);
    for (w, _) in COMMON_WORDS.iter().filter(|(w, _)| w.is_ascii()) {
        let docs_with = docs.iter().filter(|d| has(&d.to_lowercase(), w)).count() as f64;
        let en_docs = docs.iter().filter(|d| d.contains(" the ")).count() as f64;
        assert!(
            docs_with / en_docs > 0.5,
            "{w}: {:.3} of English documents",
            docs_with / en_docs
        );
    }
    let en_pars: Vec<&String> = paragraphs.iter().filter(|p| p.contains(" the ")).collect();
    for (w, _) in MEDIUM_WORDS.iter().filter(|(w, _)| w.is_ascii()) {
        let share = en_pars.iter().filter(|p| has(p, w)).count() as f64 / en_pars.len() as f64;
        assert!(
            (0.004..0.05).contains(&share),
            "{w}: {share:.4} of paragraphs"
        );
    }
    for (w, _) in RARE_WORDS.iter().filter(|(w, _)| w.is_ascii()) {
        let share = en_pars.iter().filter(|p| has(p, w)).count() as f64 / en_pars.len() as f64;
        assert!(share < 0.001, "{w}: {share:.5} of paragraphs");
    }
}
