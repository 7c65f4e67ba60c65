import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks a presented API key in constant time: both sides are hashed first, so the comparison
 * takes the same time whatever the presented key's length or how much of it matches.
 */
export function apiKeyChecker(expected: string): (presented: string | undefined) => boolean {
  const want = sha256(expected);
  return (presented) => presented !== undefined && timingSafeEqual(sha256(presented), want);
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
