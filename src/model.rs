//! The domain: a statement as Contract 1 describes it, with its turns. No I/O here.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One published statement (speech, press conference, briefing, interview, ...),
/// exactly the object `communique parse` prints (Contract 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Statement {
    /// Stable readable slug: `YYYY-MM-DD-words-of-the-title` (or `undated-...`).
    pub id: String,
    /// The page's title, whitespace normalised, site suffixes removed.
    pub title: Option<String>,
    /// Date of the statement, from the date line or the title.
    pub date: Option<NaiveDate>,
    /// Local time `HH:MM` from the date/time line.
    pub time: Option<String>,
    /// Place named at the end of the title (`Almaty`, `Москва`).
    pub place: Option<String>,
    /// What sort of statement this is, read from the title.
    pub kind: Kind,
    /// ISO 639-1 code of this text.
    pub language: String,
    /// ISO 639-1 codes of the language versions the site lists, sorted and unique.
    pub languages: Vec<String>,
    /// The document number line, such as `676-12-04-2024`.
    pub source_number: Option<String>,
    /// Where the statement was published, when the input says.
    pub source_url: Option<String>,
    /// Multilateral bodies at whose event the statement was made, in title order.
    pub forums: Vec<ForumRef>,
    /// People speaking, in order of first appearance (title, then turns).
    pub speakers: Vec<SpeakerRef>,
    /// Topic and organisation tags from the page footer, as printed.
    pub tags: Vec<String>,
    /// The turns of the text, in order.
    pub segments: Vec<Segment>,
}

/// A forum as a statement refers to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub struct ForumRef {
    /// Lower-case slug, e.g. `csto`.
    pub slug: String,
    /// Short name, e.g. `CSTO`.
    pub acronym: String,
    /// Full English name.
    pub name: String,
}

/// A speaker as a statement refers to them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub struct SpeakerRef {
    /// Slug, e.g. `sergey-lavrov`.
    pub slug: String,
    /// Display name, e.g. `Sergey Lavrov`.
    pub name: String,
}

/// The sort of statement, from the first matching words of its title.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A ministry spokesperson's briefing.
    Briefing,
    /// A news or press conference, joint or not.
    PressConference,
    /// An interview given to a media outlet.
    Interview,
    /// An article written by the speaker.
    Article,
    /// Answers (replies) to questions.
    Answers,
    /// A speech.
    Speech,
    /// Remarks.
    Remarks,
    /// A statement.
    Statement,
    /// A comment.
    Comment,
    /// None of the above.
    Other,
}

impl Kind {
    /// Every kind, in the order the title is tested for them.
    pub const ALL: [Kind; 10] = [
        Kind::Briefing,
        Kind::PressConference,
        Kind::Interview,
        Kind::Article,
        Kind::Answers,
        Kind::Speech,
        Kind::Remarks,
        Kind::Statement,
        Kind::Comment,
        Kind::Other,
    ];

    /// The snake_case name used in JSON, URLs and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Briefing => "briefing",
            Kind::PressConference => "press_conference",
            Kind::Interview => "interview",
            Kind::Article => "article",
            Kind::Answers => "answers",
            Kind::Speech => "speech",
            Kind::Remarks => "remarks",
            Kind::Statement => "statement",
            Kind::Comment => "comment",
            Kind::Other => "other",
        }
    }

    /// Parses the snake_case name; `None` for anything else.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// A human label, e.g. `Press conference`.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Briefing => "Briefing",
            Kind::PressConference => "Press conference",
            Kind::Interview => "Interview",
            Kind::Article => "Article",
            Kind::Answers => "Answers to questions",
            Kind::Speech => "Speech",
            Kind::Remarks => "Remarks",
            Kind::Statement => "Statement",
            Kind::Comment => "Comment",
            Kind::Other => "Other",
        }
    }
}

/// One turn of a statement: remarks, a question, an answer, or a briefing heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Segment {
    /// Position in the statement, from 1.
    pub n: u32,
    /// What this turn is.
    pub kind: SegmentKind,
    /// Speaker slug, or `None` for the press or an unnamed host.
    pub speaker: Option<String>,
    /// The label as printed, without its note and colon; `None` for unlabelled text.
    pub label: Option<String>,
    /// The parenthesised note of the label (`retranslated from Chinese`).
    pub note: Option<String>,
    /// Number of the question/answer exchange this turn belongs to.
    pub exchange: Option<u32>,
    /// Anchor unique in the statement: `q3`, `a3`, `a3-2`, `r1`, `h2`.
    pub anchor: String,
    /// A heading's text; `None` for other turns.
    pub title: Option<String>,
    /// The paragraphs of the turn, verbatim with whitespace normalised.
    pub paragraphs: Vec<String>,
}

/// The kind of a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SegmentKind {
    /// Opening or standalone remarks.
    Remarks,
    /// A question from the press or an interviewer.
    Question,
    /// An answer to the exchange's question.
    Answer,
    /// A section heading of a briefing.
    Heading,
}

impl SegmentKind {
    /// The snake_case name used in JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            SegmentKind::Remarks => "remarks",
            SegmentKind::Question => "question",
            SegmentKind::Answer => "answer",
            SegmentKind::Heading => "heading",
        }
    }

    /// Parses the snake_case name; `None` for anything else.
    pub fn from_name(name: &str) -> Option<SegmentKind> {
        [Self::Remarks, Self::Question, Self::Answer, Self::Heading]
            .into_iter()
            .find(|k| k.as_str() == name)
    }
}

/// Facts about a statement that come from outside its text (a dataset row, a file name):
/// they fill the fields the text leaves empty, never override what the text says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hints {
    /// Title, when the text has no title line (dataset rows).
    pub title: Option<String>,
    /// Publication date.
    pub date: Option<NaiveDate>,
    /// Where the statement was published.
    pub source_url: Option<String>,
    /// Document number such as `1000-21-05-2013`.
    pub source_number: Option<String>,
    /// ISO 639-1 codes of the language versions.
    pub languages: Vec<String>,
    /// ISO 639-1 code of the text, when known.
    pub language: Option<String>,
    /// Speaker named by the row, when it names one.
    pub speaker: Option<String>,
}
