//! When the daemon runs next: a daily local time in a time zone (business days only,
//! holidays skipped), or a fixed interval. Pure: the caller passes "now".
//!
//! State-based catch-up: the schedule only says when to wake up; a run covers whatever is
//! due at that moment, so a missed day is covered by the next run, never twice.

use crate::config::{ConfigError, ScheduleConfig};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use std::collections::BTreeSet;
use std::str::FromStr;

/// A parsed schedule.
#[derive(Clone, Debug, PartialEq)]
pub enum Schedule {
    Daily {
        at: NaiveTime,
        tz: Tz,
        business_days_only: bool,
        holidays: BTreeSet<NaiveDate>,
    },
    Every {
        interval: Duration,
    },
}

impl Schedule {
    pub fn from_config(c: &ScheduleConfig) -> Result<Self, ConfigError> {
        if let Some(minutes) = c.interval_minutes {
            return Ok(Schedule::Every {
                interval: Duration::minutes(minutes as i64),
            });
        }
        let at = NaiveTime::parse_from_str(&c.at, "%H:%M").map_err(|_| {
            ConfigError::new("schedule.at", format!("not a time of day: {:?}", c.at))
        })?;
        let tz = Tz::from_str(&c.timezone).map_err(|_| {
            ConfigError::new(
                "schedule.timezone",
                format!("unknown time zone {:?}", c.timezone),
            )
        })?;
        let holidays = c
            .holidays
            .iter()
            .enumerate()
            .map(|(i, d)| {
                NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                    ConfigError::new(
                        format!("schedule.holidays[{i}]"),
                        format!("not a date: {d:?}"),
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Schedule::Daily {
            at,
            tz,
            business_days_only: c.business_days_only,
            holidays,
        })
    }

    /// Whether runs may happen on this local date.
    pub fn is_run_day(&self, day: NaiveDate) -> bool {
        match self {
            Schedule::Every { .. } => true,
            Schedule::Daily {
                business_days_only,
                holidays,
                ..
            } => {
                let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
                let skipped = holidays.contains(&day) || (*business_days_only && weekend);
                !skipped
            }
        }
    }

    /// The first run strictly after `now`. `last` is the start of the previous run, if any
    /// (for intervals).
    pub fn next_after(&self, now: DateTime<Utc>, last: Option<DateTime<Utc>>) -> DateTime<Utc> {
        match self {
            Schedule::Every { interval } => match last {
                Some(l) if l + *interval > now => l + *interval,
                Some(_) => now,
                None => now,
            },
            Schedule::Daily { at, tz, .. } => {
                let mut day = now.with_timezone(tz).date_naive();
                for _ in 0..800 {
                    if self.is_run_day(day)
                        && let Some(t) = run_instant(tz, day, *at)
                        && t > now
                    {
                        return t;
                    }
                    day = day.succ_opt().unwrap_or(day);
                }
                // More than two years of holidays: the configuration cannot mean it.
                now + Duration::days(1)
            }
        }
    }

    /// The last scheduled time at or before `now` (daily schedules only).
    pub fn previous_at_or_before(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let Schedule::Daily { at, tz, .. } = self else {
            return None;
        };
        let mut day = now.with_timezone(tz).date_naive();
        for _ in 0..800 {
            if self.is_run_day(day)
                && let Some(t) = run_instant(tz, day, *at)
                && t <= now
            {
                return Some(t);
            }
            day = day.pred_opt()?;
        }
        None
    }

    /// When the first run after start-up is due: now when the last successful run is
    /// older than the last scheduled time (catch-up after downtime: one run covers every
    /// missed day), else the next scheduled time.
    pub fn first_due(
        &self,
        now: DateTime<Utc>,
        last_success: Option<DateTime<Utc>>,
    ) -> DateTime<Utc> {
        match self {
            Schedule::Every { .. } => self.next_after(now, last_success),
            Schedule::Daily { .. } => match self.previous_at_or_before(now) {
                Some(previous) if last_success.is_none_or(|l| l < previous) => now,
                _ => self.next_after(now, None),
            },
        }
    }

    /// The local date of a run starting at `t` (the `as_of` of that run).
    pub fn local_date(&self, t: DateTime<Utc>) -> NaiveDate {
        match self {
            Schedule::Daily { tz, .. } => t.with_timezone(tz).date_naive(),
            Schedule::Every { .. } => t.date_naive(),
        }
    }
}

/// The instant of `at` on `day` in `tz`. A local time skipped by a DST change runs at the
/// first valid instant after it.
fn run_instant(tz: &Tz, day: NaiveDate, at: NaiveTime) -> Option<DateTime<Utc>> {
    tz.from_local_datetime(&day.and_time(at))
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(day.and_time(at) + Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn daily(at: &str, holidays: &[&str]) -> Schedule {
        Schedule::from_config(&ScheduleConfig {
            at: at.into(),
            timezone: "Europe/Paris".into(),
            business_days_only: true,
            holidays: holidays.iter().map(|s| s.to_string()).collect(),
            interval_minutes: None,
        })
        .unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn next_run_is_today_at_the_local_time_when_still_ahead() {
        // 2026-11-20 is a Friday; Paris is UTC+1 in November.
        let s = daily("07:30", &[]);
        assert_eq!(
            s.next_after(utc("2026-11-20T05:00:00Z"), None),
            utc("2026-11-20T06:30:00Z")
        );
    }

    #[test]
    fn weekends_and_holidays_are_skipped() {
        let s = daily("07:30", &["2026-11-23"]);
        // Friday after the run → Monday is a holiday → Tuesday.
        assert_eq!(
            s.next_after(utc("2026-11-20T07:00:00Z"), None),
            utc("2026-11-24T06:30:00Z")
        );
    }

    #[test]
    fn daylight_saving_time_is_followed() {
        // Paris is UTC+2 in summer.
        let s = daily("07:30", &[]);
        assert_eq!(
            s.next_after(utc("2026-07-01T00:00:00Z"), None),
            utc("2026-07-01T05:30:00Z")
        );
        // 02:30 does not exist on 2026-03-29 in Paris: the run happens at 03:30 local.
        let s = daily("02:30", &[]);
        let s = match s {
            Schedule::Daily {
                at, tz, holidays, ..
            } => Schedule::Daily {
                at,
                tz,
                holidays,
                business_days_only: false,
            },
            other => other,
        };
        assert_eq!(
            s.next_after(utc("2026-03-28T23:00:00Z"), None),
            utc("2026-03-29T01:30:00Z")
        );
    }

    #[test]
    fn a_missed_daily_run_is_caught_up_once_at_start_up() {
        let s = daily("07:30", &[]);
        // Monday 2026-11-23 10:00 Paris; last success on Friday's run.
        let now = utc("2026-11-23T09:00:00Z");
        let friday = utc("2026-11-20T06:30:05Z");
        assert_eq!(
            s.previous_at_or_before(now),
            Some(utc("2026-11-23T06:30:00Z"))
        );
        assert_eq!(s.first_due(now, Some(friday)), now);
        assert_eq!(s.first_due(now, None), now);
        // Today's run already happened: wait for tomorrow.
        let today = utc("2026-11-23T06:30:02Z");
        assert_eq!(s.first_due(now, Some(today)), utc("2026-11-24T06:30:00Z"));
        // Sunday before the first Monday run: nothing missed since Friday's run.
        let sunday = utc("2026-11-22T12:00:00Z");
        assert_eq!(
            s.first_due(sunday, Some(friday)),
            utc("2026-11-23T06:30:00Z")
        );
    }

    #[test]
    fn interval_schedules_follow_the_last_run() {
        let s = Schedule::Every {
            interval: Duration::minutes(60),
        };
        let now = utc("2026-11-20T10:00:00Z");
        assert_eq!(s.next_after(now, None), now);
        assert_eq!(
            s.next_after(now, Some(utc("2026-11-20T09:30:00Z"))),
            utc("2026-11-20T10:30:00Z")
        );
        // Downtime longer than the interval: run now, once.
        assert_eq!(s.next_after(now, Some(utc("2026-11-19T09:30:00Z"))), now);
    }
}
