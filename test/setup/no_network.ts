/**
 * Jest setupFilesAfterEnv: no test reaches the network or the GCE metadata server.
 *
 * Google's clients read their environment: with METADATA_SERVER_DETECTION=none they never probe
 * the metadata server, and without GOOGLE_APPLICATION_CREDENTIALS or a gcloud config folder they
 * find no developer credentials. Anything that still dials out is blocked (network_guard.ts) and
 * fails the test that did it (afterEach), or the file (afterAll) for attempts after its last test.
 * The opt-in real-project suite (test/cloud/, DEX_TEST_GCP_PROJECT + DEX_TEST_GCS_BUCKET) is exempt.
 */
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { describeAttempts, setNetworkGuardEnabled, takeBlockedAttempts } from './network_guard';

const testPath = expect.getState().testPath ?? '';
const realCloud = Boolean(process.env.DEX_TEST_GCP_PROJECT && process.env.DEX_TEST_GCS_BUCKET) && relative(join(__dirname, '..'), testPath).split(sep)[0] === 'cloud';

if (!realCloud) {
  process.env.METADATA_SERVER_DETECTION = 'none';
  delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
  delete process.env.google_application_credentials;
  // A folder that does not exist: no application default credentials from a developer's gcloud.
  process.env.CLOUDSDK_CONFIG = join(tmpdir(), 'dex-anomaly-tests-no-gcloud-config');
  const noProxy = [process.env.NO_PROXY, 'localhost,127.0.0.1,::1'].filter(Boolean).join(',');
  process.env.NO_PROXY = noProxy;
  process.env.no_proxy = noProxy;
}
setNetworkGuardEnabled(!realCloud);
// Attempts left over by an earlier file of this worker (after its afterAll) are not this file's.
takeBlockedAttempts();

afterEach(() => {
  const attempts = takeBlockedAttempts();
  if (attempts.length > 0) throw new Error(describeAttempts(attempts));
});

afterAll(() => {
  const attempts = takeBlockedAttempts();
  if (attempts.length > 0) throw new Error(`after the last test: ${describeAttempts(attempts)}`);
});
