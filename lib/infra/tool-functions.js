'use strict';
/**
 * `${file(../../lib/infra/tool-functions.js):arns}`: the ARNs of exactly the service functions the
 * tool registry names (schemas/tools/generated.json), for the stage being packaged. A front door's
 * role may invoke these and nothing else: not a saga task, not another front door.
 */
const fs = require('node:fs');
const path = require('node:path');

module.exports.arns = async ({ resolveVariable }) => {
  const stage = await resolveVariable('sls:stage');
  const { tools } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'schemas', 'tools', 'generated.json'), 'utf8'));
  const names = [...new Set(tools.map((tool) => tool.function))].sort();
  return names.map((ref) => {
    const [service, fn] = ref.split('/');
    return { 'Fn::Sub': `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:centli-${service}-${stage}-${fn}` };
  });
};
