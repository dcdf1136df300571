/**
 * What every MCP handler shares in a running function, without the tool runner: the service's
 * logger, metrics and tracer, the approvals table and the stage's token verifier, created once per
 * container, on first use. Apart from ./runtime.ts (which re-exports them) so that the approvals
 * API bundles neither the MCP SDK nor the Lambda client the tool runner needs.
 */
import { TokenVerifier } from '@centli/kit/auth';
import { requireEnv } from '@centli/kit/config';
import { observabilityFor } from '@centli/kit/observability';
import { ApprovalStore } from '@centli/tools/adapters/approval-store';

/** The MCP server's logger, metrics and tracer: every handler of the service wraps itself with these. */
export const observability = observabilityFor('mcp');
export const logger = observability.logger;

let approvals: ApprovalStore | undefined;
let verifier: TokenVerifier | undefined;

/** The approvals table: the runner opens and uses approvals, the approval page's API decides them. */
export function approvalStore(): ApprovalStore {
  return (approvals ??= new ApprovalStore(requireEnv('MCP_APPROVALS_TABLE')));
}

export function tokenVerifier(): TokenVerifier {
  return (verifier ??= new TokenVerifier());
}
