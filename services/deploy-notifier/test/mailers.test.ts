import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { SesMailer } from '../src/ses-mailer';
import { parseSmtpSettings, SmtpMailer } from '../src/smtp-mailer';
import { startFakeSmtpServer } from './fake-smtp-server';

const addresses = { from: 'berth@example.com', to: ['team@example.com', 'oncall@example.com'] };
const message = {
  subject: '[Berth] staging: deployed success',
  text: 'deployed in staging: success\n\nActor:        octocat',
};

describe('SesMailer', () => {
  it('sends a UTF-8 text email from the sender to every recipient', async () => {
    const client = new SESv2Client({ region: 'us-east-1' });
    const ses = mockClient(client);
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-message-1' });

    expect(await new SesMailer(client, addresses).send(message)).toBe('ses-message-1');
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input).toEqual({
      FromEmailAddress: 'berth@example.com',
      Destination: { ToAddresses: ['team@example.com', 'oncall@example.com'] },
      Content: {
        Simple: {
          Subject: { Data: message.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: message.text, Charset: 'UTF-8' } },
        },
      },
    });
  });
});

describe('SmtpMailer', () => {
  it('logs in with the secret credentials and delivers to every recipient', async () => {
    const smtp = await startFakeSmtpServer();
    try {
      const settings = parseSmtpSettings(
        JSON.stringify({ host: '127.0.0.1', port: String(smtp.port), username: 'berth', password: 's3cret-pass' }),
      );
      // The fake speaks no TLS; real servers on ports other than 465 must offer STARTTLS.
      const id = await new SmtpMailer(settings, addresses, { requireTls: false }).send(message);

      expect(id).toMatch(/^<.+>$/);
      expect(smtp.sessions).toHaveLength(1);
      const session = smtp.sessions[0]!;
      expect(session.login).toEqual({ username: 'berth', password: 's3cret-pass' });
      expect(session.from).toBe('berth@example.com');
      expect(session.to).toEqual(['team@example.com', 'oncall@example.com']);
      expect(session.data).toContain('Subject: [Berth] staging: deployed success');
      expect(session.data).toContain('Actor:        octocat');
    } finally {
      await smtp.close();
    }
  });

  it('says which fields an SMTP secret lacks', () => {
    expect(() => parseSmtpSettings('host=smtp.example.com')).toThrow('the SMTP secret is not JSON');
    expect(() => parseSmtpSettings(JSON.stringify({ host: 'smtp.example.com', port: 'x', username: 'berth' }))).toThrow(
      'the SMTP secret lacks a valid password, port',
    );
  });
});
