// The history sync: one run at a time, its progress as WeChat bill days arrive, and a
// report or an explained error when it ends.
import { cancelSync, syncHistory, toAppError } from '$lib/api';
import type { AppError } from '$lib/bindings/AppError';
import type { SyncProgress } from '$lib/bindings/SyncProgress';
import type { SyncReport } from '$lib/bindings/SyncReport';

/** Days pulled by a sync; WeChat keeps bills downloadable for about three months. */
export const SYNC_DAYS = 30;

export class SyncRunner {
  running = $state(false);
  cancelling = $state(false);
  progress = $state<SyncProgress | null>(null);
  report = $state<SyncReport | null>(null);
  error = $state<AppError | null>(null);

  /** Starts a sync unless one is running; resolves when it ended, with or without success. */
  async start(days: number = SYNC_DAYS): Promise<void> {
    if (this.running) {
      return;
    }
    this.running = true;
    this.cancelling = false;
    this.progress = null;
    this.report = null;
    this.error = null;

    try {
      this.report = await syncHistory(days, (progress) => {
        this.progress = progress;
      });
    } catch (failure) {
      this.error = toAppError(failure);
    } finally {
      this.running = false;
      this.cancelling = false;
    }
  }

  async cancel(): Promise<void> {
    if (!this.running || this.cancelling) {
      return;
    }
    this.cancelling = true;
    try {
      await cancelSync();
    } catch (failure) {
      this.error = toAppError(failure);
      this.cancelling = false;
    }
  }

  dismiss(): void {
    this.report = null;
    this.error = null;
  }
}
