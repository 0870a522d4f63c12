//! W3C Web Annotation Data Model (<https://www.w3.org/TR/annotation-model/>) in JSON-LD: one
//! `AnnotationCollection` (§5.1) whose `first` page (§5.2) is embedded with every
//! annotation in `items`, in document order, orphans last.
//!
//! Each annotation:
//! - `id` `urn:pizhu:annotation:<id>`, `type` `Annotation`, `created`, `modified`;
//! - `motivation` `commenting` when it has a note, else `highlighting`;
//! - `body`: a `TextualBody` with purpose `commenting` for the note (`format` text/plain,
//!   `language` zh when the note has Han characters) and one with purpose `tagging` per tag;
//!   no `body` for a bare highlight;
//! - `target`: a `SpecificResource` whose `source` is the document's IRI (the `file://` URL of
//!   its absolute path, or `urn:pizhu:doc:<hash>` for the sample and stdin), with two
//!   selectors describing the same text (§4.2): a `TextQuoteSelector` (exact, prefix,
//!   suffix) and a `TextPositionSelector` (Unicode code points into the normalized text,
//!   end exclusive). An orphan has only the quote selector. In a book (an EPUB, whose
//!   document has chapters), a third selector names the chapter: a `FragmentSelector` whose
//!   `value` is the chapter's title, `refinedBy` the same `TextQuoteSelector` (the quote
//!   within that chapter).
//! - The highlight colour travels in the model's own styling mechanism (§4.3): the target
//!   has `styleClass` `pizhu-<colour>` and the annotation a `CssStylesheet` defining that
//!   class. Every key is a term of the anno.jsonld context, so the document stays valid
//!   JSON-LD without an extra namespace, and `pizhu import` reads the colour back.

use serde::Serialize;

use super::{ExportInput, Item, document_iri, escape_invisible, has_han, items};
use crate::annotations::Colour;

pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
/// Prefix of the annotation ids pizhu writes.
pub const ID_PREFIX: &str = "urn:pizhu:annotation:";
/// Prefix of the `styleClass` carrying the colour.
pub const STYLE_PREFIX: &str = "pizhu-";

#[derive(Serialize)]
struct Collection<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    label: String,
    total: usize,
    generated: &'a str,
    generator: Generator,
    #[serde(skip_serializing_if = "Option::is_none")]
    first: Option<Page<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last: Option<String>,
}

#[derive(Serialize)]
struct Generator {
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'static str,
}

#[derive(Serialize)]
struct Page<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "partOf")]
    part_of: String,
    #[serde(rename = "startIndex")]
    start_index: usize,
    items: Vec<PageItem<'a>>,
}

/// An item of the page: a highlight, or a note whose target is the whole document.
#[derive(Serialize)]
#[serde(untagged)]
enum PageItem<'a> {
    Highlight(W3cAnnotation<'a>),
    PageNote(PageNote<'a>),
}

#[derive(Serialize)]
struct PageNote<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    created: &'a str,
    modified: &'a str,
    motivation: &'static str,
    body: Body<'a>,
    target: &'a str,
}

#[derive(Serialize)]
struct W3cAnnotation<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    created: &'a str,
    modified: &'a str,
    motivation: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    body: Vec<Body<'a>>,
    target: Target<'a>,
    stylesheet: Stylesheet,
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    purpose: &'static str,
    value: &'a str,
    format: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'static str>,
}

#[derive(Serialize)]
struct Target<'a> {
    source: &'a str,
    #[serde(rename = "styleClass")]
    style_class: String,
    selector: Vec<Selector<'a>>,
}

/// Variant names are the model's `type` names, written as they are.
#[derive(Serialize)]
#[serde(tag = "type")]
#[allow(clippy::enum_variant_names)]
enum Selector<'a> {
    TextQuoteSelector {
        exact: &'a str,
        prefix: &'a str,
        suffix: &'a str,
    },
    FragmentSelector {
        value: &'a str,
        #[serde(rename = "refinedBy")]
        refined_by: Box<Selector<'a>>,
    },
    TextPositionSelector {
        start: usize,
        end: usize,
    },
}

#[derive(Serialize)]
struct Stylesheet {
    #[serde(rename = "type")]
    kind: &'static str,
    value: String,
}

/// Background colours of the CSS classes, close to the reader's.
fn css_colour(c: Colour) -> &'static str {
    match c {
        Colour::Yellow => "#fde68a",
        Colour::Green => "#bbf7d0",
        Colour::Blue => "#bfdbfe",
        Colour::Pink => "#fbcfe8",
        Colour::Purple => "#ddd6fe",
    }
}

pub fn render(input: &ExportInput) -> String {
    let doc = input.doc;
    let text = doc.text();
    let items = items(text, input.annotations);
    let source = document_iri(input.path, doc.hash());
    let collection_id = format!("urn:pizhu:doc:{}:annotations", doc.hash());
    let page_id = format!("{collection_id}:page:1");
    let annotations: Vec<PageItem> = input
        .document_notes
        .iter()
        .map(|n| {
            PageItem::PageNote(PageNote {
                id: format!("{ID_PREFIX}{}", n.id),
                kind: "Annotation",
                created: &n.created,
                modified: &n.modified,
                motivation: "commenting",
                body: Body {
                    kind: "TextualBody",
                    purpose: "commenting",
                    value: &n.text,
                    format: "text/plain",
                    language: has_han(&n.text).then_some("zh"),
                },
                target: &source,
            })
        })
        .chain(
            items
                .iter()
                .map(|item| PageItem::Highlight(annotation(item, doc, &source))),
        )
        .collect();
    let total = annotations.len();
    let first = (total > 0).then(|| Page {
        id: page_id.clone(),
        kind: "AnnotationPage",
        part_of: collection_id.clone(),
        start_index: 0,
        items: annotations,
    });
    let collection = Collection {
        context: CONTEXT,
        id: collection_id,
        kind: "AnnotationCollection",
        label: doc.title().unwrap_or("pizhu annotations").to_string(),
        total,
        generated: input.exported,
        generator: Generator {
            kind: "Software",
            name: "pizhu",
        },
        last: first.as_ref().map(|_| page_id),
        first,
    };
    let mut json = serde_json::to_string_pretty(&collection)
        .unwrap_or_else(|e| unreachable!("serializing plain structs cannot fail: {e}"));
    json.push('\n');
    escape_invisible(json)
}

fn annotation<'a>(
    item: &'a Item<'a>,
    doc: &'a crate::document::Document,
    source: &'a str,
) -> W3cAnnotation<'a> {
    let text = doc.text();
    let a = item.a;
    let note = a.note.trim();
    let mut body = Vec::with_capacity(1 + a.tags.len());
    if !note.is_empty() {
        body.push(Body {
            kind: "TextualBody",
            purpose: "commenting",
            value: &a.note,
            format: "text/plain",
            language: has_han(&a.note).then_some("zh"),
        });
    }
    for tag in &a.tags {
        body.push(Body {
            kind: "TextualBody",
            purpose: "tagging",
            value: tag,
            format: "text/plain",
            language: has_han(tag).then_some("zh"),
        });
    }
    let mut selector = vec![Selector::TextQuoteSelector {
        exact: item.exact(text),
        prefix: &a.quote.prefix,
        suffix: &a.quote.suffix,
    }];
    if let Some((start, end)) = item.chars {
        selector.push(Selector::TextPositionSelector { start, end });
    }
    if let Some(chapter) = item.bytes.and_then(|(start, _)| doc.chapter_at(start)) {
        selector.push(Selector::FragmentSelector {
            value: chapter,
            refined_by: Box::new(Selector::TextQuoteSelector {
                exact: item.exact(text),
                prefix: &a.quote.prefix,
                suffix: &a.quote.suffix,
            }),
        });
    }
    let class = format!("{STYLE_PREFIX}{}", a.colour.as_str());
    W3cAnnotation {
        id: format!("{ID_PREFIX}{}", a.id),
        kind: "Annotation",
        created: &a.created,
        modified: &a.modified,
        motivation: if note.is_empty() {
            "highlighting"
        } else {
            "commenting"
        },
        body,
        target: Target {
            source,
            selector,
            style_class: class.clone(),
        },
        stylesheet: Stylesheet {
            kind: "CssStylesheet",
            value: format!(".{class} {{ background-color: {}; }}", css_colour(a.colour)),
        },
    }
}
