//! `cargo workbook list`: every exercise in learning order, with the learner's progress.

use anyhow::Result;
use unicode_width::UnicodeWidthStr;

use crate::state::{State, StatusLabel};
use workbook_core::workspace::Workbook;

pub fn run(workbook: &Workbook) -> Result<()> {
    let state = State::load(workbook)?;
    let rows: Vec<[String; 6]> = workbook
        .info
        .exercises
        .iter()
        .enumerate()
        .map(|(index, exercise)| {
            let chapter = workbook
                .info
                .chapter_of(exercise)
                .map_or("", |c| c.title.as_str());
            [
                (index + 1).to_string(),
                exercise.name.clone(),
                chapter.to_owned(),
                exercise.minutes.to_string(),
                StatusLabel(state.status(&exercise.name)).to_string(),
                exercise.page_url(),
            ]
        })
        .collect();
    print!(
        "{}",
        table(["#", "name", "chapter", "min", "status", "page"], &rows)
    );
    Ok(())
}

/// Left-aligned columns, as wide as their widest cell. Widths are counted in
/// terminal columns, where a Chinese or Japanese character takes two.
pub fn table<const N: usize>(header: [&str; N], rows: &[[String; N]]) -> String {
    let mut widths = header.map(UnicodeWidthStr::width);
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }
    let line = |cells: [&str; N]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell}{}", " ".repeat(width - cell.width())))
            .collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut text = line(header);
    for row in rows {
        text += &line(row.each_ref().map(String::as_str));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_columns() {
        let rows = [
            ["1".to_owned(), "racy-ring".to_owned()],
            ["2".to_owned(), "x".to_owned()],
        ];
        assert_eq!(table(["#", "name"], &rows), "#  name\n1  racy-ring\n2  x\n");
        let names = [
            ["李雷".to_owned(), "1".to_owned()],
            ["Ana".to_owned(), "2".to_owned()],
        ];
        assert_eq!(table(["name", "#"], &names), "name  #\n李雷  1\nAna   2\n");
    }
}
