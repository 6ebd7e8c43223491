import { ChatWidget } from './chat-widget';
import { findScript, readConfig } from './widget-config';

// Entry point of widget.js. Reads its own script tag, mounts once per page, and exposes
// window.ParleyChat.open() / .close() for pages that want their own "Chat with us" link.
declare global {
  interface Window {
    ParleyChat?: { open(): void; close(): void };
  }
}

function start(): void {
  if (window.ParleyChat) return;
  const script = findScript();
  const config = script ? readConfig(script) : null;
  if (!config) {
    console.error('Parley chat: add data-channel-id="<channel id>" to the widget.js script tag');
    return;
  }
  const widget = new ChatWidget(config);
  window.ParleyChat = { open: () => widget.open(), close: () => widget.close() };
  const mount = () => widget.mount();
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
}

start();
