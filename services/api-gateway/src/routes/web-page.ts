import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

/** GET / (index.html) and GET /static/* from the public directory. */
export const webPageRoutes: FastifyPluginAsync<{ publicDir: string }> = async (app, { publicDir }) => {
  await app.register(fastifyStatic, { root: publicDir, prefix: '/static/', index: false });
  app.get('/', { schema: { response: { 200: { description: 'index.html' } } } }, (_request, reply) =>
    reply.sendFile('index.html'),
  );
};
