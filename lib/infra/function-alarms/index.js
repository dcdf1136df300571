'use strict';
/**
 * osls plugin: the alarms seed 004 asks of every function, added to each service's template
 * so that no service can forget them. Per function:
 *   - error rate above 5 % over 5 minutes (metric math: 100 * Errors / Invocations),
 *   - p99 duration above 80 % of the function's own timeout (so it fires before invocations
 *     start timing out, whatever the timeout),
 *   - any throttle.
 * All notify the platform stack's alarm topic (export centli-alarm-topic-arn-<stage>).
 * Configure with `custom.functionAlarms: { errorRatePercent, durationPercentOfTimeout, topicExport }`.
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
    const durationPercent = settings.durationPercentOfTimeout ?? 80;
    // osls's own default when neither the function nor the provider sets a timeout.
    const defaultTimeout = service.provider.timeout ?? 6;
    const topic = { 'Fn::ImportValue': settings.topicExport ?? `centli-alarm-topic-arn-${stage}` };
    const resources = service.provider.compiledCloudFormationTemplate.Resources;

    for (const name of service.getAllFunctions()) {
      const logicalId = provider.naming.getLambdaLogicalId(name);
      // The compiled function's Timeout is what Lambda enforces; the configuration is the fallback.
      const compiled = resources[logicalId] && resources[logicalId].Properties;
      const timeoutSeconds = (compiled && compiled.Timeout) ?? service.getFunction(name).timeout ?? defaultTimeout;
      const durationMs = Math.floor((timeoutSeconds * 1000 * durationPercent) / 100);
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
          AlarmDescription: { 'Fn::Sub': [`\${Fn} p99 duration is above ${durationMs} ms (${durationPercent}% of its ${timeoutSeconds} s timeout).`, { Fn: functionName }] },
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
