//! Every call relanced makes to Odoo, one by one, on real Odoo servers (18.0 over XML-RPC,
//! 19.0 over XML-RPC and over JSON-2): made through relanced's own library (the client
//! built from the configuration as the binary builds it) or its binary (`setup-odoo`,
//! `check`), and each answer read back by the administrator through Odoo's `/jsonrpc`.

#[macro_use]
#[path = "../real_odoo/support/mod.rs"]
pub mod support;

mod batch;
mod batch_notes;
mod book;
mod chatter;
mod check;
mod desk;
mod letterhead;
mod setup;
mod snapshot;
mod tags;

use relanced::config::{Config, LoadOptions};
use relanced::odoo::{Connection, OdooClient};
use support::{Db, Mail, Relanced, Target};

/// relanced's configuration and client for one user of a test database, as the binary
/// makes them (`odoo.page_size` overridden as from the environment).
pub struct Bot {
    pub relanced: Relanced,
    pub config: Config,
    pub client: OdooClient,
}

impl Bot {
    pub fn new(db: &Db, target: Target, login: &str, key: &str, page_size: usize) -> Self {
        Self::with(db, target, login, key, page_size, Mail::Files, "")
    }

    pub fn with(
        db: &Db,
        target: Target,
        login: &str,
        key: &str,
        page_size: usize,
        mail: Mail,
        body: &str,
    ) -> Self {
        let relanced = Relanced::new(db, target, login, key, mail, body);
        let options = LoadOptions {
            env: vec![
                ("RELANCED_TEST_KEY".to_owned(), key.to_owned()),
                (
                    "RELANCED__ODOO__PAGE_SIZE".to_owned(),
                    page_size.to_string(),
                ),
            ],
            credentials_dir: None,
            credentials_fallback: None,
        };
        let config = relanced::config::load(&relanced.config, &options)
            .unwrap_or_else(|e| panic!("the test configuration is invalid: {e:?}"));
        let key = config
            .secrets
            .odoo_api_key
            .clone()
            .expect("the key resolved");
        let connection = Connection::from_config(&config.odoo, key).expect("a connection");
        let client = OdooClient::new(connection).expect("a client");
        Self {
            relanced,
            config,
            client,
        }
    }
}
