/**
 * What every service's sample events (services/<service>/events, what `sls invoke local` sends)
 * must be: each bus event a valid envelope and a valid detail of its detail-type, put by a front
 * door (serverless.common.yml's frontDoors) and delivered by one of the service's own rules;
 * and, among them, one for every function that has a rule. A sample that shows how a function
 * answers a detail its schema refuses is declared, with the field it breaks, and checked to
 * break exactly there. Each service's sample-events.test.ts calls this and adds what is
 * particular to it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detailValidator, isDetailType, validateEnvelope } from '@centli/schemas';
import { parseCloudFormationYaml } from '../../../local/cloudformation-yaml';
import { matchesPattern } from '../../../local/event-pattern';
import { loadServiceConfigs, REPOSITORY_ROOT } from '../../../local/serverless-config';

export interface SampleEvent {
  'detail-type': string;
  source: string;
  detail: Record<string, unknown>;
}

const frontDoors = (parseCloudFormationYaml(readFileSync(join(REPOSITORY_ROOT, 'serverless.common.yml'), 'utf8')) as { frontDoors: string[] }).frontDoors;

export interface SampleOptions {
  /** Samples whose detail breaks its schema on purpose, each with the field it breaks. */
  invalid?: Readonly<Record<string, string>>;
}

/** Declares the checks for a service's samples; returns every sample file, read, bus events or not (a saga task's input). */
export function describeSampleEvents(service: string, options: SampleOptions = {}): (readonly [string, Record<string, unknown>])[] {
  const invalid = options.invalid ?? {};
  const config = loadServiceConfigs().find((candidate) => candidate.name === `centli-${service}`);
  if (!config) throw new Error(`no service ${service}`);
  const dir = join(config.dir, 'events');
  const samples = readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => [file, JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>] as const);
  const events = samples.filter(([, sample]) => 'detail-type' in sample) as unknown as (readonly [string, SampleEvent])[];
  const rules = config.functions.flatMap((fn) => fn.eventBridge.map((rule) => ({ fn: fn.name, pattern: rule.pattern })));

  describe(`services/${service}/events`, () => {
    it.each(events)('%s is a valid event of its detail-type, or breaks it where it says', (file, event) => {
      // Assess
      expect(validateEnvelope(event)).toBeUndefined();
      const detailType = event['detail-type'];
      if (!isDetailType(detailType)) throw new Error(`${file}: unknown detail-type ${detailType}`);
      const violation = detailValidator(detailType)(event.detail);
      if (invalid[file] === undefined) expect(violation).toBeUndefined();
      else expect(violation?.field).toBe(invalid[file]);
    });

    it('declares as invalid only samples it has', () => {
      // Assess
      expect(Object.keys(invalid).filter((file) => !events.some(([name]) => name === file))).toEqual([]);
    });

    it.each(events)('%s comes from a front door and one of the service’s rules delivers it', (_file, event) => {
      // Assess
      expect(frontDoors).toContain(event.source);
      expect(rules.filter((rule) => matchesPattern(rule.pattern, event as unknown as Record<string, unknown>)).map((rule) => rule.fn)).not.toEqual([]);
    });

    it.each(rules.map((rule) => [rule.fn, rule]))('has a sample for %s, which has a rule', (_fn, rule) => {
      // Assess
      expect(events.filter(([, event]) => matchesPattern(rule.pattern, event as unknown as Record<string, unknown>)).map(([file]) => file)).not.toEqual([]);
    });
  });
  return samples;
}
