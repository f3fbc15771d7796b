# Run by tests/systemd_real.sh through `odoo-shell` (Python inside Odoo 19, `env` bound):
# the bot user of README "Configure Odoo", API keys for it and for the administrator, and
# customers with posted invoices: SMALL due 20 days ago (reminded by the first run), BIG
# due yesterday (reminded only once the test lowers the level's offset: the slow run that
# is stopped half-way).
import datetime
import os

today = datetime.date.today()
small, big = int(os.environ['BOOK_SMALL']), int(os.environ['BOOK_BIG'])
groups = [env.ref(x).id for x in ('account.group_account_invoice',
                                  'base.group_partner_manager', 'base.group_user')]
bot = env['res.users'].create({
    'name': 'Relance Bot', 'login': 'relance-bot@example.com', 'password': 'not-used-1234',
    'email': 'relance-bot@example.com', 'group_ids': [(6, 0, groups)],
    'company_ids': [(6, 0, [1])], 'company_id': 1,
})
fr = env.ref('base.fr')


def book(prefix, count, due_days_ago):
    partners = env['res.partner'].create([{
        'name': f'{prefix} {i:04d} SARL', 'email': f'{prefix.lower()}{i}@example.com',
        'is_company': True, 'street': f'{i + 1} rue de la Paix', 'zip': '75002',
        'city': 'Paris', 'country_id': fr.id, 'lang': 'fr_FR',
    } for i in range(count)])
    moves = env['account.move'].create([{
        'move_type': 'out_invoice', 'partner_id': p.id,
        'invoice_date': today - datetime.timedelta(days=due_days_ago + 30),
        'invoice_date_due': today - datetime.timedelta(days=due_days_ago),
        'invoice_line_ids': [(0, 0, {'name': 'Prestation', 'quantity': 1,
                                     'price_unit': 100 + i, 'tax_ids': [(6, 0, [])]})],
    } for i, p in enumerate(partners)])
    moves.action_post()
    return partners


small_partners = book('Petit', small, 20)
big_partners = book('Grand', big, 1)
expires = datetime.datetime.now() + datetime.timedelta(days=2)
bot_key = env['res.users.apikeys'].with_user(bot)._generate('rpc', 'relanced systemd test', expires)
admin = env['res.users'].browse(2)
admin_key = env['res.users.apikeys'].with_user(admin)._generate('rpc', 'relanced setup', expires)
env.cr.commit()
print('SMALL=' + ','.join(str(p.id) for p in small_partners))
print('BIG=' + ','.join(str(p.id) for p in big_partners))
print('BOT_KEY=' + bot_key)
print('ADMIN_KEY=' + admin_key)
