/**
 * Blocks and records every outbound network attempt of the process: TCP/TLS connects (net, tls,
 * http, https, fetch all end in net.Socket#connect) and DNS queries for names that are not local.
 * Loopback (127.0.0.0/8, ::1, localhost) and IPC pipes pass. A blocked connect fails at once with
 * ERR_TEST_NETWORK_BLOCKED instead of waiting for a timeout; the jest setup (no_network.ts) then
 * fails the test that caused it.
 */
// Default imports give the modules themselves: a namespace import would be a per-file copy whose
// patched functions no other module sees.
import dns from 'node:dns';
import net from 'node:net';

export const BLOCKED_CODE = 'ERR_TEST_NETWORK_BLOCKED';

export interface BlockedAttempt {
  /** What was attempted, e.g. `connect 169.254.169.254:80` or `dns lookup metadata.google.internal`. */
  readonly what: string;
  /** The caller's stack, without the guard's own frames. */
  readonly stack: string;
}

interface GuardState {
  enabled: boolean;
  attempts: BlockedAttempt[];
}

// The core modules are shared by every test file a jest worker runs, while each file gets a fresh
// module registry: the state lives on the core module, so the patches are installed only once.
const STATE = Symbol.for('dex-anomaly.network-guard');
type Patched = typeof net & { [STATE]?: GuardState };

/** True for hosts that never leave the machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.') || h === '0.0.0.0';
  if (net.isIPv6(h)) return h === '::1' || h === '::' || /^(0{1,4}:){7}0{0,3}1$/.test(h) || /^::ffff:127\./.test(h);
  return false;
}

function blockedError(what: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`network access is blocked in tests: ${what} (use a loopback server, see test/setup/network_guard.ts)`);
  err.code = BLOCKED_CODE;
  return err;
}

/** Where a Socket#connect call goes, from any of its signatures; undefined for an IPC path. */
function connectTarget(args: readonly unknown[]): { host: string; port: string } | undefined {
  // net.connect() passes its normalized arguments as one array: [options, callback].
  const first: unknown = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === 'object' && first !== null) {
    const o = first as { path?: unknown; host?: unknown; port?: unknown };
    if (typeof o.path === 'string' && o.path !== '') return undefined;
    return { host: typeof o.host === 'string' && o.host !== '' ? o.host : 'localhost', port: String(o.port) };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return undefined;
  return { host: typeof args[1] === 'string' && args[1] !== '' ? args[1] : 'localhost', port: String(first) };
}

const DNS_QUERIES = ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname', 'resolveMx', 'resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTxt'] as const;

/** Installs the patches once per process and returns the shared state. */
export function installNetworkGuard(): GuardState {
  const patched = net as Patched;
  const existing = patched[STATE];
  if (existing) return existing;
  const state: GuardState = { enabled: true, attempts: [] };
  Object.defineProperty(patched, STATE, { value: state });

  const record = (what: string): NodeJS.ErrnoException | undefined => {
    if (!state.enabled) return undefined;
    const stack = (new Error().stack ?? '').split('\n').slice(3).join('\n');
    state.attempts.push({ what, stack });
    return blockedError(what);
  };

  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the socket as `this`
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]): net.Socket {
    const target = connectTarget(args);
    const err = target && !isLoopbackHost(target.host) ? record(`connect ${target.host}:${target.port}`) : undefined;
    if (err) {
      // As a refused connection looks: an 'error' event on the next tick, never a hang.
      process.nextTick(() => this.destroy(err));
      return this;
    }
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  };

  const local = (name: unknown) => typeof name !== 'string' || isLoopbackHost(name) || net.isIP(name) !== 0;
  const callbackApi = dns as unknown as Record<string, (...a: unknown[]) => unknown>;
  const promiseApi = dns.promises as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const name of DNS_QUERIES) {
    const original = callbackApi[name];
    if (typeof original === 'function') {
      callbackApi[name] = function guardedDns(this: unknown, ...args: unknown[]): unknown {
        const err = local(args[0]) ? undefined : record(`dns ${name} ${String(args[0])}`);
        const callback = args[args.length - 1];
        if (!err || typeof callback !== 'function') return original.apply(this, args);
        process.nextTick(() => { (callback as (e: Error) => void)(err); });
        return undefined;
      };
    }
    const originalPromise = promiseApi[name];
    if (typeof originalPromise === 'function') {
      promiseApi[name] = function guardedDnsPromise(this: unknown, ...args: unknown[]): unknown {
        const err = local(args[0]) ? undefined : record(`dns ${name} ${String(args[0])}`);
        return err ? Promise.reject(err) : originalPromise.apply(this, args);
      };
    }
  }
  return state;
}

/** The attempts recorded since the last call, which clears them. */
export function takeBlockedAttempts(): BlockedAttempt[] {
  const state = installNetworkGuard();
  return state.attempts.splice(0, state.attempts.length);
}

/** Turns the guard off for an opted-in real-cloud test file (and on again for the next file). */
export function setNetworkGuardEnabled(enabled: boolean): void {
  installNetworkGuard().enabled = enabled;
}

/** One error message for a test that tried to reach the network. */
export function describeAttempts(attempts: readonly BlockedAttempt[]): string {
  return [
    `this test tried to reach the network ${attempts.length} time(s); tests must stay on loopback:`,
    ...attempts.map((a) => `- ${a.what}\n${a.stack.split('\n').slice(0, 8).join('\n')}`),
  ].join('\n');
}
