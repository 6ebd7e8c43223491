import type { View } from '../state/inbox.state';

// Three screens, addressed by path so that a reload or a shared link lands on the same one; the
// server answers index.html for all of them.

export function viewOf(pathname: string): View {
  const match = /^\/cases\/([0-9a-f-]{36})\/?$/i.exec(pathname);
  if (match) return { name: 'inbox', caseId: match[1]!.toLowerCase() };
  if (/^\/queues\/?$/.test(pathname)) return { name: 'queues' };
  return { name: 'inbox', caseId: null };
}

export function pathOf(view: View): string {
  if (view.name === 'queues') return '/queues';
  return view.caseId ? `/cases/${view.caseId}` : '/';
}

export function pushPath(view: View): void {
  const path = pathOf(view);
  if (window.location.pathname !== path) window.history.pushState(null, '', path);
}
