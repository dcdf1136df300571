import { declaredBy, declaresUrlElicitation, sessionIdFor } from '../../../../services/mcp/src/domain/http-session';

describe('the HTTP session id', () => {
  it.each([true, false])('carries whether the client declared URL elicitation (%s), and is new each time', (urlElicitation) => {
    // Act
    const first = sessionIdFor({ urlElicitation });
    const second = sessionIdFor({ urlElicitation });

    // Assess
    expect(declaredBy(first)).toEqual({ urlElicitation });
    expect(first).not.toBe(second);
    // The transport's rule: visible ASCII only.
    expect(first).toMatch(/^[\x21-\x7e]+$/);
  });

  it.each([
    ['no session id', undefined],
    ['a session id of another server', '3f1c2a8e-6d1b-4f0a-9c55-0b7e2d9a1c4f'],
    ['a session id with an unknown mode', 'cs1.x.AAAAAAAAAAAAAAAAAAAAAA'],
    ['a session id cut short', 'cs1.u.AAAA'],
    ['a session id with something after it', 'cs1.u.AAAAAAAAAAAAAAAAAAAAAA.form'],
  ])('reads %s as declaring nothing', (_case, sessionId) => {
    expect(declaredBy(sessionId)).toEqual({ urlElicitation: false });
  });

  it.each<[string, unknown, boolean]>([
    ['URL mode', { elicitation: { url: {} } }, true],
    ['both modes', { elicitation: { form: {}, url: {} } }, true],
    ['form mode only', { elicitation: { form: {} } }, false],
    ['the empty elicitation of older clients (form mode)', { elicitation: {} }, false],
    ['no elicitation', { sampling: {} }, false],
    ['no capabilities', undefined, false],
  ])('reads %s from initialize', (_case, capabilities, expected) => {
    expect(declaresUrlElicitation(capabilities)).toBe(expected);
  });
});
