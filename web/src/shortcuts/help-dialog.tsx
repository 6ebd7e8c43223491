import { useEffect, useRef } from 'react';
import { useController, useInbox } from '../app-context';
import { SHORTCUTS } from './shortcuts';

export function HelpDialog() {
  const controller = useController();
  const open = useInbox((s) => s.helpOpen);
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (open && dialog && !dialog.open) dialog.showModal();
    if (!open && dialog?.open) dialog.close();
  }, [open]);

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="help-title" onClose={() => controller.setHelpOpen(false)}>
      <h2 id="help-title">Keyboard shortcuts</h2>
      <table className="table shortcuts">
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <td>
                <kbd>{s.keys}</kbd>
              </td>
              <td>{s.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="dialog__actions">
        <button type="button" className="primary" onClick={() => controller.setHelpOpen(false)} autoFocus>
          Close
        </button>
      </div>
    </dialog>
  );
}
