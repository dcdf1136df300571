/**
 * Least privilege, read off the packaged templates: a role per function, no wildcard grants but
 * the ones AWS leaves no narrower choice for, no Scan or DeleteItem, and no action a function's
 * code cannot use.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from '../../local/serverless-config';
import {
  actionsOf,
  functionsByRole,
  list,
  loadTemplates,
  referenced,
  resourcesOfType,
  statementsOf,
  type PolicyStatement,
  type Resource,
  type Template,
} from './templates';

const templates = loadTemplates();
const statements = templates.flatMap(statementsOf);

/** The wildcards AWS offers nothing narrower for, each with its reason. */
const WILDCARD_ALLOW_LIST: ReadonlyArray<{ holderType: string; holder?: RegExp; effect: 'Allow' | 'Deny'; actions: readonly string[]; reason: string }> = [
  {
    holderType: 'AWS::IAM::Role',
    holder: /IamRoleLambdaExecution$/,
    effect: 'Allow',
    actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
    reason: 'Lambda sends a traced function\'s segments with these; X-Ray defines no resource type for them, so the Resource must be "*".',
  },
  {
    holderType: 'AWS::IAM::Role',
    holder: /Role$/,
    effect: 'Allow',
    actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
    reason: 'Step Functions traces the state machine with these (serverless-step-functions, tracingConfig); X-Ray defines no resource type for them.',
  },
  {
    holderType: 'AWS::KMS::Key',
    effect: 'Allow',
    actions: ['kms:*'],
    reason: "A key policy's Resource is always the key itself, and the account-root statement is what lets IAM policies grant the key at all (KMS's default key policy); the roles then grant one operation each.",
  },
  {
    holderType: 'AWS::S3::BucketPolicy',
    effect: 'Deny',
    actions: ['s3:*'],
    reason: 'osls denies every S3 action on the deployment bucket over plain HTTP; a wildcard in a Deny only widens what is refused.',
  },
];

function isWildcardResource(resource: unknown): boolean {
  return list(resource).some((item) => item === '*');
}

function allowListed(found: PolicyStatement, action: string): boolean {
  return WILDCARD_ALLOW_LIST.some(
    (entry) => entry.holderType === found.holderType && (!entry.holder || entry.holder.test(found.holder)) && entry.effect === found.statement.Effect && entry.actions.includes(action),
  );
}

describe('IAM roles', () => {
  it.each(templates.map((template) => [template.service, template]))('gives every function of %s a role of its own', (_service, template) => {
    // Act
    const byRole = functionsByRole(template);

    // Assess: one function per role, every role in this template, none the provider-wide role osls generates.
    for (const [role, functions] of byRole) {
      expect({ role, functions }).toEqual({ role, functions: [functions[0]] });
      expect(template.resources[role]?.Type).toBe('AWS::IAM::Role');
      expect(role).not.toBe('IamRoleLambdaExecution');
    }
    expect(template.resources.IamRoleLambdaExecution).toBeUndefined();
  });

  it.each(templates.map((template) => [template.service, template]))('leaves no role of %s unused', (_service, template) => {
    // Prepare: a role is used when something runs as it (a function, a state machine, the AgentCore Gateway).
    const users = new Set(
      Object.values(template.resources).flatMap((resource) => [referenced(resource.Properties?.Role), referenced(resource.Properties?.RoleArn)]),
    );

    // Act
    const unused = resourcesOfType(template, 'AWS::IAM::Role')
      .map(([id]) => id)
      .filter((id) => !users.has(id));

    // Assess
    expect(unused).toEqual([]);
  });
});

describe('wildcards', () => {
  it('grants no wildcard action and no "*" resource but the allow-listed ones', () => {
    // Act
    const offending = statements.flatMap((found) => {
      const actions = actionsOf(found.statement);
      const where = `${found.template.service}/${found.holder}`;
      const problems: string[] = [];
      if (found.statement.Effect === 'Allow' && (found.statement.NotAction || found.statement.NotResource)) problems.push(`${where}: NotAction/NotResource in an Allow`);
      for (const action of actions) {
        if (action.includes('*') && !allowListed(found, action)) problems.push(`${where}: action ${action}`);
      }
      if (isWildcardResource(found.statement.Resource) && actions.some((action) => !allowListed(found, action))) problems.push(`${where}: Resource "*" for ${actions.join(', ')}`);
      return problems;
    });

    // Assess
    expect(offending).toEqual([]);
  });

  it('keeps no allow-list entry that no template needs', () => {
    // Act
    const unused = WILDCARD_ALLOW_LIST.filter(
      (entry) =>
        !statements.some(
          (found) =>
            found.holderType === entry.holderType &&
            (!entry.holder || entry.holder.test(found.holder)) &&
            found.statement.Effect === entry.effect &&
            actionsOf(found.statement).some((action) => entry.actions.includes(action)) &&
            (isWildcardResource(found.statement.Resource) || actionsOf(found.statement).some((action) => action.includes('*'))),
        ),
    ).map((entry) => entry.reason);

    // Assess
    expect(unused).toEqual([]);
  });
});

describe('DynamoDB', () => {
  it.each(['dynamodb:Scan', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:*'])('grants %s to no one', (action) => {
    // Act
    const granted = statements.filter((found) => found.statement.Effect === 'Allow' && actionsOf(found.statement).includes(action)).map((found) => `${found.template.service}/${found.holder}`);

    // Assess
    expect(granted).toEqual([]);
  });

  it('lets the transfer check no condition outside its transaction (ConditionCheckItem)', () => {
    // Prepare
    const coreBanking = templates.find((template) => template.service === 'core-banking') as Template;

    // Act
    const actions = statementsOf(coreBanking)
      .filter((found) => found.holder === 'TransferIamRoleLambdaExecution')
      .flatMap((found) => actionsOf(found.statement));

    // Assess
    expect(actions).toContain('dynamodb:UpdateItem');
    expect(actions).not.toContain('dynamodb:ConditionCheckItem');
  });
});

/**
 * What shows that a function uses an action: a call in its bundled code (its handler and the
 * project modules it imports, tree-shaken; packages left out), or what the template says the
 * platform does for it (Lambda writes its logs, sends its traces, delivers its failed events).
 */
type Evidence = { code: RegExp[] } | { template: (fn: Resource, functionId: string, template: Template) => boolean };

const TRANSACTION = /\bnew TransactWriteCommand\d*\(/;
const call = (...commands: string[]) => new RegExp(`\\bnew (?:${commands.join('|')})\\d*\\(`);
const transactItem = (kind: string) => new RegExp(`\\b${kind}\\s*:\\s*\\{`);

const EVIDENCE: Readonly<Record<string, Evidence | Evidence[]>> = {
  'dynamodb:GetItem': { code: [call('GetCommand', 'GetItemCommand')] },
  'dynamodb:Query': { code: [call('QueryCommand')] },
  'dynamodb:BatchGetItem': { code: [call('BatchGetCommand', 'BatchGetItemCommand')] },
  'dynamodb:PutItem': [{ code: [call('PutCommand', 'PutItemCommand')] }, { code: [TRANSACTION, transactItem('Put')] }],
  'dynamodb:UpdateItem': [{ code: [call('UpdateCommand', 'UpdateItemCommand')] }, { code: [TRANSACTION, transactItem('Update')] }],
  'dynamodb:ConditionCheckItem': { code: [TRANSACTION, transactItem('ConditionCheck')] },
  'events:PutEvents': { code: [call('PutEventsCommand')] },
  'states:StartExecution': { code: [call('StartExecutionCommand')] },
  'states:DescribeExecution': { code: [call('DescribeExecutionCommand')] },
  'lambda:InvokeFunction': { code: [call('InvokeCommand')] },
  'kms:GenerateMac': { code: [call('GenerateMacCommand')] },
  'kms:VerifyMac': { code: [call('VerifyMacCommand')] },
  'execute-api:ManageConnections': { code: [call('PostToConnectionCommand', 'DeleteConnectionCommand', 'GetConnectionCommand')] },
  'bedrock:InvokeModel': { code: [call('ConverseCommand', 'InvokeModelCommand')] },
  // The Lambda service writes the function's logs and traces, and delivers its failed asynchronous events.
  'logs:CreateLogStream': { template: () => true },
  'logs:CreateLogGroup': { template: () => true },
  'logs:PutLogEvents': { template: () => true },
  'xray:PutTraceSegments': { template: (fn) => (fn.Properties?.TracingConfig as { Mode?: string } | undefined)?.Mode === 'Active' },
  'xray:PutTelemetryRecords': { template: (fn) => (fn.Properties?.TracingConfig as { Mode?: string } | undefined)?.Mode === 'Active' },
  'sqs:SendMessage': {
    template: (_fn, functionId, template) =>
      resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig').some(
        ([, config]) => referenced(config.Properties?.FunctionName) === functionId && (config.Properties?.DestinationConfig as { OnFailure?: unknown } | undefined)?.OnFailure !== undefined,
      ),
  },
};

/** Each function's bundled code (project modules only), by function logical id. */
function bundles(template: Template): Map<string, string> {
  const functions = resourcesOfType(template, 'AWS::Lambda::Function');
  const out = mkdtempSync(join(tmpdir(), 'centli-policy-'));
  try {
    const entries = functions.map(([, fn]) => join(template.dir, `${(fn.Properties?.Handler as string).replace(/\.[^.]+$/, '')}.ts`));
    execFileSync(
      join(REPOSITORY_ROOT, 'node_modules', '.bin', 'esbuild'),
      [...entries, '--bundle', '--platform=node', '--format=esm', '--packages=external', `--tsconfig=${join(REPOSITORY_ROOT, 'tsconfig.json')}`, `--outdir=${out}`, `--outbase=${template.dir}`, '--log-level=error'],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    return new Map(functions.map(([id, fn]) => [id, readFileSync(join(out, `${(fn.Properties?.Handler as string).replace(/\.[^.]+$/, '')}.js`), 'utf8')]));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe('actions the code uses', () => {
  const withFunctions = templates.filter((template) => resourcesOfType(template, 'AWS::Lambda::Function').length > 0);

  it.each(withFunctions.map((template) => [template.service, template]))('grants each function of %s only actions its code or the platform uses', (_service, template) => {
    // Prepare
    const code = bundles(template);
    const byRole = functionsByRole(template);

    // Act
    const unused = statementsOf(template)
      .filter((found) => found.holderType === 'AWS::IAM::Role' && found.statement.Effect === 'Allow' && byRole.has(found.holder))
      .flatMap((found) => {
        const functionId = (byRole.get(found.holder) as string[])[0] as string;
        const fn = template.resources[functionId] as Resource;
        const source = code.get(functionId) as string;
        return actionsOf(found.statement).flatMap((action) => {
          const evidence = EVIDENCE[action];
          if (!evidence) return [`${functionId}: ${action} (no rule says what shows it is used: add one)`];
          const shown = list(evidence).some((rule) => ('code' in rule ? rule.code.every((pattern) => pattern.test(source)) : rule.template(fn, functionId, template)));
          return shown ? [] : [`${functionId}: ${action}`];
        });
      });

    // Assess
    expect(unused).toEqual([]);
  });

  it.each(withFunctions.map((template) => [template.service, template]))('lets each function of %s write only its own log group', (_service, template) => {
    // Act
    const foreign = statementsOf(template)
      .filter((found) => found.holderType === 'AWS::IAM::Role' && actionsOf(found.statement).some((action) => action.startsWith('logs:')))
      .flatMap((found) => {
        const functionId = functionsByRole(template).get(found.holder)?.[0];
        const logGroup = functionId ? (template.resources[functionId]?.Properties?.FunctionName as string | undefined) : undefined;
        const resources = JSON.stringify(found.statement.Resource);
        return logGroup && resources.includes(`log-group:/aws/lambda/${logGroup}:`) ? [] : [`${found.holder}: ${resources}`];
      });

    // Assess
    expect(foreign).toEqual([]);
  });
});
