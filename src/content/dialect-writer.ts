import type { TextDialect } from './capabilities.types';
import { escapeHtml } from './html-entities';
import { type Block, type Inline, inlineText, isBareLink } from './rich-text';

// Writes the rich-text model in a channel's dialect. Each dialect is a small table of syntax;
// the walk over blocks and inlines is shared so that every dialect degrades the same way.

// Telegram MarkdownV2: "characters _ * [ ] ( ) ~ ` > # + - = | { } . ! must be escaped with the
// preceding character '\'", and so must '\' itself (https://core.telegram.org/bots/api#markdownv2-style).
const TELEGRAM_RESERVED = /[_*[\]()~`>#+\-=|{}.!\\]/g;

export function escapeMarkdownV2(text: string): string {
  return text.replace(TELEGRAM_RESERVED, '\\$&');
}

// Slack mrkdwn: only &, < and > are control characters
// (https://api.slack.com/reference/surfaces/formatting#escaping).
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// CommonMark: a backslash makes any ASCII punctuation literal. Inline markers are always escaped;
// block markers (#, >, -, +, "1.") only where they would start a block, to keep text readable.
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]<>|~]/g, '\\$&')
    .replace(/&(?=#?\w+;)/g, '\\&')
    .replace(/^(\s*)([#+\-=])/gm, '$1\\$2')
    .replace(/^(\s*\d+)([.)])(?=\s|$)/gm, '$1\\$2');
}

export function escapeText(text: string, dialect: TextDialect): string {
  switch (dialect) {
    case 'html':
      return escapeHtml(text).replace(/\r?\n/g, '<br>\n');
    case 'slack-mrkdwn':
      return escapeSlack(text);
    case 'telegram-markdownv2':
      return escapeMarkdownV2(text);
    case 'markdown':
    case 'teams':
      return escapeMarkdown(text);
    case 'plain':
    case 'whatsapp':
      // WhatsApp has no escape character; plain text is sent as is.
      return text;
  }
}

type Emphasis = 'strong' | 'em' | 'del';

interface TextSyntax {
  dialect: Exclude<TextDialect, 'html'>;
  markers: Partial<Record<Emphasis, string>>;
  code(text: string): string;
  codeBlock(text: string): string;
  link(href: string, label: string, bare: boolean): string;
  heading: 'strong' | 'hash' | 'text';
  quotePrefix: string;
  bullet: string;
  ordered(n: number): string;
  lineBreak: string;
  rule: string;
}

// A label followed by its URL: the link must survive where the dialect has no link syntax.
const spelledOutLink = (href: string, label: string, bare: boolean): string =>
  bare ? label || href : `${label} (${href})`;

function markdownFence(text: string, min: number): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(min, longest + 1));
}

// Link destinations: spaces, parentheses and angle brackets would end or break the destination.
export const markdownDestination = (href: string): string =>
  href.replace(/[ ()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

const MARKDOWN_BASE = {
  markers: { strong: '**', em: '*', del: '~~' },
  code: (text: string) => {
    const fence = markdownFence(text, 1);
    const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
    return `${fence}${pad}${text}${pad}${fence}`;
  },
  codeBlock: (text: string) => {
    const fence = markdownFence(text, 3);
    return `${fence}\n${text}\n${fence}`;
  },
  quotePrefix: '> ',
  bullet: '- ',
  ordered: (n: number) => `${n}. `,
  // CommonMark hard line break.
  lineBreak: '  \n',
  rule: '---',
} as const;

const SYNTAX: Record<Exclude<TextDialect, 'html'>, TextSyntax> = {
  plain: {
    dialect: 'plain',
    markers: {},
    code: (text) => text,
    codeBlock: (text) => text,
    link: spelledOutLink,
    heading: 'text',
    quotePrefix: '> ',
    // GSM-7 has no bullet: "•" would turn a whole SMS into UCS-2.
    bullet: '- ',
    ordered: (n) => `${n}. `,
    lineBreak: '\n',
    rule: '---',
  },
  // https://faq.whatsapp.com/539178204879377 (bold, italic, strikethrough, monospace, quote, lists)
  whatsapp: {
    dialect: 'whatsapp',
    markers: { strong: '*', em: '_', del: '~' },
    code: (text) => `\`${text}\``,
    codeBlock: (text) => `\`\`\`${text}\`\`\``,
    link: spelledOutLink,
    heading: 'strong',
    quotePrefix: '> ',
    bullet: '- ',
    ordered: (n) => `${n}. `,
    lineBreak: '\n',
    rule: '---',
  },
  // https://api.slack.com/reference/surfaces/formatting
  'slack-mrkdwn': {
    dialect: 'slack-mrkdwn',
    markers: { strong: '*', em: '_', del: '~' },
    code: (text) => `\`${escapeSlack(text)}\``,
    codeBlock: (text) => `\`\`\`\n${escapeSlack(text)}\n\`\`\``,
    link: (href, label, bare) => (bare ? `<${escapeSlack(href)}>` : `<${escapeSlack(href)}|${label}>`),
    heading: 'strong',
    quotePrefix: '> ',
    bullet: '• ',
    ordered: (n) => `${n}. `,
    lineBreak: '\n',
    rule: '———',
  },
  // https://core.telegram.org/bots/api#markdownv2-style
  'telegram-markdownv2': {
    dialect: 'telegram-markdownv2',
    markers: { strong: '*', em: '_', del: '~' },
    // Inside code and pre entities only ` and \ are escaped.
    code: (text) => `\`${text.replace(/[`\\]/g, '\\$&')}\``,
    codeBlock: (text) => `\`\`\`\n${text.replace(/[`\\]/g, '\\$&')}\n\`\`\``,
    // Inside the (...) part of a link only ) and \ are escaped.
    link: (href, label, bare) => (bare ? label || escapeMarkdownV2(href) : `[${label}](${href.replace(/[)\\]/g, '\\$&')})`),
    heading: 'strong',
    quotePrefix: '>',
    bullet: '• ',
    ordered: (n) => `${n}\\. `,
    lineBreak: '\n',
    rule: '———',
  },
  markdown: {
    dialect: 'markdown',
    ...MARKDOWN_BASE,
    link: (href, label, bare) => (bare ? `<${href}>` : `[${label}](${markdownDestination(href)})`),
    heading: 'hash',
  },
  // Teams text messages take a Markdown subset without headings
  // (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages).
  teams: {
    dialect: 'teams',
    ...MARKDOWN_BASE,
    link: (href, label) => `[${label || escapeMarkdown(href)}](${markdownDestination(href)})`,
    heading: 'strong',
  },
};

export function writeDialect(blocks: Block[], dialect: TextDialect): string {
  return dialect === 'html' ? writeHtmlBlocks(blocks) : writeTextBlocks(blocks, SYNTAX[dialect]);
}

function writeTextBlocks(blocks: Block[], syntax: TextSyntax): string {
  return blocks
    .map((block) => writeTextBlock(block, syntax))
    .filter((text) => text.trim() !== '')
    .join('\n\n');
}

function writeTextBlock(block: Block, syntax: TextSyntax): string {
  switch (block.type) {
    case 'paragraph':
      return writeInlines(block.children, syntax, new Set());
    case 'heading':
      if (syntax.heading === 'hash') {
        return `${'#'.repeat(Math.min(6, Math.max(1, block.level)))} ${writeInlines(block.children, syntax, new Set())}`;
      }
      if (syntax.heading === 'strong') return writeInlines([{ type: 'strong', children: block.children }], syntax, new Set());
      return writeInlines(block.children, syntax, new Set());
    case 'code':
      return syntax.codeBlock(block.text);
    case 'quote':
      return writeTextBlocks(block.blocks, syntax)
        .split('\n')
        .map((line) => `${syntax.quotePrefix}${line}`)
        .join('\n');
    case 'list':
      return block.items
        .map((item, i) => {
          const marker = block.ordered ? syntax.ordered(block.start + i) : syntax.bullet;
          const indent = ' '.repeat(marker.replace(/\\/g, '').length);
          const body = item
            .map((child) => writeTextBlock(child, syntax))
            .filter((text) => text.trim() !== '')
            .join('\n');
          return marker + body.split('\n').join(`\n${indent}`);
        })
        .join('\n');
    case 'rule':
      return syntax.rule;
  }
}

// `active` holds the emphasis already open around this node: Telegram and Slack cannot nest an
// entity inside itself ("*a *b* c*"), so an inner repeat is written without markers.
function writeInlines(nodes: Inline[], syntax: TextSyntax, active: Set<Emphasis>): string {
  return nodes.map((node) => writeInline(node, syntax, active)).join('');
}

function writeInline(node: Inline, syntax: TextSyntax, active: Set<Emphasis>): string {
  switch (node.type) {
    case 'text':
      return escapeText(node.text, syntax.dialect).replace(/\n/g, syntax.lineBreak);
    case 'code':
      return syntax.code(node.text);
    case 'break':
      return syntax.lineBreak;
    case 'link': {
      const bare = isBareLink(node);
      // Slack link labels cannot carry formatting; elsewhere the label keeps its emphasis.
      const label =
        syntax.dialect === 'slack-mrkdwn'
          ? escapeSlack(inlineText(node.children).replace(/\s+/g, ' ').trim())
          : writeInlines(node.children, syntax, active).trim();
      return syntax.link(node.href, label, bare);
    }
    default: {
      const marker = syntax.markers[node.type];
      if (!marker || active.has(node.type)) return writeInlines(node.children, syntax, active);
      const inner = writeInlines(node.children, syntax, new Set([...active, node.type]));
      return wrap(inner, marker);
    }
  }
}

// Markers must touch the text they format ("*bold*", not "* bold *"), so surrounding whitespace
// moves outside them; empty emphasis is dropped.
function wrap(inner: string, marker: string): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner);
  if (!match || match[2] === '') return inner;
  return `${match[1]}${marker}${match[2]}${marker}${match[3]}`;
}

function writeHtmlBlocks(blocks: Block[]): string {
  return blocks.map(writeHtmlBlock).join('\n');
}

function writeHtmlBlock(block: Block): string {
  switch (block.type) {
    case 'paragraph':
      return `<p>${writeHtmlInlines(block.children)}</p>`;
    case 'heading': {
      const level = Math.min(6, Math.max(1, block.level));
      return `<h${level}>${writeHtmlInlines(block.children)}</h${level}>`;
    }
    case 'code':
      return `<pre><code>${escapeHtml(block.text)}</code></pre>`;
    case 'quote':
      return `<blockquote>${writeHtmlBlocks(block.blocks)}</blockquote>`;
    case 'list': {
      const items = block.items.map((item) => `<li>${item.map(writeHtmlListChild).join('')}</li>`).join('');
      if (!block.ordered) return `<ul>${items}</ul>`;
      return block.start === 1 ? `<ol>${items}</ol>` : `<ol start="${block.start}">${items}</ol>`;
    }
    case 'rule':
      return '<hr>';
  }
}

// Tight list items hold their text directly rather than in a paragraph.
function writeHtmlListChild(block: Block): string {
  return block.type === 'paragraph' ? writeHtmlInlines(block.children) : writeHtmlBlock(block);
}

function writeHtmlInlines(nodes: Inline[]): string {
  return nodes.map(writeHtmlInline).join('');
}

function writeHtmlInline(node: Inline): string {
  switch (node.type) {
    case 'text':
      return escapeHtml(node.text).replace(/\n/g, '<br>');
    case 'code':
      return `<code>${escapeHtml(node.text)}</code>`;
    case 'break':
      return '<br>';
    case 'link':
      return `<a href="${escapeHtml(node.href)}">${writeHtmlInlines(node.children) || escapeHtml(node.href)}</a>`;
    case 'strong':
      return `<strong>${writeHtmlInlines(node.children)}</strong>`;
    case 'em':
      return `<em>${writeHtmlInlines(node.children)}</em>`;
    case 'del':
      return `<del>${writeHtmlInlines(node.children)}</del>`;
  }
}
