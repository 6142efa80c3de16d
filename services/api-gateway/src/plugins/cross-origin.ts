import fastifyCors from '@fastify/cors';
import fastifyPlugin from 'fastify-plugin';

/**
 * CORS for the listed origins only: any other origin gets no Access-Control-Allow-Origin header,
 * so browsers keep its pages from reading answers or sending writes. The gateway's own page is
 * same-origin and needs no entry.
 */
export const crossOrigin = fastifyPlugin<{ origins: readonly string[] }>(
  async (app, { origins }) => {
    const allowed = new Set(origins);
    await app.register(fastifyCors, {
      origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
      methods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
      allowedHeaders: ['Accept', 'Authorization', 'Content-Type'],
      maxAge: 600,
    });
  },
  { name: 'cross-origin' },
);
