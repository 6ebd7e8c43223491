import { useCallback, useEffect, useState } from 'react';
import type { AgentRow, QueueRow } from '../api/api.types';
import { useController, useInbox } from '../app-context';
import { duration, shortTime } from '../common/format';
import { messageOf } from '../state/inbox.controller';
import { contactName } from '../state/inbox.state';

const REFRESH_MS = 10_000;

// Supervisors: every queue (length, oldest wait, the cases in order) and every agent (state,
// load against capacity). Refreshed on a timer and whenever a case or an agent changes.
export function QueuesView() {
  const controller = useController();
  const routing = useInbox((s) => s.routing);
  const lastSeq = useInbox((s) => s.lastSeq);
  const cases = useInbox((s) => s.cases);
  const [queues, setQueues] = useState<QueueRow[] | null>(null);
  const [agents, setAgents] = useState<AgentRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      const [q, a] = await Promise.all([controller.api.queues(), controller.api.agents()]);
      setQueues(q.items);
      setAgents(a.items);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [controller]);

  useEffect(() => {
    if (routing !== 'available') return;
    const timer = setTimeout(() => void refresh(), 300);
    return () => clearTimeout(timer);
  }, [routing, refresh, lastSeq]);

  useEffect(() => {
    if (routing !== 'available') return;
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [routing, refresh]);

  if (routing !== 'available') {
    return (
      <section className="queues" aria-labelledby="queues-title">
        <h2 id="queues-title">Queues</h2>
        <p className="hint">Loading…</p>
      </section>
    );
  }

  return (
    <section className="queues" aria-labelledby="queues-title">
      <h2 id="queues-title">Queues</h2>
      {error && <p role="alert">{error}</p>}
      <table className="table" aria-label="Queues">
        <thead>
          <tr>
            <th scope="col">Queue</th>
            <th scope="col">Mode</th>
            <th scope="col">Waiting</th>
            <th scope="col">Oldest wait</th>
            <th scope="col">Cases</th>
          </tr>
        </thead>
        <tbody>
          {queues?.map((q) => (
            <tr key={q.skillId} data-skill-id={q.skillId}>
              <th scope="row">{q.skillName}</th>
              <td>{q.routingMode}</td>
              <td data-testid="queue-length">{q.length}</td>
              <td>{duration(q.oldestWaitSeconds)}</td>
              <td>
                <ol className="queue-cases">
                  {q.cases.map((c) => (
                    <li key={c.caseId}>
                      <a
                        href={`/cases/${c.caseId}`}
                        onClick={(e) => {
                          e.preventDefault();
                          controller.openCase(c.caseId);
                        }}
                      >
                        #{c.position} {cases[c.caseId] ? contactName(cases[c.caseId]!) : `Case ${c.caseId.slice(0, 8)}`}
                      </a>{' '}
                      <span className="hint">
                        priority {c.priority}, since {shortTime(c.queuedAt)}
                      </span>
                    </li>
                  ))}
                </ol>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Agents</h3>
      <table className="table" aria-label="Agents">
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">State</th>
            <th scope="col">Since</th>
            <th scope="col">Load (chat / messaging / email)</th>
          </tr>
        </thead>
        <tbody>
          {agents?.map((a) => (
            <tr key={a.user.id}>
              <th scope="row">{a.user.name}</th>
              <td>
                <span className={`state state--${a.state.state}`}>{a.state.state}</span>
                {a.state.reasonCode && <span className="hint"> ({a.state.reasonCode})</span>}
              </td>
              <td>{shortTime(a.state.since)}</td>
              <td>
                {(['chat', 'messaging', 'email'] as const).map((family) => `${a.load[family] ?? 0}/${a.capacity[family] ?? 0}`).join(' · ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
