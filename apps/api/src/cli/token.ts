/**
 * Mints a bearer token for local use: `npm run token -- <role> [--sub NAME] [--lead-provider ID]`.
 * Uses AUTH_JWT_SECRET, or the secret the embedded default generated in DATA_DIR.
 */
import { loadConfig, localSecret } from '@ect/platform';
import { mintToken, ROLES, type Role } from '@ect/nest-kit';

async function main() {
  const args = process.argv.slice(2);
  const role = args[0] as Role | undefined;
  if (!role || !(ROLES as readonly string[]).includes(role)) {
    process.stderr.write(`usage: npm run token -- <role> [--sub NAME] [--lead-provider ID]\nroles: ${ROLES.join(', ')}\n`);
    process.exit(2);
  }
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const config = loadConfig();
  if (config.appEnv === 'production') {
    process.stderr.write('npm run token is for local use; production tokens come from the identity provider\n');
    process.exit(2);
  }
  const secret = config.authJwtSecret ?? (await localSecret(config.dataDir, 'auth-jwt')).value;
  const leadProviderId = option('--lead-provider');
  if (role === 'lead-provider' && !leadProviderId) {
    process.stderr.write('a lead-provider token needs --lead-provider <id>\n');
    process.exit(2);
  }
  const token = await mintToken(secret, { sub: option('--sub') ?? `local-${role}`, roles: [role], leadProviderId });
  process.stdout.write(`${token}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error?.message ?? error}\n`);
  process.exit(1);
});
