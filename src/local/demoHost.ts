import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DemoHostOptions {
  port: number;
  host?: string;
  /** Public origin of the BFF that serves loader.js. */
  bffOrigin: string;
  embedKey: string;
  tenantName: string;
}

/** A clinic-like page on another origin than the BFF, embedding the widget with one script tag. */
export function renderDemoPage(options: Pick<DemoHostOptions, 'bffOrigin' | 'embedKey' | 'tenantName'>): string {
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(options.tenantName)} — patient portal (demo host page)</title>
<link rel="stylesheet" href="/demo.css">
</head>
<body>
<header><h1>${escape(options.tenantName)}</h1><p>Patient portal — a demo page on its own origin.</p></header>
<main>
<h2>Opening hours</h2>
<p>Monday to Friday, 8:00–18:00. Questions? Use the chat button at the bottom right.</p>
<p>This page only adds one script tag; the chat lives in an iframe served by the BFF.</p>
</main>
<script src="${escape(options.bffOrigin)}/loader.js" data-tenant="${escape(options.embedKey)}" async></script>
</body>
</html>
`;
}

const DEMO_CSS = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1f2937;background:#f8fafc}
header{background:#fff;border-bottom:1px solid #e5e7eb;padding:24px}main{padding:24px;max-width:720px}h1{margin:0}`;

/**
 * Serves the demo host page under a strict CSP of its own (no inline script or style), which is
 * what a careful hospital web team would have, so the embed is exercised under it.
 */
export async function startDemoHost(options: DemoHostOptions): Promise<{ url: string; close(): Promise<void> }> {
  const page = renderDemoPage(options);
  const server = http.createServer((req, res) => {
    const csp = `default-src 'self'; script-src 'self' ${options.bffOrigin}; frame-src ${options.bffOrigin}; style-src 'self'; img-src 'self' data:`;
    if (req.url === '/demo.css') {
      res.writeHead(200, { 'Content-Type': 'text/css', 'Cache-Control': 'no-store' }).end(DEMO_CSS);
    } else if (req.url === '/' || req.url?.startsWith('/?')) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': csp, 'Cache-Control': 'no-store' }).end(page);
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
