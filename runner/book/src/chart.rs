//! The bar chart under each machine's `{{#results}}` table: one bar per
//! variant, its length the median nanoseconds per item over the rounds, a
//! whisker across it from the lowest round to the highest, the baseline
//! highlighted. A file from before rounds has one run, and no whiskers.
//!
//! The SVG goes inline into the page, so it takes its colours from the page's
//! theme: text and axes in `currentColor` (the theme's text colour), the
//! baseline's bar in the theme's link colour and the others in a translucent
//! text colour, readable on light and dark themes alike. The baseline is also
//! named in words and bold, not by colour alone. A `<title>` and a `<desc>`
//! (with every figure) give screen readers what the picture shows.
//!
//! The SVG has no blank line, so that Markdown takes it as one HTML block.

use crate::format::three_digits;
use workbook_core::results::ResultsFile;
use workbook_core::spread::Spread;

/// Pixels: the font size, one bar's row, and the room around the plot.
const FONT: f64 = 13.0;
const ROW: f64 = 26.0;
const BAR: f64 = 18.0;
const WIDTH: f64 = 640.0;
const TOP: f64 = 8.0;
/// Below the bars: tick labels and the axis caption.
const BOTTOM: f64 = 44.0;
/// Right of the longest bar: its figure.
const FIGURE_ROOM: f64 = 120.0;
/// An estimate of a character's width at [`FONT`], for the label column.
const CHAR_WIDTH: f64 = 7.4;

/// One variant's bar: its time per item and its ratio to the baseline.
struct Bar<'a> {
    label: &'a str,
    time: Spread,
    ratio: Option<Spread>,
}

/// The chart of `group` as measured on `file`'s machine, relative to `baseline`
/// (highlighted where the group has it); empty if the group has no figures.
pub fn results_chart(file: &ResultsFile, group: &str, baseline: &str) -> String {
    let base = file.group(group).find(|b| b.function == baseline);
    let bars: Vec<Bar> = file
        .group(group)
        .map(|b| Bar {
            label: &b.function,
            time: b.spread(),
            ratio: base.map(|base| b.ratio_to(base)),
        })
        .filter(|bar| bar.time.min.is_finite() && bar.time.min > 0.0)
        .filter(|bar| bar.time.max.is_finite())
        .collect();
    if bars.is_empty() {
        return String::new();
    }
    let id = format!("chart-{}-{}", slug(group), slug(&file.machine.id));
    let title = format!(
        "{group} on {}, {} cores: nanoseconds per item, shorter is faster",
        file.machine.cpu, file.machine.cores
    );
    bar_chart(&id, &title, &bars, baseline)
}

/// A horizontal bar chart of `bars`, with `baseline` highlighted; `id` makes
/// the title's and description's ids unique on the page.
fn bar_chart(id: &str, title: &str, bars: &[Bar], baseline: &str) -> String {
    let label_of = |label: &str| {
        if label == baseline {
            format!("{label} (baseline)")
        } else {
            label.to_owned()
        }
    };
    let longest = bars
        .iter()
        .map(|bar| label_of(bar.label).chars().count())
        .max()
        .unwrap_or(0);
    let left = (longest as f64 * CHAR_WIDTH + 16.0).min(WIDTH / 2.0);
    let plot = WIDTH - left - FIGURE_ROOM;
    let max = bars.iter().map(|bar| bar.time.max).fold(0.0, f64::max);
    let step = tick_step(max);
    let top_tick = (max / step).ceil() * step;
    let x = |ns: f64| left + plot * ns / top_tick;
    let height = TOP + ROW * bars.len() as f64 + BOTTOM;
    let axis_y = TOP + ROW * bars.len() as f64;

    let figures: Vec<String> = bars
        .iter()
        .map(|bar| format!("{} {}", bar.label, described(bar)))
        .collect();
    let mut svg = format!(
        "<svg class=\"results-chart\" xmlns=\"http://www.w3.org/2000/svg\" \
         viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" style=\"max-width: {WIDTH}px\" \
         role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-size=\"{FONT}\" \
         fill=\"currentColor\">\n\
         <title id=\"{id}-title\">{}</title>\n\
         <desc id=\"{id}-desc\">{}.</desc>\n",
        escape(title),
        escape(&figures.join("; "))
    );
    let mut tick = 0.0;
    while tick <= top_tick * 1.000_001 {
        svg += &format!(
            "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{TOP}\" y2=\"{axis_y}\" stroke=\"currentColor\" \
             stroke-opacity=\"0.2\"/>\n\
             <text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n",
            axis_y + FONT + 4.0,
            tick_label(tick),
            x = x(tick)
        );
        tick += step;
    }
    for (row, bar) in bars.iter().enumerate() {
        let y = TOP + ROW * row as f64 + (ROW - BAR) / 2.0;
        let text_y = y + BAR / 2.0 + FONT * 0.35;
        let is_base = bar.label == baseline;
        let (fill, weight) = if is_base {
            (
                "style=\"fill: var(--links, #2b79a2)\"",
                " font-weight=\"bold\"",
            )
        } else {
            ("fill=\"currentColor\" fill-opacity=\"0.45\"", "")
        };
        svg += &format!(
            "<text x=\"{:.1}\" y=\"{text_y:.1}\" text-anchor=\"end\"{weight}>{}</text>\n\
             <rect x=\"{left:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{BAR}\" {fill}/>\n",
            left - 8.0,
            escape(&label_of(bar.label)),
            x(bar.time.median) - left,
        );
        if bar.time.rounds > 1 {
            svg += &whisker(x(bar.time.min), x(bar.time.max), y + BAR / 2.0);
        }
        svg += &format!(
            "<text x=\"{:.1}\" y=\"{text_y:.1}\"{weight}>{}</text>\n",
            x(bar.time.max) + 6.0,
            escape(&figure(bar.time.median, bar.ratio))
        );
    }
    let caption = if bars.iter().any(|bar| bar.time.rounds > 1) {
        "median ns per item, lowest to highest round (shorter is faster)"
    } else {
        "ns per item (shorter is faster)"
    };
    svg += &format!(
        "<line x1=\"{left:.1}\" x2=\"{left:.1}\" y1=\"{TOP}\" y2=\"{axis_y}\" stroke=\"currentColor\"/>\n\
         <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{caption}</text>\n\
         </svg>\n",
        left + plot / 2.0,
        height - 6.0
    );
    svg
}

/// A horizontal line from `from` to `to` at height `y`, with an end cap at each end.
fn whisker(from: f64, to: f64, y: f64) -> String {
    let (top, bottom) = (y - BAR / 4.0, y + BAR / 4.0);
    format!(
        "<path class=\"whisker\" d=\"M{from:.1} {y:.1}H{to:.1}M{from:.1} {top:.1}V{bottom:.1}\
         M{to:.1} {top:.1}V{bottom:.1}\" stroke=\"currentColor\" stroke-width=\"1.5\" fill=\"none\"/>\n"
    )
}

/// `56.98 ns, 1.45x` (the ratio only where there is a baseline).
fn figure(ns: f64, ratio: Option<Spread>) -> String {
    match ratio {
        Some(ratio) => format!("{} ns, {:.2}x", three_digits(ns), ratio.median),
        None => format!("{} ns", three_digits(ns)),
    }
}

/// The figures for a screen reader, ranges included: `40.0 ns (38.0 to
/// 45.0), 2.00x (1.90 to 2.10)`.
fn described(bar: &Bar) -> String {
    let range = |spread: &Spread, digits: &dyn Fn(f64) -> String| {
        if spread.rounds > 1 {
            format!(" ({} to {})", digits(spread.min), digits(spread.max))
        } else {
            String::new()
        }
    };
    let mut text = format!(
        "{} ns{}",
        three_digits(bar.time.median),
        range(&bar.time, &three_digits)
    );
    if let Some(ratio) = &bar.ratio {
        text += &format!(
            ", {:.2}x{}",
            ratio.median,
            range(ratio, &|value| format!("{value:.2}"))
        );
    }
    text
}

/// A round step (1, 2 or 5 times a power of ten) giving three to six ticks up to `max`.
fn tick_step(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf((max / 4.0).log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|factor| factor * magnitude)
        .find(|step| max / step <= 5.0)
        .unwrap_or(10.0 * magnitude)
}

fn tick_label(value: f64) -> String {
    if value == value.trunc() {
        format!("{value:.0}")
    } else {
        let text = format!("{value:.3}");
        text.trim_end_matches('0').to_owned()
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `broken-queue/1-pair` as `broken-queue-1-pair`, for an id.
fn slug(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use workbook_core::results::{Benchmark, Machine};

    fn file() -> ResultsFile {
        ResultsFile {
            machine: Machine {
                id: "x86-64-cpu-2c".into(),
                cpu: "CPU".into(),
                cores: 2,
                os: "Linux".into(),
                rustc: "rustc".into(),
                date: "2026-01-01".into(),
            },
            benchmarks: vec![
                Benchmark::new("q/1-pair".into(), "mine".into(), 40.0),
                Benchmark::new("q/1-pair".into(), "mutex<vec>".into(), 80.0),
                Benchmark::new("other".into(), "x".into(), 1.0),
            ],
            counts: Vec::new(),
        }
    }

    #[test]
    fn draws_one_bar_per_variant_with_the_baseline_highlighted() {
        let svg = results_chart(&file(), "q/1-pair", "mine");
        assert_eq!(svg.matches("<rect").count(), 2);
        assert_eq!(svg.matches("var(--links").count(), 1);
        assert!(svg.contains(">mine (baseline)</text>"));
        assert!(svg.contains(">40.0 ns, 1.00x</text>"));
        assert!(svg.contains(">80.0 ns, 2.00x</text>"));
        // The longer bar is twice the shorter one.
        let widths: Vec<f64> = svg
            .match_indices("<rect")
            .map(|(at, _)| {
                let rest = &svg[at..];
                let start = rest.find("width=\"").unwrap() + 7;
                let end = start + rest[start..].find('"').unwrap();
                rest[start..end].parse().unwrap()
            })
            .collect();
        assert!((widths[1] / widths[0] - 2.0).abs() < 0.01, "{widths:?}");
    }

    #[test]
    fn is_accessible_escaped_and_one_markdown_block() {
        let svg = results_chart(&file(), "q/1-pair", "mine");
        assert!(svg.starts_with("<svg "));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains(
            "aria-labelledby=\"chart-q-1-pair-x86-64-cpu-2c-title chart-q-1-pair-x86-64-cpu-2c-desc\""
        ));
        assert!(svg.contains(
            "<title id=\"chart-q-1-pair-x86-64-cpu-2c-title\">q/1-pair on CPU, 2 cores: \
             nanoseconds per item, shorter is faster</title>"
        ));
        assert!(svg.contains("mine 40.0 ns, 1.00x; mutex&lt;vec&gt; 80.0 ns, 2.00x.</desc>"));
        assert!(!svg.contains("mutex<vec>"));
        assert!(
            !svg.contains("\n\n"),
            "a blank line would end the HTML block"
        );
    }

    #[test]
    fn without_the_baseline_shows_figures_alone() {
        let svg = results_chart(&file(), "q/1-pair", "absent");
        assert!(!svg.contains("var(--links"));
        assert!(svg.contains(">40.0 ns</text>"));
        assert_eq!(results_chart(&file(), "unmeasured", "mine"), "");
    }

    #[test]
    fn draws_a_whisker_from_the_lowest_round_to_the_highest() {
        let mut measured = file();
        measured.benchmarks = vec![
            Benchmark::from_rounds("q".into(), "mine".into(), &[40.0, 30.0, 50.0]).unwrap(),
            Benchmark::from_rounds("q".into(), "base".into(), &[20.0, 20.0, 25.0]).unwrap(),
        ];
        let svg = results_chart(&measured, "q", "base");
        assert_eq!(svg.matches("class=\"whisker\"").count(), 2);
        // The axis reaches the highest round, 50 ns: its whisker ends at the
        // plot's right edge, the bar (the median, 40 ns) four fifths of the way.
        let left = "base (baseline)".len() as f64 * CHAR_WIDTH + 16.0;
        let plot = WIDTH - left - FIGURE_ROOM;
        let right = format!("H{:.1}", left + plot);
        assert!(svg.contains(&right), "{svg}");
        assert!(
            svg.contains(&format!("width=\"{:.1}\"", plot * 0.8)),
            "{svg}"
        );
        assert!(svg.contains(
            "mine 40.0 ns (30.0 to 50.0), 2.00x (1.50 to 2.00); base 20.0 ns (20.0 to 25.0)"
        ));
        assert!(svg.contains("lowest to highest round"));
        // One run draws no whisker.
        assert!(!results_chart(&file(), "q/1-pair", "mine").contains("whisker"));
    }

    #[test]
    fn picks_round_tick_steps() {
        assert_eq!(tick_step(80.0), 20.0);
        assert_eq!(tick_step(57.0), 20.0);
        assert_eq!(tick_step(9.0), 2.0);
        assert_eq!(tick_step(0.3), 0.1);
        assert_eq!(tick_step(1200.0), 500.0);
        assert_eq!(tick_label(0.5), "0.5");
        assert_eq!(tick_label(20.0), "20");
    }
}
