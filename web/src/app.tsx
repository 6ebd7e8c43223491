import { useController, useInbox } from './app-context';
import { AgentStateToggle } from './agent-state/agent-state-toggle';
import { InboxView } from './inbox/inbox-view';
import { LoginView } from './login/login-view';
import { HelpDialog } from './shortcuts/help-dialog';
import { useShortcuts } from './shortcuts/shortcuts';
import { QueuesView } from './supervisor/queues-view';

export function App() {
  const signedIn = useInbox((s) => s.session !== null);
  const announcement = useInbox((s) => s.announcement);
  return (
    <>
      {signedIn ? <Shell /> : <LoginView />}
      <div className="sr-only" role="status" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>
    </>
  );
}

const CONNECTION_TEXT = { connecting: 'Connecting…', online: 'Live', reconnecting: 'Reconnecting…' } as const;

function Shell() {
  const controller = useController();
  const user = useInbox((s) => s.session!.user);
  const view = useInbox((s) => s.view);
  const connection = useInbox((s) => s.connection);
  useShortcuts(controller);
  const supervisor = user.role !== 'agent';

  return (
    <div className="shell">
      <header className="topbar">
        <span className="topbar__brand">Parley</span>
        <nav aria-label="Main" className="topbar__nav">
          <a
            href="/"
            aria-current={view.name === 'inbox' ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              controller.show({ name: 'inbox', caseId: null });
            }}
          >
            Inbox
          </a>
          {supervisor && (
            <a
              href="/queues"
              aria-current={view.name === 'queues' ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                controller.show({ name: 'queues' });
              }}
            >
              Queues
            </a>
          )}
        </nav>
        <span className={`connection connection--${connection}`} role="status" aria-label={`Connection: ${CONNECTION_TEXT[connection]}`} data-connection={connection}>
          <span aria-hidden="true" className="connection__dot" />
          {CONNECTION_TEXT[connection]}
        </span>
        <AgentStateToggle />
        <span className="topbar__user">
          {user.name} <span className="hint">({user.role})</span>
        </span>
        <button type="button" aria-label="Keyboard shortcuts" aria-keyshortcuts="?" onClick={() => controller.setHelpOpen(true)}>
          ?
        </button>
        <button type="button" onClick={() => controller.logout()}>
          Sign out
        </button>
      </header>
      <main className="main">{view.name === 'queues' && supervisor ? <QueuesView /> : <InboxView />}</main>
      <HelpDialog />
    </div>
  );
}
