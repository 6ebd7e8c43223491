import { type FormEvent, type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useController, useInbox } from '../app-context';
import type { Case } from '../api/api.types';
import { messageOf } from '../state/inbox.controller';
import { browserTimeZone, contentOf, type Draft, EMPTY_DRAFT, emptyOption } from './draft';
import { OptionsEditor } from './options-editor';
import { ReplyPreview } from './reply-preview';
import { TimeSlotsEditor } from './time-slots-editor';
import { TypingSignal } from './typing-signal';
import { usePreview } from './use-preview';

// Reply or internal note, with rich elements, and a live preview for the case's channel.
// Ctrl+Enter (⌘+Enter) sends from anywhere inside the composer.
export function Composer({ kase }: { kase: Case }) {
  const controller = useController();
  const compose = useInbox((s) => s.compose);
  const [draft, setDraft] = useState<Draft>(EMPTY_DRAFT);
  const [internal, setInternal] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const closed = kase.status === 'closed';

  const content = useMemo(() => contentOf(internal ? { ...EMPTY_DRAFT, text: draft.text } : draft), [draft, internal]);
  const preview = usePreview(kase.id, content, !internal && !closed);
  // The customer sees the agent typing a reply (never a note). One signal per case; leaving the
  // case stops it.
  const typing = useMemo(() => new TypingSignal((on) => controller.sendTyping(kase.id, on)), [controller, kase.id]);
  useEffect(() => () => typing.stop(), [typing]);
  useEffect(() => {
    if (internal || closed) typing.stop();
  }, [internal, closed, typing]);

  // Another case: start afresh.
  useEffect(() => {
    setDraft(EMPTY_DRAFT);
    setError(null);
  }, [kase.id]);

  // Keyboard r / n: focus the composer as a reply or a note.
  useEffect(() => {
    if (compose.nonce === 0) return;
    setInternal(compose.internal);
    textRef.current?.focus();
  }, [compose]);

  const send = async () => {
    if (!content || sending || closed) return;
    setSending(true);
    setError(null);
    typing.stop();
    try {
      await controller.reply(kase.id, content, internal);
      setDraft(EMPTY_DRAFT);
      controller.announce(internal ? 'Note added' : 'Reply sent');
      textRef.current?.focus();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setSending(false);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void send();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  };
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  return (
    <div className="composer-area">
      <form className={`composer${internal ? ' composer--note' : ''}`} aria-label="Reply composer" onSubmit={onSubmit} onKeyDown={onKeyDown}>
        <fieldset className="composer__mode">
          <legend className="sr-only">Message type</legend>
          <label>
            <input type="radio" name="mode" checked={!internal} onChange={() => setInternal(false)} /> Reply to customer
          </label>
          <label>
            <input type="radio" name="mode" checked={internal} onChange={() => setInternal(true)} /> Internal note
          </label>
        </fieldset>
        <label htmlFor="reply-text" className="sr-only">
          {internal ? 'Note' : 'Reply'}
        </label>
        <textarea
          id="reply-text"
          ref={textRef}
          rows={3}
          value={draft.text}
          disabled={closed}
          placeholder={closed ? 'This case is closed' : internal ? 'Note for your team (not sent to the customer)' : 'Write a reply…'}
          onChange={(e) => {
            set({ text: e.target.value });
            if (!internal) typing.input(e.target.value.trim() !== '');
          }}
          onBlur={() => typing.stop()}
        />
        {!internal && (
          <>
            <div className="composer__tools" role="group" aria-label="Add rich elements">
              <button type="button" aria-pressed={draft.buttons !== null} onClick={() => set({ buttons: draft.buttons ? null : [emptyOption(), emptyOption()] })}>
                Buttons
              </button>
              <button type="button" aria-pressed={draft.quickReplies !== null} onClick={() => set({ quickReplies: draft.quickReplies ? null : [emptyOption(), emptyOption()] })}>
                Quick replies
              </button>
              <button
                type="button"
                aria-pressed={draft.timePicker !== null}
                onClick={() => set({ timePicker: draft.timePicker ? null : { title: 'Pick a time', timezone: browserTimeZone(), slots: [{ local: '', minutes: 30 }] } })}
              >
                Time slots
              </button>
            </div>
            {draft.buttons && <OptionsEditor label="Buttons" itemLabel="Button" withUrl options={draft.buttons} onChange={(buttons) => set({ buttons })} onRemove={() => set({ buttons: null })} />}
            {draft.quickReplies && (
              <OptionsEditor label="Quick replies" itemLabel="Quick reply" withUrl={false} options={draft.quickReplies} onChange={(quickReplies) => set({ quickReplies })} onRemove={() => set({ quickReplies: null })} />
            )}
            {draft.timePicker && <TimeSlotsEditor picker={draft.timePicker} onChange={(timePicker) => set({ timePicker })} onRemove={() => set({ timePicker: null })} />}
          </>
        )}
        {error && (
          <p className="composer__error" role="alert">
            {error}
          </p>
        )}
        <div className="composer__actions">
          <span className="composer__hint" aria-hidden="true">
            Ctrl+Enter to send
          </span>
          <button type="submit" className="primary" disabled={!content || sending || closed} aria-keyshortcuts="Control+Enter">
            {sending ? 'Sending…' : internal ? 'Add note' : 'Send'}
          </button>
        </div>
      </form>
      <ReplyPreview channelType={kase.channelType} internal={internal} empty={!content} state={preview} />
    </div>
  );
}
