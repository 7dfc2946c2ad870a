//! An exercise's card (`{{#exercise <name>}}`): where it is, how long it
//! takes, how to check it, the minimum to reach when time runs short, the
//! mistakes that passing rules out and the ones it cannot (info.toml's
//! `limits`), and what to do after finishing early (`extensions`).

use workbook_core::info_file::{Exercise, Tier};
use workbook_core::wrong_answers::WrongAnswer;

/// The card a page shows with `{{#exercise <name>}}`.
pub fn exercise_card(exercise: &Exercise, corpus: &[WrongAnswer]) -> String {
    let name = &exercise.name;
    let files = exercise
        .edit
        .iter()
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>();
    let hints = match exercise.hints.len() {
        0 => String::new(),
        1 => format!("\n> - **Stuck?** `cargo workbook hint {name}` shows its one hint."),
        n => format!(
            "\n> - **Stuck?** `cargo workbook hint {name}` shows one more of its {n} hints each time."
        ),
    };
    let rules_out = if corpus.is_empty() {
        String::new()
    } else {
        let lines: String = corpus
            .iter()
            .map(|wrong| format!("\n>   - {} *({})*", wrong.mistake, wrong.caught_by))
            .collect();
        format!(
            "\n> - **What passing rules out:** each of these mistakes is proven caught, \
             on every run, by the tier named:{lines}"
        )
    };
    let limits = limits_lines(&exercise.limits);
    let minimum = if exercise.minimum.is_empty() {
        String::new()
    } else {
        format!(
            "\n> - **The minimum, if time runs short:** {}",
            exercise.minimum
        )
    };
    let extensions = sublist("**Finished early?** Go further:", &exercise.extensions);
    format!(
        "> **Exercise `{name}`**, about {minutes} minutes\n\
         >\n\
         > - **Open** `exercises/{dir}/` and edit {files}.\n\
         > - **Checked by** {tiers}.\n\
         > - **Run the tests:** `cargo test` in that folder.\n\
         > - **Check every tier:** `cargo workbook check {name}` \
         (or `cargo workbook watch {name}` to check again on every save).\
         {minimum}{hints}{rules_out}{limits}{extensions}\n\
         > - **Reference solution:** `solutions/{dir}/`, for after you have tried.\n",
        minutes = exercise.minutes,
        dir = exercise.dir,
        files = and_list(&files),
        tiers = tiers_sentence(&exercise.tiers),
    )
}

/// The card's list of what no tier checks, or nothing if the workbook knows
/// of no such limit.
fn limits_lines(limits: &[String]) -> String {
    sublist(
        "**What passing does not rule out:** no tier can catch these, so check them yourself:",
        limits,
    )
}

/// An item of the card with `items` nested under it, or nothing without items.
fn sublist(heading: &str, items: &[String]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let lines: String = items.iter().map(|item| format!("\n>   - {item}")).collect();
    format!("\n> - {heading}{lines}")
}

fn tiers_sentence(tiers: &[Tier]) -> String {
    let parts: Vec<String> = tiers
        .iter()
        .map(|tier| {
            match tier {
                Tier::Test => "its tests (`cargo test`)",
                Tier::Loom => "a loom model check of the thread interleavings",
                Tier::Miri => "Miri, which catches undefined behaviour and data races",
            }
            .to_owned()
        })
        .collect();
    let list = and_list(&parts);
    if parts.len() > 1 {
        format!("{list}, in that order")
    } else {
        list
    }
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use workbook_core::info_file::InfoFile;

    fn ring(extra: &str) -> Exercise {
        let text = workbook_core::info_file::SAMPLE.replace(
            "hints = [\"one\", \"two\"]",
            &format!("hints = [\"one\", \"two\"]\n{extra}"),
        );
        let mut info = InfoFile::parse(&text).unwrap();
        info.exercises.remove(0)
    }

    #[test]
    fn lists_the_limits_after_what_passing_rules_out() {
        let exercise = ring(r#"limits = ["The first limit.", "The second limit."]"#);
        let wrong = [WrongAnswer {
            name: "a".into(),
            mistake: "A mistake.".into(),
            caught_by: Tier::Loom,
            filter: None,
            edits: Vec::new(),
        }];
        let card = exercise_card(&exercise, &wrong);
        assert!(
            card.contains(
                "A mistake. *(loom)*\n> - **What passing does not rule out:** no tier can catch these, so check \
                 them yourself:\n>   - The first limit.\n>   - The second limit.\n> - **Finished early?**"
            ),
            "{card}"
        );
    }

    #[test]
    fn a_card_without_limits_does_not_mention_them() {
        let card = exercise_card(&ring(""), &[]);
        assert!(!card.contains("does not rule out"), "{card}");
    }

    #[test]
    fn shows_the_minimum_before_the_hints_and_the_extensions_last() {
        let card = exercise_card(&ring(""), &[]);
        assert!(
            card.contains(
                "every save).\n> - **The minimum, if time runs short:** The minimum.\n> - **Stuck?**"
            ),
            "{card}"
        );
        assert!(
            card.contains(
                "\n> - **Finished early?** Go further:\n>   - The first extension.\n>   - The \
                 second extension.\n> - **Reference solution:**"
            ),
            "{card}"
        );
    }

    #[test]
    fn a_card_without_a_minimum_or_extensions_does_not_mention_them() {
        let mut exercise = ring("");
        exercise.minimum.clear();
        exercise.extensions.clear();
        let card = exercise_card(&exercise, &[]);
        assert!(
            !card.contains("minimum") && !card.contains("Finished early"),
            "{card}"
        );
    }
}
