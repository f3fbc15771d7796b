//! The book every test of this binary copies: two companies (France, Belgium), a bot user
//! allowed on both and one allowed on France only, a user with none of the bot's groups
//! but Internal User, a user without email, an administrator for `setup-odoo`, customers with invoice contacts,
//! tags, a marker without debt, and postponements on an invoice and on a customer.

use crate::Bot;
use crate::support::{Db, Target};
use serde_json::Value;

pub const BOOK: &str = r#"
fr = env.company
be = company('Relance Test BE SRL', 'BE')
users = {
    'bot': make_user('relance-bot@relance-test.example', companies=[fr, be]),
    'bot_fr': make_user('bot-fr@relance-test.example', companies=[fr]),
    'seller': make_user('vendeur@relance-test.example'),
    'nomail': make_user('sans-courriel@relance-test.example', email=False),
    'nobill': make_user('sans-facturation@relance-test.example', groups=('base.group_user',)),
    'admin': make_user('installateur@relance-test.example',
                       groups=('base.group_system', 'base.group_partner_manager', 'base.group_user')),
}
tag('VIP', 4)
tag('Relance 1', 10)
c = {}
c['contacts'] = customer('Atelier Contacts SAS', email='direction@contacts.example')
billing = customer('Service Comptable', email='compta@contacts.example', parent=c['contacts'],
                   type='invoice', is_company=False)
customer('Jean Atelier', email='jean@contacts.example', parent=c['contacts'], is_company=False)
c['tagged'] = customer('Tagué SARL', email='compta@tague.example', tags=('VIP', 'Relance 1'))
c['inv_postponed'] = customer('Litige Bernard', email='compta@bernard.example')
c['cust_postponed'] = customer('Promesse Petit', email='compta@petit.example')
c['plain'] = customer('Menuiserie Dubois', email='compta@dubois.example')
c['marked'] = customer('Marqué Sans Dette', tags=('Relance 1',))
items = []
for k, amount in [('contacts', 2400), ('tagged', 110), ('inv_postponed', 120),
                  ('cust_postponed', 130), ('plain', 140), ('plain', 55)]:
    m = invoice(c[k], '2026-10-01', '2026-10-31', amount)
    items.append({'customer': c[k].id, 'move': m.id, 'name': m.name, 'amount': amount})
postpone(env['account.move'].browse(items[2]['move']), '2027-01-31')
postpone(c['cust_postponed'], '2027-02-28', note='Promesse de paiement')
c['be1'] = customer('Brasserie Peeters BV', email='boekhouding@peeters.example', lang='nl_BE',
                    country='BE', company=be)
c['be2'] = customer('Chocolaterie Dupont SRL', email='compta@dupont.example', country='BE',
                    company=be)
be_items = [invoice(c[k], '2026-10-01', '2026-10-31', 700, company=be).id for k in ('be1', 'be2')]
done({'users': users, 'c': {k: v.id for k, v in c.items()}, 'billing': billing.id,
      'items': items, 'be': be.id, 'be_items': be_items})
"#;

/// A copy of the book and what its script returned.
pub struct Book {
    pub db: Db,
    pub json: Value,
    pub target: Target,
}

impl Book {
    pub fn copy(target: Target) -> Self {
        let (db, json) = target.server().copy_of("calls", BOOK);
        Self { db, json, target }
    }

    /// A customer's id by its name in the script.
    pub fn customer(&self, name: &str) -> i64 {
        self.json["c"][name].as_i64().expect(name)
    }

    pub fn user(&self, name: &str) -> &Value {
        &self.json["users"][name]
    }

    pub fn login_key(&self, user: &str) -> (String, String) {
        crate::support::bot_of(&self.json["users"], user)
    }

    /// relanced's client as `user`, reading `page_size` records a page.
    pub fn bot(&self, user: &str, page_size: usize) -> Bot {
        let (login, key) = self.login_key(user);
        Bot::new(&self.db, self.target, &login, &key, page_size)
    }

    pub fn be(&self) -> i64 {
        self.json["be"].as_i64().expect("be")
    }
}
