import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Ajv from 'ajv';
import { allSchemas } from '@centli/schemas/registry';
import { formSchemas } from '@centli/schemas/validators/generate';
import { detailValidator, eventSchemas, isDetailType, taskSchemas, taskValidator, validateEnvelope } from '@centli/schemas';

describe('schemas/generated.ts', () => {
  it('is what the schemas generate (run `npm run schemas` after changing one)', () => {
    // In a child process: the generator's formatter loads ESM, which jest's sandbox cannot.
    const root = join(__dirname, '..', '..', '..');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'schemas/generate.ts', '--check'], { cwd: root, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

describe('every schema', () => {
  // The runtime registry skips meta-schema validation to keep cold starts short; this is where it happens.
  it.each([...allSchemas, ...formSchemas].map((schema) => [schema.$id, schema]))('%s is a valid JSON Schema', (_, schema) => {
    const ajv = new Ajv({ strict: true });
    expect(ajv.validateSchema(schema)).toBe(true);
    expect(ajv.errors).toBeNull();
  });

  it('compiles in strict mode, for every detail-type and every task', () => {
    for (const detailType of Object.keys(eventSchemas)) {
      expect(isDetailType(detailType)).toBe(true);
      if (isDetailType(detailType)) expect(() => detailValidator(detailType)).not.toThrow();
    }
    for (const task of Object.keys(taskSchemas) as (keyof typeof taskSchemas)[]) {
      expect(() => taskValidator(task, 'input')).not.toThrow();
      expect(() => taskValidator(task, 'output')).not.toThrow();
    }
  });
});

describe('detailValidator', () => {
  const validTransfer = {
    request_id: 'req-1',
    correlation_id: 'corr-1',
    user_id: 'user-ana',
    from_account_id: 'acc-ana-nomina-4821',
    to_account_id: 'acc-carlos-nomina-3954',
    amount: 10000,
    currency: 'MXN',
  };
  const check = detailValidator('TRANSFER_REQUEST');

  it('accepts a valid transfer request', () => {
    expect(check(validTransfer)).toBeUndefined();
  });

  it.each([
    ['a missing field', { ...validTransfer, amount: undefined }, 'amount', 'amount is required'],
    ['a fractional amount', { ...validTransfer, amount: 100.5 }, 'amount', 'amount must be integer'],
    ['a negative amount', { ...validTransfer, amount: -100 }, 'amount', 'amount must be >= 1'],
    ['a zero amount', { ...validTransfer, amount: 0 }, 'amount', 'amount must be >= 1'],
    ['an amount given as text', { ...validTransfer, amount: '100' }, 'amount', 'amount must be integer'],
    ['a lowercase currency', { ...validTransfer, currency: 'mxn' }, 'currency', 'currency must match pattern "^[A-Z]{3}$"'],
    ['an unknown field', { ...validTransfer, ammount: 5 }, 'ammount', 'ammount is not a known field'],
    ['a user id that is not a string', { ...validTransfer, user_id: 42 }, 'user_id', 'user_id must be string'],
  ])('names the field for %s', (_, detail, field, message) => {
    expect(check(JSON.parse(JSON.stringify(detail)))).toEqual({ field, message });
  });

  it.each([
    ['installments without the monthly payment approved', { installments: 6 }, 'monthly_amount', 'monthly_amount is required with installments'],
    ['a monthly payment without installments', { monthly_amount: 249_984 }, 'installments', 'installments is required with monthly_amount'],
  ])('names the missing field of a purchase request with %s', (_, plan, field, message) => {
    // Prepare
    const purchase = { request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana', product_id: 'p', retailer_id: 'r', quantity: 1, account_id: 'a', total: 1_499_900, currency: 'MXN' };

    // Act
    const violation = detailValidator('PURCHASE_REQUEST')({ ...purchase, ...plan });

    // Assess
    expect(violation).toEqual({ field, message });
  });

  it('has a schema with an $id for every detail-type', () => {
    for (const [detailType, schema] of Object.entries(eventSchemas)) {
      expect(schema.$id).toBe(`https://centli.dev/schemas/events/${detailType}.schema.json`);
    }
  });
});

describe('validateEnvelope', () => {
  it('requires an id, a centli source, a detail-type and an object detail', () => {
    expect(validateEnvelope({ id: '1', source: 'centli.agent-gateway', 'detail-type': 'BALANCE_QUERY', detail: {} })).toBeUndefined();
    expect(validateEnvelope({ id: '1', source: 'aws.ec2', 'detail-type': 'BALANCE_QUERY', detail: {} })?.field).toBe('source');
    expect(validateEnvelope({ id: '1', source: 'centli.x', 'detail-type': 'BALANCE_QUERY', detail: 'text' })?.field).toBe('detail');
  });
});
