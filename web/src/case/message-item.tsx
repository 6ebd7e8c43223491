import type { Message } from '../api/api.types';
import { ChannelIcon } from '../common/channel-icon';
import { fullTime, shortTime } from '../common/format';
import { ContentView } from './content-view';
import { DeliveryTicks } from './delivery-ticks';

interface Props {
  message: Message;
  channelType: string;
  authorName: string;
}

// One entry of a case's history. Internal notes look and read differently: they never left Parley.
export function MessageItem({ message, channelType, authorName }: Props) {
  const kind = message.internal ? 'note' : message.direction;
  const label = message.internal ? `Internal note by ${authorName}` : `${message.direction === 'inbound' ? 'From' : 'Reply by'} ${authorName}`;
  return (
    <li className={`message message--${kind}`} data-message-id={message.id} data-kind={kind}>
      <article aria-label={label}>
        <header className="message__meta">
          {message.internal ? <span className="message__note-badge">Internal note</span> : <ChannelIcon type={channelType} />}
          <span className="message__author">{authorName}</span>
          <time dateTime={message.createdAt} title={fullTime(message.createdAt)}>
            {shortTime(message.createdAt)}
          </time>
          {message.direction === 'outbound' && !message.internal && <DeliveryTicks status={message.status} error={message.error} />}
        </header>
        <ContentView content={message.content} />
        {message.status === 'failed' && message.error && (
          <p className="message__error" role="note">
            Not delivered: {message.error}
          </p>
        )}
      </article>
    </li>
  );
}
