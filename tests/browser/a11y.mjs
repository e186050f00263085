// Accessibility tests of the citizen pages, in a real browser (Debian's Chromium).
//
// Why: the public administrations this platform serves must meet WCAG 2.1 AA (Legge 4/2004,
// AgID guidelines, EN 301 549), and the service is only usable if a citizen can file an
// application with a keyboard and a screen reader, on a desktop or a phone.
//
// What: against a running server (base URL in ISTANZE_URL, demo mode), the whole citizen path,
// once on a desktop viewport (1280x900) and once on a mobile one (360x740, touch):
//   - home page; the patrocinio service page, anonymous (login invitation); the login choice
//     with the SPID list open; the demo identity provider (first test citizen); its answer page;
//   - the patrocinio form: submitted empty, the error summary (#riepilogo-errori) must be
//     focused or focusable and link to existing ids; then filled ENTIRELY WITH THE KEYBOARD:
//     Tab from the top reaches the skip link, then every field in document order (no positive
//     tabindex, nothing unreachable), each with a visible focus indicator; text typed, dates
//     typed segment by segment, the select with the arrow keys, radios with Space and arrows
//     (a paid entrance reveals the conditional price field, which Tab must then reach in its
//     place), declarations ticked with Space, and the form sent with Enter on the submit button;
//     Enter in a text field must send it too (the form's first submit button must be the one
//     that sends, not "Aggiungi ...");
//   - the receipt, while the filing is pending (if it still is) and with the protocol number;
//     "Le mie domande";
//   - the multi-step concorso form: step 1 with errors ("Avanti" on empty fields), every step
//     filled (with the pointer), the summary (riepilogo), the submit and its receipt;
//   - a 404 error page, and the logout;
//   - the staff's area (/ufficio) after a demo operator's login, the queue to take, a case page
//     and the case taken in charge with the keyboard, then an integration request written with
//     the keyboard, and the logout;
//   - the citizen's application page with that request (what is asked, by when, the upload
//     form on the same page), the reply sent with a file from the keyboard, and the timeline.
// axe-core (tags wcag2a, wcag2aa, wcag21a, wcag21aa) runs on every page shown. The script exits
// 1, listing each violation (rule id, impact, help, target selectors, page URL), when axe finds
// any violation, a keyboard check fails, or the path cannot be completed.
//
// Run it with scripts/browser-tests.sh, which starts a demo server in a temporary directory.
// Environment: ISTANZE_URL (required), CHROMIUM (default /usr/bin/chromium), A11Y_SCREENSHOTS
// (a directory for a full-page screenshot of every checked page, to look at).

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const FORMS = fileURLToPath(new URL("../../forms/", import.meta.url));
const BASE = (process.env.ISTANZE_URL || "").replace(/\/+$/, "");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SHOTS = process.env.A11Y_SCREENSHOTS || ""; // a directory: a full-page PNG of each checked page
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const DEMO_CITIZEN = "RSSMRA85T10A562S"; // the first test citizen of the demo IdP
const DEMO_STAFF = "MRNLRA82C53L219U"; // the demo IdP's office operator (Laura Marino)
const DEMO_RECORDS_MANAGER = "RCCSRA86E55L219B"; // the demo IdP's records manager (Sara Ricci)

const VIEWPORTS = [
  { name: "desktop", viewport: { width: 1280, height: 900 } },
  { name: "mobile", viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
];

if (!BASE) {
  console.error("a11y: set ISTANZE_URL to the server's base URL, e.g. http://127.0.0.1:8080");
  process.exit(2);
}

const violations = []; // { viewport, page, url, id, impact, help, helpUrl, targets }
const problems = []; // keyboard or path problems: { viewport, page, url, message }
const notes = []; // what a person would notice, short of failing the run
const review = new Map(); // axe "incomplete" results (needs a human look): rule and reason -> pages
let pagesChecked = 0;

// --- helpers ----------------------------------------------------------------------------

/** A check that is not an axe rule: recorded, reported at the end, and fails the run. */
function problem(ctx, page, message) {
  problems.push({ viewport: ctx.name, page: ctx.step, url: short(page.url()), message });
  console.log(`  PROBLEM: ${message}`);
}

/** Something worth telling that is not an accessibility failure. */
function note(ctx, page, message) {
  notes.push({ viewport: ctx.name, page: ctx.step, url: short(page.url()), message });
  console.log(`  NOTE: ${message}`);
}

/** A URL for messages: the SAML query strings are long and say nothing here. */
function short(url) {
  return url.length > 100 ? `${url.slice(0, 97)}...` : url;
}

function check(ctx, page, ok, message) {
  if (!ok) problem(ctx, page, message);
  return ok;
}

/** Runs axe-core on the page as it is now and records its violations. */
async function axe(ctx, page, label) {
  ctx.step = label;
  await page.waitForLoadState("load");
  for (let attempt = 0; ; attempt++) {
    try {
      await page.addScriptTag({ path: AXE });
      const result = await page.evaluate(
        (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations", "incomplete"] }),
        TAGS,
      );
      pagesChecked++;
      if (SHOTS) {
        const file = `${SHOTS}/${String(pagesChecked).padStart(2, "0")}-${ctx.name}-${label.replace(/[^a-z0-9]+/gi, "-")}.png`;
        await page.screenshot({ path: file, fullPage: true });
      }
      for (const v of result.incomplete) {
        for (const n of v.nodes) {
          const reason = (n.any[0] || n.all[0] || n.none[0] || {}).message || v.help;
          const key = `${v.id}: ${reason}`;
          const r = review.get(key) || new Set();
          r.add(`${label} (${n.target.join(" ")})`);
          review.set(key, r);
        }
      }
      const found = result.violations;
      console.log(`[${ctx.name}] ${label} (${short(page.url())}): ${found.length ? `${found.length} violation(s)` : "ok"}`);
      for (const v of found) {
        const targets = v.nodes.map((n) => n.target.join(" "));
        violations.push({ viewport: ctx.name, page: label, url: short(page.url()), id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, targets });
        console.log(`  ${v.id} (${v.impact}): ${v.help}\n    ${targets.join("\n    ")}`);
      }
      return;
    } catch (e) {
      // The pending receipt refreshes itself: run again on the new document.
      if (attempt < 2 && /context was destroyed|navigat/i.test(String(e))) {
        await page.waitForLoadState("load");
        continue;
      }
      throw e;
    }
  }
}

/** Goes to a path of the server and waits for the page. */
async function visit(page, path) {
  return page.goto(BASE + path, { waitUntil: "load" });
}

/** Clicks and waits for the navigation the click starts. */
async function clickAndWait(page, locator) {
  await Promise.all([page.waitForEvent("load"), locator.click()]);
}

async function expectPath(ctx, page, pattern, what) {
  const path = new URL(page.url()).pathname;
  if (!pattern.test(path)) throw new Error(`${what}: expected a URL matching ${pattern}, got ${page.url()}`);
}

function schemaAt(form, pointer) {
  let s = form.schema;
  for (const part of pointer.split("/").slice(1)) s = s.properties[part];
  if (!s) throw new Error(`${form.id}: no field ${pointer}`);
  return s;
}

/** The value of option `index` of a choice field, as written in the form definition. */
function option(form, pointer, index) {
  const s = schemaAt(form, pointer);
  const values = (s.oneOf || []).map((o) => o.const).concat(s.enum || []);
  if (values[index] === undefined) throw new Error(`${form.id}: ${pointer} has no option ${index}`);
  return String(values[index]);
}

/** The declarations (boolean, const true) of a section: the checkboxes to tick. */
function declarations(form, section) {
  const props = schemaAt(form, section).properties;
  return Object.keys(props).filter((k) => props[k].const === true).map((k) => `${section}/${k}`);
}

function isoDate(daysFromToday) {
  const d = new Date(Date.now() + daysFromToday * 86400000);
  return d.toISOString().slice(0, 10);
}

/**
 * Chromium lays out <input type=date> segments in the order of its UI locale, and the keyboard
 * types them in that order: find it once on a scratch page.
 */
async function dateOrder(context) {
  const page = await context.newPage();
  try {
    for (const order of ["dmy", "mdy", "ymd"]) {
      await page.setContent('<input type="date" id="d">');
      await page.focus("#d");
      await page.keyboard.type(digitsForDate("2003-11-25", order));
      if ((await page.inputValue("#d")) === "2003-11-25") return order;
    }
    throw new Error("cannot type into a date input with the keyboard");
  } finally {
    await page.close();
  }
}

function digitsForDate(iso, order) {
  const [y, m, d] = iso.split("-");
  return order.split("").map((c) => ({ d, m, y })[c]).join("");
}

/** The focused element, described for messages and checks. */
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    return {
      tag: el.tagName.toLowerCase(),
      type: el.type || "",
      name: el.getAttribute("name") || "",
      id: el.id,
      value: el.value ?? "",
      readOnly: !!el.readOnly,
      checked: !!el.checked,
      text: (el.innerText || el.textContent || "").trim().slice(0, 60),
    };
  });
}

function describe(f) {
  if (!f) return "nothing (body)";
  return `<${f.tag}${f.type ? ` type=${f.type}` : ""}${f.name ? ` name=${f.name}` : ""}${f.id ? ` id=${f.id}` : ""}>${f.text ? ` "${f.text}"` : ""}`;
}

/**
 * Whether the focused element shows that it has focus: a screenshot of it (and its label, where
 * Bootstrap Italia draws the focus ring of checkboxes and radios) with focus must differ from
 * one without. Focus is put back afterwards.
 */
async function focusVisible(page) {
  const box = await page.evaluate(async () => {
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const el = document.activeElement;
    const rects = [el.getBoundingClientRect()];
    for (const l of el.labels || []) rects.push(l.getBoundingClientRect());
    const pad = 8;
    const r = rects.filter((x) => x.width > 0 && x.height > 0);
    const x0 = Math.max(0, Math.min(...r.map((x) => x.left)) - pad);
    const y0 = Math.max(0, Math.min(...r.map((x) => x.top)) - pad);
    const x1 = Math.min(window.innerWidth, Math.max(...r.map((x) => x.right)) + pad);
    const y1 = Math.min(window.innerHeight, Math.max(...r.map((x) => x.bottom)) + pad);
    return { x: x0, y: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) };
  });
  const withFocus = await page.screenshot({ clip: box, animations: "disabled" });
  await page.evaluate(() => {
    window.__a11yFocused = document.activeElement;
    document.activeElement.blur();
  });
  const without = await page.screenshot({ clip: box, animations: "disabled" });
  await page.evaluate(() => {
    window.__a11yFocused.focus({ preventScroll: true });
    delete window.__a11yFocused;
  });
  return !withFocus.equals(without);
}

/** Presses Tab until focus leaves the current element (dates have several stops inside). */
async function tabOut(page) {
  const start = await page.evaluateHandle(() => document.activeElement);
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press("Tab");
    const moved = await page.evaluate((s) => document.activeElement !== s, start);
    if (moved) return focused(page);
  }
  return focused(page);
}

// --- the error summary ------------------------------------------------------------------

/** The error summary is there, has focus (or can take it) and links to fields that exist. */
async function checkErrorSummary(ctx, page) {
  const summary = page.locator("#riepilogo-errori");
  if (!check(ctx, page, (await summary.count()) === 1, "the error summary #riepilogo-errori is missing")) return;
  const info = await summary.evaluate((el) => ({
    focused: document.activeElement === el,
    tabindex: el.getAttribute("tabindex"),
    links: [...el.querySelectorAll("a")].map((a) => {
      const href = a.getAttribute("href") || "";
      const id = href.startsWith("#") ? decodeURIComponent(href.slice(1)) : null;
      const target = id && document.getElementById(id);
      return { href, text: a.textContent.trim(), exists: !!target, control: !!target && target.matches("input, select, textarea, fieldset") };
    }),
  }));
  check(ctx, page, info.focused || info.tabindex !== null, "the error summary is neither focused nor focusable");
  check(ctx, page, info.focused, "the error summary does not receive focus when the page loads");
  check(ctx, page, info.links.length > 0, "the error summary has no links to the fields");
  for (const l of info.links) {
    check(ctx, page, l.exists, `error summary link "${l.text}" points to ${l.href}, which is not an element id of the page`);
    if (l.exists) check(ctx, page, l.control, `error summary link "${l.text}" points to ${l.href}, which is not a field or fieldset`);
  }
  // Following a link with the keyboard puts the focus on its field.
  const firstLink = summary.locator("a").first();
  if (info.links.length && info.links[0].exists) {
    await firstLink.focus();
    await page.keyboard.press("Enter");
    const target = info.links[0].href.slice(1);
    await page.waitForFunction((id) => document.activeElement && document.activeElement.id === id, target, { timeout: 2000 }).catch(() => {});
    const now = await focused(page);
    check(ctx, page, now && now.id === target, `Enter on the error summary link "${info.links[0].text}" leaves the focus on ${describe(now)}, not on #${target}`);
  }
  console.log(`  error summary: ${info.links.length} link(s), focused=${info.focused}`);
}

// --- login -------------------------------------------------------------------------------

/** From the service page of a form to the filled-in form, through the demo SPID IdP. */
async function login(ctx, page, formId) {
  await visit(page, `/servizi/${formId}`);
  await axe(ctx, page, `service page ${formId} (anonymous)`);
  await clickAndWait(page, page.getByRole("link", { name: "Accedi per compilare la domanda" }));
  await expectPath(ctx, page, /^\/accedi$/, "login choice");
  await axe(ctx, page, "login choice");
  await page.locator("details.spid-button > summary").click(); // "Entra con SPID"
  await page.getByRole("link", { name: "Identity provider dimostrativo" }).waitFor();
  await axe(ctx, page, "login choice, SPID list open");
  await clickAndWait(page, page.getByRole("link", { name: "Identity provider dimostrativo" }));
  await expectPath(ctx, page, /^\/demo-idp\/sso$/, "demo IdP");
  await axe(ctx, page, "demo IdP: test citizens");
  const citizen = page.getByRole("radio", { name: new RegExp(DEMO_CITIZEN) });
  await citizen.check();
  // The answer page posts itself with istanze.js; hold the script back to check that page too,
  // then continue as a browser without JavaScript would, with its button.
  await page.route("**/static/istanze.js", (route) => route.abort());
  await clickAndWait(page, page.getByRole("button", { name: "Accedi come questo cittadino" }));
  await axe(ctx, page, "demo IdP: return to the service");
  await page.unroute("**/static/istanze.js");
  await clickAndWait(page, page.getByRole("button", { name: "Continua" }));
  await page.waitForURL((u) => u.pathname.startsWith(`/servizi/${formId}`));
}

// --- patrocinio: one page, keyboard --------------------------------------------------------

/**
 * The focused control of the main form and the one Tab should reach next, from the live page:
 * the form's visible, enabled controls in document order, a radio group being one stop (its
 * checked radio, else its first). Conditional blocks shown or hidden by istanze.js are followed.
 */
async function tabStops(page) {
  return page.evaluate(() => {
    const form = document.querySelector("main form[enctype]");
    const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
    const all = [...form.querySelectorAll("input, select, textarea, button")].filter(
      (el) => el.type !== "hidden" && !el.disabled && el.tabIndex >= 0 && visible(el),
    );
    const stops = all.filter((el) => {
      if (el.type !== "radio") return true;
      const group = all.filter((o) => o.type === "radio" && o.name === el.name);
      const checked = group.find((o) => o.checked);
      return checked ? el === checked : el === group[0];
    });
    const key = (el) => (el.type === "radio" ? `radio ${el.name}` : el.id ? `#${el.id}` : `${el.tagName} ${el.name} ${el.value} ${el.textContent.trim()}`);
    const info = (el) => el && { key: key(el), tag: el.tagName.toLowerCase(), type: el.type, name: el.getAttribute("name") || "", text: el.textContent.trim() };
    const cur = document.activeElement;
    const at = stops.findIndex((el) => key(el) === (form.contains(cur) ? key(cur) : null));
    return { current: info(form.contains(cur) ? cur : null), first: info(stops[0]), next: at >= 0 ? info(stops[at + 1]) : null };
  });
}

async function patrocinio(ctx, page, dateFormat) {
  const form = JSON.parse(readFileSync(`${FORMS}patrocinio.json`, "utf8"));
  await login(ctx, page, "patrocinio");
  await expectPath(ctx, page, /^\/servizi\/patrocinio$/, "patrocinio form");
  await axe(ctx, page, "patrocinio form");

  // Sent empty: the page comes back with the error summary.
  await clickAndWait(page, page.getByRole("button", { name: "Invia la domanda" }));
  ctx.step = "patrocinio with errors";
  await checkErrorSummary(ctx, page);
  await axe(ctx, page, "patrocinio form with errors");

  // A fresh form, filled with the keyboard only.
  await visit(page, "/servizi/patrocinio");
  ctx.step = "patrocinio, keyboard";
  const values = {
    "/richiedente/telefono": "06 1234567",
    "/richiedente/qualita": option(form, "/richiedente/qualita", 0), // persona: no organisation
    "/evento/titolo": "Festa del libro",
    "/evento/tipologia": option(form, "/evento/tipologia", 0),
    "/evento/data_inizio": isoDate(60),
    "/evento/data_fine": isoDate(61),
    "/evento/luogo": "Piazza Garibaldi, Esempio",
    "/evento/descrizione": "Rassegna di libri di autori del territorio, con letture aperte a tutti.",
    "/evento/partecipanti_previsti": "150",
    "/evento/ingresso": option(form, "/evento/ingresso", 1), // chosen with the arrow keys
    "/evento/prezzo": "5", // asked only for a paid entrance
  };
  for (const d of declarations(form, "/dichiarazioni")) values[d] = "true";
  await keyboardFill(ctx, page, values, dateFormat, "Invia la domanda");
  await refusedAnswers(page, "patrocinio");
  await page.waitForURL((u) => u.pathname.startsWith("/domande/"), { timeout: 15000 });
  await receipt(ctx, page, "patrocinio");
}

/** Stops the path when the server showed the form again with errors: the answers need fixing. */
async function refusedAnswers(page, what) {
  if (await page.locator("#riepilogo-errori").count()) {
    const errors = await page.locator("#riepilogo-errori li").allInnerTexts();
    throw new Error(`${what}: the server refused the answers: ${errors.join("; ")}`);
  }
}

/**
 * Enter in a text field submits the form with its default button, the first submit button in
 * document order: that must be the one that sends the form (or goes on), not another action.
 */
async function checkDefaultButton(ctx, page, submitLabel) {
  const defaultButton = await page.evaluate(() => {
    const b = document.querySelector("main form[enctype]").querySelector("button:not([type=button]):not([type=reset]), input[type=submit]");
    return b && (b.textContent || b.value).trim();
  });
  check(ctx, page, defaultButton === submitLabel, `Enter in a text field does not send the form: the first submit button of the form is "${defaultButton}", not "${submitLabel}"`);
}

/**
 * From the top of the page: Tab to the skip link, follow it, then Tab through every control of
 * the form, checking that each comes in document order with a visible focus indicator, and fill
 * `values` with keys only; Enter on the submit button at the end.
 */
async function keyboardFill(ctx, page, values, dateFormat, submitLabel) {
  await checkDefaultButton(ctx, page, submitLabel);
  await page.evaluate(() => {
    if (document.activeElement) document.activeElement.blur();
    window.scrollTo(0, 0);
  });
  await page.keyboard.press("Tab");
  let f = await focused(page);
  if (check(ctx, page, f && f.tag === "a" && /contenuto/i.test(f.text), `the first Tab stop is ${describe(f)}, not the skip link`)) {
    check(ctx, page, await page.evaluate(() => document.activeElement.getBoundingClientRect().width > 1), "the skip link stays invisible when focused");
    await page.keyboard.press("Enter");
    // The fragment navigation lands after the key event: waited for, within 5 s.
    const landed = await page.waitForURL((u) => u.hash === "#contenuto", { timeout: 5000 }).then(() => true, () => false);
    check(ctx, page, landed, "the skip link does not lead to #contenuto within 5 s");
  }
  // The first field: Tab from the start of the main content; anything before it is reported.
  const { first } = await tabStops(page);
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press("Tab");
    f = await focused(page);
    if (f && f.name.startsWith("/")) break;
    console.log(`  Tab stop before the first field: ${describe(f)}`);
  }
  let stops = await tabStops(page);
  if (!stops.current || stops.current.key !== first.key) {
    throw new Error(`Tab from the skip link does not reach the first field ${first.name}: focus is on ${describe(f)}`);
  }
  const trace = [];
  for (let count = 0; count < 200; count++) {
    const control = stops.current;
    trace.push(control.tag === "button" ? `[${control.text}]` : control.name);
    f = await focused(page);
    if (!(await focusVisible(page))) problem(ctx, page, `no visible focus indicator on ${describe(f)}`);
    if (control.tag === "button") {
      if (control.text === submitLabel) {
        console.log(`  keyboard: ${count + 1} tab stops in order, sent with Enter on "${submitLabel}":\n    ${trace.join(" > ")}`);
        await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);
        return;
      }
    } else if (f.readOnly) {
      check(ctx, page, f.value !== "", `${control.name} is read-only but empty`);
    } else if (values[control.name] !== undefined) {
      await keyboardSet(ctx, page, control, values[control.name], dateFormat);
    }
    // Where Tab must go, now that the answer may have shown or hidden a conditional block.
    const expected = (await tabStops(page)).next;
    if (!expected) throw new Error(`the submit button "${submitLabel}" was not reached with Tab`);
    f = await tabOut(page);
    stops = await tabStops(page);
    if (!stops.current || stops.current.key !== expected.key) {
      const label = (c) => (c.tag === "button" ? `the button "${c.text}"` : c.name);
      problem(ctx, page, `focus order: after ${label(control)}, Tab should reach ${label(expected)}, it reached ${describe(f)}`);
      throw new Error("the keyboard path is broken; see the problem above");
    }
  }
  throw new Error("too many tab stops in the form");
}

/** Sets the focused control to `want` with keys only. */
async function keyboardSet(ctx, page, control, want, dateFormat) {
  const kb = page.keyboard;
  switch (control.type) {
    case "radio": {
      // Tab lands on the first radio of a group with none checked: Space ticks it, each arrow
      // key press moves to and ticks the next one.
      await kb.press("Space");
      for (let i = 0; i < 10; i++) {
        const f = await focused(page);
        if (f.checked && f.value === want) break;
        await kb.press("ArrowDown");
      }
      break;
    }
    case "checkbox":
      await kb.press("Space");
      break;
    case "select-one":
      for (let i = 0; i < 20; i++) {
        if ((await focused(page)).value === want) break;
        await kb.press("ArrowDown");
      }
      break;
    case "date":
      await kb.type(digitsForDate(want, dateFormat));
      break;
    case "file":
      return;
    default:
      await kb.type(want);
  }
  const f = await focused(page);
  const got = control.type === "checkbox" ? String(f.checked) : f.value;
  check(ctx, page, got === want && (control.type !== "radio" || f.checked), `typing into ${control.name} gave "${got}", not "${want}"`);
}

// --- receipt, my applications ---------------------------------------------------------------

async function receipt(ctx, page, formId) {
  await expectPath(ctx, page, /^\/domande\/[0-9a-f-]+$/, `${formId} receipt`);
  // While the filing is pending the receipt reloads itself every few seconds; check it as it is
  // then too, when the protocol number is not there yet.
  if (await page.getByText("protocollazione in corso").count()) await axe(ctx, page, `${formId} receipt, filing pending`);
  const filed = page.getByText("Domanda protocollata");
  try {
    await filed.waitFor({ timeout: 15000 });
  } catch {
    note(ctx, page, `${formId}: no protocol number on the receipt after 15 s`);
  }
  await axe(ctx, page, `${formId} receipt`);
}

// --- concorso: several steps ---------------------------------------------------------------

/** Fills fields by their name (the JSON pointer), with the mouse and page.fill. */
async function fillByName(ctx, page, values) {
  for (const [name, value] of Object.entries(values)) {
    const controls = page.locator(`main form [name="${name}"]:not([type=hidden])`);
    if ((await controls.count()) === 0) throw new Error(`${page.url()}: no field named ${name}`);
    const first = controls.first();
    const kind = await first.evaluate((el) => el.type || el.tagName.toLowerCase());
    if (kind === "radio" || kind === "checkbox") {
      // Bootstrap Italia draws the box on the label: click that, as a pointer user does.
      const input = kind === "radio" ? page.locator(`main form [name="${name}"][value="${value}"]`) : first;
      if (!(await input.isChecked())) await page.locator(`label[for="${await input.getAttribute("id")}"]`).click();
      check(ctx, page, await input.isChecked(), `clicking the label of ${name} did not tick it`);
    } else if (kind === "select-one") await first.selectOption(value);
    else if (await first.evaluate((el) => el.readOnly)) {
      check(ctx, page, (await first.inputValue()) !== "", `${name} is read-only but empty`);
    } else await first.fill(value);
  }
}

async function concorso(ctx, page) {
  const form = JSON.parse(readFileSync(`${FORMS}concorso.json`, "utf8"));
  const steps = form.pages;
  // What each step asks for (see forms/concorso.json); the verified identity fills the rest.
  const answers = {
    concorso: { "/concorso/codice": option(form, "/concorso/codice", 0) },
    anagrafica: {
      "/anagrafica/data_nascita": "1985-12-10",
      "/anagrafica/luogo_nascita": "Roma",
      "/anagrafica/cittadinanza": option(form, "/anagrafica/cittadinanza", 0),
    },
    residenza: {
      "/residenza/indirizzo": "Via Roma 1",
      "/residenza/cap": "00100",
      "/residenza/comune": "Roma",
      "/residenza/provincia": "RM",
    },
    recapiti: { "/recapiti/email": "mario.rossi@example.it", "/recapiti/telefono": "333 1234567" },
    titolo_studio: {
      "/titolo_studio/tipo": option(form, "/titolo_studio/tipo", 0),
      "/titolo_studio/descrizione": "Diploma di ragioneria",
      "/titolo_studio/istituto": "ITC Leonardo da Vinci, Roma",
      "/titolo_studio/anno": "2004",
      "/titolo_studio/voto": "85/100",
    },
    requisiti: Object.fromEntries(declarations(form, "/requisiti").map((d) => [d, "true"])),
    riserve: { "/riserve/categoria_riservataria": option(form, "/riserve/categoria_riservataria", 0) },
    allegati: {},
    privacy: Object.fromEntries(declarations(form, "/privacy").map((d) => [d, "true"])),
  };

  // Already logged in: the service page opens the first step. A draft left by an earlier run
  // (the same test citizen) is discarded first, so that step 1 starts empty.
  await visit(page, "/servizi/concorso");
  const csrf = await page.locator('main form input[name="_csrf"]').first().inputValue();
  await page.request.post(`${BASE}/servizi/concorso/bozza/elimina`, { form: { _csrf: csrf } });
  await visit(page, "/servizi/concorso");
  await expectPath(ctx, page, /^\/servizi\/concorso\/passo\/1$/, "concorso step 1");
  await axe(ctx, page, "concorso step 1");
  await clickAndWait(page, page.getByRole("button", { name: "Avanti" }));
  ctx.step = "concorso step 1 with errors";
  await checkErrorSummary(ctx, page);
  await axe(ctx, page, "concorso step 1 with errors");

  for (let n = 1; n <= steps.length; n++) {
    await expectPath(ctx, page, new RegExp(`^/servizi/concorso/passo/${n}$`), `concorso step ${n}`);
    if (n > 1) await axe(ctx, page, `concorso step ${n}`);
    ctx.step = `concorso step ${n}`;
    for (const section of steps[n - 1].sections) await fillByName(ctx, page, answers[section] || {});
    const next = n < steps.length ? "Avanti" : "Controlla e invia";
    await checkDefaultButton(ctx, page, next);
    await clickAndWait(page, page.getByRole("button", { name: next, exact: true }));
    await refusedAnswers(page, `concorso step ${n}`);
  }
  await expectPath(ctx, page, /^\/servizi\/concorso\/riepilogo$/, "concorso summary");
  await axe(ctx, page, "concorso summary (riepilogo)");
  await clickAndWait(page, page.getByRole("button", { name: "Invia la domanda" }));
  await receipt(ctx, page, "concorso");
}

// --- the whole path ----------------------------------------------------------------------

async function path(ctx, page, dateFormat) {
  await visit(page, "/");
  await axe(ctx, page, "home (anonymous)");

  await patrocinio(ctx, page, dateFormat);

  await clickAndWait(page, page.getByRole("navigation", { name: "Menu principale" }).getByRole("link", { name: "Le mie domande" }));
  await expectPath(ctx, page, /^\/domande$/, "my applications");
  await axe(ctx, page, "le mie domande");

  await concorso(ctx, page);

  await visit(page, "/domande");
  await axe(ctx, page, "le mie domande (two applications)");
  await visit(page, "/");
  await axe(ctx, page, "home (logged in)");

  // The same pages in English (the switch is remembered in a cookie), with the form's errors.
  await visit(page, "/?lang=en");
  ctx.step = "home (English)";
  check(ctx, page, (await page.getAttribute("html", "lang")) === "en", "?lang=en did not give an English page");
  await axe(ctx, page, "home (English)");
  await visit(page, "/servizi/patrocinio");
  await axe(ctx, page, "patrocinio form (English)");
  await clickAndWait(page, page.getByRole("button", { name: "Send the application" }));
  await axe(ctx, page, "patrocinio form with errors (English)");
  check(ctx, page, (await page.locator("#riepilogo-errori").count()) === 1, "no error summary in English");
  await visit(page, "/domande");
  await axe(ctx, page, "my applications (English)");
  await visit(page, "/servizi/does-not-exist");
  await axe(ctx, page, "error page (English)");
  await visit(page, "/?lang=it");

  const missing = await visit(page, "/servizi/does-not-exist");
  ctx.step = "error page";
  check(ctx, page, missing.status() === 404, `/servizi/does-not-exist answered ${missing.status()}, not 404`);
  await axe(ctx, page, "error page (404)");

  if ((await page.getByRole("button", { name: "Esci" }).count()) === 0) {
    note(ctx, page, "the error page shows the header of an anonymous visitor (Accedi) to a logged-in citizen");
  }

  // Logout from a page of the logged-in citizen: Esci, then SAML single logout with the demo IdP.
  await visit(page, "/domande");
  await clickAndWait(page, page.getByRole("button", { name: "Esci" }));
  await page.waitForLoadState("load");
  ctx.step = "after logout";
  check(ctx, page, (await page.getByRole("link", { name: "Accedi", exact: true }).count()) > 0, "after Esci the header still shows a logged-in citizen");
  await axe(ctx, page, "after logout");

  await staffArea(ctx, page);
}

// --- the staff's area ----------------------------------------------------------------------

/** A demo member of staff logs in to /ufficio through the same demo SPID IdP, and out again. */
async function staffArea(ctx, page) {
  ctx.step = "staff login";
  await visit(page, "/accedi?next=/ufficio&level=2");
  await page.locator("details.spid-button > summary").click();
  await clickAndWait(page, page.getByRole("link", { name: "Identity provider dimostrativo" }));
  await expectPath(ctx, page, /^\/demo-idp\/sso$/, "demo IdP (staff)");
  // As a keyboard user chooses a radio: focus it, then Space (the Bootstrap Italia label lies
  // over the input, so a pointer click lands on the label, which is what a person clicks).
  const staff = page.getByRole("radio", { name: new RegExp(DEMO_STAFF) });
  await staff.focus();
  await page.keyboard.press("Space");
  check(ctx, page, await staff.isChecked(), "Space on the demo operator's radio did not choose it");
  await clickAndWait(page, page.getByRole("button", { name: "Accedi come questo cittadino" }));
  await page.waitForURL((u) => u.pathname === "/ufficio");
  ctx.step = "staff area";
  check(ctx, page, (await page.getByRole("heading", { level: 1, name: "Area del personale" }).count()) === 1, "the staff area has no heading \"Area del personale\"");
  await axe(ctx, page, "staff area");
  // The queue of applications to take (the citizen's applications of this path are there),
  // a case page, and the case page after taking it in charge with the keyboard.
  ctx.step = "staff queue";
  await visit(page, "/ufficio/domande");
  await axe(ctx, page, "staff queue: to take");
  // A bulk action with the keyboard: tick an application, choose the action, write the label.
  ctx.step = "bulk action";
  const tick = page.getByRole("checkbox", { name: /^Scegli la domanda/ }).first();
  if (check(ctx, page, (await tick.count()) === 1, "the queue has no box to choose an application")) {
    await tick.focus();
    await page.keyboard.press("Space");
    check(ctx, page, await tick.isChecked(), "Space on the application's box did not tick it");
    await page.locator("#azione").selectOption("aggiungi-etichetta");
    await page.locator("#azione-etichetta").focus();
    await page.keyboard.type("da-verificare");
    await page.getByRole("button", { name: "Esegui sulle domande scelte" }).focus();
    await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);
    check(ctx, page, (await page.getByText("1 domanda fatta, 0 non fatte.", { exact: true }).count()) === 1, "the bulk action does not say it labelled the application");
    await axe(ctx, page, "bulk action results");
    await visit(page, "/ufficio/domande");
  }
  // API credentials: the page, and a personal token made with the keyboard.
  ctx.step = "API credentials";
  await visit(page, "/ufficio/credenziali");
  await axe(ctx, page, "API credentials");
  await page.getByLabel("Nome", { exact: true }).focus();
  await page.keyboard.type("Gestionale");
  const role = page.getByRole("checkbox", { name: "Operatore d'ufficio" });
  if (check(ctx, page, (await role.count()) === 1, "the credentials page offers no role of the operator")) {
    await role.focus();
    await page.keyboard.press("Space");
    await page.getByRole("button", { name: "Crea la credenziale" }).focus();
    await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);
    check(ctx, page, (await page.getByText("Credenziale creata.", { exact: false }).count()) === 1, "the credential is not shown as made");
    await axe(ctx, page, "API credential made");
  }
  ctx.step = "staff queue";
  await visit(page, "/ufficio/domande");
  const first = page.locator('a[href^="/ufficio/domande/"]').first();
  if (check(ctx, page, (await first.count()) === 1, "the queue to take lists none of the applications just filed")) {
    await clickAndWait(page, first);
    ctx.step = "case page";
    await axe(ctx, page, "case page");
    const start = page.getByRole("radio", { name: "Presa in carico e avvio del procedimento" });
    await start.focus();
    await page.keyboard.press("Space");
    await page.getByRole("button", { name: "Registra" }).focus();
    await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);
    check(ctx, page, (await page.getByText("Presa in carico", { exact: true }).count()) > 0, "after Registra the case is not taken in charge");
    await axe(ctx, page, "case page, taken in charge");
    caseId = new URL(page.url()).pathname.split("/").pop();
    // An integration request, written with the keyboard: the radio, then the items' textarea.
    ctx.step = "integration request";
    const ask = page.getByRole("radio", { name: "Richiesta di integrazione" });
    await ask.focus();
    await page.keyboard.press("Space");
    await page.getByLabel("Che cosa deve inviare il cittadino (una voce per riga)").focus();
    await page.keyboard.type("Programma dell'evento firmato");
    await page.getByRole("button", { name: "Registra" }).focus();
    await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);
    check(ctx, page, (await page.getByText("In attesa di integrazione", { exact: true }).count()) > 0, "after the integration request the case does not wait for the citizen");
    await axe(ctx, page, "case page, integration requested");
  }
  await clickAndWait(page, page.getByRole("button", { name: "Esci" }));
  await page.waitForLoadState("load");
  if (caseId) await citizenReply(ctx, page, caseId);
  if (caseId) await recordsManager(ctx, page, caseId);
}

/** The records manager opens a registration from the case page and annuls it, by keyboard. */
async function recordsManager(ctx, page, id) {
  ctx.step = "records manager login";
  await visit(page, `/accedi?next=/ufficio/domande/${id}&level=2`);
  await page.locator("details.spid-button > summary").click();
  await clickAndWait(page, page.getByRole("link", { name: "Identity provider dimostrativo" }));
  const who = page.getByRole("radio", { name: new RegExp(DEMO_RECORDS_MANAGER) });
  await who.focus();
  await page.keyboard.press("Space");
  await clickAndWait(page, page.getByRole("button", { name: "Accedi come questo cittadino" }));
  await page.waitForURL((u) => u.pathname === `/ufficio/domande/${id}`);
  ctx.step = "registration page";
  const link = page.locator('a[href^="/ufficio/registrazioni/"]').first();
  if (check(ctx, page, (await link.count()) === 1, "the case page links no registration for the records manager")) {
    await clickAndWait(page, link);
    await axe(ctx, page, "registration page");
    await page.getByLabel("Atto che autorizza l'annullamento").focus();
    await page.keyboard.type("Provvedimento n. 1/2026");
    await page.getByLabel("Motivo", { exact: true }).focus();
    await page.keyboard.type("Prova di annullamento");
    const confirm = page.getByRole("checkbox", { name: /Confermo di annullare/ });
    await confirm.focus();
    await page.keyboard.press("Space");
    await page.getByRole("button", { name: "Annulla la registrazione" }).focus();
    await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);
    check(ctx, page, (await page.getByText("Annullamento registrato.", { exact: true }).count()) === 1, "the annulment is not confirmed on the page");
    await axe(ctx, page, "registration page, annulled");
  }
  await clickAndWait(page, page.getByRole("button", { name: "Esci" }));
  await page.waitForLoadState("load");
}

let caseId = "";

/** The citizen sees what the office asks on the application's page and replies from there. */
async function citizenReply(ctx, page, id) {
  ctx.step = "citizen login for the reply";
  await visit(page, `/accedi?next=/domande/${id}&level=2`);
  await page.locator("details.spid-button > summary").click();
  await clickAndWait(page, page.getByRole("link", { name: "Identity provider dimostrativo" }));
  const citizen = page.getByRole("radio", { name: new RegExp(DEMO_CITIZEN) });
  await citizen.focus();
  await page.keyboard.press("Space");
  await clickAndWait(page, page.getByRole("button", { name: "Accedi come questo cittadino" }));
  await page.waitForURL((u) => u.pathname === `/domande/${id}`);
  ctx.step = "application page with an integration request";
  const asked = page.getByRole("heading", { name: "L'ufficio ti chiede di integrare la domanda" });
  check(ctx, page, (await asked.count()) === 1, "the application page does not say that the office asks for documents");
  check(ctx, page, (await page.getByText("Programma dell'evento firmato", { exact: true }).count()) > 0, "the item asked for is not on the application page");
  await axe(ctx, page, "application page, integration requested");
  // A file chooser is the browser's own dialog: the file is set on the input, the rest is keys.
  await page.setInputFiles("#documenti", { name: "programma.pdf", mimeType: "application/pdf", buffer: Buffer.from(SMALL_PDF) });
  await page.getByLabel("Messaggio per l'ufficio", { exact: false }).focus();
  await page.keyboard.type("Ecco il programma firmato.");
  await page.getByRole("button", { name: "Invia la risposta" }).focus();
  await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);
  ctx.step = "application page after the reply";
  check(ctx, page, (await page.getByText("Integrazione del cittadino", { exact: false }).count()) > 0, "the reply is not in the timeline");
  check(ctx, page, (await asked.count()) === 0, "after the reply the page still asks for documents");
  await axe(ctx, page, "application page, reply sent");
  await clickAndWait(page, page.getByRole("button", { name: "Esci" }));
  await page.waitForLoadState("load");
}

// The smallest PDF a type check recognises (the server looks at the first bytes).
const SMALL_PDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  // Playwright gives every launch a new, empty temporary user-data-dir of its own.
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
let failedPaths = 0;
try {
  for (const vp of VIEWPORTS) {
    const { name, ...options } = vp;
    // bypassCSP: the server's Content-Security-Policy (script-src 'self') would refuse the
    // injected axe script; nothing else of the page changes. reducedMotion: Bootstrap's smooth
    // scrolling would otherwise still be moving a newly focused field when it is photographed.
    const context = await browser.newContext({ ...options, locale: "it-IT", bypassCSP: true, reducedMotion: "reduce" });
    context.setDefaultTimeout(15000);
    const ctx = { name, step: "start" };
    const page = await context.newPage();
    console.log(`\n=== ${name}: ${vp.viewport.width}x${vp.viewport.height}`);
    try {
      const dateFormat = await dateOrder(context);
      await path(ctx, page, dateFormat);
      console.log(`=== ${name}: path completed`);
    } catch (e) {
      failedPaths++;
      problems.push({ viewport: name, page: ctx.step, url: short(page.url()), message: `path stopped: ${e.message.split("\n")[0]}` });
      console.log(`=== ${name}: path stopped at "${ctx.step}" (${short(page.url())}): ${e.stack}`);
      await page.screenshot({ path: `/tmp/istanze-a11y-${name}-failure.png`, fullPage: true }).catch(() => {});
    }
    await context.close();
  }
} finally {
  await browser.close();
}

// --- report ------------------------------------------------------------------------------

console.log(`\n${pagesChecked} page(s) checked with axe-core ${JSON.parse(readFileSync(require.resolve("axe-core/package.json"), "utf8")).version} (${TAGS.join(", ")})`);
if (violations.length) {
  // The same rule on the same element of the same page, seen on several viewports, once.
  const grouped = new Map();
  for (const v of violations) {
    const key = `${v.id}|${v.page}|${v.targets.join(",")}`;
    const g = grouped.get(key) || { ...v, viewports: [] };
    g.viewports.push(v.viewport);
    grouped.set(key, g);
  }
  console.log(`\nAXE VIOLATIONS (${grouped.size}):`);
  for (const v of grouped.values()) {
    console.log(`- ${v.id} [${v.impact}] ${v.help}\n  page: ${v.page} (${v.viewports.join(", ")}) ${v.url}\n  targets: ${v.targets.join(" | ")}\n  ${v.helpUrl}`);
  }
}
if (problems.length) {
  console.log(`\nKEYBOARD AND PATH PROBLEMS (${problems.length}):`);
  for (const p of problems) console.log(`- [${p.viewport}] ${p.page} ${p.url}: ${p.message}`);
}
if (review.size) {
  console.log(`\nAXE "INCOMPLETE" RESULTS, TO REVIEW BY EYE (${review.size}, not failures):`);
  for (const [key, where] of review) {
    const list = [...where];
    console.log(`- ${key}\n  ${list.slice(0, 4).join("\n  ")}${list.length > 4 ? `\n  ... and ${list.length - 4} more` : ""}`);
  }
}
if (notes.length) {
  console.log(`\nNOTES (${notes.length}, not failures):`);
  for (const n of notes) console.log(`- [${n.viewport}] ${n.page} ${n.url}: ${n.message}`);
}
const failed = violations.length > 0 || problems.length > 0;
const distinct = new Set(violations.map((v) => `${v.id}|${v.page}|${v.targets.join(",")}`)).size;
console.log(`\n${failed ? "FAILED" : "PASSED"}: ${distinct} axe violation(s), ${problems.length} other problem(s), ${VIEWPORTS.length - failedPaths} of ${VIEWPORTS.length} path(s) completed`);
// One check per page given to axe (failed when it had violations), plus each other problem.
const pagesFailed = new Set(violations.map((v) => `${v.viewport}|${v.page}`)).size;
console.log(`a11y: ${pagesChecked - pagesFailed} passed, ${pagesFailed + problems.length} failed`);
process.exit(failed ? 1 : 0);
