//! Forums and speakers: built-in data files merged with the user's own.

mod names;

use std::path::Path;
use std::sync::OnceLock;

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};

use names::Index;

/// A multilateral body (CIS, CSTO, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Forum {
    /// Lower-case slug, e.g. `csto`.
    pub slug: String,
    /// English acronym, e.g. `CSTO`.
    pub acronym: String,
    /// Full English name.
    pub name: String,
    /// Russian acronym, e.g. `ОДКБ`.
    #[serde(default)]
    pub acronym_ru: Option<String>,
    /// Full Russian name.
    #[serde(default)]
    pub name_ru: Option<String>,
    /// Other names and spellings that mean this forum in a title.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A person who speaks in statements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Speaker {
    /// Slug, e.g. `sergey-lavrov`.
    pub slug: String,
    /// English display name.
    pub name: String,
    /// Russian name.
    #[serde(default)]
    pub name_ru: Option<String>,
    /// Role, e.g. `Minister of Foreign Affairs of Russia`.
    #[serde(default)]
    pub role: Option<String>,
    /// Russian role.
    #[serde(default)]
    pub role_ru: Option<String>,
    /// Other spellings: initials, transliterations, Russian forms.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// All known forums and speakers, with lookup tables built once for matching.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    forums: Vec<Forum>,
    speakers: Vec<Speaker>,
    index: Index,
}

/// The built-in data files, compiled into the binary.
const BUILTIN_FORUMS: &str = include_str!("../../registry/forums.toml");
const BUILTIN_SPEAKERS: &str = include_str!("../../registry/speakers.toml");

/// The shape of a registry file: `[[forum]]` and `[[speaker]]` tables, either or both.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistryFile {
    #[serde(default, alias = "forums")]
    forum: Vec<ForumEntry>,
    #[serde(default, alias = "speakers")]
    speaker: Vec<SpeakerEntry>,
}

/// A forum as a file gives it: for a known slug, only the fields to change.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ForumEntry {
    slug: String,
    acronym: Option<String>,
    name: Option<String>,
    acronym_ru: Option<String>,
    name_ru: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
}

/// A speaker as a file gives it: for a known slug, only the fields to change.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SpeakerEntry {
    slug: String,
    name: Option<String>,
    name_ru: Option<String>,
    role: Option<String>,
    role_ru: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
}

impl Registry {
    /// The registry shipped in the binary.
    pub fn builtin() -> Registry {
        static BUILTIN: OnceLock<Registry> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                let mut registry = Registry::default();
                for (name, text) in [
                    ("registry/forums.toml", BUILTIN_FORUMS),
                    ("registry/speakers.toml", BUILTIN_SPEAKERS),
                ] {
                    // The built-in files are checked by the tests; a failure here is a
                    // broken build, not a user error.
                    registry
                        .merge_str(text, name)
                        .expect("the built-in registry is valid");
                }
                registry.reindex();
                registry
            })
            .clone()
    }

    /// The built-in registry with the user's file or folder (TOML) merged over it:
    /// an entry with a known slug overrides the fields it gives and adds its aliases;
    /// an entry with a new slug is added. A folder's `*.toml` files merge in name order.
    pub fn load(extra: Option<&Path>) -> anyhow::Result<Registry> {
        let mut registry = Registry::builtin();
        let Some(path) = extra else {
            return Ok(registry);
        };
        let meta =
            std::fs::metadata(path).with_context(|| format!("registry {}", path.display()))?;
        let files = if meta.is_dir() {
            let mut files = Vec::new();
            let entries =
                std::fs::read_dir(path).with_context(|| format!("registry {}", path.display()))?;
            for entry in entries {
                let file = entry
                    .with_context(|| format!("registry {}", path.display()))?
                    .path();
                if file.extension().is_some_and(|e| e == "toml") {
                    files.push(file);
                }
            }
            files.sort();
            files
        } else {
            vec![path.to_path_buf()]
        };
        for file in files {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("registry {}", file.display()))?;
            registry.merge_str(&text, &file.display().to_string())?;
        }
        registry.reindex();
        Ok(registry)
    }

    /// Merges one file's entries; `name` names the file in errors.
    fn merge_str(&mut self, text: &str, name: &str) -> anyhow::Result<()> {
        let file: RegistryFile =
            toml::from_str(text).with_context(|| format!("registry {name}"))?;
        for e in file.forum {
            check_slug(&e.slug).with_context(|| format!("registry {name}: forum"))?;
            match self.forums.iter_mut().find(|f| f.slug == e.slug) {
                Some(f) => {
                    replace(&mut f.acronym, e.acronym);
                    replace(&mut f.name, e.name);
                    replace_opt(&mut f.acronym_ru, e.acronym_ru);
                    replace_opt(&mut f.name_ru, e.name_ru);
                    extend(&mut f.aliases, e.aliases);
                }
                None => {
                    let Some(full) = e.name else {
                        bail!("registry {name}: new forum `{}` has no `name`", e.slug);
                    };
                    self.forums.push(Forum {
                        acronym: e.acronym.unwrap_or_else(|| full.clone()),
                        name: full,
                        slug: e.slug,
                        acronym_ru: e.acronym_ru,
                        name_ru: e.name_ru,
                        aliases: e.aliases,
                    });
                }
            }
        }
        for e in file.speaker {
            check_slug(&e.slug).with_context(|| format!("registry {name}: speaker"))?;
            match self.speakers.iter_mut().find(|s| s.slug == e.slug) {
                Some(s) => {
                    replace(&mut s.name, e.name);
                    replace_opt(&mut s.name_ru, e.name_ru);
                    replace_opt(&mut s.role, e.role);
                    replace_opt(&mut s.role_ru, e.role_ru);
                    extend(&mut s.aliases, e.aliases);
                }
                None => {
                    let Some(full) = e.name else {
                        bail!("registry {name}: new speaker `{}` has no `name`", e.slug);
                    };
                    self.speakers.push(Speaker {
                        slug: e.slug,
                        name: full,
                        name_ru: e.name_ru,
                        role: e.role,
                        role_ru: e.role_ru,
                        aliases: e.aliases,
                    });
                }
            }
        }
        Ok(())
    }

    /// Rebuilds the lookup tables after the lists changed.
    fn reindex(&mut self) {
        self.index = Index::build(&self.forums, &self.speakers);
    }

    /// Every forum.
    pub fn forums(&self) -> &[Forum] {
        &self.forums
    }

    /// Every speaker.
    pub fn speakers(&self) -> &[Speaker] {
        &self.speakers
    }

    /// The forum with this slug (case-insensitive).
    pub fn forum(&self, slug: &str) -> Option<&Forum> {
        self.forums
            .iter()
            .find(|f| f.slug.eq_ignore_ascii_case(slug))
    }

    /// The speaker with this slug (case-insensitive).
    pub fn speaker(&self, slug: &str) -> Option<&Speaker> {
        self.speakers
            .iter()
            .find(|s| s.slug.eq_ignore_ascii_case(slug))
    }

    /// The speaker a printed name or label refers to (`S.V. Lavrov`, `Сергей Лавров`,
    /// `Лавров С.В.`, `Foreign Minister Ivanov`). Role words and a parenthesised note
    /// are ignored; a surname alone names a speaker only when no other speaker bears it.
    pub fn match_speaker(&self, name: &str) -> Option<&Speaker> {
        self.index.match_name(name).map(|i| &self.speakers[i])
    }

    /// Registry speakers a title names as speaking, in title order
    /// (`Foreign Minister Sergey Lavrov and CIS Secretary-General Sergey Lebedev ...`,
    /// `... С.В.Лаврова ...`), inflected and possessive forms included.
    pub fn speakers_in_title(&self, title: &str) -> Vec<&Speaker> {
        self.index
            .speakers_in(title)
            .into_iter()
            .map(|i| &self.speakers[i])
            .collect()
    }

    /// Forums a title names, in title order, each once: by acronym as printed
    /// (`CSTO`, `ШОС`), or by name in any letter case and Russian case ending.
    pub fn forums_in_title(&self, title: &str) -> Vec<&Forum> {
        self.index
            .forums_in(title)
            .into_iter()
            .map(|i| &self.forums[i])
            .collect()
    }
}

/// Slugs appear in URLs: lower-case ASCII words joined by hyphens.
fn check_slug(slug: &str) -> anyhow::Result<()> {
    if slug.is_empty() || crate::text::slugify(slug) != slug {
        bail!("`{slug}` is not a slug (lower-case ASCII words joined by hyphens)");
    }
    Ok(())
}

fn replace(field: &mut String, value: Option<String>) {
    if let Some(v) = value {
        *field = v;
    }
}

fn replace_opt(field: &mut Option<String>, value: Option<String>) {
    if value.is_some() {
        *field = value;
    }
}

fn extend(aliases: &mut Vec<String>, more: Vec<String>) {
    for a in more {
        if !aliases.contains(&a) {
            aliases.push(a);
        }
    }
}
