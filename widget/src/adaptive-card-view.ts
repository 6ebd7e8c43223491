import { AdaptiveCard, type Action, ExecuteAction, HostConfig, OpenUrlAction, SubmitAction } from 'adaptivecards';
import type { Postback } from './protocol';
import { markdownToHtml } from './rich-text';
import { safeUrl, sanitizeToFragment } from './sanitize';

// Adaptive Cards rendered natively with Microsoft's renderer (https://adaptivecards.io). A
// Submit/Execute action answers as a postback whose payload is the action's data (with the
// card's input values), one JSON string, exactly as Parley reads a card's actions
// (src/content/adaptive-card.ts submitPayload); OpenUrl opens http(s) links only.

// Markdown in TextBlocks goes through the same sanitizer as messages.
AdaptiveCard.onProcessMarkdown = (text, result) => {
  const holder = document.createElement('div');
  holder.appendChild(sanitizeToFragment(markdownToHtml(text)));
  result.outputHtml = holder.innerHTML;
  result.didProcess = true;
};

const hostConfig = new HostConfig({
  fontFamily: 'inherit',
  spacing: { small: 4, default: 8, medium: 12, large: 16, extraLarge: 24, padding: 12 },
  actions: { maxActions: 6, buttonSpacing: 6, actionsOrientation: 'horizontal', actionAlignment: 'left', showCard: { actionMode: 'inline' } },
  containerStyles: {
    default: { backgroundColor: '#ffffff', foregroundColors: { default: { default: '#1f2328', subtle: '#59636e' }, accent: { default: '#0b57d0', subtle: '#0b57d0' } } },
  },
});

export function submitPayload(data: unknown, fallback: string | undefined): string | undefined {
  if (typeof data === 'string' && data !== '') return data;
  if (data !== undefined && data !== null && !(typeof data === 'object' && Object.keys(data).length === 0)) return JSON.stringify(data);
  return fallback;
}

export function renderAdaptiveCard(json: Record<string, unknown>, onPostback: (postback: Postback, text: string) => void): HTMLElement {
  const card = new AdaptiveCard();
  card.hostConfig = hostConfig;
  const wrapper = document.createElement('div');
  wrapper.className = 'adaptive-card';
  try {
    card.parse(json);
    card.onExecuteAction = (action: Action) => handle(action, onPostback);
    const rendered = card.render();
    if (rendered) wrapper.appendChild(rendered);
  } catch {
    wrapper.textContent = typeof json.fallbackText === 'string' ? json.fallbackText : 'This card cannot be shown.';
  }
  return wrapper;
}

function handle(action: Action, onPostback: (postback: Postback, text: string) => void): void {
  if (action instanceof OpenUrlAction) {
    const url = safeUrl(action.url);
    if (url) window.open(url, '_blank', 'noopener,noreferrer');
    return;
  }
  if (action instanceof SubmitAction || action instanceof ExecuteAction) {
    const title = action.title?.trim() || undefined;
    const verb = action instanceof ExecuteAction ? action.verb : undefined;
    const payload = submitPayload(action.data, verb || title);
    if (!payload) return;
    onPostback(title ? { payload, title } : { payload }, title ?? payload);
  }
}
