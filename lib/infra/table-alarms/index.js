'use strict';
/**
 * osls plugin: a throttle alarm for every DynamoDB table a service declares (seed 004: "DynamoDB
 * throttles > 0"), to the platform stack's alarm topic (export centli-alarm-topic-arn-<stage>).
 *
 * DynamoDB publishes ThrottledRequests per table *and operation* (dimensions TableName, Operation):
 * an alarm on the table alone would watch a metric that never has data. So each alarm sums, with
 * metric math, the table's ThrottledRequests of every operation Centli's code sends (tests/policy
 * checks the list against the SDK commands the functions' code can send), and fires on any
 * throttled request in a minute. A throttled request is retried by the SDK and by the kit; the alarm
 * says the table is running at a limit (a hot key, the on-demand ceiling), before retries run out.
 *
 * TransactionConflict is deliberately not alarmed: it counts items a transaction could not take
 * because another request held them, which is what two transfers from one account at once look
 * like; the transaction is retried and the books stay right. Conflicts that exhaust the retries fail
 * the invocation, which the function's error-rate alarm and the dead-letter queue's alarm report.
 *
 * Configure with `custom.tableAlarms: { operations, topicExport }`.
 */

/** The DynamoDB operations Centli's functions send (DocumentClient commands map one to one). */
const OPERATIONS = ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'TransactWriteItems'];
/** Metric math allows ten metrics in an alarm: the operations and the sum. */
const MAX_OPERATIONS = 9;

class TableAlarms {
  constructor(serverless) {
    this.serverless = serverless;
    // After serverless.yml's own resources (the tables) are merged into the template.
    this.hooks = { 'after:aws:package:finalize:mergeCustomProviderResources': () => this.addAlarms() };
  }

  addAlarms() {
    const service = this.serverless.service;
    const provider = this.serverless.getProvider('aws');
    const settings = (service.custom && service.custom.tableAlarms) || {};
    const operations = settings.operations ?? OPERATIONS;
    if (operations.length === 0 || operations.length > MAX_OPERATIONS) {
      throw new this.serverless.classes.Error(`table-alarms: between 1 and ${MAX_OPERATIONS} operations, got ${operations.length}`);
    }
    const topic = { 'Fn::ImportValue': settings.topicExport ?? `centli-alarm-topic-arn-${provider.getStage()}` };
    const resources = service.provider.compiledCloudFormationTemplate.Resources;

    for (const [logicalId, table] of Object.entries(resources)) {
      if (table.Type !== 'AWS::DynamoDB::Table') continue;
      const tableName = { Ref: logicalId };
      const ids = operations.map((operation) => operation.charAt(0).toLowerCase() + operation.slice(1));
      resources[`${logicalId}ThrottleAlarm`] = {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmDescription: { 'Fn::Sub': ['DynamoDB throttled requests to ${Table} (any operation): it is running at a limit.', { Table: tableName }] },
          Metrics: [
            ...operations.map((operation, index) => ({
              Id: ids[index],
              ReturnData: false,
              MetricStat: {
                Metric: {
                  Namespace: 'AWS/DynamoDB',
                  MetricName: 'ThrottledRequests',
                  Dimensions: [
                    { Name: 'TableName', Value: tableName },
                    { Name: 'Operation', Value: operation },
                  ],
                },
                Period: 60,
                Stat: 'Sum',
              },
            })),
            { Id: 'throttled', Label: 'throttled requests', Expression: `SUM([${ids.join(', ')}])`, ReturnData: true },
          ],
          EvaluationPeriods: 1,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
          AlarmActions: [topic],
        },
      };
    }
  }
}

module.exports = TableAlarms;
