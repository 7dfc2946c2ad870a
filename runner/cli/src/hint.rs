//! `cargo workbook hint [name]`: one more hint each time, remembered in the state file.

use anyhow::Result;

use crate::state::State;
use workbook_core::info_file::Exercise;
use workbook_core::workspace::Workbook;

pub fn run(workbook: &Workbook, exercise: &Exercise) -> Result<()> {
    let name = &exercise.name;
    let mut state = State::load(workbook)?;
    let shown = next_count(state.progress(name).hints_shown, exercise.hints.len());
    print!("{}", render(exercise, shown));
    state.set_hints_shown(name, shown);
    state.save()
}

/// How many hints to show now, given how many were shown before.
fn next_count(shown_before: usize, total: usize) -> usize {
    (shown_before + 1).min(total)
}

fn render(exercise: &Exercise, shown: usize) -> String {
    let total = exercise.hints.len();
    if total == 0 {
        return format!("{} has no hints.\n", exercise.name);
    }
    let mut text = String::new();
    for (index, hint) in exercise.hints.iter().take(shown).enumerate() {
        text += &format!("hint {} of {total}:\n{}\n\n", index + 1, indent(hint));
    }
    if shown < total {
        text += &format!(
            "`cargo workbook hint {}` shows the next one.\n",
            exercise.name
        );
    } else {
        text += &format!(
            "That is every hint. The reference solution is in solutions/{}/ if you need it.\n",
            exercise.dir
        );
    }
    text
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|line| format!("    {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use workbook_core::info_file::{InfoFile, SAMPLE};

    /// racy-ring from the shared sample, with hints "one" and "two".
    fn exercise() -> Exercise {
        let info = InfoFile::parse(SAMPLE).unwrap();
        info.exercises.into_iter().next().unwrap()
    }

    #[test]
    fn shows_one_more_each_call_and_stops_at_the_last() {
        assert_eq!(next_count(0, 2), 1);
        assert_eq!(next_count(1, 2), 2);
        assert_eq!(next_count(2, 2), 2);
    }

    #[test]
    fn numbers_hints_and_says_when_all_are_shown() {
        let exercise = exercise();
        let first = render(&exercise, 1);
        assert!(first.contains("hint 1 of 2:\n    one"), "{first}");
        assert!(!first.contains("two"));
        assert!(first.contains("shows the next one"));
        let all = render(&exercise, 2);
        assert!(all.contains("hint 2 of 2:\n    two"), "{all}");
        assert!(all.contains("That is every hint"));
    }
}
