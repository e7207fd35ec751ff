// RFC 6238 TOTP (SHA-1, 6 digits, 30 s), as an authenticator app computes it from the key the enrolment page shows.
import { createHmac } from 'node:crypto';

function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    const v = alphabet.indexOf(c);
    if (v < 0) throw new Error(`not base32: ${c}`);
    bits += v.toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

export function totp(secret, seconds = Date.now() / 1000) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(seconds / 30)));
  const mac = createHmac('sha1', base32(secret)).update(counter).digest();
  const o = mac[mac.length - 1] & 0xf;
  const n = ((mac[o] & 0x7f) << 24) | (mac[o + 1] << 16) | (mac[o + 2] << 8) | mac[o + 3];
  return String(n % 1_000_000).padStart(6, '0');
}

// The server accepts each 30-second step once, and one step of clock skew. A user who enrolled a moment ago and
// logs in again gets the next step's code, as a phone whose clock runs a little ahead would give.
const lastStep = new Map();
export async function freshCode(secret) {
  const now = Math.floor(Date.now() / 1000 / 30);
  let step = Math.max(now, (lastStep.get(secret) ?? -1) + 1);
  if (step > now + 1) {
    await new Promise((r) => setTimeout(r, (step - 1) * 30_000 - Date.now() + 50));
    step = Math.max(step, Math.floor(Date.now() / 1000 / 30));
  }
  lastStep.set(secret, step);
  return totp(secret, step * 30);
}
