import type { DraftTimePicker } from './draft';

interface Props {
  picker: DraftTimePicker;
  onChange: (picker: DraftTimePicker) => void;
  onRemove: () => void;
}

// A time picker: a title, the zone the times are written in, and slots (start + length).
export function TimeSlotsEditor({ picker, onChange, onRemove }: Props) {
  const updateSlot = (index: number, patch: Partial<DraftTimePicker['slots'][number]>) =>
    onChange({ ...picker, slots: picker.slots.map((s, i) => (i === index ? { ...s, ...patch } : s)) });
  return (
    <fieldset className="editor">
      <legend>Time slots</legend>
      <div className="editor__row">
        <label>
          <span>Time picker title</span>
          <input value={picker.title} onChange={(e) => onChange({ ...picker, title: e.target.value })} />
        </label>
        <label>
          <span>Time zone</span>
          <input value={picker.timezone} onChange={(e) => onChange({ ...picker, timezone: e.target.value })} placeholder="Europe/Madrid" />
        </label>
      </div>
      {picker.slots.map((slot, i) => (
        <div className="editor__row" key={i}>
          <label>
            <span>Slot {i + 1} start</span>
            <input type="datetime-local" value={slot.local} onChange={(e) => updateSlot(i, { local: e.target.value })} />
          </label>
          <label>
            <span>Slot {i + 1} minutes</span>
            <input type="number" min={1} max={1440} value={slot.minutes} onChange={(e) => updateSlot(i, { minutes: Number(e.target.value) })} />
          </label>
          <button type="button" className="icon-button" aria-label={`Remove slot ${i + 1}`} onClick={() => onChange({ ...picker, slots: picker.slots.filter((_, j) => j !== i) })}>
            ×
          </button>
        </div>
      ))}
      <div className="editor__actions">
        <button type="button" onClick={() => onChange({ ...picker, slots: [...picker.slots, { local: '', minutes: 30 }] })}>
          Add slot
        </button>
        <button type="button" onClick={onRemove}>
          Remove time slots
        </button>
      </div>
    </fieldset>
  );
}
