import { ContentView } from '../case/content-view';
import { channelLabel } from '../common/channel-icon';
import type { PreviewState } from './use-preview';

interface Props {
  channelType: string;
  internal: boolean;
  empty: boolean;
  state: PreviewState;
}

// How the case's channel will show the draft: SMS gets its fallback text (options numbered,
// links spelled out) with the segment count; other channels their native elements, and the
// text any degraded element became.
export function ReplyPreview({ channelType, internal, empty, state }: Props) {
  const channel = channelLabel(channelType);
  let body;
  if (internal) body = <p className="preview__hint">Internal notes stay in Parley: the customer never sees them.</p>;
  else if (empty) body = <p className="preview__hint">Write a reply to see how {channel} will show it.</p>;
  else if (state.error)
    body = (
      <p className="preview__error" role="alert">
        {state.error.message}
      </p>
    );
  else if (state.preview) {
    const { preview } = state;
    body =
      preview.sms !== null ? (
        <>
          <pre className="preview__sms" data-testid="sms-fallback">
            {preview.text}
          </pre>
          <p className="preview__meta">
            {preview.sms.segments} SMS segment{preview.sms.segments === 1 ? '' : 's'} ({preview.sms.encoding})
            {preview.sms.maxSegments !== null && preview.sms.segments > preview.sms.maxSegments && (
              <strong role="alert"> — over this channel's limit of {preview.sms.maxSegments}</strong>
            )}
          </p>
        </>
      ) : (
        <>
          <div className="preview__native">
            <ContentView content={preview.rendered} />
          </div>
          {preview.parts.length > 1 && <p className="preview__meta">Sent as {preview.parts.length} messages (length limit).</p>}
        </>
      );
  } else body = <p className="preview__hint">Rendering…</p>;

  return (
    <section className="preview" aria-label={`Preview on ${channel}`} aria-busy={state.loading}>
      <h3 className="preview__title">Preview on {channel}</h3>
      {body}
    </section>
  );
}
