/**
 * followSpeiTransfer (lib/tools/follow.ts): what the doors that answer once (MCP, the phone) tell
 * after a SPEI transfer started, from the transfer's status, within a bounded wait.
 */
import { detailValidator, isDetailType } from '@centli/schemas';
import { followSpeiTransfer } from '@centli/tools/follow';
import type { ToolAnswer, ToolRequest } from '@centli/tools/plan';

const IDS = { request_id: 'approval-ap_1', correlation_id: 'mcp-1', user_id: 'user-ana' };
const REQUEST: ToolRequest = {
  detailType: 'SPEI_TRANSFER_REQUEST',
  detail: { ...IDS, from_account_id: 'acc-ana-nomina-4821', to_clabe: '002180012345678906', beneficiary_name: 'María Elena Ruiz', amount: 15_000, currency: 'MXN' },
};
const STARTED: ToolAnswer = { detailType: 'SPEI_TRANSFER_STARTED', detail: { ...IDS, transfer_id: 'spei-abc', clave_rastreo: 'CENTLI123', started_at: '2026-12-06T16:00:00.000Z' } };

function status(state: string, more: Record<string, unknown> = {}): ToolAnswer {
  const detail = {
    ...IDS,
    transfer_id: 'spei-abc',
    status: state,
    cep: {
      date: '2026-12-06',
      sending_bank: 'Centli',
      receiving_bank: 'Banamex',
      beneficiary_name: 'María Elena Ruiz',
      beneficiary_account_ending: '8906',
      amount: 15_000,
      currency: 'MXN',
      formatted_amount: '$150.00 MXN',
      clave_rastreo: 'CENTLI123',
      check_url: 'https://www.banxico.org.mx/cep/',
    },
    updated_at: '2026-12-06T16:00:01.000Z',
    ...more,
  };
  expect(detailValidator('TRANSFER_STATUS_RESPONSE')(detail)).toBeUndefined();
  return { detailType: 'TRANSFER_STATUS_RESPONSE', detail };
}

/** A clock the sleeps move on, and a status service answering from a script, one answer per ask. */
function world(answers: Array<ToolAnswer | Error>) {
  let now = Date.parse('2026-12-06T16:00:00.000Z');
  const asked: Array<{ query: ToolRequest; attempt: number }> = [];
  return {
    asked,
    options: {
      ask: async (query: ToolRequest, attempt: number) => {
        asked.push({ query, attempt });
        const next = answers.length > 1 ? answers.shift() : answers[0];
        if (next instanceof Error) throw next;
        return next as ToolAnswer;
      },
      now: () => new Date(now),
      sleep: async (ms: number) => {
        now += ms;
      },
      waitMs: 3_000,
    },
  };
}

const valid = (answer: ToolAnswer) => (isDetailType(answer.detailType) ? detailValidator(answer.detailType)(answer.detail) : 'not a detail-type');

describe('followSpeiTransfer', () => {
  it('answers SPEI_TRANSFER_SENT with the clave de rastreo once the status says the order was sent, asking by the transfer id', async () => {
    // Prepare
    const { options, asked } = world([status('in_transit'), status('in_transit', { sent_at: '2026-12-06T16:00:00.500Z' })]);

    // Act
    const answer = await followSpeiTransfer(STARTED, REQUEST, options);

    // Assess
    expect(answer).toEqual({
      detailType: 'SPEI_TRANSFER_SENT',
      detail: {
        ...IDS,
        transfer_id: 'spei-abc',
        clave_rastreo: 'CENTLI123',
        from_account_id: 'acc-ana-nomina-4821',
        to_clabe: '002180012345678906',
        beneficiary_name: 'María Elena Ruiz',
        receiving_bank: 'Banamex',
        amount: 15_000,
        currency: 'MXN',
        formatted_amount: '$150.00 MXN',
        sent_at: '2026-12-06T16:00:00.500Z',
      },
    });
    expect(valid(answer)).toBeUndefined();
    expect(asked).toEqual([
      { query: { detailType: 'TRANSFER_STATUS_QUERY', detail: { transfer_id: 'spei-abc' } }, attempt: 1 },
      { query: { detailType: 'TRANSFER_STATUS_QUERY', detail: { transfer_id: 'spei-abc' } }, attempt: 2 },
    ]);
  });

  it.each<[string, string, Record<string, unknown>]>([
    ['returned', 'SPEI.RETURNED', { return_reason: 'cuenta_inexistente' }],
    ['timed_out', 'SPEI.TIMED_OUT', {}],
  ])('answers a %s transfer as TRANSFER_FAILED (%s), the money given back', async (state, reason, more) => {
    // Prepare
    const { options } = world([status(state, { sent_at: '2026-12-06T16:00:00.500Z', ...more })]);

    // Act
    const answer = await followSpeiTransfer(STARTED, REQUEST, options);

    // Assess
    expect(answer).toMatchObject({ detailType: 'TRANSFER_FAILED', detail: { ...IDS, reason, params: { bank: 'Banamex', amount: { amount: 15_000, currency: 'MXN' }, clave_rastreo: 'CENTLI123', ...more } } });
    expect(valid(answer)).toBeUndefined();
  });

  it('answers a settled status as it is', async () => {
    // Prepare
    const settled = status('settled', { sent_at: '2026-12-06T16:00:00.500Z', settled_at: '2026-12-06T16:00:01.000Z' });
    const { options } = world([settled]);

    // Act, Assess
    await expect(followSpeiTransfer(STARTED, REQUEST, options)).resolves.toBe(settled);
  });

  it('answers SPEI_TRANSFER_STARTED (under way, by its transfer id) when nothing more is known within the wait, asking a bounded number of times', async () => {
    // Prepare: never sent, or not yet recorded
    const { options, asked } = world([{ detailType: 'TRANSFER_STATUS_FAILED', detail: { correlation_id: 'mcp-1', reason: 'TRANSFER_STATUS.NOT_FOUND', message: 'Not found.' } }, status('in_transit')]);

    // Act
    const answer = await followSpeiTransfer(STARTED, REQUEST, options);

    // Assess
    expect(answer).toBe(STARTED);
    expect(asked.length).toBeGreaterThan(1);
    expect(asked.length).toBeLessThanOrEqual(6);
  });

  it('answers SPEI_TRANSFER_STARTED, never “nothing was done”, when the status cannot be asked', async () => {
    // Prepare
    const { options } = world([new Error('the function timed out')]);

    // Act, Assess
    await expect(followSpeiTransfer(STARTED, REQUEST, options)).resolves.toBe(STARTED);
  });
});
