// The name a visitor's file is shown under: decoded from X-File-Name (URI-encoded, as headers
// cannot carry every character), without any path or control characters, bounded.
export function cleanFileName(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    name = raw;
  }
  name = name.split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255);
  return name || undefined;
}
