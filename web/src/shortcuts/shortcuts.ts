import { useEffect } from 'react';
import { type InboxController, messageOf } from '../state/inbox.controller';

export interface Shortcut {
  keys: string;
  action: string;
}

// Shown in the help dialog (?) and the README.
export const SHORTCUTS: Shortcut[] = [
  { keys: 'j / k', action: 'Next / previous case in the list' },
  { keys: 'Enter', action: 'Open the highlighted case' },
  { keys: 'r', action: 'Reply (focus the composer)' },
  { keys: 'n', action: 'Write an internal note' },
  { keys: 'Ctrl+Enter', action: 'Send the reply or note' },
  { keys: 'e', action: 'Resolve the open case' },
  { keys: 'a', action: 'Assign the open case to me' },
  { keys: 't', action: 'Transfer the open case' },
  { keys: '/', action: 'Search cases' },
  { keys: 'g i / g q', action: 'Go to the inbox / the queues (supervisors)' },
  { keys: '?', action: 'Show this help' },
  { keys: 'Esc', action: 'Close a dialog, leave a field' },
];

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

// Single-key shortcuts, active when the focus is not in a field (Ctrl+Enter lives in the composer).
export function useShortcuts(controller: InboxController): void {
  useEffect(() => {
    let pendingG = false;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === 'Escape' && typingIn(event.target)) {
        (event.target as HTMLElement).blur();
        return;
      }
      if (typingIn(event.target) || document.querySelector('dialog[open]')) return;
      const state = controller.store.get();
      const openId = state.view.name === 'inbox' ? state.view.caseId : null;
      const key = event.key;
      if (pendingG) {
        pendingG = false;
        if (key === 'i') controller.show({ name: 'inbox', caseId: openId });
        else if (key === 'q' && state.session?.user.role !== 'agent') controller.show({ name: 'queues' });
        event.preventDefault();
        return;
      }
      const onButton = event.target instanceof HTMLButtonElement || event.target instanceof HTMLAnchorElement;
      switch (key) {
        case 'j':
          controller.moveActive(1);
          break;
        case 'k':
          controller.moveActive(-1);
          break;
        case 'Enter':
          if (onButton || !state.activeId || state.view.name !== 'inbox') return;
          controller.openCase(state.activeId);
          break;
        case 'r':
        case 'n':
          if (!openId) return;
          controller.requestCompose(key === 'n');
          break;
        case 'e':
          if (!openId) return;
          controller.setStatus(openId, 'resolved').catch((error: unknown) => controller.announce(`Could not resolve: ${messageOf(error)}`));
          break;
        case 'a':
          if (!openId) return;
          controller.assignToMe(openId).catch((error: unknown) => controller.announce(`Could not assign: ${messageOf(error)}`));
          break;
        case 't':
          if (!openId) return;
          controller.setTransferOpen(true);
          break;
        case '/':
          document.getElementById('case-search')?.focus();
          break;
        case 'g':
          pendingG = true;
          break;
        case '?':
          controller.setHelpOpen(true);
          break;
        default:
          return;
      }
      event.preventDefault();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [controller]);
}
