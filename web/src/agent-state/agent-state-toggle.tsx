import { useEffect, useState } from 'react';
import type { IdleReason } from '../api/api.types';
import { useController, useInbox } from '../app-context';
import { messageOf } from '../state/inbox.controller';

// Available / unavailable (with one of the reasons the admin defined). `offline` is the
// system's to set: shown, never chosen. Needs routing; without it, says so.
export function AgentStateToggle() {
  const controller = useController();
  const routing = useInbox((s) => s.routing);
  const agentState = useInbox((s) => s.agentState);
  const [reasons, setReasons] = useState<IdleReason[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (routing !== 'available') return;
    controller.api.idleReasons().then(
      (r) => setReasons(r.items.filter((reason) => reason.code !== 'no_answer')),
      () => setReasons([]),
    );
  }, [routing, controller]);

  if (routing === 'unknown' || !agentState) return null;

  const value = agentState.state === 'unavailable' ? `unavailable:${agentState.reasonCode ?? ''}` : agentState.state;
  const change = (next: string) => {
    setError(null);
    const [state, reason] = next.split(':') as ['available' | 'unavailable', string | undefined];
    controller.setAgentState(state, reason || undefined).catch((e: unknown) => setError(messageOf(e)));
  };
  const knownReason = reasons.some((r) => `unavailable:${r.code}` === value);

  return (
    <div className={`agent-state agent-state--${agentState.state}`}>
      <span className="agent-state__dot" aria-hidden="true" />
      <label htmlFor="agent-state">Availability</label>
      <select id="agent-state" value={value} onChange={(e) => change(e.target.value)}>
          <option value="available">Available</option>
          {reasons.map((r) => (
            <option key={r.code} value={`unavailable:${r.code}`}>
              Unavailable — {r.label}
            </option>
          ))}
          {agentState.state === 'unavailable' && !knownReason && <option value={value}>Unavailable — {agentState.reasonCode ?? 'no reason'}</option>}
          {agentState.state === 'offline' && (
            <option value="offline" disabled>
              Offline
            </option>
          )}
      </select>
      {error && (
        <span role="alert" className="agent-state__error">
          {error}
        </span>
      )}
    </div>
  );
}
