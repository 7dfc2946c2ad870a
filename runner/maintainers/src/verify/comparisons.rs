//! Measured comparisons typed into a page's prose ("2.7x slower", "twice as
//! fast", "40% faster", "within six times"), which the claims step fails:
//! such a figure drifts from the results files the moment anyone measures
//! again, where `{{#ratio}}` renders it from them.
//!
//! Only prose is read: front matter, fenced code blocks, inline code, HTML
//! comments and `{{#...}}` directives are blanked first. A comparison is a
//! figure of a ratio (a number glued to `x` or `×`: `2x`, `1.3×`), or a
//! multiple (`3 times`, `twice`, `half`, `40%`, `an order of magnitude`, `a
//! factor of`, `tenfold`) with a comparative word at most one word after it
//! (`faster`, `slower`, `more`, `as fast`, ...), after a comparative and `by`
//! (`slower by 40%`), or after `within` (`within twice`). Arithmetic such as `N
//! × K` or `2 × 3`, counts (`run it five times`, `twice the width`) and figures
//! that are not comparisons (`95 % confidence`) do not match.
//!
//! A sentence whose comparison is not a measurement (a target the chapter
//! sets, say) carries [`MARKER`] with the reason, before its full stop; a
//! marker in a sentence with no comparison is reported, so none is left behind.

/// What opens the comment that marks a sentence's comparison as not a
/// measurement: `<!-- not a measurement: the chapter's target -->`.
pub const MARKER: &str = "<!-- not a measurement:";

/// What stands for a marker in the prose once comments are blanked: a
/// private-use character, which no page has.
const MARKER_WORD: &str = "\u{E000}";

/// What a page's prose holds that the claims step judges.
#[derive(Debug, Default, PartialEq)]
pub struct Scan {
    /// Comparisons typed into sentences without a marker.
    pub typed: Vec<Typed>,
    /// The lines of markers in sentences that compare nothing.
    pub idle_markers: Vec<usize>,
}

/// A comparison found in a page's prose.
#[derive(Debug, PartialEq)]
pub struct Typed {
    /// Counted from 1.
    pub line: usize,
    /// The words that make the comparison, as the page has them.
    pub phrase: String,
}

/// The punctuation, quotes and emphasis around a word.
const QUOTING: &[char] = &[
    '.', ',', ';', ':', '!', '?', '(', ')', '[', ']', '"', '\'', '“', '”', '‘', '’', '*', '_',
];

/// Words that compare two measurements when they follow a multiple.
const COMPARATIVES: &[&str] = &[
    "faster", "slower", "quicker", "cheaper", "costlier", "dearer", "speed-up", "speedup",
    "slowdown", "slow-down", "more", "less", "fewer", "higher", "lower", "longer", "shorter",
    "better", "worse", "larger", "smaller", "bigger", "greater",
];

/// What makes `as ...` a comparison of measurements: "twice as fast".
const AS_COMPARATIVES: &[&str] = &[
    "fast", "slow", "quick", "quickly", "long", "much", "expensive", "costly", "cheap",
];

/// Counts that make `<count> times` a multiple.
const COUNT_WORDS: &[&str] = &[
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "twenty", "fifty", "hundred", "thousand", "several", "many", "few",
];

/// The measured comparisons in `page`'s prose, and its idle markers.
pub fn scan(page: &str) -> Scan {
    let prose = prose(page);
    let words = words(&prose);
    let mut scan = Scan::default();
    let mut found = Vec::new();
    let mut index = 0;
    while index < words.len() {
        match comparison_at(&words, index) {
            Some(end) => {
                found.push(index..end);
                index = end;
            }
            None => index += 1,
        }
    }
    let marked: Vec<usize> = (0..words.len())
        .filter(|&i| words[i].raw == MARKER_WORD)
        .collect();
    for comparison in found {
        let sentence = words[comparison.start].sentence;
        if marked.iter().any(|&m| words[m].sentence == sentence) {
            continue;
        }
        let phrase: Vec<&str> = words[comparison.clone()].iter().map(|w| w.raw).collect();
        scan.typed.push(Typed {
            line: words[comparison.start].line,
            phrase: phrase.join(" ").trim_matches(QUOTING).to_owned(),
        });
    }
    for m in marked {
        let sentence = words[m].sentence;
        let compares = (0..words.len())
            .any(|i| words[i].sentence == sentence && comparison_at(&words, i).is_some());
        if !compares {
            scan.idle_markers.push(words[m].line);
        }
    }
    scan
}

/// `page` with everything that is not prose replaced by spaces, its lines
/// where they were (so that findings name the right line).
fn prose(page: &str) -> String {
    let mut text = String::with_capacity(page.len());
    let mut fence: Option<String> = None;
    let mut in_front_matter = page.starts_with("---\n");
    for (number, line) in page.split_inclusive('\n').enumerate() {
        let trimmed = line.trim();
        let hidden = if in_front_matter {
            in_front_matter = number == 0 || trimmed != "---";
            true
        } else if let Some(open) = &fence {
            if trimmed.starts_with(open.as_str()) {
                fence = None;
            }
            true
        } else if let Some(open) = fence_opened_by(trimmed) {
            fence = Some(open);
            true
        } else {
            false
        };
        text += &if hidden {
            blank(line)
        } else {
            line.to_owned()
        };
    }
    hide_spans(&text)
}

/// `text` with its code spans, comments and directives blanked, each in the
/// order it opens (a comment quoted in code is code), and each marker that
/// gives a reason replaced by [`MARKER_WORD`]; line breaks are kept.
fn hide_spans(text: &str) -> String {
    let mut result = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(['`', '<', '{']) {
        result += &rest[..start];
        rest = &rest[start..];
        let closed_at = if rest.starts_with('`') {
            // A run of backticks closes at the next run of the same length;
            // without one, the backticks are plain text.
            let ticks = &rest[..rest.len() - rest.trim_start_matches('`').len()];
            match rest[ticks.len()..].find(ticks) {
                Some(at) => 2 * ticks.len() + at,
                None => {
                    result += ticks;
                    rest = &rest[ticks.len()..];
                    continue;
                }
            }
        } else if rest.starts_with("<!--") {
            rest.find("-->").map_or(rest.len(), |end| end + 3)
        } else if rest.starts_with("{{#") {
            rest.find("}}").map_or(rest.len(), |end| end + 2)
        } else {
            result.push_str(&rest[..1]);
            rest = &rest[1..];
            continue;
        };
        let span = &rest[..closed_at];
        let is_marker = span
            .strip_prefix(MARKER)
            .and_then(|inside| inside.strip_suffix("-->"))
            .is_some_and(|reason| !reason.trim().is_empty());
        result += &if is_marker {
            format!(" {MARKER_WORD} {}", "\n".repeat(span.matches('\n').count()))
        } else {
            blank(span)
        };
        rest = &rest[closed_at..];
    }
    result + rest
}

/// The backticks or tildes (three or more) that open a fenced code block on this line.
fn fence_opened_by(trimmed: &str) -> Option<String> {
    let mark = trimmed.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let run: String = trimmed.chars().take_while(|&c| c == mark).collect();
    (run.len() >= 3).then_some(run)
}

/// `text` as spaces, its line breaks kept.
fn blank(text: &str) -> String {
    text.chars()
        .map(|c| if c == '\n' { '\n' } else { ' ' })
        .collect()
}

struct Word<'a> {
    raw: &'a str,
    /// Lowercase, without the quotes, brackets and punctuation around it.
    bare: String,
    /// The last word of its sentence: a comparison does not reach past it.
    ends_sentence: bool,
    /// Which sentence of the page it is in, counted from 0.
    sentence: usize,
    line: usize,
}

fn words(text: &str) -> Vec<Word<'_>> {
    let mut words: Vec<Word> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        for raw in line.split_whitespace() {
            let trailing = raw.trim_end_matches(['"', '\'', ')', ']', '*', '_', '”', '’']);
            let bare = raw
                .trim_matches(|c: char| !(c.is_alphanumeric() || matches!(c, '%' | '×')))
                .to_lowercase();
            let sentence = words
                .last()
                .map_or(0, |last| last.sentence + usize::from(last.ends_sentence));
            words.push(Word {
                raw,
                bare,
                ends_sentence: trailing.ends_with(['.', '!', '?']),
                sentence,
                line: number + 1,
            });
        }
    }
    words
}

/// The end of the comparison that starts at `words[start]`, if one does.
fn comparison_at(words: &[Word], start: usize) -> Option<usize> {
    let sentence_end = (start..words.len())
        .find(|&i| words[i].ends_sentence)
        .map_or(words.len(), |i| i + 1);
    let sentence = &words[..sentence_end];
    let word = words[start].bare.as_str();
    if is_ratio_figure(word) {
        return Some(start + 1);
    }
    if word == "within" {
        return multiple_at(sentence, start + 1);
    }
    if COMPARATIVES.contains(&word) && sentence.get(start + 1)?.bare == "by" {
        // "slower by 40%", "faster by a factor of three".
        let skip_article = usize::from(sentence.get(start + 2)?.bare == "a");
        return multiple_at(sentence, start + 2 + skip_article);
    }
    let after = multiple_at(sentence, start)?;
    (after..=after + 1).find_map(|at| comparative_at(sentence, at))
}

/// `2x`, `1.3×`, `~2x`: a ratio written as a figure (not `0x1f`, `2×3` or `x86`).
fn is_ratio_figure(word: &str) -> bool {
    word.strip_suffix(['x', '×'])
        .is_some_and(|number| is_number(number.trim_start_matches(['~', '≈'])))
}

fn is_number(word: &str) -> bool {
    let mut parts = word.splitn(2, '.');
    let whole = parts.next().unwrap_or_default();
    let digits = |part: &str| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit());
    digits(whole) && parts.next().is_none_or(digits)
}

/// The end of the multiple that starts at `words[start]`.
fn multiple_at(words: &[Word], start: usize) -> Option<usize> {
    let bare = |at: usize| words.get(at).map(|w| w.bare.as_str());
    let word = bare(start)?;
    let next = bare(start + 1);
    let is_count = is_number(word) || COUNT_WORDS.contains(&word);
    Some(match word {
        "twice" | "thrice" | "half" => start + 1,
        "order" | "orders" if next == Some("of") && bare(start + 2) == Some("magnitude") => {
            start + 3
        }
        "factor" if next == Some("of") && bare(start + 2).is_some() => start + 3,
        _ if word.strip_suffix('%').is_some_and(is_number) => start + 1,
        _ if word.strip_suffix("fold").is_some_and(|count| {
            let count = count.trim_end_matches('-');
            is_number(count) || COUNT_WORDS.contains(&count)
        }) =>
        {
            start + 1
        }
        _ if is_count && next == Some("times") => start + 2,
        _ if is_number(word) && matches!(next, Some("%" | "×" | "x" | "percent")) => start + 2,
        _ if is_number(word) && next == Some("per") && bare(start + 2) == Some("cent") => {
            start + 3
        }
        _ => return None,
    })
}

/// The end of the comparative word (or `as fast`) at `words[at]`.
fn comparative_at(words: &[Word], at: usize) -> Option<usize> {
    let word = words.get(at)?.bare.as_str();
    if COMPARATIVES.contains(&word) {
        return Some(at + 1);
    }
    let then = words.get(at + 1)?.bare.as_str();
    (word == "as" && AS_COMPARATIVES.contains(&then)).then_some(at + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrases(page: &str) -> Vec<String> {
        scan(page)
            .typed
            .into_iter()
            .map(|typed| typed.phrase)
            .collect()
    }

    #[test]
    fn finds_the_ways_prose_types_a_measured_comparison() {
        for (sentence, phrase) in [
            ("The solution is 2.7× slower here.", "2.7×"),
            ("It came out 1.3x faster.", "1.3x"),
            ("A ratio that moved by 2x between runs.", "2x"),
            ("The ring is twice as fast as the channel.", "twice as fast"),
            ("Padding made it 40% slower.", "40% slower"),
            ("It is 3 times faster.", "3 times faster"),
            ("It is three times as fast.", "three times as fast"),
            ("Several times faster in one run.", "Several times faster"),
            ("It is 40 % slower.", "40 % slower"),
            ("An order of magnitude slower than that.", "order of magnitude slower"),
            ("It is slower by 25%, on this machine.", "slower by 25%"),
            ("It is faster by a factor of three.", "faster by a factor of three"),
            ("Keep it within twice the epoch stack's.", "within twice"),
            ("Keep it within six times the queue's.", "within six times"),
            ("A tenfold speed-up.", "tenfold speed-up"),
            ("Here **2.5x** wins.", "2.5x"),
        ] {
            assert_eq!(phrases(sentence), [phrase], "{sentence}");
        }
    }

    #[test]
    fn leaves_arithmetic_counts_and_other_figures_alone() {
        for sentence in [
            "With N threads of K hazard pointers each, at most N × K nodes are protected.",
            "Measurement *k* runs the closure *k × d* times.",
            "A 2 × 3 grid, a 4x4 board and the address 0x1f on x86-64.",
            "Run the program five times and get a spread.",
            "A compare-exchange twice the width of a pointer.",
            "The larger of 1,000 and twice the number of hazard pointers.",
            "The lower bound of the 95 % confidence interval, and the process at 0% CPU.",
            "Half the time through `acquire` and half through `try_acquire`.",
            "It passes a thousand times. More than that proves little.",
            "Larger and slower than the last, twice.",
        ] {
            assert_eq!(phrases(sentence), Vec::<String>::new(), "{sentence}");
        }
    }

    #[test]
    fn reads_only_prose() {
        let page = "---\nminutes: 2x\n---\n\n# Title\n\n\
                    ```text\nslower by 2x\n```\n\n\
                    Code: `3x faster`, ``a ` 2x``, {{#ratio g 2x b}}, \\{{#results a 2x}}.\n\
                    <!-- 2x faster,\nsaid an old draft -->\n\
                    ~~~~\n2x\n~~~~\n\
                    And then 2x on line 17.\n";
        assert_eq!(
            scan(page).typed,
            [Typed {
                line: 17,
                phrase: "2x".to_owned()
            }]
        );
    }

    #[test]
    fn a_marker_or_a_comparison_quoted_in_code_is_code() {
        let page = "Write `<!-- not a measurement: why -->` or `{{#ratio a b c}}`, \
                    not `1.07x (0.88–1.92)`; a lone ` backtick, then 2x.\n";
        assert_eq!(
            scan(page),
            Scan {
                typed: vec![Typed {
                    line: 1,
                    phrase: "2x".to_owned()
                }],
                idle_markers: Vec::new(),
            }
        );
    }

    #[test]
    fn a_marker_with_a_reason_exempts_its_sentence_and_no_other() {
        let page = "The target: within twice the queue's time <!-- not a measurement: \
                    the chapter's goal -->. And 3 times faster.\n\n\
                    Within six times, <!-- not a measurement: -->.\n\n\
                    Nothing compared <!-- not a measurement: a\nstale one -->.\n";
        let found = scan(page);
        let lines: Vec<(usize, &str)> = found
            .typed
            .iter()
            .map(|typed| (typed.line, typed.phrase.as_str()))
            .collect();
        // The first sentence's is exempt, not the next one's; a marker without
        // a reason exempts nothing.
        assert_eq!(lines, [(1, "3 times faster"), (3, "Within six times")]);
        assert_eq!(found.idle_markers, [5]);
    }
}
