/** Where each engine lives on a Debian machine, and how it is started for tests. */
export const CHROMIUM_EXECUTABLE = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
];

export const WEBKITGTK_DRIVER = process.env.E2E_WEBKITGTK_DRIVER ?? '/usr/bin/WebKitWebDriver';
export const MINIBROWSER = process.env.E2E_MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
export const XVFB = process.env.E2E_XVFB ?? 'Xvfb';

/** Big enough for a 1280x800 viewport plus MiniBrowser's toolbar. */
export const XVFB_SCREEN = '1920x1200x24';
