// Inline SVG icons: no font or emoji support needed on the visitor's device.
const PATHS = {
  chat: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z',
  attach: 'M16.5 6.5 8.8 14.2a1.8 1.8 0 0 0 2.5 2.5l7.8-7.8a3.5 3.5 0 0 0-5-5L6.3 11.7a5.3 5.3 0 0 0 7.5 7.5l6.4-6.4',
  file: 'M6 2h8l6 6v14H6z M14 2v6h6',
} as const;

export function icon(name: keyof typeof PATHS, size = 22): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', PATHS[name]);
  path.setAttribute('fill', name === 'chat' ? 'currentColor' : 'none');
  path.setAttribute('stroke', 'currentColor');
  path.setAttribute('stroke-width', name === 'chat' ? '0' : '1.8');
  path.setAttribute('stroke-linecap', 'round');
  path.setAttribute('stroke-linejoin', 'round');
  svg.append(path);
  return svg;
}
