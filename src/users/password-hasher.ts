import * as argon2 from 'argon2';

// argon2id with the library's defaults (64 MiB, t=3): slow on purpose.
export const passwordHasher = {
  hash: (password: string): Promise<string> => argon2.hash(password, { type: argon2.argon2id }),
  verify: async (hash: string, password: string): Promise<boolean> => {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  },
};

// Verified against when the email is unknown, so that a wrong email and a wrong password take the
// same time and cannot be told apart.
let dummyHash: Promise<string> | null = null;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= passwordHasher.hash('parley-timing-equaliser');
  return dummyHash;
}
