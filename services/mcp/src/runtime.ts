/**
 * The MCP server's wiring in a running function or process: its service caller (the services'
 * own functions, as `centli.mcp`), its confirmations table, the token verifier and the logger.
 * Created once per container, on first use.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { TokenVerifier, type Customer } from '@centli/kit/auth';
import { requireEnv } from '@centli/kit/config';
import { ConfirmationStore } from '@centli/tools/adapters/confirmation-store';
import { LambdaServiceCaller } from '@centli/tools/adapters/service-caller';
import type { Locale } from '@centli/tools/text';
import { defaultRunnerDeps, type ToolRunnerDeps } from './tool-runner';

/** The source of every event the MCP server sends: one of the two front doors the bus trusts. */
export const MCP_SOURCE = 'centli.mcp';

export const logger = new Logger({ serviceName: 'mcp' });

let deps: ToolRunnerDeps | undefined;
let verifier: TokenVerifier | undefined;

export function runnerDeps(): ToolRunnerDeps {
  if (!deps) {
    deps = defaultRunnerDeps(new LambdaServiceCaller({ stage: requireEnv('CENTLI_STAGE'), source: MCP_SOURCE }), new ConfirmationStore(requireEnv('MCP_CONFIRMATIONS_TABLE')));
    deps.log = (message, attributes) => logger.error(message, attributes ?? {});
  }
  return deps;
}

export function tokenVerifier(): TokenVerifier {
  return (verifier ??= new TokenVerifier());
}

/** The customer's language, from the token's OIDC `locale` claim; Spanish unless it says English. */
export function localeOf(customer: Pick<Customer, 'claims'>): Locale {
  const claimed = customer.claims.locale;
  return typeof claimed === 'string' && claimed.toLowerCase().startsWith('en') ? 'en' : 'es';
}
