import { assertValidPattern, matchesPattern, type EventPattern } from '../../../local/event-pattern';

type Event = Record<string, unknown>;
type MatchCase = [description: string, pattern: EventPattern, event: Event, expected: boolean];

/** Parses JSON text so numbers such as `300.0` reach the matcher exactly as an event bus receives them. */
const json = (text: string): Event => JSON.parse(text) as Event;

// EventBridge user guide, "Creating Amazon EventBridge event patterns": the EC2 example event.
const EC2_TERMINATED: Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: {
    'instance-id': 'i-1234567890abcdef0',
    state: 'terminated',
  },
};

// aws/event-ruler README (the matcher behind EventBridge): the example event its content-filtering
// patterns (prefix, anything-but, numeric, cidr, exists) are written against.
const EC2_RUNNING: Event = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

// EventBridge user guide, "Matching null values and empty strings".
const AUTOSCALING_LAUNCH: Event = {
  version: '0',
  id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
  'detail-type': 'EC2 Instance Launch Successful',
  source: 'aws.autoscaling',
  account: '123456789012',
  time: '2015-11-11T21:31:47Z',
  region: 'us-east-1',
  resources: [],
  detail: {
    eventVersion: '',
    responseElements: null,
  },
};

/** A full event envelope around the given fields, for examples the guide shows only in part. */
function eventWith(fields: Event): Event {
  return {
    version: '0',
    id: '7bf73129-1428-4cd3-a780-95db273d1602',
    'detail-type': 'Example',
    source: 'example.source',
    account: '123456789012',
    time: '2021-11-11T21:29:54Z',
    region: 'us-east-1',
    resources: [],
    detail: {},
    ...fields,
  };
}

const detailWith = (detail: Event): Event => eventWith({ detail });

// Events published by our own services.
const TRANSFER_REQUEST = eventWith({
  source: 'centli.transfers',
  'detail-type': 'TRANSFER_REQUEST',
  detail: { transferId: 'tr-001', amount: 250, currency: 'MXN' },
});
const BALANCE_QUERY = eventWith({
  source: 'centli.assistant',
  'detail-type': 'BALANCE_QUERY',
  detail: { accountId: 'acc-001' },
});
const TRANSACTIONS_QUERY = eventWith({
  source: 'centli.assistant',
  'detail-type': 'TRANSACTIONS_QUERY',
  detail: { accountId: 'acc-001', limit: 10 },
});

// EventBridge user guide, "Creating Amazon EventBridge event patterns".
const EC2_TERMINATION_PATTERN: EventPattern = {
  source: ['aws.ec2'],
  'detail-type': ['EC2 Instance State-change Notification'],
  detail: { state: ['terminated'] },
};

// EventBridge user guide, "Numeric matching".
const NUMERIC_PATTERN: EventPattern = {
  detail: {
    'c-count': [{ numeric: ['>', 0, '<=', 5] }],
    'd-count': [{ numeric: ['<', 10] }],
    'x-limit': [{ numeric: ['=', 3.018e2] }],
  },
};

// aws/event-ruler README, "The $or primitive".
const CLOUDWATCH_OR_PATTERN: EventPattern = {
  source: ['aws.cloudwatch'],
  $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
};

const OR_WITH_AND_INSIDE: EventPattern = {
  source: ['aws.cloudwatch'],
  $or: [
    { metricName: ['CPUUtilization', 'ReadLatency'] },
    { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'] },
    { scope: ['Service'] },
  ],
};

const NESTED_OR: EventPattern = {
  source: ['aws.cloudwatch'],
  $or: [
    { metricName: ['CPUUtilization', 'ReadLatency'] },
    {
      metricType: ['MetricType'],
      namespace: ['AWS/EC2', 'AWS/ES'],
      $or: [{ metricId: [1234] }, { spaceId: [1000] }],
    },
    { scope: ['Service'] },
  ],
};

const PARALLEL_OR: EventPattern = {
  $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
  detail: {
    $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }],
  },
};

const basicCases: MatchCase[] = [
  ['matches the documented EC2 termination pattern', EC2_TERMINATION_PATTERN, EC2_TERMINATED, true],
  ['rejects the EC2 termination pattern for a running instance', EC2_TERMINATION_PATTERN, EC2_RUNNING, false],
  ['matches when any alternative of a leaf matches', { source: ['aws.ec2', 'aws.fargate'] }, EC2_TERMINATED, true],
  ['rejects when no alternative of a leaf matches', { source: ['aws.s3', 'aws.fargate'] }, EC2_TERMINATED, false],
  [
    'requires every field of the pattern to match',
    { source: ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning'] },
    EC2_TERMINATED,
    false,
  ],
  ['ignores event fields the pattern does not mention', { region: ['us-west-1'] }, EC2_TERMINATED, true],
  ['compares strings case-sensitively', { source: ['AWS.EC2'] }, EC2_TERMINATED, false],
  ['rejects a pattern field absent from the event', { detail: { 'c-count': [5] } }, EC2_TERMINATED, false],
  [
    'rejects a nested pattern when the event lacks the nested object',
    { detail: { state: ['terminated'] } },
    { source: 'aws.ec2' },
    false,
  ],
  ['rejects a nested pattern against a leaf value', { source: { name: ['aws.ec2'] } }, EC2_TERMINATED, false],
  ['rejects a leaf pattern against a nested object', { detail: ['terminated'] }, EC2_TERMINATED, false],
  ['does not treat inherited properties as event fields', { constructor: [{ exists: true }] }, EC2_TERMINATED, false],
];

const serviceCases: MatchCase[] = [
  ['matches a transfer request by detail-type', { 'detail-type': ['TRANSFER_REQUEST'] }, TRANSFER_REQUEST, true],
  ['rejects a balance query for the transfer pattern', { 'detail-type': ['TRANSFER_REQUEST'] }, BALANCE_QUERY, false],
  ...[BALANCE_QUERY, TRANSACTIONS_QUERY].map(
    (event): MatchCase => [
      `matches a prefix on source for ${String(event['detail-type'])}`,
      { source: [{ prefix: 'centli.' }], 'detail-type': ['BALANCE_QUERY', 'TRANSACTIONS_QUERY'] },
      event,
      true,
    ],
  ),
  [
    'rejects a query from a source outside the centli. prefix',
    { source: [{ prefix: 'centli.' }], 'detail-type': ['BALANCE_QUERY', 'TRANSACTIONS_QUERY'] },
    { ...BALANCE_QUERY, source: 'partner.centli' },
    false,
  ],
  [
    'rejects a transfer request for the query pattern',
    { source: [{ prefix: 'centli.' }], 'detail-type': ['BALANCE_QUERY', 'TRANSACTIONS_QUERY'] },
    TRANSFER_REQUEST,
    false,
  ],
];

const arrayCases: MatchCase[] = [
  // EventBridge user guide, "Arrays in Amazon EventBridge event patterns".
  [
    'matches when the pattern and event arrays intersect',
    {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    },
    eventWith({
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    }),
    true,
  ],
  [
    'rejects when the pattern and event arrays do not intersect',
    { resources: ['arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'] },
    EC2_TERMINATED,
    false,
  ],
  ['rejects any value against an empty event array', { resources: [{ prefix: 'arn:' }] }, AUTOSCALING_LAUNCH, false],
  // aws/event-ruler README, "JSON Array Matching".
  [
    'matches a nested field in any object of an event array',
    { detail: { employees: { firstName: ['Anna'] } } },
    detailWith({
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    }),
    true,
  ],
  [
    'matches a nested field inside multi-level event arrays',
    { detail: { employees: { lastName: ['Jones'] } } },
    detailWith({
      employees: [
        [
          { firstName: 'John', lastName: 'Doe' },
          { firstName: 'Anna', lastName: 'Smith' },
        ],
        [{ firstName: 'Peter', lastName: 'Jones' }],
      ],
    }),
    true,
  ],
  [
    'rejects fields matched in different elements of the same array',
    { detail: { employees: { firstName: ['Anna'], lastName: ['Jones'] } } },
    detailWith({
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    }),
    false,
  ],
];

const scalarCases: MatchCase[] = [
  ['matches an empty string', { detail: { eventVersion: [''] } }, AUTOSCALING_LAUNCH, true],
  ['matches a null value', { detail: { responseElements: [null] } }, AUTOSCALING_LAUNCH, true],
  ['does not match null with the empty string', { detail: { responseElements: [''] } }, AUTOSCALING_LAUNCH, false],
  ['does not match the empty string with null', { detail: { eventVersion: [null] } }, AUTOSCALING_LAUNCH, false],
  ['matches a number exactly', { detail: { 'x-limit': [301.8] } }, EC2_RUNNING, true],
  ['matches numbers by value', { detail: { amount: [300] } }, json('{"detail": {"amount": 300.0}}'), true],
  ['does not match a number with its string form', { detail: { 'c-count': ['5'] } }, EC2_RUNNING, false],
  ['does not match a string with a number', { detail: { code: [5] } }, detailWith({ code: '5' }), false],
  ['matches a boolean', { detail: { enabled: [true] } }, detailWith({ enabled: true }), true],
  ['does not match a boolean with its string form', { detail: { enabled: ['true'] } }, detailWith({ enabled: true }), false],
  ['rejects a different boolean', { detail: { enabled: [false] } }, detailWith({ enabled: true }), false],
];

const prefixSuffixCases: MatchCase[] = [
  // EventBridge user guide, "Prefix matching".
  ['matches a prefix on time', { time: [{ prefix: '2017-10-02' }] }, EC2_RUNNING, true],
  ['rejects a value without the prefix', { time: [{ prefix: '2017-10-02' }] }, EC2_TERMINATED, false],
  ['matches a prefix on region', { source: ['aws.ec2'], region: [{ prefix: 'us-' }] }, EC2_RUNNING, true],
  ['does not apply a prefix to numbers', { detail: { 'c-count': [{ prefix: '5' }] } }, EC2_RUNNING, false],
  // "Prefix matching while ignoring case".
  [
    'matches a prefix regardless of case',
    { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
    detailWith({ service: 'eventbridge.amazonaws.com' }),
    true,
  ],
  [
    'rejects a value without the prefix in any case',
    { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
    detailWith({ service: 'sqs.amazonaws.com' }),
    false,
  ],
  // "Suffix matching".
  ['matches a suffix', { FileName: [{ suffix: '.png' }] }, eventWith({ FileName: 'image.png' }), true],
  ['matches suffixes case-sensitively', { FileName: [{ suffix: '.png' }] }, eventWith({ FileName: 'image.PNG' }), false],
  // "Suffix matching while ignoring case".
  [
    'matches a suffix regardless of case',
    { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
    detailWith({ FileName: 'IMAGE.PNG' }),
    true,
  ],
  [
    'rejects a value without the suffix in any case',
    { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
    detailWith({ FileName: 'image.jpg' }),
    false,
  ],
];

const ignoreCaseAndWildcardCases: MatchCase[] = [
  // EventBridge user guide, "Equals-ignore-case matching".
  [
    'matches a string regardless of case',
    { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] },
    EC2_TERMINATED,
    true,
  ],
  ['rejects a different string in any case', { source: [{ 'equals-ignore-case': 'AWS.S3' }] }, EC2_TERMINATED, false],
  ['matches a name regardless of case', { Name: [{ 'equals-ignore-case': 'alice' }] }, eventWith({ Name: 'Alice' }), true],
  // "Wildcard matching".
  [
    'matches a wildcard on an event bus ARN',
    { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    eventWith({ EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' }),
    true,
  ],
  [
    'rejects an ARN outside the wildcard',
    { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    eventWith({ EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/default' }),
    false,
  ],
  ['lets a wildcard match no characters', { source: [{ wildcard: 'Simple*Service' }] }, eventWith({ source: 'SimpleService' }), true],
  [
    'lets a wildcard match many characters',
    { source: [{ wildcard: 'Simple*Service' }] },
    eventWith({ source: 'SimpleQueueService' }),
    true,
  ],
  ['anchors a wildcard at both ends', { FilePath: [{ wildcard: 'dir/*.png' }] }, eventWith({ FilePath: 'dir/a.png.bak' }), false],
  ['treats an escaped star as a literal star', { name: [{ wildcard: 'file\\*.txt' }] }, eventWith({ name: 'file*.txt' }), true],
  ['does not expand an escaped star', { name: [{ wildcard: 'file\\*.txt' }] }, eventWith({ name: 'file1.txt' }), false],
  [
    'treats an escaped backslash as a literal backslash',
    { path: [{ wildcard: 'C:\\\\*' }] },
    eventWith({ path: 'C:\\Windows' }),
    true,
  ],
  ['treats regular-expression characters literally', { name: [{ wildcard: 'a.c*' }] }, eventWith({ name: 'abc' }), false],
];

const anythingButCases: MatchCase[] = [
  // EventBridge user guide, "Anything-but matching".
  ['matches anything but a string', { detail: { state: [{ 'anything-but': 'initializing' }] } }, EC2_RUNNING, true],
  [
    'rejects the excluded string',
    { detail: { state: [{ 'anything-but': 'initializing' }] } },
    detailWith({ state: 'initializing' }),
    false,
  ],
  ['matches anything but a number', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, EC2_RUNNING, true],
  ['rejects the excluded number', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, detailWith({ 'x-limit': 123 }), false],
  [
    'matches anything but a list of strings',
    { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    EC2_RUNNING,
    true,
  ],
  [
    'rejects a string in the excluded list',
    { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    detailWith({ state: 'stopped' }),
    false,
  ],
  ['matches anything but a list of numbers', { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, EC2_RUNNING, true],
  [
    'rejects a number in the excluded list by value',
    { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    json('{"detail": {"x-limit": 300.0}}'),
    false,
  ],
  ['matches anything but a prefix', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, EC2_RUNNING, true],
  [
    'rejects a value with the excluded prefix',
    { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    detailWith({ state: 'initializing' }),
    false,
  ],
  [
    'matches anything but a suffix',
    { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } },
    detailWith({ FileName: 'image.png' }),
    true,
  ],
  [
    'rejects a value with the excluded suffix',
    { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } },
    detailWith({ FileName: 'notes.txt' }),
    false,
  ],
  [
    'matches anything but a string in any case',
    { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] } },
    EC2_RUNNING,
    true,
  ],
  [
    'rejects the excluded string in another case',
    { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] } },
    detailWith({ state: 'INITIALIZING' }),
    false,
  ],
  [
    'rejects a string from an excluded list in another case',
    { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }] } },
    detailWith({ state: 'stopped' }),
    false,
  ],
  [
    'matches anything but a wildcard',
    { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
    detailWith({ FilePath: '/usr/bin/node' }),
    true,
  ],
  [
    'rejects a value matching the excluded wildcard',
    { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
    detailWith({ FilePath: '/usr/lib/node' }),
    false,
  ],
  [
    'rejects a value matching any of the excluded wildcards',
    { detail: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] } },
    detailWith({ FilePath: '/usr/bin/node' }),
    false,
  ],
  ['does not match a missing field', { detail: { state: [{ 'anything-but': 'initializing' }] } }, AUTOSCALING_LAUNCH, false],
  [
    'matches when another element of an event array is not excluded',
    { detail: { state: [{ 'anything-but': 'initializing' }] } },
    detailWith({ state: ['initializing', 'running'] }),
    true,
  ],
  [
    'rejects when every element of an event array is excluded',
    { detail: { state: [{ 'anything-but': 'initializing' }] } },
    detailWith({ state: ['initializing'] }),
    false,
  ],
];

const numericCases: MatchCase[] = [
  ['matches the documented numeric ranges', NUMERIC_PATTERN, EC2_RUNNING, true],
  [
    'rejects a value above a closed upper bound',
    NUMERIC_PATTERN,
    detailWith({ 'c-count': 6, 'd-count': 3, 'x-limit': 301.8 }),
    false,
  ],
  ['rejects a value on an open lower bound', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, detailWith({ 'c-count': 0 }), false],
  ['rejects a value on an open upper bound', { detail: { 'd-count': [{ numeric: ['<', 10] }] } }, detailWith({ 'd-count': 10 }), false],
  ['matches a value on a closed lower bound', { detail: { count: [{ numeric: ['>=', 10] }] } }, detailWith({ count: 10 }), true],
  ['matches numeric equality by value', { detail: { 'x-limit': [{ numeric: ['=', 301.8] }] } }, EC2_RUNNING, true],
  ['matches only numeric event values', { detail: { 'c-count': [{ numeric: ['>', 0] }] } }, detailWith({ 'c-count': '5' }), false],
  ['rejects a missing numeric field', { detail: { 'c-count': [{ numeric: ['>', 0] }] } }, EC2_TERMINATED, false],
];

const cidrCases: MatchCase[] = [
  // EventBridge user guide, "IP address matching".
  ['matches an IPv4 address in a CIDR block', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, EC2_RUNNING, true],
  [
    'rejects an IPv4 address outside the CIDR block',
    { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    detailWith({ sourceIPAddress: '10.0.1.1' }),
    false,
  ],
  [
    'matches an IPv6 address in a CIDR block',
    { detail: { sourceIPAddress: [{ cidr: '2001:db8:1234:1a00::/64' }] } },
    detailWith({ sourceIPAddress: '2001:db8:1234:1a00::10' }),
    true,
  ],
  [
    'rejects an IPv6 address outside the CIDR block',
    { detail: { sourceIPAddress: [{ cidr: '2001:db8:1234:1a00::/64' }] } },
    detailWith({ sourceIPAddress: '2001:db8:1234:1b00::10' }),
    false,
  ],
  [
    'rejects an IPv4 address against an IPv6 block',
    { detail: { sourceIPAddress: [{ cidr: '::/0' }] } },
    detailWith({ sourceIPAddress: '10.0.0.1' }),
    false,
  ],
  [
    'rejects a value that is not an IP address',
    { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/8' }] } },
    detailWith({ sourceIPAddress: 'localhost' }),
    false,
  ],
];

// EventBridge user guide, "Exists matching" (its example events, made valid JSON).
const EXISTS_EXAMPLE: Event = {
  'detail-type': ['EC2 Instance State-change Notification'],
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
  detail: { state: ['initializing', 'running'] },
};
const EXISTS_EXAMPLE_WITH_OBJECT: Event = {
  ...EXISTS_EXAMPLE,
  detail: { state: ['initializing', 'running'], 'c-count': { c1: 100 } },
};

const existsCases: MatchCase[] = [
  ['matches exists:true on a present field', { detail: { 'c-count': [{ exists: true }] } }, EC2_RUNNING, true],
  ['rejects exists:true on a missing field', { detail: { 'c-count': [{ exists: true }] } }, EC2_TERMINATED, false],
  ['matches exists:false on a missing field', { detail: { 'c-count': [{ exists: false }] } }, EXISTS_EXAMPLE, true],
  ['rejects exists:false on a present field', { detail: { 'c-count': [{ exists: false }] } }, EC2_RUNNING, false],
  [
    'matches exists:false on a non-leaf node',
    { detail: { 'c-count': [{ exists: false }] } },
    EXISTS_EXAMPLE_WITH_OBJECT,
    true,
  ],
  ['rejects exists:true on a non-leaf node', { detail: { 'c-count': [{ exists: true }] } }, EXISTS_EXAMPLE_WITH_OBJECT, false],
  ['matches exists:true on a null value', { detail: { responseElements: [{ exists: true }] } }, AUTOSCALING_LAUNCH, true],
  ['matches exists:false when the parent object is missing', { detail: { 'c-count': [{ exists: false }] } }, { source: 'aws.ec2' }, true],
  ['rejects exists:true on an empty array', { resources: [{ exists: true }] }, AUTOSCALING_LAUNCH, false],
  ['matches exists:true on a non-empty array', { resources: [{ exists: true }] }, EC2_TERMINATED, true],
];

const orCases: MatchCase[] = [
  [
    'matches the first $or branch',
    CLOUDWATCH_OR_PATTERN,
    eventWith({ source: 'aws.cloudwatch', metricName: 'CPUUtilization' }),
    true,
  ],
  ['matches the second $or branch', CLOUDWATCH_OR_PATTERN, eventWith({ source: 'aws.cloudwatch', namespace: 'AWS/ES' }), true],
  [
    'rejects when no $or branch matches',
    CLOUDWATCH_OR_PATTERN,
    eventWith({ source: 'aws.cloudwatch', metricName: 'DiskReadOps', namespace: 'AWS/S3' }),
    false,
  ],
  [
    'requires the fields beside $or to match as well',
    CLOUDWATCH_OR_PATTERN,
    eventWith({ source: 'aws.ec2', metricName: 'CPUUtilization' }),
    false,
  ],
  [
    'matches a documented $or inside detail',
    {
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    },
    detailWith({ 'c-count': 50, 'd-count': 50, 'x-limit': 301.8 }),
    true,
  ],
  [
    'rejects a $or inside detail when no branch matches',
    {
      detail: {
        $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }],
      },
    },
    detailWith({ 'c-count': 50, 'd-count': 50 }),
    false,
  ],
  [
    'matches a $or branch that ANDs several fields',
    OR_WITH_AND_INSIDE,
    eventWith({ source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2' }),
    true,
  ],
  [
    'rejects a $or branch with only some of its fields',
    OR_WITH_AND_INSIDE,
    eventWith({ source: 'aws.cloudwatch', namespace: 'AWS/EC2' }),
    false,
  ],
  [
    'matches a $or nested inside a $or branch',
    NESTED_OR,
    eventWith({ source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 1000 }),
    true,
  ],
  [
    'rejects a nested $or when none of its branches match',
    NESTED_OR,
    eventWith({ source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 2000 }),
    false,
  ],
  [
    'matches parallel $or at two levels',
    PARALLEL_OR,
    eventWith({ namespace: 'AWS/EC2', detail: { 'detail-type': 'CloudWatch Alarm State Change' } }),
    true,
  ],
  [
    'rejects parallel $or when one level has no matching branch',
    PARALLEL_OR,
    eventWith({ namespace: 'AWS/EC2', detail: { source: 'aws.ec2' } }),
    false,
  ],
];

const allMatchCases = [
  ...basicCases,
  ...serviceCases,
  ...arrayCases,
  ...scalarCases,
  ...prefixSuffixCases,
  ...ignoreCaseAndWildcardCases,
  ...anythingButCases,
  ...numericCases,
  ...cidrCases,
  ...existsCases,
  ...orCases,
];

describe('matchesPattern', () => {
  describe('with exact values', () => {
    it.each(basicCases)('%s', (_description, pattern, event, expected) => {
      expect(matchesPattern(pattern, event)).toBe(expected);
    });
  });

  describe('with the patterns our services use', () => {
    it.each(serviceCases)('%s', (_description, pattern, event, expected) => {
      expect(matchesPattern(pattern, event)).toBe(expected);
    });
  });

  describe('with arrays in events', () => {
    it.each(arrayCases)('%s', (_description, pattern, event, expected) => {
      expect(matchesPattern(pattern, event)).toBe(expected);
    });
  });

  describe('with null, empty string, number and boolean values', () => {
    it.each(scalarCases)('%s', (_description, pattern, event, expected) => {
      expect(matchesPattern(pattern, event)).toBe(expected);
    });
  });

  describe('with prefix and suffix', () => {
    it.each(prefixSuffixCases)('%s', (_description, pattern, event, expected) => {
      expect(matchesPattern(pattern, event)).toBe(expected);
    });
  });

  describe('with equals-ignore-case and wildcard', () => {
    it.each(ignoreCaseAndWildcardCases)('%s', (_description, pattern, event, expected) => {
      expect(matchesPattern(pattern, event)).toBe(expected);
    });
  });

  describe('with anything-but', () => {
    it.each(anythingButCases)('%s', (_description, pattern, event, expected) => {
      expect(matchesPattern(pattern, event)).toBe(expected);
    });
  });

  describe('with numeric', () => {
    it.each(numericCases)('%s', (_description, pattern, event, expected) => {
      expect(matchesPattern(pattern, event)).toBe(expected);
    });
  });

  describe('with cidr', () => {
    it.each(cidrCases)('%s', (_description, pattern, event, expected) => {
      expect(matchesPattern(pattern, event)).toBe(expected);
    });
  });

  describe('with exists', () => {
    it.each(existsCases)('%s', (_description, pattern, event, expected) => {
      expect(matchesPattern(pattern, event)).toBe(expected);
    });
  });

  describe('with $or', () => {
    it.each(orCases)('%s', (_description, pattern, event, expected) => {
      expect(matchesPattern(pattern, event)).toBe(expected);
    });
  });

  it('does not modify the pattern or the event', () => {
    const pattern = structuredClone(NESTED_OR);
    const event = structuredClone(EC2_RUNNING);
    matchesPattern(pattern, event);
    expect(pattern).toEqual(NESTED_OR);
    expect(event).toEqual(EC2_RUNNING);
  });
});

describe('assertValidPattern', () => {
  it.each(allMatchCases.map(([description, pattern]): [string, EventPattern] => [description, pattern]))(
    'accepts the pattern used to test that it %s',
    (_description, pattern) => {
      expect(() => assertValidPattern(pattern)).not.toThrow();
    },
  );

  it.each<[description: string, pattern: unknown, path: string]>([
    ['rejects a pattern that is not an object', ['aws.ec2'], '<root>'],
    ['rejects an empty pattern', {}, '<root>'],
    ['rejects a leaf that is not an array', { source: 'aws.ec2' }, 'source'],
    ['rejects a leaf that is a number', { detail: { 'c-count': 5 } }, 'detail.c-count'],
    ['rejects an empty leaf array', { source: [] }, 'source'],
    ['rejects an empty nested object', { detail: {} }, 'detail'],
    ['rejects a nested array as a match value', { source: [['aws.ec2']] }, 'source[0]'],
    ['rejects an unknown operator', { source: [{ contains: 'ec2' }] }, 'source[0]'],
    ['rejects an operator object with two keys', { source: [{ prefix: 'aws.', suffix: 'ec2' }] }, 'source[0]'],
    ['rejects an empty operator object', { source: [{}] }, 'source[0]'],
    ['rejects a prefix that is not a string', { source: [{ prefix: 1 }] }, 'source[0].prefix'],
    ['rejects a prefix with an unknown nested operator', { source: [{ prefix: { wildcard: 'a*' } }] }, 'source[0].prefix'],
    [
      'rejects a suffix ignoring case of a non-string',
      { source: [{ suffix: { 'equals-ignore-case': 2 } }] },
      'source[0].suffix.equals-ignore-case',
    ],
    ['rejects equals-ignore-case with a list', { source: [{ 'equals-ignore-case': ['a'] }] }, 'source[0].equals-ignore-case'],
    ['rejects a numeric operand that is not a list', { detail: { n: [{ numeric: 5 }] } }, 'detail.n[0].numeric'],
    ['rejects a numeric operator without a number', { detail: { n: [{ numeric: ['>'] }] } }, 'detail.n[0].numeric'],
    ['rejects a numeric bound given as a string', { detail: { n: [{ numeric: ['>', '0'] }] } }, 'detail.n[0].numeric'],
    ['rejects an unknown numeric operator', { detail: { n: [{ numeric: ['!=', 0] }] } }, 'detail.n[0].numeric'],
    ['rejects an empty numeric list', { detail: { n: [{ numeric: [] }] } }, 'detail.n[0].numeric'],
    ['rejects exists with a non-boolean', { detail: { n: [{ exists: 'true' }] } }, 'detail.n[0].exists'],
    ['rejects a cidr without a prefix length', { ip: [{ cidr: '10.0.0.0' }] }, 'ip[0].cidr'],
    ['rejects a cidr with too long a prefix', { ip: [{ cidr: '10.0.0.0/33' }] }, 'ip[0].cidr'],
    ['rejects a cidr that is not an IP address', { ip: [{ cidr: 'example.com/8' }] }, 'ip[0].cidr'],
    ['rejects a wildcard with consecutive stars', { path: [{ wildcard: 'a**b' }] }, 'path[0].wildcard'],
    ['rejects a wildcard with an invalid escape', { path: [{ wildcard: 'a\\b' }] }, 'path[0].wildcard'],
    ['rejects a wildcard ending in a lone backslash', { path: [{ wildcard: 'a\\' }] }, 'path[0].wildcard'],
    ['rejects anything-but with a mixed list', { state: [{ 'anything-but': ['a', 1] }] }, 'state[0].anything-but'],
    ['rejects anything-but with an empty list', { state: [{ 'anything-but': [] }] }, 'state[0].anything-but'],
    ['rejects anything-but with null', { state: [{ 'anything-but': null }] }, 'state[0].anything-but'],
    ['rejects anything-but with a boolean', { state: [{ 'anything-but': true }] }, 'state[0].anything-but'],
    ['rejects anything-but with an unsupported operator', { state: [{ 'anything-but': { numeric: ['>', 1] } }] }, 'state[0].anything-but'],
    ['rejects anything-but with an empty prefix', { state: [{ 'anything-but': { prefix: '' } }] }, 'state[0].anything-but.prefix'],
    [
      'rejects anything-but ignoring case of a number',
      { state: [{ 'anything-but': { 'equals-ignore-case': [1] } }] },
      'state[0].anything-but.equals-ignore-case[0]',
    ],
    [
      'rejects anything-but with an invalid wildcard',
      { state: [{ 'anything-but': { wildcard: ['*/lib/*', 'a**'] } }] },
      'state[0].anything-but.wildcard[1]',
    ],
    ['rejects a $or that is not an array', { $or: { source: ['aws.ec2'] } }, '$or'],
    ['rejects a $or with a single branch', { $or: [{ source: ['aws.ec2'] }] }, '$or'],
    ['rejects a $or branch that is not an object', { $or: [{ source: ['aws.ec2'] }, ['aws.s3']] }, '$or[1]'],
    ['rejects an invalid leaf inside a nested $or branch', { detail: { $or: [{ a: ['x'] }, { b: 'y' }] } }, 'detail.$or[1].b'],
  ])('%s', (_description, pattern, path) => {
    expect(() => assertValidPattern(pattern as EventPattern)).toThrow(`Invalid event pattern at "${path}"`);
  });
});
