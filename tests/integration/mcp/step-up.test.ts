/**
 * Step-up over MCP, against the local stack: set_mtu lowers the customer's MTU at once; raising
 * it answers an approval that needs the second factor, which the customer's own client dialog
 * never takes; once approved with a passkey through the approvals API (a software authenticator
 * answering its challenge, as the page does), the request carries the factor and Core Banking
 * applies it.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { closeClients, documents, endpoints, table } from '../support';
import { approveWithPasskey, call, connectHttp, connectStdio, structured, textOf, type ApprovalAnswer } from './support';

const USER = 'user-mateo';
const mtuOf = async () => (await documents().send(new GetCommand({ TableName: table('ledger-controls'), Key: { pk: `mtu#${USER}` }, ConsistentRead: true }))).Item?.mtu as number | undefined;
const approvalItem = async (id: string) => (await documents().send(new GetCommand({ TableName: table('approvals'), Key: { pk: `approval#${id}` }, ConsistentRead: true }))).Item;

describe('step-up over MCP', () => {
  const clients: Client[] = [];

  afterAll(async () => {
    // The seeded customer gets the default MTU back, for every other test.
    await documents().send(new DeleteCommand({ TableName: table('ledger-controls'), Key: { pk: `mtu#${USER}` } }));
    await Promise.all(clients.map((client) => client.close()));
    closeClients();
  });

  it('lowers the MTU at once, with no approval', async () => {
    // Prepare
    const client = await connectHttp(USER);
    clients.push(client);

    // Act
    const result = await call(client, 'set_mtu', { amount_text: '$10,000' });

    // Assess
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe('Listo: tu monto transaccional (MTU) ahora es de $10,000.00 MXN. Arriba de él, una transferencia o una compra pedirá tu segundo factor.');
    expect(await mtuOf()).toBe(1_000_000);
  });

  it('raises it only once approved on the page with the second factor, never through the client’s dialog', async () => {
    // Prepare: a desktop client that would accept anything its dialog asks.
    const elicited: string[] = [];
    const client = await connectStdio(USER, { elicitation: (message) => (elicited.push(message), 'accept') });
    clients.push(client);

    // Act
    const asked = structured(await call(client, 'set_mtu', { amount: 2_000_000 })) as unknown as ApprovalAnswer;
    const stored = await approvalItem(asked.approval_id);
    const before = await mtuOf();
    await approveWithPasskey(USER, asked.approval_id);
    const done = await call(client, 'set_mtu', { amount: 2_000_000, approval_id: asked.approval_id });

    // Assess
    expect(elicited).toEqual([]);
    expect(asked).toMatchObject({ status: 'approval_required', tool: 'set_mtu', approval_url: `${endpoints().approvals}?id=${asked.approval_id}` });
    expect(asked.summary).toContain('¿Subo tu monto transaccional (MTU) de $10,000.00 MXN a $20,000.00 MXN?');
    expect(stored).toMatchObject({ step_up: true, request: { detailType: 'MTU_SET_REQUEST', detail: { amount: 2_000_000 } } });
    expect(before).toBe(1_000_000);
    expect(done.isError).toBeFalsy();
    expect(structured(done)).toMatchObject({ mtu: { amount: 2_000_000, is_default: false } });
    expect(await mtuOf()).toBe(2_000_000);
  });

  it('refuses the raise in Core Banking when the approval carries no second factor', async () => {
    // Prepare
    const client = await connectHttp(USER);
    clients.push(client);
    const asked = structured(await call(client, 'set_mtu', { amount: 3_000_000 })) as unknown as ApprovalAnswer;
    await documents().send(
      new UpdateCommand({ TableName: table('approvals'), Key: { pk: `approval#${asked.approval_id}` }, UpdateExpression: 'SET #status = :approved', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':approved': 'approved' } }),
    );

    // Act
    const refused = await call(client, 'set_mtu', { amount: 3_000_000, approval_id: asked.approval_id });

    // Assess
    expect(refused.isError).toBe(true);
    expect(refused._meta?.code).toBe('MTU.SECOND_FACTOR_REQUIRED');
    expect(await mtuOf()).toBe(2_000_000);
  });
});
