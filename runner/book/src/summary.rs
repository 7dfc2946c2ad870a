//! The pages of the book, as book/SUMMARY.md links them.

/// A page linked from SUMMARY.md.
#[derive(Debug)]
pub struct Page {
    /// Relative to book/.
    pub path: String,
    pub title: String,
    /// From the front matter; `None` if the page has none (which `verify` reports).
    pub minutes: Option<u32>,
}

/// The `[title](path)` links of SUMMARY.md, in book order, drafts (empty paths) left out.
pub fn summary_pages(summary: &str) -> Vec<(String, String)> {
    let mut pages = Vec::new();
    for line in summary.lines() {
        let mut rest = line;
        while let Some(open) = rest.find('[') {
            let Some(middle) = rest[open..].find("](").map(|m| open + m) else {
                break;
            };
            let Some(close) = rest[middle..].find(')').map(|c| middle + c) else {
                break;
            };
            let target = rest[middle + 2..close].trim();
            let target = target.strip_prefix("./").unwrap_or(target);
            if !target.is_empty() {
                pages.push((rest[open + 1..middle].to_owned(), target.to_owned()));
            }
            rest = &rest[close + 1..];
        }
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_summary_in_order() {
        let summary = "# Summary\n\n[Intro](introduction.md)\n\n# Part\n\n\
                       - [Ch](./01-machine/index.md)\n    - [Draft]()\n    - [Sub](01-machine/sub.md)\n";
        assert_eq!(
            summary_pages(summary),
            [
                ("Intro".to_owned(), "introduction.md".to_owned()),
                ("Ch".to_owned(), "01-machine/index.md".to_owned()),
                ("Sub".to_owned(), "01-machine/sub.md".to_owned()),
            ]
        );
    }
}
