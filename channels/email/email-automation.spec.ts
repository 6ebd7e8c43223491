import { type AutomationSignals, detectAutomated } from './email-automation';

const signals = (headers: Record<string, string>, extra: Partial<AutomationSignals> = {}): AutomationSignals => ({
  headers: new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), [value]])),
  contentType: 'text/plain',
  fromAddress: 'alice@example.org',
  envelopeSender: 'alice@example.org',
  ...extra,
});

describe('detectAutomated', () => {
  it('lets a person’s mail through', () => {
    expect(detectAutomated(signals({ Subject: 'Where is my order?' }))).toBeNull();
    // RFC 3834 §5: "no" is what a person's mail may say explicitly.
    expect(detectAutomated(signals({ 'Auto-Submitted': 'no' }))).toBeNull();
    expect(detectAutomated(signals({ 'Auto-Submitted': 'No; reason=human' }))).toBeNull();
    expect(detectAutomated(signals({ Precedence: 'list' }))).toBeNull();
  });

  it.each([
    ['Auto-Submitted: auto-replied', { 'Auto-Submitted': 'auto-replied' }],
    ['Auto-Submitted: auto-generated', { 'Auto-Submitted': 'auto-generated' }],
    ['Auto-Submitted: auto-notified with parameters', { 'Auto-Submitted': 'auto-notified; owner-email="x@y"' }],
    ['X-Autoreply', { 'X-Autoreply': 'yes' }],
    ['X-Autorespond', { 'X-Autorespond': 'Out of office' }],
    ['Precedence: auto_reply', { Precedence: 'auto_reply' }],
  ])('recognises an auto-reply by %s', (_rule, headers) => {
    expect(detectAutomated(signals(headers))).toBe('auto_reply');
  });

  it.each([['bulk'], ['junk'], ['BULK']])('recognises Precedence: %s as bulk mail', (value) => {
    expect(detectAutomated(signals({ Precedence: value }))).toBe('bulk');
  });

  it('recognises bounces: a DSN, a daemon sender, an empty return path', () => {
    expect(detectAutomated(signals({}, { contentType: 'multipart/report' }))).toBe('bounce');
    expect(detectAutomated(signals({}, { fromAddress: 'MAILER-DAEMON@mx.example.org' }))).toBe('bounce');
    expect(detectAutomated(signals({}, { fromAddress: 'postmaster@example.org' }))).toBe('bounce');
    // The SMTP null sender `MAIL FROM:<>`…
    expect(detectAutomated(signals({}, { envelopeSender: '' }))).toBe('bounce');
    // …or, for mail fetched over IMAP, the Return-Path header the final MTA wrote.
    expect(detectAutomated(signals({ 'Return-Path': '<>' }, { envelopeSender: null }))).toBe('bounce');
    expect(detectAutomated(signals({ 'Return-Path': '<alice@example.org>' }, { envelopeSender: null }))).toBeNull();
  });
});
