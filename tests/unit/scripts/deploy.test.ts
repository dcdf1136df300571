/**
 * scripts/deploy.ts: the order services deploy in (each imports only from those before it, which
 * the templates are checked for below), the reverse for removal, and the refusals.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArguments, plan, SERVICES, stageVpc } from '../../../scripts/deploy';

const root = join(__dirname, '..', '..', '..');

describe('plan', () => {
  it('deploys the platform first and every service after the ones it imports from, and the platform again after the MCP service to run its token trigger', () => {
    const steps = plan(parseArguments('deploy', ['--stage', 'dev']), {});
    expect(steps.map((s) => s.service)).toEqual(['platform', 'core-banking', 'crm', 'marketplace', 'cards', 'mcp', 'platform', 'agent-gateway', 'voice']);
    expect(steps.filter((s) => s.argv.includes('--param')).map((s) => s.argv)).toEqual([['sls', 'deploy', '--stage', 'dev', '--param', 'mcpTokenTrigger=true']]);
    expect(steps[0]).toEqual({ service: 'platform', dir: '.', argv: ['sls', 'deploy', '--stage', 'dev'] });
  });

  it('names the token trigger when it deploys the platform without the MCP service, and leaves it alone when it deploys the MCP service alone', () => {
    expect(plan(parseArguments('deploy', ['--stage', 'dev', '--only', 'platform,crm']), {})).toEqual([
      { service: 'platform', dir: '.', argv: ['sls', 'deploy', '--stage', 'dev', '--param', 'mcpTokenTrigger=true'] },
      { service: 'crm', dir: 'services/crm', argv: ['sls', 'deploy', '--stage', 'dev'] },
    ]);
    expect(plan(parseArguments('deploy', ['--stage', 'dev', '--only', 'mcp']), {})).toEqual([{ service: 'mcp', dir: 'services/mcp', argv: ['sls', 'deploy', '--stage', 'dev'] }]);
  });

  it('with the private network, deploys it right after the platform and every service into it', () => {
    const steps = plan(parseArguments('deploy', ['--stage', 'dev', '--vpc']), {});
    expect(steps.map((s) => s.service)).toEqual(['platform', 'network', 'core-banking', 'crm', 'marketplace', 'cards', 'mcp', 'platform', 'agent-gateway', 'voice']);
    expect(steps.find((s) => s.service === 'crm')?.argv).toEqual(['sls', 'deploy', '--stage', 'dev', '--param', 'vpc=true']);
    expect(steps.find((s) => s.service === 'network')?.argv).toEqual(['sls', 'deploy', '--stage', 'dev']);
    const removal = plan(parseArguments('remove', ['--stage', 'dev', '--vpc']), {}).map((s) => s.service);
    expect(removal.slice(-2)).toEqual(['network', 'platform']);
  });

  it('reads whether a stage has its network on from serverless.common.yml', () => {
    expect(stageVpc('dev')).toBe(false);
    expect(stageVpc('some-other-stage')).toBe(false);
  });

  it('orders every import after its export: no template imports a name a later service exports', () => {
    const exportsOf = SERVICES.map((service) => {
      const text = readFileSync(join(root, service.dir, 'serverless.yml'), 'utf8');
      return { service: service.name, text, exported: [...text.matchAll(/Export:\s*\n\s*Name:\s*(\S+)/g)].map((m) => m[1] as string) };
    });
    let checked = 0;
    for (const [index, { service, text }] of exportsOf.entries()) {
      const imported = [...text.matchAll(/(?:Fn::ImportValue:?|!ImportValue)\s*['"]?([\w${}:.-]+)/g)].map((m) => m[1] as string);
      for (const name of imported) {
        const owner = exportsOf.findIndex((candidate) => candidate.exported.includes(name));
        if (owner < 0) continue;
        checked++;
        expect({ service, imports: name, exportedBy: exportsOf[owner]?.service, before: owner < index }).toEqual({ service, imports: name, exportedBy: exportsOf[owner]?.service, before: true });
      }
    }
    expect(checked).toBeGreaterThanOrEqual(5);
  });

  it('removes in the reverse order, with the region when given', () => {
    const steps = plan(parseArguments('remove', ['--stage', 'dev', '--region', 'eu-west-1', '--only', 'platform,crm']), {});
    expect(steps).toEqual([
      { service: 'crm', dir: 'services/crm', argv: ['sls', 'remove', '--stage', 'dev', '--region', 'eu-west-1'] },
      { service: 'platform', dir: '.', argv: ['sls', 'remove', '--stage', 'dev', '--region', 'eu-west-1'] },
    ]);
  });

  it('refuses to remove a protected stage unless forced, and deploys it', () => {
    expect(() => plan(parseArguments('remove', ['--stage', 'prod']), {})).toThrow(/stage prod is protected/);
    expect(() => plan(parseArguments('remove', ['--stage', 'bank']), { CENTLI_PROTECTED_STAGES: 'bank' })).toThrow(/stage bank is protected/);
    expect(plan(parseArguments('remove', ['--stage', 'prod', '--force']), {})).toHaveLength(SERVICES.length - 1);
    expect(plan(parseArguments('deploy', ['--stage', 'prod']), {})).toHaveLength(SERVICES.length);
  });
});

describe('plan with the voice channel', () => {
  const INSTANCE = 'arn:aws:connect:us-east-1:111122223333:instance/11111111-2222-3333-4444-555555555555';

  it('passes the Connect instance to the voice service only (the bot is the voice stack’s own)', () => {
    // Act
    const steps = plan(parseArguments('deploy', ['--stage', 'dev', '--voice', '--connect-instance', INSTANCE]), {});

    // Assess
    expect(steps.find((s) => s.service === 'voice')?.argv).toEqual(['sls', 'deploy', '--stage', 'dev', '--param', `connectInstanceArn=${INSTANCE}`]);
    expect(steps.filter((s) => s.service !== 'voice').some((s) => s.argv.join(' ').includes('connect'))).toBe(false);
  });

  it('passes the instance after the VPC param', () => {
    const steps = plan(parseArguments('deploy', ['--stage', 'dev', '--vpc', '--voice', '--connect-instance', INSTANCE]), {});
    expect(steps.find((s) => s.service === 'voice')?.argv).toEqual(['sls', 'deploy', '--stage', 'dev', '--param', 'vpc=true', '--param', `connectInstanceArn=${INSTANCE}`]);
  });

  it('without --voice deploys voice with no Connect parameter', () => {
    const steps = plan(parseArguments('deploy', ['--stage', 'dev', '--only', 'voice']), {});
    expect(steps).toEqual([{ service: 'voice', dir: 'services/voice', argv: ['sls', 'deploy', '--stage', 'dev'] }]);
  });

  it.each([
    [['--stage', 'dev', '--voice'], /--voice needs --connect-instance/],
    [['--stage', 'dev', '--connect-instance', INSTANCE], /goes with --voice/],
    [['--stage', 'dev', '--voice', '--connect-instance', INSTANCE, '--voice-bot', 'arn:aws:lex:us-east-1:111122223333:bot-alias/ABCDEFGHIJ/TSTALIASID'], /unknown argument --voice-bot/],
    [['--stage', 'dev', '--voice', '--connect-instance', 'my-instance'], /--connect-instance must be an instance ARN/],
    [['--stage', 'dev', '--voice', '--connect-instance'], /--connect-instance needs a value/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseArguments('deploy', argv)).toThrow(message);
  });

  it('refuses --voice on remove: the Connect resources go with the voice stack', () => {
    expect(() => parseArguments('remove', ['--stage', 'dev', '--voice', '--connect-instance', INSTANCE])).toThrow(/--voice is for deploy/);
  });
});

describe('parseArguments', () => {
  it.each([
    [[], /--stage must be/],
    [['--stage', 'Dev'], /--stage must be/],
    [['--stage'], /--stage needs a value/],
    [['--stage', 'dev', '--only', 'payments'], /unknown service payments/],
    [['--stage', 'dev', '--yes'], /unknown argument --yes/],
  ])('refuses %j with the usage', (argv, message) => {
    expect(() => parseArguments('deploy', argv)).toThrow(message);
    expect(() => parseArguments('deploy', argv)).toThrow(/usage: npm run deploy/);
  });
});
