//! Nothing of its own: this crate exists so that its dependencies get built
//! for the book's examples (see Cargo.toml).
