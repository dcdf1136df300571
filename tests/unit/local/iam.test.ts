/**
 * The functions' roles as the local stack evaluates them (local/iam.ts): IAM's rules for the two
 * actions that shape what happens between the stack's parts, and the services' own roles, read
 * from their serverless.yml files (and so from the generated wiring).
 */
import { evaluateValue, exportsOf, LocalPermissions, type FunctionRole, type IamStatement } from '../../../local/iam';
import { loadServiceConfigs } from '../../../local/serverless-config';

const BUS = 'arn:aws:events:us-east-1:000000000000:event-bus/centli-event-bus-local';
const environment = { region: 'us-east-1', resources: {} };

function role(functionName: string, statements: IamStatement[]): FunctionRole {
  return { functionName, roleName: `${functionName}-role`, statements };
}

const answering: IamStatement = {
  Effect: 'Allow',
  Action: 'events:PutEvents',
  Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/centli-event-bus-local' },
  Condition: { 'ForAllValues:StringEquals': { 'events:source': ['centli.core-banking'] }, StringEquals: { 'events:detail-type': ['BALANCE_RESPONSE', 'BALANCE_FAILED'] } },
};

describe('evaluateValue', () => {
  it.each<[string, unknown, string | undefined]>([
    ['a string', 'arn:aws:lambda:us-east-1:000000000000:function:f', 'arn:aws:lambda:us-east-1:000000000000:function:f'],
    ['Fn::Sub over the pseudo parameters', { 'Fn::Sub': 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:f' }, 'arn:aws:lambda:us-east-1:000000000000:function:f'],
    ['Fn::Sub with its own variables', { 'Fn::Sub': ['a-${Name}-${AWS::Region}', { Name: 'x' }] }, 'a-x-us-east-1'],
    ['Fn::Join', { 'Fn::Join': ['/', ['a', { Ref: 'AWS::Region' }]] }, 'a/us-east-1'],
    ['a table, which the stack cannot name', { 'Fn::GetAtt': ['AccountsTable', 'Arn'] }, undefined],
    ['an import nobody exports', { 'Fn::ImportValue': 'nothing' }, undefined],
  ])('evaluates %s', (_name, value, expected) => {
    expect(evaluateValue(value, environment)).toBe(expected);
  });

  it("imports an event bus's ARN from the stack that exports it", () => {
    // Prepare
    const platform = {
      resources: { EventBus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'centli-event-bus-local' } } },
      outputs: { EventBusArn: { Value: { 'Fn::GetAtt': ['EventBus', 'Arn'] }, Export: { Name: 'centli-event-bus-arn-local' } } },
    };

    // Act
    const exports = exportsOf([platform], { region: 'us-east-1' });

    // Assess
    expect(evaluateValue({ 'Fn::ImportValue': 'centli-event-bus-arn-local' }, { ...environment, exports })).toBe(BUS);
  });
});

describe('LocalPermissions', () => {
  describe('putEvents', () => {
    const permissions = new LocalPermissions([role('balance', [answering]), role('connect', [{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: '*' }])], { region: 'us-east-1' });

    it('lets each entry through whose source and detail-type the conditions allow', () => {
      expect(permissions.putEvents('balance', BUS, [{ source: 'centli.core-banking', detailType: 'BALANCE_RESPONSE' }])).toEqual([undefined]);
    });

    it.each([
      ['a detail-type the role does not name', { source: 'centli.core-banking', detailType: 'TRANSFER_COMPLETED' }, 'NotAuthorizedForDetailTypeException'],
      ['a source the role does not name', { source: 'centli.crm', detailType: 'BALANCE_RESPONSE' }, 'NotAuthorizedForSourceException'],
      ['both, the source first', { source: 'centli.crm', detailType: 'TRANSFER_COMPLETED' }, 'NotAuthorizedForSourceException'],
    ])('refuses %s, that entry alone', (_name, entry, code) => {
      // Act
      const refusals = permissions.putEvents('balance', BUS, [entry, { source: 'centli.core-banking', detailType: 'BALANCE_FAILED' }]);

      // Assess
      expect(refusals).toEqual([expect.objectContaining({ ErrorCode: code }), undefined]);
    });

    it.each([
      ['a role without events:PutEvents', 'connect', BUS],
      ['a role that names another bus', 'balance', 'arn:aws:events:us-east-1:000000000000:event-bus/default'],
      ['a caller the stack does not run', 'centli-nobody-local-x', BUS],
    ])('refuses the whole call to %s', (_name, caller, bus) => {
      expect(() => permissions.putEvents(caller, bus, [])).toThrow(expect.objectContaining({ type: 'AccessDeniedException', status: 400, message: expect.stringContaining(`is not authorized to perform: events:PutEvents on resource: ${bus}`) }));
    });

    it('lets an explicit Deny win over an Allow', () => {
      // Prepare
      const denied = new LocalPermissions([role('balance', [answering, { Effect: 'Deny', Action: 'events:*', Resource: '*', Condition: { StringLike: { 'events:detail-type': ['*_FAILED'] } } }])], { region: 'us-east-1' });

      // Act
      const refusals = denied.putEvents('balance', BUS, [{ source: 'centli.core-banking', detailType: 'BALANCE_FAILED' }, { source: 'centli.core-banking', detailType: 'BALANCE_RESPONSE' }]);

      // Assess
      expect(refusals).toEqual([expect.objectContaining({ ErrorCode: 'AccessDeniedException' }), undefined]);
    });
  });

  describe('conditions', () => {
    const check = (condition: Record<string, Record<string, unknown>>, context: Record<string, string[]>) => {
      const conditioned = role('f', [{ Effect: 'Allow', Action: 's:Do', Resource: '*', Condition: condition }]);
      return new LocalPermissions([conditioned], { region: 'us-east-1' }).decide(conditioned, { action: 's:Do', resource: 'arn:x', context });
    };

    it.each<[string, Record<string, Record<string, unknown>>, Record<string, string[]>, string]>([
      ['StringEquals on a value it names', { StringEquals: { 'k:a': ['x', 'y'] } }, { 'k:a': ['y'] }, 'allow'],
      ['StringEquals on a missing key', { StringEquals: { 'k:a': 'x' } }, {}, 'implicit-deny'],
      ['StringNotEquals on a missing key', { StringNotEquals: { 'k:a': 'x' } }, {}, 'allow'],
      ['StringEqualsIfExists on a missing key', { StringEqualsIfExists: { 'k:a': 'x' } }, {}, 'allow'],
      ['StringLike with a wildcard', { StringLike: { 'k:a': 'CARD_*' } }, { 'k:a': ['CARD_LOCKED'] }, 'allow'],
      ['ForAllValues with one value outside', { 'ForAllValues:StringEquals': { 'k:a': ['x'] } }, { 'k:a': ['x', 'y'] }, 'implicit-deny'],
      ['ForAnyValue:StringNotEquals with one value outside', { 'ForAnyValue:StringNotEquals': { 'k:a': ['x'] } }, { 'k:a': ['x', 'y'] }, 'allow'],
      ['keys in any case', { StringEquals: { 'K:A': 'x' } }, { 'k:a': ['x'] }, 'allow'],
    ])('evaluates %s as IAM does', (_name, condition, context, expected) => {
      expect(check(condition, context)).toBe(expected);
    });

    it('refuses to start with an operator it cannot evaluate', () => {
      expect(() => new LocalPermissions([role('f', [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }])], { region: 'us-east-1' })).toThrow(
        'f: the local stack cannot evaluate the condition operator IpAddress',
      );
    });
  });

  describe('invoke', () => {
    const permissions = new LocalPermissions(
      [role('door', [{ Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:centli-cards-local-*' }] }])],
      { region: 'us-east-1' },
    );

    it('lets a role invoke the functions its resources name, wildcards included', () => {
      expect(() => permissions.invoke('door', 'arn:aws:lambda:us-east-1:000000000000:function:centli-cards-local-lock-card')).not.toThrow();
    });

    it('refuses any other with a 403 AccessDeniedException, as Lambda does', () => {
      expect(() => permissions.invoke('door', 'arn:aws:lambda:us-east-1:000000000000:function:centli-core-banking-local-charge-payment')).toThrow(
        expect.objectContaining({
          type: 'AccessDeniedException',
          status: 403,
          message:
            'User: arn:aws:sts::000000000000:assumed-role/door-role/door is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:000000000000:function:centli-core-banking-local-charge-payment because no identity-based policy allows the lambda:InvokeFunction action',
        }),
      );
    });
  });
});

describe("the services' roles, as the local stack reads them", () => {
  const services = loadServiceConfigs({ stage: 'local' });
  const permissions = new LocalPermissions(
    services.flatMap((service) => service.functions.map((fn) => ({ functionName: fn.functionName, roleName: fn.role.name, statements: fn.role.statements, resources: service.resources }))),
    { region: 'us-east-1', exports: exportsOf(services, { region: 'us-east-1' }) },
  );
  const fn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

  it('let the balance answer as Core Banking with its answers, and nothing else', () => {
    expect(
      permissions.putEvents('centli-core-banking-local-balance', BUS, [
        { source: 'centli.core-banking', detailType: 'BALANCE_RESPONSE' },
        { source: 'centli.core-banking', detailType: 'TRANSFER_COMPLETED' },
        { source: 'centli.agent-gateway', detailType: 'BALANCE_FAILED' },
      ]),
    ).toEqual([undefined, expect.objectContaining({ ErrorCode: 'NotAuthorizedForDetailTypeException' }), expect.objectContaining({ ErrorCode: 'NotAuthorizedForSourceException' })]);
  });

  it("let the chat put the doors' requests and not the services' answers", () => {
    expect(
      permissions.putEvents('centli-agent-gateway-local-respond', BUS, [
        { source: 'centli.agent-gateway', detailType: 'TRANSFER_REQUEST' },
        { source: 'centli.agent-gateway', detailType: 'TRANSFER_COMPLETED' },
      ]),
    ).toEqual([undefined, expect.objectContaining({ ErrorCode: 'NotAuthorizedForDetailTypeException' })]);
    expect(() => permissions.putEvents('centli-agent-gateway-local-connect', BUS, [])).toThrow(expect.objectContaining({ type: 'AccessDeniedException' }));
  });

  it('let the MCP server invoke the handlers of what the doors ask, and not a saga task or another door', () => {
    expect(() => permissions.invoke('centli-mcp-local-http', fn('centli-core-banking-local-balance'))).not.toThrow();
    expect(() => permissions.invoke('centli-mcp-local-agentcore-target', fn('centli-marketplace-local-purchase'))).not.toThrow();
    expect(() => permissions.invoke('centli-mcp-local-http', fn('centli-core-banking-local-charge-payment'))).toThrow(expect.objectContaining({ type: 'AccessDeniedException' }));
    expect(() => permissions.invoke('centli-mcp-local-http', fn('centli-agent-gateway-local-message'))).toThrow(expect.objectContaining({ type: 'AccessDeniedException' }));
    expect(() => permissions.invoke('centli-agent-gateway-local-message', fn('centli-core-banking-local-balance'))).toThrow(expect.objectContaining({ type: 'AccessDeniedException' }));
  });
});
