# Helpers for the scripts the real-Odoo tests run inside Odoo (`odoo-shell`, `env` is the
# superuser's environment). A script builds its book with these, prints what the test
# needs as one line `JSON=...` and commits. Nothing here goes through relanced.
import datetime
import json

from odoo import Command

D = datetime.date.fromisoformat
GROUPS_FIELD = 'group_ids' if 'group_ids' in env['res.users']._fields else 'groups_id'
BILLING = ('account.group_account_invoice', 'base.group_partner_manager', 'base.group_user')


def make_user(login, groups=BILLING, email=True, companies=None, lang='en_US'):
    """An internal user with an API key (scope rpc); returns what a test needs of it."""
    companies = companies or [env.company]
    vals = {
        'name': login.split('@')[0].replace('-', ' ').title(),
        'login': login,
        'password': login + '-pw',
        GROUPS_FIELD: [Command.set([env.ref(g).id for g in groups])],
        'company_ids': [Command.set([c.id for c in companies])],
        'company_id': companies[0].id,
        'lang': lang,
    }
    if email:
        vals['email'] = login
    user = env['res.users'].with_context(no_reset_password=True).create(vals)
    if not email:
        user.partner_id.email = False
    key = env['res.users.apikeys'].with_user(user)._generate(
        'rpc', 'relanced tests', datetime.datetime.now() + datetime.timedelta(days=30))
    return {'login': login, 'uid': user.id, 'partner_id': user.partner_id.id,
            'key': key, 'password': login + '-pw'}


def currency(code):
    cur = env['res.currency'].with_context(active_test=False).search([('name', '=', code)], limit=1)
    cur.active = True
    return cur


def customer(name, email=None, lang='fr_FR', country='FR', company=None, salesperson=None,
             tags=(), is_company=True, ref=None, parent=None, type='contact'):
    vals = {
        'name': name,
        'email': email or False,
        'lang': lang,
        'country_id': env.ref('base.' + country.lower()).id,
        'is_company': is_company,
        'type': type,
        'street': '1 rue de la Paix',
        'zip': '75002',
        'city': 'Paris',
    }
    if company:
        vals['company_id'] = company.id
    if salesperson:
        vals['user_id'] = salesperson.id
    if ref:
        vals['ref'] = ref
    if parent:
        vals['parent_id'] = parent.id
    if tags:
        vals['category_id'] = [Command.set([tag(t).id for t in tags])]
    return env['res.partner'].create(vals)


def tag(name, color=0):
    found = env['res.partner.category'].search([('name', '=', name)], limit=1)
    return found or env['res.partner.category'].create({'name': name, 'color': color})


def invoice(partner, date, due, amount, cur='EUR', move_type='out_invoice', company=None, post=True):
    """A customer invoice (or credit note: move_type='out_refund') without taxes."""
    vals = {
        'move_type': move_type,
        'partner_id': partner.id,
        'invoice_date': D(date),
        'invoice_line_ids': [Command.create({
            'name': 'Prestation', 'quantity': 1, 'price_unit': amount,
            'tax_ids': [Command.set([])]})],
    }
    if due:
        vals['invoice_date_due'] = D(due)
    if cur != (company or env.company).currency_id.name:
        vals['currency_id'] = currency(cur).id
    move = env['account.move'].with_company(company or env.company).create(vals)
    if due:
        move.invoice_date_due = D(due)
    if post:
        move.action_post()
    return move


def pay(move, amount, date):
    """Registers a payment (on 18 the invoice is then paid without a reconciling entry)."""
    wizard = env['account.payment.register'].with_context(
        active_model='account.move', active_ids=move.ids).create(
        {'amount': amount, 'payment_date': D(date)})
    wizard.action_create_payments()


def postpone(record, until, note='Litige en cours'):
    """The postponement activity (type created if missing) on an invoice or a customer."""
    atype = env['mail.activity.type'].search([('name', '=', 'Relance : report')], limit=1)
    if not atype:
        atype = env['mail.activity.type'].create({'name': 'Relance : report'})
    return env['mail.activity'].create({
        'res_model_id': env['ir.model']._get_id(record._name),
        'res_id': record.id,
        'activity_type_id': atype.id,
        'date_deadline': D(until),
        'summary': note,
        'user_id': env.user.id,
    })


def company(name, country='BE', cur='EUR'):
    """Another company, in France, Belgium or the US only (the kit's localisations), with
    its chart of accounts loaded; the administrator may access it."""
    comp = env['res.company'].create({
        'name': name, 'country_id': env.ref('base.' + country.lower()).id,
        'currency_id': currency(cur).id})
    charts = env['account.chart.template']
    charts.try_loading(charts._guess_chart_template(comp.country_id), comp, install_demo=False)
    env.ref('base.user_admin').company_ids = [Command.link(comp.id)]
    return comp


def done(result):
    env.cr.commit()
    print('JSON=' + json.dumps(result))
