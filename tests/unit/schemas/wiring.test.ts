/**
 * The wiring generated from the contracts (schemas/wiring/generate.ts): what each rule accepts,
 * what each role may put or invoke, and what the chat's responder hears.
 */
import { buildWiring, readRoutes, type Route } from '../../../schemas/wiring/generate';
import wiring from '../../../schemas/wiring/generated.json';
import { requestRoutes } from '@centli/schemas';
import { queriesMade } from '../../../lib/tools/plan';
import { tools } from '../../../lib/tools/registry';

const routes = new Map<string, Route>([
  ['A_QUERY', { handler: 'alpha/read', answers: ['A_RESPONSE', 'A_FAILED'] }],
  ['B_QUERY', { handler: 'alpha/read', answers: ['B_RESPONSE', 'A_FAILED'] }],
  ['C_REQUEST', { handler: 'beta/act', answers: ['C_STARTED', 'C_FAILED'], saga: { definition: 'act', answers: ['C_DONE', 'C_FAILED'] } }],
  ['D_REQUEST', { handler: 'gamma/internal', answers: ['D_DONE', 'D_FAILED'] }],
]);

describe('buildWiring', () => {
  it('gives each handler every request routed to it, and every answer of those', () => {
    // Act
    const built = buildWiring(routes, ['A_QUERY']);

    // Assess
    expect(built.services.alpha).toEqual({ read: { accepts: ['A_QUERY', 'B_QUERY'], puts: ['A_FAILED', 'A_RESPONSE', 'B_RESPONSE'] } });
    expect(built.services.beta).toEqual({ act: { accepts: ['C_REQUEST'], puts: ['C_FAILED', 'C_STARTED'] } });
    expect(built.sagas).toEqual({ act: { service: 'beta', puts: ['C_DONE', 'C_FAILED'] } });
  });

  it("lets the front doors put, invoke and hear only what their requests need, the sagas' later answers included", () => {
    // Act
    const { frontDoors } = buildWiring(routes, ['C_REQUEST', 'A_QUERY', 'A_QUERY']);

    // Assess: gamma/internal is routed, but no door makes D_REQUEST.
    expect(frontDoors.puts).toEqual(['A_QUERY', 'C_REQUEST']);
    expect(frontDoors.invokes).toEqual(['alpha/read', 'beta/act']);
    expect(frontDoors.invokeArns).toEqual([
      { 'Fn::Sub': 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:centli-alpha-${sls:stage}-read' },
      { 'Fn::Sub': 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:centli-beta-${sls:stage}-act' },
    ]);
    expect(frontDoors.answers).toEqual(['A_FAILED', 'A_RESPONSE', 'C_DONE', 'C_FAILED', 'C_STARTED']);
    expect(frontDoors.answerSources).toEqual(['centli.alpha', 'centli.beta']);
  });

  it('refuses a request a door makes that no schema routes', () => {
    expect(() => buildWiring(routes, ['Z_QUERY'])).toThrow('Z_QUERY is made by a front door but no schema routes it');
  });
});

describe('schemas/wiring/generated.json', () => {
  it('routes what schemas/generated.ts routes', () => {
    expect(Object.fromEntries(readRoutes())).toEqual(JSON.parse(JSON.stringify(requestRoutes)));
  });

  it("lets the front doors put exactly the tools' requests and the plans' queries", () => {
    expect(wiring.frontDoors.puts).toEqual([...new Set([...tools.map((tool) => tool.request), ...queriesMade])].sort());
  });
});
