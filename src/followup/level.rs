//! Levels of items: which level an item is due for (step or jump mode), which level it
//! has reached by its age, and which level to record once a communication is executed.
//!
//! Pure arithmetic on offsets; it knows nothing of customers, amounts or gating.

use super::strategy::{CatchUp, Strategy};

/// Highest level whose offset has elapsed at `days_overdue` (0 = none).
pub fn reached_level(strategy: &Strategy, days_overdue: i64) -> u32 {
    let count = strategy
        .levels
        .iter()
        .take_while(|l| l.offset_days <= days_overdue)
        .count();
    u32::try_from(count).unwrap_or(u32::MAX)
}

/// The pre-due levels (negative offsets) an overdue item skips: they announce an
/// upcoming due date. 0 for an item not yet due.
fn pre_due_floor(strategy: &Strategy, days_overdue: i64) -> u32 {
    if days_overdue < 0 {
        return 0;
    }
    let pre_due = strategy
        .levels
        .iter()
        .take_while(|l| l.offset_days < 0)
        .count();
    u32::try_from(pre_due).unwrap_or(0)
}

/// The next level an item will be due for once its offset elapses (none after the last).
/// Overdue items skip pre-due levels; jump mode skips levels already elapsed.
pub fn next_level(strategy: &Strategy, sent: u32, days_overdue: i64) -> Option<u32> {
    let floor = pre_due_floor(strategy, days_overdue);
    let jumped = match strategy.catch_up {
        CatchUp::Step => 0,
        CatchUp::Jump => reached_level(strategy, days_overdue),
    };
    let next = sent.max(floor).max(jumped) + 1;
    (next <= strategy.last_level()).then_some(next)
}

/// The level an item last reminded at `sent` is due for, if any.
///
/// Step mode: `sent + 1` once its offset has elapsed (never skipping). Jump mode: the
/// highest elapsed level when above `sent`. An item at the last level is due for it
/// again only when the strategy repeats its last level (`repeat_last_every_days`); the
/// customer's gate then spaces the repetitions.
pub fn due_level(strategy: &Strategy, sent: u32, days_overdue: i64) -> Option<u32> {
    let last = strategy.last_level();
    if last == 0 {
        return None;
    }
    if sent >= last {
        let repeat = strategy.repeat_last_every_days.is_some();
        return (repeat && reached_level(strategy, days_overdue) >= last).then_some(last);
    }
    match strategy.catch_up {
        CatchUp::Step => {
            // Pre-due levels (negative offsets) announce an upcoming due date: an item
            // already overdue skips them rather than getting "due soon" text.
            let floor = pre_due_floor(strategy, days_overdue);
            let next = sent.max(floor) + 1;
            if next > last {
                return None;
            }
            let offset = strategy.offset(next)?;
            (days_overdue >= offset).then_some(next)
        }
        CatchUp::Jump => {
            let reached = reached_level(strategy, days_overdue);
            (reached > sent).then_some(reached)
        }
    }
}

/// `sent(i)` after a communication at `level` listing the item: the highest level
/// ≤ `level` whose offset has elapsed for it, never lower than what it already had.
pub fn recorded_level(strategy: &Strategy, sent: u32, days_overdue: i64, level: u32) -> u32 {
    sent.max(reached_level(strategy, days_overdue).min(level))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followup::strategy::Level;

    fn s(mode: CatchUp) -> Strategy {
        let mut s = Strategy::new(
            "s",
            vec![Level::new("a", 3), Level::new("b", 15), Level::new("c", 30)],
        );
        s.catch_up = mode;
        s
    }

    #[test]
    fn step_mode_never_skips_a_level() {
        assert_eq!(due_level(&s(CatchUp::Step), 0, 60), Some(1));
        assert_eq!(due_level(&s(CatchUp::Step), 1, 14), None);
        assert_eq!(due_level(&s(CatchUp::Step), 1, 15), Some(2));
    }

    #[test]
    fn overdue_items_skip_pre_due_levels() {
        let st = Strategy::new("p", vec![Level::new("predue", -3), Level::new("a", 3)]);
        assert_eq!(due_level(&st, 0, -3), Some(1));
        assert_eq!(due_level(&st, 0, 1), None);
        assert_eq!(due_level(&st, 0, 3), Some(2));
    }

    #[test]
    fn jump_mode_goes_to_the_highest_elapsed_level() {
        assert_eq!(due_level(&s(CatchUp::Jump), 0, 60), Some(3));
        assert_eq!(due_level(&s(CatchUp::Jump), 3, 60), None);
    }

    #[test]
    fn last_level_repeats_only_when_configured() {
        let mut st = s(CatchUp::Step);
        assert_eq!(due_level(&st, 3, 90), None);
        st.repeat_last_every_days = Some(30);
        assert_eq!(due_level(&st, 3, 90), Some(3));
    }

    #[test]
    fn recorded_level_is_capped_by_the_letter_and_by_the_age() {
        assert_eq!(recorded_level(&s(CatchUp::Step), 0, 3, 3), 1);
        assert_eq!(recorded_level(&s(CatchUp::Step), 2, 31, 1), 2);
        assert_eq!(recorded_level(&s(CatchUp::Step), 0, 40, 3), 3);
    }
}
