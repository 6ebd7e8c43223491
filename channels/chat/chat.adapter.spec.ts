import { ProviderError, type ChannelContext, type OutboundMessage, type VisitorConnections } from '../channel-adapter.port';
import { CHANNEL_DEFINITIONS, getAdapter, getSender } from '../channel-registry';
import { ChatAdapter } from './chat.adapter';
import type { ChatConfig } from './chat.config';

describe('ChatAdapter', () => {
  const adapter = new ChatAdapter();
  const message: OutboundMessage = {
    messageId: '6f1c3f0e-8d2a-4c1b-9f6e-2a7d4b5c6e01',
    caseId: '0b7e2c4d-1a3f-4e5b-8c9d-0e1f2a3b4c5d',
    threadKey: null,
    to: { address: 'c0ffee00-0000-4000-8000-000000000042' },
    rendered: { text: 'Hola', buttons: [{ title: 'Sí', payload: 'YES' }] },
  };
  const context = (visitors?: VisitorConnections): ChannelContext<ChatConfig> => ({
    channelId: '11111111-2222-4333-8444-555555555555',
    webhookUrl: 'http://localhost:3000/webhooks/11111111-2222-4333-8444-555555555555',
    config: {},
    ...(visitors ? { visitors } : {}),
  });

  it('is the web chat’s sender, with no webhook adapter', () => {
    expect(getSender('chat')).toBeInstanceOf(ChatAdapter);
    expect(getAdapter('chat')).toBeUndefined();
    expect(adapter.configSchema).toBe(CHANNEL_DEFINITIONS.chat.configSchema);
    expect(adapter.capabilities({}).native).toEqual(expect.arrayContaining(['buttons', 'cards', 'listPicker', 'timePicker', 'adaptiveCard', 'attachments']));
  });

  it('pushes the stored message to the visitor and answers with its own id', async () => {
    const push = jest.fn().mockResolvedValue(undefined);
    await expect(adapter.send(message, context({ push }))).resolves.toEqual({ externalId: message.messageId });
    expect(push).toHaveBeenCalledWith('11111111-2222-4333-8444-555555555555', message.to.address, message.messageId);
  });

  it('classifies failures: no transport is permanent, a transport error is temporary, a ProviderError is kept', async () => {
    await expect(adapter.send(message, context())).rejects.toMatchObject({ errorClass: 'permanent' });
    await expect(adapter.send(message, context({ push: jest.fn().mockRejectedValue(new Error('redis down')) }))).rejects.toMatchObject({
      errorClass: 'temporary',
      message: 'redis down',
    });
    const refused = new ProviderError('permanent', 'not this visitor');
    await expect(adapter.send(message, context({ push: jest.fn().mockRejectedValue(refused) }))).rejects.toBe(refused);
  });
});
