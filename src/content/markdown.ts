import type { Tokens } from 'marked';
import type { TextDialect } from './capabilities.types';
import { writeDialect } from './dialect-writer';
import { htmlToRichText } from './html';
import { decodeEntities } from './html-entities';
import { type Token, lexMarkdown } from './marked-lexer';
import { type Block, type Inline, safeHref } from './rich-text';

export { escapeMarkdown, escapeMarkdownV2, escapeSlack } from './dialect-writer';

// Markdown → a channel's dialect: Slack mrkdwn (*bold*, _italic_, <url|text>), Telegram MarkdownV2
// (every reserved character escaped outside entities), WhatsApp (*bold* _italic_ ~strike~), Teams
// and web chat (Markdown), email (HTML) or plain text (markup stripped, link URLs kept).
export function markdownToDialect(markdown: string, dialect: TextDialect): string {
  return writeDialect(markdownToRichText(markdown), dialect);
}

export function markdownToRichText(markdown: string): Block[] {
  return blocksOf(lexMarkdown(markdown));
}

function blocksOf(tokens: Token[]): Block[] {
  return tokens.flatMap(blockOf);
}

function blockOf(token: Token): Block[] {
  const t = token as Tokens.Generic;
  switch (token.type) {
    case 'paragraph':
    case 'text':
      // Block-level text appears inside tight list items.
      return paragraph(t.tokens ? inlinesOf(t.tokens) : [{ type: 'text', text: decodeEntities(String(t.text)) }]);
    case 'heading':
      return [{ type: 'heading', level: (token as Tokens.Heading).depth, children: inlinesOf((token as Tokens.Heading).tokens) }];
    case 'code':
      return [{ type: 'code', text: (token as Tokens.Code).text }];
    case 'blockquote':
      return [{ type: 'quote', blocks: blocksOf((token as Tokens.Blockquote).tokens) }];
    case 'list': {
      const list = token as Tokens.List;
      const start = typeof list.start === 'number' ? list.start : 1;
      return [{ type: 'list', ordered: list.ordered, start, items: list.items.map((item) => listItem(item)) }];
    }
    case 'table':
      return table(token as Tokens.Table);
    case 'hr':
      return [{ type: 'rule' }];
    case 'html':
      return htmlToRichText((token as Tokens.HTML).text);
    case 'space':
    case 'def':
      return [];
    default:
      // Extensions we do not know: keep what the author wrote.
      return paragraph([{ type: 'text', text: String(t.raw ?? '') }]);
  }
}

function listItem(item: Tokens.ListItem): Block[] {
  const blocks = blocksOf(item.tokens);
  if (!item.task) return blocks;
  const box: Inline = { type: 'text', text: item.checked ? '[x] ' : '[ ] ' };
  const [first, ...rest] = blocks;
  return first?.type === 'paragraph' ? [{ ...first, children: [box, ...first.children] }, ...rest] : [{ type: 'paragraph', children: [box] }, ...blocks];
}

// No chat dialect has tables: each row becomes a line of cells separated by " | ".
function table(token: Tokens.Table): Block[] {
  const row = (cells: Tokens.TableCell[]): Block => ({
    type: 'paragraph',
    children: cells.flatMap((cell, i) => [
      ...(i > 0 ? [{ type: 'text', text: ' | ' } as const] : []),
      ...inlinesOf(cell.tokens),
    ]),
  });
  return [row(token.header), ...token.rows.map(row)];
}

function paragraph(children: Inline[]): Block[] {
  return children.length > 0 ? [{ type: 'paragraph', children }] : [];
}

const INLINE_TAG =
  /^<\/?(a|abbr|b|big|cite|code|del|em|font|i|img|ins|kbd|mark|q|s|samp|script|small|span|strike|strong|style|sub|sup|u|var)(\s[^>]*)?\/?>$/i;

function inlinesOf(tokens: Token[]): Inline[] {
  return tokens.flatMap(inlineOf);
}

function inlineOf(token: Token): Inline[] {
  const t = token as Tokens.Generic;
  switch (token.type) {
    case 'text':
      return t.tokens ? inlinesOf(t.tokens) : [{ type: 'text', text: decodeEntities(String(t.text)) }];
    case 'escape':
      return [{ type: 'text', text: String(t.text) }];
    case 'strong':
    case 'em':
    case 'del':
      return [{ type: token.type, children: inlinesOf(t.tokens ?? []) }];
    case 'codespan':
      return [{ type: 'code', text: (token as Tokens.Codespan).text }];
    case 'br':
      return [{ type: 'break' }];
    case 'link': {
      const link = token as Tokens.Link;
      const href = safeHref(link.href);
      const children = inlinesOf(link.tokens);
      return href ? [{ type: 'link', href, children }] : children;
    }
    case 'image': {
      // Images cannot be inlined in chat text: their description links to them instead.
      const image = token as Tokens.Image;
      const href = safeHref(image.href);
      const alt: Inline[] = image.text ? [{ type: 'text', text: decodeEntities(image.text) }] : [];
      return href ? [{ type: 'link', href, children: alt }] : alt;
    }
    case 'html': {
      // Formatting tags are dropped (their text is in sibling tokens) and <br> breaks the line;
      // anything else that merely looks like a tag ("<x>", "<3") was meant as text.
      const tag = String(t.text).trim();
      if (/^<br\s*\/?>$/i.test(tag)) return [{ type: 'break' }];
      if (/^<!--/.test(tag) || INLINE_TAG.test(tag)) return [];
      return [{ type: 'text', text: tag }];
    }
    default:
      return [{ type: 'text', text: String(t.raw ?? '') }];
  }
}
