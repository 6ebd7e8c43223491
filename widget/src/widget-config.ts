// Everything the widget needs comes from its own script tag:
// <script src="{PUBLIC_URL}/widget.js" data-channel-id="{channelId}" async></script>
// Optional: data-title (panel heading), data-visitor-name / data-visitor-email (a signed-in
// shopper's identity for the session), data-open="true" (start open).
export interface WidgetConfig {
  channelId: string;
  // Parley's base URL (PUBLIC_URL), taken from the script's own src.
  baseUrl: string;
  title: string;
  visitorName?: string;
  visitorEmail?: string;
  startOpen: boolean;
}

export function findScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.dataset.channelId) return current;
  const candidates = Array.from(document.querySelectorAll<HTMLScriptElement>('script[data-channel-id][src]'));
  return candidates.find((script) => /\/widget\.js(\?|#|$)/.test(script.src)) ?? null;
}

export function readConfig(script: HTMLScriptElement): WidgetConfig | null {
  const { channelId, title, visitorName, visitorEmail, open } = script.dataset;
  if (!channelId) return null;
  const src = new URL(script.src, document.baseURI);
  const path = src.pathname.replace(/\/widget\.js$/, '');
  return {
    channelId,
    baseUrl: `${src.origin}${path}`.replace(/\/+$/, ''),
    title: title?.trim() || 'Chat with us',
    ...(visitorName ? { visitorName } : {}),
    ...(visitorEmail ? { visitorEmail } : {}),
    startOpen: open === 'true',
  };
}
