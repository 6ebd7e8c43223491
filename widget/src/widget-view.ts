import type { Entry } from './conversation';
import { type Choose, renderContent } from './content-view';
import { h } from './dom';
import { icon } from './icons';
import type { ChatMessage } from './protocol';
import { WIDGET_STYLES } from './widget-styles';

export interface ViewHandlers {
  opened(): void;
  closed(): void;
  submitText(text: string): void;
  attach(file: File): void;
  typed(): void;
  retry(clientMessageId: string): void;
  choose: Choose;
}

// The widget's DOM, inside a shadow root so that the host page's styles and ours never mix.
// Accessible: a launcher button whose aria-expanded tells whether the chat is open, a dialog with a heading, the
// conversation as role="log" (new messages are announced politely), labelled controls.
export class WidgetView {
  readonly host: HTMLElement;
  private readonly launcher: HTMLButtonElement;
  private readonly badge: HTMLSpanElement;
  private readonly panel: HTMLElement;
  private readonly log: HTMLOListElement;
  private readonly typing: HTMLDivElement;
  private readonly notice: HTMLDivElement;
  private readonly input: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly fileInput: HTMLInputElement;
  private readonly rendered = new Map<string, { signature: string; node: HTMLLIElement }>();
  private typingTimer: number | undefined;

  constructor(
    title: string,
    private readonly handlers: ViewHandlers,
  ) {
    this.host = h('div', { id: 'parley-chat-widget' });
    const shadow = this.host.attachShadow({ mode: 'open' });

    this.badge = h('span', { class: 'badge', hidden: true, 'aria-hidden': 'true' });
    this.launcher = h('button', { type: 'button', class: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'parley-panel', 'aria-label': `Chat: ${title}` }, icon('chat', 26), this.badge);
    this.launcher.addEventListener('click', () => (this.isOpen ? this.close() : this.open()));

    const close = h('button', { type: 'button', class: 'close', 'aria-label': 'Close chat' }, '×');
    close.addEventListener('click', () => this.close());

    this.log = h('ol', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Conversation', tabindex: '0' });
    this.typing = h('div', { class: 'typing', role: 'status', 'aria-live': 'polite' });
    this.notice = h('div', { class: 'notice', role: 'alert' });

    this.input = h('textarea', { id: 'parley-input', rows: '1', placeholder: 'Write a message…', autocomplete: 'off', maxlength: '5000' });
    this.input.addEventListener('input', () => {
      this.sendButton.disabled = this.input.value.trim() === '';
      this.handlers.typed();
    });
    this.input.addEventListener('keydown', (event) => {
      // Enter sends, Shift+Enter adds a line.
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    this.fileInput = h('input', { type: 'file', id: 'parley-file', class: 'visually-hidden' });
    this.fileInput.addEventListener('change', () => {
      const file = this.fileInput.files?.[0];
      if (file) this.handlers.attach(file);
      this.fileInput.value = '';
    });
    this.sendButton = h('button', { type: 'submit', class: 'send', disabled: true }, 'Send');
    const form = h(
      'form',
      { class: 'composer' },
      h('label', { for: 'parley-input', class: 'visually-hidden' }, 'Message'),
      this.input,
      this.fileInput,
      h('label', { for: 'parley-file', class: 'attach', title: 'Attach a file' }, icon('attach'), h('span', { class: 'visually-hidden' }, 'Attach a file')),
      this.sendButton,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });

    this.panel = h(
      'section',
      { id: 'parley-panel', class: 'panel', role: 'dialog', 'aria-labelledby': 'parley-title', hidden: true },
      h('header', {}, h('h2', { id: 'parley-title' }, title), close),
      this.log,
      this.typing,
      this.notice,
      form,
    );
    this.panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.close();
    });
    adoptStyles(shadow);
    shadow.append(h('div', { class: 'root' }, this.panel, this.launcher));
  }

  get isOpen(): boolean {
    return !this.panel.hidden;
  }

  open(): void {
    this.panel.hidden = false;
    this.launcher.setAttribute('aria-expanded', 'true');
    this.setUnread(0);
    this.scrollToEnd();
    this.input.focus();
    this.handlers.opened();
  }

  close(): void {
    this.panel.hidden = true;
    this.launcher.setAttribute('aria-expanded', 'false');
    this.launcher.focus();
    this.handlers.closed();
  }

  setUnread(count: number): void {
    this.badge.hidden = count === 0;
    this.badge.textContent = count > 9 ? '9+' : String(count);
    this.launcher.dataset.unread = String(count);
  }

  showNotice(text: string | null): void {
    this.notice.textContent = text ?? '';
    this.notice.hidden = !text;
  }

  setEnabled(enabled: boolean): void {
    this.input.disabled = !enabled;
    this.fileInput.disabled = !enabled;
    this.sendButton.disabled = !enabled || this.input.value.trim() === '';
  }

  showTyping(name: string | null, typing: boolean): void {
    window.clearTimeout(this.typingTimer);
    this.typing.textContent = typing ? `${name ?? 'An agent'} is typing…` : '';
    this.typing.classList.toggle('active', typing);
    // A lost "stopped typing" never leaves the indicator on.
    if (typing) this.typingTimer = window.setTimeout(() => this.showTyping(null, false), 8000);
  }

  // Renders the conversation, keeping the nodes of unchanged entries (their Adaptive Card inputs,
  // and screen readers hearing only what is new).
  render(entries: Entry[]): void {
    const latest = [...entries].reverse().find((e) => e.kind === 'message');
    const latestId = latest?.kind === 'message' ? latest.message.id : null;
    const wanted = new Set<string>();
    let previous: HTMLLIElement | null = null;
    const nearEnd = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 80;
    for (const entry of entries) {
      const key = entry.kind === 'message' ? entry.message.id : `pending:${entry.pending.clientMessageId}`;
      const showQuickReplies = entry.kind === 'message' && entry.message.id === latestId && entry.message.direction === 'outbound';
      const signature = entry.kind === 'message' ? `${entry.message.status}|${showQuickReplies}|${JSON.stringify(entry.message.content)}` : `${entry.pending.state}|${entry.pending.error ?? ''}`;
      wanted.add(key);
      let item = this.rendered.get(key);
      if (!item || item.signature !== signature) {
        const node = entry.kind === 'message' ? this.messageNode(entry.message, showQuickReplies) : this.pendingNode(entry);
        if (item) item.node.replaceWith(node);
        item = { signature, node };
        this.rendered.set(key, item);
      }
      const expectedPosition: ChildNode | null = previous ? previous.nextSibling : this.log.firstChild;
      if (expectedPosition !== item.node) this.log.insertBefore(item.node, expectedPosition);
      previous = item.node;
    }
    for (const [key, item] of this.rendered) {
      if (!wanted.has(key)) {
        item.node.remove();
        this.rendered.delete(key);
      }
    }
    if (nearEnd) this.scrollToEnd();
  }

  private messageNode(message: ChatMessage, showQuickReplies: boolean): HTMLLIElement {
    const mine = message.direction === 'inbound';
    const who = mine ? 'You' : (message.author.name ?? 'Agent');
    const time = new Date(message.createdAt);
    const node = h(
      'li',
      { class: `message ${mine ? 'mine' : 'theirs'}`, 'data-message-id': message.id },
      h('span', { class: 'visually-hidden' }, `${who}:`),
      mine ? null : h('span', { class: 'author', 'aria-hidden': 'true' }, who),
      renderContent(message.content, { choose: this.handlers.choose, showQuickReplies }),
      h('time', { class: 'meta', datetime: message.createdAt }, time.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' })),
    );
    return node;
  }

  private pendingNode(entry: Extract<Entry, { kind: 'pending' }>): HTMLLIElement {
    const { pending } = entry;
    const node = h(
      'li',
      { class: `message mine pending ${pending.state}`, 'data-client-message-id': pending.clientMessageId },
      h('span', { class: 'visually-hidden' }, 'You:'),
      renderContent(pending.content, { choose: () => undefined, showQuickReplies: false }),
    );
    if (pending.state === 'failed') {
      const retry = h('button', { type: 'button', class: 'retry' }, 'Retry');
      retry.addEventListener('click', () => this.handlers.retry(pending.clientMessageId));
      node.append(h('span', { class: 'meta error' }, `Not sent${pending.error ? `: ${pending.error}` : ''} `, retry));
    } else {
      node.append(h('span', { class: 'meta' }, 'Sending…'));
    }
    return node;
  }

  private submit(): void {
    const text = this.input.value.trim();
    if (!text || this.input.disabled) return;
    this.input.value = '';
    this.sendButton.disabled = true;
    this.handlers.submitText(text);
  }

  private scrollToEnd(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }
}

// A constructed stylesheet is not an inline <style>, so sites whose Content-Security-Policy
// forbids inline styles still show the widget styled; older browsers get the <style> element.
function adoptStyles(shadow: ShadowRoot): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(WIDGET_STYLES);
    shadow.adoptedStyleSheets = [sheet];
  } catch {
    shadow.append(h('style', {}, WIDGET_STYLES));
  }
}
