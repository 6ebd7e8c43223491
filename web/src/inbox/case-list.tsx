import { type KeyboardEvent, useEffect, useRef } from 'react';
import { useController, useInbox } from '../app-context';
import { ChannelIcon } from '../common/channel-icon';
import { shortTime } from '../common/format';
import { contactName } from '../state/inbox.state';

// The live list: a listbox whose highlighted option follows j/k (or the arrows when focused);
// Enter opens it.
export function CaseList() {
  const controller = useController();
  const list = useInbox((s) => s.list);
  const cases = useInbox((s) => s.cases);
  const activeId = useInbox((s) => s.activeId);
  const view = useInbox((s) => s.view);
  const me = useInbox((s) => s.session?.user.id);
  const openId = view.name === 'inbox' ? view.caseId : null;
  const ref = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (activeId) document.getElementById(`case-option-${activeId}`)?.scrollIntoView({ block: 'nearest' });
  }, [activeId]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown') controller.moveActive(1);
    else if (event.key === 'ArrowUp') controller.moveActive(-1);
    else if (event.key === 'Enter' && activeId) controller.openCase(activeId);
    else return;
    event.preventDefault();
  };

  return (
    <div className="case-list">
      <p className="case-list__count" aria-live="polite">
        {list.loading && !list.ids.length ? 'Loading cases…' : `${list.ids.length}${list.nextCursor ? '+' : ''} case${list.ids.length === 1 ? '' : 's'}`}
      </p>
      {list.error && (
        <p role="alert" className="case-list__error">
          {list.error}{' '}
          <button type="button" onClick={() => void controller.loadCases()}>
            Retry
          </button>
        </p>
      )}
      <ul
        ref={ref}
        id="case-list"
        role="listbox"
        aria-label="Cases"
        tabIndex={0}
        aria-activedescendant={activeId ? `case-option-${activeId}` : undefined}
        onKeyDown={onKeyDown}
      >
        {list.ids.map((id) => {
          const c = cases[id];
          if (!c) return null;
          return (
            <li
              key={id}
              id={`case-option-${id}`}
              role="option"
              aria-selected={id === activeId}
              aria-current={id === openId ? 'true' : undefined}
              className={`case-item${id === activeId ? ' case-item--active' : ''}${id === openId ? ' case-item--open' : ''}`}
              data-case-id={id}
              data-status={c.status}
              onClick={() => controller.openCase(id)}
            >
              <ChannelIcon type={c.channelType} />
              <div className="case-item__body">
                <div className="case-item__top">
                  <span className="case-item__name">{contactName(c)}</span>
                  <time dateTime={c.lastMessageAt ?? c.createdAt}>{shortTime(c.lastMessageAt ?? c.createdAt)}</time>
                </div>
                <div className="case-item__bottom">
                  <span className="case-item__preview">{c.lastMessagePreview ?? c.subject ?? ''}</span>
                  {c.routing?.state === 'offered' && c.routing.offeredTo === me && <span className="status status--offered">offered to you</span>}
                  <span className={`status status--${c.status}`}>{c.status}</span>
                </div>
              </div>
            </li>
          );
        })}
      </ul>
      {list.nextCursor && (
        <button type="button" className="case-list__more" disabled={list.loading} onClick={() => void controller.loadCases(true)}>
          Load more
        </button>
      )}
    </div>
  );
}
