import { isOriginAllowed } from './chat.origin';

describe('isOriginAllowed', () => {
  it('allows any origin, or none, when the list is unset or empty', () => {
    expect(isOriginAllowed({}, 'https://anything.example')).toBe(true);
    expect(isOriginAllowed({ allowedOrigins: [] }, undefined)).toBe(true);
  });

  it('allows exactly the listed origins, case-insensitively', () => {
    const config = { allowedOrigins: ['https://shop.example.com', 'http://localhost:8080'] };
    expect(isOriginAllowed(config, 'https://shop.example.com')).toBe(true);
    expect(isOriginAllowed(config, 'HTTPS://Shop.Example.com')).toBe(true);
    expect(isOriginAllowed(config, 'http://localhost:8080')).toBe(true);
  });

  it('refuses other schemes, ports, subdomains and a missing Origin when a list is set', () => {
    const config = { allowedOrigins: ['https://shop.example.com'] };
    for (const origin of ['http://shop.example.com', 'https://shop.example.com:8443', 'https://evil.shop.example.com', 'https://shop.example.com.evil.io', 'null', undefined]) {
      expect({ origin, allowed: isOriginAllowed(config, origin) }).toEqual({ origin, allowed: false });
    }
  });
});
