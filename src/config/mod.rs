//! Configuration: schema, loading (file + environment), secrets, validation.

pub mod error;
pub mod strategy;

pub use error::ConfigError;
