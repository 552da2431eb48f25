/** The parts of a Converse / ConverseStream request body the emulator acts on. */
export interface ConverseRequest {
  lastUserText: string;
  /** A rough token count of system prompt and messages (four characters a token). */
  inputTokens: number;
}

export class ConverseValidationError extends Error {
  override readonly name = 'ConverseValidationError';
}

/** Checks the body the way Bedrock rejects malformed input: with a ValidationException. */
export function parseConverseRequest(body: string): ConverseRequest {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new ConverseValidationError('Request body is not valid JSON');
  }
  if (!isRecord(json)) throw new ConverseValidationError('Request body must be a JSON object');
  const { messages, system, inferenceConfig } = json;
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new ConverseValidationError('messages must be a non-empty list');
  }
  if (inferenceConfig !== undefined) checkInferenceConfig(inferenceConfig);

  let inputChars = system === undefined ? 0 : textOfBlocks(system, 'system').length;
  let lastUserText: string | undefined;
  for (const message of messages) {
    if (!isRecord(message) || (message.role !== 'user' && message.role !== 'assistant')) {
      throw new ConverseValidationError('Each message needs role user or assistant');
    }
    const text = textOfBlocks(message.content, 'content');
    inputChars += text.length;
    if (message.role === 'user') lastUserText = text;
  }
  if (lastUserText === undefined) throw new ConverseValidationError('No user message');
  return { lastUserText, inputTokens: Math.max(1, Math.ceil(inputChars / 4)) };
}

function textOfBlocks(blocks: unknown, field: string): string {
  if (!Array.isArray(blocks) || blocks.length === 0) {
    throw new ConverseValidationError(`${field} must be a non-empty list of blocks`);
  }
  let text = '';
  for (const block of blocks) {
    if (!isRecord(block)) throw new ConverseValidationError(`${field} blocks must be objects`);
    // Non-text blocks (images, tool results) are accepted and carry no text for the demo model.
    if (block.text !== undefined) {
      if (typeof block.text !== 'string') throw new ConverseValidationError('text must be a string');
      text += block.text;
    }
  }
  return text;
}

function checkInferenceConfig(config: unknown): void {
  if (!isRecord(config)) throw new ConverseValidationError('inferenceConfig must be an object');
  const { maxTokens, temperature, topP } = config;
  if (maxTokens !== undefined && !(Number.isInteger(maxTokens) && (maxTokens as number) >= 1)) {
    throw new ConverseValidationError('maxTokens must be a positive integer');
  }
  for (const [name, value] of [['temperature', temperature], ['topP', topP]] as const) {
    if (value !== undefined && !(typeof value === 'number' && value >= 0 && value <= 1)) {
      throw new ConverseValidationError(`${name} must be between 0 and 1`);
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
