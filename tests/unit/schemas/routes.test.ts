/**
 * The routes the request schemas declare (`x-centli`): what the wiring is generated from, so they
 * must name functions that exist and answers that are events, and every request must have one.
 */
import Ajv from 'ajv';
import { eventSchemas, failureOf, failureTypes, isDetailType, isFailureType, requestRoutes, routeOf, type RequestType } from '@centli/schemas';
import { loadServiceConfigs } from '../../../local/serverless-config';
import { queriesMade } from '../../../lib/tools/plan';
import { tools } from '../../../lib/tools/registry';

const functions = new Set(loadServiceConfigs().flatMap((service) => service.functions.map((fn) => `${service.name.replace(/^centli-/, '')}/${fn.name}`)));
const requests = Object.keys(requestRoutes) as RequestType[];

/** What `x-centli` may hold: the meta-schema of the annotation. */
const ROUTE = {
  type: 'object',
  properties: {
    handler: { type: 'string', pattern: '^[a-z-]+/[a-z-]+$' },
    answers: { type: 'array', items: { type: 'string' }, minItems: 2, uniqueItems: true },
    saga: {
      type: 'object',
      properties: { definition: { type: 'string' }, answers: { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true } },
      required: ['definition', 'answers'],
      additionalProperties: false,
    },
  },
  required: ['handler', 'answers'],
  additionalProperties: false,
};

describe('request routes', () => {
  const validRoute = new Ajv({ strict: true }).compile(ROUTE);

  it.each(requests)('%s is routed to a function that exists, with answers that are events and one failure among them', (request) => {
    // Act
    const route = routeOf(request);

    // Assess
    expect(validRoute(route)).toBe(true);
    expect(functions.has(route.handler)).toBe(true);
    expect([...route.answers, ...(route.saga?.answers ?? [])].filter((answer) => !isDetailType(answer))).toEqual([]);
    expect(route.answers.filter(isFailureType)).toHaveLength(1);
    expect(isFailureType(failureOf(request))).toBe(true);
  });

  it('routes every query and request event, and nothing else', () => {
    // Every *_QUERY and *_REQUEST is a request; their answers are not.
    expect(requests.sort()).toEqual(Object.keys(eventSchemas).filter((type) => /_(QUERY|REQUEST)$/.test(type)).sort());
  });

  it('makes every tool a request, and every query a door makes one too', () => {
    expect(tools.filter((tool) => !requests.includes(tool.request as RequestType)).map((tool) => tool.name)).toEqual([]);
    expect(queriesMade.filter((query) => !requests.includes(query))).toEqual([]);
  });

  it('says of every tool what MCP’s annotations need, consistently', () => {
    for (const tool of tools) {
      if (tool.read_only) expect([tool.name, tool.idempotent, tool.confirmation]).toEqual([tool.name, true, false]);
      if (tool.confirmation) expect([tool.name, tool.read_only]).toEqual([tool.name, false]);
    }
  });

  it('names as failures exactly the events shaped as one', () => {
    expect([...failureTypes].every((type) => isDetailType(type))).toBe(true);
    expect(isFailureType('TRANSFER_FAILED')).toBe(true);
    expect(isFailureType('BENEFICIARY_REJECTED')).toBe(true);
    expect(isFailureType('TRANSFER_COMPLETED')).toBe(false);
    expect(isFailureType('NOT_AN_EVENT_FAILED')).toBe(false);
  });
});
