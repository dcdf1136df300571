import { fingerprint } from '@centli/tools/confirmation';
import {
  IDENTITY_ARGUMENT,
  IDENTITY_TTL_SECONDS,
  identityMessage,
  identityProblem,
  splitIdentity,
  toolOf,
  unsignedIdentity,
  type GatewayIdentity,
} from '../../../../services/mcp/src/domain/gateway-identity';
import { NOW } from './fakes';

const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);
const TOOL = 'cards___lock_card';
const ARGS = { last_four: '1234' };
const identity = (fields: Partial<GatewayIdentity> = {}): GatewayIdentity => ({ ...unsignedIdentity('user-ana', TOOL, ARGS, NOW), mac: 'bWFj', ...fields });

describe('identityMessage', () => {
  it('is the versioned, canonical JSON of the five fields the MAC covers', () => {
    // Act
    const message = identityMessage({ user_id: 'user-ana', locale: 'es', tool: TOOL, args_sha256: 'abc', expires_at: 1764172860 });

    // Assess
    expect(message.toString('utf8')).toBe('centli-gateway-identity/v1\n{"args_sha256":"abc","expires_at":1764172860,"locale":"es","tool":"cards___lock_card","user_id":"user-ana"}');
  });

  it('does not depend on the order of the fields, nor include the MAC or anything else', () => {
    // Prepare
    const signed = identity();
    const reordered = { mac: 'other', expires_at: signed.expires_at, locale: signed.locale, user_id: signed.user_id, extra: 'ignored', args_sha256: signed.args_sha256, tool: signed.tool };

    // Act
    const a = identityMessage(signed);
    const b = identityMessage(reordered);

    // Assess
    expect(a.equals(b)).toBe(true);
    expect(a.toString()).not.toContain('bWFj');
  });

  it.each<[string, Partial<GatewayIdentity>]>([
    ['customer', { user_id: 'user-carlos' }],
    ['tool', { tool: 'cards___unlock_card' }],
    ['arguments', { args_sha256: fingerprint({ last_four: '5678' }) }],
    ['expiry', { expires_at: NOW_SECONDS + 3600 }],
  ])('changes with the %s', (_field, change) => {
    expect(identityMessage(identity()).equals(identityMessage(identity(change)))).toBe(false);
  });
});

describe('unsignedIdentity', () => {
  it('binds the customer (and their language) to the tool and a fingerprint of the arguments for a minute', () => {
    expect(unsignedIdentity('user-ana', TOOL, { last_four: '1234' }, NOW)).toEqual({ user_id: 'user-ana', locale: 'es', tool: TOOL, args_sha256: fingerprint({ last_four: '1234' }), expires_at: NOW_SECONDS + IDENTITY_TTL_SECONDS });
    expect(IDENTITY_TTL_SECONDS).toBe(60);
  });
});

describe('splitIdentity', () => {
  it('takes the identity argument out of the arguments', () => {
    // Act
    const { args, identity: found } = splitIdentity({ last_four: '1234', [IDENTITY_ARGUMENT]: { user_id: 'user-ana' } });

    // Assess
    expect(args).toEqual({ last_four: '1234' });
    expect(found).toEqual({ user_id: 'user-ana' });
    expect(IDENTITY_ARGUMENT).toBe('_centli_identity');
  });
});

describe('identityProblem', () => {
  it('finds nothing wrong with a well-formed, unexpired identity for this tool and these arguments', () => {
    expect(identityProblem(identity(), TOOL, ARGS, NOW)).toBeUndefined();
    expect(identityProblem(identity(), TOOL, { ...ARGS }, new Date(NOW.getTime() + 59_000))).toBeUndefined();
  });

  it.each<[string, unknown, string, Record<string, unknown>, Date, RegExp]>([
    ['missing', undefined, TOOL, ARGS, NOW, /^no identity/],
    ['null', null, TOOL, ARGS, NOW, /^no identity/],
    ['a string', 'user-ana', TOOL, ARGS, NOW, /^no identity/],
    ['without a MAC', (({ mac: _mac, ...rest }) => rest)(identity()), TOOL, ARGS, NOW, /^malformed/],
    ['with an expiry as text', { ...identity(), expires_at: String(NOW_SECONDS + 60) }, TOOL, ARGS, NOW, /^malformed/],
    ['with a numeric user id', { ...identity(), user_id: 42 }, TOOL, ARGS, NOW, /^malformed/],
    ['expired', identity(), TOOL, ARGS, new Date(NOW.getTime() + 60_000), /^expired/],
    ['long expired', identity(), TOOL, ARGS, new Date(NOW.getTime() + 3_600_000), /^expired/],
    ['for another tool', identity(), 'cards___unlock_card', ARGS, NOW, /^identity for cards___lock_card, not cards___unlock_card$/],
    ['for the same tool under another target', identity(), 'other___lock_card', ARGS, NOW, /^identity for/],
    ['for other arguments', identity(), TOOL, { last_four: '5678' }, NOW, /^identity for other arguments$/],
    ['for more arguments', identity(), TOOL, { ...ARGS, card_id: 'card-ana-oro' }, NOW, /^identity for other arguments$/],
    ['for no arguments', identity(), TOOL, {}, NOW, /^identity for other arguments$/],
  ])('says what is wrong with an identity that is %s', (_case, given, tool, args, now, problem) => {
    expect(identityProblem(given, tool, args, now)).toMatch(problem);
  });
});

describe('toolOf', () => {
  it.each<[string, string]>([
    ['cards___lock_card', 'lock_card'],
    ['core-banking___transfer_funds', 'transfer_funds'],
    ['a___b___get_balance', 'get_balance'],
    ['lock_card', 'lock_card'],
  ])('reads %s as %s', (qualified, tool) => {
    expect(toolOf(qualified)).toBe(tool);
  });
});
