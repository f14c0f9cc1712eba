// Refuses every non-loopback TCP connection in this process. Loaded by vitest (setup file)
// and, through NODE_OPTIONS="--import <this file>", by CLI processes that tests spawn, so a
// test can never reach the internet or the GCE metadata server by accident.
import net from 'node:net';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '::ffff:127.0.0.1']);
export const violations = [];

const original = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  let opts = args[0];
  if (Array.isArray(opts)) opts = opts[0];
  let host;
  let path;
  if (opts && typeof opts === 'object') {
    host = opts.host;
    path = opts.path;
  } else if (typeof opts === 'number' || (typeof opts === 'string' && /^\d+$/.test(opts))) {
    host = typeof args[1] === 'string' ? args[1] : 'localhost';
  } else if (typeof opts === 'string') {
    path = opts;
  }
  if (!path && host !== undefined && !LOOPBACK.has(String(host))) {
    const message = `net-guard: refused a non-loopback connection to ${host} (tests must only talk to 127.0.0.1)`;
    violations.push(message);
    process.stderr.write(message + '\n');
    const err = new Error(message);
    err.code = 'ENETUNREACH';
    process.nextTick(() => this.destroy(err));
    return this;
  }
  return original.apply(this, args);
};
globalThis.__modelgovNetViolations = violations;
