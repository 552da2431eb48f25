import { once } from 'node:events';
import { loadConfig } from '../config/loadConfig.js';
import { createDynamoClients } from '../store/dynamoClient.js';
import { EXIT, runAuditCommand } from './auditCommand.js';

/**
 * `npm run audit -- verify|export ...`: reads the audit table where the BFF's own configuration
 * points (DYNAMODB_ENDPOINT, TABLE_PREFIX, AWS_REGION); for `embedded` it joins the embedded
 * server of DATA_DIR, starting it if no BFF is running.
 */
async function main(): Promise<number> {
  const config = loadConfig();
  let url: string | undefined;
  let closeEmbedded = async () => {};
  if (config.dynamodbEndpoint.kind === 'embedded') {
    const { startEmbeddedDynamo } = await import('../../local/dynamo.js');
    const embedded = await startEmbeddedDynamo({ dataDir: config.dataDir });
    url = embedded.url;
    closeEmbedded = () => embedded.close();
  } else if (config.dynamodbEndpoint.kind === 'url') {
    url = config.dynamodbEndpoint.url;
  }
  const { raw, doc } = createDynamoClients({ region: config.awsRegion, url });
  try {
    return await runAuditCommand(process.argv.slice(2), {
      doc,
      prefix: config.tablePrefix,
      stdout: async (text) => {
        if (!process.stdout.write(text)) await once(process.stdout, 'drain');
      },
      stderr: (text) => process.stderr.write(text),
    });
  } finally {
    raw.destroy();
    await closeEmbedded();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`audit: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT.usage;
  },
);
