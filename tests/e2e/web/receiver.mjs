// A webhook receiver on loopback: records every request heartbeatd's webhook channel sends and
// answers 200, so a test can check what a real endpoint would have received.

import http from 'node:http';

/**
 * Resolves to { url, requests, close() }; each request is { method, path, headers, body, json },
 * json being the parsed body, or null if it is not JSON.
 */
export function startReceiver() {
  const requests = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({
        method: req.method,
        path: req.url,
        headers: req.headers,
        body,
        json: parseJson(body),
      });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}/hook`,
        requests,
        close: () =>
          new Promise((done) => {
            // heartbeatd keeps its delivery connections alive; close() alone would wait for them.
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
