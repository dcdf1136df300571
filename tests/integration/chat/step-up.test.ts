/**
 * Step-up in the chat, end to end over the WebSocket: above the customer's MTU a "sí" is no
 * second factor, so the chat answers with the approval page's link and moves nothing; once the
 * customer approved there with their passkey (here the approval item as the page's decision
 * writes it), their "sí" sends the transfer once, carrying the factor.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { approveWithPasskey } from '../mcp/support';
import { balancesOf, closeClients, documents, table, type TestAccount } from '../support';
import { ChatClient, type ServerMessage } from './support';

const ANA_NOMINA: TestAccount = { user_id: 'user-ana', account_id: 'acc-ana-nomina-4821', balance: 0 };
const CARLOS_NOMINA: TestAccount = { user_id: 'user-carlos', account_id: 'acc-carlos-nomina-3954', balance: 0 };

describe('the chat above the customer’s MTU', () => {
  const clients: ChatClient[] = [];

  // Ana lowers her MTU to MXN 50.00 for this file (lowering needs no factor), and gets the default back after it.
  beforeAll(() => documents().send(new PutCommand({ TableName: table('ledger-controls'), Item: { pk: 'mtu#user-ana', user_id: 'user-ana', currency: 'MXN', mtu: 5_000, updated_at: new Date().toISOString() } })));
  afterAll(async () => {
    await documents().send(new DeleteCommand({ TableName: table('ledger-controls'), Key: { pk: 'mtu#user-ana' } }));
    for (const client of clients) client.close();
    closeClients();
  });

  it('answers with the approval link instead of a confirmation, and after the passkey approval a "sí" moves the money once', async () => {
    // Prepare
    const ana = await ChatClient.open('user-ana');
    clients.push(ana);
    const before = await balancesOf([ANA_NOMINA, CARLOS_NOMINA]);

    // Act: asked, and a yes before approving on the page
    const asked = (await ana.ask('Transfiere 100 pesos a mi hermano')) as ServerMessage & { approval_url?: string };
    const early = await ana.ask('sí');
    const untouched = await balancesOf([ANA_NOMINA, CARLOS_NOMINA]);
    // Act: the page's decision with her passkey (through the approvals API), then her yes, twice
    const approvalId = new URL(String(asked.approval_url)).searchParams.get('id') as string;
    await approveWithPasskey('user-ana', approvalId);
    const done = await ana.ask('sí');
    const again = await ana.ask('sí');

    // Assess
    expect(asked).toMatchObject({ kind: 'answer', text: expect.stringContaining('Rebasa tu monto transaccional (MTU), así que necesita tu segundo factor') });
    expect(asked.text).toContain('¿Transfiero $100.00 MXN a Carlos García (hermano)');
    expect(early).toMatchObject({ kind: 'error', text: expect.stringContaining('Aún no lo apruebas con tu llave de acceso') });
    expect(untouched).toEqual(before);
    expect(done).toMatchObject({ kind: 'answer', correlation_id: asked.correlation_id, text: expect.stringMatching(/^Listo: transferí \$100\.00 MXN a la cuenta \*\*\*\*3954\./) });
    expect(again).toMatchObject({ kind: 'answer', text: 'No hay nada pendiente de confirmar.' });
    const after = await balancesOf([ANA_NOMINA, CARLOS_NOMINA]);
    expect(after.get(ANA_NOMINA.account_id)).toBe((before.get(ANA_NOMINA.account_id) as number) - 10_000);
    expect(after.get(CARLOS_NOMINA.account_id)).toBe((before.get(CARLOS_NOMINA.account_id) as number) + 10_000);
  });

  it('declines the approval when the customer says "no" in the chat: the page can no longer approve it, and nothing moves', async () => {
    // Prepare
    const ana = await ChatClient.open('user-ana');
    clients.push(ana);
    const before = await balancesOf([ANA_NOMINA, CARLOS_NOMINA]);
    const asked = (await ana.ask('Transfiere 100 pesos a mi hermano')) as ServerMessage & { approval_url?: string };
    const approvalId = new URL(String(asked.approval_url)).searchParams.get('id') as string;

    // Act
    const no = await ana.ask('no');
    const approval = await documents().send(new GetCommand({ TableName: table('approvals'), Key: { pk: `approval#${approvalId}` }, ConsistentRead: true }));

    // Assess
    expect(no).toMatchObject({ correlation_id: asked.correlation_id });
    expect(approval.Item).toMatchObject({ status: 'declined', decided_via: 'chat' });
    expect(await balancesOf([ANA_NOMINA, CARLOS_NOMINA])).toEqual(before);
  });
});
