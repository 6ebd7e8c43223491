import { renderAdaptiveCard } from './adaptive-card-view';
import { h } from './dom';
import { icon } from './icons';
import type { Attachment, Button, Card, Content, ListPicker, Postback, RichLink, TimePicker } from './protocol';
import { renderText } from './rich-text';
import { safeUrl } from './sanitize';

// Every Content element rendered natively (API.md §7): Parley sends the web chat everything as
// authored. A choice (button, quick reply, list item, time slot, card action) calls `choose`
// with its postback and the text to show as the visitor's answer.
export type Choose = (postback: Postback, text: string) => void;

export interface ContentViewOptions {
  choose: Choose;
  // Quick replies are offered on the latest message only, until one is picked.
  showQuickReplies: boolean;
}

export function renderContent(content: Content, options: ContentViewOptions): HTMLElement {
  const body = h('div', { class: 'content' });
  // A visitor's click reads as its title.
  const text = content.text ?? (content.postback ? (content.postback.title ?? content.postback.payload) : undefined);
  if (text) body.append(renderText(text, content.format));
  if (content.attachments) body.append(renderAttachments(content.attachments));
  if (content.richLink) body.append(renderRichLink(content.richLink));
  if (content.cards) body.append(renderCards(content.cards, options.choose));
  if (content.buttons) body.append(renderButtons(content.buttons, options.choose, 'Options'));
  if (content.listPicker) body.append(renderListPicker(content.listPicker, options.choose));
  if (content.timePicker) body.append(renderTimePicker(content.timePicker, options.choose));
  if (content.adaptiveCard) body.append(renderAdaptiveCard(content.adaptiveCard, options.choose));
  if (content.quickReplies && options.showQuickReplies) {
    const group = h('div', { class: 'quick-replies', role: 'group', 'aria-label': 'Quick replies' });
    for (const reply of content.quickReplies) {
      group.append(choiceButton('chip', reply.title, () => options.choose({ payload: reply.payload, title: reply.title }, reply.title)));
    }
    body.append(group);
  }
  return body;
}

function choiceButton(className: string, label: string | Node, onClick: () => void): HTMLButtonElement {
  const button = h('button', { type: 'button', class: className }, label);
  button.addEventListener('click', onClick);
  return button;
}

function renderButtons(buttons: Button[], choose: Choose, label: string): HTMLElement {
  const group = h('div', { class: 'buttons', role: 'group', 'aria-label': label });
  for (const button of buttons) {
    const url = safeUrl(button.url);
    if (url) {
      // A link button opens its page; it answers nothing.
      group.append(h('a', { class: 'button link', href: url, target: '_blank', rel: 'noopener noreferrer' }, button.title));
    } else if (button.payload) {
      const payload = button.payload;
      group.append(choiceButton('button', button.title, () => choose({ payload, title: button.title }, button.title)));
    }
  }
  return group;
}

function renderCards(cards: Card[], choose: Choose): HTMLElement {
  const list = h('ul', { class: 'cards', 'aria-label': 'Cards' });
  for (const card of cards) {
    const image = safeUrl(card.imageUrl);
    list.append(
      h(
        'li',
        { class: 'card' },
        image ? h('img', { src: image, alt: '', loading: 'lazy' }) : null,
        h('div', { class: 'card-body' }, h('p', { class: 'card-title' }, card.title), card.subtitle ? h('p', { class: 'card-subtitle' }, card.subtitle) : null),
        card.buttons?.length ? renderButtons(card.buttons, choose, card.title) : null,
      ),
    );
  }
  return list;
}

function renderListPicker(picker: ListPicker, choose: Choose): HTMLElement {
  const items = h('ul', { class: 'list-picker-items' });
  for (const item of picker.items) {
    const label = h('span', { class: 'item-label' }, h('span', { class: 'item-title' }, item.title), item.subtitle ? h('span', { class: 'item-subtitle' }, item.subtitle) : null);
    items.append(h('li', {}, choiceButton('list-item', label, () => choose({ payload: item.payload, title: item.title }, item.title))));
  }
  return h('section', { class: 'list-picker', 'aria-label': picker.title }, h('p', { class: 'picker-title' }, picker.title), items);
}

function renderTimePicker(picker: TimePicker, choose: Choose): HTMLElement {
  // Slots read in the picker's time zone, as Parley words them in text (weekday, date, time).
  const format = new Intl.DateTimeFormat(undefined, { timeZone: picker.timezone, weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
  const slots = h('div', { class: 'slots', role: 'group', 'aria-label': picker.title });
  for (const slot of picker.slots) {
    const title = format.format(new Date(slot.start)).replace(/[\u00a0\u202f\u2009]/g, ' ');
    const button = choiceButton('slot', h('span', {}, title, h('span', { class: 'slot-duration' }, ` · ${slot.durationMinutes} min`)), () => choose({ payload: slot.start, title }, title));
    button.setAttribute('aria-label', `${title}, ${slot.durationMinutes} minutes`);
    slots.append(button);
  }
  return h('section', { class: 'time-picker', 'aria-label': picker.title }, h('p', { class: 'picker-title' }, picker.title, h('span', { class: 'timezone' }, ` (${picker.timezone})`)), slots);
}

function renderRichLink(link: RichLink): HTMLElement {
  const url = safeUrl(link.url);
  const image = safeUrl(link.imageUrl);
  if (!url) return h('p', {}, link.title ?? link.url);
  const host = new URL(url).host;
  return h(
    'a',
    { class: 'rich-link', href: url, target: '_blank', rel: 'noopener noreferrer' },
    image ? h('img', { src: image, alt: '', loading: 'lazy' }) : null,
    h('span', { class: 'rich-link-text' }, h('span', { class: 'rich-link-title' }, link.title ?? host), h('span', { class: 'rich-link-host' }, host)),
  );
}

function renderAttachments(attachments: Attachment[]): HTMLElement {
  const list = h('ul', { class: 'attachments', 'aria-label': 'Attachments' });
  for (const attachment of attachments) {
    const url = safeUrl(attachment.url);
    if (!url) continue;
    const name = attachment.name ?? decodeURIComponent(new URL(url).pathname.split('/').pop() ?? 'file');
    const preview = attachment.contentType.startsWith('image/') ? h('img', { src: url, alt: name, loading: 'lazy' }) : h('span', { class: 'file-name' }, icon('file', 18), name);
    list.append(h('li', {}, h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', class: 'attachment' }, preview)));
  }
  return list;
}
