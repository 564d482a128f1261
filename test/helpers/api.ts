// WeKan's REST API as a script drives it: log in once for a Bearer token, then JSON requests over inject.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export type Api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object | string) => Promise<LightMyRequestResponse>;

/** The Authorization header of `username`'s API token (signed up with the helpers' default password). */
export async function bearerFor(app: FastifyInstance, username: string, password = 'correct horse battery'): Promise<string> {
  const login = await app.inject({ method: 'POST', url: '/users/login', payload: { username, password } });
  return `Bearer ${(login.json() as { token: string }).token}`;
}

/** Requests as `username` (signed up with the test helpers' default password unless another is given). */
export async function apiAs(app: FastifyInstance, username: string, password = 'correct horse battery'): Promise<Api> {
  const login = await app.inject({ method: 'POST', url: '/users/login', payload: { username, password } });
  const { token } = login.json() as { token: string };
  if (!token) throw new Error(`no API token for ${username}: ${login.statusCode} ${login.body}`);
  return (method, url, payload) => app.inject({
    method, url, payload,
    headers: { authorization: `Bearer ${token}`, ...(typeof payload === 'string' ? { 'content-type': 'application/json' } : {}) },
  });
}

/** The `_id` of an API answer. */
export const idOf = (response: LightMyRequestResponse): string => (response.json() as { _id: string })._id;
