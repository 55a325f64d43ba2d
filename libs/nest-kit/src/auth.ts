import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { jwtVerify, SignJWT } from 'jose';
import { AUTH_SECRET } from './tokens';
import { problem, ProblemError } from './problem';

export const ROLES = [
  'reference-data',
  'identity-sync',
  'school-commands',
  'partnerships',
  'reader',
  'auditor',
  'lead-provider',
  'data-protection',
] as const;
export type Role = (typeof ROLES)[number];

/** The authenticated calling service. */
export interface Caller {
  /** The calling service's identity (JWT `sub`). */
  sub: string;
  roles: Role[];
  leadProviderId?: string;
}

const ROLES_KEY = 'ect:roles';
/** Any one of these roles lets the caller in. Routes without it need no token (health, docs). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export function callerOf(request: FastifyRequest): Caller {
  const caller = (request as FastifyRequest & { caller?: Caller }).caller;
  if (!caller) throw new Error('callerOf used on a route without @Roles');
  return caller;
}

/** Verifies `Authorization: Bearer <JWT>` (HS256) with jose, then checks the route's roles. */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly key: Uint8Array;

  constructor(private readonly reflector: Reflector, @Inject(AUTH_SECRET) secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (!roles) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { caller?: Caller }>();
    const caller = await this.verify(request.headers.authorization);
    if (!roles.some((role) => caller.roles.includes(role))) {
      throw new ProblemError(problem(403, 'FORBIDDEN', `This needs one of the roles: ${roles.join(', ')}`));
    }
    request.caller = caller;
    return true;
  }

  private async verify(header: string | undefined): Promise<Caller> {
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header ?? '');
    if (!match) throw unauthenticated('Send Authorization: Bearer <token>');
    try {
      const { payload } = await jwtVerify(match[1], this.key, { algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || !payload.sub) throw unauthenticated('The token has no subject');
      const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is Role => (ROLES as readonly unknown[]).includes(r)) : [];
      const leadProviderId = typeof payload.leadProviderId === 'string' ? payload.leadProviderId : undefined;
      return { sub: payload.sub, roles, leadProviderId };
    } catch (error) {
      if (error instanceof ProblemError) throw error;
      throw unauthenticated('The token is not valid');
    }
  }
}

function unauthenticated(detail: string): ProblemError {
  return new ProblemError(problem(401, 'UNAUTHENTICATED', detail), { 'www-authenticate': 'Bearer' });
}

/** Mints a token (local use and tests). */
export async function mintToken(
  secret: string,
  claims: { sub: string; roles: Role[]; leadProviderId?: string },
  expiresIn = '12h',
): Promise<string> {
  return new SignJWT({ roles: claims.roles, ...(claims.leadProviderId ? { leadProviderId: claims.leadProviderId } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}
