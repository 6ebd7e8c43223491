import type { Content } from '../api/api.types';
import { slotLabel } from '../common/format';

// Content (API.md §7) as the agent sees it: text, then each element in a recognisable native
// form. Nothing is injected as HTML: HTML text is reduced to its text, and only http(s) URLs
// become links or images (whatever a provider sent).
export function ContentView({ content }: { content: Content }) {
  const postback = content.postback;
  // A click arrives as its postback with the option's title as text (for channels that only
  // read text): one line, "Selected <title>", with the payload aside. What the customer typed
  // instead ("2" on SMS) is kept aside too.
  const typed = postback && content.text && !sameWords(content.text, postback.title ?? postback.payload) ? content.text : null;
  return (
    <div className="content">
      {postback && (
        <p className="content__postback">
          <span className="content__postback-label">Selected</span> {postback.title ?? postback.payload}
          {postback.title && <code className="content__payload">{postback.payload}</code>}
          {typed && <span className="content__typed">typed “{typed}”</span>}
        </p>
      )}
      {content.text && !postback && <p className="content__text">{content.format === 'html' ? htmlText(content.text) : content.text}</p>}
      {content.buttons && (
        <ul className="content__buttons" aria-label="Buttons">
          {content.buttons.map((button, i) => (
            <li key={i} className="content__button">
              {safeUrl(button.url) ? (
                <a href={safeUrl(button.url)} target="_blank" rel="noreferrer noopener">
                  {button.title}
                </a>
              ) : (
                button.title
              )}
            </li>
          ))}
        </ul>
      )}
      {content.quickReplies && (
        <ul className="content__chips" aria-label="Quick replies">
          {content.quickReplies.map((reply, i) => (
            <li key={i} className="content__chip">
              {reply.title}
            </li>
          ))}
        </ul>
      )}
      {content.listPicker && (
        <figure className="content__list">
          <figcaption>{content.listPicker.title}</figcaption>
          <ul aria-label={content.listPicker.title}>
            {content.listPicker.items.map((item, i) => (
              <li key={i}>
                {item.title}
                {item.subtitle && <span className="content__subtitle"> — {item.subtitle}</span>}
              </li>
            ))}
          </ul>
        </figure>
      )}
      {content.timePicker && (
        <figure className="content__slots">
          <figcaption>
            {content.timePicker.title} <span className="content__subtitle">({content.timePicker.timezone})</span>
          </figcaption>
          <ul aria-label="Time slots">
            {content.timePicker.slots.map((slot, i) => (
              <li key={i} className="content__slot">
                {slotLabel(slot.start, content.timePicker!.timezone, slot.durationMinutes)}
              </li>
            ))}
          </ul>
        </figure>
      )}
      {content.cards?.map((card, i) => (
        <figure key={i} className="content__card">
          {safeUrl(card.imageUrl) && <img src={safeUrl(card.imageUrl)} alt="" loading="lazy" />}
          <figcaption>
            <strong>{card.title}</strong>
            {card.subtitle && <span className="content__subtitle">{card.subtitle}</span>}
          </figcaption>
          {card.buttons && (
            <ul className="content__buttons" aria-label={`${card.title} buttons`}>
              {card.buttons.map((button, j) => (
                <li key={j} className="content__button">
                  {button.title}
                </li>
              ))}
            </ul>
          )}
        </figure>
      ))}
      {content.richLink && (
        <a className="content__link" href={safeUrl(content.richLink.url)} target="_blank" rel="noreferrer noopener">
          {content.richLink.title ?? content.richLink.url}
        </a>
      )}
      {content.adaptiveCard && <p className="content__card">Adaptive Card{adaptiveTitle(content.adaptiveCard)}</p>}
      {content.template && (
        <p className="content__template">
          Template <code>{content.template.name}</code> ({content.template.language})
        </p>
      )}
      {content.attachments && (
        <ul className="content__attachments" aria-label="Attachments">
          {content.attachments.map((a, i) => {
            const url = safeUrl(a.url);
            return (
              <li key={i}>
                {url && a.contentType.startsWith('image/') ? (
                  <a href={url} target="_blank" rel="noreferrer noopener">
                    <img src={url} alt={a.name ?? 'Image'} loading="lazy" />
                  </a>
                ) : (
                  <a href={url} target="_blank" rel="noreferrer noopener">
                    {a.name ?? fileName(a.url)}
                  </a>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

function sameWords(a: string, b: string): boolean {
  const words = (text: string) => text.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
  return words(a) === words(b);
}

function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url, window.location.origin);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

function htmlText(html: string): string {
  return new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '';
}

function adaptiveTitle(card: Record<string, unknown>): string {
  const body = Array.isArray(card.body) ? (card.body as Array<{ type?: string; text?: unknown }>) : [];
  const first = body.find((element) => element.type === 'TextBlock' && typeof element.text === 'string');
  return first ? `: ${String(first.text)}` : '';
}

function fileName(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.split('/').filter(Boolean).pop() ?? 'Attachment');
  } catch {
    return 'Attachment';
  }
}
