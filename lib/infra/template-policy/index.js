'use strict';
/**
 * osls plugin: the last word on what a packaged template grants, for what osls and the other
 * plugins generate (a serverless.yml's own resources say it themselves). Runs just before the
 * template is saved, after every other plugin:
 *   - each function's own role (serverless-iam-roles-per-function clones osls's role without its
 *     statements) gets the two X-Ray actions Lambda needs to send traces when tracing is active and,
 *     when the function runs in the stage's VPC, the network-interface actions Lambda needs to attach
 *     it (AWSLambdaVPCAccessExecutionRole's EC2 actions, inline: that managed policy, which the
 *     plugin attaches, also grants logs:* on every log group, and is removed); nothing else is added;
 *   - the provider-wide role osls still generates is removed once no function uses it;
 *   - a state machine's role may put on the bus only the sources and detail-types its definition's
 *     putEvents tasks name (serverless-step-functions grants events:PutEvents on the bus with no
 *     condition): they must be literal, the source must be the service's own, and the detail-types
 *     exactly what the contracts say its saga answers (`custom.templatePolicy.sagas`, the generated
 *     wiring's `sagas`: the `x-centli` saga.answers of the requests it settles);
 *   - a WebSocket route's Lambda permission names its API (SourceArn), so no other API can invoke
 *     the function through it;
 *   - the checkov checks that do not apply to a generated resource are skipped on that resource,
 *     each with its reason, in the template (Metadata.checkov.skip); the build runs every other.
 *     A function in the VPC is checked for it (CKV_AWS_117); one outside it is skipped with the
 *     reason: the stage runs without the VPC (the `vpc` stage option), or, with the VPC on, the
 *     function's own reason for staying out.
 * Configure with `custom.templatePolicy: { source, outsideVpc, sagas }`: `source` defaults to
 * `centli.<name>` for service `centli-<name>`; `outsideVpc` maps each function that stays out of the
 * VPC (`vpc: false`) to why, and must name exactly those when the stage's VPC is on; `sagas` maps
 * each state machine (its key under `stepFunctions.stateMachines`) to `{ service, puts }`, what its
 * contract lets it publish (`${file(../../schemas/wiring/generated.json):sagas}`): a state machine
 * that publishes anything else, or publishes with no contract naming it, fails the package.
 */

const TRACE_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];
const PUT_EVENTS_TASK = /^arn:aws:states:::events:putEvents(\.waitForTaskToken)?$/;

/** What Lambda does with a function's role to attach it to its subnets (AWSLambdaVPCAccessExecutionRole's EC2 part). */
const NETWORK_INTERFACE_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];
const VPC_MANAGED_POLICY = /:iam::aws:policy\/service-role\/AWSLambdaVPCAccessExecutionRole$/;
/** CKV_AWS_117 for a function outside the VPC because the stage runs without one. */
const NO_VPC = {
  id: 'CKV_AWS_117',
  comment:
    "The VPC is a stage option (serverless.common.yml's network.vpc, or --param vpc=true), off here: the function reaches only IAM-authenticated AWS APIs over TLS, and the private network adds endpoint cost and cold-start time. With it on, the function runs in the private subnets and this check applies.",
};
/** checkov checks that do not apply to a generated resource, by type, with the reason. */
const FUNCTION_SKIPS = [
  {
    id: 'CKV_AWS_115',
    comment: 'Bounded by the account concurrency and paged on by its throttle alarm; reserving concurrency per function would throttle legitimate bursts.',
  },
  {
    id: 'CKV_AWS_173',
    comment: 'The environment holds table names and settings, no secrets; Lambda encrypts it at rest with its own key.',
  },
];
const ASYNC_FAILURES = {
  id: 'CKV_AWS_116',
  comment: 'Failed asynchronous invocations go to the platform DLQ through an on-failure destination (EventInvokeConfig), which keeps the error with the event.',
};
const SYNC_ONLY = {
  id: 'CKV_AWS_116',
  comment: 'Invoked synchronously only (API Gateway, Step Functions, AgentCore Gateway), so the caller gets the error; a DLQ applies to asynchronous invocations.',
};
const LOG_GROUP_SKIPS = [
  {
    id: 'CKV_AWS_158',
    comment: "CloudWatch Logs encrypts every log group at rest; a function's logs carry no card numbers or tokens (the leak scan checks), flow logs only addresses and ports, so a customer key adds cost, not protection.",
  },
];
const DEPLOYMENT_BUCKET_SKIPS = [
  {
    id: 'CKV_AWS_18',
    comment: 'Holds only deployment artifacts rebuilt from git; CloudTrail records who changes it, and access logs would need a bucket of their own.',
  },
  {
    id: 'CKV_AWS_21',
    comment: 'Deployment artifacts are rebuilt from git by sls package; osls prunes old deployments, which versioning would keep forever.',
  },
];
const WEBSOCKET_STAGE_SKIPS = [
  {
    id: 'CKV_AWS_95',
    comment: "WebSocket access logs need the account-wide API Gateway CloudWatch role, which osls creates with iam:CreateRole on role/*; every route's function logs each request with its correlation id.",
  },
];

class TemplatePolicy {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'before:aws:package:finalize:saveServiceState': () => this.apply() };
  }

  apply() {
    const service = this.serverless.service;
    const provider = this.serverless.getProvider('aws');
    const template = service.provider.compiledCloudFormationTemplate;
    const resources = template.Resources;
    const settings = (service.custom && service.custom.templatePolicy) || {};
    const source = settings.source ?? `centli.${String(service.service).replace(/^centli-/, '')}`;

    const outside = this.functionsOutsideVpc(settings.outsideVpc ?? {});

    this.traceFunctionRoles(resources);
    this.attachNetworkRoles(resources);
    this.removeUnusedProviderRole(template, provider.naming.getRoleLogicalId());
    this.conditionStateMachinePublishing(resources, source, settings.sagas ?? {});
    this.scopeWebSocketPermissions(resources);
    this.skipInapplicableChecks(resources, provider.naming.getDeploymentBucketLogicalId(), outside);
  }

  /**
   * With the stage's VPC on, the logical id of each function that stays out of it, with its reason;
   * `null` with the VPC off. Refuses a function outside without a reason, and a reason for a function
   * that is inside (or does not exist): the list and the functions' `vpc: false` must agree.
   */
  functionsOutsideVpc(reasons) {
    const service = this.serverless.service;
    const provider = this.serverless.getProvider('aws');
    const vpc = service.provider.vpc;
    if (!vpc || !vpc.subnetIds || !vpc.securityGroupIds) return null;
    const resources = service.provider.compiledCloudFormationTemplate.Resources;
    const outside = new Map();
    const names = service.getAllFunctions();
    for (const name of names) {
      const logicalId = provider.naming.getLambdaLogicalId(name);
      const fn = resources[logicalId];
      if (!fn || fn.Properties.VpcConfig) {
        if (Object.hasOwn(reasons, name)) throw new this.serverless.classes.Error(`template-policy: custom.templatePolicy.outsideVpc names ${name}, which runs in the VPC`);
        continue;
      }
      const reason = reasons[name];
      if (typeof reason !== 'string' || reason.trim() === '') {
        throw new this.serverless.classes.Error(`template-policy: ${name} stays out of the stage's VPC (vpc: false); say why in custom.templatePolicy.outsideVpc.${name}`);
      }
      outside.set(logicalId, reason.trim());
    }
    const unknown = Object.keys(reasons).filter((name) => !names.includes(name));
    if (unknown.length > 0) throw new this.serverless.classes.Error(`template-policy: custom.templatePolicy.outsideVpc names no function of this service: ${unknown.join(', ')}`);
    return outside;
  }

  /**
   * Lambda attaches a function to its subnets through network interfaces it creates with the
   * function's role: a function with a VpcConfig gets those EC2 actions; no role keeps the managed
   * policy serverless-iam-roles-per-function attaches for it (its logs:* on every log group would
   * undo the per-function log scope).
   */
  attachNetworkRoles(resources) {
    for (const fn of Object.values(resources)) {
      if (fn.Type !== 'AWS::Lambda::Function') continue;
      const role = resources[roleOf(fn)];
      if (!role || role.Type !== 'AWS::IAM::Role') continue;
      const managed = (role.Properties.ManagedPolicyArns ?? []).filter((arn) => !VPC_MANAGED_POLICY.test(managedPolicyText(arn)));
      if (managed.length > 0) role.Properties.ManagedPolicyArns = managed;
      else delete role.Properties.ManagedPolicyArns;
      if (!fn.Properties.VpcConfig) continue;
      const statements = role.Properties.Policies[0].PolicyDocument.Statement;
      const attached = statements.some((statement) => NETWORK_INTERFACE_ACTIONS.every((action) => actionsOf(statement).includes(action)));
      // ec2:DescribeNetworkInterfaces has no resource-level permission, and Lambda creates and
      // deletes the interfaces in whichever subnet it picks: AWS's own policy grants these on "*".
      if (!attached) statements.push({ Effect: 'Allow', Action: [...NETWORK_INTERFACE_ACTIONS], Resource: '*' });
    }
  }

  traceFunctionRoles(resources) {
    for (const fn of Object.values(resources)) {
      if (fn.Type !== 'AWS::Lambda::Function') continue;
      if (!fn.Properties.TracingConfig || fn.Properties.TracingConfig.Mode !== 'Active') continue;
      const role = resources[roleOf(fn)];
      if (!role || role.Type !== 'AWS::IAM::Role') continue;
      const statements = role.Properties.Policies[0].PolicyDocument.Statement;
      const traced = statements.some((statement) => TRACE_ACTIONS.every((action) => actionsOf(statement).includes(action)));
      // X-Ray's write actions have no resource-level permissions: AWS requires "*".
      if (!traced) statements.push({ Effect: 'Allow', Action: [...TRACE_ACTIONS], Resource: '*' });
    }
  }

  removeUnusedProviderRole(template, roleLogicalId) {
    if (!template.Resources[roleLogicalId]) return;
    const { [roleLogicalId]: _role, ...others } = template.Resources;
    // Referenced by Ref, GetAtt, DependsOn or a ${...} in a Fn::Sub; a function's own role only ends with the name.
    const rest = JSON.stringify({ Resources: others, Outputs: template.Outputs ?? {} });
    if (!new RegExp(`\\b${roleLogicalId}\\b`).test(rest)) delete template.Resources[roleLogicalId];
  }

  conditionStateMachinePublishing(resources, source, sagas) {
    for (const [logicalId, machine] of Object.entries(resources)) {
      if (machine.Type !== 'AWS::StepFunctions::StateMachine') continue;
      const role = resources[roleOf(machine, 'RoleArn')];
      if (!role || role.Type !== 'AWS::IAM::Role') continue;
      const published = publishedBy(definitionOf(machine, logicalId), logicalId);
      const foreign = [...published.sources].filter((candidate) => candidate !== source);
      if (foreign.length > 0) {
        throw new this.serverless.classes.Error(`template-policy: state machine ${logicalId} publishes as ${foreign.join(', ')}; ${source} is this service's only source`);
      }
      this.checkSagaContract(logicalId, machine, published, source, sagas);
      for (const policy of role.Properties.Policies) {
        const statements = policy.PolicyDocument.Statement;
        for (let index = statements.length - 1; index >= 0; index--) {
          const statement = statements[index];
          const actions = actionsOf(statement);
          if (!actions.includes('events:PutEvents')) continue;
          if (published.detailTypes.size === 0) throw new this.serverless.classes.Error(`template-policy: ${logicalId} may put events but its definition publishes none`);
          const others = actions.filter((action) => action !== 'events:PutEvents');
          const conditioned = {
            Effect: statement.Effect,
            Action: 'events:PutEvents',
            Resource: statement.Resource,
            Condition: {
              'ForAllValues:StringEquals': { 'events:source': [source] },
              StringEquals: { 'events:detail-type': [...published.detailTypes].sort() },
            },
          };
          statements.splice(index, 1, ...(others.length > 0 ? [{ ...statement, Action: others }] : []), conditioned);
        }
      }
    }
  }

  /**
   * What a state machine publishes must be what its contract says its saga answers: the saga the
   * requests' routes name (`x-centli` saga.definition, the state machine's key), with exactly those
   * detail-types, as this service.
   */
  checkSagaContract(logicalId, machine, published, source, sagas) {
    if (published.detailTypes.size === 0) return;
    const key = this.stateMachineKey(logicalId, machine);
    const contract = key === undefined ? undefined : sagas[key];
    const detailTypes = [...published.detailTypes].sort();
    if (!contract) {
      throw new this.serverless.classes.Error(
        `template-policy: state machine ${key ?? logicalId} publishes ${detailTypes.join(', ')}, but no contract names it as a saga (custom.templatePolicy.sagas, from the requests' x-centli saga)`,
      );
    }
    const expected = [...new Set(contract.puts)].sort();
    if (`centli.${contract.service}` !== source || JSON.stringify(detailTypes) !== JSON.stringify(expected)) {
      throw new this.serverless.classes.Error(
        `template-policy: state machine ${key} publishes ${detailTypes.join(', ')} as ${source}; its contract says centli.${contract.service} answers ${expected.join(', ')} (the x-centli saga.answers of the requests it settles)`,
      );
    }
  }

  /** The key under `stepFunctions.stateMachines` of a compiled state machine, by its name or logical id. */
  stateMachineKey(logicalId, machine) {
    const declared = (this.serverless.service.stepFunctions && this.serverless.service.stepFunctions.stateMachines) || {};
    const name = machine.Properties.StateMachineName;
    const normalize = (key) => this.serverless.getProvider('aws').naming.getNormalizedFunctionName(key);
    return Object.keys(declared).find((key) => {
      const declaration = declared[key] || {};
      return (name !== undefined && declaration.name === name) || declaration.id === logicalId || `${normalize(key)}StepFunctionsStateMachine` === logicalId;
    });
  }

  scopeWebSocketPermissions(resources) {
    if (!resources.WebsocketsApi) return;
    for (const permission of Object.values(resources)) {
      if (permission.Type !== 'AWS::Lambda::Permission') continue;
      const properties = permission.Properties;
      if (properties.Principal !== 'apigateway.amazonaws.com' || properties.SourceArn) continue;
      if (!(permission.DependsOn || []).includes('WebsocketsApi')) continue;
      properties.SourceArn = { 'Fn::Sub': 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebsocketsApi}/*' };
    }
  }

  skipInapplicableChecks(resources, deploymentBucketLogicalId, outsideVpc) {
    const asyncFailureDestinations = new Set(
      Object.values(resources)
        .filter((config) => config.Type === 'AWS::Lambda::EventInvokeConfig' && config.Properties.DestinationConfig && config.Properties.DestinationConfig.OnFailure)
        .map((config) => config.Properties.FunctionName && config.Properties.FunctionName.Ref),
    );
    for (const [logicalId, resource] of Object.entries(resources)) {
      if (resource.Type === 'AWS::Lambda::Function') {
        const network = resource.Properties.VpcConfig ? [] : [outsideVpc ? { id: 'CKV_AWS_117', comment: outsideVpc.get(logicalId) } : NO_VPC];
        skip(resource, [...network, ...FUNCTION_SKIPS, asyncFailureDestinations.has(logicalId) ? ASYNC_FAILURES : SYNC_ONLY]);
      } else if (resource.Type === 'AWS::Logs::LogGroup') {
        skip(resource, LOG_GROUP_SKIPS);
      } else if (logicalId === deploymentBucketLogicalId) {
        skip(resource, DEPLOYMENT_BUCKET_SKIPS);
      } else if (resource.Type === 'AWS::ApiGatewayV2::Stage' && resource.Properties.ApiId && resource.Properties.ApiId.Ref === 'WebsocketsApi') {
        skip(resource, WEBSOCKET_STAGE_SKIPS);
      }
    }
  }
}

/** The logical id of the role a function (Role) or state machine (RoleArn) runs as. */
function roleOf(resource, property = 'Role') {
  const role = resource.Properties[property];
  return role && Array.isArray(role['Fn::GetAtt']) ? role['Fn::GetAtt'][0] : undefined;
}

/** A managed policy ARN as text, whether a string or the Fn::Join osls writes it as. */
function managedPolicyText(arn) {
  if (typeof arn === 'string') return arn;
  const join = arn && arn['Fn::Join'];
  return Array.isArray(join) ? join[1].map((part) => (typeof part === 'string' ? part : '')).join(join[0]) : JSON.stringify(arn);
}

function actionsOf(statement) {
  return [].concat(statement.Action ?? []);
}

/** The ASL of a state machine resource: `${...}` placeholders sit inside JSON strings, so it parses. */
function definitionOf(machine, logicalId) {
  const definition = machine.Properties.DefinitionString;
  const text = typeof definition === 'string' ? definition : [].concat(definition && definition['Fn::Sub'])[0];
  if (typeof text !== 'string') throw new Error(`template-policy: cannot read the definition of ${logicalId}`);
  return JSON.parse(text);
}

/** Every source and detail-type the definition's putEvents tasks name (Parallel and Map included). */
function publishedBy(definition, logicalId) {
  const found = { sources: new Set(), detailTypes: new Set() };
  const visit = (states) => {
    for (const [name, state] of Object.entries(states || {})) {
      for (const branch of state.Branches || []) visit(branch.States);
      if (state.ItemProcessor) visit(state.ItemProcessor.States);
      if (state.Iterator) visit(state.Iterator.States);
      if (state.Type !== 'Task' || !PUT_EVENTS_TASK.test(state.Resource)) continue;
      const entries = (state.Parameters || state.Arguments || {}).Entries;
      if (!Array.isArray(entries)) throw new Error(`template-policy: ${logicalId}.${name} must list its Entries, so its role can name what it publishes`);
      for (const entry of entries) {
        if (typeof entry.Source !== 'string' || typeof entry.DetailType !== 'string') {
          throw new Error(`template-policy: ${logicalId}.${name} must publish a literal Source and DetailType, so its role can name them`);
        }
        found.sources.add(entry.Source);
        found.detailTypes.add(entry.DetailType);
      }
    }
  };
  visit(definition.States);
  return found;
}

/** Adds checkov skips to a resource's Metadata, keeping any it already has. */
function skip(resource, checks) {
  const metadata = (resource.Metadata ??= {});
  const checkov = (metadata.checkov ??= {});
  const skips = (checkov.skip ??= []);
  for (const check of checks) {
    if (!skips.some((existing) => existing.id === check.id)) skips.push({ ...check });
  }
}

module.exports = TemplatePolicy;
