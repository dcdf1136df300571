import { join } from 'node:path';
import { CreateTableCommand, UpdateTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { assertJava, createTableInput, createTables } from '../../../local/dynamodb';
import { loadServiceConfig, REPOSITORY_ROOT } from '../../../local/serverless-config';

const coreBanking = loadServiceConfig(join(REPOSITORY_ROOT, 'services', 'core-banking', 'serverless.yml'));

/** A client that records what it is sent and answers as `answer` says. */
function fakeClient(answer: (command: unknown) => unknown = () => ({})) {
  const sent: unknown[] = [];
  const client = {
    send: async (command: unknown) => {
      sent.push(command);
      const result = answer(command);
      if (result instanceof Error) throw result;
      return result;
    },
  };
  return { client: client as unknown as DynamoDBClient, sent };
}

describe('createTableInput', () => {
  it('keeps what shapes the table and drops what DynamoDB Local has no use for', () => {
    // Act
    const input = createTableInput('AccountsTable', coreBanking.resources.AccountsTable?.Properties ?? {});

    // Assess
    expect(input).toEqual({
      TableName: 'centli-accounts-local',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'user_id', AttributeType: 'S' },
        { AttributeName: 'account_id', AttributeType: 'S' },
        { AttributeName: 'clabe', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'user_id', KeyType: 'HASH' },
        { AttributeName: 'account_id', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        { IndexName: 'account_id-index', KeySchema: [{ AttributeName: 'account_id', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['holder_name'] } },
        { IndexName: 'clabe-index', KeySchema: [{ AttributeName: 'clabe', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
      ],
    });
  });

  it('gives a provisioned table and its indexes their throughput, and enables a declared stream', () => {
    // Prepare
    const properties = {
      TableName: 't',
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: '2', WriteCapacityUnits: 3 },
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'g', KeySchema: [], Projection: { ProjectionType: 'ALL' }, ContributorInsightsSpecification: { Enabled: true } }],
      LocalSecondaryIndexes: [{ IndexName: 'l', KeySchema: [], Projection: { ProjectionType: 'ALL' } }],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      Tags: [{ Key: 'app', Value: 'centli' }],
    };

    // Act
    const input = createTableInput('T', properties);

    // Assess
    expect(input.ProvisionedThroughput).toEqual({ ReadCapacityUnits: 2, WriteCapacityUnits: 3 });
    expect(input.GlobalSecondaryIndexes).toEqual([
      { IndexName: 'g', KeySchema: [], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } },
    ]);
    expect(input.LocalSecondaryIndexes).toEqual([{ IndexName: 'l', KeySchema: [], Projection: { ProjectionType: 'ALL' } }]);
    expect(input.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(input).not.toHaveProperty('Tags');
  });

  it('refuses a table name CloudFormation would have to compute', () => {
    expect(() => createTableInput('T', { TableName: { 'Fn::Sub': 'x' }, KeySchema: [], AttributeDefinitions: [] })).toThrow(
      'T: TableName must be a plain string locally, got {"Fn::Sub":"x"}',
    );
  });
});

describe('createTables', () => {
  it('creates every table, then turns on the TimeToLive a table declares', async () => {
    // Prepare
    const { client, sent } = fakeClient();

    // Act
    const tables = await createTables(client, coreBanking.resources);

    // Assess
    expect(tables).toEqual(['centli-accounts-local', 'centli-transactions-local', 'centli-ledger-controls-local', 'centli-spei-orders-local']);
    const creates = sent.filter((command) => command instanceof CreateTableCommand) as CreateTableCommand[];
    expect(creates.map((command) => command.input.TableName)).toEqual(tables);
    const ttl = sent.filter((command) => command instanceof UpdateTimeToLiveCommand) as UpdateTimeToLiveCommand[];
    expect(ttl.map((command) => command.input)).toEqual([
      { TableName: 'centli-ledger-controls-local', TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true } },
    ]);
  });

  it('leaves a table that already exists', async () => {
    // Prepare
    const exists = Object.assign(new Error('Cannot create preexisting table'), { name: 'ResourceInUseException' });
    const { client } = fakeClient((command) => (command instanceof CreateTableCommand ? exists : {}));

    // Act / Assess
    await expect(createTables(client, coreBanking.resources)).resolves.toHaveLength(4);
  });

  it('names the table when DynamoDB refuses it', async () => {
    // Prepare
    const { client } = fakeClient((command) => (command instanceof CreateTableCommand ? new Error('bad key schema') : {}));
    const resources = { AccountsTable: coreBanking.resources.AccountsTable as NonNullable<typeof coreBanking.resources.AccountsTable> };

    // Act / Assess
    await expect(createTables(client, resources)).rejects.toThrow('creating AccountsTable (centli-accounts-local): bad key schema');
  });
});

describe('assertJava', () => {
  it('says what to install when java is not on PATH', () => {
    expect(() => assertJava({ PATH: '/nonexistent' })).toThrow(/needs a Java 17 \(or newer\) runtime, and `java` is not on PATH/);
  });
});
