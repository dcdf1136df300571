/**
 * The contact flow's Content for AWS::Connect::ContactFlow: osls runs this export for
 * `${file(./contact-flows/content.js)}` (a string is what Content takes, and `${file()}` of a .json
 * gives an object). The flow is parsed and written again, compact, so a file that is not JSON stops
 * the packaging; its `${AuthenticateCallerArn}` and `${VoiceBotAliasArn}` stay for the template's Fn::Sub.
 */
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

module.exports = () => JSON.stringify(JSON.parse(readFileSync(join(__dirname, 'centli-inbound.json'), 'utf8')));
