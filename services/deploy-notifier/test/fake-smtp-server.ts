import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface SmtpSession {
  login?: { username: string; password: string };
  from?: string;
  to: string[];
  data: string;
}

export interface FakeSmtpServer {
  port: number;
  sessions: SmtpSession[];
  close(): Promise<void>;
}

/**
 * Just enough SMTP (EHLO, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA, QUIT) to receive one message per session.
 * It speaks no TLS: STARTTLS is refused as a server without a certificate would.
 */
export async function startFakeSmtpServer(): Promise<FakeSmtpServer> {
  const sessions: SmtpSession[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const session: SmtpSession = { to: [], data: '' };
    sessions.push(session);
    let buffer = '';
    let mode: 'command' | 'data' | 'login-user' | 'login-pass' = 'command';
    let loginUser = '';
    const say = (line: string) => socket.write(`${line}\r\n`);
    say('220 fake.smtp.test ESMTP');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (mode === 'data') {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          session.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          mode = 'command';
          say('250 2.0.0 queued');
          continue;
        }
        const newline = buffer.indexOf('\r\n');
        if (newline < 0) return;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        if (mode === 'login-user') {
          loginUser = Buffer.from(line, 'base64').toString('utf8');
          mode = 'login-pass';
          say('334 UGFzc3dvcmQ6');
          continue;
        }
        if (mode === 'login-pass') {
          session.login = { username: loginUser, password: Buffer.from(line, 'base64').toString('utf8') };
          mode = 'command';
          say('235 2.7.0 authenticated');
          continue;
        }
        const verb = (line.split(' ')[0] ?? '').toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') {
          socket.write('250-fake.smtp.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n');
        } else if (verb === 'AUTH') {
          const [, method, initial] = line.split(' ');
          if (method?.toUpperCase() === 'PLAIN' && initial) {
            const [, username = '', password = ''] = Buffer.from(initial, 'base64').toString('utf8').split('\0');
            session.login = { username, password };
            say('235 2.7.0 authenticated');
          } else {
            mode = 'login-user';
            say('334 VXNlcm5hbWU6');
          }
        } else if (verb === 'MAIL') {
          session.from = /<([^>]*)>/.exec(line)?.[1];
          say('250 2.1.0 ok');
        } else if (verb === 'RCPT') {
          session.to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          say('250 2.1.5 ok');
        } else if (verb === 'DATA') {
          mode = 'data';
          say('354 end with <CRLF>.<CRLF>');
        } else if (verb === 'STARTTLS') {
          say('454 4.7.0 TLS not available');
        } else if (verb === 'QUIT') {
          say('221 2.0.0 bye');
          socket.end();
        } else {
          say('250 ok');
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    sessions,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
