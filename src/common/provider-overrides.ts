import type { Provider } from '@nestjs/common';

// Replaces providers by token: the way an embedder (the integration tests) swaps a provider
// SDK's boundary, such as the whatsapp-web.js client factory, in a module that declares it.
// Overrides whose token the list does not declare are ignored here.
export function withOverrides(providers: Provider[], overrides: readonly Provider[]): Provider[] {
  const byToken = new Map(overrides.map((override) => [tokenOf(override), override]));
  return providers.map((provider) => byToken.get(tokenOf(provider)) ?? provider);
}

function tokenOf(provider: Provider): unknown {
  return typeof provider === 'function' ? provider : provider.provide;
}
