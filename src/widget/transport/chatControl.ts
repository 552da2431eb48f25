import { classifyFailure } from './classifyFailure.js';
import type { HttpDeps } from './http.js';
import { httpErrorFrom } from './httpError.js';

/** `POST /v1/chat/stop`: ends generation of a reply; its stream then finishes with `done`. */
export async function stopReply(deps: HttpDeps, streamToken: string | null, messageId: string): Promise<void> {
  let response: Response;
  try {
    response = await deps.fetch(`${deps.apiBase}/v1/chat/stop`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(streamToken ? { authorization: `Bearer ${streamToken}` } : {}),
      },
      body: JSON.stringify({ messageId }),
    });
  } catch (error) {
    throw classifyFailure(error);
  }
  if (!response.ok) throw classifyFailure(await httpErrorFrom(response, deps.now()));
}
