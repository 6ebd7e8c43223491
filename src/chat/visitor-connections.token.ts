// Injection token of the VisitorConnections port (channels/channel-adapter.port.ts): ChannelsService
// puts it in every channel context; ChatPush implements it.
export const VISITOR_CONNECTIONS = Symbol('VISITOR_CONNECTIONS');
