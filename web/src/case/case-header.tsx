import { useState } from 'react';
import { type Case, CASE_STATUSES, type CaseStatus } from '../api/api.types';
import { useController, useInbox } from '../app-context';
import { ChannelIcon, channelLabel } from '../common/channel-icon';
import { contactAddress, contactName } from '../state/inbox.state';
import { messageOf } from '../state/inbox.controller';
import { TransferDialog } from './transfer-dialog';

// Who, where, and what can be done with the case: status, assignment, transfer.
export function CaseHeader({ kase }: { kase: Case }) {
  const controller = useController();
  const me = useInbox((s) => s.session?.user.id);
  const routing = useInbox((s) => s.routing);
  const skills = useInbox((s) => s.skills);
  const users = useInbox((s) => s.users);
  const transferOpen = useInbox((s) => s.transferOpen);
  const [error, setError] = useState<string | null>(null);
  const closed = kase.status === 'closed';

  const run = (action: () => Promise<void>) => {
    setError(null);
    action().catch((e: unknown) => setError(messageOf(e)));
  };
  const skill = skills.find((s) => s.id === kase.skillId)?.name;
  const assignee = kase.assigneeId ? (kase.assigneeId === me ? 'you' : (users[kase.assigneeId]?.name ?? 'another agent')) : null;
  const offeredToMe = kase.routing?.state === 'offered' && kase.routing.offeredTo === me;

  return (
    <header className="case-header">
      <div className="case-header__who">
        <ChannelIcon type={kase.channelType} />
        <div>
          <h2 id="case-title">{contactName(kase)}</h2>
          <p className="case-header__meta">
            {channelLabel(kase.channelType)}
            {contactAddress(kase) && <> · {contactAddress(kase)}</>}
            {skill && <> · Queue: {skill}</>}
            {' · '}
            {assignee ? `Assigned to ${assignee}` : 'Unassigned'}
          </p>
        </div>
      </div>
      {offeredToMe && (
        <div className="offer" role="alert">
          This case is offered to you.
          <button type="button" className="primary" onClick={() => run(() => controller.respondToOffer(kase.id, true))}>
            Accept
          </button>
          <button type="button" onClick={() => run(() => controller.respondToOffer(kase.id, false))}>
            Decline
          </button>
        </div>
      )}
      <div className="case-header__actions">
        <div className="inline-field">
          <label htmlFor="case-status">Case status</label>
          <select id="case-status" value={kase.status} disabled={closed} onChange={(e) => run(() => controller.setStatus(kase.id, e.target.value as CaseStatus))}>
            {CASE_STATUSES.map((status) => (
              <option key={status} value={status} disabled={status === 'new' && kase.status !== 'new'}>
                {status}
              </option>
            ))}
          </select>
        </div>
        <button type="button" disabled={closed || kase.status === 'resolved'} aria-keyshortcuts="e" onClick={() => run(() => controller.setStatus(kase.id, 'resolved'))}>
          Resolve
        </button>
        {kase.assigneeId !== me && (
          <button type="button" disabled={closed} aria-keyshortcuts="a" onClick={() => run(() => controller.assignToMe(kase.id))}>
            Assign to me
          </button>
        )}
        <button
          type="button"
          disabled={closed || routing !== 'available'}
          aria-keyshortcuts="t"
          onClick={() => controller.setTransferOpen(true)}
        >
          Transfer
        </button>
      </div>
      {error && (
        <p role="alert" className="case-header__error">
          {error}
        </p>
      )}
      {routing === 'available' && <TransferDialog kase={kase} open={transferOpen} onClose={() => controller.setTransferOpen(false)} />}
    </header>
  );
}
