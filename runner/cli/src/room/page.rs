//! The class as one HTML page: its style inline, no script, no image and no
//! link out, so that it opens from a USB stick on any laptop with no network.

use super::{COLUMNS, Class, row};

/// The page for `class`, gathered from the folder `from`.
pub fn render(class: &Class, from: &str) -> String {
    let mut body = format!(
        "<h1>The room at a glance</h1>\n<p class=\"from\">{}, from the status files \
         in <code>{}</code>, furthest behind first; \"shared\" counts back from when \
         <code>cargo workbook room</code> wrote this page.</p>\n",
        crate::status::plural(class.learners.len(), "learner"),
        escape(from)
    );
    if !class.learners.is_empty() {
        body += "<h2>Where the room is</h2>\n<ul class=\"where\">\n";
        for (exercise, count) in class.where_the_room_is() {
            body += &format!(
                "<li><span class=\"exercise\">{}</span> {count}</li>\n",
                escape(&exercise)
            );
        }
        body += "</ul>\n";
        body += &table(class);
    }
    if !class.skipped.is_empty() {
        body += &format!(
            "<h2>Skipped files ({})</h2>\n<ul class=\"skipped\">\n",
            class.skipped.len()
        );
        for skipped in &class.skipped {
            body += &format!(
                "<li><code>{}</code>: {}</li>\n",
                escape(&skipped.file),
                escape(&skipped.reason)
            );
        }
        body += "</ul>\n";
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>The room at a glance</title>\n<style>{STYLE}</style>\n</head>\n\
         <body>\n{body}</body>\n</html>\n"
    )
}

fn table(class: &Class) -> String {
    let mut text = String::from("<table>\n<thead><tr>");
    for column in COLUMNS {
        text += &format!("<th>{column}</th>");
    }
    text += "</tr></thead>\n<tbody>\n";
    for learner in &class.learners {
        let status = &learner.status;
        let cells = row(learner, class.gathered);
        let stage = status.current_status.map_or("done", |how| how.label());
        text += &format!("<tr class=\"{}\">", stage.replace(' ', "-"));
        text += &format!("<td>{}</td>", escape(&cells[0]));
        text += &format!(
            "<td><progress value=\"{}\" max=\"{}\"></progress> {}</td>",
            status.verified,
            status.exercises,
            escape(&cells[1])
        );
        for cell in &cells[2..] {
            text += &format!("<td>{}</td>", escape(cell));
        }
        text += "</tr>\n";
    }
    text + "</tbody>\n</table>\n"
}

/// Text made safe inside HTML elements and quoted attributes.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped += "&amp;",
            '<' => escaped += "&lt;",
            '>' => escaped += "&gt;",
            '"' => escaped += "&quot;",
            '\'' => escaped += "&#39;",
            other => escaped.push(other),
        }
    }
    escaped
}

const STYLE: &str = "
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
h1 { margin-bottom: 0.2rem; }
.from { color: #555; margin-top: 0; }
.where { display: flex; flex-wrap: wrap; gap: 0.5rem; list-style: none; padding: 0; }
.where li { background: #eef; border-radius: 1rem; padding: 0.2rem 0.8rem; }
.where .exercise { font-weight: 600; }
table { border-collapse: collapse; margin-top: 1rem; }
th, td { text-align: left; padding: 0.3rem 0.8rem; border-bottom: 1px solid #ddd; }
th { background: #f4f4f4; }
progress { width: 6rem; vertical-align: middle; }
tr.failing td:nth-child(4) { color: #b00; font-weight: 600; }
tr.passing td:nth-child(4) { color: #a60; }
tr.done td:nth-child(3) { color: #080; }
.skipped li { color: #800; }
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_html_reads_as_markup() {
        assert_eq!(
            escape("Dana <Dee> & \"Co\" 'x'"),
            "Dana &lt;Dee&gt; &amp; &quot;Co&quot; &#39;x&#39;"
        );
    }
}
