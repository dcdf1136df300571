/**
 * What every resource of a kind must be, read off the packaged templates: tables on demand,
 * encrypted, recoverable and (outside the throwaway stages) kept; logs that expire; functions with
 * explicit limits and the three alarms; invoke permissions bound to their caller.
 */
import { CHECKED_STAGE, list, loadTemplates, referenced, resourcesOfType, type Resource, type Template } from './templates';

const checked = loadTemplates('checked');
const prod = loadTemplates('prod');
/** The stages whose tables may go with their stack; every other keeps them. */
const THROWAWAY_STAGES = ['local', 'dev'];

const tables = (templates: Template[]) =>
  templates.flatMap((template) => resourcesOfType(template, 'AWS::DynamoDB::Table').map(([id, table]) => [`${template.service}/${id}`, table] as [string, Resource]));

describe('DynamoDB tables', () => {
  it.each(tables(checked))('%s is on demand, encrypted and recoverable', (_name, table) => {
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it.each(tables(checked))(`%s goes with its stack only in a throwaway stage (${CHECKED_STAGE})`, (_name, table) => {
    const policy = THROWAWAY_STAGES.includes(CHECKED_STAGE) ? 'Delete' : 'Retain';
    expect({ DeletionPolicy: table.DeletionPolicy, UpdateReplacePolicy: table.UpdateReplacePolicy }).toEqual({ DeletionPolicy: policy, UpdateReplacePolicy: policy });
  });

  it.each(tables(prod))('%s outlives its stack and any replacement in prod, and refuses deletion', (_name, table) => {
    expect({ DeletionPolicy: table.DeletionPolicy, UpdateReplacePolicy: table.UpdateReplacePolicy }).toEqual({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(table.Properties?.DeletionProtectionEnabled).toBe(true);
  });

  it('are the same tables in both stages', () => {
    expect(tables(prod).map(([name]) => name)).toEqual(tables(checked).map(([name]) => name));
  });
});

describe('log groups', () => {
  const groups = checked.flatMap((template) => resourcesOfType(template, 'AWS::Logs::LogGroup').map(([id, group]) => [`${template.service}/${id}`, group] as [string, Resource]));

  it.each(groups)('%s expires its logs', (_name, group) => {
    expect(group.Properties?.RetentionInDays).toEqual(expect.any(Number));
  });
});

describe('functions', () => {
  const functions = checked.flatMap((template) =>
    resourcesOfType(template, 'AWS::Lambda::Function').map(([id, fn]) => [`${template.service}/${id}`, { template, id, fn }] as [string, { template: Template; id: string; fn: Resource }]),
  );

  it.each(functions)('%s sets its timeout and memory', (_name, { fn }) => {
    expect(fn.Properties).toMatchObject({ Timeout: expect.any(Number), MemorySize: expect.any(Number) });
  });

  it.each(functions)('%s has its error-rate, duration and throttle alarms, the duration below its timeout', (_name, { template, id, fn }) => {
    // Prepare: the alarms on this function (its FunctionName dimension, directly or in a metric).
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm')
      .map(([, alarm]) => alarm.Properties ?? {})
      .filter((alarm) => JSON.stringify([alarm.Dimensions, alarm.Metrics]).includes(JSON.stringify({ Name: 'FunctionName', Value: { Ref: id } })));
    const metricNames = (alarm: Record<string, unknown>) => [alarm.MetricName, ...list(alarm.Metrics as Array<{ MetricStat?: { Metric: { MetricName: string } } }>).map((metric) => metric.MetricStat?.Metric.MetricName)];

    // Act
    const errorRate = alarms.find((alarm) => metricNames(alarm).includes('Errors') && metricNames(alarm).includes('Invocations'));
    const duration = alarms.find((alarm) => alarm.MetricName === 'Duration');
    const throttles = alarms.find((alarm) => alarm.MetricName === 'Throttles');

    // Assess
    expect(errorRate).toMatchObject({ Threshold: 5, ComparisonOperator: 'GreaterThanThreshold' });
    expect(throttles).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    expect(duration).toMatchObject({ ExtendedStatistic: 'p99', ComparisonOperator: 'GreaterThanThreshold' });
    expect(duration?.Threshold).toBeLessThan((fn.Properties?.Timeout as number) * 1000);
    for (const alarm of [errorRate, duration, throttles]) expect(list(alarm?.AlarmActions as unknown[]).length).toBeGreaterThan(0);
  });
});

describe('invoke permissions', () => {
  const permissions = checked.flatMap((template) => resourcesOfType(template, 'AWS::Lambda::Permission').map(([id, permission]) => [`${template.service}/${id}`, permission] as [string, Resource]));

  it.each(permissions)('%s lets only its own rule or API invoke the function', (_name, permission) => {
    expect(permission.Properties?.SourceArn).toBeDefined();
    expect(referenced(permission.Properties?.FunctionName)).toMatch(/LambdaFunction$/);
  });
});
