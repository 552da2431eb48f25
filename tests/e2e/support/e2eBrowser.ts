/**
 * What a scenario may do with a browser, whatever the engine behind it. Scenarios are written
 * once against this; each engine has one implementation.
 */
export type EngineName = 'chromium' | 'webkitgtk' | 'webkit';

/** Narrows a test id to elements with given attributes. */
export interface AttrFilter {
  /** Only elements that have this attribute (with `value`, equal to it). */
  attr?: string;
  value?: string;
  /** Only elements whose attributes equal all of these, e.g. `{ 'data-role': 'assistant' }`. */
  where?: Readonly<Record<string, string>>;
}

export interface WaitOptions extends AttrFilter {
  /** Wait for exactly this many matches; by default, for at least one. */
  count?: number;
  timeoutMs?: number;
}

/** Control of a page's time: its timers and `Date`, in every frame. */
export interface PageClock {
  /** Puts the page on a clock that runs with real time until moved. Call before the page loads. */
  install(): Promise<void>;
  /** Moves the page's time ahead by `ms` at once, firing every timer due meanwhile, in order. */
  runFor(ms: number): Promise<void>;
}

export interface E2EBrowser {
  readonly engine: EngineName;
  /** Whether `setOffline` works here; elsewhere cut the network with the fault proxy. */
  readonly supportsOffline: boolean;
  /** The page's clock where the engine lets a test move it; absent where time can only be real. */
  readonly clock?: PageClock;
  /** Loads a top-level page and returns to its main document. */
  open(url: string): Promise<void>;
  /** Enters the widget iframe (`data-testid="picasso-frame"`); later calls act inside it. */
  frame(): Promise<void>;
  /** Back to the host page's main document. */
  mainFrame(): Promise<void>;
  click(testId: string): Promise<void>;
  fill(testId: string, text: string): Promise<void>;
  waitForTestId(testId: string, options?: WaitOptions): Promise<void>;
  /** `textContent` of every element with this test id, in document order. */
  textsOf(testId: string, filter?: AttrFilter): Promise<string[]>;
  /** The attribute of the first element with this test id; null when absent. */
  attr(testId: string, name: string, filter?: AttrFilter): Promise<string | null>;
  /** Runs a function, given as source or as a self-contained function, in the current document. */
  evaluate<R>(fn: string | ((...args: never[]) => R), ...args: unknown[]): Promise<R>;
  /** PNG of the visible viewport of the top-level page. */
  screenshot(path: string): Promise<void>;
  /** Resizes so that the page's viewport (not the window) is `width` x `height` CSS pixels. */
  setViewport(width: number, height: number): Promise<void>;
  setOffline(offline: boolean): Promise<void>;
  close(): Promise<void>;
}

export const FRAME_TEST_ID = 'picasso-frame';
export const DEFAULT_WAIT_MS = 20_000;

function cssString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function attrSelector(name: string, value: string | undefined): string {
  if (!/^[a-zA-Z_:][-a-zA-Z0-9_:.]*$/.test(name)) throw new Error(`not an attribute name: ${name}`);
  return value === undefined ? `[${name}]` : `[${name}=${cssString(value)}]`;
}

/** The CSS selector for a test id, narrowed by attributes when asked. */
export function testIdSelector(testId: string, filter: AttrFilter = {}): string {
  let selector = `[data-testid=${cssString(testId)}]`;
  if (filter.attr !== undefined) selector += attrSelector(filter.attr, filter.value);
  for (const [name, value] of Object.entries(filter.where ?? {})) selector += attrSelector(name, value);
  return selector;
}

/** A call expression that runs `fn` with `args`, for engines that evaluate source text. */
export function callExpression(fn: string | ((...args: never[]) => unknown), args: readonly unknown[]): string {
  const source = typeof fn === 'string' ? fn : fn.toString();
  return `(${source})(...${JSON.stringify(args)})`;
}

export class UnsupportedByEngine extends Error {
  constructor(engine: EngineName, what: string, instead: string) {
    super(`${what} is not supported on ${engine}: ${instead}`);
    this.name = 'UnsupportedByEngine';
  }
}

export function describeWait(testId: string, options: WaitOptions): string {
  const which = testIdSelector(testId, options);
  return options.count === undefined ? `an element ${which}` : `exactly ${options.count} of ${which}`;
}
