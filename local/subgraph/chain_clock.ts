import { createHash } from 'node:crypto';

/** Ethereum-like chain time: a block every 12 s from a genesis block; hashes encode the number. */
export class ChainClock {
  static readonly BLOCK_SECONDS = 12;

  constructor(
    readonly genesisTime: number,
    readonly genesisBlock: number,
  ) {}

  /** The last block at or before unixSeconds. */
  blockAt(unixSeconds: number): number {
    return this.genesisBlock + Math.floor((unixSeconds - this.genesisTime) / ChainClock.BLOCK_SECONDS);
  }

  timeOf(block: number): number {
    return this.genesisTime + (block - this.genesisBlock) * ChainClock.BLOCK_SECONDS;
  }

  /** A deterministic 32-byte hash whose last 8 bytes are the block number, so it can be looked up. */
  hashOf(block: number): string {
    const digest = createHash('sha256').update(`dex-anomaly-local-chain:${block}`).digest('hex').slice(0, 48);
    return `0x${digest}${block.toString(16).padStart(16, '0')}`;
  }

  /** The block a hash names, or undefined for a hash this chain never produced. */
  blockOfHash(hash: string): number | undefined {
    const normalized = hash.toLowerCase();
    if (!/^0x[0-9a-f]{64}$/.test(normalized)) return undefined;
    const block = Number.parseInt(normalized.slice(50), 16);
    return this.hashOf(block) === normalized ? block : undefined;
  }
}
