// Passkeys (WebAuthn), as progressive enhancement: the block stays hidden without scripts or
// without browser support, and the code forms keep working.
//
// A block `[data-passkey="get"|"create"]` names the URL that gives the options and the URL that
// checks the answer; both calls carry the anti-forgery token in the X-CSRF-Token header.

const toBytes = (base64url) => {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
};

const toBase64url = (buffer) => {
  let text = "";
  for (const byte of new Uint8Array(buffer)) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};

const withBytes = (descriptors) =>
  (descriptors || []).map((d) => ({ ...d, id: toBytes(d.id) }));

function creationOptions(json) {
  return {
    ...json,
    challenge: toBytes(json.challenge),
    user: { ...json.user, id: toBytes(json.user.id) },
    excludeCredentials: withBytes(json.excludeCredentials),
  };
}

function requestOptions(json) {
  return { ...json, challenge: toBytes(json.challenge), allowCredentials: withBytes(json.allowCredentials) };
}

function serialise(credential) {
  const r = credential.response;
  const response = { clientDataJSON: toBase64url(r.clientDataJSON) };
  if (r.attestationObject) {
    response.attestationObject = toBase64url(r.attestationObject);
    response.transports = typeof r.getTransports === "function" ? r.getTransports() : [];
  } else {
    response.authenticatorData = toBase64url(r.authenticatorData);
    response.signature = toBase64url(r.signature);
    if (r.userHandle) response.userHandle = toBase64url(r.userHandle);
  }
  return {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    response,
    clientExtensionResults: credential.getClientExtensionResults(),
    authenticatorAttachment: credential.authenticatorAttachment || undefined,
  };
}

async function post(url, csrf, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRF-Token": csrf, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || "Something went wrong. Try again.");
  return data;
}

async function run(block) {
  const csrf = block.dataset.csrf;
  const options = await post(block.dataset.optionsUrl, csrf);
  let credential;
  if (block.dataset.passkey === "create") {
    credential = await navigator.credentials.create({ publicKey: creationOptions(options) });
  } else {
    credential = await navigator.credentials.get({ publicKey: requestOptions(options) });
  }
  let url = block.dataset.verifyUrl;
  const name = block.querySelector("input[name=passkey_name]");
  if (name) url += `?name=${encodeURIComponent(name.value)}`;
  const done = await post(url, csrf, serialise(credential));
  window.location.assign(done.redirect);
}

function showError(block, message) {
  const error = block.querySelector("[data-passkey-error]");
  error.textContent = message;
  error.hidden = false;
}

for (const block of document.querySelectorAll("[data-passkey]")) {
  if (!window.PublicKeyCredential) continue;
  block.hidden = false;
  block.querySelector("[data-passkey-start]").addEventListener("click", async (event) => {
    event.target.disabled = true;
    try {
      await run(block);
    } catch (error) {
      // NotAllowedError: the person cancelled, or no passkey of theirs was found.
      const message = error && error.name === "NotAllowedError"
        ? "No passkey was used. Try again, or use a code."
        : (error && error.message) || "The passkey could not be used.";
      showError(block, message);
    } finally {
      event.target.disabled = false;
    }
  });
}
