/**
 * The local host: the app in a browser when Electron is not available (`npm run serve`, the
 * fallback of `npm start`). An HTTP server bound to 127.0.0.1 only serves the built renderer
 * (dist/renderer) and the shipped assets (/assets/samples, /assets/icons); the API runs over a
 * WebSocket at /api using the wire protocol of main/shared/wire.ts.
 *
 * Security: every request must carry a Host header naming this server (127.0.0.1:PORT or
 * localhost:PORT: defeats DNS rebinding); the WebSocket also needs an Origin of this server (defeats
 * other web pages) and the random per-run token from the printed URL (defeats other local programs).
 * Messages are size-limited, every call's arguments are validated, errors go back as readable
 * messages without stacks. Pages get a strict Content-Security-Policy.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { OstinatoApi } from '../shared/api.js';
import {
  encodeWire,
  MAX_WIRE_MESSAGE_BYTES,
  parseRequest,
  type WireEvent,
  type WireResponse,
} from '../shared/wire.js';
import { dispatch } from '../services/dispatch.js';
import { contentSecurityPolicy } from '../services/csp.js';
import { isServable, mimeType, resolveStaticPath } from '../services/static-files.js';
import { errorMessage } from '../services/util.js';

export interface LocalHostOptions {
  api: OstinatoApi;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /** The repository's (or the app's) assets folder; only samples/ and icons/ are served. */
  assetsDir: string;
  /** 0 = a free port chosen by the system. */
  port?: number;
  /** Fixed token (tests); default: 32 random bytes. */
  token?: string;
  /** Largest WebSocket message in bytes; default: the per-call payload limit in base64 plus 1 MB. */
  maxMessageBytes?: number;
}

export interface LocalHost {
  url: string; // http://127.0.0.1:PORT/?token=…
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Close codes the browser client understands (renderer/api/ws-client.ts). */
export const CLOSE_BAD_TOKEN = 4001;

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startLocalHost(opts: LocalHostOptions): Promise<LocalHost> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const maxPayload = opts.maxMessageBytes ?? MAX_WIRE_MESSAGE_BYTES;
  const rendererDir = resolve(opts.rendererDir);
  const assetsDir = resolve(opts.assetsDir);
  let port = 0;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = () => allowedHosts().map((h) => `http://${h}`);

  const securityHeaders = (res: ServerResponse) => {
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(allowedHosts().map((h) => `ws://${h}`)));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader(
      'Permissions-Policy',
      'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
    );
  };

  const refuse = (res: ServerResponse, status: number, message: string) => {
    securityHeaders(res);
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(message + '\n');
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!allowedHosts().includes(req.headers.host ?? ''))
      return refuse(res, 403, 'Forbidden: unexpected Host header');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return refuse(res, 405, 'Method not allowed');
    }
    const url = new URL(req.url ?? '/', `http://${allowedHosts()[0]}`);
    const file = resolveStaticPath(url.pathname, rendererDir, assetsDir);
    if (!file) return refuse(res, 404, 'Not found');
    let data: Buffer;
    try {
      if (!(await isServable(file, rendererDir, assetsDir))) throw new Error('not servable');
      data = await fs.readFile(file);
    } catch {
      if (url.pathname === '/' || url.pathname === '/index.html') {
        return refuse(
          res,
          503,
          `The renderer is not built (${join(rendererDir, 'index.html')} is missing): run \`npx vite build\` or \`npm run serve\``,
        );
      }
      return refuse(res, 404, 'Not found');
    }
    securityHeaders(res);
    const type = mimeType(file);
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': data.length,
      'Cache-Control': type.startsWith('text/html') ? 'no-store' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : data);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) refuse(res, 500, `Internal error: ${errorMessage(err)}`);
      else res.destroy();
    });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;

  const wss = new WebSocketServer({ noServer: true, maxPayload, perMessageDeflate: false });
  const clients = new Set<WebSocket>();

  const rejectUpgrade = (socket: Duplex, status: number, message: string) => {
    socket.end(
      `HTTP/1.1 ${status} ${message}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${message.length}\r\n\r\n${message}`,
    );
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const url = new URL(req.url ?? '/', `http://${allowedHosts()[0]}`);
    if (url.pathname !== '/api') return rejectUpgrade(socket, 404, 'Not Found');
    if (!allowedHosts().includes(req.headers.host ?? '')) return rejectUpgrade(socket, 403, 'Forbidden');
    if (!allowedOrigins().includes(req.headers.origin ?? '')) return rejectUpgrade(socket, 403, 'Forbidden');
    const tokenOk = sameToken(url.searchParams.get('token'), token);
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (!tokenOk) {
        // The page is ours (Origin and Host passed) but the URL lacks the token: say so and close
        // before a single message is read.
        ws.close(CLOSE_BAD_TOKEN, 'invalid or missing token');
        return;
      }
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('error', () => ws.terminate());
      ws.on('message', (data, isBinary) => {
        if (isBinary) {
          ws.close(1003, 'binary frames are not accepted');
          return;
        }
        void answer(ws, data.toString());
      });
    });
  });

  const send = (ws: WebSocket, msg: WireResponse | WireEvent) => {
    if (ws.readyState !== ws.OPEN) return;
    try {
      ws.send(encodeWire(msg));
    } catch (err) {
      if ('id' in msg)
        ws.send(
          encodeWire({ id: msg.id, error: { message: `Could not send the result: ${errorMessage(err)}` } }),
        );
    }
  };

  const answer = async (ws: WebSocket, text: string) => {
    let req: ReturnType<typeof parseRequest>;
    try {
      req = parseRequest(text);
    } catch (err) {
      send(ws, { id: -1, error: { message: errorMessage(err) } });
      return;
    }
    try {
      send(ws, { id: req.id, result: (await dispatch(opts.api, req.method, req.args)) ?? null });
    } catch (err) {
      send(ws, { id: req.id, error: { message: errorMessage(err) } });
    }
  };

  const offTraining = opts.api.onTraining((event) => {
    for (const ws of clients) send(ws, { event: 'training', payload: event });
  });
  const offMenu = opts.api.onMenu((command) => {
    for (const ws of clients) send(ws, { event: 'menu', payload: command });
  });
  const offNotice =
    opts.api.onNotice?.((notice) => {
      for (const ws of clients) send(ws, { event: 'notice', payload: notice });
    }) ?? (() => undefined);

  await new Promise<void>((ok, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        fail(
          new Error(
            `Port ${opts.port} on 127.0.0.1 is already in use: choose another with --port (0 = any free port)`,
          ),
        );
      } else if (err.code === 'EACCES') {
        fail(
          new Error(
            `Port ${opts.port} needs special permissions here: choose a port above 1023 with --port (0 = any free port)`,
          ),
        );
      } else fail(err);
    });
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.removeAllListeners('error');
      ok();
    });
  });
  port = (server.address() as { port: number }).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      offTraining();
      offMenu();
      offNotice();
      for (const ws of clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
