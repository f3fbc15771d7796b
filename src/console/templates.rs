//! The console's pages as tera templates, compiled in (`src/console/templates/`), HTML
//! autoescaped. Each page extends `base.html` (language attribute, skip link, menu).

/// `(name, source)` of every template.
pub const SOURCES: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("login.html", include_str!("templates/login.html")),
    ("message.html", include_str!("templates/message.html")),
    ("today.html", include_str!("templates/today.html")),
    ("customer.html", include_str!("templates/customer.html")),
    ("launch.html", include_str!("templates/launch.html")),
    ("approvals.html", include_str!("templates/approvals.html")),
    ("runs.html", include_str!("templates/runs.html")),
    ("run.html", include_str!("templates/run.html")),
    ("uncertain.html", include_str!("templates/uncertain.html")),
    ("print.html", include_str!("templates/print.html")),
];

/// The loaded templates.
pub struct Views {
    tera: tera::Tera,
}

impl Views {
    pub fn new() -> Result<Views, String> {
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html"]);
        tera.add_raw_templates(SOURCES.iter().copied())
            .map_err(|e| format!("{e:?}"))?;
        Ok(Views { tera })
    }

    /// Renders page `name`; an error names the template and what failed.
    pub fn render(&self, name: &str, ctx: &tera::Context) -> Result<String, String> {
        self.tera
            .render(name, ctx)
            .map_err(|e| format!("template {name}: {e:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(lang: &str) -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert("t", &crate::console::i18n::words(lang));
        ctx.insert("lang", lang);
        ctx.insert("page", "");
        ctx.insert("company_lang", "fr");
        ctx.insert("user", &None::<crate::console::session::Identity>);
        ctx.insert("csrf", "token");
        ctx
    }

    #[test]
    fn the_login_page_renders_in_each_language_with_its_lang_attribute() {
        let views = Views::new().expect("templates load");
        for (lang, words) in [
            ("fr", "Identifiant"),
            ("nl", "Gebruikersnaam"),
            ("en", "Login"),
        ] {
            let mut c = ctx(lang);
            c.insert("problem", &Some("login_failed"));
            c.insert("wait", &None::<u64>);
            c.insert("login", "clerk@example.com");
            let html = views.render("login.html", &c).expect("login renders");
            assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{html}");
            assert!(html.contains(words), "{lang}: {html}");
            assert!(html.contains("name=\"csrf\" value=\"token\""));
            assert!(html.contains("<label for=\"password\">"));
            assert!(
                html.contains("value=\"clerk@example.com\""),
                "the login is kept"
            );
        }
    }

    #[test]
    fn an_empty_today_renders_with_the_menu_and_the_logout_form() {
        let views = Views::new().expect("templates load");
        let mut c = ctx("en");
        let user = crate::console::session::Identity {
            uid: 5,
            login: "clerk".into(),
            name: "Clerk".into(),
            lang: "en".into(),
            can_act: true,
            companies: vec![1],
        };
        c.insert("user", &Some(user));
        c.insert("page", "today");
        c.insert("as_of", "2026-11-22");
        c.insert("view", &crate::present::console::TodayView::default());
        c.insert("last", &None::<crate::present::console::RunLine>);
        c.insert("uncertain", &0);
        c.insert("pending", &None::<(i64, usize)>);
        c.insert("next_run", &None::<String>);
        c.insert("progress", &Some((3u64, 10u64)));
        let html = views.render("today.html", &c).expect("today renders");
        assert!(
            html.contains("http-equiv=\"refresh\""),
            "a run in progress refreshes"
        );
        assert!(html.contains("3 / 10"));
        assert!(html.contains("action=\"/logout\""));
        assert!(html.contains("aria-current=\"page\">Today"));
    }
}
