export interface WidgetTheme {
  accent?: string;
  title?: string;
  greeting?: string;
}

/** What the BFF writes into `#picasso-config` when it serves the iframe document. */
export interface WidgetConfig {
  v: 1;
  embedKey: string;
  tenantName: string;
  theme: WidgetTheme;
  allowedOrigins: string[];
  /** "" means the iframe's own origin. */
  apiBase: string;
  /** The server's SSE heartbeat interval: a stream silent for two of them has stalled. */
  heartbeatMs: number;
  /** Lets e2e tests crash regions; only a non-production BFF started with TEST_HOOKS=1 sets it. */
  testHooks: boolean;
}

const hexColour = /^#[0-9a-fA-F]{6}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readTheme(value: unknown): WidgetTheme {
  if (!isRecord(value)) return {};
  const theme: WidgetTheme = {};
  if (typeof value.accent === 'string' && hexColour.test(value.accent)) theme.accent = value.accent;
  if (typeof value.title === 'string') theme.title = value.title;
  if (typeof value.greeting === 'string') theme.greeting = value.greeting;
  return theme;
}

// The contract's longest heartbeat interval; anything outside 1..15 s is not from our BFF.
const HEARTBEAT_MS = 15_000;
const readHeartbeat = (value: unknown): number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1000 && value <= HEARTBEAT_MS ? value : HEARTBEAT_MS;

/**
 * Parses the JSON the BFF injected. Returns null for the unreplaced placeholder
 * (a page not served by the BFF) or anything that is not a version-1 config.
 */
export function parseWidgetConfig(text: string | null | undefined): WidgetConfig | null {
  if (!text) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(value) || value.v !== 1 || typeof value.embedKey !== 'string' || value.embedKey === '') return null;
  const origins = Array.isArray(value.allowedOrigins) ? value.allowedOrigins.filter((o): o is string => typeof o === 'string') : [];
  return {
    v: 1,
    embedKey: value.embedKey,
    tenantName: typeof value.tenantName === 'string' ? value.tenantName : '',
    theme: readTheme(value.theme),
    allowedOrigins: origins,
    apiBase: typeof value.apiBase === 'string' ? value.apiBase.replace(/\/+$/, '') : '',
    heartbeatMs: readHeartbeat(value.heartbeatMs),
    testHooks: value.testHooks === true,
  };
}
