//! followup (under construction).
