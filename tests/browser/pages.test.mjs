// Communique in a real browser: a reader's path from the home page to an answer,
// screenshots of every page type at desktop and phone widths, accessibility (axe-core),
// and a clean run under the server's Content-Security-Policy.
//
// Starts the server binary on 127.0.0.1 with a fresh database (the bundled corpus is
// imported at start-up) and drives Debian's Chromium through playwright-core.
//   COMMUNIQUE_BIN  the binary (default: target/release, else target/debug)
//   CHROMIUM        the browser (default: /usr/bin/chromium)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const shots = join(root, 'artifacts', 'screenshots');
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

function binary() {
  if (process.env.COMMUNIQUE_BIN) return process.env.COMMUNIQUE_BIN;
  for (const profile of ['release', 'debug']) {
    const path = join(root, 'target', profile, 'communique');
    if (existsSync(path)) return path;
  }
  throw new Error('no communique binary: run cargo build first');
}

let server;
let base;
let work;
const contexts = [];

async function startServer() {
  work = mkdtempSync(join(tmpdir(), 'communique-browser-'));
  const child = spawn(binary(), ['serve', '--db', join(work, 'archive.db'), '--addr', '127.0.0.1:0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, RUST_LOG: 'info', NO_COLOR: '1' },
  });
  let log = '';
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 60_000);
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const m = log.match(/on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) { clearTimeout(timer); resolveUrl(m[1]); }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${log}`)));
  });
  for (let i = 0; i < 100; i++) {
    const r = await fetch(`${url}/healthz`).catch(() => null);
    if (r && r.ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url };
}

async function browserContext(options = {}) {
  const profile = mkdtempSync(join(work, 'profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    ignoreDefaultArgs: ['--enable-automation'],
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  contexts.push(context);
  return context;
}

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
  ({ child: server, url: base } = await startServer());
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  if (server) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

// One URL per page type, found by following the archive's own links.
async function pageTypes(page) {
  await page.goto(`${base}/forums/csto`);
  const statement = await page.locator('ol.statements a.title').first().getAttribute('href');
  await page.goto(`${base}${statement}`);
  const exchange = await page.locator('a.exchange-link').first().getAttribute('href', { timeout: 5000 });
  const speaker = await page.locator('dl.facts a[href^="/speakers/"]').first().getAttribute('href');
  return {
    home: '/',
    statements: '/statements',
    statement,
    exchange,
    speakers: '/speakers',
    speaker,
    forums: '/forums',
    forum: '/forums/csto',
    error: '/statements/no-such-statement',
  };
}

test('home -> CSTO forum -> statement -> an answer link brings the answer to the top', async () => {
  const context = await browserContext();
  const page = await context.newPage();
  await page.goto(base);
  await page.locator('a[href="/forums/csto"]').first().click();
  await page.waitForURL(`${base}/forums/csto`);
  assert.match(await page.locator('h1').innerText(), /CSTO/);
  await page.locator('ol.statements a.title').first().click();
  await page.waitForURL(/\/statements\/[^/]+$/);
  assert.match(await page.locator('h1').innerText(), /CSTO/);

  const answers = page.locator('nav.toc a.toc-answer');
  const count = await answers.count();
  assert.ok(count >= 2, `expected several answers in the contents, got ${count}`);
  // The last answer of the contents that the page can still scroll to the top (one near
  // the end of the page cannot reach it).
  const index = await page.evaluate(() => {
    const links = [...document.querySelectorAll('nav.toc a.toc-answer')];
    const room = (a) => {
      const el = document.getElementById(a.getAttribute('href').slice(1));
      return document.documentElement.scrollHeight - (el.getBoundingClientRect().top + scrollY);
    };
    return links.map(room).findLastIndex((r) => r >= innerHeight);
  });
  assert.ok(index >= 1, 'no answer beyond the first can reach the top');
  const link = answers.nth(index);
  const anchor = (await link.getAttribute('href')).slice(1);
  await link.click();
  await page.waitForFunction((a) => location.hash === `#${a}`, anchor);
  await page.waitForTimeout(200);
  const top = await page.evaluate((a) => document.getElementById(a).getBoundingClientRect().top, anchor);
  assert.ok(top >= 0 && top < 40, `#${anchor} should be at the top of the viewport, is at ${top}px`);

  // Its self-link is the permalink a reader copies; following it lands in the same place.
  const self = await page.locator(`#${anchor} a.self`).getAttribute('href');
  assert.equal(self, `#${anchor}`);
  await page.goto(`${page.url().split('#')[0]}#${anchor}`);
  await page.reload();
  await page.waitForTimeout(200);
  const again = await page.evaluate((a) => document.getElementById(a).getBoundingClientRect().top, anchor);
  assert.ok(again >= 0 && again < 40, `reloaded at #${anchor}, top is ${again}px`);
});

test('screenshots of every page type at 1280 and 375 px', async () => {
  const context = await browserContext();
  const page = await context.newPage();
  const types = await pageTypes(page);
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: width > 400 ? 900 : 740 });
    for (const [name, path] of Object.entries(types)) {
      await page.goto(`${base}${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name} at ${width}px scrolls sideways by ${overflow}px`);
      // The whole page, cut at 3000 px so long statements stay viewable.
      const height = await page.evaluate(() => Math.min(document.documentElement.scrollHeight, 3000));
      await page.screenshot({
        path: join(shots, `${name}-${width}.png`),
        fullPage: true,
        clip: { x: 0, y: 0, width, height },
      });
    }
  }
});

test('axe-core finds no serious or critical violations on any page type', async () => {
  // axe is injected as a script, which the page's CSP would rightly refuse.
  const context = await browserContext({ bypassCSP: true });
  const page = await context.newPage();
  const types = await pageTypes(page);
  const problems = [];
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [name, path] of Object.entries(types)) {
      await page.goto(`${base}${path}`);
      await page.addScriptTag({ content: axeSource });
      const { passes, violations } = await page.evaluate(async () => {
        const result = await window.axe.run(document);
        return { passes: result.passes.length, violations: result.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
        })) };
      });
      assert.ok(passes > 10, `${name}: axe checked only ${passes} rules`);
      for (const v of violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
        problems.push(`${name} (${scheme}): ${v.id} [${v.impact}] ${v.help} at ${v.nodes.join(', ')}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('under the enforced CSP no page logs an error or a policy violation', async () => {
  const context = await browserContext();
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const page = await context.newPage();
  const types = await pageTypes(page);
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  for (const [name, path] of Object.entries(types)) {
    const response = await page.goto(`${base}${path}`);
    const csp = response.headers()['content-security-policy'];
    assert.ok(csp && csp.includes("default-src 'self'") && !csp.includes('unsafe-inline'), `${name}: ${csp}`);
    // The stylesheet must have applied: the body uses the sans-serif interface font.
    const styled = await page.evaluate(() => getComputedStyle(document.querySelector('main')).maxWidth);
    assert.notEqual(styled, 'none', `${name}: stylesheet not applied`);
    const violations = await page.evaluate(() => window.__violations);
    assert.deepEqual(violations, [], `${name}: CSP violations`);
  }
  // The 404 page logs its status as a console error in Chromium; that one is expected.
  const unexpected = errors.filter((e) => !/status of 404/.test(e));
  assert.deepEqual(unexpected, []);
});
