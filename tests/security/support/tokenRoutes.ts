import { randomUUID } from 'node:crypto';
import type { TokenPurpose } from '../../../src/bff/auth/tokenPolicy.js';

/** One token-guarded route, called the way a legitimate client calls it apart from the credentials. */
export interface TokenRoute {
  name: string;
  purpose: TokenPurpose;
  /** What a genuine token of the right purpose gets (stop answers 404 for a message it never saw). */
  acceptedStatus: number;
  call(baseUrl: string, headers: Record<string, string>, query?: string): Promise<Response>;
}

const json = (body: unknown) => ({ body: JSON.stringify(body), type: { 'content-type': 'application/json' } });

function post(path: string, body: () => unknown): TokenRoute['call'] {
  return (baseUrl, headers, query = '') => {
    const { body: text, type } = json(body());
    return fetch(`${baseUrl}${path}${query}`, { method: 'POST', headers: { ...type, ...headers }, body: text });
  };
}

export const TOKEN_ROUTES: readonly TokenRoute[] = [
  { name: 'POST /v1/chat', purpose: 'stream', acceptedStatus: 200, call: post('/v1/chat', () => ({ messageId: randomUUID(), text: 'Is the clinic open today?' })) },
  { name: 'POST /v1/chat/stop', purpose: 'stream', acceptedStatus: 404, call: post('/v1/chat/stop', () => ({ messageId: randomUUID() })) },
  {
    name: 'GET /v1/state',
    purpose: 'manage',
    acceptedStatus: 200,
    call: (baseUrl, headers, query = '') => fetch(`${baseUrl}/v1/state${query}`, { headers }),
  },
  {
    name: 'POST /v1/state/clear',
    purpose: 'manage',
    acceptedStatus: 200,
    call: (baseUrl, headers, query = '') => fetch(`${baseUrl}/v1/state/clear${query}`, { method: 'POST', headers }),
  },
  {
    name: 'POST /v1/sessions/refresh',
    purpose: 'manage',
    acceptedStatus: 200,
    call: (baseUrl, headers, query = '') => fetch(`${baseUrl}/v1/sessions/refresh${query}`, { method: 'POST', headers }),
  },
];

/** Reads a response to its end (an SSE stream included) so its connection is released. */
export async function drain(response: Response): Promise<string> {
  return response.text();
}
