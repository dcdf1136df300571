'use strict';
/**
 * osls plugin: the alarms seed 004 asks of every function, added to each service's template
 * so that no service can forget them. Per function:
 *   - error rate above 5 % over 5 minutes (metric math: 100 * Errors / Invocations),
 *   - p99 duration above 10 s,
 *   - any throttle.
 * All notify the platform stack's alarm topic (export centli-alarm-topic-arn-<stage>).
 * Configure with `custom.functionAlarms: { errorRatePercent, durationMs, topicExport }`.
 */
class FunctionAlarms {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'package:compileEvents': () => this.addAlarms() };
  }

  addAlarms() {
    const service = this.serverless.service;
    const provider = this.serverless.getProvider('aws');
    const stage = provider.getStage();
    const settings = (service.custom && service.custom.functionAlarms) || {};
    const errorRate = settings.errorRatePercent ?? 5;
    const durationMs = settings.durationMs ?? 10000;
    const topic = { 'Fn::ImportValue': settings.topicExport ?? `centli-alarm-topic-arn-${stage}` };
    const resources = service.provider.compiledCloudFormationTemplate.Resources;

    for (const name of service.getAllFunctions()) {
      const logicalId = provider.naming.getLambdaLogicalId(name);
      const prefix = provider.naming.getNormalizedFunctionName(name);
      const functionName = { Ref: logicalId };
      const dimensions = [{ Name: 'FunctionName', Value: functionName }];
      const common = {
        Namespace: 'AWS/Lambda',
        Dimensions: dimensions,
        Period: 300,
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [topic],
      };
      const metric = (id, metricName) => ({
        Id: id,
        ReturnData: false,
        MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: metricName, Dimensions: dimensions }, Period: 300, Stat: 'Sum' },
      });
      resources[`${prefix}ErrorRateAlarm`] = {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmDescription: { 'Fn::Sub': [`More than ${errorRate}% of \${Fn} invocations failed in 5 minutes.`, { Fn: functionName }] },
          Metrics: [
            metric('errors', 'Errors'),
            metric('invocations', 'Invocations'),
            { Id: 'rate', Label: 'error rate (%)', Expression: 'IF(invocations > 0, 100 * errors / invocations, 0)', ReturnData: true },
          ],
          EvaluationPeriods: 1,
          Threshold: errorRate,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
          AlarmActions: [topic],
        },
      };
      resources[`${prefix}DurationAlarm`] = {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          ...common,
          AlarmDescription: { 'Fn::Sub': [`\${Fn} p99 duration is above ${durationMs} ms.`, { Fn: functionName }] },
          MetricName: 'Duration',
          ExtendedStatistic: 'p99',
          Threshold: durationMs,
          ComparisonOperator: 'GreaterThanThreshold',
        },
      };
      resources[`${prefix}ThrottleAlarm`] = {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          ...common,
          AlarmDescription: { 'Fn::Sub': ['${Fn} was throttled.', { Fn: functionName }] },
          MetricName: 'Throttles',
          Statistic: 'Sum',
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
        },
      };
    }
  }
}

module.exports = FunctionAlarms;
