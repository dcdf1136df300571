'use strict';
/**
 * What the front doors may do, from the tool registry, for the stage being packaged:
 *   `${file(../../lib/infra/tool-functions.js):arns}`: the ARNs of exactly the service functions
 *     the registry names (schemas/tools/generated.json). A front door's role may invoke these and
 *     nothing else: not a saga task, not another front door.
 *   `${file(../../lib/infra/tool-functions.js):requestTypes}`: the detail-types a front door may
 *     put on the bus: every tool's request event (schemas/tools/registry.json), and the queries the
 *     tools' plans (lib/tools/plan.ts) ask before they act.
 * Both are read by osls only (inside iamRoleStatements, which the local stack never resolves).
 */
const fs = require('node:fs');
const path = require('node:path');

/** What the plans query to prepare a request (the beneficiary, the account, the product, the card). */
const PLAN_QUERIES = ['BALANCE_QUERY', 'ALIAS_RESOLUTION_REQUEST', 'CARDS_QUERY', 'CATALOG_QUERY', 'BENEFITS_QUERY'];

function tools(file) {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'schemas', 'tools', file), 'utf8')).tools;
}

module.exports.arns = async ({ resolveVariable }) => {
  const stage = await resolveVariable('sls:stage');
  const names = [...new Set(tools('generated.json').map((tool) => tool.function))].sort();
  return names.map((ref) => {
    const [service, fn] = ref.split('/');
    return { 'Fn::Sub': `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:centli-${service}-${stage}-${fn}` };
  });
};

module.exports.requestTypes = () => [...new Set([...tools('registry.json').map((tool) => tool.request), ...PLAN_QUERIES])].sort();
