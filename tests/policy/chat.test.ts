/**
 * The deployed chat page and its sign-in, read off the platform's packaged template: a private
 * bucket only the page's CloudFront distribution reads (origin access control), HTTPS with security
 * headers and a Content-Security-Policy that lets the page talk to its own origin, the stage's
 * WebSocket API and the user pool's managed login, and a public app client that signs in with the
 * authorization code grant (PKCE) and returns only to the page. The outputs are the ones
 * scripts/publish-chat.ts reads.
 */
import { GATEWAY_OUTPUTS, MCP_OUTPUTS, PLATFORM_OUTPUTS } from '../../scripts/publish-chat';
import { list, loadTemplates, referenced, statementsOf, type Resource, type Template } from './templates';

const platform = loadTemplates('checked').find((template) => template.service === 'platform') as Template;
const gateway = loadTemplates('checked').find((template) => template.service === 'agent-gateway') as Template;
const mcp = loadTemplates('checked').find((template) => template.service === 'mcp') as Template;
const properties = (id: string) => (platform.resources[id] as Resource | undefined)?.Properties ?? {};
const distribution = properties('ChatDistribution').DistributionConfig as Record<string, unknown>;
/** CloudFront's managed cache policy Managed-CachingOptimized. */
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';
/** The URL of the page, as the template spells it wherever it means the page. */
const CHAT_URL = { 'Fn::Sub': 'https://${ChatDistribution.DomainName}/' };
const APPROVAL_URL = { 'Fn::Sub': 'https://${ChatDistribution.DomainName}/approve.html' };

describe('the chat bucket', () => {
  it('is private, encrypted and owned by the bucket owner', () => {
    expect(properties('ChatBucket')).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: expect.any(String) } }] },
    });
  });

  it('lets only the chat distribution read it, and nobody over plain HTTP', () => {
    // Act
    const found = statementsOf(platform).filter((candidate) => candidate.holderType === 'AWS::S3::BucketPolicy' && referenced(properties(candidate.holder).Bucket) === 'ChatBucket');
    const allows = found.filter((candidate) => candidate.statement.Effect === 'Allow').map((candidate) => candidate.statement);
    const denies = found.filter((candidate) => candidate.statement.Effect === 'Deny').map((candidate) => candidate.statement);

    // Assess
    expect(allows).toEqual([
      expect.objectContaining({
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Condition: { StringEquals: { 'AWS:SourceArn': { 'Fn::Sub': 'arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${ChatDistribution}' } } },
      }),
    ]);
    expect(denies).toEqual([expect.objectContaining({ Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]);
  });
});

describe('the chat distribution', () => {
  const behaviour = distribution.DefaultCacheBehavior as Record<string, unknown>;
  const [origin] = distribution.Origins as Array<Record<string, unknown>>;

  it('reads the bucket with origin access control (not an origin access identity)', () => {
    expect(distribution.Origins).toHaveLength(1);
    expect(origin).toMatchObject({ DomainName: { 'Fn::GetAtt': ['ChatBucket', 'RegionalDomainName'] }, OriginAccessControlId: { 'Fn::GetAtt': ['ChatOriginAccessControl', 'Id'] }, S3OriginConfig: { OriginAccessIdentity: '' } });
    expect(properties('ChatOriginAccessControl').OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
  });

  it('serves index.html at the root, over HTTPS only, with the managed CachingOptimized policy', () => {
    expect(distribution).toMatchObject({ Enabled: true, DefaultRootObject: 'index.html' });
    expect(behaviour).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'], CachePolicyId: CACHING_OPTIMIZED, ResponseHeadersPolicyId: { Ref: 'ChatResponseHeadersPolicy' } });
  });

  it('sends the security headers', () => {
    expect((properties('ChatResponseHeadersPolicy').ResponseHeadersPolicyConfig as Record<string, unknown>).SecurityHeadersConfig).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: expect.any(Number), Override: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: expect.stringMatching(/^(no-referrer|strict-origin-when-cross-origin|same-origin)$/), Override: true },
      ContentSecurityPolicy: { Override: true },
    });
  });

  it("lets the page run only its own code and talk only to itself, the stage's WebSocket and managed login", () => {
    // Prepare
    const config = (properties('ChatResponseHeadersPolicy').ResponseHeadersPolicyConfig as Record<string, { ContentSecurityPolicy: { ContentSecurityPolicy: { 'Fn::Sub': string } } }>).SecurityHeadersConfig;
    const policy = config?.ContentSecurityPolicy.ContentSecurityPolicy['Fn::Sub'] as string;

    // Act
    const directives = new Map(policy.split(';').map((directive) => directive.trim().split(/\s+/)).map(([name, ...values]) => [name as string, values]));

    // Assess
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('connect-src')).toEqual([
      "'self'",
      'wss://*.execute-api.${AWS::Region}.${AWS::URLSuffix}',
      expect.stringMatching(/^https:\/\/centli-[a-z0-9-]+-\$\{AWS::AccountId\}\.auth\.\$\{AWS::Region\}\.amazoncognito\.com$/),
      // The approval page calls the MCP server's HTTP API (its HttpApiUrl, https://<id>.execute-api.<region>.<suffix>).
      'https://*.execute-api.${AWS::Region}.${AWS::URLSuffix}',
    ]);
    // The managed login the policy allows is the one the page is told to use.
    expect((platform.outputs.AuthDomainUrl?.Value as { 'Fn::Sub': string })['Fn::Sub']).toBe(directives.get('connect-src')?.[2]);
    // The WebSocket the policy allows is the stage's: the gateway's output is of that form.
    expect((gateway.outputs.ChatWebSocketUrl?.Value as { 'Fn::Sub': string })['Fn::Sub']).toMatch(/^wss:\/\/\$\{WebsocketsApi\}\.execute-api\.\$\{AWS::Region\}\.\$\{AWS::URLSuffix\}\//);
  });
});

describe('sign-in (Cognito managed login)', () => {
  const client = properties('UserPoolClient');

  it('signs the page in with the authorization code grant, as a public client (PKCE, no secret)', () => {
    expect(client).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'],
      SupportedIdentityProviders: ['COGNITO'],
    });
  });

  it('returns only to the site’s pages (the chat and the approval page), after sign-in and sign-out', () => {
    expect({ callback: client.CallbackURLs, logout: client.LogoutURLs }).toEqual({ callback: [CHAT_URL, APPROVAL_URL], logout: [CHAT_URL] });
    expect(platform.outputs.ChatUrl?.Value).toEqual(CHAT_URL);
  });

  it('keeps the pool closed to sign-up and the customer id out of the client\'s reach', () => {
    expect(properties('UserPool').AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: true });
    expect(list(client.ReadAttributes as string[])).toContain('custom:user_id');
    expect(list(client.WriteAttributes as string[])).not.toContain('custom:user_id');
  });

  it('has a managed login domain of its own, styled for the client', () => {
    expect(properties('UserPoolDomain')).toMatchObject({ UserPoolId: { Ref: 'UserPool' }, Domain: { 'Fn::Sub': expect.stringMatching(/^centli-[a-z0-9-]+-\$\{AWS::AccountId\}$/) }, ManagedLoginVersion: 2 });
    expect(properties('ManagedLoginBranding')).toMatchObject({ UserPoolId: { Ref: 'UserPool' }, ClientId: { Ref: 'UserPoolClient' }, UseCognitoProvidedValues: true });
  });
});

describe('outputs', () => {
  it.each(Object.keys(PLATFORM_OUTPUTS))('the platform outputs %s, which scripts/publish-chat.ts reads', (name) => {
    expect(platform.outputs[name]?.Value).toBeDefined();
  });

  it.each(Object.keys(GATEWAY_OUTPUTS))('the chat gateway outputs %s, which scripts/publish-chat.ts reads', (name) => {
    expect(gateway.outputs[name]?.Value).toBeDefined();
  });

  it.each(Object.keys(MCP_OUTPUTS))('the MCP server outputs %s, which scripts/publish-chat.ts reads for the approval page', (name) => {
    expect(mcp.outputs[name]?.Value).toBeDefined();
  });
});
