// One socket.io room per visitor on a channel: every tab of theirs, on every instance (with the
// Redis adapter), hears what is pushed to it.
export function visitorRoom(channelId: string, visitor: string): string {
  return `chat:${channelId}:${visitor}`;
}
