//! The workshop folder on disk, as `prepare` leaves it and `preflight` checks
//! it: where the vendored crates go, and sizes as people read them.

use std::path::PathBuf;

use workbook_core::workspace::Workbook;

/// Where the crates go, relative to the root (ignored by git).
pub const VENDOR_DIR: &str = "vendor";

/// "1.2 GB", "340 MB", "12 kB".
pub fn format_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if value < 10.0 {
        format!("{value:.1} {}", UNITS[unit])
    } else {
        format!("{value:.0} {}", UNITS[unit])
    }
}

/// The vendored crates' folder.
pub fn vendor_dir(workbook: &Workbook) -> PathBuf {
    workbook.root.join(VENDOR_DIR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_sizes() {
        assert_eq!(format_size(12_000), "12 kB");
        assert_eq!(format_size(3_400_000), "3.4 MB");
        assert_eq!(format_size(1_240_000_000), "1.2 GB");
    }
}
