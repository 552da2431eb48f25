import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';

interface Output {
  fileName: string;
  source: string;
}

let outputs: Output[] = [];
const widgetSources = fileURLToPath(new URL('../../../src/widget/', import.meta.url));

beforeAll(async () => {
  const result = await build({
    configFile: fileURLToPath(new URL('../../../vite.config.ts', import.meta.url)),
    mode: 'production',
    logLevel: 'silent',
    build: { write: false, emptyOutDir: false },
  });
  outputs = (Array.isArray(result) ? result : [result])
    .flatMap((entry) => ('output' in entry ? entry.output : []))
    .map((item) => ({
      fileName: item.fileName,
      source: item.type === 'chunk' ? item.code : typeof item.source === 'string' ? item.source : Buffer.from(item.source).toString('utf8'),
    }));
}, 120_000);

const html = () => outputs.find((o) => o.fileName === 'index.html')?.source ?? '';

describe('the widget as built', () => {
  it('has exactly one config placeholder, in a JSON script block', () => {
    expect(html().split('__PICASSO_CONFIG__')).toHaveLength(2);
    expect(html()).toContain('<script type="application/json" id="picasso-config">__PICASSO_CONFIG__</script>');
  });

  it('runs under script-src and style-src self: no inline script, no <style>, no style attribute', () => {
    const scripts = [...html().matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    for (const [, attributes = '', body = ''] of scripts) {
      if (attributes.includes('application/json')) continue;
      expect(attributes).toMatch(/\bsrc="\/widget\/assets\/[^"]+\.js"/);
      expect(body.trim()).toBe('');
    }
    expect(html()).not.toMatch(/<style\b|\sstyle=/);
    expect(html()).toMatch(/<link rel="stylesheet"[^>]*href="\/widget\/assets\/[^"]+\.css"/);
  });

  it('puts hashed JS and CSS under assets/ and no source maps', () => {
    const assets = outputs.filter((o) => o.fileName !== 'index.html');
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect(asset.fileName).toMatch(/^assets\/[\w-]+-[\w-]{8}\.(js|css)$/);
    expect(outputs.some((o) => o.fileName.endsWith('.map'))).toBe(false);
  });

  it('loads within the 40,960-byte gzip budget for all JS and CSS', () => {
    const total = outputs
      .filter((o) => /\.(js|css)$/.test(o.fileName))
      .reduce((sum, o) => sum + gzipSync(o.source, { level: 9 }).length, 0);
    expect(total).toBeLessThanOrEqual(40_960);
  });

  it('contains no localhost address', () => {
    for (const output of outputs) {
      const leaked = /localhost|127\.0\.0\.1/.test(output.source);
      expect(leaked, output.fileName).toBe(false);
    }
  });

  it('never renders text as HTML: no innerHTML in the widget sources', () => {
    // Solid clones its own compile-time templates through innerHTML; message text never goes there.
    const offenders = readdirSync(widgetSources, { recursive: true, encoding: 'utf8' })
      .filter((file) => /\.(ts|tsx)$/.test(file))
      .filter((file) => /innerHTML|outerHTML|insertAdjacentHTML|document\.write/.test(readFileSync(join(widgetSources, file), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
