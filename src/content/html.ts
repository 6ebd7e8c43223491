import sanitize from 'sanitize-html';
import type { TextDialect } from './capabilities.types';
import { writeDialect } from './dialect-writer';
import { decodeEntities } from './html-entities';
import { type Block, type Inline, safeHref } from './rich-text';

// HTML from agents and bots is never sent as written: channels that render HTML (email, web chat)
// get it sanitized, the others get it converted to their dialect or to plain text.

const SAFE_SCHEMES = ['http', 'https', 'mailto', 'tel'];

// What a mail client or the chat widget may render: sanitize-html's defaults (text formatting,
// lists, tables, links) plus images. No script, style, iframe or form; no event handler or style
// attribute survives (they are not allowed attributes); javascript: and data: URLs are removed.
const OUTPUT_OPTIONS: sanitize.IOptions = {
  allowedTags: [...sanitize.defaults.allowedTags, 'img', 'del', 'ins'],
  allowedAttributes: {
    a: ['href', 'name', 'target', 'title', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    ol: ['start'],
    td: ['colspan', 'rowspan', 'align'],
    th: ['colspan', 'rowspan', 'align'],
    '*': ['dir', 'lang'],
  },
  allowedSchemes: SAFE_SCHEMES,
  // cid: images embedded in the same email.
  allowedSchemesByTag: { img: ['http', 'https', 'cid'] },
  allowProtocolRelative: false,
  transformTags: {
    // A link opening a new tab must not hand the opener to the target page.
    a: (tagName, attribs) => ({
      tagName,
      attribs: attribs.target ? { ...attribs, rel: 'noopener noreferrer' } : attribs,
    }),
  },
};

export function sanitizeHtml(html: string): string {
  return sanitize(html, OUTPUT_OPTIONS);
}

// For conversion we keep only the tags that carry meaning in the rich-text model.
const CONVERSION_OPTIONS: sanitize.IOptions = {
  allowedTags: [
    'p', 'div', 'br', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'pre',
    'code', 'b', 'strong', 'i', 'em', 's', 'strike', 'del', 'a', 'hr', 'table', 'thead', 'tbody',
    'tfoot', 'tr', 'td', 'th', 'img',
  ],
  allowedAttributes: { a: ['href'], img: ['src', 'alt'], ol: ['start'] },
  allowedSchemes: SAFE_SCHEMES,
  allowProtocolRelative: false,
};

export function htmlToDialect(html: string, dialect: TextDialect): string {
  return dialect === 'html' ? sanitizeHtml(html) : writeDialect(htmlToRichText(html), dialect);
}

export function htmlToRichText(html: string): Block[] {
  return blocksOf(parseTree(sanitize(html, CONVERSION_OPTIONS)));
}

interface Element {
  tag: string;
  attrs: Record<string, string>;
  children: Node[];
}
type Node = Element | string;

const VOID_TAGS = new Set(['br', 'hr', 'img']);

// sanitize-html's output is regular: lower-case tags, double-quoted attributes, `<`, `>` and `"`
// escaped everywhere. That is what lets a tokenizer this small build the tree.
function parseTree(html: string): Node[] {
  const root: Element = { tag: '#root', attrs: {}, children: [] };
  const stack: Element[] = [root];
  const TOKEN = /<(\/?)([a-z][a-z0-9]*)([^>]*)>|[^<]+|</g;
  for (const match of html.matchAll(TOKEN)) {
    const top = stack[stack.length - 1] as Element;
    const [whole, closing, tag, rest] = match;
    if (tag === undefined) {
      top.children.push(decodeEntities(whole));
    } else if (closing) {
      const at = stack.map((e) => e.tag).lastIndexOf(tag);
      if (at > 0) stack.length = at;
    } else {
      const element: Element = { tag, attrs: parseAttributes(rest ?? ''), children: [] };
      top.children.push(element);
      if (!VOID_TAGS.has(tag) && !(rest ?? '').trim().endsWith('/')) stack.push(element);
    }
  }
  return root.children;
}

function parseAttributes(source: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const [, name, value] of source.matchAll(/([a-z][a-z0-9-]*)="([^"]*)"/g)) {
    if (name) attrs[name] = decodeEntities(value ?? '');
  }
  return attrs;
}

const BLOCK_TAGS = new Set([
  'p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'pre', 'hr',
  'table', 'thead', 'tbody', 'tfoot', 'tr',
]);

const isBlock = (node: Node): node is Element => typeof node !== 'string' && BLOCK_TAGS.has(node.tag);

function blocksOf(nodes: Node[]): Block[] {
  const blocks: Block[] = [];
  let run: Node[] = [];
  const flush = () => {
    const children = trimInlines(inlinesOf(run));
    if (children.some(hasContent)) blocks.push({ type: 'paragraph', children });
    run = [];
  };
  for (const node of nodes) {
    if (isBlock(node)) {
      flush();
      blocks.push(...blockOf(node));
    } else {
      run.push(node);
    }
  }
  flush();
  return blocks;
}

function blockOf(element: Element): Block[] {
  const { tag, children } = element;
  if (/^h[1-6]$/.test(tag)) {
    const inlines = trimInlines(inlinesOf(children));
    return inlines.some(hasContent) ? [{ type: 'heading', level: Number(tag[1]), children: inlines }] : [];
  }
  switch (tag) {
    case 'ul':
    case 'ol': {
      const items = children
        .filter((child): child is Element => typeof child !== 'string' && child.tag === 'li')
        .map((li) => blocksOf(li.children));
      const start = Number.parseInt(element.attrs.start ?? '1', 10);
      return items.length > 0 ? [{ type: 'list', ordered: tag === 'ol', start: Number.isFinite(start) ? start : 1, items }] : [];
    }
    case 'blockquote':
      return [{ type: 'quote', blocks: blocksOf(children) }];
    case 'pre':
      return [{ type: 'code', text: textOf(children).replace(/^\n/, '').replace(/\n$/, '') }];
    case 'hr':
      return [{ type: 'rule' }];
    case 'tr': {
      const cells = children.filter((child): child is Element => typeof child !== 'string');
      const inlines = cells.flatMap((cell, i): Inline[] => [
        ...(i > 0 ? [{ type: 'text', text: ' | ' } as const] : []),
        ...trimInlines(inlinesOf(cell.children)),
      ]);
      return inlines.some(hasContent) ? [{ type: 'paragraph', children: inlines }] : [];
    }
    default:
      return blocksOf(children);
  }
}

function inlinesOf(nodes: Node[]): Inline[] {
  return nodes.flatMap(inlineOf);
}

function inlineOf(node: Node): Inline[] {
  // Outside <pre>, any run of HTML whitespace is one space.
  if (typeof node === 'string') return [{ type: 'text', text: node.replace(/[ \t\r\n\f]+/g, ' ') }];
  switch (node.tag) {
    case 'b':
    case 'strong':
      return [{ type: 'strong', children: inlinesOf(node.children) }];
    case 'i':
    case 'em':
      return [{ type: 'em', children: inlinesOf(node.children) }];
    case 's':
    case 'strike':
    case 'del':
      return [{ type: 'del', children: inlinesOf(node.children) }];
    case 'code':
      return [{ type: 'code', text: textOf(node.children) }];
    case 'br':
      return [{ type: 'break' }];
    case 'a': {
      const href = safeHref(node.attrs.href);
      const children = inlinesOf(node.children);
      return href ? [{ type: 'link', href, children }] : children;
    }
    case 'img': {
      const href = safeHref(node.attrs.src);
      const alt: Inline[] = node.attrs.alt ? [{ type: 'text', text: node.attrs.alt }] : [];
      return href ? [{ type: 'link', href, children: alt }] : alt;
    }
    default:
      return [{ type: 'text', text: ' ' }, ...inlinesOf(node.children), { type: 'text', text: ' ' }];
  }
}

function textOf(nodes: Node[]): string {
  return nodes.map((node) => (typeof node === 'string' ? node : node.tag === 'br' ? '\n' : textOf(node.children))).join('');
}

function hasContent(node: Inline): boolean {
  switch (node.type) {
    case 'text':
      return node.text.trim() !== '';
    case 'code':
      return node.text !== '';
    case 'break':
      return false;
    case 'link':
      return true;
    default:
      return node.children.some(hasContent);
  }
}

// Collapses the spaces HTML layout leaves: at the edges of a block, twice in a row, or around a
// line break.
function trimInlines(nodes: Inline[]): Inline[] {
  const out: Inline[] = [];
  let lastEndsInSpace = true; // the start of a block counts as a space
  const walk = (list: Inline[]): Inline[] =>
    list.flatMap((node): Inline[] => {
      if (node.type === 'text') {
        let text = node.text;
        if (lastEndsInSpace) text = text.replace(/^ +/, '');
        if (text === '') return [];
        lastEndsInSpace = text.endsWith(' ');
        return [{ type: 'text', text }];
      }
      if (node.type === 'break') {
        lastEndsInSpace = true;
        return [node];
      }
      if (node.type === 'code') {
        lastEndsInSpace = false;
        return [node];
      }
      return [{ ...node, children: walk(node.children) }];
    });
  out.push(...walk(nodes));
  return trimEnd(out);
}

function trimEnd(nodes: Inline[]): Inline[] {
  // Strip trailing spaces from the last text, and spaces right before each line break.
  const result = nodes.map((node, i) => {
    const next = nodes[i + 1];
    if (node.type === 'text' && (next === undefined || next.type === 'break')) {
      return { ...node, text: node.text.replace(/ +$/, '') };
    }
    if (node.type !== 'text' && node.type !== 'code' && node.type !== 'break' && next === undefined) {
      return { ...node, children: trimEnd(node.children) };
    }
    return node;
  });
  return result.filter((node) => node.type !== 'text' || node.text !== '');
}
