// Rendering of API data. Every string from the API goes into the page as text (textContent or
// an attribute), never as HTML; a URL becomes a link or an image only when it is safe.

/** `h("p", { class: "x" }, "text", child)`: an element with attributes and children. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value == null) continue;
    element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

const LOOPBACK = /^(127(\.\d{1,3}){3}|localhost|\[::1\])$/;

/** Whether `url` (a string) is on a loopback host: the sandbox, or a proxy on this machine. */
export function isLoopbackUrl(url) {
  try {
    return LOOPBACK.test(new URL(url).hostname);
  } catch {
    return false;
  }
}

/**
 * The URL if it may be rendered as a link or an image: absolute `https:`, or `http:` on a
 * loopback host when `loopbackHttp` (the record came from an API on a loopback host: the
 * sandbox serves its images there). Anything else (`javascript:`, `data:`, plain `http:`,
 * relative or malformed) is null, and the caller shows the string as text only.
 */
export function safeUrl(value, { loopbackHttp = false } = {}) {
  if (typeof value !== "string" || value === "") return null;
  let url;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.username || url.password) return null;
  if (url.protocol === "https:" || (loopbackHttp && url.protocol === "http:" && LOOPBACK.test(url.hostname))) {
    return url.href;
  }
  return null;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** An RFC 3339 string in the reader's locale and time zone, as a `<time>`; the raw text if not a date. */
export function date(value) {
  const parsed = new Date(value);
  if (!value || Number.isNaN(parsed.getTime())) return h("span", {}, value || "—");
  return h("time", { datetime: value, title: value }, dateFormat.format(parsed));
}

/** A button that copies `text` and says so. */
export function copyButton(text, label) {
  const button = h("button", { type: "button", class: "secondary small", "aria-label": `Copy ${label}` }, "Copy");
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = "Copied";
    } catch {
      button.textContent = "Copy failed";
    }
    setTimeout(() => (button.textContent = "Copy"), 1500);
  });
  return button;
}

function field(name, ...value) {
  return [h("dt", {}, name), h("dd", {}, ...value)];
}

function flag(on) {
  return h("span", { class: on ? "flag on" : "flag" }, on ? "Yes" : "No");
}

function image(url, alt, className, options) {
  const safe = safeUrl(url, options);
  if (!safe) return null;
  const img = h("img", { src: safe, alt, class: className, loading: "lazy", referrerpolicy: "no-referrer" });
  img.addEventListener("error", () => img.remove());
  return img;
}

function link(url, options) {
  const safe = safeUrl(url, options);
  if (!safe) return h("span", { class: "unsafe-url", title: "Not shown as a link: not an https: URL" }, url || "—");
  return h("a", { href: safe, target: "_blank", rel: "noopener noreferrer" }, url);
}

function pool(pool, options) {
  const hero = image(pool.HeroImageURL, "", "hero", options);
  const logo = image(pool.LogoImageURL, `${pool.Name} logo`, "logo", options);
  const profile = image(pool.ProfileImageURL, `${pool.Name} profile image`, "avatar", options);
  return h(
    "article",
    { class: "pool", "aria-label": "Your pool" },
    h("div", { class: "pool-banner" }, hero, logo),
    h(
      "div",
      { class: "pool-body" },
      h("div", { class: "pool-title" }, profile, h("div", {}, h("h3", { class: "pool-name" }, pool.Name || "Unnamed pool"), h("p", { class: "muted mono" }, pool.Pubkey))),
      pool.Description ? h("p", { class: "pool-description" }, pool.Description) : null,
      pool.Benefits ? h("div", {}, h("h4", {}, "Benefits"), h("p", { class: "pool-benefits" }, pool.Benefits)) : null,
      h(
        "dl",
        { class: "fields" },
        field("Website", link(pool.Website, options)),
        field("Contact e-mail", pool.Email || "—"),
        field("Collects e-mails", flag(pool.CollectEmails)),
        field("Shown on the Hub", flag(pool.DisplayFE)),
        field("Owner wallet", h("span", { class: "mono" }, pool.UserPubkey)),
        field("Created", date(pool.CreatedAt)),
        field("Updated", date(pool.UpdatedAt)),
      ),
    ),
  );
}

/**
 * The whole record: profile, pool card (or the "no pool" state) and the raw JSON. `options`
 * are `safeUrl`'s, for every link and image.
 */
export function record(user, options = {}) {
  const json = JSON.stringify(user, null, 2);
  return [
    h(
      "article",
      { class: "profile", "aria-label": "Your profile" },
      h("h3", { class: "username" }, user.Username || "—", " ", h("span", { class: "badge" }, user.Role || "no role")),
      h(
        "dl",
        { class: "fields" },
        field("Wallet", h("span", { class: "mono pubkey" }, user.Pubkey), " ", copyButton(user.Pubkey, "wallet address")),
        field("Role", user.Role || "—"),
        field("E-mail auto-subscriptions", flag(user.EnabledEmailAutoSubs)),
        field("Member since", date(user.CreatedAt)),
        field("Updated", date(user.UpdatedAt)),
      ),
    ),
    user.OwnedPool
      ? pool(user.OwnedPool, options)
      : h("p", { class: "no-pool" }, "No pool: this account does not own a pool, so it has no supporters to export."),
    h(
      "details",
      { class: "raw" },
      h("summary", {}, "Raw JSON"),
      h("div", { class: "row" }, copyButton(json, "raw JSON")),
      h("pre", { class: "json" }, json),
    ),
  ];
}
