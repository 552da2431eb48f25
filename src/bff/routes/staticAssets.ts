import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built front end (vite output) that the BFF serves; located once at start. */
export interface StaticAssets {
  loaderJs: Buffer;
  widgetHtml: string;
  widgetDir: string;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export function loadStaticAssets(distDir = path.join(ROOT, 'dist')): StaticAssets {
  const read = (file: string) => {
    try {
      return readFileSync(path.join(distDir, file));
    } catch {
      throw new Error(`${path.join(distDir, file)} is missing: run "npm run build" first`);
    }
  };
  return {
    loaderJs: read('loader/loader.js'),
    widgetHtml: read('widget/index.html').toString('utf8'),
    widgetDir: path.join(distDir, 'widget'),
  };
}
