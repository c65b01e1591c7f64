import { describe, expect, it } from 'vitest';
import { isLoopback } from '../server/loopback.js';

describe('isLoopback (what --proxy-passthrough loopback tunnels to, and which --host needs no warning)', () => {
  it.each(['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1', '[::ffff:127.0.0.1]'])('takes %s', (host) => {
    expect(isLoopback(host)).toBe(true);
  });

  // Host names that only look like loopback addresses resolve wherever their DNS says.
  it.each(['127.evil.example', '127.0.0.1.evil.example', '127.0.0.1.nip.io', '127.0.0.1x', '::ffff:127.evil.example', 'localhost.evil.example', '10.0.0.1', '0.0.0.0', '::', 'example.com', ''])('refuses %s', (host) => {
    expect(isLoopback(host)).toBe(false);
  });
});
