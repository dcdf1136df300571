'use strict';
/**
 * osls plugin: declares the service's Amazon Bedrock AgentCore Gateway from the tool registry,
 * so the tools an agent sees through the Gateway are the ones the MCP server serves, with the
 * same schemas (schemas/tools/generated.json, itself generated from schemas/):
 *   - the Gateway (MCP, inbound CUSTOM_JWT against the stage's user pool) and the role it invokes
 *     its Lambdas with;
 *   - a REQUEST interceptor (the function that binds the customer to each call);
 *   - one target per service of the registry (`core-banking`, `crm`, `marketplace`, `cards`), all
 *     served by one Lambda target function, each with its tools' schemas inline. AgentCore's
 *     inline schema language has types, properties, required and items only, so enums, patterns
 *     and bounds are written into the descriptions; the target still validates every argument
 *     against the full schema.
 * Configure with
 *   custom.agentcoreGateway: { name, targetFunction, interceptorFunction, discoveryUrl, allowedAudience, toolCatalog }
 */
const fs = require('node:fs');
const path = require('node:path');

const IDENTITY_ARGUMENT = '_centli_identity';

class AgentCoreGateway {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'package:compileEvents': () => this.addGateway() };
  }

  addGateway() {
    const service = this.serverless.service;
    const settings = service.custom && service.custom.agentcoreGateway;
    if (!settings) return;
    const provider = this.serverless.getProvider('aws');
    const naming = provider.naming;
    const resources = service.provider.compiledCloudFormationTemplate.Resources;
    const outputs = (service.provider.compiledCloudFormationTemplate.Outputs ??= {});
    const catalogPath = path.resolve(this.serverless.serviceDir ?? this.serverless.config.servicePath, settings.toolCatalog);
    const { tools, outputSchemas } = JSON.parse(fs.readFileSync(catalogPath, 'utf8'));

    const arnOf = (fn) => ({ 'Fn::GetAtt': [naming.getLambdaLogicalId(fn), 'Arn'] });
    const target = arnOf(settings.targetFunction);
    const interceptor = arnOf(settings.interceptorFunction);

    resources.AgentCoreGatewayRole = {
      Type: 'AWS::IAM::Role',
      Properties: {
        Description: 'Lets the AgentCore Gateway invoke the Centli tool target and its request interceptor, nothing else.',
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'bedrock-agentcore.amazonaws.com' },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            },
          ],
        },
        Policies: [
          {
            PolicyName: 'invoke-centli-tools',
            PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [target, interceptor] }] },
          },
        ],
      },
    };

    resources.AgentCoreGateway = {
      Type: 'AWS::BedrockAgentCore::Gateway',
      Properties: {
        Name: settings.name,
        Description: 'Centli banking tools for AI agents; every call is bound to the signed-in customer.',
        ProtocolType: 'MCP',
        RoleArn: { 'Fn::GetAtt': ['AgentCoreGatewayRole', 'Arn'] },
        AuthorizerType: 'CUSTOM_JWT',
        AuthorizerConfiguration: { CustomJWTAuthorizer: { DiscoveryUrl: settings.discoveryUrl, AllowedAudience: settings.allowedAudience } },
        InterceptorConfigurations: [{ Interceptor: { Lambda: { Arn: interceptor } }, InterceptionPoints: ['REQUEST'], InputConfiguration: { PassRequestHeaders: true } }],
      },
    };

    const groups = new Map();
    for (const tool of tools) {
      const group = tool.function.split('/')[0];
      if (!groups.has(group)) groups.set(group, []);
      groups.get(group).push(tool);
    }
    for (const [group, members] of groups) {
      const logicalId = `AgentCoreTarget${group.replace(/(^|-)([a-z])/g, (_, __, c) => c.toUpperCase())}`;
      resources[logicalId] = {
        Type: 'AWS::BedrockAgentCore::GatewayTarget',
        Properties: {
          GatewayIdentifier: { Ref: 'AgentCoreGateway' },
          Name: group,
          Description: `Centli ${group} tools`,
          CredentialProviderConfigurations: [{ CredentialProviderType: 'GATEWAY_IAM_ROLE' }],
          TargetConfiguration: {
            Mcp: { Lambda: { LambdaArn: target, ToolSchema: { InlinePayload: members.map((tool) => toolDefinition(tool, outputSchemas[tool.name])) } } },
          },
        },
      };
    }
    outputs.AgentCoreGatewayUrl = { Description: 'The MCP endpoint of the AgentCore Gateway', Value: { 'Fn::GetAtt': ['AgentCoreGateway', 'GatewayUrl'] } };
  }
}

/** A registry tool as an AgentCore inline ToolDefinition (its input, with the identity argument the interceptor adds, and its output). */
function toolDefinition(tool, outputSchema) {
  const input = schemaDefinition(tool.inputSchema);
  input.Properties = {
    ...(input.Properties ?? {}),
    [IDENTITY_ARGUMENT]: { Type: 'object', Description: 'Set by the Centli gateway interceptor from the signed-in customer; never send it (anything sent is replaced).' },
  };
  return { Name: tool.name, Description: `${tool.title}. ${tool.description}`, InputSchema: input, OutputSchema: schemaDefinition(outputSchema) };
}

/** JSON Schema → AgentCore SchemaDefinition (Type, Description, Properties, Required, Items). */
function schemaDefinition(schema) {
  const type = Array.isArray(schema.type) ? schema.type[0] : (schema.type ?? 'object');
  const notes = [];
  if (schema.enum) notes.push(`one of: ${schema.enum.join(', ')}`);
  if (schema.const !== undefined) notes.push(`always ${schema.const}`);
  if (schema.pattern) notes.push(`pattern ${schema.pattern}`);
  if (schema.minimum !== undefined) notes.push(`minimum ${schema.minimum}`);
  if (schema.maximum !== undefined) notes.push(`maximum ${schema.maximum}`);
  if (schema.minLength !== undefined && schema.minLength > 1) notes.push(`at least ${schema.minLength} characters`);
  if (schema.maxLength !== undefined) notes.push(`at most ${schema.maxLength} characters`);
  if (schema.default !== undefined) notes.push(`default ${JSON.stringify(schema.default)}`);
  const description = [schema.description, notes.length ? `(${notes.join('; ')})` : ''].filter(Boolean).join(' ');
  const out = { Type: type };
  if (description) out.Description = description;
  if (type === 'object' && schema.properties) {
    out.Properties = Object.fromEntries(Object.entries(schema.properties).map(([name, sub]) => [name, schemaDefinition(sub)]));
    if (Array.isArray(schema.required) && schema.required.length) out.Required = schema.required;
  }
  if (type === 'array' && schema.items) out.Items = schemaDefinition(schema.items);
  return out;
}

module.exports = AgentCoreGateway;
module.exports.schemaDefinition = schemaDefinition;
module.exports.IDENTITY_ARGUMENT = IDENTITY_ARGUMENT;
