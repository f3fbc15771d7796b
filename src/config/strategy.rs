//! Strategies in configuration (`[[strategy]]`, `[[strategy.level]]`) (under construction).
