import { tellNotice } from '../../../../../services/agent-gateway/src/app/notices';
import { gatewayWorld, session } from '../fakes';

const notice = {
  detailType: 'SPEI_RECEIVED' as const,
  detail: {
    request_id: 'spei-in-BBVA2026120600001',
    correlation_id: 'spei-BBVA2026120600001',
    user_id: 'user-ana',
    account_id: 'acc-ana-nomina-4821',
    transaction_id: 'txn_spei_1',
    amount: 55000,
    currency: 'MXN',
    formatted_amount: '$550.00 MXN',
    sender_name: 'Juan Pérez',
    sender_bank: 'BBVA',
    concepto: 'renta diciembre',
    clave_rastreo: 'BBVA2026120600001',
    received_at: '2026-11-26T16:00:00.000Z',
  },
};

describe('tellNotice', () => {
  it('tells the customer on every socket they have open, each in its language, under one message id', async () => {
    // Prepare
    const w = gatewayWorld();
    w.sessions.open(session('conn-ana-laptop', 'user-ana', '2026-11-26T15:00:00.000Z'));
    w.sessions.open(session('conn-ana-phone', 'user-ana', '2026-11-26T15:05:00.000Z', { locale: 'en' }));
    w.sessions.open(session('conn-luis', 'user-luis', '2026-11-26T15:10:00.000Z'));

    // Act
    const reached = await tellNotice(notice, w.deps);

    // Assess
    expect(reached).toBe(2);
    const posts = w.connections.posts.map((p) => [p.connectionId, p.message.locale, p.message.text, p.message.message_id]).sort();
    expect(w.connections.posts.every((p) => p.message.notice === true)).toBe(true);
    expect(posts).toEqual([
      ['conn-ana-laptop', 'es', 'Recibiste $550.00 MXN de «Juan Pérez» («BBVA»): «renta diciembre», en tu cuenta ****4821.', 'notice.spei-in-BBVA2026120600001'],
      ['conn-ana-phone', 'en', 'You received $550.00 MXN from «Juan Pérez» («BBVA»): «renta diciembre», in your account ****4821.', 'notice.spei-in-BBVA2026120600001'],
    ]);
  });

  it('pushes a notice delivered twice twice, under the same message id, so a page shows it once', async () => {
    // Prepare
    const w = gatewayWorld();
    w.sessions.open(session('conn-ana-laptop', 'user-ana', '2026-11-26T15:00:00.000Z'));

    // Act
    await tellNotice(notice, w.deps);
    await tellNotice(notice, w.deps);

    // Assess
    expect(new Set(w.connections.posts.map((p) => p.message.message_id))).toEqual(new Set(['notice.spei-in-BBVA2026120600001']));
  });

  it('closes the session of a socket found gone, and says when no socket took it', async () => {
    // Prepare
    const w = gatewayWorld();
    w.sessions.open(session('conn-ana-gone', 'user-ana', '2026-11-26T15:00:00.000Z'));
    w.connections.gone.add('conn-ana-gone');

    // Act
    const reached = await tellNotice(notice, w.deps);

    // Assess
    expect(reached).toBe(0);
    expect((await w.sessions.get('conn-ana-gone'))?.status).toBe('closed');
    expect(w.logged.map((l) => l.message)).toContain('the customer has no open socket; the notice waits in their history');
  });
});
