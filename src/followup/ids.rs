//! Typed Odoo ids of the domain, so that a customer's id is never passed where a
//! company's is expected. Each is the bare Odoo integer on disk and on screen
//! (`#[serde(transparent)]`, `Display` prints the number): ledger rows, payload files and
//! JSON outputs keep exactly the same text. They carry no behaviour beyond conversions.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Declares an Odoo id newtype: `new`/`From<i64>`, `get`/`From<Id> for i64`, `Display`
/// and `FromStr` as the bare integer.
macro_rules! odoo_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            pub const fn new(id: i64) -> Self {
                Self(id)
            }

            /// The Odoo integer.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                Self(id)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map(Self)
            }
        }
    };
}

odoo_id!(
    /// A customer: the `res.partner` id of an Odoo commercial partner.
    CustomerId
);

odoo_id!(
    /// A company whose receivables are followed (`res.company` id).
    CompanyId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_its_bare_integer_on_disk_and_on_screen() {
        let id = CustomerId::from(42);
        assert_eq!(id.to_string(), "42");
        assert_eq!(serde_json::to_string(&id).unwrap(), "42");
        assert_eq!(serde_json::from_str::<CustomerId>("42").unwrap(), id);
        assert_eq!("42".parse::<CustomerId>().unwrap().get(), 42);
        assert_eq!(i64::from(CompanyId::new(3)), 3);
    }
}
