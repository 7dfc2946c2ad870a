//! Small text helpers that several pages' generators share: figures and links.

use std::path::Path;

/// About three significant digits: 0.123, 5.31, 42.7, 188.
pub fn three_digits(value: f64) -> String {
    match value.abs() {
        v if v >= 100.0 => format!("{value:.0}"),
        v if v >= 10.0 => format!("{value:.1}"),
        v if v >= 1.0 => format!("{value:.2}"),
        _ => format!("{value:.3}"),
    }
}

/// The link from page `from` to page `to`, both relative to book/.
pub fn relative_link(from: Option<&str>, to: &str) -> String {
    let from_dir: Vec<_> =
        from.map(Path::new)
            .and_then(Path::parent)
            .map_or_else(Vec::new, |dir| {
                dir.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect()
            });
    let to_parts: Vec<&str> = to.split('/').collect();
    let shared = from_dir
        .iter()
        .zip(&to_parts[..to_parts.len() - 1])
        .take_while(|(a, b)| a.as_str() == **b)
        .count();
    let ups = "../".repeat(from_dir.len() - shared);
    format!("{ups}{}", to_parts[shared..].join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computes_relative_links() {
        assert_eq!(relative_link(Some("a/b/page.md"), "a/c/x.md"), "../c/x.md");
        assert_eq!(relative_link(Some("a/page.md"), "a/x.md"), "x.md");
        assert_eq!(relative_link(Some("page.md"), "a/x.md"), "a/x.md");
        assert_eq!(relative_link(None, "a/x.md"), "a/x.md");
        assert_eq!(relative_link(Some("a/b/page.md"), "x.md"), "../../x.md");
    }
}
