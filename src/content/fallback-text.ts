import type { TextDialect } from './capabilities.types';
import { escapeMarkdown, escapeMarkdownV2, escapeSlack, escapeText, markdownDestination } from './dialect-writer';
import { escapeHtml } from './html-entities';

// The text an element degrades to, as lines: headings, plain lines, "label: URL" lines and
// numbered options ("1. Title — subtitle", "2. Title: https://…"). One block per element.
export type FallbackLine =
  | { kind: 'heading'; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'link'; label?: string; url: string }
  | { kind: 'option'; index: number; title: string; subtitle?: string; url?: string };

export type FallbackBlock = FallbackLine[];

export function writeFallback(blocks: FallbackBlock[], dialect: TextDialect): string {
  const written = blocks.filter((block) => block.length > 0).map((block) => writeBlock(block, dialect));
  return written.join(dialect === 'html' ? '\n' : '\n\n');
}

function writeBlock(block: FallbackBlock, dialect: TextDialect): string {
  if (dialect === 'html') return `<p>${block.map((line) => writeLine(line, dialect)).join('<br>\n')}</p>`;
  // In Markdown a line break inside a paragraph is a space, and only a list starting at 1 may
  // interrupt a paragraph: lines are paragraphs of their own, except runs of options (a list).
  const markdownLike = dialect === 'markdown' || dialect === 'teams';
  return block
    .map((line, i) => {
      const previous = block[i - 1];
      const separator =
        i === 0 ? '' : markdownLike && !(line.kind === 'option' && previous?.kind === 'option') ? '\n\n' : '\n';
      return separator + writeLine(line, dialect);
    })
    .join('');
}

function writeLine(line: FallbackLine, dialect: TextDialect): string {
  switch (line.kind) {
    case 'heading':
      return strong(line.text, dialect);
    case 'text':
      return escapeText(line.text, dialect);
    case 'link':
      return line.label ? `${escapeText(line.label, dialect)}: ${link(line.url, dialect)}` : link(line.url, dialect);
    case 'option': {
      const number = dialect === 'telegram-markdownv2' ? `${line.index}\\.` : `${line.index}.`;
      const subtitle = line.subtitle ? ` — ${escapeText(oneLine(line.subtitle), dialect)}` : '';
      const url = line.url ? `: ${link(line.url, dialect)}` : '';
      // One option, one line: a title with line breaks would read as several.
      return `${number} ${escapeText(oneLine(line.title), dialect)}${subtitle}${url}`;
    }
  }
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

function strong(text: string, dialect: TextDialect): string {
  switch (dialect) {
    case 'html':
      return `<strong>${escapeHtml(text)}</strong>`;
    case 'markdown':
    case 'teams':
      return `**${escapeMarkdown(text)}**`;
    case 'slack-mrkdwn':
    case 'telegram-markdownv2':
    case 'whatsapp':
      return `*${escapeText(text, dialect)}*`;
    case 'plain':
      return text;
  }
}

// The URL itself is always visible: a customer on any client can copy it.
function link(url: string, dialect: TextDialect): string {
  switch (dialect) {
    case 'html':
      return `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
    case 'slack-mrkdwn':
      return `<${escapeSlack(url)}>`;
    case 'telegram-markdownv2':
      return escapeMarkdownV2(url);
    case 'markdown':
      return `<${url.replace(/[<>]/g, (c) => (c === '<' ? '%3C' : '%3E'))}>`;
    case 'teams':
      return `[${escapeMarkdown(url)}](${markdownDestination(url)})`;
    case 'plain':
    case 'whatsapp':
      return url;
  }
}
