import { useEffect, useRef } from 'react';
import type { Message } from '../api/api.types';
import { useController, useInbox } from '../app-context';
import { Composer } from '../composer/composer';
import { contactName } from '../state/inbox.state';
import { CaseHeader } from './case-header';
import { MessageItem } from './message-item';

// The open case: header, the whole history (a live log), and the composer.
export function CaseView({ caseId }: { caseId: string }) {
  const controller = useController();
  const kase = useInbox((s) => s.cases[caseId]);
  const history = useInbox((s) => s.messages[caseId]);
  const me = useInbox((s) => s.session?.user.id);
  const users = useInbox((s) => s.users);
  const customerTyping = useInbox((s) => s.typing[caseId] === true);
  const logRef = useRef<HTMLOListElement>(null);
  const count = history?.items.length ?? 0;

  // Follow the conversation: new messages scroll into view.
  useEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [count, caseId]);

  if (!kase) {
    return (
      <section className="case case--empty" aria-label="Case">
        <p>{history?.error ?? 'Loading case…'}</p>
      </section>
    );
  }

  const authorName = (m: Message) => {
    if (m.author.type === 'contact') return contactName(kase);
    if (m.author.type === 'system') return 'Parley';
    if (m.author.id === me) return 'You';
    return (m.author.id && users[m.author.id]?.name) || 'Agent';
  };

  return (
    <section className="case" aria-labelledby="case-title">
      <CaseHeader kase={kase} />
      <ol ref={logRef} className="history" role="log" aria-live="polite" aria-label="Conversation history" aria-busy={history?.loading ?? true}>
        {history?.items.map((m) => <MessageItem key={m.id} message={m} channelType={kase.channelType} authorName={authorName(m)} />)}
        {history?.error && (
          <li role="alert" className="history__error">
            Could not load the history: {history.error}{' '}
            <button type="button" onClick={() => void controller.loadMessages(caseId)}>
              Retry
            </button>
          </li>
        )}
      </ol>
      {/* Always present, so that screen readers announce its changes. */}
      <p className="case__typing" role="status" aria-live="polite">
        {customerTyping ? `${contactName(kase)} is typing…` : ''}
      </p>
      <Composer kase={kase} />
    </section>
  );
}
