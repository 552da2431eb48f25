import {
  BedrockRuntimeClient,
  ConverseStreamCommand,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export type Transport = 'h2c' | 'http1';

/** The real SDK client; `h2c` is its default handler, `http1` swaps in NodeHttpHandler. */
export function bedrockClient(url: string, transport: Transport, maxAttempts = 1): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts,
    ...(transport === 'http1' ? { requestHandler: new NodeHttpHandler() } : {}),
  });
}

export function userMessage(text: string) {
  return { modelId: 'demo.model-v1:0', messages: [{ role: 'user' as const, content: [{ text }] }] };
}

export interface StreamResult {
  text: string;
  events: ConverseStreamOutput[];
  /** Set when the stream threw after it began. */
  error?: Error;
}

/** Reads a ConverseStream to its end, keeping the typed union members the SDK yields. */
export async function converseStream(
  client: BedrockRuntimeClient,
  text: string,
  options: { abortSignal?: AbortSignal; onEvent?: (event: ConverseStreamOutput) => void } = {},
): Promise<StreamResult> {
  const response = await client.send(new ConverseStreamCommand(userMessage(text)), {
    ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
  });
  const result: StreamResult = { text: '', events: [] };
  try {
    for await (const event of response.stream ?? []) {
      result.events.push(event);
      result.text += event.contentBlockDelta?.delta?.text ?? '';
      options.onEvent?.(event);
    }
  } catch (error) {
    result.error = error as Error;
  }
  return result;
}

export function eventKinds(events: readonly ConverseStreamOutput[]): string[] {
  return events.map((event) => Object.keys(event).filter((key) => key !== '$unknown').join(','));
}
