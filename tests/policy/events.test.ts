/**
 * The bus's trust boundary, read off the packaged templates and held to the contracts
 * (tests/policy/contracts.ts: the requests' routes, the tool registry, the plans' queries and
 * serverless.common.yml): only the front doors may ask a service to act for a customer, each
 * handler's rule accepts exactly the requests routed to it, each role puts only its own source and
 * exactly the detail-types it answers, the chat hears exactly the answers to what the doors ask, the
 * MCP server invokes exactly the functions that handle those, the bus itself refuses other accounts
 * and other sources, and every delivery retries into a dead-letter queue.
 */
import {
  ANSWER_SOURCES,
  DOOR_ANSWERS,
  DOOR_HANDLERS,
  DOOR_REQUESTS,
  FRONT_DOORS,
  functionLogicalId,
  HANDLERS,
  NOTICES,
  ROUTES,
  SAGAS,
  SOURCES,
} from './contracts';
import {
  actionsOf,
  CHECKED_STAGE,
  functionsByRole,
  knownDetailTypes,
  list,
  loadTemplates,
  referenced,
  resourcesOfType,
  sourceOf,
  statementsOf,
  type PolicyStatement,
  type Resource,
  type Template,
} from './templates';

const templates = loadTemplates();
const requests = new Set<string>(ROUTES.map((route) => route.request));

const putEvents = (template: Template): PolicyStatement[] =>
  statementsOf(template).filter((found) => found.holderType === 'AWS::IAM::Role' && found.statement.Effect === 'Allow' && actionsOf(found.statement).includes('events:PutEvents'));

const detailTypesOf = (found: PolicyStatement | undefined): string[] => [...list(found?.statement.Condition?.StringEquals?.['events:detail-type'] as string | string[] | undefined)].sort();

function template(service: string): Template {
  const found = templates.find((candidate) => candidate.service === service);
  if (!found) throw new Error(`no packaged template for ${service}`);
  return found;
}

/** The role a function runs as, by its key in serverless.yml. */
function roleOf(owner: Template, fn: string): string {
  const role = referenced(owner.resources[functionLogicalId(fn)]?.Properties?.Role);
  if (!role) throw new Error(`${owner.service} has no function ${fn}`);
  return role;
}

interface Rule {
  owner: Template;
  id: string;
  pattern: Record<string, unknown> | undefined;
  targets: string[];
}

/** The bus rules (a schedule, which has no pattern, is not one: see below). */
const rules: Rule[] = templates.flatMap((owner) =>
  resourcesOfType(owner, 'AWS::Events::Rule')
    .filter(([, rule]) => rule.Properties?.ScheduleExpression === undefined)
    .map(([id, rule]) => ({
    owner,
    id,
    pattern: rule.Properties?.EventPattern as Record<string, unknown> | undefined,
    targets: list(rule.Properties?.Targets as Array<{ Arn: unknown }> | undefined).map((target) => referenced(target.Arn) ?? JSON.stringify(target.Arn)),
  })),
);
/** The schedules: each runs its function again at its next tick, so a failed run needs no retry of its own and no dead letter. */
const schedules = templates.flatMap((owner) =>
  resourcesOfType(owner, 'AWS::Events::Rule')
    .filter(([, rule]) => rule.Properties?.ScheduleExpression !== undefined)
    .map(([id, rule]) => ({ owner, id, expression: rule.Properties?.ScheduleExpression, targets: list(rule.Properties?.Targets as Array<{ Arn: unknown }> | undefined).map((target) => referenced(target.Arn) ?? JSON.stringify(target.Arn)) })),
);

describe('schedules', () => {
  it('are the chat’s session sweeper only, every minute, and put nothing on the bus', () => {
    // Act
    const found = schedules.map(({ owner, expression, targets }) => [owner.service, expression, targets]);

    // Assess
    expect(found).toEqual([['agent-gateway', 'rate(1 minute)', [functionLogicalId('expire-sessions')]]]);
  });
});

const sortedList = (value: unknown): unknown[] => [...list(value as unknown[] | undefined)].sort();

describe('request rules', () => {
  const requestRules = rules.filter(({ pattern }) => list(pattern?.['detail-type'] as unknown[] | undefined).some((type) => typeof type === 'string' && requests.has(type)));

  it.each(HANDLERS.map((handler) => [`${handler.service}/${handler.fn}`, handler]))('deliver to %s exactly the requests routed to it', (_name, handler) => {
    // Prepare
    const target = functionLogicalId(handler.fn);

    // Act
    const mine = rules.filter((rule) => rule.owner.service === handler.service && rule.targets.includes(target));

    // Assess: one rule, nothing but its requests, from the front doors only.
    expect(mine).toHaveLength(1);
    expect(sortedList(mine[0]?.pattern?.['detail-type'])).toEqual(handler.accepts);
    expect(sortedList(mine[0]?.pattern?.source)).toEqual(FRONT_DOORS);
    expect(Object.keys(mine[0]?.pattern ?? {}).sort()).toEqual(['detail-type', 'source']);
  });

  it('deliver a request to no function but its handler', () => {
    // Act
    const strays = requestRules.flatMap((rule) =>
      list(rule.pattern?.['detail-type'] as unknown[]).flatMap((type) => {
        const route = ROUTES.find((candidate) => candidate.request === type);
        const handler = route ? functionLogicalId(route.fn) : undefined;
        return rule.owner.service === route?.service && rule.targets.every((target) => target === handler) ? [] : [`${rule.owner.service}/${rule.id}: ${String(type)}`];
      }),
    );

    // Assess
    expect(strays).toEqual([]);
  });

  it.each(requestRules.map((rule) => [`${rule.owner.service}/${rule.id}`, rule]))('%s accepts requests only from the front doors', (_name, rule) => {
    // Act
    const sources = list(rule.pattern?.source as unknown[] | undefined);

    // Assess: exact sources, no prefix or wildcard pattern, nothing but requests in the rule.
    expect([...sources].sort()).toEqual(FRONT_DOORS);
    expect(list(rule.pattern?.['detail-type'] as unknown[]).every((type) => typeof type === 'string' && requests.has(type))).toBe(true);
  });

  it('match every source exactly, never by prefix', () => {
    // Act
    const loose = rules.filter(({ pattern }) => list(pattern?.source as unknown[] | undefined).some((source) => typeof source !== 'string')).map(({ owner, id }) => `${owner.service}/${id}`);

    // Assess
    expect(loose).toEqual([]);
  });

  it.each(rules.map((rule) => [`${rule.owner.service}/${rule.id}`, rule]))('%s retries each target, then dead-letters it', (_name, rule) => {
    // Prepare
    const resource = rule.owner.resources[rule.id] as Resource;

    // Act
    const targets = list(resource.Properties?.Targets as Array<Record<string, Record<string, unknown> | undefined>>);

    // Assess
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) {
      expect(target.DeadLetterConfig?.Arn).toBeDefined();
      expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: expect.any(Number), MaximumRetryAttempts: expect.any(Number) });
    }
  });
});

describe("the chat's responder", () => {
  it("hears every answer to what the front doors ask, the sagas' later answers included, from the services that give them, for chat turns only", () => {
    // Act
    const [responder, ...others] = rules.filter((rule) => rule.owner.service === 'agent-gateway' && rule.targets.includes(functionLogicalId('respond')));

    // Assess
    expect(others).toEqual([]);
    expect({ ...responder?.pattern, source: sortedList(responder?.pattern?.source), 'detail-type': sortedList(responder?.pattern?.['detail-type']) }).toEqual({
      source: ANSWER_SOURCES,
      'detail-type': DOOR_ANSWERS,
      detail: { correlation_id: [{ prefix: 'chat-' }] },
    });
  });
});

describe("the chat's notices", () => {
  it.each(NOTICES.map((notice) => [notice.notice, notice]))('deliver %s to its listener alone, from its publisher’s source alone', (_name, notice) => {
    // Act
    const hearing = rules.filter((rule) => list(rule.pattern?.['detail-type'] as string | string[] | undefined).includes(notice.notice));

    // Assess
    expect(hearing.map((rule) => rule.targets.map((target) => `${rule.owner.service}/${target}`)).flat()).toEqual([`${notice.listener.service}/${functionLogicalId(notice.listener.fn)}`]);
    expect(sortedList(hearing[0]?.pattern?.source)).toEqual([`centli.${notice.publisher.service}`]);
  });
});

describe('what each role may put on the bus', () => {
  const known = knownDetailTypes();
  const publishing = templates.flatMap((owner) => putEvents(owner).map((found) => [`${owner.service}/${found.holder}`, found] as const));

  it.each(publishing)('%s puts only its own source and named detail-types', (_name, found) => {
    // Prepare
    const condition = found.statement.Condition ?? {};

    // Act
    const sources = list(condition['ForAllValues:StringEquals']?.['events:source'] as string | string[] | undefined);
    const detailTypes = list(condition.StringEquals?.['events:detail-type'] as string | string[] | undefined);

    // Assess: events:source is multivalued (ForAllValues), events:detail-type single-valued (StringEquals);
    // no other operator widens either, and every detail-type is one the contracts define.
    expect(sources).toEqual([sourceOf(found.template)]);
    expect(detailTypes.length).toBeGreaterThan(0);
    expect(detailTypes.filter((type) => !known.has(type))).toEqual([]);
    expect(Object.keys(condition).sort()).toEqual(['ForAllValues:StringEquals', 'StringEquals']);
    expect(Object.keys(condition['ForAllValues:StringEquals'] ?? {})).toEqual(['events:source']);
    expect(Object.keys(condition.StringEquals ?? {})).toEqual(['events:detail-type']);
  });

  it.each(HANDLERS.map((handler) => [`${handler.service}/${handler.fn}`, handler]))('lets %s put exactly the answers of its requests', (_name, handler) => {
    // Prepare
    const owner = template(handler.service);

    // Act
    const found = putEvents(owner).filter((candidate) => candidate.holder === roleOf(owner, handler.fn));

    // Assess
    expect(found).toHaveLength(1);
    expect(detailTypesOf(found[0])).toEqual(handler.puts);
  });

  it.each(SAGAS.map((saga) => [saga.definition, saga]))("lets the %s saga's state machine put exactly what the saga answers, as its service", (_name, saga) => {
    // Prepare: the role the state machine runs as (serverless-step-functions derives it from the definition).
    const owner = template(saga.service);
    const machine = resourcesOfType(owner, 'AWS::StepFunctions::StateMachine').find(([, candidate]) => candidate.Properties?.StateMachineName === `centli-${saga.definition}-${CHECKED_STAGE}`)?.[1];

    // Act
    const found = putEvents(owner).filter((candidate) => candidate.holder === referenced(machine?.Properties?.RoleArn));

    // Assess
    expect(found).toHaveLength(1);
    expect(found[0]?.statement.Condition).toEqual({
      'ForAllValues:StringEquals': { 'events:source': [`centli.${saga.service}`] },
      StringEquals: { 'events:detail-type': saga.puts },
    });
  });

  it('lets no state machine put anything but a saga the contracts name', () => {
    // Act
    const machines = templates.flatMap((owner) =>
      resourcesOfType(owner, 'AWS::StepFunctions::StateMachine')
        .filter(([, machine]) => putEvents(owner).some((found) => found.holder === referenced(machine.Properties?.RoleArn)))
        .map(([, machine]) => String(machine.Properties?.StateMachineName)),
    );

    // Assess
    expect(machines.sort()).toEqual(SAGAS.map((saga) => `centli-${saga.definition}-${CHECKED_STAGE}`).sort());
  });

  it("lets each of the chat's roles that puts put exactly the tools' requests and the plans' queries", () => {
    // Act
    const found = putEvents(template('agent-gateway'));

    // Assess: the message route and the responder (the last test holds who).
    expect(found.length).toBeGreaterThan(0);
    for (const statement of found) expect(detailTypesOf(statement)).toEqual(DOOR_REQUESTS);
  });

  it('lets the MCP server put nothing on the bus (it invokes the services)', () => {
    expect(putEvents(template('mcp'))).toEqual([]);
  });

  it.each(NOTICES.map((notice) => [notice.notice, notice]))('lets %s be put by its publisher alone, which puts nothing else', (_name, notice) => {
    // Prepare
    const owner = template(notice.publisher.service);

    // Act
    const found = putEvents(owner).filter((candidate) => candidate.holder === roleOf(owner, notice.publisher.fn));
    const publisher = roleOf(owner, notice.publisher.fn);
    const elsewhere = templates.flatMap((other) =>
      putEvents(other)
        .filter((candidate) => !(other.service === owner.service && candidate.holder === publisher) && detailTypesOf(candidate).includes(notice.notice))
        .map((candidate) => `${other.service}/${candidate.holder}`),
    );

    // Assess
    expect(found).toHaveLength(1);
    expect(detailTypesOf(found[0])).toEqual(NOTICES.filter((other) => other.publisher.service === notice.publisher.service && other.publisher.fn === notice.publisher.fn).map((other) => other.notice).sort());
    expect(elsewhere).toEqual([]);
  });

  it('lets every function a rule delivers a request or an answer to put events, no notice listener, and no other function but the chat\'s message route and the notices\' publishers', () => {
    // Act
    const listeners = new Set(NOTICES.map((notice) => `${notice.listener.service}/${functionLogicalId(notice.listener.fn)}`));
    const subscribed = rules.flatMap((rule) => rule.targets.map((target) => `${rule.owner.service}/${target}`)).filter((fn) => !listeners.has(fn));
    const publishers = templates.flatMap((owner) => {
      const byRole = functionsByRole(owner);
      return putEvents(owner).flatMap((found) => (byRole.get(found.holder) ?? []).map((fn) => `${owner.service}/${fn}`));
    });

    // Assess: a rule's function answers on the bus; the message route starts chat turns on it; a notice's publisher tells it.
    expect(publishers.sort()).toEqual([...subscribed, `agent-gateway/${functionLogicalId('message')}`, ...NOTICES.map((notice) => `${notice.publisher.service}/${functionLogicalId(notice.publisher.fn)}`)].sort());
  });
});

describe('what a function may invoke', () => {
  const invoking = templates.flatMap((owner) => {
    const byRole = functionsByRole(owner);
    return statementsOf(owner)
      .filter((found) => found.holderType === 'AWS::IAM::Role' && byRole.has(found.holder) && found.statement.Effect === 'Allow' && actionsOf(found.statement).some((action) => action.startsWith('lambda:')))
      .map((found) => [`${owner.service}/${found.holder}`, found] as const);
  });
  const doorArns = DOOR_HANDLERS.map((handler) => {
    const [service, fn] = handler.split('/');
    return { 'Fn::Sub': `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:centli-${service}-${CHECKED_STAGE}-${fn}` };
  });

  it('is a front door\'s only: no other function may invoke one', () => {
    expect(invoking.length).toBeGreaterThan(0);
    expect([...new Set(invoking.map(([, found]) => `centli.${found.template.service}`))].filter((source) => !FRONT_DOORS.includes(source))).toEqual([]);
  });

  it.each(invoking)('lets %s invoke exactly the functions that handle what the front doors ask', (_name, found) => {
    expect(actionsOf(found.statement)).toEqual(['lambda:InvokeFunction']);
    expect(found.statement.Condition).toBeUndefined();
    expect(sortedList(list(found.statement.Resource).map((resource) => JSON.stringify(resource)))).toEqual(doorArns.map((arn) => JSON.stringify(arn)).sort());
  });
});

describe("the bus's resource policy", () => {
  const policies = resourcesOfType(template('platform'), 'AWS::Events::EventBusPolicy').map(([, policy]) => policy.Properties?.Statement as PolicyStatement['statement']);

  it('denies PutEvents to every principal outside this account but AWS services', () => {
    // Act
    const statement = policies.find((candidate) => candidate.Condition?.StringNotEquals?.['aws:PrincipalAccount'] !== undefined);

    // Assess
    expect(statement).toMatchObject({
      Effect: 'Deny',
      Principal: '*',
      Action: 'events:PutEvents',
      Resource: { 'Fn::GetAtt': ['EventBus', 'Arn'] },
      Condition: { StringNotEquals: { 'aws:PrincipalAccount': { Ref: 'AWS::AccountId' } }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
    });
  });

  it('denies PutEvents of any source but the Centli services and front doors', () => {
    // Act
    const statement = policies.find((candidate) => candidate.Condition?.['ForAnyValue:StringNotEquals'] !== undefined);

    // Assess
    expect(statement).toMatchObject({ Effect: 'Deny', Principal: '*', Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': ['EventBus', 'Arn'] } });
    expect([...list(statement?.Condition?.['ForAnyValue:StringNotEquals']?.['events:source'] as string[] | undefined)].sort()).toEqual(SOURCES);
    expect(Object.keys(statement?.Condition ?? {})).toEqual(['ForAnyValue:StringNotEquals']);
  });

  it('allows nothing itself: same-account roles still need their own grant', () => {
    expect(policies.filter((statement) => statement.Effect !== 'Deny')).toEqual([]);
  });
});
