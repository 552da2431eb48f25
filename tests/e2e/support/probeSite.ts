import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A two-origin stand-in for host page + widget, with the widget's test ids, used to prove the
 * engine drivers and the fault proxy on their own. `host.test` serves the page, `bff.test` the
 * iframe and a streamed reply; one loopback server answers both names.
 */
export interface ProbeSite {
  port: number;
  hostUrl: string;
  close(): Promise<void>;
}

/** The reply the probe streams for a text, word by word. */
export function probeReply(text: string): string {
  return `You said: ${text}. That is ${text.length} characters.`;
}

const hostPage = (frameUrl: string) => `<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>probe host</title>
<style>body{font:16px sans-serif;margin:0;background:#eef}iframe{position:fixed;right:0;bottom:0;width:360px;height:480px;border:1px solid #99a;background:#fff}
button{position:fixed;right:16px;bottom:16px}</style></head><body><h1>Probe host</h1>
<button data-testid="picasso-launcher">Chat</button>
<script>
document.querySelector('[data-testid=picasso-launcher]').addEventListener('click', () => {
  const frame = document.createElement('iframe');
  frame.setAttribute('data-testid', 'picasso-frame');
  frame.src = ${JSON.stringify(frameUrl)};
  document.body.appendChild(frame);
});
</script></body></html>`;

const framePage = `<!doctype html><html><head><meta charset="utf-8"><title>probe widget</title></head><body>
<div data-testid="picasso-connection" data-state="idle"></div>
<ol id="log"></ol>
<input data-testid="picasso-composer-input" aria-label="Message">
<button data-testid="picasso-send" disabled>Send</button>
<script>
// Enabled only once its handler exists, so a slow line cannot lose the first click.
document.querySelector('[data-testid=picasso-send]').disabled = false;
const connection = document.querySelector('[data-testid=picasso-connection]');
const add = (role, status, text) => {
  const item = document.createElement('li');
  item.setAttribute('data-testid', 'picasso-message');
  item.setAttribute('data-role', role);
  item.setAttribute('data-status', status);
  item.textContent = text;
  document.getElementById('log').appendChild(item);
  return item;
};
document.querySelector('[data-testid=picasso-send]').addEventListener('click', async () => {
  const input = document.querySelector('[data-testid=picasso-composer-input]');
  const text = input.value;
  input.value = '';
  add('user', 'complete', text);
  const reply = add('assistant', 'streaming', '');
  connection.setAttribute('data-state', 'streaming');
  try {
    const response = await fetch('/stream', { method: 'POST', body: text });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\\n\\n')) !== -1) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (event.startsWith('data: ')) reply.textContent += JSON.parse(event.slice(6));
      }
    }
    reply.setAttribute('data-status', 'complete');
    connection.setAttribute('data-state', 'idle');
  } catch {
    reply.setAttribute('data-status', 'error');
    connection.setAttribute('data-state', 'failed');
  }
});
</script></body></html>`;

export async function startProbeSite(): Promise<ProbeSite> {
  let port = 0;
  const server = http.createServer((req, res) => {
    const host = (req.headers.host ?? '').split(':')[0];
    if (host === 'host.test' && req.url === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(hostPage(`http://bff.test:${port}/frame`));
    } else if (host === 'bff.test' && req.url === '/frame') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(framePage);
    } else if (host === 'bff.test' && req.url === '/stream' && req.method === 'POST') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
        const words = probeReply(body).split(/(?<= )/);
        const timer = setInterval(() => {
          const word = words.shift();
          if (word === undefined) {
            clearInterval(timer);
            res.end();
          } else {
            res.write(`data: ${JSON.stringify(word)}\n\n`);
          }
        }, 100);
        res.on('close', () => clearInterval(timer));
      });
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.address() as AddressInfo).port;
  return {
    port,
    hostUrl: `http://host.test:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
