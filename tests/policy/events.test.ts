/**
 * The bus's trust boundary, read off the packaged templates: only the front doors may ask a
 * service to act for a customer, each role puts only its own source and the detail-types it
 * answers, the bus itself refuses other accounts and other sources, and every delivery retries
 * into a dead-letter queue.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from '../../local/serverless-config';
import {
  actionsOf,
  functionsByRole,
  knownDetailTypes,
  list,
  loadTemplates,
  referenced,
  resourcesOfType,
  sourceOf,
  statementsOf,
  type PolicyStatement,
  type Template,
} from './templates';

const templates = loadTemplates();
const FRONT_DOORS = ['centli.agent-gateway', 'centli.mcp'];
const SOURCES = ['centli.agent-gateway', 'centli.mcp', 'centli.core-banking', 'centli.crm', 'centli.marketplace', 'centli.cards'];
/** What the tools' plans query before they act, whichever tools the registry lists. */
const PLAN_QUERIES = ['BALANCE_QUERY', 'ALIAS_RESOLUTION_REQUEST', 'CARDS_QUERY', 'CATALOG_QUERY', 'BENEFITS_QUERY'];

const putEvents = (template: Template): PolicyStatement[] =>
  statementsOf(template).filter((found) => found.holderType === 'AWS::IAM::Role' && found.statement.Effect === 'Allow' && actionsOf(found.statement).includes('events:PutEvents'));

function template(service: string): Template {
  const found = templates.find((candidate) => candidate.service === service);
  if (!found) throw new Error(`no packaged template for ${service}`);
  return found;
}

function registryRequests(): string[] {
  const registry = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'schemas', 'tools', 'registry.json'), 'utf8')) as { tools: Array<{ request: string }> };
  return registry.tools.map((tool) => tool.request);
}

describe('request rules', () => {
  const rules = templates.flatMap((owner) => resourcesOfType(owner, 'AWS::Events::Rule').map(([id, rule]) => ({ owner, id, pattern: rule.Properties?.EventPattern as Record<string, unknown> | undefined })));
  const requestRules = rules.filter(({ pattern }) => list(pattern?.['detail-type'] as string[] | undefined).some((type) => /_(QUERY|REQUEST)$/.test(type)));

  it('exist for every request the tool registry names', () => {
    // Act
    const routed = new Set(requestRules.flatMap(({ pattern }) => list(pattern?.['detail-type'] as string[])));

    // Assess
    expect([...new Set(registryRequests())].filter((type) => !routed.has(type))).toEqual([]);
  });

  it.each(requestRules.map((rule) => [`${rule.owner.service}/${rule.id}`, rule]))('%s accepts requests only from the front doors', (_name, rule) => {
    // Act
    const sources = list(rule.pattern?.source as unknown[] | undefined);

    // Assess: exact sources, no prefix or wildcard pattern, nothing but requests in the rule.
    expect([...sources].sort()).toEqual([...FRONT_DOORS].sort());
    expect(list(rule.pattern?.['detail-type'] as unknown[]).every((type) => typeof type === 'string' && /_(QUERY|REQUEST)$/.test(type))).toBe(true);
  });

  it('match every source exactly, never by prefix', () => {
    // Act
    const loose = rules.filter(({ pattern }) => list(pattern?.source as unknown[] | undefined).some((source) => typeof source !== 'string')).map(({ owner, id }) => `${owner.service}/${id}`);

    // Assess
    expect(loose).toEqual([]);
  });

  it.each(rules.map((rule) => [`${rule.owner.service}/${rule.id}`, rule]))('%s retries each target, then dead-letters it', (_name, rule) => {
    // Prepare
    const resource = rule.owner.resources[rule.id];

    // Act
    const targets = list(resource?.Properties?.Targets as Array<Record<string, Record<string, unknown> | undefined>>);

    // Assess
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) {
      expect(target.DeadLetterConfig?.Arn).toBeDefined();
      expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: expect.any(Number), MaximumRetryAttempts: expect.any(Number) });
    }
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

  it.each([
    ['BalanceIamRoleLambdaExecution', 'core-banking', ['BALANCE_FAILED', 'BALANCE_RESPONSE']],
    ['TransferIamRoleLambdaExecution', 'core-banking', ['TRANSFER_COMPLETED', 'TRANSFER_FAILED']],
    ['AddDashbeneficiaryIamRoleLambdaExecution', 'crm', ['BENEFICIARY_ADDED', 'BENEFICIARY_REJECTED']],
    ['PurchaseIamRoleLambdaExecution', 'marketplace', ['PURCHASE_FAILED', 'PURCHASE_STARTED']],
    ['LockDashcardIamRoleLambdaExecution', 'cards', ['CARD_LOCKED', 'CARD_OPERATION_FAILED']],
  ])('lets %s of %s put exactly its answers', (role, service, expected) => {
    // Act
    const [found] = putEvents(template(service)).filter((candidate) => candidate.holder === role);

    // Assess
    expect([...list(found?.statement.Condition?.StringEquals?.['events:detail-type'] as string[] | undefined)].sort()).toEqual(expected);
  });

  it("lets the purchase saga's state machine put only the purchase's outcome, as the Marketplace", () => {
    // Prepare: the role the state machine runs as (serverless-step-functions derives it from the definition).
    const marketplace = template('marketplace');
    const [[, machine] = []] = resourcesOfType(marketplace, 'AWS::StepFunctions::StateMachine');

    // Act
    const found = putEvents(marketplace).filter((candidate) => candidate.holder === referenced(machine?.Properties?.RoleArn));

    // Assess
    expect(found).toHaveLength(1);
    expect(found[0]?.statement.Condition).toEqual({
      'ForAllValues:StringEquals': { 'events:source': ['centli.marketplace'] },
      StringEquals: { 'events:detail-type': ['PURCHASE_CONFIRMED', 'PURCHASE_FAILED'] },
    });
  });

  it.each(['MessageIamRoleLambdaExecution', 'RespondIamRoleLambdaExecution'])("lets the chat's %s put the registry's requests and its plans' queries", (role) => {
    // Act
    const [found] = putEvents(template('agent-gateway')).filter((candidate) => candidate.holder === role);

    // Assess
    expect([...list(found?.statement.Condition?.StringEquals?.['events:detail-type'] as string[] | undefined)].sort()).toEqual([...new Set([...registryRequests(), ...PLAN_QUERIES])].sort());
  });

  it('lets the MCP server put nothing on the bus (it invokes the services)', () => {
    expect(putEvents(template('mcp'))).toEqual([]);
  });

  it('lets every function a rule delivers to put events, and no other function but the chat\'s message route', () => {
    // Act
    const subscribed = templates.flatMap((owner) =>
      resourcesOfType(owner, 'AWS::Events::Rule').flatMap(([, rule]) =>
        list(rule.Properties?.Targets as Array<{ Arn: unknown }>).map((target) => `${owner.service}/${referenced(target.Arn)}`),
      ),
    );
    const publishers = templates.flatMap((owner) => {
      const byRole = functionsByRole(owner);
      return putEvents(owner).flatMap((found) => (byRole.get(found.holder) ?? []).map((fn) => `${owner.service}/${fn}`));
    });

    // Assess: a rule's function answers on the bus; the message route starts chat turns on it.
    expect(publishers.sort()).toEqual([...subscribed, 'agent-gateway/MessageLambdaFunction'].sort());
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
    expect([...list(statement?.Condition?.['ForAnyValue:StringNotEquals']?.['events:source'] as string[] | undefined)].sort()).toEqual([...SOURCES].sort());
    expect(Object.keys(statement?.Condition ?? {})).toEqual(['ForAnyValue:StringNotEquals']);
  });

  it('allows nothing itself: same-account roles still need their own grant', () => {
    expect(policies.filter((statement) => statement.Effect !== 'Deny')).toEqual([]);
  });
});
