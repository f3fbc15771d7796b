//! render (under construction).
