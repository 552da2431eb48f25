/**
 * The least a streaming proxy of the model can be, built from the platform parts the BFF is built
 * from (Node's HTTP server, Express, the AWS SDK's Bedrock and DynamoDB clients) and from nothing
 * of the product: no token, claim, history, memory, resumable log, summary, audit or metrics. The
 * load benchmarks run it beside the BFF on the same machine and backing services, so a figure can
 * be read against what those parts alone cost there (docs/performance.md, "The platform's floor").
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import express from 'express';
import { createBedrockClient, createBedrockModel } from '../src/bff/model/bedrockModel.js';
import { createDynamoClients } from '../src/bff/store/dynamoClient.js';

export interface FloorOptions {
  dynamoUrl: string;
  bedrockUrl: string;
  /** Requests go through Express and its JSON body parser, as the BFF's routes take them; otherwise through Node's own handler. */
  express: boolean;
  /** Each stream relays a ConverseStream call's text; otherwise it sends one event at once and stays open. */
  model: boolean;
  /** The user's message is stored (one PutItem) before the stream opens, as the fail-closed rule asks of every turn. */
  storeMessage: boolean;
  heartbeatMs: number;
}

/** The floor's variants the benchmarks compare, named as their tables print them. */
export const FLOORS = {
  nodeHttp: { express: false, model: false, storeMessage: false },
  nodeHttpModel: { express: false, model: true, storeMessage: false },
  expressModel: { express: true, model: true, storeMessage: false },
  expressModelStored: { express: true, model: true, storeMessage: true },
} satisfies Record<string, Pick<FloorOptions, 'express' | 'model' | 'storeMessage'>>;

export type FloorName = keyof typeof FLOORS;

export const FLOOR_LABELS: Record<FloorName, string> = {
  nodeHttp: "Node's HTTP server, an SSE response with heartbeats",
  nodeHttpModel: 'the same, relaying one ConverseStream call (AWS SDK)',
  expressModel: 'the same, through Express and its JSON body parser',
  expressModelStored: 'Express and the SDK relaying the model, the user message stored first (one PutItem)',
};

const MODEL_ID = 'picasso.demo-model-v1';
const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export async function startFloorServer(options: FloorOptions): Promise<{ port: number; close(): Promise<void> }> {
  const model = createBedrockModel(createBedrockClient({ region: 'us-east-1', url: options.bedrockUrl }));
  const { raw, doc } = createDynamoClients({ region: 'us-east-1', url: options.dynamoUrl });
  const table = `floor${randomUUID().slice(0, 6)}-messages`;
  if (options.storeMessage) {
    await raw.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
  }

  async function relay(body: { text?: unknown; messageId?: unknown }, res: http.ServerResponse): Promise<void> {
    const text = typeof body.text === 'string' ? body.text : '';
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    // As the BFF does, the model starts while the message is stored; the stream opens after.
    const events = options.model ? model.stream({ modelId: MODEL_ID, messages: [{ role: 'user', text }], signal: abort.signal })[Symbol.asyncIterator]() : undefined;
    const first = events?.next();
    first?.catch(() => undefined);
    if (options.storeMessage) {
      await doc.send(new PutCommand({ TableName: table, Item: { pk: String(body.messageId), text, at: Date.now() } }));
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    const heartbeat = setInterval(() => res.write(': ping\n\n'), options.heartbeatMs);
    res.on('close', () => clearInterval(heartbeat));
    if (!events || !first) {
      res.write(sse('delta', { text: 'open' }));
      return;
    }
    for (let next = await first; !next.done; next = await events.next()) {
      if (next.value.type === 'text') res.write(sse('delta', { text: next.value.text }));
    }
    res.end(sse('done', {}));
  }

  const fail = (res: http.ServerResponse) => (error: unknown) => {
    if (!res.headersSent) res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: error instanceof Error ? error.name : 'unknown' } }));
    else res.destroy();
  };
  let server: http.Server;
  if (options.express) {
    const app = express();
    app.post('/v1/chat', express.json(), (req, res) => void relay(req.body as object, res).catch(fail(res)));
    server = http.createServer(app);
  } else {
    server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        let parsed: object = {};
        try {
          parsed = JSON.parse(body) as object;
        } catch {
          // An unreadable body relays an empty message: the floor measures streams, not input checks.
        }
        void relay(parsed, res).catch(fail(res));
      });
    });
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', 8_192, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      raw.destroy();
    },
  };
}
