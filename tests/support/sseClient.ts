export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

export interface ChatStreamResult {
  status: number;
  headers: Headers;
  events: SseEvent[];
  comments: string[];
  /** Concatenated `delta` text. */
  text: string;
  body?: unknown;
}

/** Parses a text/event-stream body incrementally, the way a browser's EventSource would. */
export class SseParser {
  private buffer = '';
  private current: { id?: string; event?: string; data: string[] } = { data: [] };

  constructor(
    private readonly onEvent: (event: SseEvent) => void,
    private readonly onComment: (text: string) => void = () => {},
  ) {}

  push(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.search(/\r\n|\n|\r/)) >= 0) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + (this.buffer.startsWith('\r\n', newline) ? 2 : 1));
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') {
      if (this.current.data.length > 0) {
        this.onEvent({ id: this.current.id, event: this.current.event ?? 'message', data: this.current.data.join('\n') });
      }
      this.current = { data: [] };
      return;
    }
    if (line.startsWith(':')) {
      this.onComment(line.slice(1).trim());
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') this.current.data.push(value);
    else if (field === 'event') this.current.event = value;
    else if (field === 'id') this.current.id = value;
  }
}

export interface ChatOptions {
  token: string;
  messageId: string;
  text: string;
  lastEventId?: string;
  /** Abort the request once this many events arrived (a simulated drop). */
  dropAfterEvents?: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** POST /v1/chat and read the stream to its end (or to a simulated drop). */
export async function chat(baseUrl: string, options: ChatOptions): Promise<ChatStreamResult> {
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort());
  const response = await fetch(`${baseUrl}/v1/chat`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${options.token}`,
      'content-type': 'application/json',
      ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ messageId: options.messageId, text: options.text }),
    signal: controller.signal,
  });
  const result: ChatStreamResult = { status: response.status, headers: response.headers, events: [], comments: [], text: '' };
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
    result.body = await response.json().catch(() => undefined);
    return result;
  }
  const parser = new SseParser(
    (event) => {
      result.events.push(event);
      if (event.event === 'delta') result.text += (JSON.parse(event.data) as { text: string }).text;
    },
    (comment) => result.comments.push(comment),
  );
  const decoder = new TextDecoder();
  const reader = response.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.push(decoder.decode(value, { stream: true }));
      if (options.dropAfterEvents !== undefined && result.events.length >= options.dropAfterEvents) {
        controller.abort();
        break;
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  }
  return result;
}

export async function createSession(baseUrl: string, embedKey: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ tenant: embedKey }),
  });
  const body = (await response.json()) as {
    sessionId: string;
    tokens: { stream: { token: string; expiresAt: number }; manage: { token: string; expiresAt: number } };
  };
  return { status: response.status, body };
}
