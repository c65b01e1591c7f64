import { isIP } from 'node:net';

/**
 * True for addresses only this machine can reach: `localhost` and loopback IP literals (127/8,
 * ::1, ::ffff:127/104). A host name that merely starts like one (`127.evil.example`) resolves
 * wherever its DNS says, so it is not loopback.
 */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost') return true;
  switch (isIP(h)) {
    case 4:
      return h.startsWith('127.');
    case 6:
      return h === '::1' || /^::ffff:127\./.test(h);
    default:
      return false;
  }
}
