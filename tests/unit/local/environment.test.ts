import { applyEnvironment, unionEnvironment } from '../../../local/environment';
import type { FunctionConfig } from '../../../local/serverless-config';

function fn(service: string, name: string, environment: Record<string, string>): FunctionConfig {
  return { service, name, environment, functionName: `${service}-local-${name}`, dir: '/x', handler: 'h.handler', timeout: 6, memorySize: 128, eventBridge: [], schedules: [], httpApi: [], websocket: [], cloudFormationEnvironment: [], role: { name: `${service}-local-${name}`, statements: [] } };
}

describe('unionEnvironment', () => {
  it('merges the functions’ environments, leaving NODE_OPTIONS out', () => {
    // Prepare
    const functions = [
      fn('centli-core-banking', 'balance', { BUS: 'b', ACCOUNTS: 'a', NODE_OPTIONS: '--enable-source-maps' }),
      fn('centli-payments', 'pay', { BUS: 'b', PAYMENTS: 'p', NODE_OPTIONS: '--other' }),
    ];

    // Act / Assess
    expect(unionEnvironment(functions)).toEqual({ BUS: 'b', ACCOUNTS: 'a', PAYMENTS: 'p' });
  });

  it('refuses two values for one variable, naming it, both functions and both values', () => {
    // Prepare
    const functions = [fn('centli-core-banking', 'balance', { LIMIT: '10' }), fn('centli-payments', 'pay', { LIMIT: '20' })];

    // Act / Assess
    expect(() => unionEnvironment(functions)).toThrow(
      'environment variable LIMIT differs between functions: centli-core-banking/balance sets "10", centli-payments/pay sets "20"',
    );
  });
});

describe('applyEnvironment', () => {
  it('sets variables and puts back what was there before', () => {
    // Prepare
    const env: NodeJS.ProcessEnv = { KEEP: 'kept', OVERRIDE: 'old' };

    // Act
    const restore = applyEnvironment({ OVERRIDE: 'new', ADDED: 'added' }, env);
    const during = { ...env };
    restore();

    // Assess
    expect(during).toEqual({ KEEP: 'kept', OVERRIDE: 'new', ADDED: 'added' });
    expect(env).toEqual({ KEEP: 'kept', OVERRIDE: 'old' });
  });
});
