// A small document model between the formats clients write (Markdown, HTML) and the dialects
// channels speak (Slack mrkdwn, Telegram MarkdownV2, WhatsApp, Teams, plain text, HTML). Parsing
// into it once and writing from it once keeps every pair of formats consistent.

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'strong' | 'em' | 'del'; children: Inline[] }
  | { type: 'code'; text: string }
  | { type: 'link'; href: string; children: Inline[] }
  | { type: 'break' };

export type Block =
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'heading'; level: number; children: Inline[] }
  | { type: 'code'; text: string }
  | { type: 'quote'; blocks: Block[] }
  | { type: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { type: 'rule' };

// Only these schemes survive as links; anything else (javascript:, data:, vbscript:…) is text.
const SAFE_SCHEMES = /^(https?:|mailto:|tel:)/i;

export function safeHref(href: string | undefined): string | undefined {
  const trimmed = href?.trim();
  return trimmed && SAFE_SCHEMES.test(trimmed) ? trimmed : undefined;
}

export function inlineText(nodes: Inline[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case 'text':
        case 'code':
          return node.text;
        case 'break':
          return '\n';
        default:
          return inlineText(node.children);
      }
    })
    .join('');
}

// A link whose label is its own address (autolinks, bare URLs) is written once, not twice.
export function isBareLink(node: { href: string; children: Inline[] }): boolean {
  const label = inlineText(node.children).trim();
  return label === '' || label === node.href || `mailto:${label}` === node.href || `tel:${label}` === node.href;
}
