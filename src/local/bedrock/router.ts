import { answerConverse } from './converse.js';
import { ConverseValidationError, parseConverseRequest } from './converseRequest.js';
import { streamReply, type ReplyContext } from './converseStream.js';
import {
  BodyTooLargeError,
  httpVersionOf,
  readBody,
  RequestAbortedError,
  sendBedrockError,
  sendJson,
  type EmulatorRequest,
  type EmulatorResponse,
} from './exchange.js';
import { FaultMarkerError } from './faults.js';
import type { InvocationLog, InvocationOperation } from './invocations.js';
import { planReply, type ReplyPlan } from './responder.js';

export interface RouterContext extends ReplyContext {
  log: InvocationLog;
  /** Texts already throttled once by `[fault:throttle-once]`. */
  throttledOnce: Set<string>;
}

const MODEL_ROUTE = /^\/model\/([^/]+)\/(converse-stream|converse)$/;
const ADMIN_ROUTE = '/_emulator/invocations';
const MAX_BODY_BYTES = 1024 * 1024;

/** One handler for both protocols: the Bedrock Runtime operations plus the test admin route. */
export function createRouter(context: RouterContext) {
  return async (req: EmulatorRequest, res: EmulatorResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === ADMIN_ROUTE) return adminRoute(context, req, res);
    const route = MODEL_ROUTE.exec(path);
    if (req.method !== 'POST' || !route) {
      return sendBedrockError(res, 'ResourceNotFoundException', 'The requested resource does not exist');
    }
    const operation = route[2] as InvocationOperation;
    let modelId: string;
    let parsed: { lastUserText: string; inputTokens: number; plan: ReplyPlan };
    try {
      modelId = decodeURIComponent(route[1] ?? '');
      const request = parseConverseRequest(await readBody(req, MAX_BODY_BYTES));
      parsed = { ...request, plan: planReply(request.lastUserText) };
    } catch (error) {
      if (error instanceof ConverseValidationError || error instanceof FaultMarkerError || error instanceof BodyTooLargeError || error instanceof URIError) {
        return sendBedrockError(res, 'ValidationException', error.message);
      }
      if (error instanceof RequestAbortedError) return;
      throw error;
    }

    const invocation = context.log.record({
      operation,
      modelId,
      lastUserText: parsed.lastUserText,
      httpVersion: httpVersionOf(req),
    });
    if (shouldThrottle(context, parsed.plan, parsed.lastUserText)) {
      invocation.outcome = 'throttled';
      return sendBedrockError(res, 'ThrottlingException', 'Too many requests, please wait before trying again.');
    }
    const reply = operation === 'converse-stream' ? streamReply : answerConverse;
    reply(res, parsed.plan, invocation, parsed.inputTokens, context);
  };
}

function shouldThrottle(context: RouterContext, plan: ReplyPlan, text: string): boolean {
  if (plan.faults.throttle) return true;
  if (!plan.faults.throttleOnce || context.throttledOnce.has(text)) return false;
  context.throttledOnce.add(text);
  return true;
}

function adminRoute(context: RouterContext, req: EmulatorRequest, res: EmulatorResponse): void {
  if (req.method === 'GET') return sendJson(res, 200, { invocations: context.log.list() });
  if (req.method === 'DELETE') {
    context.log.reset();
    context.throttledOnce.clear();
    return sendJson(res, 200, { invocations: [] });
  }
  sendBedrockError(res, 'ResourceNotFoundException', 'The requested resource does not exist');
}
