//! The tantivy schema of the article index, and the tokenizers its fields use.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    Stemmer, TextAnalyzer, TokenizerManager,
};

/// Bumped whenever the schema, a tokenizer or the plain-text rules change: an index written with another
/// version is moved aside and rebuilt.
pub const SCHEMA_VERSION: u32 = 8;

/// Prose: words (lower-cased, accents folded, English stems) and CJK bigrams ([`super::tokenizer`]).
pub const TEXT_TOKENIZER: &str = "newsgloss_text";
/// Names (sources, authors): split and lower-cased, no stemming.
pub const NAME_TOKENIZER: &str = "newsgloss_name";
/// Keywords (tags, language): the whole value, lower-cased.
pub const KEYWORD_TOKENIZER: &str = "newsgloss_keyword";

/// The fields of the article index.
#[derive(Debug, Clone)]
pub struct Fields {
    pub id: Field,
    pub title: Field,
    pub body: Field,
    pub source: Field,
    pub author: Field,
    pub language: Field,
    /// Article tags and the tags of its annotations, for `tag:` queries.
    pub tag: Field,
    /// Article-level tags alone, for the article list.
    pub article_tag: Field,
    /// The tags of the article's annotations, for the article list.
    pub claim_tag: Field,
    /// How many annotations the article has.
    pub claims: Field,
    pub published: Field,
    /// `published` as the front matter gave it (date or date-time), for display.
    pub published_text: Field,
    pub words: Field,
    /// 1 when the article is only the text its feed gave (`summary_only` in its front matter).
    pub summary_only: Field,
    /// Annotation notes and quotes (their tags go into `tag`).
    pub note: Field,
    pub quote: Field,
    /// One stored JSON value per annotation ([`super::search::ClaimHit`] without highlights), for showing
    /// which claims a query matched.
    pub claim: Field,
    pub size: Field,
    pub mtime: Field,
    pub fingerprint: Field,
    /// The annotation store file of the article, as it was when indexed (0 and 0 when there is none).
    pub notes_size: Field,
    pub notes_mtime: Field,
    /// The names and emails of the people who made the article's annotations, for `creator:` queries.
    pub creator: Field,
    /// Title and body again, as CJK bigrams marked with word boundaries ([`super::segment`]).
    pub cjk_words: Field,
}

/// Builds the schema and the handles to its fields.
pub fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |tokenizer: &str, stored: bool| {
        let options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    // Listed with every article: kept as fast columns too, so that the list never reads stored bodies.
    let listed = |tokenizer: &str| text(tokenizer, true).set_fast("raw");
    let column = || TextOptions::default().set_fast("raw");
    let fields = Fields {
        id: builder.add_text_field("id", STRING | STORED | FAST),
        title: builder.add_text_field("title", listed(TEXT_TOKENIZER)),
        body: builder.add_text_field("body", text(TEXT_TOKENIZER, true)),
        source: builder.add_text_field("source", listed(NAME_TOKENIZER)),
        author: builder.add_text_field("author", listed(NAME_TOKENIZER)),
        language: builder.add_text_field("language", listed(KEYWORD_TOKENIZER)),
        tag: builder.add_text_field("tag", text(KEYWORD_TOKENIZER, false)),
        article_tag: builder.add_text_field("article_tag", column()),
        claim_tag: builder.add_text_field("claim_tag", column()),
        claims: builder.add_u64_field("claims", FAST),
        published: builder.add_date_field("published", INDEXED | FAST),
        published_text: builder.add_text_field("published_text", column().set_stored()),
        words: builder.add_u64_field("words", STORED | FAST),
        summary_only: builder.add_u64_field("summary_only", FAST),
        note: builder.add_text_field("note", text(TEXT_TOKENIZER, false)),
        quote: builder.add_text_field("quote", text(TEXT_TOKENIZER, false)),
        claim: builder.add_text_field("claim", STORED),
        size: builder.add_u64_field("size", FAST),
        mtime: builder.add_i64_field("mtime", FAST),
        fingerprint: builder.add_u64_field("fingerprint", FAST),
        notes_size: builder.add_u64_field("notes_size", FAST),
        notes_mtime: builder.add_i64_field("notes_mtime", FAST),
        creator: builder.add_text_field("creator", text(NAME_TOKENIZER, false)),
        cjk_words: builder
            .add_text_field("cjk_words", text(super::segment::WORDS_TOKENIZER, false)),
    };
    (builder.build(), fields)
}

/// Registers newsgloss's tokenizers (tantivy does not store them with the index).
pub fn register_tokenizers(manager: &TokenizerManager) {
    manager.register(TEXT_TOKENIZER, text_analyzer());
    manager.register(
        NAME_TOKENIZER,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .build(),
    );
    manager.register(
        super::segment::WORDS_TOKENIZER,
        TextAnalyzer::from(super::segment::WordBoundaries::default()),
    );
    manager.register(
        KEYWORD_TOKENIZER,
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .build(),
    );
}

/// The analyzer for prose (titles and bodies).
pub fn text_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(super::tokenizer::WordsAndBigrams::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}
