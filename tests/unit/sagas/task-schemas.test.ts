import { isTaskName, taskSchemas, taskValidator } from '@centli/schemas';

describe('taskValidator', () => {
  it('has an input and an output schema with an $id for every task', () => {
    for (const [task, { input, output }] of Object.entries(taskSchemas)) {
      expect(isTaskName(task)).toBe(true);
      expect(input.$id).toBe(`https://centli.dev/schemas/tasks/${task}.input.schema.json`);
      expect(output.$id).toBe(`https://centli.dev/schemas/tasks/${task}.output.schema.json`);
    }
    expect(isTaskName('transfer')).toBe(false);
  });

  it('checks the embedded PURCHASE_REQUEST against its own schema', () => {
    const check = taskValidator('reserve-inventory', 'input');
    const request = { request_id: 'r', correlation_id: 'c', user_id: 'u', product_id: 'p', retailer_id: 'ret', quantity: 1, account_id: 'a', total: 999_900, currency: 'MXN' };
    const valid = { purchase_id: 'pur_1', correlation_id: 'c', started_at: '2026-11-22T16:00:00.000Z', request };
    expect(check(valid)).toBeUndefined();
    expect(check({ ...valid, request: { ...request, quantity: 11 } })).toEqual({ field: 'request.quantity', message: 'request.quantity must be <= 10' });
    expect(check({ ...valid, request: { ...request, total: undefined } })).toEqual({ field: 'request.total', message: 'request.total is required' });
    expect(check({ ...valid, started_at: 'yesterday' })).toEqual({ field: 'started_at', message: 'started_at must match format "date-time"' });
  });
});
