import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { AgentRow, Case } from '../api/api.types';
import { useController, useInbox } from '../app-context';
import { messageOf } from '../state/inbox.controller';

interface Props {
  kase: Case;
  open: boolean;
  onClose: () => void;
}

// Transfer to another queue (skill) or agent, with a note (routing: POST /cases/:id/transfer).
export function TransferDialog({ kase, open, onClose }: Props) {
  const controller = useController();
  const skills = useInbox((s) => s.skills);
  const role = useInbox((s) => s.session?.user.role);
  const ref = useRef<HTMLDialogElement>(null);
  const [target, setTarget] = useState('');
  const [note, setNote] = useState('');
  const [agents, setAgents] = useState<AgentRow[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setError(null);
      setTarget('');
      setNote('');
      dialog.showModal();
      // Only supervisors and admins may list agents; agents transfer to a queue.
      if (role !== 'agent') controller.api.agents().then((r) => setAgents(r.items), () => setAgents([]));
    }
    if (!open && dialog.open) dialog.close();
  }, [open, role, controller]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!target) return setError('Choose a queue or an agent');
    const [kind, id] = target.split(':') as ['skill' | 'agent', string];
    setBusy(true);
    try {
      await controller.transfer(kase.id, { ...(kind === 'skill' ? { toSkillId: id } : { toAgentId: id }), ...(note.trim() ? { note: note.trim() } : {}) });
      onClose();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="transfer-title" onClose={onClose}>
      <form onSubmit={submit}>
        <h2 id="transfer-title">Transfer case</h2>
        <label>
          <span>Transfer to</span>
          <select value={target} onChange={(e) => setTarget(e.target.value)} required>
            <option value="">Choose…</option>
            <optgroup label="Queues">
              {skills
                .filter((s) => s.id !== kase.skillId)
                .map((s) => (
                  <option key={s.id} value={`skill:${s.id}`}>
                    {s.name}
                  </option>
                ))}
            </optgroup>
            {agents.length > 0 && (
              <optgroup label="Agents">
                {agents
                  .filter((a) => a.user.id !== kase.assigneeId)
                  .map((a) => (
                    <option key={a.user.id} value={`agent:${a.user.id}`}>
                      {a.user.name} ({a.state.state})
                    </option>
                  ))}
              </optgroup>
            )}
          </select>
        </label>
        <label>
          <span>Note for the next agent (optional)</span>
          <textarea rows={3} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
        </label>
        {error && (
          <p role="alert" className="dialog__error">
            {error}
          </p>
        )}
        <div className="dialog__actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Transfer
          </button>
        </div>
      </form>
    </dialog>
  );
}
