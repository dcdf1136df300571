/**
 * The MCP conformance suite (`@modelcontextprotocol/conformance`) against the stack's `/mcp`,
 * the scenarios that apply to a stateless, token-protected, tools-only endpoint, through the
 * token-adding proxy of scripts/conformance.ts (the suite itself sends no credentials; the proxy
 * passes a foreign Host or Origin through untouched, so the stack is what refuses them).
 */
import { runConformance, SCENARIOS } from '../../../scripts/conformance';
import { closeClients, endpoints } from '../support';

describe('the MCP conformance suite', () => {
  afterAll(() => closeClients());

  it('passes every check of server-initialize, ping, tools-list and dns-rebinding-protection', async () => {
    // Act
    const checks = await runConformance(endpoints().mcp as string, endpoints().tokens['user-ana'] as string);

    // Assess
    expect(new Set(checks.map((check) => check.scenario))).toEqual(new Set(SCENARIOS));
    expect(checks.filter((check) => check.status !== 'SUCCESS')).toEqual([]);
    expect(checks.map((check) => check.id)).toEqual(expect.arrayContaining(['server-initialize', 'ping', 'tools-list', 'localhost-host-rebinding-rejected', 'localhost-host-valid-accepted']));
  }, 120_000);
});
