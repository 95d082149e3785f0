//! Synthetic page saves for benchmarks and tests: seeded, repeatable byte for byte.
//!
//! Document `i` of seed `s` is a pure function of `(s, i)` (its own random stream), so
//! documents can be made in any order, on any number of threads, and come out the same.
//! The random generator is a SplitMix64 written here, not a library's, so that the bytes
//! stay the same across dependency upgrades.
//!
//! # What a document holds, and how often
//!
//! | variant | share |
//! | --- | --- |
//! | Russian text | 25% of documents; the rest English |
//! | Windows-1251 | 8% of Russian documents; all others UTF-8 |
//! | UTF-8 BOM | 5% of UTF-8 documents |
//! | CRLF line ends | 10% |
//! | hard-wrapped at 70–80 columns | 10% |
//! | one paragraph per line, no blank lines | 5% (of those not hard-wrapped) |
//! | non-breaking spaces | 10% (after numbers, and one space in twenty) |
//! | date line | 70% glued date and time (`12 September 201214:03`), 10% time only, 20% absent |
//! | breadcrumbs above | 30% |
//! | title | 97%; Russian titles end in the site's name in 30% |
//! | document number line | 40% |
//! | language versions line | 60% |
//! | older pages (capital titles, `Foreign Minister Ivanov:`, `Answer:`) | 4% of English |
//! | kind | briefing 15%, press conference 25%, answers 20%, interview 15%, speech 20%, article 5% |
//! | forum in the title | 45% of speeches, answers and press conferences |
//! | footer (`Additional materials`, tags, `Advanced settings`; Russian residue) | 80% |
//! | label notes (`Question (retranslated from Chinese):`) | 8% of labels |
//! | labels alone on their line | 5% of documents; labels in capitals 3% |
//! | a second answerer | 15% of exchanges at joint press conferences |
//! | a last question no one answers | 10% of documents with questions |
//! | greeting or editorial introduction before the first label | 15% |
//! | a colon in prose (`The conclusion is simple: ...`) | 4% of paragraphs |
//!
//! Sizes are log-normal, clamped to 2–30 kB, mean about 8 kB; dates run 2004–2025.
//!
//! # Vocabulary
//!
//! Words are drawn from a Zipf distribution (exponent 1) over 30,000 ranks per language:
//! real words at the top ranks, made-up words below. Marker words sit at fixed ranks so
//! search benchmarks know how often they occur (figures measured on 2,000 documents are
//! in BENCHMARKS.md):
//!
//! - very common, in more than half of all documents: [`COMMON_WORDS`]
//!   (`cooperation`, `security`, `international`; `сотрудничество`, `безопасность`);
//! - medium, in 1–5% of turns: [`MEDIUM_WORDS`] (`pipeline`, `sanctions`,
//!   `referendum`, `fisheries`; `трубопровод`, `санкции`);
//! - rare, in fewer than 0.1% of turns: [`RARE_WORDS`] (`zeolite`, `tamarisk`,
//!   `obsidian`, `quasar`; `цеолит`, `тамариск`).

use std::fmt::Write as _;

use serde::Serialize;

/// Words in more than half of all documents, with their Zipf rank (English, Russian).
pub const COMMON_WORDS: &[(&str, usize)] = &[
    ("cooperation", 12),
    ("security", 14),
    ("international", 16),
    ("сотрудничество", 12),
    ("безопасность", 14),
];

/// Words in 1–5% of turns, with their Zipf rank.
pub const MEDIUM_WORDS: &[(&str, usize)] = &[
    ("pipeline", 150),
    ("sanctions", 200),
    ("referendum", 300),
    ("fisheries", 400),
    ("трубопровод", 150),
    ("санкции", 250),
];

/// Words in fewer than 0.1% of turns, with their Zipf rank.
pub const RARE_WORDS: &[(&str, usize)] = &[
    ("zeolite", 16000),
    ("tamarisk", 20000),
    ("obsidian", 24000),
    ("quasar", 28000),
    ("цеолит", 16000),
    ("тамариск", 20000),
];

/// Ranks of each language's Zipf vocabulary.
const VOCABULARY: usize = 30_000;

/// A SplitMix64 stream: small, fast, and fixed forever.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A stream from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A number in `[0, n)`; `n` must be positive.
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// A number in `[lo, hi]`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A standard normal deviate (Box–Muller).
    fn normal(&mut self) -> f64 {
        let u = 1.0 - self.unit();
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// A language's words by Zipf rank, with the cumulative distribution to draw from.
#[derive(Debug, Clone)]
struct Vocabulary {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Vocabulary {
    fn new(top: &str, markers: &[(&str, usize)], syllables: &[&str]) -> Vocabulary {
        let mut words: Vec<String> = Vec::with_capacity(VOCABULARY);
        // A marker word must have its own rank only, whatever its case.
        let mut top = top.split_whitespace().filter(|t| {
            !markers
                .iter()
                .any(|(m, _)| m.eq_ignore_ascii_case(t) || *m == t.to_lowercase())
        });
        for rank in 1..=VOCABULARY {
            if let Some((w, _)) = markers.iter().find(|(_, r)| *r == rank) {
                words.push((*w).to_owned());
            } else if let Some(w) = top.next() {
                words.push(w.to_owned());
            } else {
                words.push(made_up_word(rank, syllables));
            }
        }
        let mut total = 0.0;
        let cumulative = (1..=VOCABULARY)
            .map(|r| {
                total += 1.0 / r as f64;
                total
            })
            .collect::<Vec<_>>();
        let cumulative = cumulative.into_iter().map(|c| c / total).collect();
        Vocabulary { words, cumulative }
    }

    fn word(&self, rng: &mut Rng) -> &str {
        let u = rng.unit();
        let i = self.cumulative.partition_point(|&c| c < u);
        &self.words[i.min(self.words.len() - 1)]
    }
}

/// A pronounceable non-word, the same for the same rank: three or four syllables.
fn made_up_word(rank: usize, syllables: &[&str]) -> String {
    let mut rng = Rng::new(rank as u64 ^ 0x005E_ED0F_u64.wrapping_mul(syllables.len() as u64));
    let n = 2 + rng.below(3);
    (0..n).map(|_| *rng.pick(syllables)).collect()
}

const EN_TOP: &str = "the of and to in a that is we for on this with as are it our be by \
    have not has at which will all from was their they its an these there would been more \
    also other countries can were should between about any those such Russia States United \
    very must what one question now only who relations important situation President \
    process including issues work interests partners support Russian position need \
    agreement talks state regard believe cooperation well well our today new Ukraine law \
    European region political negotiations development economic common principles \
    stability global level dialogue efforts joint minister foreign ministers meeting \
    approach countries world partners Western colleagues discussed agreed Moscow decision \
    crisis settlement peace Syria terrorism nuclear weapons treaty principle sovereignty \
    integrity territorial humanitarian energy trade investment military forces \
    organisation council summit documents statement proposal initiative framework \
    mechanism obligations interference affairs legitimate concerns measures steps \
    results cannot however therefore indeed course certainly course fact example \
    certain American Washington NATO expansion architecture indivisible Europe Asia \
    Pacific Eurasian integration strategic partnership friendly atmosphere visit \
    delegation bilateral multilateral platform consultations experts contacts level \
    regional conflict resolution diplomacy sanctions unilateral illegitimate pressure \
    blackmail ultimatums democracy multipolar equal mutually beneficial respect \
    traditions values culture education science youth sports tourism transport \
    logistics corridors infrastructure projects railway financial currencies payments \
    banking agreements implemented signed ratified convention resolution Security \
    General Assembly Charter provisions relevant accordance consensus majority vote \
    members membership observers chairmanship presidency agenda priorities";

const EN_SYLLABLES: &[&str] = &[
    "ka", "lor", "ven", "dri", "mo", "sta", "pel", "qui", "ran", "tho", "bel", "sor", "ix", "na",
    "dor", "vel", "tra", "mi", "gon", "ful", "ser", "ab", "en", "ol", "ust",
];

const RU_TOP: &str = "и в на что не с по мы это как для о к из у за от его их все так но \
    же также уже было быть который которые этом этого есть только можно нужно очень \
    России Российской Федерации страны стран вопрос вопросы ситуации Президента \
    переговоров отношения отношений интересы партнеров партнерами позиции \
    международного права Украины западные коллеги сегодня договоренности решение \
    кризиса урегулирования мира терроризма ядерного оружия договора принципов \
    суверенитета территориальной целостности гуманитарного энергетики торговли \
    инвестиций военной организации совета саммита документов заявления предложения \
    инициативы механизма обязательств вмешательства законных озабоченностей мер шагов \
    результатов однако поэтому действительно конечно например американских Вашингтона \
    НАТО расширения архитектуры неделимой Европы Азии Евразии интеграции \
    стратегического партнерства дружественной атмосфере визита делегации \
    двусторонних многосторонних площадки консультаций экспертов контактов \
    регионального конфликта дипломатии односторонних нелегитимных давления \
    шантажа ультиматумов демократии многополярного равноправного взаимовыгодного \
    уважения традиций ценностей культуры образования науки молодежи спорта туризма \
    транспорта логистики коридоров инфраструктуры проектов железной финансовых \
    валют платежей банковских соглашений подписаны ратифицированы конвенции \
    резолюции Генеральной Ассамблеи Устава положений соответствии консенсуса";

const RU_SYLLABLES: &[&str] = &[
    "ка", "ло", "вен", "дри", "мо", "ста", "пел", "ра", "то", "бел", "сор", "на", "дор", "вел",
    "тра", "ми", "гон", "сер", "ол", "уст", "жи", "чу", "ще", "ны", "ев",
];

/// What the generator put into one document: the truth its parse can be checked against.
#[derive(Debug, Clone, Serialize)]
pub struct DocMeta {
    /// Position of the document in the corpus.
    pub index: u64,
    /// File name, `NNNNNN_lang.txt`.
    pub file: String,
    /// `en` or `ru`.
    pub language: &'static str,
    /// `utf-8` or `windows-1251`.
    pub encoding: &'static str,
    /// Whether a UTF-8 BOM leads the file.
    pub bom: bool,
    /// Whether lines end in CRLF.
    pub crlf: bool,
    /// Whether paragraphs are hard-wrapped.
    pub wrapped: bool,
    /// Whether paragraphs are single lines without blank lines between them.
    pub dense: bool,
    /// Whether some spaces are non-breaking.
    pub nbsp: bool,
    /// `glued`, `time_only` or `absent`.
    pub date_line: &'static str,
    /// The statement's date, `YYYY-MM-DD`.
    pub date: String,
    /// The title, when the page has one.
    pub title: Option<String>,
    /// The statement kind the title's words give (Contract 1 names).
    pub kind: &'static str,
    /// Forum slug named in the title.
    pub forum: Option<&'static str>,
    /// Slug of the main speaker.
    pub speaker: &'static str,
    /// Whether the page is in the older capitals style.
    pub old_style: bool,
    /// Labelled questions.
    pub questions: usize,
    /// Labelled answers.
    pub answers: usize,
    /// Briefing headings.
    pub headings: usize,
    /// Whether the last question is unanswered.
    pub unanswered: bool,
    /// Whether the footer residue is present.
    pub footer: bool,
    /// Size of the file in bytes.
    pub bytes: usize,
}

/// One generated page save.
#[derive(Debug, Clone)]
pub struct Doc {
    /// The file's bytes, encoded as [`DocMeta::encoding`] says.
    pub bytes: Vec<u8>,
    /// What went into it.
    pub meta: DocMeta,
}

/// Makes the documents of one seed.
#[derive(Debug, Clone)]
pub struct Generator {
    seed: u64,
    en: Vocabulary,
    ru: Vocabulary,
}

/// A person of the generated corpus: slug, English name, Russian label (nominative),
/// Russian genitive for titles.
#[derive(Debug, Clone, Copy)]
struct Person {
    slug: &'static str,
    en: &'static str,
    ru: &'static str,
    ru_gen: &'static str,
}

const LAVROV: Person = Person {
    slug: "sergey-lavrov",
    en: "Sergey Lavrov",
    ru: "С.В.Лавров",
    ru_gen: "С.В.Лаврова",
};
const IVANOV: Person = Person {
    slug: "igor-ivanov",
    en: "Igor Ivanov",
    ru: "И.С.Иванов",
    ru_gen: "И.С.Иванова",
};
const LEBEDEV: Person = Person {
    slug: "sergey-lebedev",
    en: "Sergey Lebedev",
    ru: "С.Н.Лебедев",
    ru_gen: "С.Н.Лебедева",
};

/// Spokespeople by the year their term began.
const SPOKESPEOPLE: &[(i32, Person)] = &[
    (
        2004,
        Person {
            slug: "alexander-yakovenko",
            en: "Alexander Yakovenko",
            ru: "А.В.Яковенко",
            ru_gen: "А.В.Яковенко",
        },
    ),
    (
        2006,
        Person {
            slug: "mikhail-kamynin",
            en: "Mikhail Kamynin",
            ru: "М.Л.Камынин",
            ru_gen: "М.Л.Камынина",
        },
    ),
    (
        2009,
        Person {
            slug: "andrei-nesterenko",
            en: "Andrei Nesterenko",
            ru: "А.А.Нестеренко",
            ru_gen: "А.А.Нестеренко",
        },
    ),
    (
        2012,
        Person {
            slug: "alexander-lukashevich",
            en: "Alexander Lukashevich",
            ru: "А.К.Лукашевич",
            ru_gen: "А.К.Лукашевича",
        },
    ),
    (
        2016,
        Person {
            slug: "maria-zakharova",
            en: "Maria Zakharova",
            ru: "М.В.Захарова",
            ru_gen: "М.В.Захаровой",
        },
    ),
];

/// Counterparts at joint press conferences: (from, to, person, English role).
const COUNTERPARTS: &[(i32, i32, Person, &str)] = &[
    (
        2004,
        2025,
        Person {
            slug: "wang-yi",
            en: "Wang Yi",
            ru: "Ван И",
            ru_gen: "Ван И",
        },
        "Chinese Foreign Minister",
    ),
    (
        2013,
        2016,
        Person {
            slug: "john-kerry",
            en: "John Kerry",
            ru: "Дж.Керри",
            ru_gen: "Дж.Керри",
        },
        "US Secretary of State",
    ),
    (
        2017,
        2017,
        Person {
            slug: "rex-tillerson",
            en: "Rex Tillerson",
            ru: "Р.Тиллерсон",
            ru_gen: "Р.Тиллерсона",
        },
        "US Secretary of State",
    ),
    (
        2021,
        2024,
        Person {
            slug: "antony-blinken",
            en: "Antony Blinken",
            ru: "Э.Блинкен",
            ru_gen: "Э.Блинкена",
        },
        "US Secretary of State",
    ),
    (
        2012,
        2016,
        Person {
            slug: "erlan-idrisov",
            en: "Erlan Idrisov",
            ru: "Е.А.Идрисов",
            ru_gen: "Е.А.Идрисова",
        },
        "Kazakh Foreign Minister",
    ),
    (
        2012,
        2022,
        Person {
            slug: "vladimir-makei",
            en: "Vladimir Makei",
            ru: "В.В.Макей",
            ru_gen: "В.В.Макея",
        },
        "Belarusian Foreign Minister",
    ),
    (
        2014,
        2023,
        Person {
            slug: "mevlut-cavusoglu",
            en: "Mevlut Cavusoglu",
            ru: "М.Чавушоглу",
            ru_gen: "М.Чавушоглу",
        },
        "Turkish Foreign Minister",
    ),
    (
        2004,
        2025,
        Person {
            slug: "zheenbek-kulubaev",
            en: "Zheenbek Kulubaev",
            ru: "Ж.Кулубаев",
            ru_gen: "Ж.Кулубаева",
        },
        "Foreign Minister of Kyrgyzstan",
    ),
];

/// Forums of the generated corpus: slug, weight, English event, Russian event (genitive).
const FORUMS: &[(&str, u32, &str, &str)] = &[
    (
        "cis",
        14,
        "the CIS Council of Foreign Ministers",
        "заседания Совета министров иностранных дел СНГ",
    ),
    (
        "csto",
        12,
        "the CSTO Council of Foreign Ministers meeting",
        "заседания СМИД ОДКБ",
    ),
    (
        "sco",
        12,
        "the SCO Council of Foreign Ministers meeting",
        "СМИД ШОС",
    ),
    (
        "brics",
        10,
        "the BRICS Foreign Ministers’ meeting",
        "встречи министров иностранных дел БРИКС",
    ),
    (
        "un",
        16,
        "the UN General Assembly session",
        "сессии Генеральной Ассамблеи ООН",
    ),
    (
        "osce",
        8,
        "the OSCE Ministerial Council",
        "заседания СМИД ОБСЕ",
    ),
    (
        "cica",
        5,
        "the meeting of the Conference on Interaction and Confidence Building Measures in Asia",
        "СМИД СВМДА",
    ),
    (
        "eaeu",
        6,
        "the EAEU Intergovernmental Council",
        "заседания Евразийского межправительственного совета ЕАЭС",
    ),
    (
        "asean",
        7,
        "the Russia-ASEAN Foreign Ministers’ Meeting",
        "министерской встречи Россия – АСЕАН",
    ),
    (
        "g20",
        10,
        "the G20 Foreign Ministers’ Meeting",
        "заседания СМИД «Группы двадцати»",
    ),
];

const PLACES: &[(&str, &str)] = &[
    ("Moscow", "Москва"),
    ("Moscow", "Москва"),
    ("Moscow", "Москва"),
    ("Minsk", "Минск"),
    ("Astana", "Астана"),
    ("Almaty", "Алма-Ата"),
    ("Beijing", "Пекин"),
    ("New York", "Нью-Йорк"),
    ("Geneva", "Женева"),
    ("Bishkek", "Бишкек"),
    ("Dushanbe", "Душанбе"),
    ("Tashkent", "Ташкент"),
    ("Yerevan", "Ереван"),
    ("Baku", "Баку"),
    ("Vienna", "Вена"),
    ("Jakarta", "Джакарта"),
    ("New Delhi", "Нью-Дели"),
    ("Sochi", "Сочи"),
    ("St Petersburg", "Санкт-Петербург"),
];

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_RU: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

const OUTLETS: &[(&str, &str)] = &[
    ("Kommersant newspaper", "газете «Коммерсантъ»"),
    ("TASS news agency", "агентству ТАСС"),
    ("Rossiya 1 television channel", "телеканалу «Россия 1»"),
    ("India Today television channel", "телеканалу «Индия Тудей»"),
    ("Xinhua news agency", "агентству «Синьхуа»"),
    ("RT", "телеканалу RT"),
];

const TAGS_EN: &[&str] = &[
    "Organization for Security and Co-operation in Europe (OSCE)",
    "Council of Europe (CoE)",
    "NATO (North Atlantic Treaty Organization)",
    "European Union (EU)",
    "Kazakhstan",
    "China",
    "United States",
    "Syria",
    "International security",
];
const TAGS_RU: &[&str] = &[
    "Международная безопасность",
    "Организация по безопасности и сотрудничеству в Европе (ОБСЕ)",
    "Европейский союз (ЕС)",
    "Китай",
    "Сирия",
];

const PROSE_ACRONYMS: &[&str] = &[
    "NATO", "the EU", "the CSTO", "the SCO", "the UN", "the OSCE", "BRICS",
];
const PROSE_ACRONYMS_RU: &[&str] = &["НАТО", "ЕС", "ОДКБ", "ШОС", "ООН", "ОБСЕ", "БРИКС"];

/// A calendar date.
#[derive(Debug, Clone, Copy)]
struct Day {
    year: i32,
    month: usize,
    day: usize,
}

impl Day {
    fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The body being built: its paragraphs as lines, with counts of what went in.
#[derive(Default)]
struct Body {
    /// Paragraph texts; a label is already glued on or a separate entry.
    paragraphs: Vec<String>,
    bytes: usize,
    questions: usize,
    answers: usize,
    headings: usize,
    unanswered: bool,
}

impl Body {
    fn push(&mut self, p: String) {
        self.bytes += p.len() + 2;
        self.paragraphs.push(p);
    }
}

/// Per-document choices that shape labels and prose.
struct Style<'a> {
    ru: bool,
    vocab: &'a Vocabulary,
    label_alone: bool,
    caps_labels: bool,
}

impl Generator {
    /// The generator of one seed.
    pub fn new(seed: u64) -> Generator {
        Generator {
            seed,
            en: Vocabulary::new(EN_TOP, &markers(false), EN_SYLLABLES),
            ru: Vocabulary::new(RU_TOP, &markers(true), RU_SYLLABLES),
        }
    }

    /// Document `index`: always the same bytes for the same seed and index.
    pub fn document(&self, index: u64) -> Doc {
        let mut rng = Rng::new(self.seed ^ index.wrapping_mul(0xA24B_AED4_963E_E407));
        // Warm the stream so that neighbouring indexes diverge at once.
        rng.next_u64();
        let ru = rng.chance(0.25);
        let cp1251 = ru && rng.chance(0.08);
        let bom = !cp1251 && rng.chance(0.05);
        let crlf = rng.chance(0.10);
        let wrapped = rng.chance(0.10);
        let dense = !wrapped && rng.chance(0.05 / 0.90);
        let nbsp = rng.chance(0.10);
        let old_style = !ru && rng.chance(0.04);
        let style = Style {
            ru,
            vocab: if ru { &self.ru } else { &self.en },
            label_alone: rng.chance(0.05),
            caps_labels: rng.chance(0.03),
        };

        let day = if old_style {
            Day {
                year: 2004,
                month: rng.range(1, 2),
                day: rng.range(1, 28),
            }
        } else {
            Day {
                year: rng.range(2004, 2025) as i32,
                month: rng.range(1, 12),
                day: rng.range(1, 28),
            }
        };
        let kind = if old_style {
            *rng.pick(&["press_conference", "answers", "interview"])
        } else {
            let k = rng.below(100);
            match k {
                0..15 => "briefing",
                15..40 => "press_conference",
                40..60 => "answers",
                60..75 => "interview",
                75..95 => "speech",
                _ => "article",
            }
        };
        let minister = if day.year == 2004 && day.month <= 2 {
            IVANOV
        } else {
            LAVROV
        };
        let spokesperson = SPOKESPEOPLE
            .iter()
            .rev()
            .find(|(from, _)| day.year >= *from)
            .map_or(SPOKESPEOPLE[0].1, |(_, p)| *p);
        let main = if kind == "briefing" {
            spokesperson
        } else {
            minister
        };
        let forum = if matches!(kind, "speech" | "answers" | "press_conference")
            && !old_style
            && rng.chance(0.45)
        {
            let total: u32 = FORUMS.iter().map(|f| f.1).sum();
            let mut x = rng.below(total as usize) as u32;
            FORUMS.iter().find(|f| {
                if x < f.1 {
                    true
                } else {
                    x -= f.1;
                    false
                }
            })
        } else {
            None
        };
        let second = if kind == "press_conference" {
            if forum.is_some_and(|f| f.0 == "cis") {
                Some((LEBEDEV, "CIS Secretary-General"))
            } else {
                let options: Vec<_> = COUNTERPARTS
                    .iter()
                    .filter(|c| (c.0..=c.1).contains(&day.year))
                    .collect();
                let c = rng.pick(&options);
                Some((c.2, c.3))
            }
        } else {
            None
        };
        let place = *rng.pick(PLACES);
        let outlet = *rng.pick(OUTLETS);

        let title = rng.chance(0.97).then(|| {
            title(
                &mut rng, &style, kind, main, second, forum, place, outlet, day, old_style,
            )
        });

        // Header lines.
        let mut head: Vec<String> = Vec::new();
        if rng.chance(0.30) {
            match rng.below(3) {
                0 => head.extend([
                    "official site".into(),
                    "Home \\ Statements and speeches \\".into(),
                ]),
                1 => head.extend([
                    "Statements and speeches".into(),
                    "Statements and speeches".into(),
                ]),
                _ => head.push("Statements and speeches".into()),
            }
        }
        let hh = rng.range(8, 20);
        let mm = rng.below(60);
        let date_line = match rng.below(10) {
            0..7 => {
                let month = if ru {
                    MONTHS_RU[day.month - 1]
                } else {
                    MONTHS_EN[day.month - 1]
                };
                head.push(format!(
                    "{} {} {}{:02}:{:02}",
                    day.day, month, day.year, hh, mm
                ));
                "glued"
            }
            7 => {
                head.push(format!("{hh:02}:{mm:02}"));
                "time_only"
            }
            _ => "absent",
        };
        if let Some(t) = &title {
            head.push(t.clone());
        }
        if !ru && rng.chance(0.10) {
            head.push("Unofficial translation from Russian".into());
        }
        if rng.chance(0.40) {
            head.push(format!(
                "{}-{:02}-{:02}-{}",
                rng.range(1, 2600),
                day.day,
                day.month,
                day.year
            ));
        }
        if rng.chance(0.60) {
            let mut langs = vec!["ru-RU1", "en-GB1"];
            for l in ["es-ES1", "fr-FR1", "de-DE1", "zh-CN1", "ar-AR1"] {
                if rng.chance(0.3) {
                    langs.push(l);
                }
            }
            head.push(format!("  • {}", langs.join(" ")));
        }

        // Body, to a log-normal target size (mean about 8 kB).
        let target = (5_900.0 * (0.6 * rng.normal()).exp()).clamp(2_000.0, 26_000.0);
        // Windows-1251 spends one byte on a Cyrillic letter where UTF-8 spends two.
        let target = if cp1251 { target * 1.8 } else { target } as usize;
        let mut body = Body::default();
        let remarks_speaker = if old_style {
            "Foreign Minister Ivanov".to_owned()
        } else {
            name_of(main, &style)
        };
        match kind {
            "speech" | "article" => {
                if rng.chance(0.5) {
                    body.push(
                        if ru {
                            "Уважаемые коллеги,"
                        } else {
                            *rng.pick(&[
                                "Colleagues,",
                                "Ladies and Gentlemen,",
                                "Thank you Mr Chairman,",
                            ])
                        }
                        .to_owned(),
                    );
                }
                while body.bytes < target {
                    body.push(paragraph(&mut rng, &style));
                }
            }
            "briefing" => {
                let topics: Vec<String> = (0..rng.range(3, 7))
                    .map(|_| heading(&mut rng, &style))
                    .collect();
                body.push(
                    if ru {
                        "Содержание"
                    } else {
                        "Table of contents"
                    }
                    .to_owned(),
                );
                for t in &topics {
                    body.push(t.clone());
                }
                let share = target / (topics.len() + 2);
                for t in &topics {
                    body.push(t.clone());
                    body.headings += 1;
                    let until = body.bytes + share;
                    while body.bytes < until {
                        body.push(paragraph(&mut rng, &style));
                    }
                    if rng.chance(0.5) {
                        body.push(
                            if ru {
                                "Назад к оглавлению"
                            } else {
                                "Back to contents"
                            }
                            .to_owned(),
                        );
                    }
                }
                body.push(
                    if ru {
                        "Из ответов на вопросы:"
                    } else {
                        *rng.pick(&[
                            "Answers to media questions:",
                            "From answers to media questions:",
                        ])
                    }
                    .to_owned(),
                );
                exchanges(
                    &mut rng,
                    &style,
                    &mut body,
                    target,
                    &name_of(main, &style),
                    None,
                    false,
                );
            }
            _ => {
                if rng.chance(0.15) {
                    body.push(if ru {
                        "Добрый день!".to_owned()
                    } else if kind == "interview" {
                        format!(
                            "Our guest today is Russian Foreign Minister {}. {}",
                            main.en,
                            sentence(&mut rng, &style, '.')
                        )
                    } else {
                        "Good afternoon!".to_owned()
                    });
                }
                if kind != "interview" {
                    let labelled = rng.chance(0.3);
                    for k in 0..rng.range(1, 4) {
                        let p = paragraph(&mut rng, &style);
                        if k == 0 && labelled {
                            push_labelled(&mut body, &style, &remarks_speaker, None, p);
                        } else {
                            body.push(p);
                        }
                    }
                }
                let answerer = if old_style {
                    if rng.chance(0.5) {
                        "Answer".to_owned()
                    } else {
                        remarks_speaker.clone()
                    }
                } else {
                    name_of(main, &style)
                };
                let second_name = second.map(|(p, _)| name_of(p, &style));
                let asker_outlet = kind == "interview" && !ru && rng.chance(0.2);
                exchanges(
                    &mut rng,
                    &style,
                    &mut body,
                    target,
                    &answerer,
                    second_name.as_deref(),
                    asker_outlet,
                );
            }
        }
        if body.questions > 0 && rng.chance(0.10) {
            let q = sentence(&mut rng, &style, '?');
            push_labelled(
                &mut body,
                &style,
                if ru { "Вопрос" } else { "Question" },
                None,
                q,
            );
            body.questions += 1;
            body.unanswered = true;
        }

        // Footer residue.
        let footer = rng.chance(0.80);
        let mut tail: Vec<String> = Vec::new();
        if footer {
            if ru {
                tail.extend(
                    [
                        "Дополнительные материалы",
                        "  • Фото",
                        "Фотоальбом",
                        "1 из 1 фотографий в альбоме",
                        "Некорректно указаны даты\nДополнительные инструменты поиска",
                    ]
                    .map(String::from),
                );
                tail.push((*rng.pick(TAGS_RU)).to_owned());
                if rng.chance(0.2) {
                    tail.push("© Министерство иностранных дел Российской Федерации".into());
                }
            } else {
                tail.push("Additional materials\n".into());
                for _ in 0..rng.range(0, 4) {
                    tail.push((*rng.pick(TAGS_EN)).to_owned());
                }
                tail.push("Advanced settings".into());
            }
        }

        // Assemble.
        let width = rng.range(70, 80);
        let mut text = String::with_capacity(target + 2048);
        for h in &head {
            text.push_str(h);
            text.push_str("\n\n");
        }
        text.push('\n');
        let sep = if dense { "\n" } else { "\n\n" };
        for p in &body.paragraphs {
            if wrapped {
                wrap_into(&mut text, p, width);
            } else {
                text.push_str(p);
            }
            text.push_str(sep);
        }
        text.push('\n');
        for t in &tail {
            text.push_str(t);
            text.push_str("\n\n");
        }
        if nbsp {
            text = with_nbsp(&mut rng, &text);
        }
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        let mut bytes = Vec::with_capacity(text.len() + 3);
        if bom {
            bytes.extend_from_slice(b"\xEF\xBB\xBF");
        }
        if cp1251 {
            let (encoded, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
            bytes.extend_from_slice(&encoded);
        } else {
            bytes.extend_from_slice(text.as_bytes());
        }
        let language = if ru { "ru" } else { "en" };
        let meta = DocMeta {
            index,
            file: format!("{index:06}_{language}.txt"),
            language,
            encoding: if cp1251 { "windows-1251" } else { "utf-8" },
            bom,
            crlf,
            wrapped,
            dense,
            nbsp,
            date_line,
            date: day.iso(),
            title,
            kind,
            forum: forum.map(|f| f.0),
            speaker: main.slug,
            old_style,
            questions: body.questions,
            answers: body.answers,
            headings: body.headings,
            unanswered: body.unanswered,
            footer,
            bytes: bytes.len(),
        };
        Doc { bytes, meta }
    }
}

/// The marker words of one language.
fn markers(ru: bool) -> Vec<(&'static str, usize)> {
    COMMON_WORDS
        .iter()
        .chain(MEDIUM_WORDS)
        .chain(RARE_WORDS)
        .filter(|(w, _)| w.chars().next().is_some_and(crate::text::is_cyrillic) == ru)
        .copied()
        .collect()
}

/// How a person is labelled in this document's language.
fn name_of(p: Person, style: &Style<'_>) -> String {
    if style.ru {
        p.ru.to_owned()
    } else {
        p.en.to_owned()
    }
}

#[allow(clippy::too_many_arguments)]
fn title(
    rng: &mut Rng,
    style: &Style<'_>,
    kind: &str,
    main: Person,
    second: Option<(Person, &str)>,
    forum: Option<&(&str, u32, &str, &str)>,
    place: (&str, &str),
    outlet: (&str, &str),
    day: Day,
    old_style: bool,
) -> String {
    if old_style {
        let what = match kind {
            "interview" => format!("INTERVIEW WITH RUSSIAN FOREIGN MINISTER IGOR IVANOV GRANTED TO {}", outlet.0.to_uppercase()),
            "answers" => "REPLIES BY RUSSIAN MINISTER OF FOREIGN AFFAIRS IGOR IVANOV TO MEDIA QUESTIONS".to_owned(),
            _ => format!(
                "TRANSCRIPT OF RUSSIAN FOREIGN MINISTER IGOR IVANOV'S REMARKS AND REPLIES TO MEDIA QUESTIONS AT PRESS CONFERENCE FOLLOWING TALKS WITH {} {}",
                second.map_or("FOREIGN MINISTER", |s| s.1).to_uppercase(),
                second.map_or(String::new(), |s| s.0.en.to_uppercase())
            ),
        };
        return format!(
            "{what}, {}, {} {}, {}",
            place.0.to_uppercase(),
            MONTHS_EN[day.month - 1].to_uppercase(),
            day.day,
            day.year
        );
    }
    if style.ru {
        let who = format!(
            "Министра иностранных дел Российской Федерации {}",
            main.ru_gen
        );
        let event = forum.map_or(String::new(), |f| format!(" по итогам {}", f.3));
        let what = match kind {
            "briefing" => format!(
                "Брифинг официального представителя МИД России {}",
                main.ru_gen
            ),
            "press_conference" => format!(
                "Совместная пресс-конференция {who}{}{event}",
                second.map_or(String::new(), |s| format!(" и {}", s.0.ru_gen))
            ),
            "answers" => format!("Ответы {who} на вопросы СМИ{event}"),
            "interview" => format!("Интервью {who} {}", outlet.1),
            "article" => format!(
                "Статья {who} «{}»",
                capitalised(&words(rng, style.vocab, 4))
            ),
            _ => format!(
                "Выступление {who}{}",
                if event.is_empty() {
                    " на пленарном заседании".to_owned()
                } else {
                    event
                }
            ),
        };
        let mut t = format!(
            "{what}, {}, {} {} {} года",
            place.1,
            day.day,
            MONTHS_RU[day.month - 1],
            day.year
        );
        if rng.chance(0.3) {
            t.push_str(" - Министерство иностранных дел Российской Федерации");
        }
        return t;
    }
    let event = forum.map(|f| f.2);
    let what = match kind {
        "briefing" => {
            let role = if main.slug == "maria-zakharova" { "Spokeswoman" } else { "Spokesman" };
            format!("Briefing by Foreign Ministry {role} {}", main.en)
        }
        "press_conference" => match (second, event) {
            (Some((p, role)), Some(e)) if p.slug == "sergey-lebedev" => format!(
                "Foreign Minister {} and {role} {} make remarks and reply to questions at a joint news conference following {e}",
                main.en, p.en
            ),
            (Some((p, role)), e) => format!(
                "Foreign Minister {}’s remarks and answers to media questions at a joint news conference with {role} {}{}",
                main.en,
                p.en,
                e.map_or(String::new(), |e| format!(" on the sidelines of {e}"))
            ),
            (None, _) => format!("Foreign Minister {}’s news conference", main.en),
        },
        "answers" => format!(
            "Foreign Minister {}’s answers to media questions{}",
            main.en,
            event.map_or(String::new(), |e| format!(" following {e}"))
        ),
        "interview" => format!("Foreign Minister {}’s interview with {}", main.en, outlet.0),
        "article" => format!("Article by Foreign Minister {}, “{}”", main.en, capitalised(&words(rng, style.vocab, 4))),
        _ => match event {
            Some(e) => format!("Foreign Minister {}’s speech at {e}", main.en),
            None => format!("Speech by the Russian Foreign Minister, {}, at a plenary session", main.en),
        },
    };
    let month = MONTHS_EN[day.month - 1];
    let date = match rng.below(10) {
        0..6 => format!("{month} {}, {}", day.day, day.year),
        6..8 => format!("{} {month} {}", day.day, day.year),
        8 => format!("{month}, {}th, {}", day.day, day.year),
        _ => return format!("{what}, {}", place.0),
    };
    format!("{what}, {}, {date}", place.0)
}

/// `n` words from the vocabulary, space-separated.
fn words(rng: &mut Rng, vocab: &Vocabulary, n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(vocab.word(rng));
    }
    s
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One sentence of 6–28 words ending in `end`.
fn sentence(rng: &mut Rng, style: &Style<'_>, end: char) -> String {
    let n = rng.range(6, 28);
    let mut s = String::with_capacity(n * 8);
    for i in 0..n {
        if i > 0 {
            s.push_str(if i > 3 && i + 2 < n && rng.chance(0.06) {
                ", "
            } else {
                " "
            });
        }
        if rng.chance(0.01) {
            let acronyms = if style.ru {
                PROSE_ACRONYMS_RU
            } else {
                PROSE_ACRONYMS
            };
            s.push_str(rng.pick::<&str>(acronyms));
        } else {
            s.push_str(style.vocab.word(rng));
        }
    }
    let mut s = capitalised(&s);
    s.push(end);
    s
}

/// A paragraph of 1–5 sentences; now and then with a colon in the prose.
fn paragraph(rng: &mut Rng, style: &Style<'_>) -> String {
    let mut p = String::new();
    if rng.chance(0.04) {
        let openers: &[&str] = if style.ru {
            &["Вывод простой: "]
        } else {
            &["The conclusion is simple: ", "As the proverb goes: "]
        };
        p.push_str(rng.pick::<&str>(openers));
    }
    for i in 0..rng.range(1, 5) {
        if i > 0 {
            p.push(' ');
        }
        let s = sentence(rng, style, '.');
        if p.ends_with(": ") {
            let mut c = s.chars();
            if let Some(first) = c.next() {
                p.extend(first.to_lowercase());
                p.push_str(c.as_str());
            }
        } else {
            p.push_str(&s);
        }
    }
    p
}

/// A briefing topic heading.
fn heading(rng: &mut Rng, style: &Style<'_>) -> String {
    let n = rng.range(3, 9);
    let mut h = if style.ru {
        "О ".to_owned()
    } else {
        "On ".to_owned()
    };
    h.push_str(&words(rng, style.vocab, n));
    h
}

/// A paragraph under a label: glued (`Label: text`) or, in some documents, the label
/// alone on its line.
fn push_labelled(
    body: &mut Body,
    style: &Style<'_>,
    label: &str,
    note: Option<&str>,
    text: String,
) {
    let mut l = if style.caps_labels {
        label.to_uppercase()
    } else {
        label.to_owned()
    };
    if let Some(n) = note {
        let _ = write!(l, " ({n})");
    }
    l.push(':');
    if style.label_alone {
        body.push(l);
        body.push(text);
    } else {
        body.push(format!("{l} {text}"));
    }
}

/// Question/answer exchanges until the body reaches `target` bytes.
fn exchanges(
    rng: &mut Rng,
    style: &Style<'_>,
    body: &mut Body,
    target: usize,
    answerer: &str,
    second: Option<&str>,
    asker_outlet: bool,
) {
    let question = if style.ru {
        "Вопрос"
    } else if asker_outlet {
        "Trud"
    } else {
        "Question"
    };
    loop {
        let note = rng.chance(0.08).then(|| {
            if style.ru {
                "перевод с английского языка"
            } else {
                *rng.pick(&[
                    "retranslated from Chinese",
                    "to both ministers",
                    "retranslated from Arabic",
                ])
            }
        });
        let mut q = String::new();
        let n = rng.range(1, 3);
        for i in 0..n {
            if i > 0 {
                q.push(' ');
            }
            // The last sentence asks; those before it may set the scene.
            let end = if i + 1 == n || rng.chance(0.5) {
                '?'
            } else {
                '.'
            };
            q.push_str(&sentence(rng, style, end));
        }
        push_labelled(body, style, question, note, q);
        body.questions += 1;
        let both = second.filter(|_| rng.chance(0.15));
        for who in std::iter::once(answerer).chain(both) {
            let note = (who != answerer || rng.chance(0.03))
                .then_some(if style.ru {
                    "перевод с английского языка"
                } else {
                    "speaking in Chinese"
                })
                .filter(|_| rng.chance(0.3));
            let first = paragraph(rng, style);
            push_labelled(body, style, who, note, first);
            body.answers += 1;
            for _ in 0..rng.range(0, 4) {
                if body.bytes >= target {
                    break;
                }
                body.push(paragraph(rng, style));
            }
        }
        if body.bytes >= target {
            break;
        }
    }
}

/// Appends `p` broken into lines of at most `width` columns (at spaces).
fn wrap_into(out: &mut String, p: &str, width: usize) {
    let mut col = 0;
    for (i, w) in p.split(' ').enumerate() {
        let len = w.chars().count();
        if i > 0 {
            if col + 1 + len > width {
                out.push('\n');
                col = 0;
            } else {
                out.push(' ');
                col += 1;
            }
        }
        out.push_str(w);
        col += len;
    }
}

/// Non-breaking spaces after numbers and in one space of twenty.
fn with_nbsp(rng: &mut Rng, text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 20);
    let mut prev_digit = false;
    for c in text.chars() {
        if c == ' ' && (prev_digit || rng.chance(0.05)) {
            out.push('\u{a0}');
        } else {
            out.push(c);
        }
        prev_digit = c.is_ascii_digit();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_fixed() {
        let mut r = Rng::new(1);
        // SplitMix64's published first output for seed 1.
        assert_eq!(r.next_u64(), 0x910A_2DEC_8902_5CC1);
        assert!((0..1000).all(|_| r.below(7) < 7));
    }

    #[test]
    fn made_up_words_are_stable() {
        assert_eq!(
            made_up_word(5000, EN_SYLLABLES),
            made_up_word(5000, EN_SYLLABLES)
        );
    }
}
