import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` on a client checked out of the pool. While checked out, pg emits a dropped connection (server
 * restart, terminated backend) as an 'error' event on the client, which would crash the process without a
 * listener; here it only fails the work in progress. A client whose work failed is discarded, not reused: after
 * a failure inside a transaction it may be in any state.
 */
export async function withClient<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failure: Error | undefined;
  const onError = (error: Error) => {
    failure ??= error;
  };
  client.on('error', onError);
  try {
    return await work(client);
  } catch (error) {
    failure ??= error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.off('error', onError);
    client.release(failure);
  }
}
