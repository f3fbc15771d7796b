//! deliver (under construction).
