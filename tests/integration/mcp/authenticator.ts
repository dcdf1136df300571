/**
 * A software passkey authenticator for the integration tests, written from the WebAuthn Level 3
 * specification: it answers the approvals API's options as a browser and a platform authenticator
 * would, with an ES256 key of its own (node:crypto), `none` attestation, user present and
 * verified, and a signature counter. It checks nothing: the server is what is under test.
 *
 * - Registration (spec 6.5.1, 6.5.4): authenticator data with attested credential data (zero
 *   AAGUID, the credential id, the COSE_Key of the public key), in a CBOR attestation object
 *   `{ fmt: "none", attStmt: {}, authData }`.
 * - Authentication (spec 6.3.3): authenticator data (RP ID hash, flags, counter) and an ECDSA
 *   P-256 SHA-256 signature (DER) over `authData || SHA-256(clientDataJSON)`.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

export interface CreationOptions {
  challenge: string;
  rp: { id?: string };
}

export interface RequestOptions {
  challenge: string;
  rpId?: string;
  allowCredentials?: Array<{ id: string }>;
}

export class SoftwareAuthenticator {
  readonly credentialId = randomBytes(32).toString('base64url');
  private readonly privateKey: KeyObject;
  private readonly publicJwk: { x: string; y: string };
  private counter = 0;

  /** `origin`: the page's origin the browser would report; `rpId`: the domain it checks options against. */
  constructor(
    private readonly origin: string,
    private readonly rpId = 'localhost',
  ) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    const jwk = pair.publicKey.export({ format: 'jwk' }) as { x: string; y: string };
    this.publicJwk = { x: jwk.x, y: jwk.y };
  }

  /** What `navigator.credentials.create()` gives the page, JSON-encoded as @simplewebauthn/browser sends it. */
  register(options: CreationOptions, overrides: { origin?: string } = {}): Record<string, unknown> {
    const clientDataJSON = this.clientData('webauthn.create', options.challenge, overrides.origin);
    const id = Buffer.from(this.credentialId, 'base64url');
    const length = Buffer.alloc(2);
    length.writeUInt16BE(id.length);
    const coseKey = cbor(new Map<number, unknown>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(this.publicJwk.x, 'base64url')], [-3, Buffer.from(this.publicJwk.y, 'base64url')]]));
    const authData = Buffer.concat([this.header(options.rp.id ?? this.rpId, UP | UV | AT), Buffer.alloc(16), length, id, coseKey]);
    const attestationObject = cbor(new Map<string, unknown>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: 'public-key',
      response: { clientDataJSON: clientDataJSON.toString('base64url'), attestationObject: attestationObject.toString('base64url'), transports: ['internal'] },
      clientExtensionResults: {},
    };
  }

  /**
   * What `navigator.credentials.get()` gives the page for `options`. `key`: sign with another
   * authenticator's private key under this credential's id (a forgery).
   */
  assert(options: RequestOptions, overrides: { origin?: string; signWith?: SoftwareAuthenticator } = {}): Record<string, unknown> {
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, overrides.origin);
    const authData = this.header(options.rpId ?? this.rpId, UP | UV);
    const signature = sign('sha256', Buffer.concat([authData, createHash('sha256').update(clientDataJSON).digest()]), (overrides.signWith ?? this).privateKey);
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: 'public-key',
      response: { clientDataJSON: clientDataJSON.toString('base64url'), authenticatorData: authData.toString('base64url'), signature: signature.toString('base64url') },
      clientExtensionResults: {},
    };
  }

  private clientData(type: string, challenge: string, origin = this.origin): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  /** RP ID hash, flags and the next signature counter (spec 6.1). */
  private header(rpId: string, flags: number): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(++this.counter);
    return Buffer.concat([createHash('sha256').update(rpId).digest(), Buffer.from([flags]), count]);
  }
}

/** The CBOR (RFC 8949) the attestation object and COSE_Key need: integers, text, bytes, maps. */
function cbor(value: unknown): Buffer {
  const head = (major: number, length: number): Buffer => {
    if (length < 24) return Buffer.from([(major << 5) | length]);
    if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
    if (length < 0x10000) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
    const long = Buffer.alloc(5);
    long[0] = (major << 5) | 26;
    long.writeUInt32BE(length, 1);
    return long;
  };
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  if (value instanceof Map) return Buffer.concat([head(5, value.size), ...[...value].flatMap(([k, v]) => [cbor(k), cbor(v)])]);
  throw new Error(`cannot encode ${typeof value} as CBOR`);
}
