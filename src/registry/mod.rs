//! Forums and speakers: built-in data files merged with the user's own.

use serde::{Deserialize, Serialize};

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

/// All known forums and speakers.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    forums: Vec<Forum>,
    speakers: Vec<Speaker>,
}

impl Registry {
    /// The registry shipped in the binary.
    pub fn builtin() -> Registry {
        Registry::default()
    }

    /// The built-in registry with the user's file or folder (TOML) merged over it.
    pub fn load(extra: Option<&std::path::Path>) -> anyhow::Result<Registry> {
        let _ = extra;
        Ok(Registry::builtin())
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

    /// The speaker a printed name or label refers to (`S.V. Lavrov`, `Сергей Лавров`).
    pub fn match_speaker(&self, name: &str) -> Option<&Speaker> {
        let _ = name;
        None
    }

    /// Registry speakers a title names as speaking, in title order
    /// (`Foreign Minister Sergey Lavrov and CIS Secretary-General Sergey Lebedev ...`,
    /// `... С.В.Лаврова ...`), inflected and possessive forms included.
    pub fn speakers_in_title(&self, title: &str) -> Vec<&Speaker> {
        let _ = title;
        Vec::new()
    }

    /// Forums a title names, in title order.
    pub fn forums_in_title(&self, title: &str) -> Vec<&Forum> {
        let _ = title;
        Vec::new()
    }
}
