//! The schedules' tests: the filling of sessions, the rules a room can keep
//! (setup, recaps, wrap-ups, debriefs, breaks, cut lines); the real schedules'
//! are in `real_schedules`.

use super::*;

const INFO: &str = r#"
    [[chapter]]
    dir = "01-machine"
    title = "The machine"
    page = "01-machine/index.md"
    [[chapter]]
    dir = "05-locks"
    title = "Locks"
    page = "05-locks/index.md"

    [[exercise]]
    name = "false-sharing"
    dir = "01-machine/01-false-sharing"
    page = "01-machine/false-sharing.md"
    minutes = 15
    tiers = ["test"]
    edit = ["src/lib.rs"]
    hints = ["h"]

    [[exercise]]
    name = "rope-bridge"
    dir = "05-locks/02-rope-bridge"
    page = "05-locks/puzzles.md"
    minutes = 35
    tiers = ["test"]
    edit = ["src/lib.rs"]
    hints = ["h"]

    [[exercise]]
    name = "philosophers"
    dir = "05-locks/04-philosophers"
    page = "05-locks/puzzles.md"
    minutes = 20
    tiers = ["test"]
    edit = ["src/lib.rs"]
    hints = ["h"]
"#;

fn pages() -> Vec<Page> {
    [
        ("Introduction", "introduction.md", Some(5)),
        ("How to use", "how-to-use.md", Some(10)),
        ("The machine", "01-machine/index.md", Some(5)),
        ("Caches", "01-machine/caches.md", Some(20)),
        (
            "Exercise: false sharing",
            "01-machine/false-sharing.md",
            Some(10),
        ),
        ("Further reading", "01-machine/further-reading.md", Some(0)),
        ("Locks", "05-locks/index.md", Some(5)),
        ("Puzzles", "05-locks/puzzles.md", Some(10)),
        ("Draft", "05-locks/draft.md", None),
    ]
    .into_iter()
    .map(|(title, path, minutes)| Page {
        path: path.into(),
        title: title.into(),
        minutes,
    })
    .collect()
}

fn timetable(schedules: &str, name: &str) -> Result<String, Vec<String>> {
    let info = InfoFile::parse(INFO).unwrap();
    let context = Context::parse(pages(), schedules).unwrap();
    let timetable = context.build(name, &info)?;
    if timetable.problems.is_empty() {
        Ok(timetable.render("instructor/schedules.md"))
    } else {
        Err(timetable.problems)
    }
}

const TWO_DAYS: &str = r#"
    [short]
    title = "Short course"
    complete = true
    setup = 15
    recap = 10
    wrap_up = 5
    debrief = 5
    [[short.day]]
    start = "09:00"
    sessions = [60, 40]
    breaks = [15]
    cover = ["introduction.md", "01-machine", "05-locks/index.md"]
    optional = ["01-machine/caches.md", "05-locks/index.md"]
    [[short.day]]
    start = "13:30"
    sessions = [75]
    cover = ["05-locks/puzzles.md"]
    side_by_side = [["rope-bridge", "philosophers"]]
    optional = ["05-locks/puzzles.md"]
"#;

#[test]
fn fills_each_days_sessions_in_order() {
    let text = timetable(TWO_DAYS, "short").unwrap();
    let day_1 = "### Day 1: 09:00 to 10:55\n\n\
        | Time | Minutes | Chapter | What |\n|---|--:|--:|---|\n\
        | 09:00 | 15 |  | **Setup**: every laptop runs `cargo workbook preflight` and opens the \
        book (`cargo workbook serve`); fix what preflight reports |\n\
        | 09:15 | 10 |  | [How to use](../how-to-use.md) |\n\
        | 09:25 | 5 |  | [Introduction](../introduction.md) |\n\
        | 09:30 | 5 | 1 | [The machine](../01-machine/index.md) |\n\
        | 09:35 |  |  | ✂ **Cut line**: if you are behind by here, skip the optional rows of \
        this session (Caches; 20 minutes) and set them as homework |\n\
        | 09:35 | 20 | 1 | [Caches](../01-machine/caches.md) *(optional)* |\n\
        | 09:55 | 5 |  | *Spare: questions, catching up* |\n\
        | 10:00 | 15 |  | **Break** |\n\
        | 10:15 | 10 | 1 | [Exercise: false sharing](../01-machine/false-sharing.md) |\n\
        | 10:25 | 15 | 1 | Learners work on [`false-sharing`](../01-machine/false-sharing.md) |\n\
        | 10:40 | 5 | 1 | Debrief [`false-sharing`](../01-machine/false-sharing.md): a solution \
        on the projector, the mistakes seen |\n\
        | 10:45 |  |  | ✂ **Cut line**: if you are behind by here, skip the optional rows of \
        this session (Locks; 5 minutes) and set them as homework |\n\
        | 10:45 | 5 | 5 | [Locks](../05-locks/index.md) *(optional)* |\n\
        | 10:50 | 5 |  | **Wrap-up**: questions, what the day covered, what comes next |\n\n";
    assert!(text.starts_with(day_1), "{text}");
    assert!(
        text.contains(
            "### Day 2: 13:30 to 14:45\n\n| Time | Minutes | Chapter | What |\n|---|--:|--:|---|\n\
             | 13:30 | 10 |  | **Recap** of the day before: questions, and the ideas today \
             builds on |\n\
             | 13:40 |  |  | ✂ **Cut line**: if you are behind by here, skip the optional rows \
             of this session (Puzzles, rope-bridge + philosophers; 55 minutes) and set them \
             as homework |\n\
             | 13:40 | 10 | 5 | [Puzzles](../05-locks/puzzles.md) *(optional)* |\n\
             | 13:50 | 35 | 5 | Each table works on one of \
             [`rope-bridge`](../05-locks/puzzles.md) (35), \
             [`philosophers`](../05-locks/puzzles.md) (20) *(optional)* |\n\
             | 14:25 | 10 | 5 | Debrief: each table reports back on its exercise *(optional)* |\n\
             | 14:35 | 5 |  | *Spare: questions, catching up* |\n\
             | 14:40 | 5 |  | **Wrap-up**: questions, what the day covered, what comes next |\n\n"
        ),
        "{text}"
    );
    assert!(
        text.ends_with(
            "Short course: 65 minutes of teaching, 50 of exercises, 15 of debriefs, 35 of \
             setup, recaps and wrap-ups, and 10 spare, over 2 days.\n"
        ),
        "{text}"
    );
}

#[test]
fn each_group_stands_where_its_first_exercise_comes() {
    let groups = r#"
        [g]
        title = "Groups"
        setup = 5
        wrap_up = 5
        debrief = 5
        [[g.day]]
        start = "09:00"
        sessions = [75, 75]
        breaks = [10]
        cover = ["01-machine/false-sharing.md", "05-locks/puzzles.md"]
        side_by_side = [["rope-bridge", "philosophers"], ["false-sharing"]]
        optional = ["01-machine/false-sharing.md", "05-locks/puzzles.md"]
    "#;
    let text = timetable(groups, "g").unwrap();
    assert!(
        text.contains(
            "| 09:15 | 10 | 1 | [Exercise: false sharing](../01-machine/false-sharing.md) \
             *(optional)* |\n\
             | 09:25 | 15 | 1 | Each table works on one of \
             [`false-sharing`](../01-machine/false-sharing.md) (15) *(optional)* |\n\
             | 09:40 | 5 | 1 | Debrief [`false-sharing`](../01-machine/false-sharing.md): a \
             solution on the projector, the mistakes seen *(optional)* |\n"
        ),
        "{text}"
    );
}

#[test]
fn a_one_day_schedule_lists_what_it_leaves_out() {
    let one_day = r#"
        [day]
        title = "A day"
        setup = 10
        wrap_up = 5
        debrief = 5
        [[day.day]]
        start = "09:00"
        sessions = [70]
        cover = ["01-machine"]
        skip = ["01-machine/caches.md"]
        optional = ["false-sharing"]
    "#;
    let text = timetable(one_day, "day").unwrap();
    assert!(!text.contains("### Day"), "{text}");
    assert!(
        text.contains(
            "| 09:35 | 15 | 1 | Learners work on [`false-sharing`](../01-machine/false-sharing.md) \
             *(optional)* |\n\
             | 09:50 | 5 | 1 | Debrief [`false-sharing`](../01-machine/false-sharing.md): a \
             solution on the projector, the mistakes seen *(optional)* |\n\
             | 09:55 | 10 |  | *Spare: questions, catching up* |\n\
             | 10:05 | 5 |  | **Wrap-up**: questions, what the day covered, what comes next |\n\
             | 10:10 | | | End of the day |\n"
        ),
        "{text}"
    );
    assert!(
        text.ends_with(
            "Left out, for learners to do on their own, with their minutes:\n\n\
             - Chapter 1: [Caches](../01-machine/caches.md) (20)\n\
             - Chapter 5: [Locks](../05-locks/index.md) (5), \
             [Puzzles](../05-locks/puzzles.md) (10), \
             [`rope-bridge`](../05-locks/puzzles.md) (35 of work), \
             [`philosophers`](../05-locks/puzzles.md) (20 of work)\n"
        ),
        "{text}"
    );
}

#[test]
fn an_overrun_fails_with_what_to_change() {
    let tight = TWO_DAYS.replace("sessions = [60, 40]", "sessions = [60, 39]");
    let problems = timetable(&tight, "short").unwrap_err();
    assert_eq!(
        problems,
        [
            "day 1 overruns: no session has room left for 05-locks/index.md 5; skip \
             something, move it to another day or lengthen a session",
            // The page that did not fit was the session's only optional row.
            "day 1, session 2 (from 10:15) has no optional row, nor has any later session of \
             the day, so no cut line: mark a page or an exercise `optional`",
        ]
    );
    // A page, its exercises and their debriefs stay together, in the first
    // session with room; the wrap-up keeps its room in the last.
    let split = TWO_DAYS.replace("sessions = [60, 40]", "sessions = [60, 34]");
    let problems = timetable(&split, "short").unwrap_err();
    assert_eq!(
        problems,
        [
            "day 1 overruns: no session has room left for 01-machine/false-sharing.md 10, \
          exercise false-sharing 15, debrief false-sharing 5; skip something, move it to \
          another day or lengthen a session"
        ]
    );
}

#[test]
fn a_long_session_gets_a_short_break_every_75_minutes() {
    // One session for the whole of day one: the false-sharing page and its
    // exercise would take the room to 85 minutes without a break.
    let long = TWO_DAYS
        .replace("sessions = [60, 40]", "sessions = [120]")
        .replace("breaks = [15]", "breaks = []");
    let text = timetable(&long, "short").unwrap();
    assert!(
        text.contains(
            "| 09:35 | 20 | 1 | [Caches](../01-machine/caches.md) *(optional)* |\n\
             | 09:55 | 10 |  | **Break** |\n\
             | 10:05 | 10 | 1 | [Exercise: false sharing](../01-machine/false-sharing.md) |\n"
        ),
        "{text}"
    );
    // Spare minutes past the stretch start the break after the session early.
    let early = TWO_DAYS.replace("sessions = [60, 40]", "sessions = [90, 40]");
    let text = timetable(&early, "short").unwrap();
    assert!(
        text.contains(
            "| 09:35 | 20 | 1 | [Caches](../01-machine/caches.md) *(optional)* |\n\
             | 09:55 | 20 |  | *Spare: questions, catching up* |\n\
             | 10:15 | 30 |  | **Break** |\n\
             | 10:45 | 10 | 1 | [Exercise: false sharing](../01-machine/false-sharing.md) |\n"
        ),
        "{text}"
    );
    // A short break between sessions does not count as one.
    let short = TWO_DAYS.replace("breaks = [15]", "breaks = [5]");
    let problems = timetable(&short, "short").unwrap_err();
    assert_eq!(
        problems,
        ["day 1, break 1: 5 minutes is too short; make it at least 10"]
    );
    // Nor can a session end past the stretch with no spare minutes for a break:
    // 75 minutes of rows and 5 spare make 80 (the wrap-up, which ends the day,
    // does not count).
    let tight = r#"
        [s]
        title = "S"
        setup = 60
        wrap_up = 10
        debrief = 5
        [[s.day]]
        start = "09:00"
        sessions = [90]
        cover = ["introduction.md"]
        optional = ["introduction.md"]
    "#;
    let problems = timetable(tight, "s").unwrap_err();
    assert_eq!(
        problems,
        [
            "day 1, session 1: it ends more than 75 minutes after its last break, with less \
          than 10 spare minutes to take one; lengthen it or move something out"
        ]
    );
}

#[test]
fn every_session_that_teaches_needs_a_cut_line() {
    // Session 1 has nothing optional: its cut line comes at its end and names
    // the next session's optional rows.
    let early = TWO_DAYS.replace(
        "optional = [\"01-machine/caches.md\", \"05-locks/index.md\"]",
        "optional = [\"05-locks/index.md\"]",
    );
    let text = timetable(&early, "short").unwrap();
    assert!(
        text.contains(
            "| 09:35 | 20 | 1 | [Caches](../01-machine/caches.md) |\n\
             | 09:55 |  |  | ✂ **Cut line**: if you are behind by here, skip the optional rows \
             of the session after the break at 10:15 (Locks; 5 minutes) and set them as \
             homework |\n\
             | 09:55 | 5 |  | *Spare: questions, catching up* |\n"
        ),
        "{text}"
    );
    // With nothing optional after it that day, a session has no cut line.
    let none = early.replace("optional = [\"05-locks/index.md\"]", "");
    let problems = timetable(&none, "short").unwrap_err();
    assert_eq!(
        problems,
        [
            "day 1, session 1 (from 09:00) has no optional row, nor has any later session of \
             the day, so no cut line: mark a page or an exercise `optional`",
            "day 1, session 2 (from 10:15) has no optional row, nor has any later session of \
             the day, so no cut line: mark a page or an exercise `optional`",
        ]
    );
}

#[test]
fn reports_mistakes_in_the_selection() {
    let wrong = TWO_DAYS
        .replace(
            "\"05-locks/index.md\"]\n    optional",
            "\"05-locks/index.md\", \"02-nothing\", \"introduction.md\"]\n\
             skip = [\"no-such\", \"false-sharing\"]\n    optional",
        )
        .replace(
            "\"01-machine/caches.md\", ",
            "\"01-machine/caches.md\", \"no-page\", ",
        )
        .replace("\"philosophers\"]", "\"philosophers\", \"false-sharing\"]")
        .replace("start = \"13:30\"", "start = \"1:30\"")
        .replace("recap = 10\n", "")
        .replace("debrief = 5", "debrief = 0");
    let problems = timetable(&wrong, "short").unwrap_err();
    let expected = [
        "has `debrief = 0`: every exercise needs a debrief row",
        "has more than one day but no `recap`",
        "day 1: cover entry '02-nothing' is neither a chapter folder nor a page",
        "day 1: 'introduction.md' is already covered earlier",
        "day 1: skip 'no-such' matches no page or exercise",
        "day 1: optional 'no-page' matches no page or exercise",
        "day 2: '1:30' is not a time like \"09:30\"",
        "day 2: side_by_side names 'false-sharing', which the day does not cover",
        "is marked complete but leaves out exercise false-sharing",
    ];
    for text in expected {
        assert!(
            problems.iter().any(|p| p.contains(text)),
            "no '{text}' in {problems:#?}"
        );
    }
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
    // A chapter brings only what is left of it; a page named twice is a mistake.
    let rest = TWO_DAYS.replace(
        "[\"05-locks/puzzles.md\"]\n    side",
        "[\"05-locks\"]\n    side",
    );
    assert!(timetable(&rest, "short").is_ok());
    let no_breaks = TWO_DAYS.replace("breaks = [15]", "breaks = []");
    let problems = timetable(&no_breaks, "short").unwrap_err();
    assert!(
        problems[0].starts_with("day 1 has 2 sessions and 0 breaks"),
        "{problems:#?}"
    );
    let unknown = timetable(TWO_DAYS, "long").unwrap_err();
    assert_eq!(unknown, ["no schedule named 'long' (there are: short)"]);
}

#[test]
fn expands_the_directive_and_leaves_escaped_ones() {
    let info = InfoFile::parse(INFO).unwrap();
    let context = Context::parse(pages(), TWO_DAYS).unwrap();
    let page = "Before.\n\n{{#schedule short}}\n\\{{#schedule short}}";
    let text = context
        .expand(page, "instructor/schedules.md", &info)
        .unwrap();
    assert!(text.starts_with("Before.\n\n### Day 1"), "{text}");
    assert!(
        text.ends_with("over 2 days.\n\n\\{{#schedule short}}"),
        "{text}"
    );
    let tight = TWO_DAYS.replace("sessions = [60, 40]", "sessions = [60, 39]");
    let context_tight = Context::parse(pages(), &tight).unwrap();
    let text = context_tight
        .expand("{{#schedule short}}", "x.md", &info)
        .unwrap();
    assert!(
        text.starts_with(
            "> **This schedule does not add up**, and `cargo workbook verify` fails until \
             it does:\n>\n> - day 1 overruns: no session has room left for 05-locks/index.md 5;"
        ),
        "{text}"
    );
    assert!(text.contains("### Day 2"), "{text}");
    let error = context.expand("{{#schedule}}", "x.md", &info).unwrap_err();
    assert!(error.to_string().contains("takes one schedule name"));
    let error = context
        .expand("{{#schedule long}}", "x.md", &info)
        .unwrap_err();
    assert!(
        format!("{error:#}").contains("no schedule named 'long'"),
        "{error:#}"
    );
}
