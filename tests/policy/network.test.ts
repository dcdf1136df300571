/**
 * The `vpc` stage option, read off the packaged templates: the network stack (services/network) is
 * private subnets in two AZs with no way to the internet, every AWS API an attached function is
 * granted has an endpoint that lets the call through, and with the option on (prod's templates) every
 * function is in the private subnets but the few that need what only the internet serves; with it off
 * (the stage checked, unless its setting says otherwise) none is.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCloudFormationYaml } from '../../local/cloudformation-yaml';
import { REPOSITORY_ROOT } from '../../local/serverless-config';
import { actionsOf, CHECKED_STAGE, list, loadTemplates, referenced, resourcesOfType, statementsOf, type Resource, type Template } from './templates';

const checked = loadTemplates('checked');
const prod = loadTemplates('prod');

/**
 * The functions that stay out of the VPC when it is on, each with why: what they reach is public
 * only, and the private subnets have no route out. Their serverless.yml says `vpc: false` and gives
 * the same reason to checkov (custom.templatePolicy.outsideVpc).
 */
const OUTSIDE_VPC: Readonly<Record<string, string>> = {
  'agent-gateway/ConnectLambdaFunction': "verifies tokens against the user pool's signing keys (jwks.json): Cognito serves no user pool with a domain through a VPC endpoint",
  'mcp/HttpLambdaFunction': "verifies tokens against the user pool's signing keys (jwks.json): Cognito serves no user pool with a domain through a VPC endpoint",
  'mcp/ApprovalsLambdaFunction': "verifies tokens against the user pool's signing keys (jwks.json): Cognito serves no user pool with a domain through a VPC endpoint",
  'mcp/AgentcoreDashinterceptorLambdaFunction': "verifies tokens against the user pool's signing keys (jwks.json): Cognito serves no user pool with a domain through a VPC endpoint",
  'mcp/OauthDashfrontLambdaFunction': "forwards token requests to the user pool's managed login domain (/oauth2/token): Cognito serves no user pool domain through a VPC endpoint",
  'agent-gateway/MessageLambdaFunction': "answers on the WebSocket through API Gateway's @connections API, which is public: an execute-api endpoint reaches private REST APIs only",
  'agent-gateway/RespondLambdaFunction': "answers on the WebSocket through API Gateway's @connections API, which is public: an execute-api endpoint reaches private REST APIs only",
  'agent-gateway/NotifyLambdaFunction': "pushes to the WebSocket through API Gateway's @connections API, which is public: an execute-api endpoint reaches private REST APIs only",
  'agent-gateway/ExpireDashsessionsLambdaFunction': "closes the WebSocket through API Gateway's @connections API, which is public: an execute-api endpoint reaches private REST APIs only",
  'agent-gateway/RevokeDashsessionsLambdaFunction': "closes the WebSocket through API Gateway's @connections API, which is public: an execute-api endpoint reaches private REST APIs only",
  'voice/BotDashcodeDashhookLambdaFunction': 'understands the caller with Amazon Bedrock (the chat’s intent engine), which the network stack gives no VPC endpoint',
  'core-banking/SpeiDashsendDashorderLambdaFunction': 'sends orders to the SPEI participant’s HTTP API, which is outside AWS: the private subnets have no route out',
  'core-banking/SpeiDashresolveDashtimeoutLambdaFunction': 'asks the SPEI participant’s HTTP API, which is outside AWS, to cancel an unanswered order: the private subnets have no route out',
};

/**
 * The endpoint service (`com.amazonaws.<region>.<name>`) each action prefix a function sends from
 * its own network needs; `null` for an API no VPC endpoint serves. Logs, the on-failure destination
 * and the network interfaces are the Lambda service's own doing, outside the VPC.
 */
const ENDPOINT_OF: Readonly<Record<string, string | null>> = {
  dynamodb: 'dynamodb',
  events: 'events',
  states: 'states',
  lambda: 'lambda',
  kms: 'kms',
  ssm: 'ssm',
  xray: 'xray',
  bedrock: 'bedrock-runtime',
  'execute-api': null,
};
const LAMBDA_SERVICE_ACTIONS = /^(logs:|ec2:|sqs:SendMessage$)/;

/** What serverless.common.yml says: each stage's `vpc`, and the provider.vpc a service gets with it on. */
const common = parseCloudFormationYaml(readFileSync(join(REPOSITORY_ROOT, 'serverless.common.yml'), 'utf8')) as {
  network: { vpc: Record<string, string>; functions: { true: { securityGroupIds: unknown[]; subnetIds: unknown[] } } };
};

const network = (of: Template[]) => of.find((template) => template.service === 'network') as Template;
const functionsOf = (of: Template[]) =>
  of.flatMap((template) => resourcesOfType(template, 'AWS::Lambda::Function').map(([id, fn]) => ({ template, id, fn, name: `${template.service}/${id}` })));
const endpointService = (endpoint: Resource) => String((endpoint.Properties?.ServiceName as { 'Fn::Sub'?: string } | undefined)?.['Fn::Sub'] ?? endpoint.Properties?.ServiceName).replace(/^com\.amazonaws\.\$\{AWS::Region\}\./, '');
/** The value serverless.common.yml's `${sls:stage}` resolves to in a stage. */
const forStage = (value: unknown, stage: string) => JSON.parse(JSON.stringify(value).replaceAll('${sls:stage}', stage)) as unknown;

function vpcConfigFor(stage: string) {
  const { securityGroupIds, subnetIds } = common.network.functions.true;
  return { SecurityGroupIds: forStage(securityGroupIds, stage), SubnetIds: forStage(subnetIds, stage) };
}

function checkovSkip(fn: Resource, id: string): string | undefined {
  const skips = ((fn.Metadata?.checkov as { skip?: Array<{ id: string; comment: string }> } | undefined)?.skip ?? []);
  return skips.find((entry) => entry.id === id)?.comment;
}

describe('the network stack', () => {
  const template = network(prod);
  const subnets = resourcesOfType(template, 'AWS::EC2::Subnet');
  const endpoints = resourcesOfType(template, 'AWS::EC2::VPCEndpoint');

  it('is the same whichever stage option is packaged', () => {
    expect(network(checked).resources).toEqual(JSON.parse(JSON.stringify(template.resources).replaceAll('-prod', `-${CHECKED_STAGE}`)));
  });

  it('has one private subnet in each of two availability zones', () => {
    // Act
    const zones = subnets.map(([, subnet]) => subnet.Properties?.AvailabilityZone);

    // Assess
    expect(zones).toEqual([{ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }, { 'Fn::Select': [1, { 'Fn::GetAZs': '' }] }]);
    for (const [, subnet] of subnets) expect(subnet.Properties?.MapPublicIpOnLaunch).toBe(false);
  });

  it.each([...checked, ...prod].map((owner) => [`${owner.service}${owner.file.includes('/prod/') ? ' (prod)' : ''}`, owner]))(
    '%s has no way to the internet: no internet or NAT gateway, no route to 0.0.0.0/0',
    (_name, owner) => {
      // Act
      const gateways = Object.entries(owner.resources)
        .filter(([, resource]) =>
          ['AWS::EC2::InternetGateway', 'AWS::EC2::EgressOnlyInternetGateway', 'AWS::EC2::NatGateway', 'AWS::EC2::VPCGatewayAttachment', 'AWS::EC2::VPNGateway', 'AWS::EC2::TransitGatewayAttachment', 'AWS::EC2::CarrierGateway', 'AWS::EC2::EIP'].includes(resource.Type),
        )
        .map(([id]) => id);
      const routes = resourcesOfType(owner, 'AWS::EC2::Route').map(([id, route]) => `${id} → ${JSON.stringify(route.Properties?.DestinationCidrBlock ?? route.Properties?.DestinationIpv6CidrBlock ?? route.Properties?.DestinationPrefixListId)}`);

      // Assess: the only routes are the VPC's own and the ones the DynamoDB gateway endpoint adds.
      expect(gateways).toEqual([]);
      expect(routes).toEqual([]);
      for (const [, subnet] of resourcesOfType(owner, 'AWS::EC2::Subnet')) expect(subnet.Properties?.MapPublicIpOnLaunch).toBe(false);
    },
  );

  it('routes DynamoDB through a gateway endpoint on the route table of every subnet', () => {
    // Prepare
    const associations = resourcesOfType(template, 'AWS::EC2::SubnetRouteTableAssociation').map(([, association]) => [referenced(association.Properties?.SubnetId), referenced(association.Properties?.RouteTableId)]);
    const gateways = endpoints.filter(([, endpoint]) => endpoint.Properties?.VpcEndpointType === 'Gateway');

    // Act
    const [[, dynamodb] = []] = gateways;
    const routed = list(dynamodb?.Properties?.RouteTableIds as unknown[]).map(referenced);

    // Assess
    expect(gateways.map(([, endpoint]) => endpointService(endpoint))).toEqual(['dynamodb']);
    expect(associations.map(([subnet]) => subnet).sort()).toEqual(subnets.map(([id]) => id).sort());
    expect(associations.map(([, table]) => table).sort()).toEqual([...routed].sort());
  });

  it.each(endpoints.filter(([, endpoint]) => endpoint.Properties?.VpcEndpointType === 'Interface'))('%s answers in both subnets under its private DNS name, to the functions only', (_id, endpoint) => {
    expect(endpoint.Properties).toMatchObject({
      PrivateDnsEnabled: true,
      SubnetIds: subnets.map(([id]) => ({ Ref: id })),
      SecurityGroupIds: [{ 'Fn::GetAtt': ['EndpointSecurityGroup', 'GroupId'] }],
    });
  });

  it('lets the functions out only to the endpoints and DynamoDB, over HTTPS, and nothing in', () => {
    // Prepare
    const group = template.resources.FunctionSecurityGroup?.Properties ?? {};
    const separate = resourcesOfType(template, 'AWS::EC2::SecurityGroupEgress')
      .filter(([, rule]) => JSON.stringify(rule.Properties?.GroupId).includes('FunctionSecurityGroup'))
      .map(([, rule]) => rule.Properties as Record<string, unknown>);
    const ingress = resourcesOfType(template, 'AWS::EC2::SecurityGroupIngress').filter(([, rule]) => JSON.stringify(rule.Properties?.GroupId).includes('FunctionSecurityGroup'));

    // Act
    const egress = [...list(group.SecurityGroupEgress as Array<Record<string, unknown>>), ...separate];

    // Assess
    expect(group.SecurityGroupIngress).toBeUndefined();
    expect(ingress).toEqual([]);
    expect(egress.map(({ IpProtocol, FromPort, ToPort }) => ({ IpProtocol, FromPort, ToPort }))).toEqual(egress.map(() => ({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 })));
    expect(egress.map((rule) => rule.DestinationPrefixListId ?? rule.DestinationSecurityGroupId ?? rule.CidrIp ?? rule.CidrIpv6)).toEqual(
      expect.arrayContaining([{ 'Fn::GetAtt': ['EndpointSecurityGroup', 'GroupId'] }, expect.stringMatching(/^pl-[0-9a-f]+$/)]),
    );
    expect(egress).toHaveLength(2);
  });

  it('lets into the endpoints only HTTPS from the functions, and nothing out of them', () => {
    // Prepare
    const group = template.resources.EndpointSecurityGroup?.Properties ?? {};

    // Assess: the one egress rule is the loopback address, which replaces CloudFormation's allow-all.
    expect(group.SecurityGroupIngress).toEqual([expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourceSecurityGroupId: { 'Fn::GetAtt': ['FunctionSecurityGroup', 'GroupId'] } })]);
    expect(group.SecurityGroupEgress).toEqual([expect.objectContaining({ IpProtocol: '-1', CidrIp: '127.0.0.1/32' })]);
    expect(resourcesOfType(template, 'AWS::EC2::SecurityGroupIngress')).toEqual([]);
  });

  it('lets each endpoint through only to this account', () => {
    // Act
    const loose = statementsOf(template)
      .filter((found) => found.holderType === 'AWS::EC2::VPCEndpoint')
      .filter((found) => found.statement.Effect !== 'Allow' || list(found.statement.Resource).some((resource) => resource !== '*' && !JSON.stringify(resource).includes('${AWS::AccountId}')))
      .map((found) => found.holder);

    // Assess: the X-Ray endpoint's "*" (X-Ray has no resource types) is the wildcard test's business.
    expect(loose).toEqual([]);
    for (const [id, endpoint] of endpoints) expect({ id, policy: endpoint.Properties?.PolicyDocument !== undefined }).toEqual({ id, policy: true });
  });

  it('exports the subnets and the security group every service attaches to', () => {
    // Act
    const exported = Object.values(template.outputs).map((output) => output.Export?.Name);
    const imported = [...common.network.functions.true.securityGroupIds, ...common.network.functions.true.subnetIds].map((value) => (forStage(value, 'prod') as { 'Fn::ImportValue': string })['Fn::ImportValue']);

    // Assess
    expect(exported).toEqual(expect.arrayContaining(imported));
  });

  it('logs every flow of the VPC, and keeps the log a while', () => {
    // Act
    const [[, flowLog] = []] = resourcesOfType(template, 'AWS::EC2::FlowLog');

    // Assess
    expect(flowLog?.Properties).toMatchObject({ ResourceType: 'VPC', ResourceId: { Ref: 'Vpc' }, TrafficType: 'ALL' });
    expect(template.resources.FlowLogGroup?.Properties?.RetentionInDays).toEqual(expect.any(Number));
  });
});

describe('functions with the VPC on (prod)', () => {
  const functions = functionsOf(prod);
  const template = network(prod);
  const endpoints = resourcesOfType(template, 'AWS::EC2::VPCEndpoint');

  it.each(functions.map((fn) => [fn.name, fn]))('%s runs in the private subnets, or stays out for its listed reason', (name, { fn }) => {
    if (OUTSIDE_VPC[name]) {
      expect(fn.Properties?.VpcConfig).toBeUndefined();
      expect(checkovSkip(fn, 'CKV_AWS_117')).toEqual(expect.stringContaining('no route out'));
    } else {
      expect(fn.Properties?.VpcConfig).toEqual(vpcConfigFor('prod'));
      expect(checkovSkip(fn, 'CKV_AWS_117')).toBeUndefined();
    }
  });

  it('keeps out of the VPC list only functions that exist', () => {
    expect(Object.keys(OUTSIDE_VPC).filter((name) => !functions.some((fn) => fn.name === name))).toEqual([]);
  });

  it('grants the network-interface actions to the roles of attached functions only', () => {
    // Act
    const wrong = functions.flatMap(({ template: owner, fn, name }) => {
      const role = referenced(fn.Properties?.Role);
      const granted = statementsOf(owner).filter((found) => found.holder === role).flatMap((found) => actionsOf(found.statement));
      const attached = fn.Properties?.VpcConfig !== undefined;
      return granted.includes('ec2:CreateNetworkInterface') === attached ? [] : [`${name}: ${attached ? 'attached without' : 'outside with'} the network-interface actions`];
    });

    // Assess
    expect(wrong).toEqual([]);
  });

  it('has an endpoint that lets through every AWS API call an attached function is granted', () => {
    // Prepare: each endpoint's service and the actions its policy allows.
    const allowed = new Map(
      endpoints.map(([id, endpoint]) => [
        endpointService(endpoint),
        statementsOf(template)
          .filter((found) => found.holder === id && found.statement.Effect === 'Allow')
          .flatMap((found) => actionsOf(found.statement)),
      ]),
    );

    // Act
    const unreachable = functions
      .filter(({ fn }) => fn.Properties?.VpcConfig !== undefined)
      .flatMap(({ template: owner, fn, name }) =>
        statementsOf(owner)
          .filter((found) => found.holder === referenced(fn.Properties?.Role) && found.statement.Effect === 'Allow')
          .flatMap((found) => actionsOf(found.statement))
          .filter((action) => !LAMBDA_SERVICE_ACTIONS.test(action))
          .flatMap((action) => {
            const service = ENDPOINT_OF[action.split(':')[0] as string];
            if (service === undefined) return [`${name}: ${action} (which endpoint? add its service to ENDPOINT_OF)`];
            if (service === null) return [`${name}: ${action} (no VPC endpoint serves it: keep the function out of the VPC)`];
            return allowed.get(service)?.includes(action) ? [] : [`${name}: ${action} (no ${service} endpoint lets it through)`];
          }),
      );

    // Assess
    expect(unreachable).toEqual([]);
  });

  it('keeps no interface endpoint that no attached function calls (each costs by the hour)', () => {
    // Act
    const used = new Set(
      functions
        .filter(({ fn }) => fn.Properties?.VpcConfig !== undefined)
        .flatMap(({ template: owner, fn }) => statementsOf(owner).filter((found) => found.holder === referenced(fn.Properties?.Role)).flatMap((found) => actionsOf(found.statement)))
        .map((action) => ENDPOINT_OF[action.split(':')[0] as string]),
    );
    const idle = endpoints.map(([, endpoint]) => endpointService(endpoint)).filter((service) => !used.has(service));

    // Assess
    expect(idle).toEqual([]);
  });
});

describe(`functions of the stage checked (${CHECKED_STAGE}), with its own vpc setting`, () => {
  const on = (common.network.vpc[CHECKED_STAGE] ?? common.network.vpc.other) === 'true';
  const functions = functionsOf(checked);

  it.each(functions.map((fn) => [fn.name, fn]))(`%s is ${on ? 'in the private subnets unless listed' : 'outside any VPC, checkov told why'}`, (name, { fn }) => {
    if (on && !OUTSIDE_VPC[name]) {
      expect(fn.Properties?.VpcConfig).toEqual(vpcConfigFor(CHECKED_STAGE));
    } else {
      expect(fn.Properties?.VpcConfig).toBeUndefined();
      expect(checkovSkip(fn, 'CKV_AWS_117')).toEqual(expect.stringContaining(on ? 'no route out' : 'stage option'));
    }
  });
});
