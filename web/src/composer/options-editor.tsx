import { type DraftOption, emptyOption } from './draft';

interface Props {
  // "Buttons" / "Button": names the group and each row's fields.
  label: string;
  itemLabel: string;
  options: DraftOption[];
  withUrl: boolean;
  onChange: (options: DraftOption[]) => void;
  onRemove: () => void;
}

// Rows of title + payload (+ URL for buttons). An empty payload is derived from the title.
export function OptionsEditor({ label, itemLabel, options, withUrl, onChange, onRemove }: Props) {
  const update = (index: number, patch: Partial<DraftOption>) => onChange(options.map((o, i) => (i === index ? { ...o, ...patch } : o)));
  const singular = itemLabel.toLowerCase();
  return (
    <fieldset className="editor">
      <legend>{label}</legend>
      {options.map((option, i) => (
        <div className="editor__row" key={i}>
          <label>
            <span>
              {itemLabel} {i + 1} title
            </span>
            <input value={option.title} onChange={(e) => update(i, { title: e.target.value })} maxLength={256} />
          </label>
          <label>
            <span>
              {itemLabel} {i + 1} payload
            </span>
            <input value={option.payload} placeholder="from the title" onChange={(e) => update(i, { payload: e.target.value })} />
          </label>
          {withUrl && (
            <label>
              <span>
                {itemLabel} {i + 1} link
              </span>
              <input type="url" value={option.url} placeholder="https://… (optional)" onChange={(e) => update(i, { url: e.target.value })} />
            </label>
          )}
          <button type="button" className="icon-button" aria-label={`Remove ${singular} ${i + 1}`} onClick={() => onChange(options.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      <div className="editor__actions">
        <button type="button" onClick={() => onChange([...options, emptyOption()])}>
          Add {singular}
        </button>
        <button type="button" onClick={onRemove}>
          Remove {label.toLowerCase()}
        </button>
      </div>
    </fieldset>
  );
}
