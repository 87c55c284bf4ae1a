// Debian's chromium as the browser tests launch it: one place for its path
// and flags, so the three suites cannot drift apart.
import { chromium } from 'playwright-core';

const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
// playwright adds --headless and a fresh --user-data-dir of its own.
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

// WAIT bounds a navigation or a wait for an element.
export const WAIT = { timeout: 15_000 };

// launch starts chromium headless with the common flags and any others.
export function launch(...extraArgs) {
  return chromium.launch({ executablePath, headless: true, args: [...chromiumArgs, ...extraArgs] });
}
