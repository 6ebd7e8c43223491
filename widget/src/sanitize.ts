// Agents' HTML and Markdown become DOM through an allowlist: known formatting tags only, links to
// http(s)/mailto/tel only (opened in a new tab), images over http(s) only. Everything else is
// dropped (scripts, styles, frames, forms) or unwrapped (unknown tags keep their text).

const KEEP = new Set([
  'a', 'b', 'strong', 'i', 'em', 'u', 's', 'del', 'code', 'pre', 'p', 'br', 'hr', 'blockquote', 'ul', 'ol', 'li',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'span', 'div', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'img', 'sub', 'sup',
]);
const DROP = new Set(['script', 'style', 'iframe', 'object', 'embed', 'form', 'input', 'button', 'select', 'textarea', 'link', 'meta', 'svg', 'math', 'template', 'noscript']);

export function safeUrl(value: string | null | undefined, schemes: readonly string[] = ['http:', 'https:']): string | null {
  if (!value) return null;
  try {
    const url = new URL(value, 'https://invalid.invalid/');
    if (!schemes.includes(url.protocol) || url.host === 'invalid.invalid') return null;
    return url.href;
  } catch {
    return null;
  }
}

export function sanitizeToFragment(html: string): DocumentFragment {
  // A template's content is inert: nothing loads or runs while we read it.
  const template = document.createElement('template');
  template.innerHTML = html;
  const out = document.createDocumentFragment();
  copyChildren(template.content, out);
  return out;
}

function copyChildren(from: ParentNode, to: Node): void {
  for (const node of Array.from(from.childNodes)) {
    if (node.nodeType === Node.TEXT_NODE) {
      to.appendChild(document.createTextNode(node.textContent ?? ''));
      continue;
    }
    if (!(node instanceof Element)) continue;
    const tag = node.tagName.toLowerCase();
    if (DROP.has(tag)) continue;
    if (!KEEP.has(tag)) {
      copyChildren(node, to);
      continue;
    }
    const copy = cleanElement(node, tag);
    if (!copy) continue;
    copyChildren(node, copy);
    to.appendChild(copy);
  }
}

function cleanElement(source: Element, tag: string): HTMLElement | null {
  const element = document.createElement(tag);
  if (tag === 'a') {
    const href = safeUrl(source.getAttribute('href'), ['http:', 'https:', 'mailto:', 'tel:']);
    if (href) {
      element.setAttribute('href', href);
      element.setAttribute('target', '_blank');
      element.setAttribute('rel', 'noopener noreferrer nofollow');
    }
  } else if (tag === 'img') {
    const src = safeUrl(source.getAttribute('src'));
    if (!src) return null;
    element.setAttribute('src', src);
    element.setAttribute('alt', source.getAttribute('alt') ?? '');
    element.setAttribute('loading', 'lazy');
  } else if ((tag === 'td' || tag === 'th') && source.getAttribute('colspan')) {
    const span = Number(source.getAttribute('colspan'));
    if (Number.isInteger(span) && span > 0 && span < 50) element.setAttribute('colspan', String(span));
  }
  return element;
}
