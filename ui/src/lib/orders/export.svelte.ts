// The CSV export of the filtered orders: one run at a time, its progress as pages are
// written, and the final report (row count and file) or an explained error.
import { cancelExport, exportOrdersCsv, toAppError } from '$lib/api';
import type { AppError } from '$lib/bindings/AppError';
import type { ExportProgress } from '$lib/bindings/ExportProgress';
import type { ExportReport } from '$lib/bindings/ExportReport';
import type { OrderFilter } from '$lib/bindings/OrderFilter';

export class ExportRunner {
  running = $state(false);
  cancelling = $state(false);
  progress = $state<ExportProgress | null>(null);
  report = $state<ExportReport | null>(null);
  error = $state<AppError | null>(null);
  #lastFilter: OrderFilter | null = null;

  /** Exports `filter` unless an export is running; a dismissed save dialog leaves no report. */
  async start(filter: OrderFilter): Promise<void> {
    if (this.running) {
      return;
    }
    this.#lastFilter = filter;
    this.running = true;
    this.cancelling = false;
    this.progress = null;
    this.report = null;
    this.error = null;
    try {
      this.report = await exportOrdersCsv(filter, (progress) => {
        this.progress = progress;
      });
    } catch (failure) {
      this.error = toAppError(failure);
    } finally {
      this.running = false;
      this.cancelling = false;
    }
  }

  /** Runs the last export again, after an error. */
  retry(): Promise<void> {
    return this.#lastFilter === null ? Promise.resolve() : this.start(this.#lastFilter);
  }

  async cancel(): Promise<void> {
    if (!this.running || this.cancelling) {
      return;
    }
    this.cancelling = true;
    try {
      await cancelExport();
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
