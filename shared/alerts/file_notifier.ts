import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Notifier } from './notifier';

/**
 * Appends each message as one JSON line to a local file: the default for local runs without a
 * Slack token, so alerts are visible (`tail -f`) and testable without any network.
 */
export function fileNotifier(path: string, now: () => Date = () => new Date()): Notifier {
  return {
    name: 'file',
    async send(message) {
      await mkdir(dirname(path), { recursive: true });
      const line = { sent_at: now().toISOString(), kind: message.kind, alert_ids: message.alertIds, text: message.text, blocks: message.blocks };
      await appendFile(path, `${JSON.stringify(line)}\n`, 'utf8');
    },
  };
}
