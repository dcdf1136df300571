import { parseCloudFormationYaml } from '../../../local/cloudformation-yaml';

describe('parseCloudFormationYaml', () => {
  it.each<[string, string, unknown]>([
    ['!Ref', 'v: !Ref AccountsTable', { Ref: 'AccountsTable' }],
    ['!GetAtt in dotted form', 'v: !GetAtt AccountsTable.Arn', { 'Fn::GetAtt': ['AccountsTable', 'Arn'] }],
    ['!GetAtt splitting at the first dot only', 'v: !GetAtt Db.Endpoint.Address', { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] }],
    ['!GetAtt in list form', 'v: !GetAtt [AccountsTable, StreamArn]', { 'Fn::GetAtt': ['AccountsTable', 'StreamArn'] }],
    ['!Sub as a string', 'v: !Sub arn:${AWS::Partition}:events:${AWS::Region}', { 'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}' }],
    ['!Sub with variables', 'v: !Sub [\'${A}-x\', { A: !Ref B }]', { 'Fn::Sub': ['${A}-x', { A: { Ref: 'B' } }] }],
    ['!Join', "v: !Join ['/', [!GetAtt T.Arn, index, '*']]", { 'Fn::Join': ['/', [{ 'Fn::GetAtt': ['T', 'Arn'] }, 'index', '*']] }],
    ['!ImportValue', 'v: !ImportValue centli-event-bus-name-local', { 'Fn::ImportValue': 'centli-event-bus-name-local' }],
    ['!Select with !GetAZs', "v: !Select [0, !GetAZs '']", { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }],
    ['!Split', "v: !Split [',', 'a,b']", { 'Fn::Split': [',', 'a,b'] }],
    ['!If', 'v: !If [IsProd, 1, 2]', { 'Fn::If': ['IsProd', 1, 2] }],
    ['!Equals', 'v: !Equals [!Ref Stage, prod]', { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] }],
    ['!Not', 'v: !Not [!Condition IsProd]', { 'Fn::Not': [{ Condition: 'IsProd' }] }],
    ['!And', 'v: !And [!Condition A, !Condition B]', { 'Fn::And': [{ Condition: 'A' }, { Condition: 'B' }] }],
    ['!Or', 'v: !Or [!Condition A, !Condition B]', { 'Fn::Or': [{ Condition: 'A' }, { Condition: 'B' }] }],
    ['!FindInMap', 'v: !FindInMap [Map, !Ref Stage, Size]', { 'Fn::FindInMap': ['Map', { Ref: 'Stage' }, 'Size'] }],
    ['!Base64 of a string', 'v: !Base64 hello', { 'Fn::Base64': 'hello' }],
    ['!Base64 of a mapping', "v: !Base64 { 'Fn::Sub': x }", { 'Fn::Base64': { 'Fn::Sub': 'x' } }],
    ['!Cidr', 'v: !Cidr [10.0.0.0/16, 6, 5]', { 'Fn::Cidr': ['10.0.0.0/16', 6, 5] }],
    ['!GetAZs with no value', 'v: !GetAZs', { 'Fn::GetAZs': '' }],
  ])('reads %s as its long form', (_name, yaml, expected) => {
    // Act
    const document = parseCloudFormationYaml(yaml) as { v: unknown };

    // Assess
    expect(document.v).toEqual(expected);
  });

  it('keeps plain YAML as the core schema reads it, merge keys included', () => {
    // Act
    const document = parseCloudFormationYaml('base: &base { a: 1 }\nmerged: { <<: *base, b: true, c: "2", d: ~ }');

    // Assess
    expect(document).toEqual({ base: { a: 1 }, merged: { a: 1, b: true, c: '2', d: null } });
  });

  it('names the file in parse errors', () => {
    expect(() => parseCloudFormationYaml('a: [1,', 'services/x/serverless.yml')).toThrow(/services\/x\/serverless\.yml/);
  });
});
