import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A customer's web site for the browser suites: another origin than Parley's (localhost, where
// Parley listens on 127.0.0.1), serving one page that embeds the widget with the snippet of
// API.md §9 — its page styles ready to leak into a widget that did not isolate its own.
export class ShopSite {
  private server: Server | null = null;
  url = '';
  // Set once the chat channel exists: the channel's allowedOrigins needs this site's URL first.
  channelId = '';

  // `attributes`: the script tag's optional data-* attributes (data-title, data-open…).
  constructor(
    private readonly parleyUrl: string,
    private readonly attributes: Record<string, string> = {},
  ) {}

  async listen(): Promise<string> {
    const server = createServer((req, res) => {
      res.writeHead(req.url === '/' ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(req.url === '/' ? this.page() : 'not found');
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://localhost:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private page(): string {
    const extra = Object.entries(this.attributes).map(([name, value]) => ` data-${name}="${value}"`).join('');
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Example Shop</title>
<style>body { font-family: Georgia, serif; background: #fdf6e3; } button { background: hotpink; }</style></head>
<body><h1>Example Shop</h1><p>Blue shoes, €45.</p>
<script src="${this.parleyUrl}/widget.js" data-channel-id="${this.channelId}"${extra} async></script>
</body></html>`;
  }
}
