/**
 * The approvals API's passkey ceremonies in a running function: the passkeys table and the stage's
 * relying party, created once per container, on first use. Apart from ./runtime.ts so that only
 * the approvals function bundles the WebAuthn libraries.
 */
import { requireEnv } from '@centli/kit/config';
import { PasskeyStore } from '../adapters/passkey-store';
import { PasskeyCeremonies, relyingPartyFromEnv } from './passkeys';
import { approvalStore, logger } from './shared-runtime';

let ceremonies: PasskeyCeremonies | undefined;

/** The passkey ceremonies of the approvals API: the passkeys table and the stage's relying party. */
export function passkeyCeremonies(): PasskeyCeremonies {
  return (ceremonies ??= new PasskeyCeremonies({
    passkeys: new PasskeyStore(requireEnv('MCP_PASSKEYS_TABLE')),
    approvals: approvalStore(),
    rp: relyingPartyFromEnv(),
    log: (message, attributes) => logger.warn(message, attributes),
  }));
}
