import { classifySmtpError } from './email.errors';

// Shapes as nodemailer throws them (checked against smtp-server on loopback).
describe('classifySmtpError', () => {
  it.each([
    ['a refused login (535)', { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN', response: '535 5.7.8 Authentication credentials invalid' }, 'auth_revoked'],
    ['auth required (530)', { code: 'EENVELOPE', responseCode: 530, command: 'MAIL FROM', response: '530 5.7.0 Authentication required' }, 'auth_revoked'],
    ['a 4xx at DATA', { code: 'EMESSAGE', responseCode: 451, command: 'DATA', response: '451 4.3.0 try later' }, 'temporary'],
    ['a greylisting 450 at RCPT', { code: 'EENVELOPE', responseCode: 450, command: 'RCPT TO', response: '450 4.2.0 Greylisted' }, 'temporary'],
    ['a refused connection', { code: 'ESOCKET', command: 'CONN', message: 'connect ECONNREFUSED 127.0.0.1:1' }, 'temporary'],
    ['a timeout', { code: 'ETIMEDOUT', command: 'CONN', message: 'Connection timeout' }, 'temporary'],
    ['an unknown mailbox (550 at RCPT)', { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO', response: '550 5.1.1 No such user' }, 'invalid_recipient'],
    ['a refused address (553 at RCPT)', { code: 'EENVELOPE', responseCode: 553, command: 'RCPT TO', response: '553 5.1.3 Bad address syntax' }, 'invalid_recipient'],
    ['a 550 after DATA naming a 5.1.x mailbox status', { code: 'EMESSAGE', responseCode: 550, command: 'DATA', response: '550 5.1.1 Mailbox unavailable' }, 'invalid_recipient'],
    ['a refused sender (550 at MAIL FROM)', { code: 'EENVELOPE', responseCode: 550, command: 'MAIL FROM', response: '550 5.7.1 Sender rejected' }, 'permanent'],
    ['a message too large (552)', { code: 'EMESSAGE', responseCode: 552, command: 'DATA', response: '552 5.3.4 Message too big' }, 'permanent'],
    ['a content rejection (554)', { code: 'EMESSAGE', responseCode: 554, command: 'DATA', response: '554 5.7.1 Spam' }, 'permanent'],
  ])('%s → %s', (_case, error, expected) => {
    const classified = classifySmtpError(Object.assign(new Error('SMTP failure'), error));
    expect(classified.errorClass).toBe(expected);
    expect(classified.message).toMatch(/^SMTP /);
  });

  it('treats anything else (an attachment that could not be fetched) as temporary', () => {
    expect(classifySmtpError(new Error('socket hang up')).retryable).toBe(true);
    expect(classifySmtpError('weird').errorClass).toBe('temporary');
  });
});
