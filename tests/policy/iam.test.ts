/**
 * Least privilege, read off the packaged templates: a role per function, no wildcard grants but
 * the ones AWS leaves no narrower choice for, no Scan or DeleteItem, no action a function's code
 * cannot use, and every action its code can send granted (a missing permission fails the build,
 * not a request in AWS).
 */
import { join } from 'node:path';
import { reachableFrom, type Reachable } from './reachable';
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
/** The same services with the VPC on (prod's templates): the network-interface grants are there. */
const vpcTemplates = loadTemplates('prod');
const statements = [...templates, ...vpcTemplates].flatMap(statementsOf);

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
    holderType: 'AWS::IAM::Role',
    holder: /IamRoleLambdaExecution$/,
    effect: 'Allow',
    actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
    reason:
      "Lambda attaches a function in the VPC through network interfaces it creates and deletes with the function's role, in whichever subnet it picks; DescribeNetworkInterfaces has no resource-level permission, and AWS's own policy for this (AWSLambdaVPCAccessExecutionRole) grants them on \"*\".",
  },
  {
    holderType: 'AWS::KMS::Key',
    effect: 'Allow',
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    reason: "A key policy's Resource is always the key itself: CloudWatch alarms need these to publish to the alarm topic encrypted under it (conditioned on this account's alarms).",
  },
  {
    holderType: 'AWS::S3::BucketPolicy',
    effect: 'Deny',
    actions: ['s3:*'],
    reason: 'The deployment buckets (osls) and the chat bucket deny every S3 action over plain HTTP; a wildcard in a Deny only widens what is refused.',
  },
  {
    holderType: 'AWS::IAM::Role',
    holder: /^VoiceBotRole$/,
    effect: 'Allow',
    actions: ['polly:SynthesizeSpeech'],
    reason: "The voice bot speaks with Amazon Polly under its own role; SynthesizeSpeech's only resource type is a lexicon, which the bot does not use, so the Resource is \"*\" (the Lex V2 service-linked role grants the same).",
  },
  {
    holderType: 'AWS::EC2::VPCEndpoint',
    effect: 'Allow',
    actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
    reason: 'The X-Ray endpoint lets the functions send traces, which X-Ray defines no resource type for.',
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
    // Prepare: a role is used when something runs as it (a function, a state machine, the AgentCore
    // Gateway, the VPC's flow logs).
    const users = new Set(
      Object.values(template.resources).flatMap((resource) => [
        referenced(resource.Properties?.Role),
        referenced(resource.Properties?.RoleArn),
        referenced(resource.Properties?.DeliverLogsPermissionArn),
      ]),
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

  it.each(['TransferIamRoleLambdaExecution', 'ChargeDashpaymentIamRoleLambdaExecution'])('lets %s check a condition only on the customer’s MTU (ConditionCheckItem on mtu# keys)', (role) => {
    // Prepare
    const coreBanking = templates.find((template) => template.service === 'core-banking') as Template;

    // Act
    const checks = statementsOf(coreBanking)
      .filter((found) => found.holder === role && actionsOf(found.statement).includes('dynamodb:ConditionCheckItem'))
      .map((found) => ({ actions: actionsOf(found.statement), condition: found.statement.Condition }));

    // Assess
    expect(checks).toEqual([{ actions: ['dynamodb:ConditionCheckItem'], condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['mtu#*'] } } }]);
  });
});

/**
 * What shows that a function uses an action: a call in the code it can run (tests/policy/reachable.ts:
 * its handler and every project function and method that handler can reach, packages left out), or
 * what the template says the platform does for it (Lambda writes its logs, sends its traces,
 * delivers its failed events, attaches it to the VPC). A bundle will not do: it holds every method
 * of every class its handler imports, used or not.
 */
type Evidence = { code: RegExp[] } | { template: (fn: Resource, functionId: string, template: Template) => boolean };

const TRANSACTION = /\bnew TransactWriteCommand\d*\(/;
const call = (...commands: string[]) => new RegExp(`\\bnew (?:${commands.join('|')})\\d*\\(`);
const transactItem = (kind: string) => new RegExp(`\\b${kind}\\s*:\\s*\\{`);
const inVpc = (fn: Resource) => fn.Properties?.VpcConfig !== undefined;

const EVIDENCE: Readonly<Record<string, Evidence | Evidence[]>> = {
  'dynamodb:GetItem': { code: [call('GetCommand', 'GetItemCommand')] },
  'dynamodb:Query': { code: [call('QueryCommand')] },
  'dynamodb:BatchGetItem': { code: [call('BatchGetCommand', 'BatchGetItemCommand')] },
  'dynamodb:PutItem': [{ code: [call('PutCommand', 'PutItemCommand')] }, { code: [TRANSACTION, transactItem('Put')] }],
  'dynamodb:UpdateItem': [{ code: [call('UpdateCommand', 'UpdateItemCommand')] }, { code: [TRANSACTION, transactItem('Update')] }],
  'dynamodb:ConditionCheckItem': { code: [TRANSACTION, transactItem('ConditionCheck')] },
  'dynamodb:DeleteItem': { code: [call('DeleteCommand', 'DeleteItemCommand')] },
  'dynamodb:Scan': { code: [call('ScanCommand')] },
  'dynamodb:BatchWriteItem': { code: [call('BatchWriteCommand', 'BatchWriteItemCommand')] },
  'events:PutEvents': { code: [call('PutEventsCommand')] },
  'states:StartExecution': { code: [call('StartExecutionCommand')] },
  'states:DescribeExecution': { code: [call('DescribeExecutionCommand')] },
  'states:GetExecutionHistory': { code: [call('GetExecutionHistoryCommand')] },
  'states:SendTaskSuccess': { code: [call('SendTaskSuccessCommand')] },
  // Powertools Parameters sends GetParameter itself, through the SSM client the kit gives it (lib/kit/secure-parameter.ts).
  'ssm:GetParameter': { code: [/\bnew SSMProvider\(/] },
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
  // Lambda creates and deletes the interfaces that attach a function to its subnets.
  'ec2:CreateNetworkInterface': { template: inVpc },
  'ec2:DescribeNetworkInterfaces': { template: inVpc },
  'ec2:DescribeSubnets': { template: inVpc },
  'ec2:DeleteNetworkInterface': { template: inVpc },
  'ec2:AssignPrivateIpAddresses': { template: inVpc },
  'ec2:UnassignPrivateIpAddresses': { template: inVpc },
};

const shownBy = (evidence: Evidence | Evidence[], code: Reachable, fn: Resource, functionId: string, template: Template) =>
  list(evidence).some((rule) => ('code' in rule ? rule.code.every((pattern) => pattern.test(code.text)) : rule.template(fn, functionId, template)));

/** `<dir>/src/handlers/connect.ts#handler` for a function whose Handler is `src/handlers/connect.handler`. */
function entryOf(template: Template, fn: Resource): string {
  const handler = fn.Properties?.Handler as string;
  return `${join(template.dir, handler.replace(/\.[^.]+$/, ''))}.ts#${handler.slice(handler.lastIndexOf('.') + 1)}`;
}

/** Every function of these templates with the code it can run, its role and what the role grants. */
function functionsWithCode(of: Template[]) {
  const functions = of.flatMap((template) => resourcesOfType(template, 'AWS::Lambda::Function').map(([functionId, fn]) => ({ template, functionId, fn })));
  const code = reachableFrom([...new Set(functions.map(({ template, fn }) => entryOf(template, fn)))]);
  return functions.map(({ template, functionId, fn }) => {
    const role = referenced(fn.Properties?.Role) as string;
    const granted = statementsOf(template).filter((found) => found.holder === role && found.holderType === 'AWS::IAM::Role' && found.statement.Effect === 'Allow');
    return { template, functionId, fn, role, granted, code: code.get(entryOf(template, fn)) as Reachable };
  });
}

describe('actions the code uses', () => {
  // Both variants: the stage checked (VPC off) and prod (VPC on, with the network-interface grants).
  const functions = functionsWithCode([...templates, ...vpcTemplates]);
  const where = (fn: { template: Template; functionId: string }) => `${fn.template.service}${fn.template.file.includes('/prod/') ? ' (prod)' : ''}/${fn.functionId}`;

  it('follows calls method by method, through interfaces, and not into what a module merely holds', () => {
    // Prepare: connect opens a session (SessionStore.open) and never closes one; the message route
    // reaches Bedrock through the IntentEngine interface; the catalog reads a category index, not items.
    const byFunction = new Map(functions.map((fn) => [`${fn.template.service}/${fn.functionId}`, fn.code]));

    // Act
    const connect = byFunction.get('agent-gateway/ConnectLambdaFunction');
    const message = byFunction.get('agent-gateway/MessageLambdaFunction');

    // Assess
    expect(connect?.declarations.some((name) => name.endsWith('#SessionStore.open'))).toBe(true);
    expect(connect?.declarations.some((name) => name.endsWith('#SessionStore.close'))).toBe(false);
    expect(message?.declarations.some((name) => name.endsWith('#BedrockEngine.understand'))).toBe(true);
    expect(call('ConverseCommand').test(message?.text ?? '')).toBe(true);
    expect(call('ConverseCommand').test(connect?.text ?? '')).toBe(false);
  });

  it('grants each function only actions its code or the platform uses', () => {
    // Act
    const unused = functions.flatMap((fn) =>
      fn.granted.flatMap((found) =>
        actionsOf(found.statement).flatMap((action) => {
          const evidence = EVIDENCE[action];
          if (!evidence) return [`${where(fn)}: ${action} (no rule says what shows it is used: add one)`];
          return shownBy(evidence, fn.code, fn.fn, fn.functionId, fn.template) ? [] : [`${where(fn)}: ${action}`];
        }),
      ),
    );

    // Assess
    expect(unused).toEqual([]);
  });

  it('grants each function every action its code can send', () => {
    // Act: every SDK command the reachable code constructs, as the IAM action it needs.
    const missing = functions.flatMap((fn) => {
      const granted = new Set(fn.granted.flatMap((found) => actionsOf(found.statement)));
      return Object.entries(EVIDENCE)
        .filter(([action, evidence]) => !granted.has(action) && list(evidence).some((rule) => 'code' in rule && rule.code.every((pattern) => pattern.test(fn.code.text))))
        .map(([action]) => `${where(fn)}: ${action}`);
    });

    // Assess
    expect(missing).toEqual([]);
  });

  it('knows the IAM action of every AWS SDK command the code can send', () => {
    // Act: a command with no rule above would be neither required nor checked.
    const known = Object.values(EVIDENCE).flatMap((evidence) => list(evidence).flatMap((rule) => ('code' in rule ? rule.code : [])));
    const unknown = functions.flatMap((fn) =>
      [...fn.code.text.matchAll(/\bnew ([A-Z]\w*Command)\d*\(/g)].map((match) => match[1] as string).filter((command) => !known.some((pattern) => pattern.test(`new ${command}(`))),
    );

    // Assess
    expect([...new Set(unknown)]).toEqual([]);
  });

  it('lets the functions that describe a saga describe its own executions only', () => {
    // Act
    const grants = functions.flatMap((fn) =>
      fn.granted.filter((found) => actionsOf(found.statement).includes('states:DescribeExecution')).map((found) => [fn.functionId, found.statement.Resource] as const),
    );

    // Assess: purchase and spei-transfer (a redelivery reads its execution) and get-purchase-status, in both variants.
    expect([...new Set(grants.map(([id]) => id))].sort()).toEqual(['GetDashpurchaseDashstatusLambdaFunction', 'PurchaseLambdaFunction', 'SpeiDashtransferLambdaFunction']);
    const machine = (id: string) => (id === 'SpeiDashtransferLambdaFunction' ? 'centli-spei-transfer' : 'centli-purchase');
    for (const [id, resource] of grants) {
      expect(resource).toEqual({ 'Fn::Sub': expect.stringMatching(new RegExp(`^arn:\\$\\{AWS::Partition\\}:states:\\$\\{AWS::Region\\}:\\$\\{AWS::AccountId\\}:execution:${machine(id)}-[a-z0-9-]+:\\*$`)) });
    }
  });

  it('lets only the SPEI saga’s token holders answer its tasks, on its state machine only', () => {
    // Act
    const grants = functions.flatMap((fn) =>
      fn.granted.filter((found) => actionsOf(found.statement).includes('states:SendTaskSuccess')).map((found) => [fn.functionId, found.statement.Resource] as const),
    );

    // Assess: AwaitResult (a result already recorded) and the participant's result endpoint.
    expect([...new Set(grants.map(([id]) => id))].sort()).toEqual(['SpeiDashawaitDashresultLambdaFunction', 'SpeiDashorderDashresultLambdaFunction']);
    for (const [, resource] of grants) {
      expect(resource).toEqual({ 'Fn::Sub': expect.stringMatching(/^arn:\$\{AWS::Partition\}:states:\$\{AWS::Region\}:\$\{AWS::AccountId\}:stateMachine:centli-spei-transfer-[a-z0-9-]+$/) });
    }
  });

  it('lets each function write only its own log group', () => {
    // Act
    const foreign = functions.flatMap((fn) =>
      fn.granted
        .filter((found) => actionsOf(found.statement).some((action) => action.startsWith('logs:')))
        .flatMap((found) => {
          const logGroup = fn.fn.Properties?.FunctionName as string | undefined;
          const resources = JSON.stringify(found.statement.Resource);
          return logGroup && resources.includes(`log-group:/aws/lambda/${logGroup}:`) ? [] : [`${where(fn)}: ${resources}`];
        }),
    );

    // Assess
    expect(foreign).toEqual([]);
  });

  it('attaches no managed policy to a function\'s role (they grant beyond the function)', () => {
    // Act
    const managed = functions.filter((fn) => list(fn.template.resources[fn.role]?.Properties?.ManagedPolicyArns as unknown[] | undefined).length > 0).map(where);

    // Assess
    expect(managed).toEqual([]);
  });
});
