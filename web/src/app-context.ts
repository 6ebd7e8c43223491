import { createContext, useContext } from 'react';
import type { InboxController } from './state/inbox.controller';
import type { InboxState } from './state/inbox.state';
import { useStore } from './state/store';

export const ControllerContext = createContext<InboxController | null>(null);

export function useController(): InboxController {
  const controller = useContext(ControllerContext);
  if (!controller) throw new Error('useController outside <ControllerContext.Provider>');
  return controller;
}

// A slice of the app state; the component re-renders when that slice changes.
export function useInbox<T>(select: (state: InboxState) => T): T {
  return useStore(useController().store, select);
}
