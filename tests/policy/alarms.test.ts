/**
 * What pages someone, read off the packaged templates: every table's throttles, the dead-letter
 * queue's depth and the purchase saga's failed and timed-out executions alarm (the functions' own
 * alarms are in resources.test.ts), and every alarm notifies the platform's topic, which CloudWatch
 * can actually publish to.
 */
import { actionsOf, CHECKED_STAGE, list, loadTemplates, referenced, resourcesOfType, statementsOf, type Resource, type Template } from './templates';

const checked = loadTemplates('checked');
const prod = loadTemplates('prod');

/** The platform topic as an alarm names it: by Ref in the platform, by its export elsewhere. */
function topicOf(template: Template, stage: string): unknown {
  return template.service === 'platform' ? { Ref: 'AlarmTopic' } : { 'Fn::ImportValue': `centli-alarm-topic-arn-${stage}` };
}

type Alarm = Record<string, unknown> & { Metrics?: Array<{ Id: string; Expression?: string; MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: Array<{ Name: string; Value: unknown }> } } }> };
const alarmsOf = (template: Template) => resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([id, alarm]) => [id, alarm.Properties as Alarm] as const);

/**
 * The DynamoDB operations (ThrottledRequests' Operation dimension) that the granted actions lead
 * to: a Put or Update may be an item of a TransactWriteItems, and a ConditionCheck always is.
 */
function operationsOf(action: string): string[] {
  const name = action.replace(/^dynamodb:/, '');
  if (name === 'ConditionCheckItem') return ['TransactWriteItems'];
  if (name === 'PutItem' || name === 'UpdateItem') return [name, 'TransactWriteItems'];
  return [name];
}

describe('DynamoDB throttle alarms', () => {
  const tables = [...checked, ...prod].flatMap((template) => resourcesOfType(template, 'AWS::DynamoDB::Table').map(([id]) => [`${template.service}${template.file.includes('/prod/') ? ' (prod)' : ''}/${id}`, template, id] as const));
  // Every operation any role sends to DynamoDB (the IAM tests prove the grants cover the code).
  const operations = [
    ...new Set(
      checked
        .flatMap(statementsOf)
        .filter((found) => found.holderType === 'AWS::IAM::Role' && found.statement.Effect === 'Allow')
        .flatMap((found) => actionsOf(found.statement))
        .filter((action) => action.startsWith('dynamodb:'))
        .flatMap(operationsOf),
    ),
  ].sort();

  it.each(tables)('%s alarms on any throttled request, whatever the operation', (_name, template, table) => {
    // Act: the alarm whose metrics are this table's ThrottledRequests.
    const found = alarmsOf(template).filter(([, alarm]) =>
      (alarm.Metrics ?? []).some((metric) => metric.MetricStat?.Metric.MetricName === 'ThrottledRequests' && metric.MetricStat.Metric.Dimensions.some((dimension) => dimension.Name === 'TableName' && referenced(dimension.Value) === table)),
    );
    const [[, alarm] = []] = found;
    const metrics = (alarm?.Metrics ?? []).filter((metric) => metric.MetricStat);
    const sum = (alarm?.Metrics ?? []).find((metric) => metric.Expression);

    // Assess: one alarm, per operation (ThrottledRequests has no table-only series), summed, above 0.
    expect(found).toHaveLength(1);
    expect(metrics.map((metric) => metric.MetricStat?.Metric.Dimensions.find((dimension) => dimension.Name === 'Operation')?.Value).sort()).toEqual(expect.arrayContaining(operations));
    for (const metric of metrics) {
      expect(metric.MetricStat?.Metric).toMatchObject({ Namespace: 'AWS/DynamoDB', MetricName: 'ThrottledRequests' });
      expect(metric.MetricStat?.Metric.Dimensions.map((dimension) => dimension.Name).sort()).toEqual(['Operation', 'TableName']);
    }
    expect(sum?.Expression).toBe(`SUM([${metrics.map((metric) => metric.Id).join(', ')}])`);
    expect(alarm).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' });
  });

  it('leaves TransactionConflict alone: contention on a hot account is retried, not an incident', () => {
    const conflicts = [...checked, ...prod].flatMap((template) => alarmsOf(template).filter(([, alarm]) => JSON.stringify(alarm).includes('TransactionConflict')).map(([id]) => id));
    expect(conflicts).toEqual([]);
  });
});

describe('the platform and saga alarms', () => {
  const platform = checked.find((template) => template.service === 'platform') as Template;
  const marketplace = checked.find((template) => template.service === 'marketplace') as Template;

  it('alarms when anything is dead-lettered', () => {
    const [[, alarm] = []] = alarmsOf(platform).filter(([, candidate]) => candidate.Namespace === 'AWS/SQS');
    expect(alarm).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['DeadLetterQueue', 'QueueName'] } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it.each(['ExecutionsFailed', 'ExecutionsTimedOut'])('alarms on any purchase saga execution %s', (metric) => {
    // Prepare
    const [[machine] = []] = resourcesOfType(marketplace, 'AWS::StepFunctions::StateMachine');

    // Act
    const found = alarmsOf(marketplace).filter(([, alarm]) => alarm.Namespace === 'AWS/States' && alarm.MetricName === metric);

    // Assess
    expect(found).toHaveLength(1);
    expect(found[0]?.[1]).toMatchObject({ Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: machine } }], Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });
});

describe('alarm notifications', () => {
  const alarms = [
    ...checked.flatMap((template) => alarmsOf(template).map(([id, alarm]) => [`${template.service}/${id}`, template, CHECKED_STAGE, alarm] as const)),
    ...prod.flatMap((template) => alarmsOf(template).map(([id, alarm]) => [`${template.service} (prod)/${id}`, template, 'prod', alarm] as const)),
  ];

  it.each(alarms)('%s notifies the platform topic, and only it', (_name, template, stage, alarm) => {
    const actions = [...list(alarm.AlarmActions as unknown[]), ...list(alarm.OKActions as unknown[]), ...list(alarm.InsufficientDataActions as unknown[])];
    expect(list(alarm.AlarmActions as unknown[])).toEqual([topicOf(template, stage)]);
    expect(actions.filter((action) => JSON.stringify(action) !== JSON.stringify(topicOf(template, stage)))).toEqual([]);
  });

  it('encrypts the topic under a key CloudWatch may use for this account\'s alarms (not the AWS managed key, whose policy names no service)', () => {
    // Prepare
    const platform = checked.find((template) => template.service === 'platform') as Template;
    const topic = platform.resources.AlarmTopic as Resource;
    const keyId = referenced(topic.Properties?.KmsMasterKeyId);

    // Act
    const grants = statementsOf(platform).filter((found) => found.holder === keyId && JSON.stringify(found.statement.Principal) === JSON.stringify({ Service: 'cloudwatch.amazonaws.com' }));

    // Assess
    expect(platform.resources[keyId as string]?.Type).toBe('AWS::KMS::Key');
    expect(grants).toHaveLength(1);
    expect(grants[0]?.statement).toMatchObject({
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }, ArnLike: { 'aws:SourceArn': expect.anything() } },
    });
  });
});
