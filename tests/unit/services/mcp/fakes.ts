/**
 * In-memory stand-ins for the MCP server's adapters, passed through `deps`: a service caller that
 * answers by detail-type and records (and schema-checks) every request it gets, an approvals
 * store that keeps the rules of lib/tools/adapters/approval-store.ts, a clock that only moves
 * when told to, and the runner's deps built from them.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { formatMoney } from '@centli/pure/money';
import type { SchemaViolation } from '@centli/schemas';
import type { IdentifiedRequest, ServiceCaller } from '@centli/tools/adapters/service-caller';
import type { ToolAnswer } from '@centli/tools/plan';
import type { ToolRunnerDeps } from '../../../../services/mcp/src/app/tool-runner';
import { FakeApprovalStore, FakeClock, NOW, violationOf } from '../../support/fakes';

export { FakeApprovalStore, FakeClock, NOW, violationOf };

type Detail = Record<string, unknown>;
const copy = <T>(value: T): T => structuredClone(value);

/** Answers one request; the ids of the request are echoed onto the answer, as services do. */
export type Responder = (request: IdentifiedRequest) => ToolAnswer[] | Promise<ToolAnswer[]>;

/** An answer of `detailType` to whatever was asked, with the request's ids. */
export function reply(detailType: string, detail: Detail | ((request: IdentifiedRequest) => Detail)): Responder {
  return (request) => {
    const { request_id, correlation_id, user_id } = request.detail;
    const body = typeof detail === 'function' ? detail(request) : detail;
    const answer = { detailType, detail: { request_id, correlation_id, user_id, ...copy(body) } };
    const violation = violationOf(detailType, answer.detail);
    if (violation) throw new Error(`the fake's ${detailType} answer does not match its schema: ${violation.message}`);
    return [answer];
  };
}

/**
 * A ServiceCaller whose services answer from a table by request detail-type. A list of responders
 * answers in turn, its last one for good.
 */
export class FakeServiceCaller implements ServiceCaller {
  readonly requests: IdentifiedRequest[] = [];
  readonly violations: Array<{ detailType: string; violation: SchemaViolation }> = [];
  private readonly table: Map<string, Responder[]>;

  constructor(table: Record<string, Responder | Responder[]>) {
    this.table = new Map(Object.entries(table).map(([type, r]) => [type, Array.isArray(r) ? [...r] : [r]]));
  }

  async call(request: IdentifiedRequest): Promise<ToolAnswer[]> {
    this.requests.push(copy(request));
    const violation = violationOf(request.detailType, request.detail);
    if (violation) this.violations.push({ detailType: request.detailType, violation });
    const responders = this.table.get(request.detailType);
    if (!responders || responders.length === 0) throw new Error(`the fake has no answer for ${request.detailType}`);
    const responder = (responders.length > 1 ? responders.shift() : responders[0]) as Responder;
    return responder(copy(request));
  }

  /** The requests of one detail-type, in order. */
  sent(detailType: string): IdentifiedRequest[] {
    return this.requests.filter((r) => r.detailType === detailType);
  }
}

/** Where the runner sends a customer to approve, in these tests. */
export const APPROVAL_PAGE = 'https://centli.example/approve.html';

/** The runner's deps over the fakes; `sleep` moves the clock instead of waiting. */
export function fakeRunnerDeps(caller: ServiceCaller, approvals: FakeApprovalStore, clock: FakeClock, overrides: Partial<ToolRunnerDeps> = {}): ToolRunnerDeps & { sleeps: number[]; logged: Array<[string, Record<string, unknown> | undefined]> } {
  let next = 0;
  const sleeps: number[] = [];
  const logged: Array<[string, Record<string, unknown> | undefined]> = [];
  return {
    caller,
    approvals,
    approvalPage: APPROVAL_PAGE,
    now: clock.now,
    newId: () => `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}`,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    },
    purchaseWaitMs: 8000,
    log: (message, attributes) => logged.push([message, attributes]),
    ...overrides,
    sleeps,
    logged,
  };
}

/** A MAC signer/verifier with a key of its own: `verify` is true only for what `sign` made. */
export class FakeMac {
  readonly signed: Buffer[] = [];

  constructor(private readonly key = 'centli-test-identity-key') {}

  sign = async (message: Buffer): Promise<string> => {
    this.signed.push(Buffer.from(message));
    return createHmac('sha256', this.key).update(message).digest('base64');
  };

  verify = async (message: Buffer, mac: string): Promise<boolean> => {
    const expected = createHmac('sha256', this.key).update(message).digest();
    const given = Buffer.from(mac, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
}

// Realistic answers, from seed/data.

export const account = (account_id: string, name: string, balance: number, fields: Detail = {}) => ({
  account_id,
  name,
  type: 'checking',
  status: 'active',
  balance,
  currency: 'MXN',
  formatted_balance: formatMoney(balance, 'MXN'),
  ...fields,
});

/** Each customer's accounts, as Core Banking answers a BALANCE_QUERY for them. */
export const ACCOUNTS: Record<string, Detail[]> = {
  'user-ana': [account('acc-ana-nomina-4821', 'Cuenta Nómina', 18550075), account('acc-ana-ahorro-7305', 'Ahorro', 125000000, { type: 'savings' })],
  'user-carlos': [account('acc-carlos-nomina-3954', 'Cuenta Nómina', 2310000)],
  'user-luis': [account('acc-luis-nomina-1532', 'Cuenta Nómina', 1250)],
};

export const balances: Responder = reply('BALANCE_RESPONSE', (request) => {
  const accounts = ACCOUNTS[request.detail.user_id] ?? [];
  const total = accounts.reduce((sum, a) => sum + Number(a.balance), 0);
  return { accounts, totals: accounts.length ? [{ currency: 'MXN', balance: total, formatted_balance: formatMoney(total, 'MXN') }] : [] };
});

/** Core Banking's registered holders (Confirmation of Payee), as seed/data/accounts.json has them. */
const HOLDERS: Record<string, { user_id: string; holder_name: string }> = {
  'acc-ana-nomina-4821': { user_id: 'user-ana', holder_name: 'Ana García' },
  'acc-ana-ahorro-7305': { user_id: 'user-ana', holder_name: 'Ana García' },
  'acc-carlos-nomina-3954': { user_id: 'user-carlos', holder_name: 'Carlos García' },
  'acc-luis-nomina-1532': { user_id: 'user-luis', holder_name: 'Luis Hernández' },
  'acc-mateo-nomina-5178': { user_id: 'user-mateo', holder_name: 'Mateo López' },
};

export const holders: Responder = (request) => {
  const holder = HOLDERS[String(request.detail.account_id)];
  if (!holder) return reply('ACCOUNT_HOLDER_FAILED', { reason: 'PAYEE.ACCOUNT_NOT_FOUND', message: 'There is no Centli account with that number.', field: 'account_id' })(request);
  return reply('ACCOUNT_HOLDER_RESPONSE', { account_id: request.detail.account_id, own: holder.user_id === request.detail.user_id, holder_name: holder.holder_name })(request);
};

export const HERMANO = { beneficiary_id: 'ben_ana_hermano', name: 'Carlos García', alias: 'hermano', account_id: 'acc-carlos-nomina-3954' };

export const resolvesHermano: Responder = reply('ALIAS_RESOLUTION_RESPONSE', (request) => ({ alias: String(request.detail.alias), status: 'resolved', beneficiary: HERMANO }));

export const transferCompleted: Responder = reply('TRANSFER_COMPLETED', (request) => ({
  transaction_id: `tx-${String(request.detail.request_id).slice(0, 20)}`,
  from_account_id: request.detail.from_account_id,
  to_account_id: request.detail.to_account_id,
  amount: request.detail.amount,
  currency: request.detail.currency,
  formatted_amount: formatMoney(Number(request.detail.amount), String(request.detail.currency)),
  completed_at: NOW.toISOString(),
}));
