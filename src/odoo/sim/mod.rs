//! The Odoo double (under construction).
