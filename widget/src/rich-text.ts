import { marked } from 'marked';
import { sanitizeToFragment } from './sanitize';

// Message text in its format: Markdown (what Parley renders for the web chat) and HTML go
// through the sanitizer; plain text stays text, with its line breaks.
export function renderText(text: string, format: string | undefined): HTMLElement {
  const element = document.createElement('div');
  element.className = 'text';
  if (format === 'markdown' || format === 'html') {
    const html = format === 'markdown' ? markdownToHtml(text) : text;
    element.classList.add('rich');
    element.appendChild(sanitizeToFragment(html));
  } else {
    element.classList.add('plain');
    element.textContent = text;
  }
  return element;
}

export function markdownToHtml(text: string): string {
  return marked.parse(text, { async: false, gfm: true, breaks: true });
}
