import { eventSchemas, taskSchemas } from '@centli/schemas';
import { firstEvent, isValidSample } from '../../../bench/first-invocation';

/**
 * The cold-start benchmark's first events: every detail type and saga task gets one, at once, and
 * one its schema accepts (a function's first invocation is then one it carries out, not a refusal).
 */
describe('the cold-start benchmark’s first events', () => {
  it.each(Object.keys(eventSchemas))('makes a %s detail its schema accepts', (detailType) => {
    const first = firstEvent({ name: 'bench', detailTypes: [detailType], websocket: [], httpApi: [] });
    const detail = (first.event as { detail: unknown }).detail;
    expect(isValidSample(eventSchemas[detailType as keyof typeof eventSchemas] as never, detail)).toBe(true);
    expect(first.valid).toBe(true);
  });

  it.each(Object.keys(taskSchemas))('makes a %s task input its schema accepts', (task) => {
    const first = firstEvent({ name: task, detailTypes: [], websocket: [], httpApi: [] });
    expect(first.kind).toBe(`${task} task input`);
    expect(first.valid).toBe(true);
  });
});
