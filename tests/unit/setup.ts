// Unit tests make no network calls and print no handler logs unless a test asks for them.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_REGION ??= 'us-east-1';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
