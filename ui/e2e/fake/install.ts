// Entry of the browser bundle that a Playwright run injects before the console loads:
// it routes every invoke of the built UI to the fake backend.
import { emit } from '@tauri-apps/api/event';
import { mockIPC } from '@tauri-apps/api/mocks';
import { FakeBackend, type FakeOptions } from './backend';

declare global {
  interface Window {
    __FAKE_OPTIONS__?: FakeOptions;
    __fake?: { backend: FakeBackend; emitImportBill: () => Promise<void> };
  }
}

const backend = new FakeBackend(window.__FAKE_OPTIONS__ ?? {});
mockIPC((command, args) => backend.handle(command, (args ?? {}) as Record<string, unknown>), {
  shouldMockEvents: true,
});
window.__fake = { backend, emitImportBill: () => emit('import-bill') };
